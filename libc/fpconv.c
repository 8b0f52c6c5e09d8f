/* Exact decimal expansion of binary floating point, for printf's %f %e %g.
 * A finite value is mant * 2^exp2; its exact decimal digits are those of
 * the integer mant * 2^exp2 (exp2 >= 0) or mant * 5^-exp2 (exp2 < 0, with
 * the decimal point moved -exp2 places).  The integer is built in base-1e9
 * limbs by small multiplications only.  Rounding then works on the exact
 * digits, round-half-to-even, which is what glibc's printf does in the
 * default rounding mode. */
#include "libc.h"
#include "fpconv.h"

void
fp_from_double(double d, struct fp_parts *p)
{
	u64 bits;
	int e;

	__builtin_memcpy(&bits, &d, 8);
	p->neg = bits >> 63;
	e = (bits >> 52) & 0x7ff;
	p->mant = bits & ((1ULL << 52) - 1);
	p->inf = e == 0x7ff && !p->mant;
	p->nan = e == 0x7ff && p->mant;
	if (e == 0) {
		p->exp2 = p->mant ? -1074 : 0;
	} else {
		p->mant |= 1ULL << 52;
		p->exp2 = e - 1075;
	}
	p->hexbits = 53;
}

void
fp_from_long_double(long double d, struct fp_parts *p)
{
	u8 raw[16];
	u64 m;
	u16 se;
	int e;

	__builtin_memcpy(raw, &d, 10);
	__builtin_memcpy(&m, raw, 8);
	__builtin_memcpy(&se, raw + 8, 2);
	p->neg = se >> 15;
	e = se & 0x7fff;
	p->mant = m;
	p->inf = e == 0x7fff && (m << 1) == 0;
	p->nan = e == 0x7fff && (m << 1) != 0;
	p->exp2 = m ? (e ? e : 1) - 16383 - 63 : 0;
	p->hexbits = 64;
}

/* Multiply the little-endian base-1e9 number in-place by a small factor. */
static int
mul_small(u32 *l, int n, u32 f)
{
	u64 carry = 0;

	for (int i = 0; i < n; i++) {
		u64 v = (u64)l[i] * f + carry;
		l[i] = v % 1000000000u;
		carry = v / 1000000000u;
	}
	while (carry) {
		l[n++] = carry % 1000000000u;
		carry /= 1000000000u;
	}
	return n;
}

size_t
fp_digits_bound(const struct fp_parts *p)
{
	int e = p->exp2;

	/* 20 digits for the mantissa, 0.699 per power of 5, 0.302 per 2 */
	return 24 + (e < 0 ? (size_t)(-e) * 7 / 10 : (size_t)e * 31 / 100);
}

int
fp_decimal(const struct fp_parts *p, struct fp_dec *d, char *digits, u32 *limbs)
{
	u64 m = p->mant;
	int n = 0, e = p->exp2, nd = 0;

	d->digits = digits;
	d->zero = !m;
	if (!m) {
		digits[0] = '0';
		d->n = 1;
		d->e10 = 1;
		return 0;
	}
	while (m) {
		limbs[n++] = m % 1000000000u;
		m /= 1000000000u;
	}
	for (; e >= 29; e -= 29)
		n = mul_small(limbs, n, 1u << 29);
	if (e > 0)
		n = mul_small(limbs, n, 1u << e);
	for (; e <= -13; e += 13)
		n = mul_small(limbs, n, 1220703125u);	/* 5^13 */
	if (e < 0) {
		u32 f = 1;
		for (int i = 0; i < -e; i++)
			f *= 5;
		n = mul_small(limbs, n, f);
	}
	/* Most significant limb without leading zeros, then 9 digits each. */
	{
		char tmp[10];
		int t = 0;
		u32 v = limbs[n - 1];

		while (v) {
			tmp[t++] = '0' + v % 10;
			v /= 10;
		}
		while (t)
			digits[nd++] = tmp[--t];
	}
	for (int i = n - 2; i >= 0; i--) {
		u32 v = limbs[i];
		for (int k = 8; k >= 0; k--) {
			digits[nd + k] = '0' + v % 10;
			v /= 10;
		}
		nd += 9;
	}
	/* Trailing zeros carry no information. */
	d->e10 = nd + (p->exp2 < 0 ? p->exp2 : 0);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	d->n = nd;
	return 0;
}

/* Keep `keep' significant digits, round half to even on the exact value.
 * keep may be <= 0 (everything rounds away, or up to one unit). */
void
fp_round(struct fp_dec *d, int keep)
{
	bool up;

	d->tie_up = false;
	if (keep >= d->n)
		return;
	if (keep < 0) {
		d->digits[0] = '0';
		d->n = 1;
		d->zero = true;
		return;
	}
	if (d->digits[keep] > '5') {
		up = true;
	} else if (d->digits[keep] < '5') {
		up = false;
	} else {
		bool rest = keep + 1 < d->n;	/* trailing zeros were trimmed */
		bool odd = keep > 0 && ((d->digits[keep - 1] - '0') & 1);
		up = rest || odd;
		d->tie_up = !rest && odd;
	}
	d->n = keep;
	if (up) {
		int i = keep - 1;

		while (i >= 0 && d->digits[i] == '9')
			i--;
		if (i < 0) {		/* 999 -> 1000: one more integer digit */
			d->digits[0] = '1';
			d->n = 1;
			d->e10++;
			return;
		}
		d->digits[i]++;
		d->n = i + 1;
	}
	while (d->n > 0 && d->digits[d->n - 1] == '0')
		d->n--;
	if (d->n == 0) {
		d->digits[0] = '0';
		d->n = 1;
		d->zero = true;
	}
}
