/* strtod/strtof/strtold, correctly rounded (to nearest, ties to even).
 * The decimal digits D and exponent E give the exact value D * 10^E; it is
 * turned into an integer N and binary exponent b with N * 2^b equal to the
 * value up to a sticky bit (N = D * 10^E, or D * 2^s / 10^-E by repeated
 * small divisions, whose remainders feed the sticky bit), then rounded to
 * the format's precision.  Digits beyond the 800th only add a sticky digit:
 * 800 digits decide every double and float halfway case. */
#include "libc.h"

#define MAXDIGITS 800

struct big {
	u32 *l;
	int n;
};

static void
big_mul_add(struct big *b, u32 f, u32 add)
{
	u64 carry = add;

	for (int i = 0; i < b->n; i++) {
		u64 v = (u64)b->l[i] * f + carry;
		b->l[i] = (u32)v;
		carry = v >> 32;
	}
	if (carry)
		b->l[b->n++] = (u32)carry;
}

static bool
big_div_small(struct big *b, u32 d)	/* returns: remainder was non-zero */
{
	u64 rem = 0;

	for (int i = b->n - 1; i >= 0; i--) {
		u64 cur = rem << 32 | b->l[i];
		b->l[i] = (u32)(cur / d);
		rem = cur % d;
	}
	while (b->n && !b->l[b->n - 1])
		b->n--;
	return rem != 0;
}

static void
big_shl(struct big *b, int s)
{
	int w = s / 32, r = s % 32;

	if (r) {
		b->l[b->n] = 0;
		for (int i = b->n; i > 0; i--)
			b->l[i] = b->l[i] << r | b->l[i - 1] >> (32 - r);
		b->l[0] <<= r;
		b->n++;
	}
	if (w) {
		for (int i = b->n - 1; i >= 0; i--)
			b->l[i + w] = b->l[i];
		for (int i = 0; i < w; i++)
			b->l[i] = 0;
		b->n += w;
	}
	while (b->n && !b->l[b->n - 1])
		b->n--;
}

static int
big_bitlen(const struct big *b)
{
	if (!b->n)
		return 0;
	return 32 * (b->n - 1) + 32 - __builtin_clz(b->l[b->n - 1]);
}

static bool
big_bit(const struct big *b, int i)
{
	return i >= 0 && i / 32 < b->n && (b->l[i / 32] >> (i % 32) & 1);
}

static bool
big_any_below(const struct big *b, int i)	/* any bit < i set */
{
	for (int w = 0; w < b->n && w * 32 < i; w++) {
		u32 v = b->l[w];
		if (i - w * 32 < 32)
			v &= (1u << (i - w * 32)) - 1;
		if (v)
			return true;
	}
	return false;
}

struct fmt {
	int bits;	/* significand bits incl. the leading one */
	int emin, emax;	/* exponent range of normal numbers (1.x form) */
};

static const struct fmt F32 = { 24, -126, 127 };
static const struct fmt F64 = { 53, -1022, 1023 };
static const struct fmt F80 = { 64, -16382, 16383 };

/* Round N * 2^b (+ sticky) to the format; returns the significand and the
 * exponent of its lowest bit, or sets *inf. */
static u64
round_big(const struct fmt *f, struct big *N, int b, bool sticky, int *lsb, bool *inf,
	  bool *inexact)
{
	int L = big_bitlen(N), e = L - 1 + b, p = f->bits, shift;
	u64 mant = 0;
	bool half;

	*inf = false;
	if (e > f->emax) {
		*inf = true;
		return 0;
	}
	if (e < f->emin)
		p = f->bits - (f->emin - e);
	shift = L - p;
	if (shift < 0) {
		mant = 0;
		for (int i = L - 1; i >= 0; i--)
			mant = mant << 1 | big_bit(N, i);
		mant <<= -shift;
		half = false;
	} else {
		mant = 0;
		for (int i = L - 1; i >= shift; i--)
			mant = mant << 1 | big_bit(N, i);
		half = big_bit(N, shift - 1);
		sticky = sticky || big_any_below(N, shift - 1);
	}
	*inexact = half || sticky;
	*lsb = shift + b;
	if (half && (sticky || (mant & 1))) {
		mant++;
		/* rounded up to the next power of two (for 64 bits: wrapped) */
		if (f->bits == 64 ? mant == 0 : mant >> f->bits) {
			mant = 1ULL << (f->bits - 1);
			(*lsb)++;
			if (*lsb + f->bits - 1 > f->emax)
				*inf = true;
		}
	}
	return mant;
}

/* The parsed number, before rounding. */
struct num {
	bool neg, inf, nan, hex, zero;
	char digits[MAXDIGITS + 1];
	int nd;
	long e10;		/* value = 0.digits... no: digits * 10^e10 */
	bool sticky;
	u64 hmant;		/* hex: mantissa bits, value = hmant * 2^e2 */
	u64 payload;		/* nan(n): n, in the low mantissa bits */
	long e2;
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 32;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool
match(const char *s, const char *word)
{
	for (; *word; s++, word++)
		if ((*s | 32) != *word)
			return false;
	return true;
}

static long
parse_exp(const char **pp, long e)
{
	const char *p = *pp + 1;
	bool neg = false;
	long x = 0;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p < '0' || *p > '9')
		return e;	/* not an exponent: leave *pp at 'e' */
	for (; *p >= '0' && *p <= '9'; p++)
		if (x < 100000000)
			x = x * 10 + (*p - '0');
	*pp = p;
	return neg ? e - x : e + x;
}

/* Returns the end of the number, or NULL if there is none. */
static const char *
parse(const char *s, struct num *n)
{
	const char *p = s;
	bool any = false;

	memset(n, 0, offsetof(struct num, digits));
	n->nd = 0, n->e10 = 0, n->sticky = false, n->hmant = 0, n->e2 = 0, n->payload = 0;
	while (isspace((u8)*p))
		p++;
	if (*p == '+' || *p == '-')
		n->neg = *p++ == '-';
	if (match(p, "inf")) {
		n->inf = true;
		return p + (match(p, "infinity") ? 8 : 3);
	}
	if (match(p, "nan")) {
		n->nan = true;
		p += 3;
		if (*p == '(') {
			const char *q = p + 1;
			while ((*q >= '0' && *q <= '9') || ((*q | 32) >= 'a' && (*q | 32) <= 'z') || *q == '_')
				q++;
			if (*q == ')') {
				char *e;
				u64 v = strtoull(p + 1, &e, 0);

				if (e == q)	/* glibc: a number becomes the payload */
					n->payload = v;
				p = q + 1;
			}
		}
		return p;
	}
	if (p[0] == '0' && (p[1] | 32) == 'x' &&
	    (hexval((u8)p[2]) >= 0 || (p[2] == '.' && hexval((u8)p[3]) >= 0))) {
		int bits = 0;

		n->hex = true;
		p += 2;
		for (bool frac = false;; p++) {
			int v;

			if (*p == '.' && !frac) {
				frac = true;
				continue;
			}
			v = hexval((u8)*p);
			if (v < 0)
				break;
			if (!n->hmant && !v) {		/* leading zero */
				if (frac)
					n->e2 -= 4;
				continue;
			}
			if (bits < 64) {
				n->hmant = n->hmant << 4 | v;
				bits += 4;
				if (frac)
					n->e2 -= 4;
			} else {
				n->sticky |= v != 0;
				if (!frac)
					n->e2 += 4;
			}
		}
		if ((*p | 32) == 'p')
			n->e2 = parse_exp(&p, n->e2);
		n->zero = !n->hmant;
		return p;
	}
	for (bool frac = false;; p++) {
		if (*p == '.' && !frac) {
			frac = true;
			continue;
		}
		if (*p < '0' || *p > '9')
			break;
		any = true;
		if (!n->nd && *p == '0') {
			if (frac)
				n->e10--;
			continue;
		}
		if (n->nd < MAXDIGITS) {
			n->digits[n->nd++] = *p;
			if (frac)
				n->e10--;
		} else {
			n->sticky |= *p != '0';
			if (!frac)
				n->e10++;
		}
	}
	if (!any)
		return NULL;
	if ((*p | 32) == 'e')
		n->e10 = parse_exp(&p, n->e10);
	if (n->sticky)		/* a digit past the kept ones, between 0 and 9 */
		n->digits[n->nd++] = '1', n->e10--;
	n->zero = !n->nd;
	return p;
}

/* Exact value -> significand and lowest-bit exponent. */
static u64
convert(const struct fmt *f, struct num *n, int *lsb, bool *inf, bool *inexact, bool *nomem)
{
	u32 small[192], *l = small;
	struct big N = { small, 0 };
	long x10 = n->nd + n->e10 - 1;	/* decimal exponent of the first digit */
	int b = 0, limbs;
	bool sticky = false;
	u64 mant;

	*nomem = false;
	if (n->hex) {
		N.l[0] = (u32)n->hmant;
		N.l[1] = (u32)(n->hmant >> 32);
		N.n = N.l[1] ? 2 : 1;
		if (n->e2 > f->emax + 8) {
			*inf = true;
			return 0;
		}
		if (n->e2 < f->emin - f->bits - 80) {
			*inexact = true;
			*inf = false;
			*lsb = 0;
			return 0;
		}
		return round_big(f, &N, n->e2, n->sticky, lsb, inf, inexact);
	}
	if (x10 > f->emax * 30103L / 100000 + 1) {
		*inf = true;
		return 0;
	}
	if (x10 < (f->emin - f->bits) * 30103L / 100000 - 2) {
		*inf = false;
		*inexact = true;
		*lsb = 0;
		return 0;
	}
	/* limbs: digits, powers of ten, and the 2^s scale */
	limbs = (n->nd * 3322L / 1000 + labs(n->e10) * 3322L / 1000 * 2 + f->bits + 128) / 32 + 4;
	if (limbs > (int)ARRAY_SIZE(small)) {
		l = malloc(limbs * sizeof(u32));
		if (!l) {
			*nomem = true;
			return 0;
		}
		N.l = l;
	}
	for (int i = 0; i < n->nd; i += 9) {
		u32 chunk = 0, mul = 1;
		for (int k = i; k < n->nd && k < i + 9; k++)
			chunk = chunk * 10 + (n->digits[k] - '0'), mul *= 10;
		big_mul_add(&N, mul, chunk);
	}
	if (!N.n)
		N.n = 0;
	if (n->e10 >= 0) {
		for (long e = n->e10; e > 0; e -= 9)
			big_mul_add(&N, e >= 9 ? 1000000000u : (u32)(e == 1 ? 10 : e == 2 ? 100 :
				    e == 3 ? 1000 : e == 4 ? 10000 : e == 5 ? 100000 : e == 6 ? 1000000 :
				    e == 7 ? 10000000 : 100000000), 0);
	} else {
		long k = -n->e10;
		int s = (int)(k * 3322 / 1000) + f->bits + 8 - big_bitlen(&N);

		if (s > 0) {
			big_shl(&N, s);
			b = -s;
		}
		for (; k >= 9; k -= 9)
			sticky |= big_div_small(&N, 1000000000u);
		while (k-- > 0)
			sticky |= big_div_small(&N, 10);
	}
	mant = round_big(f, &N, b, sticky, lsb, inf, inexact);
	if (l != small)
		free(l);
	return mant;
}

static const char *
to_parts(const char *s, const struct fmt *f, struct num *n, u64 *mant, int *lsb, bool *inf,
	 char **end)
{
	const char *e = parse(s, n);
	bool inexact = false, nomem;

	if (end)
		*end = (char *)(e ? e : s);
	*mant = 0, *lsb = 0, *inf = n->inf;
	if (!e || n->inf || n->nan || n->zero)
		return e;
	*mant = convert(f, n, lsb, inf, &inexact, &nomem);
	if (nomem) {
		errno = ENOMEM;
		*mant = 0;
		return e;
	}
	if (*inf || (!*mant) || (inexact && *mant < (1ULL << (f->bits - 1))))
		errno = ERANGE;	/* overflow, or underflow (tiny and inexact) */
	return e;
}

double
strtod(const char *s, char **end)
{
	struct num n;
	u64 mant, bits;
	int lsb;
	bool inf;

	to_parts(s, &F64, &n, &mant, &lsb, &inf, end);
	if (n.nan)
		bits = 0x7ff8000000000000ULL | (n.payload & ((1ULL << 51) - 1));
	else if (inf)
		bits = 0x7ff0000000000000ULL;
	else if (mant >> 52)
		bits = (u64)(lsb + 52 + 1023) << 52 | (mant & ((1ULL << 52) - 1));
	else
		bits = mant;	/* subnormal (lsb is -1074) or zero */
	bits |= (u64)n.neg << 63;
	{
		double d;
		__builtin_memcpy(&d, &bits, 8);
		return d;
	}
}
EXPORT(strtod, LIBC);

float
strtof(const char *s, char **end)
{
	struct num n;
	u64 mant;
	u32 bits;
	int lsb;
	bool inf;

	to_parts(s, &F32, &n, &mant, &lsb, &inf, end);
	if (n.nan)
		bits = 0x7fc00000 | (u32)(n.payload & ((1u << 22) - 1));
	else if (inf)
		bits = 0x7f800000;
	else if (mant >> 23)
		bits = (u32)(lsb + 23 + 127) << 23 | (u32)(mant & ((1u << 23) - 1));
	else
		bits = (u32)mant;
	bits |= (u32)n.neg << 31;
	{
		float f;
		__builtin_memcpy(&f, &bits, 4);
		return f;
	}
}
EXPORT(strtof, LIBC);

/* Long doubles: correctly rounded as long as 800 digits decide the case. */
long double
strtold(const char *s, char **end)
{
	struct num n;
	u64 mant;
	u16 se;
	int lsb;
	bool inf;
	u8 raw[16] = { 0 };
	long double r;

	to_parts(s, &F80, &n, &mant, &lsb, &inf, end);
	if (n.nan)
		mant = 0xc000000000000000ULL | (n.payload & ((1ULL << 62) - 1)), se = 0x7fff;
	else if (inf)
		mant = 0x8000000000000000ULL, se = 0x7fff;
	else if (mant >> 63)
		se = lsb + 63 + 16383;
	else
		se = 0;
	se |= (u16)n.neg << 15;
	__builtin_memcpy(raw, &mant, 8);
	__builtin_memcpy(raw + 8, &se, 2);
	__builtin_memcpy(&r, raw, sizeof(r));
	return r;
}
EXPORT(strtold, LIBC);

double
atof(const char *s)
{
	return strtod(s, NULL);
}
EXPORT(atof, LIBC);
