/* csinh, ccosh, ctanh and through them csin, ccos, ctan (csin z = -i
 * csinh(iz), ccos z = ccosh(iz), ctan z = -i ctanh(iz)), all three forms
 * (cforms.h): the parts in binary128 from quad.c's sinh/cosh and sin/cos,
 * rounded once; special values by C99 Annex G (G.6.2.4-6) with glibc's
 * choices where it leaves a sign open. */
#include "cforms.h"

typedef long double ld;

/* invalid, raised as glibc raises it where Annex G asks */
static q
invalid(void)
{
	volatile ld z = 0;

	return (q)((z - z) / (z - z));
}

/* what csinh and ccosh answer alike: x finite and non-zero with y
 * infinite or NaN, and x NaN */
static bool
nan_cases(ld x, ld y, struct qc *r)
{
	if (fin(x) && x != 0 && !fin(y)) {
		if (!isnan_(y))
			invalid();
		*r = qc(qnan(), qnan());
		return true;
	}
	if (isnan_(x)) {
		*r = y == 0 ? qc(qnan(), y) : qc(qnan(), qnan());
		return true;
	}
	return false;
}

static struct qc
csinh_(ld x, ld y)
{
	struct qc r;
	q s, c, sh, ch;
	int k;

	if (fin(x) && fin(y)) {
		if (y == 0) {
			k = q_sinhcosh(x, &sh, &ch);
			return qc(q_scalbn(sh, k), y);
		}
		q_sincos(y, &s, &c);
		k = q_sinhcosh(x, &sh, &ch);
		return qc(q_scalbn(sh * c, k), q_scalbn(ch * s, k));
	}
	if (nan_cases(x, y, &r))
		return r;
	if (x == 0)			/* y inf or NaN */
		return qc(x, isnan_(y) ? qnan() : invalid());
	/* x infinite */
	if (y == 0)
		return qc(x, y);
	if (fin(y)) {
		q_sincos(y, &s, &c);
		return qc(cs(qinf(), x) * c, qinf() * s);
	}
	return qc(qinf(), isnan_(y) ? qnan() : invalid());	/* glibc: +inf either way */
}
CFORMS(csinh, csinh_)

static struct qc
csin_(ld x, ld y)
{
	struct qc r = qc_mul_minus_i(csinh_(-y, x));

	if (!fin(x) && !fin(y) && !isnan_(y))
		r.im = qinf();		/* glibc's csin: +inf for an infinite y, either sign */
	return r;
}
CFORMS(csin, csin_)

static struct qc
ccosh_(ld x, ld y)
{
	q s, c, sh, ch;
	struct qc r;
	int k;

	if (fin(x) && fin(y)) {
		if (y == 0) {
			k = q_sinhcosh(x, &sh, &ch);
			return qc(q_scalbn(ch, k), cs(0, x) * cs(1, y));
		}
		q_sincos(y, &s, &c);
		k = q_sinhcosh(x, &sh, &ch);
		return qc(q_scalbn(ch * c, k), q_scalbn(sh * s, k));
	}
	if (nan_cases(x, y, &r))
		return r;
	if (x == 0)			/* y inf or NaN */
		return qc(isnan_(y) ? qnan() : invalid(), 0);
	/* x infinite */
	if (y == 0)
		return qc(qinf(), cs(0, x) * cs(1, y));
	if (fin(y)) {
		q_sincos(y, &s, &c);
		return qc(qinf() * c, cs(qinf(), x) * s);
	}
	return qc(qinf(), isnan_(y) ? qnan() : invalid());
}
CFORMS(ccosh, ccosh_)

static struct qc
ccos_(ld x, ld y)
{
	return ccosh_(-y, x);
}
CFORMS(ccos, ccos_)

/* tanh(x + iy) = (beta rho s + i t) / (1 + beta s^2), t = tan y, s =
 * sinh x, rho = cosh x, beta = 1 + t^2 (Kahan); beyond |x| = 40, where
 * tanh x is +-1 to 2^-115: 1 + i 4 sin y cos y e^(-2|x|) */
static struct qc
ctanh_(ld x, ld y)
{
	q s, c, sh, ch;

	if (fin(x) && fin(y)) {
		if (y == 0) {
			if (q_fabs(x) > 40)
				return qc(cs(1, x), y);
			q_sinhcosh(x, &sh, &ch);
			return qc(sh / ch, y);
		}
		q_sincos(y, &s, &c);
		if (q_fabs(x) > 40) {
			q e;
			int k;

			if (q_fabs(x) > 20000)
				return qc(cs(1, x), q_scalbn(4 * s * c, -40000));
			e = q_exp(-2 * (q)q_fabs(x), &k);
			return qc(cs(1, x), q_scalbn(4 * s * c * e, k));
		}
		q_sinhcosh(x, &sh, &ch);
		q t = s / c, beta = 1 + t * t, den = 1 + beta * sh * sh;

		return qc(beta * ch * sh / den, t / den);
	}
	if (isnan_(x)) {
		if (y == 0)
			return qc(qnan(), y);
		return qc(qnan(), qnan());
	}
	if (!fin(x)) {			/* +-inf */
		if (fin(y)) {
			q_sincos(y, &s, &c);
			return qc(cs(1, x), cs(0, s * c));
		}
		return qc(cs(1, x), cs(0, y));
	}
	/* x finite, y inf or NaN */
	if (x == 0)
		return qc(x, isnan_(y) ? qnan() : invalid());
	if (!isnan_(y))
		invalid();
	return qc(qnan(), qnan());
}
CFORMS(ctanh, ctanh_)

static struct qc
ctan_(ld x, ld y)
{
	return qc_mul_minus_i(ctanh_(-y, x));
}
CFORMS(ctan, ctan_)
