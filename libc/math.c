/* libm for blobs: the functions are musl's (Debian's musl-dev, linked in as
 * build/obj/libc/libm-musl.o, see libc/libm-musl.sh); this file gives them
 * glibc's names, glibc's errno and, where tests/libc/test_math.c found
 * musl behind glibc, a better route (docs/architecture.md, libm).
 * musl never sets errno (math_errhandling MATH_ERREXCEPT); glibc does
 * (MATH_ERRNO), and a blob may look.  Every exported function that can
 * fail goes through a wrapper with glibc's rule: a NaN from non-NaN
 * arguments is EDOM, an infinity from finite ones ERANGE, and where glibc
 * reports underflow (exp, pow, erfc, tgamma, Bessel, ldexp) a zero from a
 * finite non-zero argument ERANGE; a few functions have glibc's own
 * special cases.  The wrappers' common path is two inline bit tests.
 * The classification helpers (__fpclassify, __isnan...) are written here. */
#include "libc.h"
#include "libm.h"

/* musl's functions, as linked from libm-musl.o */
#define D1(fn)	double fn(double);
#define D2(fn)	double fn(double, double);
#define F1(fn)	float fn(float);
#define F2(fn)	float fn(float, float);
#define D_AND_F1(fn)	D1(fn) F1(fn##f)
#define D_AND_F2(fn)	D2(fn) F2(fn##f)
D_AND_F1(acos) D_AND_F1(asin) D_AND_F1(atan) D_AND_F1(cos) D_AND_F1(sin) D_AND_F1(tan)
D_AND_F1(acosh) D_AND_F1(asinh) D_AND_F1(atanh) D_AND_F1(cosh) D_AND_F1(sinh) D_AND_F1(tanh)
D_AND_F1(exp) D_AND_F1(exp2) D_AND_F1(exp10) D_AND_F1(expm1) D_AND_F1(log) D_AND_F1(log10)
D_AND_F1(log1p) D_AND_F1(log2) D_AND_F1(logb) D_AND_F1(cbrt) D_AND_F1(fabs) D_AND_F1(sqrt)
D_AND_F1(erf) D_AND_F1(erfc) D_AND_F1(lgamma) D_AND_F1(tgamma) D_AND_F1(ceil) D_AND_F1(floor)
D_AND_F1(nearbyint) D_AND_F1(rint) D_AND_F1(round) D_AND_F1(trunc) D_AND_F1(significand)
D_AND_F1(j0) D_AND_F1(j1) D_AND_F1(y0) D_AND_F1(y1)
D_AND_F2(atan2) D_AND_F2(hypot) D_AND_F2(pow) D_AND_F2(fmod) D_AND_F2(remainder)
D_AND_F2(copysign) D_AND_F2(nextafter) D_AND_F2(fdim) D_AND_F2(fmax) D_AND_F2(fmin)
D_AND_F2(scalb)
double fma(double, double, double);
float fmaf(float, float, float);
double ldexp(double, int);
float ldexpf(float, int);
double scalbn(double, int);
float scalbnf(float, int);
double scalbln(double, long);
float scalblnf(float, long);
double frexp(double, int *);
float frexpf(float, int *);
double modf(double, double *);
float modff(float, float *);
double remquo(double, double, int *);
float remquof(float, float, int *);
double lgamma_r(double, int *);
float lgammaf_r(float, int *);
double jn(int, double);
float jnf(int, float);
double yn(int, double);
float ynf(int, float);
int ilogb(double);
int ilogbf(float);
long lrint(double);
long lrintf(float);
long lround(double);
long lroundf(float);
long long llrint(double);
long long llrintf(float);
long long llround(double);
long long llroundf(float);
double nan(const char *);
float nanf(const char *);
double nexttoward(double, long double);
float nexttowardf(float, long double);
void sincos(double, double *, double *);
void sincosf(float, float *, float *);
long double lgammal(long double);
long double __lgammal_r(long double, int *);
long double tgammal(long double);
long double atan2l(long double, long double);
long double floorl(long double);
int __signbitl(long double);
extern int __signgam;
int feclearexcept(int);
int fegetexceptflag(void *, int);
int feraiseexcept(int);
int fesetexceptflag(const void *, int);
int fetestexcept(int);
int fegetround(void);
int fesetround(int);
int fegetenv(void *);
int feholdexcept(void *);
int fesetenv(const void *);
int feupdateenv(const void *);

/* --- classification (bit tests: no FPU state touched) ----------------- */
int __fpclassify(double x);
int __fpclassifyf(float x);
int __isnan(double x);
int __isnanf(float x);
int __isinf(double x);
int __isinff(float x);
int __finite(double x);
int __finitef(float x);
int __signbit(double x);
int __signbitf(float x);
int __isnanl(long double x);
int __isinfl(long double x);

int
__fpclassify(double x)
{
	u64 e = libm_dbits(x) >> 52 & 0x7ff, m = libm_dbits(x) << 12;

	if (e == 0x7ff)
		return m ? FP_NAN : FP_INFINITE;
	if (e == 0)
		return m ? FP_SUBNORMAL : FP_ZERO;
	return FP_NORMAL;
}
EXPORT(__fpclassify, LIBC);

int
__fpclassifyf(float x)
{
	u32 e = libm_fbits(x) >> 23 & 0xff, m = libm_fbits(x) << 9;

	if (e == 0xff)
		return m ? FP_NAN : FP_INFINITE;
	if (e == 0)
		return m ? FP_SUBNORMAL : FP_ZERO;
	return FP_NORMAL;
}
EXPORT(__fpclassifyf, LIBC);

int
__isnan(double x)
{
	return (libm_dbits(x) << 1) > (0x7ffULL << 53);
}
EXPORT(__isnan, LIBC);
EXPORT_ALIAS(__isnan, isnan, LIBC);

int
__isnanf(float x)
{
	return (libm_fbits(x) << 1) > (0xffU << 24);
}
EXPORT(__isnanf, LIBC);
EXPORT_ALIAS(__isnanf, isnanf, LIBC);

/* glibc: -1 for -inf, 1 for +inf */
int
__isinf(double x)
{
	if ((libm_dbits(x) << 1) != (0x7ffULL << 53))
		return 0;
	return libm_dbits(x) >> 63 ? -1 : 1;
}
EXPORT(__isinf, LIBC);
EXPORT_ALIAS(__isinf, isinf, LIBC);

int
__isinff(float x)
{
	if ((libm_fbits(x) << 1) != (0xffU << 24))
		return 0;
	return libm_fbits(x) >> 31 ? -1 : 1;
}
EXPORT(__isinff, LIBC);
EXPORT_ALIAS(__isinff, isinff, LIBC);

int
__finite(double x)
{
	return (libm_dbits(x) >> 52 & 0x7ff) != 0x7ff;
}
EXPORT(__finite, LIBC);
EXPORT_ALIAS(__finite, finite, LIBC);

int
__finitef(float x)
{
	return (libm_fbits(x) >> 23 & 0xff) != 0xff;
}
EXPORT(__finitef, LIBC);
EXPORT_ALIAS(__finitef, finitef, LIBC);

int
__signbit(double x)
{
	return (int)(libm_dbits(x) >> 63);
}
EXPORT(__signbit, LIBC);

int
__signbitf(float x)
{
	return (int)(libm_fbits(x) >> 31);
}
EXPORT(__signbitf, LIBC);

int
__isnanl(long double x)
{
	return __fpclassifyl(x) == FP_NAN;
}
EXPORT(__isnanl, LIBC);
EXPORT_ALIAS(__isnanl, isnanl, LIBC);

int
__isinfl(long double x)
{
	if (__fpclassifyl(x) != FP_INFINITE)
		return 0;
	return __signbitl(x) ? -1 : 1;
}
EXPORT(__isinfl, LIBC);
EXPORT_ALIAS(__isinfl, isinfl, LIBC);

int
__finitel(long double x)
{
	int c = __fpclassifyl(x);

	return c != FP_NAN && c != FP_INFINITE;
}
EXPORT(__finitel, LIBC);
EXPORT_ALIAS(__finitel, finitel, LIBC);
EXPORT(__fpclassifyl, LIBC);
EXPORT(__signbitl, LIBC);

/* --- the __math_* helpers musl's exp/log/pow call on special cases ----
 * They make the value and raise the FPU flag; errno is left to the
 * wrappers below (musl calls them from inside other functions too, e.g.
 * erfcf(-11) underflows an exp on its way to 2, where glibc's internal
 * calls set nothing). */
double __math_xflow(u32 sign, double y);
double __math_oflow(u32 sign);
double __math_uflow(u32 sign);
double __math_divzero(u32 sign);
double __math_invalid(double x);
float __math_xflowf(u32 sign, float y);
float __math_oflowf(u32 sign);
float __math_uflowf(u32 sign);
float __math_divzerof(u32 sign);
float __math_invalidf(float x);

/* The volatile keeps the operation at run time, so the FPU raises the
 * exception flags a blob may test with fetestexcept. */
#define MATH_HELPERS(SFX, T, BIG, TINY) \
T \
__math_xflow##SFX(u32 sign, T y) \
{ \
	volatile T v = sign ? -y : y; \
	\
	return v * y; \
} \
T \
__math_oflow##SFX(u32 sign) \
{ \
	return __math_xflow##SFX(sign, BIG); \
} \
T \
__math_uflow##SFX(u32 sign) \
{ \
	return __math_xflow##SFX(sign, TINY); \
} \
T \
__math_divzero##SFX(u32 sign) \
{ \
	volatile T z = 0; \
	\
	return (sign ? -1 : 1) / z; \
} \
T \
__math_invalid##SFX(T x) \
{ \
	volatile T v = x; \
	\
	return (v - v) / (v - v); \
}
MATH_HELPERS(, double, 0x1p769, 0x1p-767)
MATH_HELPERS(f, float, 0x1p97f, 0x1p-95f)

/* --- glibc's wrapper rule (libm.h) ----------------------------------- */
/* musl never writes errno (the helpers above do not either): what a
 * wrapper's rule sets is all a blob sees. */
#define KEEP_ERRNO(expr) (expr)

/* the double and the float form of a wrapper written once as M(SFX, T) */
#define D_AND_F(M)	M(, double) M(f, float)

/* ldexp and scalb: also an underflow to zero from a finite non-zero */
static double
check_scale(double x, double r)
{
	if (__finite(x) && x != 0 && (!__finite(r) || r == 0))
		errno = ERANGE;
	return r;
}

#define WRAP1(fn)	LIBM_WRAP1(fn, double, LIBM_RULE1) LIBM_WRAP1(fn##f, float, LIBM_RULE1)
#define WRAP2(fn)	LIBM_WRAP2(fn, double) LIBM_WRAP2(fn##f, float)
#define UFLOW(fn)	LIBM_WRAP1(fn, double, LIBM_UFLOW) LIBM_WRAP1(fn##f, float, LIBM_UFLOW)
#define FINITE(fn)	LIBM_FINITE_ALIAS(fn) LIBM_FINITE_ALIAS(fn##f)
#define PLAIN(fn) \
	EXPORT(fn, LIBC); \
	EXPORT(fn##f, LIBC);

WRAP1(acos) WRAP1(asin) WRAP1(atan) WRAP1(cos) WRAP1(sin) WRAP1(tan)
WRAP1(asinh) WRAP1(atanh) WRAP1(cosh) WRAP1(sinh) WRAP1(tanh)
WRAP1(expm1) WRAP1(log) WRAP1(log2) WRAP1(log10) WRAP1(log1p)
WRAP1(cbrt) WRAP1(sqrt) WRAP1(erf)
WRAP2(hypot) WRAP2(fmod) WRAP2(remainder) WRAP2(fdim)
FINITE(acos) FINITE(asin) FINITE(atanh) FINITE(cosh) FINITE(sinh)
FINITE(log10) FINITE(sqrt) FINITE(atan2) FINITE(hypot) FINITE(fmod) FINITE(remainder)
FINITE(scalb) FINITE(log) FINITE(log2) FINITE(pow)
/* errno from the __math_* helpers above; the rest never sets it */
PLAIN(logb)
PLAIN(fabs) PLAIN(ceil) PLAIN(floor) PLAIN(nearbyint) PLAIN(rint) PLAIN(round) PLAIN(trunc)
PLAIN(copysign) PLAIN(frexp) PLAIN(modf) PLAIN(scalbn)
PLAIN(scalbln) PLAIN(lrint) PLAIN(lround) PLAIN(llrint) PLAIN(llround)
PLAIN(nan) PLAIN(nexttoward)
EXPORT_ALIAS(w_remainder, drem, LIBC);
EXPORT_ALIAS(w_remainderf, dremf, LIBC);
EXPORT_ALIAS(__signgam, signgam, LIBC);
EXPORT(__signgam, LIBC);

#define W_LDEXP(SFX, T) \
	static T w_ldexp##SFX(T x, int n) { return (T)check_scale(x, ldexp##SFX(x, n)); } \
	EXPORT_AS(w_ldexp##SFX, "ldexp" #SFX, LIBC);
D_AND_F(W_LDEXP)

#define W_SCALB(SFX, T) \
	static T w_scalb##SFX(T x, T n) { return (T)check_scale(x, LIBM_RULE2(x, n, scalb##SFX(x, n))); } \
	EXPORT_AS(w_scalb##SFX, "scalb" #SFX, LIBC);
D_AND_F(W_SCALB)

#define W_REMQUO(SFX, T) \
	static T w_remquo##SFX(T x, T y, int *q) { return LIBM_RULE2(x, y, remquo##SFX(x, y, q)); } \
	EXPORT_AS(w_remquo##SFX, "remquo" #SFX, LIBC);
D_AND_F(W_REMQUO)

#define W_LGAMMA_R(SFX, T) \
	static T w_lgamma##SFX##_r(T x, int *sign) { return LIBM_RULE1(x, (T)__lgammal_r(x, sign)); } \
	EXPORT_AS(w_lgamma##SFX##_r, "lgamma" #SFX "_r", LIBC); \
	EXPORT_ALIAS(w_lgamma##SFX##_r, __lgamma##SFX##_r_finite, LIBC); \
	EXPORT_ALIAS(w_lgamma##SFX##_r, __gamma##SFX##_r_finite, LIBC);
D_AND_F(W_LGAMMA_R)

/* Through musl's x87 long double forms: its double lgamma loses ~100 ulps
 * next to the negative zeros and its tgamma ~7 ulps, where glibc's stay
 * within 3 and 5; 11 more bits of precision bring both under glibc's. */
#define W_LGAMMA(SFX, T) \
	static T w_lgamma##SFX(T x) { return LIBM_RULE1(x, (T)lgammal(x)); } \
	EXPORT_AS(w_lgamma##SFX, "lgamma" #SFX, LIBC); \
	EXPORT_ALIAS(w_lgamma##SFX, gamma##SFX, LIBC); \
	EXPORT_ALIAS(w_lgamma##SFX, __lgamma##SFX##_finite, LIBC);
D_AND_F(W_LGAMMA)


/* musl's tgammal gets the sign wrong below about -33: Gamma(x) for a
 * negative non-integer is negative exactly when floor(x) is odd. */
static long double
gamma_signed(long double x)
{
	long double r = tgammal(x);

	if (x < 0 && r == r && __finitel(r)) {
		long double f = floorl(x);
		bool odd = f != x && (f / 2 != floorl(f / 2));

		if ((r < 0) != odd)
			r = -r;
	}
	return r;
}

#define W_TGAMMA(SFX, T) \
	static T w_tgamma##SFX(T x) { return LIBM_UFLOW(x, (T)gamma_signed(x)); } \
	EXPORT_AS(w_tgamma##SFX, "tgamma" #SFX, LIBC);
D_AND_F(W_TGAMMA)

/* 10^x as pow(10, x): 10 is exact and pow is within 0.52 ulp, where
 * musl's exp10 (exp2 of a rounded product) is off by up to 3.4 ulps. */
static double
w_exp10(double x)
{
	return LIBM_UFLOW(x, KEEP_ERRNO(pow(10.0, x)));
}
EXPORT_AS(w_exp10, "exp10", LIBC);
EXPORT_ALIAS(w_exp10, __exp10_finite, LIBC);
EXPORT_ALIAS(w_exp10, pow10, LIBC);

static float
w_exp10f(float x)
{
	float r = (float)LIBM_UFLOW(x, (float)KEEP_ERRNO(pow(10.0, x)));

	if (r <= 0x1p-149f && __finitef(x))	/* glibc: from the last subnormal */
		errno = ERANGE;
	return r;
}
EXPORT_AS(w_exp10f, "exp10f", LIBC);
EXPORT_ALIAS(w_exp10f, __exp10f_finite, LIBC);
EXPORT_ALIAS(w_exp10f, pow10f, LIBC);

/* musl's acosh answers log(2x) for any |x| >= 2^26, negative too */
#define W_ACOSH(SFX, T) \
	static T \
	w_acosh##SFX(T x) \
	{ \
		volatile T v = x; \
		\
		if (x < 1) \
			return LIBM_RULE1(x, (v - v) / (v - v)); \
		return LIBM_RULE1(x, acosh##SFX(x)); \
	} \
	EXPORT_AS(w_acosh##SFX, "acosh" #SFX, LIBC); \
	LIBM_FINITE_ALIAS(acosh##SFX)
D_AND_F(W_ACOSH)

#define BESSEL(fn) \
	static double w_##fn(double x) { return LIBM_UFLOW(x, KEEP_ERRNO(fn(x))); } \
	EXPORT_AS(w_##fn, #fn, LIBC); \
	EXPORT_ALIAS(fn, __##fn##_finite, LIBC); \
	static float w_##fn##f(float x) { return (float)LIBM_UFLOW(x, (float)KEEP_ERRNO(fn(x))); } \
	EXPORT_AS(w_##fn##f, #fn "f", LIBC); \
	EXPORT_ALIAS(w_##fn##f, __##fn##f_finite, LIBC);
BESSEL(j0) BESSEL(j1) BESSEL(y0) BESSEL(y1)

D_AND_F(LIBM_W_SINCOS)		/* libm.h: the rules of this and the next ones */

static double
w_jn(int n, double x)
{
	return LIBM_RULE1(x, KEEP_ERRNO(jn(n, x)));
}
EXPORT_AS(w_jn, "jn", LIBC);

/* musl's float Bessel functions lose up to ~50 ulps near their zeros
 * where glibc's stay within a few: the double ones, rounded, do better
 * than both. */
static float
w_jnf(int n, float x)
{
	return (float)LIBM_UFLOW(x, (float)KEEP_ERRNO(jn(n, x)));
}
EXPORT_AS(w_jnf, "jnf", LIBC);

static double
w_yn(int n, double x)
{
	return LIBM_RULE1(x, KEEP_ERRNO(yn(n, x)));
}
EXPORT_AS(w_yn, "yn", LIBC);

static float
w_ynf(int n, float x)
{
	return (float)LIBM_RULE1(x, (float)KEEP_ERRNO(yn(n, x)));
}
EXPORT_AS(w_ynf, "ynf", LIBC);
EXPORT_ALIAS(jn, __jn_finite, LIBC);
EXPORT_ALIAS(w_jnf, __jnf_finite, LIBC);
EXPORT_ALIAS(yn, __yn_finite, LIBC);
EXPORT_ALIAS(w_ynf, __ynf_finite, LIBC);

UFLOW(erfc)

/* atan2 through the x87's fpatan: 0.5 ulp where musl's double atan2
 * reaches 1.3 and glibc's 0.51 */
D_AND_F(LIBM_W_ATAN2)
D_AND_F(LIBM_W_NEXTAFTER)

/* pow: musl's reports overflow/underflow through the helpers above but
 * not 0^negative (a pole: ERANGE in glibc) */
static double
check_pow(double x, double y, double r)
{
	LIBM_RULE2(x, y, r);
	if (r == 0 && x != 0 && __finite(x) && __finite(y))
		errno = ERANGE;
	return r;
}

static double
w_pow(double x, double y)
{
	return check_pow(x, y, KEEP_ERRNO(pow(x, y)));
}
EXPORT_AS(w_pow, "pow", LIBC);

static float
w_powf(float x, float y)
{
	float r = (float)check_pow(x, y, (float)KEEP_ERRNO(powf(x, y)));

	/* glibc: ERANGE when the true value is below the last subnormal,
	 * even if it rounds up to it (the double pow places it) */
	if (__builtin_expect(r == 0x1p-149f || r == -0x1p-149f, 0) && __finitef(x) && __finitef(y)) {
		double d = pow(x, y);

		if (d < 0x1p-149 && d > -0x1p-149)
			errno = ERANGE;
	}
	return r;
}
EXPORT_AS(w_powf, "powf", LIBC);

/* ilogb and significand of 0, an infinity or NaN: EDOM (glibc's ilogb
 * reports them as invalid; its long double significandl does not) */
D_AND_F(LIBM_W_ILOGB)

#define W_SIGNIFICAND(SFX, T) \
	static T \
	w_significand##SFX(T x) \
	{ \
		if (x == 0 || !LIBM_FINITE(x)) \
			errno = EDOM; \
		return significand##SFX(x); \
	} \
	EXPORT_AS(w_significand##SFX, "significand" #SFX, LIBC);
D_AND_F(W_SIGNIFICAND)

/* musl's exp/exp2 report only |x| >= 1024 through the helpers; glibc's
 * also an overflow to infinity and an underflow to zero below that */
UFLOW(exp) UFLOW(exp2)
FINITE(exp) FINITE(exp2)

/* fmin as fmax (libm.h): between equal values (0 and -0) the second
 * argument is returned */
#define W_FMIN(SFX, T) \
	static T \
	w_fmin##SFX(T x, T y) \
	{ \
		if (LIBM_SNAN(x) || LIBM_SNAN(y)) \
			return x + y; \
		if (LIBM_NAN(x) || LIBM_NAN(y)) \
			return LIBM_NAN(x) ? y : x; \
		return x < y ? x : y; \
	} \
	EXPORT_AS(w_fmin##SFX, "fmin" #SFX, LIBC);
D_AND_F(LIBM_W_FMAX) D_AND_F(W_FMIN)

D_AND_F(LIBM_W_FMA)

/* fenv: musl's, on both the x87 and SSE units as glibc's */
EXPORT(feclearexcept, LIBC);
EXPORT(fegetexceptflag, LIBC);
EXPORT(feraiseexcept, LIBC);
EXPORT(fesetexceptflag, LIBC);
EXPORT(fetestexcept, LIBC);
EXPORT(fegetround, LIBC);
EXPORT(fesetround, LIBC);
EXPORT(fegetenv, LIBC);
EXPORT(feholdexcept, LIBC);
EXPORT(fesetenv, LIBC);
EXPORT(feupdateenv, LIBC);
