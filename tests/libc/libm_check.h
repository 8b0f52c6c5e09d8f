/* What the libm tests (tests/libc/test_math.c, test_mathl.c,
 * test_complex.c) and the libm benchmark (bench/libm.c) share: the export
 * table lookup (what a blob importing a name gets), arguments drawn in a
 * range or among special values, the distance in ulps from a binary128
 * reference, and the accuracy a function is allowed beside glibc's.
 * Standalone (no libquadmath, no bv.h): the benchmark includes it too. */
#ifndef TESTS_LIBC_LIBM_CHECK_H
#define TESTS_LIBC_LIBM_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct export_rec { const char *name; void *addr; unsigned cls; };
extern const struct export_rec __start_exports[], __stop_exports[];

/* the export table's entry for NAME (the wrapper carrying glibc's errno,
 * not the raw bv_ symbol of the same name), NULL if it is not exported */
static inline void *
export_lookup(const char *name)
{
	for (const struct export_rec *e = __start_exports; e < __stop_exports; e++)
		if (!__builtin_strcmp(e->name, name))
			return e->addr;
	return NULL;
}

/* lo + (hi - lo) u for u uniform in [0, 1) from the top 53 bits of r */
static inline double
libm_uniform(double lo, double hi, uint64_t r)
{
	return lo + (hi - lo) * ((double)(r >> 11) / 0x1p53);
}

/* An argument: for i < nspecial, special[i]; otherwise a quarter any
 * double (NaNs, infinities, subnormals), an eighth an integer in
 * [-ints/2, ints/2), the rest uniform in [lo, hi]. */
static inline double
libm_input(double lo, double hi, int i, const double *special, int nspecial, int ints,
	   uint64_t (*next)(void))
{
	uint64_t r = next();
	double d;

	if (i >= 0 && i < nspecial)
		return special[i];
	switch (r % 8) {
	case 0:
	case 1:
		memcpy(&d, &r, 8);
		return d;
	case 2:
		return (double)(int)(next() % (uint64_t)ints) - ints / 2;
	default:
		return libm_uniform(lo, hi, next());
	}
}

/* binary128 without libquadmath: exponent and exact powers of two */
static inline int
libm_q_ilogb(__float128 x)
{
	union { __float128 q; struct { uint64_t lo, hi; } b; } u = { .q = x };
	int e = (int)(u.b.hi >> 48 & 0x7fff);

	if (e == 0) {
		u.q = x * 0x1p200Q;
		return (int)(u.b.hi >> 48 & 0x7fff) - 16383 - 200;
	}
	return e - 16383;
}

static inline __float128
libm_q_pow2(int k)			/* -16494 <= k <= 16383 */
{
	union { __float128 q; struct { uint64_t lo, hi; } b; } u = { .b = { 0, 0 } };

	if (k >= -16382)
		u.b.hi = (uint64_t)(k + 16383) << 48;
	else if (k + 16494 >= 64)
		u.b.hi = 1ULL << (k + 16494 - 64);
	else
		u.b.lo = 1ULL << (k + 16494);
	return u.q;
}

/* Distance of a from the reference ref in ulps of ref's binade at
 * precision mant (subnormals: the ulp at emin, the smallest subnormal's
 * exponent); NaN = NaN and an infinity equal to itself are 0 away, any
 * other mismatch of those is 1e9. */
static inline double
libm_ulps(long double a, __float128 ref, int mant, int emin)
{
	bool an = a != a, rn = ref != ref;
	bool ai = !an && a - a != 0, ri = !rn && ref - ref != 0;
	int e;

	if (an || rn)
		return an && rn ? 0 : 1e9;
	if (ai || ri)
		return (__float128)a == ref ? 0 : 1e9;
	if ((__float128)a == ref)
		return 0;
	e = libm_q_ilogb(ref) + 1;		/* frexp's exponent */
	if (e - mant < emin)
		e = emin + mant;
	return (double)(__builtin_fabsq((__float128)a - ref) / libm_q_pow2(e - mant));
}

/* The error a function may have: no more than glibc's on the same inputs
 * (rounded up to a whole ulp, at least 1), or within glibc's documented
 * bound (whole ulps from the correctly rounded result: doc + 0.5 from the
 * exact value). */
static inline double
libm_allowed(double glibc_err, int doc)
{
	double allowed = __builtin_ceil(glibc_err > 1 ? glibc_err : 1);

	return doc + 0.5 > allowed ? doc + 0.5 : allowed;
}

#endif
