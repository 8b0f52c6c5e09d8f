/* libm's long double functions for blobs (x86-64's x87 80-bit format):
 * musl's (libm-musl.members), with glibc's names and glibc's errno by the
 * same rules as math.c's double wrappers, and glibc's special cases where
 * tests/libc/test_mathl.c found musl apart from glibc.
 *
 * powl, lgammal/lgammal_r/gammal and tgammal are not musl's (up to 363
 * ulps off): powl.c and gammal.c compute them in binary128.  The x87 unit
 * these run on is the blob's own FPU state: saved with the rest of it by the
 * hosted kernel and by XSAVE on bare metal (platform/pc/xsave.c). */
#include "libc.h"
#include "libm.h"

typedef long double ld;

#define L1(fn)	ld fn##l(ld);
#define L2(fn)	ld fn##l(ld, ld);
L1(acos) L1(asin) L1(atan) L1(cos) L1(sin) L1(tan) L1(acosh) L1(asinh) L1(atanh) L1(cosh)
L1(sinh) L1(tanh) L1(exp) L1(exp2) L1(exp10) L1(expm1) L1(log) L1(log10) L1(log1p) L1(log2)
L1(logb) L1(cbrt) L1(fabs) L1(sqrt) L1(erf) L1(erfc) L1(lgamma) L1(ceil) L1(floor)
L1(nearbyint) L1(rint) L1(round) L1(trunc)
L2(atan2) L2(hypot) L2(pow) L2(fmod) L2(remainder) L2(copysign) L2(nextafter) L2(fdim) L2(fmax)
L2(fmin)
ld fmal(ld, ld, ld);
ld ldexpl(ld, int);
ld scalbnl(ld, int);
ld scalblnl(ld, long);
ld frexpl(ld, int *);
ld modfl(ld, ld *);
ld remquol(ld, ld, int *);
ld nanl(const char *);
ld nexttowardl(ld, ld);
int ilogbl(ld);
long lrintl(ld);
long lroundl(ld);
long long llrintl(ld);
long long llroundl(ld);
void sincosl(ld, ld *, ld *);

/* --- glibc's wrapper rule (libm.h's type-generic form) ---------------- */
#define nan_l(x)	libm_nan_l(x)
#define finite_l(x)	libm_finite_l(x)

/* glibc's old-style long double wrappers (__kernel_standard_l) answer a
 * domain error with +NaN where the x87 makes -NaN; its atanhl with -NaN
 * where musl's makes +NaN.  The sign shows in printf. */
static inline ld
domain_nan(ld x, ld r, bool negative)
{
	if (nan_l(r) && !nan_l(x)) {
		errno = EDOM;
		return negative ? -__builtin_nanl("") : __builtin_nanl("");
	}
	return LIBM_RULE1(x, r);
}

#define WRAPL1(fn)	LIBM_WRAP1(fn##l, ld, LIBM_RULE1)
#define WRAPL2(fn)	LIBM_WRAP2(fn##l, ld)
#define UFLOWL(fn)	LIBM_WRAP1(fn##l, ld, LIBM_UFLOW)
#define FINITEL(fn)	LIBM_FINITE_ALIAS(fn##l)

#define POSNANL(fn) \
	static ld w_##fn##l(ld x) { return domain_nan(x, fn##l(x), false); } \
	EXPORT_AS(w_##fn##l, #fn "l", LIBC);
WRAPL1(acos) WRAPL1(atan) WRAPL1(cos) WRAPL1(sin) WRAPL1(tan)
WRAPL1(asinh) WRAPL1(cosh) WRAPL1(tanh) WRAPL1(log1p)
POSNANL(asin) POSNANL(log) POSNANL(log2) POSNANL(log10)

static ld
w_atanhl(ld x)
{
	return domain_nan(x, atanhl(x), true);
}
EXPORT_AS(w_atanhl, "atanhl", LIBC);
WRAPL1(cbrt) WRAPL1(sqrt) WRAPL1(erf)
WRAPL2(hypot) WRAPL2(fmod) WRAPL2(remainder) WRAPL2(fdim)
UFLOWL(exp) UFLOWL(exp2) UFLOWL(erfc)
FINITEL(acos) FINITEL(asin) FINITEL(atanh) FINITEL(cosh) FINITEL(sinh) FINITEL(log10)
FINITEL(sqrt) FINITEL(atan2) FINITEL(hypot) FINITEL(fmod) FINITEL(remainder) FINITEL(log)
FINITEL(log2) FINITEL(exp) FINITEL(exp2)
EXPORT_ALIAS(w_remainderl, dreml, LIBC);

#define PLAINL(fn)	EXPORT(fn##l, LIBC);
PLAINL(logb) PLAINL(fabs) PLAINL(ceil) PLAINL(floor) PLAINL(nearbyint) PLAINL(rint)
PLAINL(round) PLAINL(trunc) PLAINL(copysign) PLAINL(frexp) PLAINL(modf)
PLAINL(lrint) PLAINL(lround) PLAINL(llrint) PLAINL(llround) PLAINL(nan)
PLAINL(remquo)	/* glibc's remquol sets no errno, unlike its remainderl */

/* an overflow or an underflow to zero: ERANGE (glibc's ldexpl, scalbnl) */
static ld
check_scalel(ld x, ld r)
{
	if (finite_l(x) && x != 0 && (!finite_l(r) || r == 0))
		errno = ERANGE;
	return r;
}

static ld
w_ldexpl(ld x, int n)
{
	return check_scalel(x, ldexpl(x, n));
}
EXPORT_AS(w_ldexpl, "ldexpl", LIBC);

static ld
w_scalbnl(ld x, int n)
{
	return check_scalel(x, scalbnl(x, n));
}
EXPORT_AS(w_scalbnl, "scalbnl", LIBC);

static ld
w_scalblnl(ld x, long n)
{
	return check_scalel(x, scalblnl(x, n));
}
EXPORT_AS(w_scalblnl, "scalblnl", LIBC);

/* expm1l: musl's x87 code loses up to 64 ulps for x >= 1, where
 * e^x - 1 cancels at most a bit and a half: exp, then subtract. */
static ld
expm1_l(ld x)
{
	if (x >= 1 && x < 11356)
		return expl(x) - 1;
	return expm1l(x);
}

static ld
w_expm1l(ld x)
{
	return LIBM_RULE1(x, expm1_l(x));
}
EXPORT_AS(w_expm1l, "expm1l", LIBC);
EXPORT_ALIAS(expm1l, __expm1l_finite, LIBC);

/* sinhl from that expm1: (t + t / (t + 1)) / 2, t = e^|x| - 1; musl's
 * own goes through its expm1l.  Near overflow musl's scaled form. */
static ld
w_sinhl(ld x)
{
	ld a = fabsl(x), t, h = x < 0 ? -0.5L : 0.5L;

	if (!(a < 11355) || a < 0x1p-33L)	/* NaN, inf, huge, or sinh(x) == x */
		return LIBM_RULE1(x, sinhl(x));
	t = expm1_l(a);
	return h * (t + t / (t + 1));
}
EXPORT_AS(w_sinhl, "sinhl", LIBC);

LIBM_W_ATAN2(l, ld)


/* 10^x = 2^n 2^f: t = x log2(10) with log2(10) in two parts and the
 * product's rounding error from fmal, n = rint(t), f the small rest
 * (exact to 2^-64 of it); musl's exp10l is off by 3.5 ulps. */
static ld
exp10_l(ld x)
{
	static const ld l2hi = 0xd.49a784bcd1b8afep-2L, l2lo = 0x9.257edfe9b6p-67L;
	ld t, err, n;

	if (!(fabsl(x) < 4940))		/* NaN, inf, certain over/underflow */
		return exp10l(x);
	t = x * l2hi;
	err = fmal(x, l2hi, -t) + x * l2lo;
	n = rintl(t);
	return scalbnl(exp2l((t - n) + err), (int)n);
}

static ld
w_exp10l(ld x)
{
	return LIBM_UFLOW(x, exp10_l(x));
}
EXPORT_AS(w_exp10l, "exp10l", LIBC);
EXPORT_ALIAS(w_exp10l, __exp10l_finite, LIBC);
EXPORT_ALIAS(w_exp10l, pow10l, LIBC);

/* musl's acoshl answers for x < 1 as for |x| */
static ld
w_acoshl(ld x)
{
	volatile ld v = x;

	if (x < 1)
		return LIBM_RULE1(x, (v - v) / (v - v));
	return LIBM_RULE1(x, acoshl(x));
}
EXPORT_AS(w_acoshl, "acoshl", LIBC);
EXPORT_ALIAS(acoshl, __acoshl_finite, LIBC);

/* as the double ones (libm.h) */
LIBM_W_SINCOS(l, ld)
LIBM_W_NEXTAFTER(l, ld)
EXPORT_ALIAS(w_nextafterl, nexttowardl, LIBC);
LIBM_W_ILOGB(l, ld)

/* glibc's GNU significandl: x scaled into [1, 2) (musl has none); no
 * errno for 0, infinities and NaN, unlike glibc's double one */
static ld
w_significandl(ld x)
{
	if (x == 0 || !finite_l(x))
		return x + x;
	return scalbnl(x, -ilogbl(x));
}
EXPORT_AS(w_significandl, "significandl", LIBC);

/* fmaxl as fmax (libm.h); fminl keeps the first of equal values (0 and
 * -0), where fmin returns the second */
LIBM_W_FMAX(l, ld)

static ld
w_fminl(ld x, ld y)
{
	if (LIBM_SNAN(x) || LIBM_SNAN(y))
		return x + y;
	if (nan_l(x) || nan_l(y))
		return nan_l(x) ? y : x;
	return y < x ? y : x;	/* glibc's fminl keeps the first of equals */
}
EXPORT_AS(w_fminl, "fminl", LIBC);

LIBM_W_FMA(l, ld)
