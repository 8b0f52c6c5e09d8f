/* <complex.h> for blobs, as far as it meets glibc, in the x86-64 ABI's
 * forms (double complex in two SSE registers, float complex packed in one,
 * long double complex on the x87 stack).  tests/libc/test_complex.c
 * compares every form with glibc's, against libquadmath's __complex128
 * functions, per real and imaginary part.
 *
 * From musl (libm-musl.members): cabs, carg, creal, cimag, conj, cproj in
 * all three forms, csqrt and csqrtf.  Written here after glibc's
 * algorithms (below), in long double: cexpl, clogl, cpowl; the double and
 * float forms are those rounded once.  The trigonometric and hyperbolic
 * functions and their inverses are ctrig.c's and catrig.c's (binary128,
 * rounded once), as is csqrtl: musl's long double complex functions
 * compute in double precision (10^12 ulps and more) and are not used. */
#include "libc.h"
#include "quad.h"

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

/* --- cexp: exp(x) (cos y + i sin y) in binary128 (quad.c: e^x as m 2^k,
 * so exp(11400) cos(y) is finite where it should be and e^-11400 sin(y)
 * reaches the subnormals in one rounding), rounded once; the C99 Annex G
 * cases as glibc answers them (NaN + iNaN for a non-finite y, signs from
 * the sine and cosine for an infinite x).  glibc's x87 expl sets no
 * errno, so cexpl sets none. */
static void
cexp_finite(long double x, long double y, long double *re, long double *im)
{
	q s, c, m = 1;
	int k;

	q_sincos(y, &s, &c);
	if (x > 12000)
		k = 20000;		/* overflows when scaled, with c's and s's signs */
	else if (x < -12000)
		k = -20000;		/* underflows to signed zeros */
	else
		m = q_exp(x, &k);
	*re = (long double)q_scalbn(m * c, k);
	*im = (long double)q_scalbn(m * s, k);
}

int feraiseexcept(int);
#define FE_INVALID_	1
double exp(double);
float expf(float);
long double expl(long double);
void sincosl(long double, long double *, long double *);

#define CEXP(NAME, T, SINCOS, MINV, SFX) \
T _Complex \
NAME(T _Complex z) \
{ \
	T x = __real__ z, y = __imag__ z, re, im; \
	T _Complex r; \
	bool xfin = __builtin_isfinite(x), yfin = __builtin_isfinite(y); \
	\
	if (xfin && yfin) { \
		cexp_finite(x, y, &re, &im); \
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
CEXP(cexpl, long double, sincosl, 0x1p-16382L, l)

/* The double and float forms: the long double one, rounded once (11 more
 * bits: within 0.5 ulp plus a trace, where musl's exp and sincos in
 * double would add up to 2), with the errno glibc's exp and expf give
 * them: ERANGE when e^x underflows to zero (glibc's range reduction keeps
 * its exp from ever overflowing here).  EXP is exp or expf, LIMIT where
 * it may start to underflow. */
#define CEXP_UNDERFLOW(EXP, LIMIT, x, y) do { \
	if ((x) < (LIMIT) && __builtin_isfinite(x) && __builtin_isfinite(y) && EXP(x) == 0) \
		errno = ERANGE; \
} while (0)

/* The double or float form NAME of F, in type T, through F's long double
 * form rounded once (more accurate than glibc's, which work in their own
 * precision); PRE runs first */
#define VIA_LONG_DOUBLE(NAME, F, T, PRE) \
T _Complex \
NAME(T _Complex z) \
{ \
	PRE; \
	return (T _Complex)F##l(z); \
} \
EXPORT(NAME, LIBC);

VIA_LONG_DOUBLE(cexp, cexp, double, CEXP_UNDERFLOW(exp, -700, __real__ z, __imag__ z))
VIA_LONG_DOUBLE(cexpf, cexp, float, CEXP_UNDERFLOW(expf, -80, __real__ z, __imag__ z))

/* --- clog: glibc's algorithm, written here (long double; the double and
 * float forms round its result) ------------------------------------------
 * re = log|z| computed so that it does not cancel next to |z| = 1: as
 * log1p(x^2 + y^2 - 1) / 2 there, with x^2 + y^2 - 1 exact before its one
 * rounding (fma products, then an exact expansion sum); hypot and log
 * elsewhere, scaled away from overflow and from the subnormals.
 * im = atan2(y, x).  No errno (glibc's calls the unwrapped functions). */
long double log1pl(long double);
long double logl(long double);
long double hypotl(long double, long double);
long double atan2l(long double, long double);
long double scalbnl(long double, int);
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
		T qv = v[i]; \
		int k = 0; \
		\
		for (int j = 0; j < m; j++) { \
			T s, err; \
			\
			TWO_SUM(T, qv, e[j], s, err); \
			if (err != 0) \
				e[k++] = err; \
			qv = s; \
		} \
		e[k++] = qv; \
		m = k; \
	} \
	for (int j = 0; j < m; j++) \
		r += e[j]; \
	return r; \
}
X2Y2M1(x2y2m1l, long double, fmal)

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
CLOG(clogl, long double, l, log1pl, logl, hypotl, atan2l, scalbnl, x2y2m1l,
     0xf.fffffffffffffffp+16380L, 0x1p-16382L, 0x1p-63L, 64, 0xb.17217f7d1cf79acp-4L,
     0xc.90fdaa22168c235p-2L)

VIA_LONG_DOUBLE(clog, clog, double, (void)0)
VIA_LONG_DOUBLE(clogf, clog, float, (void)0)

/* cpow(z, w) = cexp(w clog z), as glibc's; the double and float forms
 * keep w clog z in long double (its rounding is what the exponential
 * amplifies), with the errno glibc's exp would give (ERANGE when the
 * result underflows to zero). */
double _Complex cpow(double _Complex z, double _Complex w);
float _Complex cpowf(float _Complex z, float _Complex w);
long double _Complex cpowl(long double _Complex z, long double _Complex w);

#define CPOW(NAME, T, EXP, LIMIT) \
T _Complex \
NAME(T _Complex z, T _Complex w) \
{ \
	long double _Complex t = (long double _Complex)w * clogl(z); \
	\
	CEXP_UNDERFLOW(EXP, LIMIT, (T)__real__ t, __imag__ t); \
	return (T _Complex)cexpl(t); \
} \
EXPORT(NAME, LIBC);
CPOW(cpow, double, exp, -700)
CPOW(cpowf, float, expf, -80)

long double _Complex
cpowl(long double _Complex z, long double _Complex w)
{
	return cexpl(w * clogl(z));
}
EXPORT(cpowl, LIBC);
