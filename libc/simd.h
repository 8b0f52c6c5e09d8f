/* SSE2 through gcc's vector extensions (emmintrin.h drags in <stdlib.h>
 * through mm_malloc.h, which the freestanding build cannot include). */
#ifndef LIBC_SIMD_H
#define LIBC_SIMD_H

#include <core/types.h>

typedef char v16 __attribute__((vector_size(16)));

static inline v16
load16(const void *p)		/* unaligned */
{
	v16 v;

	__builtin_memcpy(&v, p, 16);
	return v;
}

static inline v16
load16a(const void *p)		/* 16-byte aligned */
{
	return *(const v16 *)p;
}

static inline void
store16(void *p, v16 v)
{
	__builtin_memcpy(p, &v, 16);
}

static inline void
store16a(void *p, v16 v)
{
	*(v16 *)p = v;
}

/* One bit per byte: set where a and b are equal. */
static inline unsigned
eqmask(v16 a, v16 b)
{
	return (unsigned)__builtin_ia32_pmovmskb128((v16)(a == b));
}

static inline v16
splat16(u8 c)
{
	return (v16){ c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c };
}

#endif
