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
static inline u64
dbits(double x)
{
	union { double d; u64 u; } v = { .d = x };

	return v.u;
}

static inline u32
fbits(float x)
{
	union { float f; u32 u; } v = { .f = x };

	return v.u;
}

/* inline tests for the wrappers' hot path (the exported __isnan & co.
 * are calls) */
static inline bool
nan_(double x)
{
	return (dbits(x) << 1) > (0x7ffULL << 53);
}

static inline bool
finite_(double x)
{
	return (dbits(x) >> 52 & 0x7ff) != 0x7ff;
}

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
	u64 e = dbits(x) >> 52 & 0x7ff, m = dbits(x) << 12;

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
	u32 e = fbits(x) >> 23 & 0xff, m = fbits(x) << 9;

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
	return (dbits(x) << 1) > (0x7ffULL << 53);
}
EXPORT(__isnan, LIBC);
EXPORT_ALIAS(__isnan, isnan, LIBC);

int
__isnanf(float x)
{
	return (fbits(x) << 1) > (0xffU << 24);
}
EXPORT(__isnanf, LIBC);
EXPORT_ALIAS(__isnanf, isnanf, LIBC);

/* glibc: -1 for -inf, 1 for +inf */
int
__isinf(double x)
{
	if ((dbits(x) << 1) != (0x7ffULL << 53))
		return 0;
	return dbits(x) >> 63 ? -1 : 1;
}
EXPORT(__isinf, LIBC);
EXPORT_ALIAS(__isinf, isinf, LIBC);

int
__isinff(float x)
{
	if ((fbits(x) << 1) != (0xffU << 24))
		return 0;
	return fbits(x) >> 31 ? -1 : 1;
}
EXPORT(__isinff, LIBC);
EXPORT_ALIAS(__isinff, isinff, LIBC);

int
__finite(double x)
{
	return (dbits(x) >> 52 & 0x7ff) != 0x7ff;
}
EXPORT(__finite, LIBC);
EXPORT_ALIAS(__finite, finite, LIBC);

int
__finitef(float x)
{
	return (fbits(x) >> 23 & 0xff) != 0xff;
}
EXPORT(__finitef, LIBC);
EXPORT_ALIAS(__finitef, finitef, LIBC);

int
__signbit(double x)
{
	return (int)(dbits(x) >> 63);
}
EXPORT(__signbit, LIBC);

int
__signbitf(float x)
{
	return (int)(fbits(x) >> 31);
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
double
__math_xflow(u32 sign, double y)
{
	volatile double v = sign ? -y : y;

	return v * y;
}

double
__math_oflow(u32 sign)
{
	return __math_xflow(sign, 0x1p769);
}

double
__math_uflow(u32 sign)
{
	return __math_xflow(sign, 0x1p-767);
}

double
__math_divzero(u32 sign)
{
	volatile double z = 0.0;

	return (sign ? -1.0 : 1.0) / z;
}

double
__math_invalid(double x)
{
	volatile double v = x;
	return (v - v) / (v - v);
}

float
__math_xflowf(u32 sign, float y)
{
	volatile float v = sign ? -y : y;

	return v * y;
}

float
__math_oflowf(u32 sign)
{
	return __math_xflowf(sign, 0x1p97f);
}

float
__math_uflowf(u32 sign)
{
	return __math_xflowf(sign, 0x1p-95f);
}

float
__math_divzerof(u32 sign)
{
	volatile float z = 0.0f;

	return (sign ? -1.0f : 1.0f) / z;
}

float
__math_invalidf(float x)
{
	volatile float v = x;
	return (v - v) / (v - v);
}

/* --- glibc's wrapper rule ---------------------------------------------- */
/* musl never writes errno (the helpers above do not either): what a
 * wrapper's rule sets is all a blob sees. */
#define KEEP_ERRNO(expr) (expr)
static inline double
check1(double x, double r)
{
	if (__builtin_expect(finite_(r), 1))
		return r;
	if (nan_(r) && !nan_(x))
		errno = EDOM;
	else if (!nan_(r) && finite_(x))
		errno = ERANGE;
	return r;
}

static inline double
check2(double x, double y, double r)
{
	if (__builtin_expect(finite_(r), 1))
		return r;
	if (nan_(r) && !nan_(x) && !nan_(y))
		errno = EDOM;
	else if (!nan_(r) && finite_(x) && finite_(y))
		errno = ERANGE;
	return r;
}

/* an underflow to zero from a finite non-zero argument: ERANGE, as
 * glibc's tgamma, exp10, erfc and the Bessel functions */
static inline double
check_uflow(double x, double r)
{
	check1(x, r);
	if (__builtin_expect(r == 0, 0) && finite_(x) && x != 0)
		errno = ERANGE;
	return r;
}

/* ldexp and scalb: also an underflow to zero from a finite non-zero */
static double
check_scale(double x, double r)
{
	if (__finite(x) && x != 0 && (!__finite(r) || r == 0))
		errno = ERANGE;
	return r;
}

/* The wrapped function is exported under glibc's name; its raw musl form
 * stays the target of glibc's __NAME_finite alias (glibc's _finite entry
 * points are the unwrapped ones). */
#define WRAP1(fn) \
	static double w_##fn(double x) { return check1(x, KEEP_ERRNO(fn(x))); } \
	EXPORT_AS(w_##fn, #fn, LIBC); \
	static float w_##fn##f(float x) { return (float)check1(x, (float)KEEP_ERRNO(fn##f(x))); } \
	EXPORT_AS(w_##fn##f, #fn "f", LIBC);
#define WRAP2(fn) \
	static double w_##fn(double x, double y) { return check2(x, y, KEEP_ERRNO(fn(x, y))); } \
	EXPORT_AS(w_##fn, #fn, LIBC); \
	static float w_##fn##f(float x, float y) { return (float)check2(x, y, (float)KEEP_ERRNO(fn##f(x, y))); } \
	EXPORT_AS(w_##fn##f, #fn "f", LIBC);
#define FINITE(fn) \
	EXPORT_ALIAS(fn, __##fn##_finite, LIBC); \
	EXPORT_ALIAS(fn##f, __##fn##f_finite, LIBC);
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

static double
w_ldexp(double x, int n)
{
	return check_scale(x, ldexp(x, n));
}
EXPORT_AS(w_ldexp, "ldexp", LIBC);

static float
w_ldexpf(float x, int n)
{
	return (float)check_scale(x, ldexpf(x, n));
}
EXPORT_AS(w_ldexpf, "ldexpf", LIBC);

static double
w_scalb(double x, double n)
{
	return check_scale(x, check2(x, n, scalb(x, n)));
}
EXPORT_AS(w_scalb, "scalb", LIBC);

static float
w_scalbf(float x, float n)
{
	return (float)check_scale(x, check2(x, n, scalbf(x, n)));
}
EXPORT_AS(w_scalbf, "scalbf", LIBC);

static double
w_remquo(double x, double y, int *q)
{
	return check2(x, y, remquo(x, y, q));
}
EXPORT_AS(w_remquo, "remquo", LIBC);

static float
w_remquof(float x, float y, int *q)
{
	return (float)check2(x, y, remquof(x, y, q));
}
EXPORT_AS(w_remquof, "remquof", LIBC);

static double
w_lgamma_r(double x, int *sign)
{
	return check1(x, (double)KEEP_ERRNO(__lgammal_r(x, sign)));
}
EXPORT_AS(w_lgamma_r, "lgamma_r", LIBC);

static float
w_lgammaf_r(float x, int *sign)
{
	return (float)check1(x, (float)KEEP_ERRNO(__lgammal_r(x, sign)));
}
EXPORT_AS(w_lgammaf_r, "lgammaf_r", LIBC);
EXPORT_ALIAS(w_lgamma_r, __lgamma_r_finite, LIBC);
EXPORT_ALIAS(w_lgammaf_r, __lgammaf_r_finite, LIBC);
EXPORT_ALIAS(w_lgamma_r, __gamma_r_finite, LIBC);
EXPORT_ALIAS(w_lgammaf_r, __gammaf_r_finite, LIBC);

/* Through musl's x87 long double forms: its double lgamma loses ~100 ulps
 * next to the negative zeros and its tgamma ~7 ulps, where glibc's stay
 * within 3 and 5; 11 more bits of precision bring both under glibc's. */
static double
w_lgamma(double x)
{
	return check1(x, (double)KEEP_ERRNO(lgammal(x)));
}
EXPORT_AS(w_lgamma, "lgamma", LIBC);
EXPORT_ALIAS(w_lgamma, gamma, LIBC);
EXPORT_ALIAS(w_lgamma, __lgamma_finite, LIBC);

static float
w_lgammaf(float x)
{
	return (float)check1(x, (float)KEEP_ERRNO(lgammal(x)));
}
EXPORT_AS(w_lgammaf, "lgammaf", LIBC);
EXPORT_ALIAS(w_lgammaf, gammaf, LIBC);
EXPORT_ALIAS(w_lgammaf, __lgammaf_finite, LIBC);


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

static double
w_tgamma(double x)
{
	return check_uflow(x, (double)KEEP_ERRNO(gamma_signed(x)));
}
EXPORT_AS(w_tgamma, "tgamma", LIBC);

static float
w_tgammaf(float x)
{
	return (float)check_uflow(x, (float)KEEP_ERRNO(gamma_signed(x)));
}
EXPORT_AS(w_tgammaf, "tgammaf", LIBC);

/* 10^x as pow(10, x): 10 is exact and pow is within 0.52 ulp, where
 * musl's exp10 (exp2 of a rounded product) is off by up to 3.4 ulps. */
static double
w_exp10(double x)
{
	return check_uflow(x, KEEP_ERRNO(pow(10.0, x)));
}
EXPORT_AS(w_exp10, "exp10", LIBC);
EXPORT_ALIAS(w_exp10, __exp10_finite, LIBC);
EXPORT_ALIAS(w_exp10, pow10, LIBC);

static float
w_exp10f(float x)
{
	float r = (float)check_uflow(x, (float)KEEP_ERRNO(pow(10.0, x)));

	if (r <= 0x1p-149f && __finitef(x))	/* glibc: from the last subnormal */
		errno = ERANGE;
	return r;
}
EXPORT_AS(w_exp10f, "exp10f", LIBC);
EXPORT_ALIAS(w_exp10f, __exp10f_finite, LIBC);
EXPORT_ALIAS(w_exp10f, pow10f, LIBC);

/* musl's acosh answers log(2x) for any |x| >= 2^26, negative too */
static double
w_acosh(double x)
{
	volatile double v = x;

	if (x < 1)
		return check1(x, (v - v) / (v - v));
	return check1(x, KEEP_ERRNO(acosh(x)));
}
EXPORT_AS(w_acosh, "acosh", LIBC);
EXPORT_ALIAS(acosh, __acosh_finite, LIBC);

static float
w_acoshf(float x)
{
	volatile float v = x;

	if (x < 1)
		return (float)check1(x, (v - v) / (v - v));
	return (float)check1(x, KEEP_ERRNO(acoshf(x)));
}
EXPORT_AS(w_acoshf, "acoshf", LIBC);
EXPORT_ALIAS(acoshf, __acoshf_finite, LIBC);

#define BESSEL(fn) \
	static double w_##fn(double x) { return check_uflow(x, KEEP_ERRNO(fn(x))); } \
	EXPORT_AS(w_##fn, #fn, LIBC); \
	EXPORT_ALIAS(fn, __##fn##_finite, LIBC); \
	static float w_##fn##f(float x) { return (float)check_uflow(x, (float)KEEP_ERRNO(fn(x))); } \
	EXPORT_AS(w_##fn##f, #fn "f", LIBC); \
	EXPORT_ALIAS(w_##fn##f, __##fn##f_finite, LIBC);
BESSEL(j0) BESSEL(j1) BESSEL(y0) BESSEL(y1)

/* sin and cos of an infinity: EDOM, as glibc's sincos */
static void
w_sincos(double x, double *s, double *c)
{
	sincos(x, s, c);
	if (__isinf(x))
		errno = EDOM;
}
EXPORT_AS(w_sincos, "sincos", LIBC);

static void
w_sincosf(float x, float *s, float *c)
{
	sincosf(x, s, c);
	if (__isinff(x))
		errno = EDOM;
}
EXPORT_AS(w_sincosf, "sincosf", LIBC);

static double
w_jn(int n, double x)
{
	return check1(x, KEEP_ERRNO(jn(n, x)));
}
EXPORT_AS(w_jn, "jn", LIBC);

/* musl's float Bessel functions lose up to ~50 ulps near their zeros
 * where glibc's stay within a few: the double ones, rounded, do better
 * than both. */
static float
w_jnf(int n, float x)
{
	return (float)check_uflow(x, (float)KEEP_ERRNO(jn(n, x)));
}
EXPORT_AS(w_jnf, "jnf", LIBC);

static double
w_yn(int n, double x)
{
	return check1(x, KEEP_ERRNO(yn(n, x)));
}
EXPORT_AS(w_yn, "yn", LIBC);

static float
w_ynf(int n, float x)
{
	return (float)check1(x, (float)KEEP_ERRNO(yn(n, x)));
}
EXPORT_AS(w_ynf, "ynf", LIBC);
EXPORT_ALIAS(jn, __jn_finite, LIBC);
EXPORT_ALIAS(w_jnf, __jnf_finite, LIBC);
EXPORT_ALIAS(yn, __yn_finite, LIBC);
EXPORT_ALIAS(w_ynf, __ynf_finite, LIBC);

static double
w_erfc(double x)
{
	return check_uflow(x, KEEP_ERRNO(erfc(x)));
}
EXPORT_AS(w_erfc, "erfc", LIBC);

static float
w_erfcf(float x)
{
	return (float)check_uflow(x, (float)KEEP_ERRNO(erfcf(x)));
}
EXPORT_AS(w_erfcf, "erfcf", LIBC);

/* atan2: a zero from y != 0 and finite x is an underflow (ERANGE) */
static double
w_atan2(double y, double x)
{
	/* x87's fpatan (musl's atan2l), rounded: 0.5 ulp where musl's
	 * double atan2 reaches 1.3 and glibc's 0.51 */
	double r = check2(y, x, (double)atan2l(y, x));

	if (r == 0 && y != 0 && __finite(x))
		errno = ERANGE;
	return r;
}
EXPORT_AS(w_atan2, "atan2", LIBC);

static float
w_atan2f(float y, float x)
{
	float r = (float)check2(y, x, (float)atan2l(y, x));

	if (r == 0 && y != 0 && __finitef(x))
		errno = ERANGE;
	return r;
}
EXPORT_AS(w_atan2f, "atan2f", LIBC);

/* nextafter: ERANGE when the step overflows or lands below the normal
 * range (subnormal or zero) */
static double
w_nextafter(double x, double y)
{
	double r = nextafter(x, y);
	int c = __fpclassify(r);

	if ((c == FP_INFINITE && __finite(x)) || ((c == FP_SUBNORMAL || c == FP_ZERO) && x != y && x != 0))
		errno = ERANGE;
	return r;
}
EXPORT_AS(w_nextafter, "nextafter", LIBC);

static float
w_nextafterf(float x, float y)
{
	float r = nextafterf(x, y);
	int c = __fpclassifyf(r);

	if ((c == FP_INFINITE && __finitef(x)) || ((c == FP_SUBNORMAL || c == FP_ZERO) && x != y && x != 0))
		errno = ERANGE;
	return r;
}
EXPORT_AS(w_nextafterf, "nextafterf", LIBC);

/* pow: musl's reports overflow/underflow through the helpers above but
 * not 0^negative (a pole: ERANGE in glibc) */
static double
check_pow(double x, double y, double r)
{
	check2(x, y, r);
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
 * reports them as invalid) */
static int
w_ilogb(double x)
{
	if (x == 0 || !__finite(x))
		errno = EDOM;
	return ilogb(x);
}
EXPORT_AS(w_ilogb, "ilogb", LIBC);

static int
w_ilogbf(float x)
{
	if (x == 0 || !__finitef(x))
		errno = EDOM;
	return ilogbf(x);
}
EXPORT_AS(w_ilogbf, "ilogbf", LIBC);

static double
w_significand(double x)
{
	if (x == 0 || !__finite(x))
		errno = EDOM;
	return significand(x);
}
EXPORT_AS(w_significand, "significand", LIBC);

static float
w_significandf(float x)
{
	if (x == 0 || !__finitef(x))
		errno = EDOM;
	return significandf(x);
}
EXPORT_AS(w_significandf, "significandf", LIBC);

/* musl's exp/exp2 report only |x| >= 1024 through the helpers; glibc's
 * also an overflow to infinity and an underflow to zero below that */
static double
w_exp(double x)
{
	return check_uflow(x, KEEP_ERRNO(exp(x)));
}
EXPORT_AS(w_exp, "exp", LIBC);
EXPORT_ALIAS(exp, __exp_finite, LIBC);

static float
w_expf(float x)
{
	return (float)check_uflow(x, (float)KEEP_ERRNO(expf(x)));
}
EXPORT_AS(w_expf, "expf", LIBC);
EXPORT_ALIAS(expf, __expf_finite, LIBC);

static double
w_exp2(double x)
{
	return check_uflow(x, KEEP_ERRNO(exp2(x)));
}
EXPORT_AS(w_exp2, "exp2", LIBC);
EXPORT_ALIAS(exp2, __exp2_finite, LIBC);

static float
w_exp2f(float x)
{
	return (float)check_uflow(x, (float)KEEP_ERRNO(exp2f(x)));
}
EXPORT_AS(w_exp2f, "exp2f", LIBC);
EXPORT_ALIAS(exp2f, __exp2f_finite, LIBC);

/* fmax/fmin as glibc's on x86-64: a signalling NaN wins (quietened), a
 * quiet one loses, and between equal values (0 and -0) the second
 * argument is returned */
static bool
snan(double x)
{
	return __isnan(x) && !(dbits(x) >> 51 & 1);
}

static bool
snanf(float x)
{
	return __isnanf(x) && !(fbits(x) >> 22 & 1);
}

static double
w_fmax(double x, double y)
{
	if (snan(x) || snan(y))
		return x + y;
	if (__isnan(x) || __isnan(y))
		return __isnan(x) ? y : x;
	return x > y ? x : y;
}
EXPORT_AS(w_fmax, "fmax", LIBC);

static double
w_fmin(double x, double y)
{
	if (snan(x) || snan(y))
		return x + y;
	if (__isnan(x) || __isnan(y))
		return __isnan(x) ? y : x;
	return x < y ? x : y;
}
EXPORT_AS(w_fmin, "fmin", LIBC);

static float
w_fmaxf(float x, float y)
{
	if (snanf(x) || snanf(y))
		return x + y;
	if (__isnanf(x) || __isnanf(y))
		return __isnanf(x) ? y : x;
	return x > y ? x : y;
}
EXPORT_AS(w_fmaxf, "fmaxf", LIBC);

static float
w_fminf(float x, float y)
{
	if (snanf(x) || snanf(y))
		return x + y;
	if (__isnanf(x) || __isnanf(y))
		return __isnanf(x) ? y : x;
	return x < y ? x : y;
}
EXPORT_AS(w_fminf, "fminf", LIBC);

/* fma(x, y, +-0) with x*y non-zero is x*y rounded once: the hardware
 * product.  musl's software fma loses the sign when that product
 * underflows to zero (fma(-tiny, tiny, 0) must be -0). */
static double
w_fma(double x, double y, double z)
{
	if (z == 0 && x != 0 && y != 0 && __finite(x) && __finite(y))
		return x * y;
	return fma(x, y, z);
}
EXPORT_AS(w_fma, "fma", LIBC);

static float
w_fmaf(float x, float y, float z)
{
	if (z == 0 && x != 0 && y != 0 && __finitef(x) && __finitef(y))
		return x * y;
	return fmaf(x, y, z);
}
EXPORT_AS(w_fmaf, "fmaf", LIBC);

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
