/* malloc & co.  While a blob call runs, blocks come from that blob
 * namespace's own heap (ctx_heap), so whatever the blob does with
 * them (double free, overrun, use after free) stays in its pages and is
 * reported as its fault; otherwise from the core heap.  A free goes to the
 * heap that holds the pointer; during a blob call the core heap is never
 * one of them.  glibc's contracts: malloc(0) returns a unique pointer,
 * realloc(p, 0) frees, failures set ENOMEM. */
#include "libc.h"
#include <core/context.h>
#include <core/heap.h>

#define SITE ((u64)__builtin_return_address(0))

static struct heap *
blob_heap(void)
{
	return ctx_heap();
}

static struct heap *
alloc_heap(void)
{
	struct heap *h = blob_heap();

	return h ? h : core_heap;
}

/* The heap p belongs to; a pointer of no blob heap freed during a blob call
 * goes to that blob's heap, which reports it as foreign. */
static struct heap *
owner(const void *p)
{
	struct heap *h = heap_find(p);

	if (h)
		return h;
	h = blob_heap();
	return h ? h : core_heap;
}

static void *
alloc(size_t n, size_t align, u64 site)
{
	void *p = heap_alloc_in(alloc_heap(), n ? n : 1, align, site);

	if (!p)
		errno = ENOMEM;
	return p;
}

void *
malloc(size_t n)
{
	return alloc(n, 16, SITE);
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
	p = alloc(n * size, 16, SITE);
	if (p)
		memset(p, 0, n * size);
	return p;
}
EXPORT(calloc, LIBC);

void *
realloc(void *p, size_t n)
{
	void *q;

	if (!p)
		return alloc(n, 16, SITE);
	if (!n) {
		heap_free_in(owner(p), p, SITE);
		return NULL;
	}
	q = heap_realloc_in(owner(p), p, n, SITE);
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
		heap_free_in(owner(p), p, SITE);
}
EXPORT(free, LIBC);

size_t
malloc_usable_size(void *p)
{
	return p ? heap_usable_size_in(owner(p), p, SITE) : 0;
}
EXPORT(malloc_usable_size, LIBC);

/* ENOMEM also for alignments above a page */
static void *
aligned(size_t align, size_t n, u64 site)
{
	if (align & (align - 1) || !align) {
		errno = EINVAL;
		return NULL;
	}
	return alloc(n, align, site);
}

void *
memalign(size_t align, size_t n)
{
	return aligned(align, n, SITE);
}
EXPORT(memalign, LIBC);

void *
aligned_alloc(size_t align, size_t n)
{
	return aligned(align, n, SITE);
}
EXPORT(aligned_alloc, LIBC);

int
posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (align % sizeof(void *) || align & (align - 1) || !align)
		return EINVAL;
	p = heap_alloc_in(alloc_heap(), n ? n : 1, align, SITE);
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
	return aligned(PAGE_SIZE, n, SITE);
}
EXPORT(valloc, LIBC);
