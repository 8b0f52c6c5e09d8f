/* Memory functions with glibc's names: blobs import them and the core calls
 * them.  memcpy, memmove, memset, memcmp, memchr and strlen jump through
 * the pointers string_select.c sets at start-up; this file holds their
 * SSE2 variants (16-byte blocks; every x86-64 CPU has them), the AVX2 ones
 * are in string_avx2.c.  Small sizes use overlapping loads so that no size
 * needs a byte loop. */
#include "libc.h"
#include "simd.h"
#include "string_impl.h"

/* 16 <= n <= 64, all loads before stores: overlap-safe. */
static inline void
copy_medium(u8 *d, const u8 *s, size_t n)
{
	v16 a = load16(s), b = load16(s + n - 16);

	if (n > 32) {
		v16 c = load16(s + 16), e = load16(s + n - 32);
		store16(d + 16, c);
		store16(d + n - 32, e);
	}
	store16(d, a);
	store16(d + n - 16, b);
}

/* n > 64.  Every load of a block happens before any store that could
 * reach it, so this is also memmove for dst < src. */
static void
copy_forward(u8 *d, const u8 *s, size_t n)
{
	v16 head = load16(s), tail = load16(s + n - 16);
	u8 *d0 = d, *dend = d + n;
	size_t skew = 16 - ((uintptr_t)d & 15);

	d += skew, s += skew, n -= skew;	/* head covers the skipped bytes */
	while (n >= 64) {
		v16 a = load16(s), b = load16(s + 16), c = load16(s + 32), e = load16(s + 48);
		store16a(d, a);
		store16a(d + 16, b);
		store16a(d + 32, c);
		store16a(d + 48, e);
		d += 64, s += 64, n -= 64;
	}
	while (n >= 16) {
		store16a(d, load16(s));
		d += 16, s += 16, n -= 16;
	}
	store16(dend - 16, tail);	/* covers the last n < 16 bytes */
	store16(d0, head);
}

/* n > 64, dst > src: blocks from the end. */
static void
copy_backward(u8 *d, const u8 *s, size_t n)
{
	v16 head = load16(s), tail = load16(s + n - 16);
	size_t k = n - ((uintptr_t)(d + n) & 15);	/* d + k is aligned */

	while (k >= 64) {
		v16 a, b, c, e;
		k -= 64;
		a = load16(s + k + 48), b = load16(s + k + 32);
		c = load16(s + k + 16), e = load16(s + k);
		store16a(d + k + 48, a);
		store16a(d + k + 32, b);
		store16a(d + k + 16, c);
		store16a(d + k, e);
	}
	while (k >= 16) {
		k -= 16;
		store16a(d + k, load16(s + k));
	}
	store16(d, head);		/* covers the first k < 16 bytes */
	store16(d + n - 16, tail);
}

static LIBC_NO_ASAN void *
memcpy_sse2(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (n < 16)
		copy_small(d, s, n);
	else if (n <= 64)
		copy_medium(d, s, n);
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

static LIBC_NO_ASAN void *
memmove_sse2(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (n < 16)
		copy_small(d, s, n);
	else if (n <= 64)
		copy_medium(d, s, n);
	else if (d <= s || d >= s + n)
		copy_forward(d, s, n);
	else
		copy_backward(d, s, n);
	return dst;
}

static LIBC_NO_ASAN void *
memset_sse2(void *p, int c, size_t n)
{
	u8 *d = p;
	if (n < 16) {
		set_small(d, c, n);
		return p;
	}
	if (n >= REP_THRESHOLD) {
		__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
		return p;
	}
	{
		v16 v = splat16((u8)c);
		u8 *end = d + n;

		store16(d, v);
		store16(end - 16, v);
		d = (u8 *)ALIGN_UP((uintptr_t)d + 1, 16);
		for (; d + 64 <= end; d += 64) {
			store16a(d, v);
			store16a(d + 16, v);
			store16a(d + 32, v);
			store16a(d + 48, v);
		}
		for (; d + 16 <= end; d += 16)
			store16a(d, v);
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
