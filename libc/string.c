/* Memory functions with glibc's names: blobs import them and the core calls
 * them.  memcpy, memmove, memset, memcmp, memchr and strlen jump through
 * the pointers string_select.c sets at start-up; this file holds their
 * SSE2 variants (16-byte blocks; every x86-64 CPU has them), the AVX2 ones
 * are in string_avx2.c.  Small sizes use overlapping loads so that no size
 * needs a byte loop. */
#include "libc.h"
#include "simd.h"
#include "string_impl.h"

/* The SSE2 copies and fills follow the shape that makes glibc's SSE2
 * code fast (measured by bench/libc against it): no byte loops and no
 * 16-byte remainder loops, only overlapping unaligned blocks at both ends
 * and an aligned 64-byte loop in between.  Everything is inlined into the
 * three entry points (a call and a frame cost 256-byte copies ~20 %). */

/* 16 <= n <= 128: every load before any store, so also memmove. */
static inline __attribute__((always_inline)) void
copy_upto128(u8 *d, const u8 *s, size_t n)
{
	if (n <= 32) {
		v16 a = load16(s), b = load16(s + n - 16);
		store16(d, a);
		store16(d + n - 16, b);
	} else if (n <= 64) {
		v16 a = load16(s), b = load16(s + 16);
		v16 c = load16(s + n - 32), e = load16(s + n - 16);
		store16(d, a);
		store16(d + 16, b);
		store16(d + n - 32, c);
		store16(d + n - 16, e);
	} else {
		v16 a = load16(s), b = load16(s + 16), c = load16(s + 32), e = load16(s + 48);
		v16 f = load16(s + n - 64), g = load16(s + n - 48);
		v16 h = load16(s + n - 32), i = load16(s + n - 16);
		store16(d, a);
		store16(d + 16, b);
		store16(d + 32, c);
		store16(d + 48, e);
		store16(d + n - 64, f);
		store16(d + n - 48, g);
		store16(d + n - 32, h);
		store16(d + n - 16, i);
	}
}

/* n > 128, and dst < src or the two do not overlap.  The first block and
 * the last four are loaded before the loop and stored after it; the loop
 * stores 64 bytes at a time at 16-aligned addresses from just past dst's
 * first block until the last four blocks remain.  Each store reaches only
 * bytes the loads before it have read, so this is memmove forwards too. */
static inline __attribute__((always_inline)) void
copy_forward(u8 *d, const u8 *s, size_t n)
{
	v16 head = load16(s);
	v16 t0 = load16(s + n - 64), t1 = load16(s + n - 48);
	v16 t2 = load16(s + n - 32), t3 = load16(s + n - 16);
	u8 *dend = d + n, *stop = dend - 64;
	size_t skew = 16 - ((uintptr_t)d & 15);	/* 1..16: head covers it */
	u8 *p = d + skew;
	const u8 *q = s + skew;

	do {
		v16 a = load16(q), b = load16(q + 16), c = load16(q + 32), e = load16(q + 48);
		store16a(p, a);
		store16a(p + 16, b);
		store16a(p + 32, c);
		store16a(p + 48, e);
		p += 64, q += 64;
	} while (p < stop);
	store16(stop, t0);
	store16(stop + 16, t1);
	store16(stop + 32, t2);
	store16(stop + 48, t3);
	store16(d, head);
}

/* n > 128, src < dst < src + n: the mirror image.  The last block and the
 * first four are loaded first; the loop stores 64 bytes at a time
 * downwards from dst's end rounded down to 16 until the first four
 * blocks remain. */
static inline __attribute__((always_inline)) void
copy_backward(u8 *d, const u8 *s, size_t n)
{
	v16 tail = load16(s + n - 16);
	v16 h0 = load16(s), h1 = load16(s + 16), h2 = load16(s + 32), h3 = load16(s + 48);
	u8 *p = (u8 *)ALIGN_DOWN((uintptr_t)(d + n), 16), *stop = d + 64;
	const u8 *q = s + (p - d);

	do {
		v16 a, b, c, e;
		p -= 64, q -= 64;
		a = load16(q + 48), b = load16(q + 32), c = load16(q + 16), e = load16(q);
		store16a(p + 48, a);
		store16a(p + 32, b);
		store16a(p + 16, c);
		store16a(p, e);
	} while (p > stop);
	store16(d, h0);
	store16(d + 16, h1);
	store16(d + 32, h2);
	store16(d + 48, h3);
	store16(d + n - 16, tail);
}

static LIBC_NO_ASAN void *
memcpy_sse2(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (n < 16)
		copy_small(d, s, n);
	else if (n <= 128)
		copy_upto128(d, s, n);
	else if (n >= REP_THRESHOLD)
		__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	else
		copy_forward(d, s, n);
	return dst;
}

void *
mempcpy(void *dst, const void *src, size_t n)
{
	return (u8 *)memcpy(dst, src, n) + n;
}
EXPORT(mempcpy, LIBC);

/* Forwards unless dst lies inside the source (dst - src < n, unsigned);
 * `rep movsb' only when the two do not overlap at all, as in memcpy. */
static LIBC_NO_ASAN void *
memmove_sse2(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (n < 16)
		copy_small(d, s, n);
	else if (n <= 128)
		copy_upto128(d, s, n);
	else if ((uintptr_t)d - (uintptr_t)s < n)
		copy_backward(d, s, n);
	else if (n >= REP_THRESHOLD && (uintptr_t)s - (uintptr_t)d >= n)
		__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	else
		copy_forward(d, s, n);
	return dst;
}

/* Up to 256 bytes no loop: 2, 4, 8 or 16 stores, the last ones
 * overlapping the first; above, the first and last 64 bytes unaligned and
 * 64-aligned blocks of 64 in between.  The largest sizes are tested
 * first: the 256-byte case took 0.72x glibc's time behind four branches. */
#define SET4(p, v)	(store16((p), v), store16((p) + 16, v), store16((p) + 32, v), store16((p) + 48, v))

static LIBC_NO_ASAN void *
memset_sse2(void *p, int c, size_t n)
{
	u8 *d = p, *end = d + n, *q;
	v16 v;

	if (n < 16) {
		set_small(d, c, n);
		return p;
	}
	v = splat16((u8)c);
	if (n > 128) {
		if (n <= 256) {
			SET4(d, v);
			SET4(d + 64, v);
			SET4(end - 128, v);
			SET4(end - 64, v);
		} else if (n >= REP_THRESHOLD) {
			__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
		} else {
			SET4(d, v);
			for (q = (u8 *)ALIGN_DOWN((uintptr_t)d + 64, 64); q < end - 64; q += 64) {
				store16a(q, v);
				store16a(q + 16, v);
				store16a(q + 32, v);
				store16a(q + 48, v);
			}
			SET4(end - 64, v);
		}
	} else if (n > 64) {
		SET4(d, v);
		SET4(end - 64, v);
	} else if (n > 32) {
		store16(d, v);
		store16(d + 16, v);
		store16(end - 32, v);
		store16(end - 16, v);
	} else {
		store16(d, v);
		store16(end - 16, v);
	}
	return p;
}

void
bzero(void *p, size_t n)
{
	memset(p, 0, n);
}
EXPORT(bzero, LIBC);

void
explicit_bzero(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ volatile("" : : "r"(p) : "memory");	/* not optimised away */
}
EXPORT(explicit_bzero, LIBC);

static inline int
diff_at(const u8 *a, const u8 *b, size_t i, unsigned eq)
{
	size_t j = i + __builtin_ctz(~eq);

	return a[j] - b[j];
}

static LIBC_NO_ASAN int
memcmp_sse2(const void *pa, const void *pb, size_t n)
{
	const u8 *a = pa, *b = pb;

	if (n >= 16) {
		size_t i = 0;

		/* 64 bytes per round: one mask test for four blocks. */
		for (; i + 64 <= n; i += 64) {
			v16 e0 = eqv(load16(a + i), load16(b + i));
			v16 e1 = eqv(load16(a + i + 16), load16(b + i + 16));
			v16 e2 = eqv(load16(a + i + 32), load16(b + i + 32));
			v16 e3 = eqv(load16(a + i + 48), load16(b + i + 48));

			if (maskof(e0 & e1 & e2 & e3) != 0xffff) {
				unsigned m;
				if ((m = maskof(e0)) != 0xffff)
					return diff_at(a, b, i, m);
				if ((m = maskof(e1)) != 0xffff)
					return diff_at(a, b, i + 16, m);
				if ((m = maskof(e2)) != 0xffff)
					return diff_at(a, b, i + 32, m);
				return diff_at(a, b, i + 48, maskof(e3));
			}
		}
		for (; i + 16 <= n; i += 16) {
			unsigned m = eqmask(load16(a + i), load16(b + i));
			if (m != 0xffff)
				return diff_at(a, b, i, m);
		}
		if (i < n) {	/* the last block overlaps equal bytes */
			unsigned m = eqmask(load16(a + n - 16), load16(b + n - 16));
			if (m != 0xffff)
				return diff_at(a, b, n - 16, m);
		}
		return 0;
	}
	return cmp_small(a, b, n);
}

int
bcmp(const void *a, const void *b, size_t n)
{
	return memcmp(a, b, n);
}
EXPORT(bcmp, LIBC);

/* Aligned loads only: C defines memchr as stopping at the first match, and
 * callers rely on memchr(s, 0, SIZE_MAX) not reading past the page.  After
 * the head, 16-byte blocks up to a 64-byte boundary, then rounds of 64
 * bytes while more than 64 remain: four compares OR-ed, one test (16
 * bytes a round kept 256 B and 4 KiB at 0.6x glibc's SSE2 code); the
 * block that matched, or the last if it holds c at all, is then read 16
 * bytes at a time. */
static inline __attribute__((always_inline)) LIBC_NO_ASAN bool
has_byte64(const u8 *p, v16 cv)
{
	v16 a = eqv(load16a(p), cv), b = eqv(load16a(p + 16), cv);
	v16 c = eqv(load16a(p + 32), cv), d = eqv(load16a(p + 48), cv);

	return maskof(a | b | c | d) != 0;
}

static LIBC_NO_ASAN void *
memchr_sse2(const void *s, int c, size_t n)
{
	const u8 *p = (const u8 *)ALIGN_DOWN((uintptr_t)s, 16);
	size_t off = (uintptr_t)s & 15, avail = 16 - off;
	v16 cv = splat16((u8)c);
	unsigned m;

	if (!n)
		return NULL;
	m = eqmask(load16a(p), cv) >> off;
	if (m)
		return (size_t)__builtin_ctz(m) < n ? (u8 *)s + __builtin_ctz(m) : NULL;
	if (n <= avail)
		return NULL;
	n -= avail;
	for (p += 16; (uintptr_t)p & 63; p += 16, n -= 16) {
		m = eqmask(load16a(p), cv);
		if (m)
			return (size_t)__builtin_ctz(m) < n ? (void *)(p + __builtin_ctz(m)) : NULL;
		if (n <= 16)
			return NULL;
	}
	for (; n > 64 && !has_byte64(p, cv); p += 64)
		n -= 64;
	if (n <= 64 && !has_byte64(p, cv))	/* the last block, whole */
		return NULL;
	for (;; p += 16, n -= 16) {
		m = eqmask(load16a(p), cv);
		if (m)
			return (size_t)__builtin_ctz(m) < n ? (void *)(p + __builtin_ctz(m)) : NULL;
		if (n <= 16)
			return NULL;
	}
}

void *
memrchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	while (n--)
		if (p[n] == (u8)c)
			return (void *)(p + n);
	return NULL;
}
EXPORT(memrchr, LIBC);

/* Aligned 16-byte loads never cross a page, so reading past the
 * terminator within the block is safe.  After the head, rounds of 64
 * bytes, two per loop: the minimum of four blocks has a zero byte iff one
 * of them does; the block holding it is then found 16 bytes at a time. */
static inline __attribute__((always_inline)) LIBC_NO_ASAN bool
has_zero64(const char *p, v16 zero)
{
	v16 a = load16a(p), b = load16a(p + 16), c = load16a(p + 32), d = load16a(p + 48);

	return maskof(eqv(minu8(minu8(a, b), minu8(c, d)), zero)) != 0;
}

static LIBC_NO_ASAN size_t
strlen_sse2(const char *s)
{
	const char *p = (const char *)ALIGN_DOWN((uintptr_t)s, 16);
	v16 zero = splat16(0);
	unsigned m = eqmask(load16a(p), zero) >> ((uintptr_t)s & 15);

	if (m)
		return __builtin_ctz(m);
	for (p += 16; (uintptr_t)p & 63; p += 16) {
		m = eqmask(load16a(p), zero);
		if (m)
			return p + __builtin_ctz(m) - s;
	}
	for (;; p += 64) {
		if (has_zero64(p, zero))
			break;
		p += 64;
		if (has_zero64(p, zero))
			break;
	}
	for (;; p += 16) {
		m = eqmask(load16a(p), zero);
		if (m)
			return p + __builtin_ctz(m) - s;
	}
}

size_t
strnlen(const char *s, size_t max)
{
	const char *z = memchr(s, 0, max);

	return z ? (size_t)(z - s) : max;
}
EXPORT(strnlen, LIBC);

const struct libc_string_impl libc_string_sse2 = {
	"sse2", memcpy_sse2, memmove_sse2, memset_sse2, memcmp_sse2, memchr_sse2, strlen_sse2,
};

/* The exported names: one indirect jump each (what a blob's PLT does for
 * glibc's IFUNC-selected functions too).  SSE2 until start-up selects. */
static struct libc_string_impl impl = {
	"sse2", memcpy_sse2, memmove_sse2, memset_sse2, memcmp_sse2, memchr_sse2, strlen_sse2,
};

void
libc_string_select(enum libc_isa isa)
{
	impl = *libc_string_variant(isa);
}

const char *
libc_string_selected(void)
{
	return impl.name;
}

void *
memcpy(void *dst, const void *src, size_t n)
{
	return impl.memcpy(dst, src, n);
}
EXPORT(memcpy, LIBC);

void *
memmove(void *dst, const void *src, size_t n)
{
	return impl.memmove(dst, src, n);
}
EXPORT(memmove, LIBC);

void *
memset(void *p, int c, size_t n)
{
	return impl.memset(p, c, n);
}
EXPORT(memset, LIBC);

int
memcmp(const void *a, const void *b, size_t n)
{
	return impl.memcmp(a, b, n);
}
EXPORT(memcmp, LIBC);

void *
memchr(const void *s, int c, size_t n)
{
	return impl.memchr(s, c, n);
}
EXPORT(memchr, LIBC);

size_t
strlen(const char *s)
{
	return impl.strlen(s);
}
EXPORT(strlen, LIBC);
