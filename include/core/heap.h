#ifndef CORE_HEAP_H
#define CORE_HEAP_H

#include <core/types.h>

/* The core heap.  Freed blocks are reused (segregated free lists with
 * coalescing); a double free or a damaged block header is reported with
 * the address and stops the caller instead of corrupting the heap. */
void *heap_alloc(size_t size);
void *heap_alloc_aligned(size_t size, size_t align);
void *heap_zalloc(size_t size);
void *heap_realloc(void *p, size_t size);
void heap_free(void *p);
size_t heap_usable_size(const void *p);
bool heap_owns(const void *p);
char *heap_strdup(const char *s);

struct heap_stats {
	size_t arena_bytes;	/* obtained from the page allocator */
	size_t used_bytes;	/* payload bytes in live blocks */
	size_t live_blocks;
	size_t free_bytes;
	size_t total_allocs;
	size_t total_frees;
};
void heap_stats(struct heap_stats *st);

/* Called with a one-line description when heap metadata is found damaged.
 * The default panics; the blob runtime redirects it to blob containment. */
extern void (*heap_corruption_handler)(const char *what, const void *addr);

#endif
