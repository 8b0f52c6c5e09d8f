/* stdlib against glibc: strto* in every base with overflow and errno,
 * ato*, strtod/strtof/strtold on edge and random inputs, qsort (stability
 * included) and bsearch, rand's sequence, malloc's contracts. */
#include "bv.h"
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void
test_strtol_family(void)
{
	static const char *const inputs[] = {
		"0", "1", "-1", "+1", "  42", "\t\n 42abc", "2147483647", "2147483648", "-2147483648",
		"-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"-9223372036854775809", "18446744073709551615", "18446744073709551616",
		"99999999999999999999999", "-18446744073709551615", "0x", "0x1f", "0X1F", "0xg", "0x7fffffffffffffff",
		"0xffffffffffffffff", "0x10000000000000000", "017", "08", "0b101", "101", "z", "Z",
		"zz", "-zz", "", " ", "-", "+", "+-1", "- 1", "1e5", "0.5", "  -0x10", "ZZZZZZZZZZZZZZ",
		"1111111111111111111111111111111111111111111111111111111111111111",
		"10000000000000000000000000000000000000000000000000000000000000000", "  +0", "00000000000000000000000000042",
	};
	static const int bases[] = { 0, 2, 8, 10, 16, 36, 3, 35, 1, -1, 37 };
	int bad = 0, n = 0;

	for (size_t i = 0; i < sizeof(inputs) / sizeof(*inputs); i++)
	for (size_t b = 0; b < sizeof(bases) / sizeof(*bases); b++) {
		const char *s = inputs[i];
		int base = bases[b];
		char *eg, *eo;
		int errg, erro;

#define CMP(fn) do { \
		errno = 0; shim_errno = 0; eg = eo = NULL; \
		__typeof__(fn(s, &eg, base)) g = fn(s, &eg, base); errg = errno; \
		__typeof__(fn(s, &eg, base)) o = bv_##fn(s, &eo, base); erro = shim_errno; \
		n++; \
		/* ASan's strtol interceptor stores garbage in *end for a bad base */ \
		if (base < 0 || base == 1 || base > 36) eg = eo; \
		if (g != o || (eg ? eg - s : -1) != (eo ? eo - s : -1) || errg != erro) { \
			if (bad++ < 8) printf("# " #fn "(\"%s\", %d): glibc %lld end+%td errno %d, ours %lld end+%td errno %d\n", \
				s, base, (long long)g, eg ? eg - s : -1, errg, (long long)o, eo ? eo - s : -1, erro); } \
	} while (0)
		CMP(strtol);
		CMP(strtoul);
		CMP(strtoll);
		CMP(strtoull);
	}
	TAP_CHECK(!bad, "strtol/strtoul/strtoll/strtoull: %d input x base cases (bases 0/2/8/10/16/36, bad bases, overflow): "
		  "value, end and errno match glibc (%d differ)", n, bad);
	bad = 0;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(*inputs); i++) {
		bad += atoi(inputs[i]) != bv_atoi(inputs[i]);
		bad += atol(inputs[i]) != bv_atol(inputs[i]);
		bad += atoll(inputs[i]) != bv_atoll(inputs[i]);
	}
	for (int i = 0; i < 20000; i++) {
		char s[40];
		long long v = (long long)rnd() >> (rnd() % 64);
		int base = (int)(rnd() % 35) + 2;
		char *eg, *eo;

		snprintf(s, sizeof(s), "%lld", v);
		bad += strtoll(s, &eg, base) != bv_strtoll(s, &eo, base) || eg != eo;
		bad += atoi(s) != bv_atoi(s);
	}
	TAP_CHECK(!bad, "atoi/atol/atoll and random strtoll in random bases match glibc");
	TAP_CHECK(bv_abs(INT_MIN + 1) == INT_MAX && bv_labs(-5) == 5, "abs/labs");
}

static void
test_strtod(void)
{
	static const char *const inputs[] = {
		"0", "-0", "1", "1.5", "  -2.25e3x", ".5", "5.", ".", "e5", "1e", "1e+", "1e-5",
		"inf", "-INF", "infinity", "infinit", "nan", "NaN(123)", "nan(", "0x1p3", "0x1.8p-2",
		"0x.8", "0x", "0xp3", "1e308", "1.7976931348623157e308", "1.7976931348623158e308",
		"1.7976931348623159e308", "1e309", "2.2250738585072014e-308", "2.2250738585072011e-308",
		"4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
		"1e-324", "1e-400", "123456789012345678901234567890", "0.1", "0.3", "9007199254740993",
		"9007199254740992.5", "1.00000000000000011102230246251565404236316680908203125",
		"1.00000000000000011102230246251565404236316680908203124",
		"1.00000000000000011102230246251565404236316680908203126", "3.4028235e38", "3.4028236e38",
		"1e39", "1.4e-45", "7e-46", "0x1.fffffffffffff8p1023", "0x1.fffffffffffff7p1023",
		"0x0.0000000000001p-1022", "0x1p-1075", "0x1.0000000000001p-1075", "000000.000001e6",
		"1" "000000000000000000000000000000000000000000000000000000000000000000000000000000",
	};
	int bad = 0, n = 0;

	for (size_t i = 0; i < sizeof(inputs) / sizeof(*inputs); i++) {
		const char *s = inputs[i];
		char *eg, *eo;
		int errg, erro;

		errno = shim_errno = 0;
		double g = strtod(s, &eg);
		errg = errno;
		double o = bv_strtod(s, &eo);
		erro = shim_errno;
		n++;
		if (memcmp(&g, &o, 8) || eg != eo || errg != erro)
			if (bad++ < 8)
				printf("# strtod(\"%s\"): glibc %a end+%td errno %d, ours %a end+%td errno %d\n",
				       s, g, eg - s, errg, o, eo - s, erro);
		errno = shim_errno = 0;
		float gf = strtof(s, &eg);
		errg = errno;
		float of = bv_strtof(s, &eo);
		erro = shim_errno;
		if (memcmp(&gf, &of, 4) || eg != eo || errg != erro)
			if (bad++ < 8)
				printf("# strtof(\"%s\"): glibc %a end+%td errno %d, ours %a end+%td errno %d\n",
				       s, gf, eg - s, errg, of, eo - s, erro);
		long double gl = strtold(s, &eg), ol = bv_strtold(s, &eo);
		if (memcmp(&gl, &ol, 10) || eg != eo)
			if (bad++ < 8)
				printf("# strtold(\"%s\"): glibc %La, ours %La\n", s, gl, ol);
	}
	TAP_CHECK(!bad, "strtod/strtof/strtold: %d edge inputs (halfway cases, subnormals, overflow, hex, inf/nan): "
		  "bits, end and errno match glibc (%d differ)", n, bad);
	bad = 0;
	for (int i = 0; i < 30000; i++) {
		char s[64];
		uint64_t bits = rnd();
		double d;

		memcpy(&d, &bits, 8);
		if (!isfinite(d))
			continue;
		/* round-trip digits plus near-halfway truncations */
		snprintf(s, sizeof(s), "%.*g", (int)(rnd() % 20) + 1, d);
		double g = strtod(s, NULL), o = bv_strtod(s, NULL);
		float gf = strtof(s, NULL), of = bv_strtof(s, NULL);
		long double gl = strtold(s, NULL), ol = bv_strtold(s, NULL);
		bad += memcmp(&g, &o, 8) != 0 || memcmp(&gf, &of, 4) != 0 || memcmp(&gl, &ol, 10) != 0;
		if (bad == 1 && (memcmp(&g, &o, 8) || memcmp(&gf, &of, 4) || memcmp(&gl, &ol, 10)))
			printf("# \"%s\": glibc %a %a %La ours %a %a %La\n", s, g, gf, gl, o, of, ol);
	}
	TAP_CHECK(!bad, "strtod/strtof/strtold: 30000 random decimal strings give glibc's bits (%d differ)", bad);
	TAP_CHECK(bv_atof("2.5") == 2.5, "atof");
}

struct rec { int key, seq; };
static int by_key(const void *a, const void *b)
{
	return ((const struct rec *)a)->key - ((const struct rec *)b)->key;
}
static int by_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void
test_qsort_bsearch(void)
{
	int bad = 0;

	for (int it = 0; it < 300; it++) {
		size_t n = it < 5 ? (size_t)it : rnd() % 3000;
		struct rec *g = malloc(sizeof(*g) * (n + 1)), *o = malloc(sizeof(*o) * (n + 1));

		for (size_t i = 0; i < n; i++)
			g[i].key = rnd() % (it % 2 ? 10 : 100000), g[i].seq = i;
		memcpy(o, g, sizeof(*g) * n);
		qsort(g, n, sizeof(*g), by_key);
		bv_qsort(o, n, sizeof(*o), by_key);
		bad += memcmp(g, o, sizeof(*g) * n) != 0;	/* equal keys: same order */
		for (int k = 0; k < 50 && n; k++) {
			struct rec key = { (int)(rnd() % 100000), 0 };
			if (k % 2)
				key.key = g[rnd() % n].key;
			bad += bsearch(&key, g, n, sizeof(*g), by_key) != bv_bsearch(&key, g, n, sizeof(*g), by_key);
		}
		free(g), free(o);
	}
	{
		int v[7] = { 5, 3, 9, 1, 7, 3, 0 };
		bv_qsort(v, 7, sizeof(int), by_int);
		bad += v[0] != 0 || v[6] != 9;
		bad += bv_bsearch(&v[0], v, 0, sizeof(int), by_int) != NULL;
	}
	TAP_CHECK(!bad, "qsort (stable like glibc's merge sort) and bsearch match glibc on 300 random arrays");
}

static void
test_rand(void)
{
	int bad = 0;
	static const unsigned seeds[] = { 1, 0, 42, 0xdeadbeef, 7 };

	for (size_t s = 0; s < 5; s++) {
		srand(seeds[s]);
		bv_srand(seeds[s]);
		for (int i = 0; i < 1000; i++)
			bad += rand() != bv_rand();
		unsigned a = seeds[s], b = seeds[s];
		for (int i = 0; i < 100; i++)
			bad += rand_r(&a) != bv_rand_r(&b);
	}
	TAP_CHECK(!bad, "rand/srand and rand_r give glibc's sequences for 5 seeds");
	TAP_CHECK(bv_getenv("PATH") == NULL, "getenv: the VMM has no environment");
}

static void
test_malloc(void)
{
	void *p = bv_malloc(0), *q;
	int bad = 0;

	TAP_CHECK(p != NULL, "malloc(0) returns a unique pointer, as glibc");
	bv_free(p);
	bv_free(NULL);
	shim_errno = 0;
	TAP_CHECK(bv_calloc((size_t)1 << 62, 8) == NULL && shim_errno == ENOMEM, "calloc overflow: NULL, ENOMEM");
	for (int i = 0; i < 2000; i++) {
		size_t n = rnd() % 5000;
		unsigned char *c = bv_calloc(n, 1);
		for (size_t k = 0; k < n; k++)
			bad += c[k] != 0;
		memset(c, 0xab, n);
		c = bv_realloc(c, n * 2 + 1);
		for (size_t k = 0; k < n; k++)
			bad += c[k] != 0xab;
		bad += ((uintptr_t)c & 15) != 0;
		bv_free(c);
	}
	TAP_CHECK(!bad, "calloc zeroes, realloc keeps contents, blocks are 16-byte aligned");
	q = bv_malloc(10);
	TAP_CHECK(bv_realloc(q, 0) == NULL, "realloc(p, 0) frees and returns NULL, as glibc");
	p = NULL;
	TAP_CHECK(bv_posix_memalign(&p, 256, 100) == 0 && ((uintptr_t)p & 255) == 0, "posix_memalign(256)");
	bv_free(p);
	TAP_CHECK(bv_posix_memalign(&p, 12, 100) == EINVAL && bv_posix_memalign(&p, 4, 100) == EINVAL,
		  "posix_memalign rejects non-power-of-two and sub-pointer alignments with EINVAL");
	p = bv_aligned_alloc(64, 64);
	TAP_CHECK(p && ((uintptr_t)p & 63) == 0 && bv_malloc_usable_size(p) >= 64, "aligned_alloc(64), malloc_usable_size");
	bv_free(p);
}

int
main(void)
{
	test_strtol_family();
	test_strtod();
	test_qsort_bsearch();
	test_rand();
	test_malloc();
	return tap_done();
}
