/* The memory and string functions that have one implementation per
 * instruction set, and the pointers the exported names jump through
 * (string_select.c picks them at start-up from CPUID and XCR0, the way
 * glibc's IFUNC resolvers do). */
#ifndef LIBC_STRING_IMPL_H
#define LIBC_STRING_IMPL_H

#include <core/types.h>

enum libc_isa {
	LIBC_ISA_SSE2,		/* every x86-64 CPU */
	LIBC_ISA_AVX2,		/* CPUID AVX2 + OSXSAVE, XCR0 keeps the YMM state */
	LIBC_ISA_EVEX,		/* and AVX-512 VL + BW, XCR0 keeps opmask and ZMM state */
	LIBC_ISA_COUNT
};

struct libc_string_impl {
	const char *name;
	void *(*memcpy)(void *, const void *, size_t);
	void *(*memmove)(void *, const void *, size_t);
	void *(*memset)(void *, int, size_t);
	int (*memcmp)(const void *, const void *, size_t);
	void *(*memchr)(const void *, int, size_t);
	size_t (*strlen)(const char *);
};

extern const struct libc_string_impl libc_string_sse2, libc_string_avx2, libc_string_evex;

/* The best instruction set this CPU and the platform's enabled state
 * allow; select one (tests and benchmarks run each one they can). */
enum libc_isa libc_isa_best(void);
/* CPUID leaf/subleaf into r[0..3] = EAX EBX ECX EDX (string_select.c). */
void libc_cpuid(u32 leaf, u32 sub, u32 r[4]);
#define CPUID1_ECX_OSXSAVE	(1u << 27)
#define CPUID1_ECX_AVX		(1u << 28)
const struct libc_string_impl *libc_string_variant(enum libc_isa isa);
void libc_string_select(enum libc_isa isa);
const char *libc_string_selected(void);
/* libc_string_select(libc_isa_best()): the start-up choice; it reads the
 * CPU again for __x86_get_cpuid_feature_leaf (cpu_features.c) first */
void libc_string_init(void);
void libc_cpu_features_init(void);

/* Small sizes, shared by the variants: overlapping scalar moves, no loop. */
static inline __attribute__((always_inline)) void
copy_small(u8 *d, const u8 *s, size_t n)	/* n < 16; overlap-safe */
{
	if (n >= 8) {
		u64 a, b;
		__builtin_memcpy(&a, s, 8);
		__builtin_memcpy(&b, s + n - 8, 8);
		__builtin_memcpy(d, &a, 8);
		__builtin_memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		u32 a, b;
		__builtin_memcpy(&a, s, 4);
		__builtin_memcpy(&b, s + n - 4, 4);
		__builtin_memcpy(d, &a, 4);
		__builtin_memcpy(d + n - 4, &b, 4);
	} else if (n) {
		u8 a = s[0], b = s[n / 2], c = s[n - 1];
		d[0] = a;
		d[n / 2] = b;
		d[n - 1] = c;
	}
}

static inline __attribute__((always_inline)) void
set_small(u8 *d, int c, size_t n)		/* n < 16 */
{
	u64 w = 0x0101010101010101ULL * (u8)c;

	if (n >= 8) {
		__builtin_memcpy(d, &w, 8);
		__builtin_memcpy(d + n - 8, &w, 8);
	} else if (n >= 4) {
		__builtin_memcpy(d, &w, 4);
		__builtin_memcpy(d + n - 4, &w, 4);
	} else if (n) {
		d[0] = d[n / 2] = d[n - 1] = (u8)c;
	}
}

static inline __attribute__((always_inline)) int
first_diff8(u64 a, u64 b)
{
	int i = __builtin_ctzll(a ^ b) / 8;

	return (int)((a >> (8 * i)) & 0xff) - (int)((b >> (8 * i)) & 0xff);
}

/* memcmp below 16 bytes */
static inline __attribute__((always_inline)) int
cmp_small(const u8 *a, const u8 *b, size_t n)
{
	if (n >= 8) {
		u64 x, y;
		__builtin_memcpy(&x, a, 8);
		__builtin_memcpy(&y, b, 8);
		if (x != y)
			return first_diff8(x, y);
		__builtin_memcpy(&x, a + n - 8, 8);
		__builtin_memcpy(&y, b + n - 8, 8);
		return x != y ? first_diff8(x, y) : 0;
	}
	for (; n; n--, a++, b++)
		if (*a != *b)
			return *a - *b;
	return 0;
}

/* W <= n <= 8 W bytes in blocks of W (V the vector type, LD and ST its
 * unaligned load and store): 2, 4 or 8 blocks from both ends, every load
 * before any store, so overlap-safe both ways.  The SSE2 variant's copies
 * up to 128 bytes and the AVX2 one's from 33 to 256. */
#define COPY_BLOCKS_UPTO8(V, LD, ST, W, d, s, n) do { \
	if ((n) <= 2 * (W)) { \
		V a_ = LD(s), b_ = LD((s) + (n) - (W)); \
		ST(d, a_); \
		ST((d) + (n) - (W), b_); \
	} else if ((n) <= 4 * (W)) { \
		V a_ = LD(s), b_ = LD((s) + (W)); \
		V c_ = LD((s) + (n) - 2 * (W)), e_ = LD((s) + (n) - (W)); \
		ST(d, a_); \
		ST((d) + (W), b_); \
		ST((d) + (n) - 2 * (W), c_); \
		ST((d) + (n) - (W), e_); \
	} else { \
		V a_ = LD(s), b_ = LD((s) + (W)), c_ = LD((s) + 2 * (W)), e_ = LD((s) + 3 * (W)); \
		V f_ = LD((s) + (n) - 4 * (W)), g_ = LD((s) + (n) - 3 * (W)); \
		V h_ = LD((s) + (n) - 2 * (W)), i_ = LD((s) + (n) - (W)); \
		ST(d, a_); \
		ST((d) + (W), b_); \
		ST((d) + 2 * (W), c_); \
		ST((d) + 3 * (W), e_); \
		ST((d) + (n) - 4 * (W), f_); \
		ST((d) + (n) - 3 * (W), g_); \
		ST((d) + (n) - 2 * (W), h_); \
		ST((d) + (n) - (W), i_); \
	} \
} while (0)

/* Large copies and fills: `rep movsb/stosb' is fastest on CPUs with ERMS
 * above a few KiB; below that the vector loops win. */
#define REP_THRESHOLD	2048

#endif
