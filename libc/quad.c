/* binary128 kernels for libm (see quad.h).  Written here from textbook
 * reductions and series, each summed until the next term is below 2^-116
 * of the sum; the constants come from libc/quad_table.py (mpmath). */
#include "quad.h"
#include "quad_table.h"

long double sqrtl(long double);
long double truncl(long double);
int __rem_pio2l(long double x, long double *y);

union qbits {
	q v;
	struct { u64 lo, hi; } b;
};

#define Q_EPS	0x1p-116Q

/* 2^k for -16494 <= k <= 16383 (binary128's subnormals included) */
static q
pow2(int k)
{
	union qbits u = { .b = { 0, 0 } };

	if (k >= -16382)
		u.b.hi = (u64)(k + 16383) << 48;
	else if (k + 16494 >= 64)
		u.b.hi = 1ULL << (k + 16494 - 64);
	else
		u.b.lo = 1ULL << (k + 16494);
	return u.v;
}

int
q_ilogb(q x)
{
	union qbits u = { .v = x };
	int e = (int)(u.b.hi >> 48 & 0x7fff);

	if (e == 0) {
		u.v = x * 0x1p120Q;
		return (int)(u.b.hi >> 48 & 0x7fff) - 16383 - 120;
	}
	return e - 16383;
}

/* x 2^n rounded once: x brought to [1, 2), then one multiplication by a
 * power of two that may itself be subnormal */
q
q_scalbn(q x, int n)
{
	int e, t;

	if (x == 0 || x != x || x - x != 0)
		return x;
	e = q_ilogb(x);
	if (e < -16382) {		/* subnormal: normal first */
		x *= 0x1p200Q;
		e += 200;
		n -= 200;
	}
	x *= pow2(-e);
	t = e + n;
	if (t > 16383)
		return x * pow2(16383) * 2;	/* overflow: inf, raised */
	if (t < -16494)
		return x * pow2(-16494) * 0x1p-2Q;	/* below every subnormal */
	return x * pow2(t);
}

/* one Newton step from the x87 square root: 64 bits become 128 */
q
q_sqrt(q x)
{
	int e, h;
	q y;

	if (x == 0)
		return x;
	e = q_ilogb(x);
	h = (e - (e & 1)) / 2;
	x = q_scalbn(x, -2 * h);		/* [1, 4) */
	y = sqrtl((long double)x);
	y = (y + x / y) / 2;
	return q_scalbn(y, h);
}

/* e^x = m 2^k: x = k ln2 + r (ln 2 as an exact head and a tail), then
 * e^(r/256) - 1 by its series and squared back eight times in the
 * expm1 form ((1 + e)^2 - 1 = e (2 + e)), which keeps the small part */
q
q_exp(q x, int *k)
{
	q t = x * Q_INV_LN2, r, e, term;
	int n = (int)(t < 0 ? t - 0.5Q : t + 0.5Q);

	r = (x - n * Q_LN2_HI) - n * Q_LN2_LO;
	r *= 0x1p-8Q;
	e = r;
	term = r;
	for (int i = 2; i < 30; i++) {
		term = term * r / i;
		e += term;
		if (q_fabs(term) < Q_EPS * q_fabs(e))
			break;
	}
	for (int i = 0; i < 8; i++)
		e = e * (2 + e);
	*k = n;
	return 1 + e;
}

/* 2 atanh(s) = log((1 + s) / (1 - s)), |s| small */
static q
atanh2(q s)
{
	q s2 = s * s, p = s, sum = s;

	for (int i = 3; i < 200; i += 2) {
		q term;

		p *= s2;
		term = p / i;
		sum += term;
		if (q_fabs(term) < Q_EPS * q_fabs(sum))
			break;
	}
	return 2 * sum;
}

/* log x = e ln 2 + log m, m in [sqrt(1/2), sqrt(2)), log m = 2 atanh((m -
 * 1)/(m + 1)) */
q
q_log(q x)
{
	int e = q_ilogb(x);
	q m = q_scalbn(x, -e);

	if (m > 0x1.6a09e667f3bcc908b2fb1366ea95p0Q) {
		m /= 2;
		e++;
	}
	if (m == 1)
		return e * Q_LN2_HI + e * Q_LN2_LO;
	return e * Q_LN2_HI + (e * Q_LN2_LO + atanh2((m - 1) / (m + 1)));
}

q
q_log1p(q x)
{
	if (q_fabs(x) < 0.25Q)
		return x == 0 ? x : atanh2(x / (2 + x));
	return q_log(1 + x);
}

/* atan: 1/x above 1, then three halvings (atan a = 2 atan(a / (1 +
 * sqrt(1 + a^2)))) to below tan(pi/32), then the series */
q
q_atan(q x)
{
	q a = q_fabs(x), a2, p, sum, r;
	bool inv = a > 1;

	if (a == 0)
		return x;
	if (a > 0x1p120Q)
		r = Q_PI_2 - 1 / a;
	else {
		if (inv)
			a = 1 / a;
		for (int i = 0; i < 3; i++)
			a = a / (1 + q_sqrt(1 + a * a));
		a2 = a * a;
		p = a;
		sum = a;
		for (int i = 3; i < 200; i += 2) {
			q term;

			p *= -a2;
			term = p / i;
			sum += term;
			if (q_fabs(term) < Q_EPS * q_fabs(sum))
				break;
		}
		r = 8 * sum;
		if (inv)
			r = Q_PI_2 - r;
	}
	return x < 0 ? -r : r;
}

static bool
q_signbit(q x)
{
	union qbits u = { .v = x };

	return u.b.hi >> 63;
}

q
q_atan2(q y, q x)
{
	q ay = q_fabs(y), ax = q_fabs(x), t;

	if (ay <= ax)
		t = q_atan(ay / ax);
	else
		t = Q_PI_2 - q_atan(ax / ay);
	if (q_signbit(x))
		t = Q_PI - t;
	return q_signbit(y) ? -t : t;
}

/* sin and cos of r, |r| <= pi/4, by their series */
static void
sincos_kernel(q r, q *s, q *c)
{
	q r2 = r * r, ts = r, tc = 1, ss = r, cc = 1;

	for (int i = 2; i < 80; i += 2) {
		tc = -tc * r2 / ((i - 1) * i);
		ts = -ts * r2 / (i * (i + 1));
		cc += tc;
		ss += ts;
		if (q_fabs(tc) < Q_EPS * q_fabs(cc) && q_fabs(ts) < Q_EPS * q_fabs(ss))
			break;
	}
	*s = ss;
	*c = cc;
}

/* musl's __rem_pio2l reduces x modulo pi/2 into y[0] + y[1] (its full
 * width, well beyond 64 bits); the rest is the series above */
void
q_sincos(long double x, q *s, q *c)
{
	long double y[2];
	q r, ss, cc;
	int n = 0;

	if (x == 0) {			/* the series would lose -0's sign */
		*s = x;
		*c = 1;
		return;
	}
	if (x > -0.78L && x < 0.78L)
		r = x;
	else {
		n = __rem_pio2l(x, y);
		r = (q)y[0] + (q)y[1];
	}
	sincos_kernel(r, &ss, &cc);
	switch (n & 3) {
	case 0: *s = ss; *c = cc; break;
	case 1: *s = cc; *c = -ss; break;
	case 2: *s = -ss; *c = -cc; break;
	default: *s = -cc; *c = ss; break;
	}
}

/* |sin(pi x)| for a non-integer long double x, reduced exactly first */
static q
sinpi_abs(long double x)
{
	q f = q_fabs((q)x - (q)truncl(x)), s, c;

	if (f > 0.5Q)
		f = 1 - f;
	if (f <= 0.25Q) {
		sincos_kernel(f * Q_PI, &s, &c);
		return s;
	}
	sincos_kernel((0.5Q - f) * Q_PI, &s, &c);
	return c;
}

/* Stirling's series from x >= 24 on (quad_table.h: the first term left
 * out is below 2^-118) */
static q
stirling_lgamma(q x)
{
	q z, z2, sum = 0;
	int n = sizeof(stirling) / sizeof(stirling[0]);

	if (x > 0x1p60Q)
		return (x - 0.5Q) * q_log(x) - x + Q_HALF_LN_2PI;
	z = 1 / x;
	z2 = z * z;
	for (int i = n - 1; i >= 0; i--)
		sum = sum * z2 + stirling[i];
	return (x - 0.5Q) * q_log(x) - x + Q_HALF_LN_2PI + sum * z;
}

/* Next to a zero of lgamma the general routes below lose their relative
 * accuracy (two terms of some size cancel); there a Taylor expansion
 * around the zero, known to 226 bits, from quad_table.h */
static bool
near_zero(const struct lgamma_zero *z, q x, q *r)
{
	q d = x - z->hi, sum = 0;

	if (q_fabs(d) >= z->window)
		return false;
	d -= z->lo;
	for (int i = 7; i >= 0; i--)
		sum = sum * d + z->c[i];
	*r = d == 0 ? 0 : sum * d;	/* lgamma(1) = lgamma(2) = +0 */
	return true;
}

/* x > 0: the zeros at 1 and 2, Stirling from 24 on, below that shifted
 * up: lgamma(x) = lgamma(x + n) - log(x (x + 1) ... (x + n - 1)) */
static q
lgamma_pos(q x)
{
	q p = 1, r;

	if (near_zero(&lgamma_zeros[0], x, &r) || near_zero(&lgamma_zeros[1], x, &r))
		return r;
	while (x < 24) {
		p *= x;
		x += 1;
	}
	r = stirling_lgamma(x);
	return p == 1 ? r : r - q_log(p);
}

/* x < 0: lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x), or the
 * expansion around one of the two zeros of x's unit interval */
q
q_lgamma(long double x, int *sign)
{
	q r;

	*sign = 1;
	if (x > 0)
		return lgamma_pos(x);
	if (x > -1) {
		*sign = -1;
		return Q_LN_PI - q_log(sinpi_abs(x)) - lgamma_pos(1 - (q)x);
	}
	/* x in (-n-1, -n): Gamma's sign is (-1)^(n+1) */
	u64 n = (u64)-truncl(x);

	*sign = n & 1 ? 1 : -1;
	if (n >= 2 && n - 2 < (sizeof(lgamma_zeros) / sizeof(lgamma_zeros[0]) - 2) / 2) {
		const struct lgamma_zero *z = &lgamma_zeros[2 + 2 * (n - 2)];

		if (near_zero(&z[0], x, &r) || near_zero(&z[1], x, &r))
			return r;
	}
	return Q_LN_PI - q_log(sinpi_abs(x)) - lgamma_pos(1 - (q)x);
}

q
q_hypot(q a, q b)
{
	q m = q_fabs(a), n = q_fabs(b), t;
	int e;

	if (m < n) {
		t = m;
		m = n;
		n = t;
	}
	if (m == 0)
		return 0;
	e = q_ilogb(m);
	m = q_scalbn(m, -e);
	n = q_scalbn(n, -e);
	return q_scalbn(q_sqrt(m * m + n * n), e);
}

/* sinh and cosh: their series below 1 (no cancellation), from e^|x|
 * above; past binary128's range the exponent is handed back */
int
q_sinhcosh(long double x, q *sh, q *ch)
{
	q ax = q_fabs(x), e, r;
	int k;

	if (ax < 1) {
		q x2 = (q)x * x, ts = x, tc = 1, ss = x, cc = 1;

		for (int i = 2; i < 80; i += 2) {
			tc = tc * x2 / ((i - 1) * i);
			ts = ts * x2 / (i * (i + 1));
			cc += tc;
			ss += ts;
			if (tc < Q_EPS * cc)
				break;
		}
		*sh = ss;
		*ch = cc;
		return 0;
	}
	if (ax > 0x1p20Q) {		/* beyond every range: overflows when scaled */
		*sh = x < 0 ? -0.5Q : 0.5Q;
		*ch = 0.5Q;
		return 40000;
	}
	e = q_exp(ax, &k);
	if (k > 16000) {		/* e^-|x| is below 2^-16000 of e^|x| */
		*sh = x < 0 ? -e / 2 : e / 2;
		*ch = e / 2;
		return k;
	}
	e = q_scalbn(e, k);
	r = 1 / e;
	*sh = x < 0 ? -(e - r) / 2 : (e - r) / 2;
	*ch = (e + r) / 2;
	return 0;
}
