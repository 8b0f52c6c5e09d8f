/* malloc & co on the core heap (16-byte aligned blocks, corruption checks
 * at free).  glibc's contracts: malloc(0) returns a unique pointer,
 * realloc(p, 0) frees, failures set ENOMEM. */
#include "libc.h"
#include <core/heap.h>

void *
malloc(size_t n)
{
	void *p = heap_alloc(n ? n : 1);

	if (!p)
		errno = ENOMEM;
	return p;
}
EXPORT(malloc, LIBC);

void *
calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}
EXPORT(calloc, LIBC);

void *
realloc(void *p, size_t n)
{
	void *q;

	if (p && !n) {
		heap_free(p);
		return NULL;
	}
	q = heap_realloc(p, n ? n : 1);
	if (!q)
		errno = ENOMEM;
	return q;
}
EXPORT(realloc, LIBC);

void *
reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}
EXPORT(reallocarray, LIBC);

void
free(void *p)
{
	if (p)
		heap_free(p);
}
EXPORT(free, LIBC);

size_t
malloc_usable_size(void *p)
{
	return p ? heap_usable_size(p) : 0;
}
EXPORT(malloc_usable_size, LIBC);

static void *
aligned(size_t align, size_t n)
{
	void *p;

	if (align & (align - 1) || !align) {
		errno = EINVAL;
		return NULL;
	}
	p = heap_alloc_aligned(n ? n : 1, align);
	if (!p)
		errno = ENOMEM;	/* also: alignments above a page */
	return p;
}

void *
memalign(size_t align, size_t n)
{
	return aligned(align, n);
}
EXPORT(memalign, LIBC);

void *
aligned_alloc(size_t align, size_t n)
{
	return aligned(align, n);
}
EXPORT(aligned_alloc, LIBC);

int
posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (align % sizeof(void *) || align & (align - 1) || !align)
		return EINVAL;
	p = heap_alloc_aligned(n ? n : 1, align);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
EXPORT(posix_memalign, LIBC);

void *valloc(size_t n);
void *
valloc(size_t n)
{
	return aligned(PAGE_SIZE, n);
}
EXPORT(valloc, LIBC);
