/* SSE2 through gcc's vector extensions (emmintrin.h drags in <stdlib.h>
 * through mm_malloc.h, which the freestanding build cannot include). */
#ifndef LIBC_SIMD_H
#define LIBC_SIMD_H

#include <core/types.h>

/* Reads of whole aligned blocks pass object ends: not for ASan (host tests). */
#define SIMD_INLINE static inline __attribute__((always_inline, no_sanitize_address))

typedef char v16 __attribute__((vector_size(16)));

SIMD_INLINE v16
load16(const void *p)		/* unaligned */
{
	v16 v;

	__builtin_memcpy(&v, p, 16);
	return v;
}

SIMD_INLINE v16
load16a(const void *p)		/* 16-byte aligned */
{
	return *(const v16 *)p;
}

SIMD_INLINE void
store16(void *p, v16 v)
{
	__builtin_memcpy(p, &v, 16);
}

SIMD_INLINE void
store16a(void *p, v16 v)
{
	*(v16 *)p = v;
}

/* One bit per byte: set where a and b are equal. */
SIMD_INLINE unsigned
eqmask(v16 a, v16 b)
{
	return (unsigned)__builtin_ia32_pmovmskb128((v16)(a == b));
}

/* Bytewise unsigned minimum (pminub): a zero byte in any input survives. */
SIMD_INLINE v16
minu8(v16 a, v16 b)
{
	return __builtin_ia32_pminub128(a, b);
}

/* All-ones where equal (pcmpeqb). */
SIMD_INLINE v16
eqv(v16 a, v16 b)
{
	return (v16)(a == b);
}

SIMD_INLINE unsigned
maskof(v16 a)
{
	return (unsigned)__builtin_ia32_pmovmskb128(a);
}

SIMD_INLINE v16
splat16(u8 c)
{
	return (v16){ c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c };
}

#endif
