/* powl for blobs: y log|x| and its exponential in binary128 (quad.c), so
 * the product's rounding, which the exponential amplifies by up to 2^14,
 * stays 2^-98 of the result; rounded once to long double.  musl's x87 powl
 * lost up to 363 ulps there and gave NaN for huge exponents.  Special
 * values by C99 F.9.4.4; errno as glibc's wrapper: EDOM for a negative x
 * with a non-integer y, ERANGE for a pole, an overflow or an underflow to
 * zero. */
#include "quad.h"
#include "libm.h"

typedef long double ld;

/* y finite: is it an integer, and an odd one */
static bool
ld_integer(ld y, bool *odd)
{
	union libm_ldbits u = { .v = y };
	int e = (u.b.se & 0x7fff) - 16383;

	*odd = false;
	if (y == 0)
		return true;
	if (e < 0)
		return false;
	if (e >= 63) {
		*odd = e == 63 && (u.b.m & 1);
		return true;
	}
	if (u.b.m << (e + 1))
		return false;
	*odd = u.b.m >> (63 - e) & 1;
	return true;
}

/* quiet tests (libm.h's bits): an infinity is not finite and not NaN */
#define nan_l(x)	libm_nan_l(x)
#define inf_l(x)	(!libm_finite_l(x) && !libm_nan_l(x))

static ld
pow_l(ld x, ld y)
{
	bool odd = false, yint;
	ld ax = x < 0 ? -x : x, sign;
	q t, m;
	int k;

	if (y == 0 || x == 1)
		return 1;
	if (nan_l(x) || nan_l(y))
		return x + y;
	yint = inf_l(y) || ld_integer(y, &odd);
	if (x == 0) {
		if (y < 0) {
			errno = ERANGE;
			return odd ? 1 / x : 1 / ax;	/* the pole, divide-by-zero raised */
		}
		return odd ? x : 0;
	}
	if (inf_l(y)) {
		if (ax == 1)
			return 1;
		return (ax < 1) == (y < 0) ? __builtin_infl() : 0;
	}
	if (inf_l(x)) {
		if (x > 0)
			return y < 0 ? 0 : x;
		if (y < 0)
			return odd ? -0.0L : 0;
		return odd ? x : -x;
	}
	if (x < 0 && !yint) {
		volatile ld z = 0;

		errno = EDOM;
		return (z - z) / (z - z);	/* invalid raised; -NaN, as glibc's */
	}
	sign = x < 0 && odd ? -1 : 1;
	t = (q)y * q_log(ax);
	if (t > 11357.5Q) {
		errno = ERANGE;
		return sign * 0x1p16383L * 2;
	}
	if (t < -11400) {
		errno = ERANGE;
		return sign * 0x1p-16382L * 0x1p-16382L;
	}
	m = q_exp(t, &k);
	ld r = (ld)q_scalbn(m, k);

	if (r == 0 || inf_l(r))
		errno = ERANGE;
	return sign * r;
}

EXPORT_AS(pow_l, "powl", LIBC);
EXPORT_ALIAS(pow_l, __powl_finite, LIBC);
