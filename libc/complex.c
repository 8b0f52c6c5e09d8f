/* <complex.h> for blobs, as far as it meets glibc, in the x86-64 ABI's
 * forms (double complex in two SSE registers, float complex packed in one,
 * long double complex on the x87 stack).  tests/libc/test_complex.c
 * compares every form with glibc's, against libquadmath's __complex128
 * functions, per real and imaginary part.
 *
 * From musl (libm-musl.members): cabs, carg, creal, cimag, conj, cproj in
 * all three forms, csqrt and csqrtf.  Written here after glibc's
 * algorithms (below): cexp, clog, cpow in all three forms.  Not exported,
 * refused at load naming the symbol, because musl's fall short and
 * nothing better is written yet: csqrtl and musl's other long double
 * complex functions (computed in double precision: 10^12 ulps and more),
 * csin/ccos/csinh/ccosh/ctan/ctanh (signs of zeros next to NaN differ
 * from glibc's), and the inverse functions casin, cacos, catan and their
 * hyperbolic forms (musl's are the textbook formulas: wrong signed zeros,
 * cancellation, no ERANGE at the poles). */
#include "libc.h"

#define RE(fn) \
	double fn(double _Complex); \
	float fn##f(float _Complex); \
	long double fn##l(long double _Complex); \
	EXPORT(fn, LIBC); EXPORT(fn##f, LIBC); EXPORT(fn##l, LIBC);
#define CX(fn) \
	double _Complex fn(double _Complex); \
	float _Complex fn##f(float _Complex); \
	long double _Complex fn##l(long double _Complex); \
	EXPORT(fn, LIBC); EXPORT(fn##f, LIBC); EXPORT(fn##l, LIBC);

RE(cabs) RE(carg) RE(creal) RE(cimag)
CX(conj) CX(cproj)

double _Complex csqrt(double _Complex);
float _Complex csqrtf(float _Complex);
EXPORT(csqrt, LIBC);
EXPORT(csqrtf, LIBC);

/* --- cexp: glibc's algorithm and special values, written here ---------
 * exp(x) (cos y + i sin y); a real part above the overflow threshold t
 * is taken down by t up to twice, the factor e^t moved into the sine and
 * cosine, so exp(1000) cos(y) is finite where it should be; the C99
 * Annex G cases as glibc answers them (NaN + iNaN for a non-finite y,
 * signs from the sine and cosine for an infinite x).  errno: what glibc's
 * exp and expf set (ERANGE when they overflow or underflow to zero);
 * glibc's x87 expl sets none, so cexpl sets none. */
int feraiseexcept(int);
#define FE_INVALID_	1
double exp(double);
float expf(float);
long double expl(long double);
void sincos(double, double *, double *);
void sincosf(float, float *, float *);
void sincosl(long double, long double *, long double *);

static double
exp_errno(double x)
{
	double r = exp(x);

	if ((r == 0 && x != 0) || (__builtin_isinf(r) && !__builtin_isinf(x)))
		errno = ERANGE;
	return r;
}

static float
expf_errno(float x)
{
	float r = expf(x);

	if ((r == 0 && x != 0) || (__builtin_isinf(r) && !__builtin_isinf(x)))
		errno = ERANGE;
	return r;
}

#define CEXP(NAME, T, EXP, SINCOS, MAXV, MINV, THRESH, SFX) \
T _Complex \
NAME(T _Complex z) \
{ \
	T x = __real__ z, y = __imag__ z, re, im; \
	T _Complex r; \
	bool xfin = __builtin_isfinite(x), yfin = __builtin_isfinite(y); \
	\
	if (xfin && yfin) { \
		T s, c; \
		\
		if (__builtin_fabs##SFX(y) > MINV) \
			SINCOS(y, &s, &c); \
		else { \
			s = y; \
			c = 1; \
		} \
		if (x > THRESH) { \
			T et = EXP(THRESH); \
			\
			x -= THRESH; \
			s *= et; \
			c *= et; \
			if (x > THRESH) { \
				x -= THRESH; \
				s *= et; \
				c *= et; \
			} \
		} \
		if (x > THRESH) { \
			re = MAXV * c; \
			im = MAXV * s; \
		} else { \
			T e = EXP(x); \
			\
			re = e * c; \
			im = e * s; \
		} \
	} else if (xfin) {		/* y infinite or NaN */ \
		re = __builtin_nan##SFX(""); \
		im = __builtin_nan##SFX(""); \
		feraiseexcept(FE_INVALID_); \
	} else if (__builtin_isinf(x)) { \
		if (yfin) { \
			T v = __builtin_signbit(x) ? 0 : __builtin_inf##SFX(); \
			\
			if (y == 0) { \
				re = v; \
				im = y; \
			} else { \
				T s, c; \
				\
				if (__builtin_fabs##SFX(y) > MINV) \
					SINCOS(y, &s, &c); \
				else { \
					s = y; \
					c = 1; \
				} \
				re = __builtin_copysign##SFX(v, c); \
				im = __builtin_copysign##SFX(v, s); \
			} \
		} else if (!__builtin_signbit(x)) { \
			volatile T vy = y; \
			\
			re = __builtin_inf##SFX(); \
			im = vy - vy; \
		} else { \
			re = 0; \
			im = __builtin_copysign##SFX(0, y); \
		} \
	} else {			/* x NaN */ \
		re = __builtin_nan##SFX(""); \
		if (y == 0) \
			im = y; \
		else { \
			im = __builtin_nan##SFX(""); \
			if (!__builtin_isnan(y)) \
				feraiseexcept(FE_INVALID_); \
		} \
	} \
	__real__ r = re; \
	__imag__ r = im; \
	return r; \
} \
EXPORT(NAME, LIBC);

double _Complex cexp(double _Complex z);
float _Complex cexpf(float _Complex z);
long double _Complex cexpl(long double _Complex z);
CEXP(cexp, double, exp_errno, sincos, 0x1.fffffffffffffp+1023, 0x1p-1022, 709, )
CEXP(cexpf, float, expf_errno, sincosf, 0x1.fffffep+127f, 0x1p-126f, 88, f)
CEXP(cexpl, long double, expl, sincosl, 0xf.fffffffffffffffp+16380L, 0x1p-16382L, 11355, l)

/* --- clog: glibc's algorithm, written here -------------------------------
 * re = log|z| computed so that it does not cancel next to |z| = 1: as
 * log1p(x^2 + y^2 - 1) / 2 there, with x^2 + y^2 - 1 exact before its one
 * rounding (fma products, then an exact expansion sum); hypot and log
 * elsewhere, scaled away from overflow and from the subnormals.
 * im = atan2(y, x).  No errno (glibc's calls the unwrapped functions). */
double log1p(double);
float log1pf(float);
long double log1pl(long double);
double log(double);
float logf(float);
long double logl(long double);
double hypot(double, double);
float hypotf(float, float);
long double hypotl(long double, long double);
long double atan2l(long double, long double);
double atan2(double, double);
double scalbn(double, int);
float scalbnf(float, int);
long double scalbnl(long double, int);
double fma(double, double, double);
long double fmal(long double, long double, long double);

#define TWO_SUM(T, a, b, s, e) do { \
	T s_ = (a) + (b), bb_ = s_ - (a); \
	(e) = ((a) - (s_ - bb_)) + ((b) - bb_); \
	(s) = s_; \
} while (0)

/* x^2 + y^2 - 1 rounded once: the five exact terms summed as a
 * non-overlapping expansion (Shewchuk's grow-expansion) */
#define X2Y2M1(NAME, T, FMA) \
static T \
NAME(T x, T y) \
{ \
	T v[5], e[8], r = 0; \
	int m = 0; \
	\
	v[0] = -1; \
	v[1] = x * x; \
	v[2] = FMA(x, x, -v[1]); \
	v[3] = y * y; \
	v[4] = FMA(y, y, -v[3]); \
	for (int i = 0; i < 5; i++) { \
		T q = v[i]; \
		int k = 0; \
		\
		for (int j = 0; j < m; j++) { \
			T s, err; \
			\
			TWO_SUM(T, q, e[j], s, err); \
			if (err != 0) \
				e[k++] = err; \
			q = s; \
		} \
		e[k++] = q; \
		m = k; \
	} \
	for (int j = 0; j < m; j++) \
		r += e[j]; \
	return r; \
}
X2Y2M1(x2y2m1, double, fma)
X2Y2M1(x2y2m1l, long double, fmal)

/* float: the squares and the sum are exact enough in double */
static float
x2y2m1f(float x, float y)
{
	return (float)x2y2m1(x, y);
}

static double
atan2_d(double y, double x)
{
	return (double)atan2l(y, x);	/* x87 fpatan: 0.5 ulp, as math.c's */
}

static float
atan2_f(float y, float x)
{
	return (float)atan2l(y, x);
}

#define CLOG(NAME, T, SFX, LOG1P, LOG, HYPOT, ATAN2, SCALBN, X2Y2M1F, MAXV, MINV, EPS, MANT, LN2, PI) \
T _Complex \
NAME(T _Complex z) \
{ \
	T x = __real__ z, y = __imag__ z, re, im; \
	T _Complex r; \
	\
	if (x == 0 && y == 0) { \
		volatile T ax = __builtin_fabs##SFX(x); \
		\
		im = __builtin_copysign##SFX(__builtin_signbit(x) ? PI : 0, y); \
		re = -1 / ax;		/* -inf, raising divide-by-zero as glibc */ \
	} else if (!__builtin_isnan(x) && !__builtin_isnan(y)) { \
		T ax = __builtin_fabs##SFX(x), ay = __builtin_fabs##SFX(y); \
		int scale = 0; \
		\
		if (ax < ay) { \
			T t = ax; \
			\
			ax = ay; \
			ay = t; \
		} \
		if (ax > MAXV / 2) { \
			scale = -1; \
			ax = SCALBN(ax, scale); \
			ay = ay >= MINV * 2 ? SCALBN(ay, scale) : 0; \
		} else if (ax < MINV && ay < MINV) { \
			scale = MANT; \
			ax = SCALBN(ax, scale); \
			ay = SCALBN(ay, scale); \
		} \
		if (ax == 1 && scale == 0) { \
			re = LOG1P(ay * ay) / 2; \
		} else if (ax > 1 && ax < 2 && ay < 1 && scale == 0) { \
			T d = (ax - 1) * (ax + 1); \
			\
			if (ay >= EPS) \
				d += ay * ay; \
			re = LOG1P(d) / 2; \
		} else if (ax < 1 && ax >= (T)0.5 && ay < EPS / 2 && scale == 0) { \
			re = LOG1P((ax - 1) * (ax + 1)) / 2; \
		} else if (ax < 1 && ax >= (T)0.5 && scale == 0 && ax * ax + ay * ay >= (T)0.5) { \
			re = LOG1P(X2Y2M1F(ax, ay)) / 2; \
		} else { \
			re = LOG(HYPOT(ax, ay)) - scale * LN2; \
		} \
		im = ATAN2(y, x); \
	} else { \
		im = __builtin_nan##SFX(""); \
		re = __builtin_isinf(x) || __builtin_isinf(y) ? __builtin_inf##SFX() : __builtin_nan##SFX(""); \
	} \
	__real__ r = re; \
	__imag__ r = im; \
	return r; \
} \
EXPORT(NAME, LIBC);

double _Complex clog(double _Complex z);
float _Complex clogf(float _Complex z);
long double _Complex clogl(long double _Complex z);
CLOG(clog, double, , log1p, log, hypot, atan2_d, scalbn, x2y2m1, 0x1.fffffffffffffp+1023,
     0x1p-1022, 0x1p-52, 53, 0x1.62e42fefa39efp-1, 0x1.921fb54442d18p+1)
CLOG(clogf, float, f, log1pf, logf, hypotf, atan2_f, scalbnf, x2y2m1f, 0x1.fffffep+127f,
     0x1p-126f, 0x1p-23f, 24, 0x1.62e43p-1f, 0x1.921fb6p+1f)
CLOG(clogl, long double, l, log1pl, logl, hypotl, atan2l, scalbnl, x2y2m1l,
     0xf.fffffffffffffffp+16380L, 0x1p-16382L, 0x1p-63L, 64, 0xb.17217f7d1cf79acp-4L,
     0xc.90fdaa22168c235p-2L)

/* cpow(z, w) = cexp(w clog z), as glibc's */
double _Complex cpow(double _Complex z, double _Complex w);
float _Complex cpowf(float _Complex z, float _Complex w);
long double _Complex cpowl(long double _Complex z, long double _Complex w);

double _Complex
cpow(double _Complex z, double _Complex w)
{
	return cexp(w * clog(z));
}
EXPORT(cpow, LIBC);

float _Complex
cpowf(float _Complex z, float _Complex w)
{
	return cexpf(w * clogf(z));
}
EXPORT(cpowf, LIBC);

long double _Complex
cpowl(long double _Complex z, long double _Complex w)
{
	return cexpl(w * clogl(z));
}
EXPORT(cpowl, LIBC);
