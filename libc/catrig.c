/* casin, cacos, catan and their hyperbolic forms, all three forms
 * (cforms.h), in binary128, rounded once.  casin and cacos by Hull,
 * Fairgrieve and Tang's algorithm ("Implementing the complex arcsine and
 * arccosine functions using exception handling", ACM TOMS 23(3), 1997:
 * A = (|z+1| + |z-1|)/2, the real part from B = x/A or, past B = 0.6417,
 * from an arctangent that does not cancel; the imaginary part as
 * log1p(A - 1 + sqrt((A - 1)(A + 1))) with A - 1 formed without
 * cancellation); catanh from (1/4) log1p(4x / ((1-x)^2 + y^2)) and
 * (1/2) atan2(2y, (1-x)(1+x) - y^2).  Far from the unit disc (|z| > 2^60)
 * and inside it (|z| < 2^-60) their asymptotic forms, exact to 2^-120.
 * casinh z = i casin(-iz), catan z = -i catanh(iz), cacosh from cacos by
 * the sign of Im z.  Special values by C99 Annex G (G.6.1.1, G.6.2.1-3). */
#include "cforms.h"
#include "quad_table.h"

typedef long double ld;

#define BIG	0x1p60Q
#define SMALL	0x1p-60Q
#define B_CROSS	0.6417Q

/* Hull et al.'s quantities for x, y >= 0, finite, max(x, y) in [2^-60,
 * 2^60]: the real part of asin (acos if want_acos) and the imaginary part
 * (unsigned) of casin */
static void
hull(q x, q y, bool want_acos, q *re, q *im)
{
	q r = q_hypot(x + 1, y), s = q_hypot(x - 1, y), a = (r + s) / 2, b = x / a, am1;
	q y2 = y * y, apx = a + x;

	if (b <= B_CROSS)
		*re = want_acos ? q_atan2(q_sqrt((1 - b) * (1 + b)), b) : q_atan2(b, q_sqrt((1 - b) * (1 + b)));
	else if (x <= 1) {
		q d = q_sqrt(apx / 2 * (y2 / (r + (x + 1)) + (s + (1 - x))));

		*re = want_acos ? q_atan2(d, x) : q_atan2(x, d);
	} else {
		q d = y * q_sqrt((apx / (r + (x + 1)) + apx / (s + (x - 1))) / 2);

		*re = want_acos ? q_atan2(d, x) : q_atan2(x, d);
	}
	if (x < 1 && y < SMALL * (1 - x)) {	/* y^2 would underflow below */
		*im = y / q_sqrt((1 - x) * (1 + x));
		return;
	}
	if (a <= 1.5Q) {
		if (x < 1)
			am1 = (y2 / (r + (x + 1)) + y2 / (s + (1 - x))) / 2;
		else
			am1 = (y2 / (r + (x + 1)) + (s + (x - 1))) / 2;
		*im = q_log1p(am1 + q_sqrt(am1 * (a + 1)));
	} else
		*im = q_log(a + q_sqrt((a - 1) * (a + 1)));
}

/* casin of finite x, y */
static struct qc
casin_fin(ld x, ld y)
{
	q ax = q_fabs(x), ay = q_fabs(y), re, im;

	if (ax > BIG || ay > BIG) {
		re = q_atan2(ax, ay);
		im = Q_LN2 + q_log(q_hypot(ax, ay));
	} else if (ax < SMALL && ay < SMALL) {
		re = ax;
		im = ay;
	} else
		hull(ax, ay, false, &re, &im);
	return qc(cs(re, x), cs(im, y));
}

/* casinh, Annex G G.6.2.2; casinh(x + iy) = i casin(y - ix) */
static struct qc
casinh_(ld x, ld y)
{
	if (fin(x) && fin(y)) {
		struct qc r = casin_fin(y, -x);

		return qc(-r.im, r.re);
	}
	if (isnan_(x)) {
		if (y == 0)
			return qc(qnan(), y);
		return qc(fin(y) || isnan_(y) ? qnan() : cs(qinf(), x), qnan());	/* NaN's sign, as glibc */
	}
	if (!fin(x)) {			/* +-inf */
		if (fin(y))
			return qc(x, cs(0, y));
		if (isnan_(y))
			return qc(x, qnan());
		return qc(x, cs(Q_PI_2 / 2, y));
	}
	/* x finite, y inf or NaN */
	if (isnan_(y))
		return qc(qnan(), qnan());
	return qc(cs(qinf(), x), cs(Q_PI_2, y));
}
CFORMS(casinh, casinh_)

/* casin z = -i casinh(iz) */
static struct qc
casin_(ld x, ld y)
{
	return qc_mul_minus_i(casinh_(-y, x));
}
CFORMS(casin, casin_)

/* cacos, Annex G G.6.1.1 */
static struct qc
cacos_(ld x, ld y)
{
	if (fin(x) && fin(y)) {
		q ax = q_fabs(x), ay = q_fabs(y), re, im;

		if (ax > BIG || ay > BIG) {
			re = q_atan2(ay, ax);
			im = Q_LN2 + q_log(q_hypot(ax, ay));
		} else if (ax < SMALL && ay < SMALL) {
			re = Q_PI_2 - ax;
			im = ay;
		} else
			hull(ax, ay, true, &re, &im);
		if (__builtin_signbit(x))
			re = Q_PI - re;
		return qc(re, cs(im, -(q)y));
	}
	if (isnan_(x)) {
		if (fin(y) || isnan_(y))
			return qc(qnan(), qnan());
		return qc(qnan(), cs(qinf(), -(q)y));
	}
	if (!fin(x)) {			/* +-inf */
		if (isnan_(y))
			return qc(qnan(), cs(qinf(), -(q)y));	/* the NaN's sign, as glibc */
		q re = fin(y) ? (x < 0 ? Q_PI : 0) : (x < 0 ? 3 * Q_PI_2 / 2 : Q_PI_2 / 2);

		return qc(re, cs(qinf(), -(q)y));
	}
	/* x finite, y inf or NaN */
	if (isnan_(y))
		return qc(x == 0 ? Q_PI_2 : qnan(), qnan());
	return qc(Q_PI_2, cs(qinf(), -(q)y));
}
CFORMS(cacos, cacos_)

/* cacosh(z) = +-i cacos(z), the sign making the real part non-negative */
static struct qc
cacosh_(ld x, ld y)
{
	struct qc r = cacos_(x, y);

	if (isnan_(x) || isnan_(y)) {
		/* Annex G G.6.2.1: +inf + iNaN for an infinite part, else NaN;
		 * glibc: NaN + i pi/2 for a zero x */
		if ((!fin(x) && !isnan_(x)) || (!fin(y) && !isnan_(y)))
			return qc(qinf(), qnan());
		return qc(qnan(), x == 0 ? Q_PI_2 : qnan());
	}
	if (__builtin_signbit(y))
		return qc(r.im, -r.re);
	return qc(-r.im, r.re);
}
CFORMS(cacosh, cacosh_)

/* catanh of finite x, y */
static struct qc
catanh_fin(ld x, ld y)
{
	q ax = q_fabs(x), ay = q_fabs(y), re, im;

	if (ax > BIG || ay > BIG) {
		q h = q_hypot(ax, ay);

		re = ax / h / h;
		im = Q_PI_2 - ay / h / h;
	} else if (ax < SMALL && ay < SMALL) {
		re = ax;
		im = ay;
	} else {
		q hm = q_hypot(1 - ax, ay);

		if (hm == 0) {		/* the pole at 1: divide-by-zero, ERANGE as glibc */
			errno = ERANGE;
			return qc(cs(1 / hm, x), y);
		} else if (hm < 0.5Q)
			re = (q_log(q_hypot(1 + ax, ay)) - q_log(hm)) / 2;
		else
			re = q_log1p(4 * ax / (hm * hm)) / 4;
		im = q_atan2(2 * ay, (1 - ax) * (1 + ax) - ay * ay) / 2;
	}
	return qc(cs(re, x), cs(im, y));
}

/* catanh, Annex G G.6.2.3 */
static struct qc
catanh_(ld x, ld y)
{
	if (fin(x) && fin(y))
		return catanh_fin(x, y);
	if (isnan_(x)) {
		if (!fin(y) && !isnan_(y))
			return qc(cs(0, x), cs(Q_PI_2, y));
		return qc(qnan(), qnan());
	}
	if (!fin(x)) {			/* +-inf */
		if (isnan_(y))
			return qc(cs(0, x), qnan());
		return qc(cs(0, x), cs(Q_PI_2, y));
	}
	/* x finite, y inf or NaN */
	if (isnan_(y))
		return qc(x == 0 ? (q)x : qnan(), qnan());
	return qc(cs(0, x), cs(Q_PI_2, y));
}
CFORMS(catanh, catanh_)

/* catan z = -i catanh(iz) */
static struct qc
catan_(ld x, ld y)
{
	return qc_mul_minus_i(catanh_(-y, x));
}
CFORMS(catan, catan_)

/* csqrtl (csqrt and csqrtf stay musl's, within glibc's accuracy): t =
 * sqrt((|x| + |z|) / 2) and y / 2t in binary128, the arguments scaled by
 * 1/4 where |x| + |z| would overflow; Annex G G.6.4.2 */
long double _Complex csqrtl(long double _Complex z);

long double _Complex
csqrtl(long double _Complex z)
{
	ld x = __real__ z, y = __imag__ z;
	long double _Complex w;
	q re, im;

	if (!fin(y) && !isnan_(y)) {
		re = qinf();
		im = y;
	} else if (isnan_(x)) {
		re = qnan();
		im = qnan();
	} else if (!fin(x)) {
		if (isnan_(y)) {
			re = x > 0 ? (q)x : qnan();
			im = x > 0 ? qnan() : qinf();
		} else if (x > 0) {
			re = x;
			im = cs(0, y);
		} else {
			re = 0;
			im = cs(qinf(), y);
		}
	} else if (isnan_(y)) {
		re = qnan();
		im = qnan();
	} else if (x == 0 && y == 0) {
		re = 0;
		im = y;
	} else {
		q ax = q_fabs(x), ay = q_fabs(y), t;
		int scale = 0;

		if (ax > 0x1p16000Q || ay > 0x1p16000Q) {
			ax /= 4;
			ay /= 4;
			scale = 1;
		}
		t = q_sqrt((ax + q_hypot(ax, ay)) / 2);
		if (x >= 0) {
			re = t;
			im = ay / (2 * t);
		} else {
			re = ay / (2 * t);
			im = t;
		}
		re = q_scalbn(re, scale);
		im = cs(q_scalbn(im, scale), y);
	}
	__real__ w = (ld)re;
	__imag__ w = (ld)im;
	return w;
}
EXPORT(csqrtl, LIBC);
