/* lgammal, lgammal_r, gammal and tgammal for blobs: computed in binary128
 * (quad.c's q_lgamma: Stirling's series, the shift and reflection
 * formulas, and Taylor expansions around every zero of lgamma a long
 * double can come near, known to 226 bits), rounded once.  musl's x87
 * forms lost 81-221 ulps next to the negative zeros and 5.6 in tgammal.
 * errno as glibc's wrappers: ERANGE for a pole of lgamma, for tgamma(+-0)
 * and for an overflow or an underflow to zero; EDOM for tgamma of a
 * negative integer or of -inf. */
#include "quad.h"
#include "libm.h"

typedef long double ld;

ld truncl(ld);
extern int __signgam;

/* quiet tests (libm.h's bits): an infinity is not finite and not NaN */
#define nan_l(x)	libm_nan_l(x)
#define inf_l(x)	(!libm_finite_l(x) && !libm_nan_l(x))

static ld
lgamma_l(ld x, int *sign)
{
	ld r;

	*sign = 1;
	if (nan_l(x))
		return x + x;
	if (inf_l(x))
		return x * x;
	if (x == 0 || (x < 0 && truncl(x) == x)) {
		*sign = __builtin_signbit(x) && x == 0 ? -1 : 1;
		errno = ERANGE;
		return 1 / __builtin_fabsl(x);	/* +inf, divide-by-zero raised */
	}
	r = (ld)q_lgamma(x, sign);
	if (inf_l(r))
		errno = ERANGE;
	return r;
}

static ld
w_lgammal_r(ld x, int *sign)
{
	return lgamma_l(x, sign);
}
EXPORT_AS(w_lgammal_r, "lgammal_r", LIBC);
EXPORT_ALIAS(w_lgammal_r, __lgammal_r_finite, LIBC);
EXPORT_ALIAS(w_lgammal_r, __gammal_r_finite, LIBC);

static ld
w_lgammal(ld x)
{
	return lgamma_l(x, &__signgam);
}
EXPORT_AS(w_lgammal, "lgammal", LIBC);
EXPORT_ALIAS(w_lgammal, gammal, LIBC);

static ld
w_tgammal(ld x)
{
	volatile ld z = 0;
	int sign, k;
	q lg, m;
	ld r;

	if (nan_l(x) || (inf_l(x) && x > 0))
		return x + x;
	if (x == 0) {
		errno = ERANGE;
		return 1 / x;
	}
	if (inf_l(x) || (x < 0 && truncl(x) == x)) {
		errno = EDOM;
		return __builtin_fabsl((z - z) / (z - z));	/* invalid raised, +NaN as glibc */
	}
	if (x > 1755.5L) {
		errno = ERANGE;
		return 0x1p16383L * 2;
	}
	lg = q_lgamma(x, &sign);
	if (lg < -11400) {
		errno = ERANGE;
		return sign * 0x1p-16382L * 0x1p-16382L;
	}
	m = q_exp(lg, &k);
	r = sign * (ld)q_scalbn(m, k);
	if (r == 0 || inf_l(r))
		errno = ERANGE;
	return r;
}
EXPORT_AS(w_tgammal, "tgammal", LIBC);
