/* The AVX2 variants of memcpy, memmove, memset, memcmp, memchr and strlen:
 * 32-byte blocks, picked by string_select.c only where the CPU has AVX2
 * and the platform saves the YMM state.  Same shapes as the SSE2 ones in
 * string.c: overlapping head and tail blocks instead of byte loops, aligned
 * loads where a read must not pass the end of a page. */
#pragma GCC target("avx2")
#include "libc.h"
#include "string_impl.h"

#define AVX_INLINE static inline __attribute__((always_inline, no_sanitize_address))

typedef char v32 __attribute__((vector_size(32)));
typedef char v16x __attribute__((vector_size(16)));

AVX_INLINE v32
ld(const void *p)		/* unaligned */
{
	v32 v;

	__builtin_memcpy(&v, p, 32);
	return v;
}

AVX_INLINE v32
lda(const void *p)		/* 32-byte aligned */
{
	return *(const v32 *)p;
}

AVX_INLINE void
st(void *p, v32 v)
{
	__builtin_memcpy(p, &v, 32);
}

AVX_INLINE void
sta(void *p, v32 v)
{
	*(v32 *)p = v;
}

AVX_INLINE v16x
ld16(const void *p)
{
	v16x v;

	__builtin_memcpy(&v, p, 16);
	return v;
}

AVX_INLINE void
st16(void *p, v16x v)
{
	__builtin_memcpy(p, &v, 16);
}

AVX_INLINE unsigned
mask32(v32 v)			/* vpmovmskb: one bit per byte */
{
	return (unsigned)__builtin_ia32_pmovmskb256(v);
}

AVX_INLINE v32
splat(u8 c)
{
	return (v32){ c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c,
		      c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c };
}

/* n <= 256, all loads before any store: overlap-safe in both directions. */
AVX_INLINE void
copy_upto256(u8 *d, const u8 *s, size_t n)
{
	if (n < 16) {
		copy_small(d, s, n);
	} else if (n <= 32) {
		v16x a = ld16(s), b = ld16(s + n - 16);
		st16(d, a);
		st16(d + n - 16, b);
	} else if (n <= 64) {
		v32 a = ld(s), b = ld(s + n - 32);
		st(d, a);
		st(d + n - 32, b);
	} else if (n <= 128) {
		v32 a = ld(s), b = ld(s + 32), c = ld(s + n - 64), e = ld(s + n - 32);
		st(d, a);
		st(d + 32, b);
		st(d + n - 64, c);
		st(d + n - 32, e);
	} else {
		v32 a = ld(s), b = ld(s + 32), c = ld(s + 64), e = ld(s + 96);
		v32 f = ld(s + n - 128), g = ld(s + n - 96), h = ld(s + n - 64), i = ld(s + n - 32);
		st(d, a);
		st(d + 32, b);
		st(d + 64, c);
		st(d + 96, e);
		st(d + n - 128, f);
		st(d + n - 96, g);
		st(d + n - 64, h);
		st(d + n - 32, i);
	}
}

/* n > 256.  Every block is loaded before any store that could reach it,
 * so this is also memmove for dst < src. */
static LIBC_NO_ASAN void
copy_forward(u8 *d, const u8 *s, size_t n)
{
	v32 head = ld(s), tail = ld(s + n - 32);
	u8 *d0 = d, *dend = d + n;
	size_t skew = 32 - ((uintptr_t)d & 31);

	d += skew, s += skew, n -= skew;	/* head covers the skipped bytes */
	while (n >= 128) {
		v32 a = ld(s), b = ld(s + 32), c = ld(s + 64), e = ld(s + 96);
		sta(d, a);
		sta(d + 32, b);
		sta(d + 64, c);
		sta(d + 96, e);
		d += 128, s += 128, n -= 128;
	}
	while (n >= 32) {
		sta(d, ld(s));
		d += 32, s += 32, n -= 32;
	}
	st(dend - 32, tail);		/* covers the last n < 32 bytes */
	st(d0, head);
}

/* n > 256, dst > src: blocks from the end. */
static LIBC_NO_ASAN void
copy_backward(u8 *d, const u8 *s, size_t n)
{
	v32 head = ld(s), tail = ld(s + n - 32);
	size_t k = n - ((uintptr_t)(d + n) & 31);	/* d + k is aligned */

	while (k >= 128) {
		v32 a, b, c, e;
		k -= 128;
		a = ld(s + k + 96), b = ld(s + k + 64);
		c = ld(s + k + 32), e = ld(s + k);
		sta(d + k + 96, a);
		sta(d + k + 64, b);
		sta(d + k + 32, c);
		sta(d + k, e);
	}
	while (k >= 32) {
		k -= 32;
		sta(d + k, ld(s + k));
	}
	st(d, head);			/* covers the first k < 32 bytes */
	st(d + n - 32, tail);
}

/* Above 256 bytes, out of line: the small path then needs no frame and no
 * call (gcc would split the function and call the small part). */
static __attribute__((noinline)) LIBC_NO_ASAN void *
memcpy_large(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (n >= REP_THRESHOLD)
		__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	else
		copy_forward(d, s, n);
	return dst;
}

static LIBC_NO_ASAN void *
memcpy_avx2(void *dst, const void *src, size_t n)
{
	if (n > 256)
		return memcpy_large(dst, src, n);
	copy_upto256(dst, src, n);
	return dst;
}

static __attribute__((noinline)) LIBC_NO_ASAN void *
memmove_large(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		copy_forward(d, s, n);
	else
		copy_backward(d, s, n);
	return dst;
}

static LIBC_NO_ASAN void *
memmove_avx2(void *dst, const void *src, size_t n)
{
	if (n > 256)
		return memmove_large(dst, src, n);
	copy_upto256(dst, src, n);
	return dst;
}

static __attribute__((noinline)) LIBC_NO_ASAN void *
memset_large(void *p, int c, size_t n)
{
	u8 *d = p, *end = d + n;
	v32 v = splat((u8)c);

	if (n >= REP_THRESHOLD) {
		__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
		return p;
	}
	st(d, v);
	st(end - 32, v);
	d = (u8 *)ALIGN_UP((uintptr_t)d + 1, 32);
	for (; d + 128 <= end; d += 128) {
		sta(d, v);
		sta(d + 32, v);
		sta(d + 64, v);
		sta(d + 96, v);
	}
	for (; d + 32 <= end; d += 32)
		sta(d, v);
	return p;
}

/* Up to 256 bytes: head and tail blocks that overlap, no loop. */
static LIBC_NO_ASAN void *
memset_avx2(void *p, int c, size_t n)
{
	u8 *d = p, *end = d + n;
	v32 v;

	if (n < 16) {
		set_small(d, c, n);
		return p;
	}
	if (n > 256)
		return memset_large(p, c, n);
	v = splat((u8)c);
	if (n <= 32) {
		v16x h = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
		st16(d, h);
		st16(end - 16, h);
		return p;
	}
	st(d, v);
	st(end - 32, v);
	if (n <= 64)
		return p;
	st(d + 32, v);
	st(end - 64, v);
	if (n <= 128)
		return p;
	st(d + 64, v);
	st(d + 96, v);
	st(end - 128, v);
	st(end - 96, v);
	return p;
}

AVX_INLINE int
diff_at(const u8 *a, const u8 *b, size_t i, unsigned eq)
{
	size_t j = i + __builtin_ctz(~eq);

	return a[j] - b[j];
}

static LIBC_NO_ASAN int
memcmp_avx2(const void *pa, const void *pb, size_t n)
{
	const u8 *a = pa, *b = pb;
	size_t i = 0;
	unsigned m;

	if (n < 16)
		return cmp_small(a, b, n);
	if (n <= 32) {
		m = (unsigned)__builtin_ia32_pmovmskb128((v16x)(ld16(a) == ld16(b)));
		if (m != 0xffff)
			return diff_at(a, b, 0, m | 0xffff0000);
		m = (unsigned)__builtin_ia32_pmovmskb128((v16x)(ld16(a + n - 16) == ld16(b + n - 16)));
		return m != 0xffff ? diff_at(a, b, n - 16, m | 0xffff0000) : 0;
	}
	/* 128 bytes per round: one mask test for four blocks */
	for (; i + 128 <= n; i += 128) {
		v32 e0 = (v32)(ld(a + i) == ld(b + i));
		v32 e1 = (v32)(ld(a + i + 32) == ld(b + i + 32));
		v32 e2 = (v32)(ld(a + i + 64) == ld(b + i + 64));
		v32 e3 = (v32)(ld(a + i + 96) == ld(b + i + 96));

		if (mask32(e0 & e1 & e2 & e3) != 0xffffffff) {
			if ((m = mask32(e0)) != 0xffffffff)
				return diff_at(a, b, i, m);
			if ((m = mask32(e1)) != 0xffffffff)
				return diff_at(a, b, i + 32, m);
			if ((m = mask32(e2)) != 0xffffffff)
				return diff_at(a, b, i + 64, m);
			return diff_at(a, b, i + 96, mask32(e3));
		}
	}
	for (; i + 32 <= n; i += 32)
		if ((m = mask32((v32)(ld(a + i) == ld(b + i)))) != 0xffffffff)
			return diff_at(a, b, i, m);
	if (i < n) {	/* the last block overlaps equal bytes */
		m = mask32((v32)(ld(a + n - 32) == ld(b + n - 32)));
		if (m != 0xffffffff)
			return diff_at(a, b, n - 32, m);
	}
	return 0;
}

/* Where the 128-byte aligned block at p (inside one page) holds c: bit i
 * of lo:hi for byte i. */
AVX_INLINE void
block128(const u8 *p, v32 cv, u64 *lo, u64 *hi)
{
	*lo = mask32((v32)(lda(p) == cv)) | (u64)mask32((v32)(lda(p + 32) == cv)) << 32;
	*hi = mask32((v32)(lda(p + 64) == cv)) | (u64)mask32((v32)(lda(p + 96) == cv)) << 32;
}

/* The first set bit of lo:hi at or after from (< 128), or 128. */
AVX_INLINE size_t
first_from(u64 lo, u64 hi, size_t from)
{
	if (from < 64) {
		lo &= ~0ULL << from;
		if (lo)
			return __builtin_ctzll(lo);
		from = 0;
	} else {
		from -= 64;
	}
	hi &= ~0ULL << from;
	return hi ? 64 + __builtin_ctzll(hi) : 128;
}

/* The first 128-byte aligned block in [p, last) holding c, or last (an
 * integer: it may be the last block of the address space).  The
 * loop is asm, aligned to 64 bytes and 48 bytes long, so that it sits in
 * one fetch block wherever the linker puts the function: compiled from C,
 * its speed at 4 KiB moved between 0.55x and 1.05x of glibc's with the
 * function's address mod 64 (bench/libc.c's code layouts). */
AVX_INLINE const u8 *
scan128(const u8 *p, uintptr_t last, v32 cv)
{
	unsigned m;

	__asm__("jmp 3f\n\t"
		".p2align 6\n"
		"1:\n\t"
		"vpcmpeqb (%0), %3, %%ymm1\n\t"
		"vpcmpeqb 32(%0), %3, %%ymm2\n\t"
		"vpcmpeqb 64(%0), %3, %%ymm3\n\t"
		"vpcmpeqb 96(%0), %3, %%ymm4\n\t"
		"vpor %%ymm2, %%ymm1, %%ymm1\n\t"
		"vpor %%ymm4, %%ymm3, %%ymm3\n\t"
		"vpor %%ymm3, %%ymm1, %%ymm1\n\t"
		"vpmovmskb %%ymm1, %1\n\t"
		"test %1, %1\n\t"
		"jnz 2f\n\t"
		"sub $-128, %0\n"
		"3:\n\t"
		"cmp %2, %0\n\t"
		"jb 1b\n"
		"2:"
		: "+r"(p), "=&r"(m) : "r"(last), "x"(cv)
		: "xmm1", "xmm2", "xmm3", "xmm4", "cc", "memory");
	return p;
}

/* Aligned loads only: memchr stops at the first match, and callers rely on
 * memchr(s, 0, SIZE_MAX) not reading past the page that holds it.  So it
 * reads whole 128-byte aligned blocks (never across a page), each only when
 * it holds a byte of the range and the blocks before had no match: s's own
 * block, then four compares OR-ed per block, the last block exactly.  No
 * loop of single 32-byte blocks: that is what kept 256 bytes at 0.6x
 * glibc. */
static LIBC_NO_ASAN void *
memchr_avx2(const void *s, int c, size_t n)
{
	const u8 *p = (const u8 *)ALIGN_DOWN((uintptr_t)s, 32);
	size_t off = (uintptr_t)s & 31, i;
	v32 cv = splat((u8)c);
	u64 lo, hi;
	unsigned m;

	if (n <= 32 - off) {		/* within s's 32-byte block */
		if (!n)
			return NULL;
		m = mask32((v32)(lda(p) == cv)) >> off;
		return m && (size_t)__builtin_ctz(m) < n ? (u8 *)s + __builtin_ctz(m) : NULL;
	}
	p = (const u8 *)ALIGN_DOWN((uintptr_t)s, 128);
	off = (uintptr_t)s & 127;
	block128(p, cv, &lo, &hi);
	i = first_from(lo, hi, off);
	if (i < 128)
		return i - off < n ? (void *)(p + i) : NULL;
	if (n <= 128 - off)
		return NULL;
	n -= 128 - off;
	{
		/* the block holding the range's last byte (n may be SIZE_MAX:
		 * no further than the address space goes) */
		const u8 *first = p + 128;
		size_t room = UINTPTR_MAX - (uintptr_t)first;

		p = scan128(first, (uintptr_t)first + ALIGN_DOWN(MIN(n - 1, room), 128), cv);
		n -= (size_t)(p - first);
	}
	block128(p, cv, &lo, &hi);	/* the block that matched, or the last */
	i = first_from(lo, hi, 0);
	return i < n ? (void *)(p + i) : NULL;
}

/* memchr for CPUs with AVX-512 VL and BW (EVEX): the same 128-byte
 * blocks, computed in ymm16-31 only, so ymm0-15 stay clean and no
 * vzeroupper is needed on return (it is the ~15 % gap to glibc at 256
 * bytes here; glibc's EVEX memchr avoids it the same way).  Each asm
 * statement broadcasts the byte itself: nothing lives in a register gcc
 * does not know about between them. */
AVX_INLINE unsigned
evex_eq32(const u8 *p, int c)		/* 32-byte aligned */
{
	unsigned m;

	__asm__("vpbroadcastb %2, %%ymm16\n\t"
		"vpcmpeqb (%1), %%ymm16, %%k1\n\t"
		"kmovd %%k1, %0"
		: "=r"(m) : "r"(p), "r"(c), "m"(*(const u8 (*)[32])p));
	return m;
}

/* Any byte of the 128-byte aligned block at p equal to c: the bytes XOR c
 * are 0 there, and the minimum of four blocks has a 0 byte iff one has. */
AVX_INLINE bool
evex_any128(const u8 *p, int c)
{
	unsigned m;

	__asm__("vpbroadcastb %2, %%ymm16\n\t"
		"vpxorq (%1), %%ymm16, %%ymm17\n\t"
		"vpxorq 32(%1), %%ymm16, %%ymm18\n\t"
		"vpxorq 64(%1), %%ymm16, %%ymm19\n\t"
		"vpxorq 96(%1), %%ymm16, %%ymm20\n\t"
		"vpminub %%ymm18, %%ymm17, %%ymm17\n\t"
		"vpminub %%ymm20, %%ymm19, %%ymm19\n\t"
		"vpminub %%ymm19, %%ymm17, %%ymm17\n\t"
		"vptestnmb %%ymm17, %%ymm17, %%k1\n\t"
		"kmovd %%k1, %0"
		: "=r"(m) : "r"(p), "r"(c), "m"(*(const u8 (*)[128])p));
	return m != 0;
}

AVX_INLINE void
evex_block128(const u8 *p, int c, u64 *lo, u64 *hi)
{
	*lo = evex_eq32(p, c) | (u64)evex_eq32(p + 32, c) << 32;
	*hi = evex_eq32(p + 64, c) | (u64)evex_eq32(p + 96, c) << 32;
}

/* 33 to 512 bytes (the sizes where vzeroupper weighs); the rest is
 * memchr_avx2's. */
static LIBC_NO_ASAN void *
memchr_evex(const void *s, int c, size_t n)
{
	const u8 *p = (const u8 *)ALIGN_DOWN((uintptr_t)s, 128);
	size_t off = (uintptr_t)s & 127, i;
	u64 lo, hi;

	if (n <= 32 - ((uintptr_t)s & 31)) {	/* within s's 32-byte block */
		const u8 *q = (const u8 *)ALIGN_DOWN((uintptr_t)s, 32);
		unsigned m;

		if (!n)
			return NULL;
		m = mask32((v32)(lda(q) == splat((u8)c))) >> ((uintptr_t)s & 31);
		return m && (size_t)__builtin_ctz(m) < n ? (u8 *)s + __builtin_ctz(m) : NULL;
	}
	if (n > 512)
		return memchr_avx2(s, c, n);
	c = (u8)c;
	if (evex_any128(p, c)) {
		evex_block128(p, c, &lo, &hi);
		i = first_from(lo, hi, off);
		if (i < 128)
			return i - off < n ? (void *)(p + i) : NULL;
	}
	if (n <= 128 - off)
		return NULL;
	n -= 128 - off;
	for (p += 128; !evex_any128(p, c); p += 128, n -= 128)
		if (n <= 128)
			return NULL;
	evex_block128(p, c, &lo, &hi);	/* the block that matched */
	i = first_from(lo, hi, 0);
	return i < n ? (void *)(p + i) : NULL;
}

/* Aligned 32-byte loads never cross a page.  Rounds of 128 bytes: the
 * minimum of four blocks has a zero byte iff one of them does. */
static LIBC_NO_ASAN size_t
strlen_avx2(const char *s)
{
	const char *p = (const char *)ALIGN_DOWN((uintptr_t)s, 32);
	v32 zero = splat(0);
	unsigned m = mask32((v32)(lda(p) == zero)) >> ((uintptr_t)s & 31);

	if (m)
		return __builtin_ctz(m);
	for (p += 32; (uintptr_t)p & 127; p += 32) {
		m = mask32((v32)(lda(p) == zero));
		if (m)
			return p + __builtin_ctz(m) - s;
	}
	for (;; p += 128) {
		v32 a = lda(p), b = lda(p + 32), c = lda(p + 64), d = lda(p + 96);
		v32 lo = __builtin_ia32_pminub256(__builtin_ia32_pminub256(a, b),
						  __builtin_ia32_pminub256(c, d));

		if (mask32((v32)(lo == zero)))
			break;
	}
	for (;; p += 32) {
		m = mask32((v32)(lda(p) == zero));
		if (m)
			return p + __builtin_ctz(m) - s;
	}
}

const struct libc_string_impl libc_string_avx2 = {
	"avx2", memcpy_avx2, memmove_avx2, memset_avx2, memcmp_avx2, memchr_avx2, strlen_avx2,
};

/* AVX2, with memchr's compares in EVEX form (AVX-512 VL and BW). */
const struct libc_string_impl libc_string_evex = {
	"evex", memcpy_avx2, memmove_avx2, memset_avx2, memcmp_avx2, memchr_evex, strlen_avx2,
};
