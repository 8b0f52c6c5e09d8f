#ifndef CORE_HEAP_H
#define CORE_HEAP_H

#include <core/types.h>

/* Heaps: boundary-tag blocks in arenas of pages, segregated free lists with
 * coalescing.  The core has one (heap_alloc & co); each blob namespace gets
 * its own (heap_create), so nothing a blob does to its blocks reaches the
 * core's.  Every block header records the call sites that allocated and
 * freed it; a double free, a foreign pointer or a damaged header is
 * reported to the heap's owner with both, instead of corrupting the heap. */
struct heap;

/* What went wrong, for the owner's report.  Sites are return addresses
 * (0: unknown). */
struct heap_misuse {
	const char *what;	/* "double free", "free of a pointer this heap never returned", ... */
	const void *addr;	/* the pointer given (or the damaged block) */
	u64 site;		/* the call that found it */
	u64 alloc_site;		/* who allocated the block, when known */
	u64 free_site;		/* who freed it before, when known */
};

/* Where a heap's pages come from and who hears about misuse.  A later
 * protection domain supplies its own page source; `misuse' must not return
 * into the heap (it longjmps, aborts the blob call or panics) unless it is
 * a test. */
struct heap_ops {
	void *(*pages_alloc)(void *ctx, size_t npages);
	void (*pages_free)(void *ctx, void *p, size_t npages);
	void (*misuse)(void *ctx, const struct heap_misuse *m);
	void *ctx;
	bool untrusted;		/* validate every free-list link before following it */
};

struct heap_stats {
	size_t arena_bytes;	/* obtained from the page allocator */
	size_t used_bytes;	/* payload bytes in live blocks */
	size_t live_blocks;
	size_t free_bytes;
	size_t total_allocs;
	size_t total_frees;
};

/* A heap of its own (metadata on the core heap, blocks in pages from ops).
 * heap_destroy gives back every page at once, live blocks included. */
struct heap *heap_create(const struct heap_ops *ops);
void heap_destroy(struct heap *h);
void *heap_alloc_in(struct heap *h, size_t size, size_t align, u64 site);
void heap_free_in(struct heap *h, void *p, u64 site);
void *heap_realloc_in(struct heap *h, void *p, size_t size, u64 site);
size_t heap_usable_size_in(struct heap *h, const void *p, u64 site);
bool heap_contains(const struct heap *h, const void *p);
void heap_stats_of(struct heap *h, struct heap_stats *st);
/* Whether p lies in the arena of any heap created with heap_create. */
struct heap *heap_find(const void *p);
/* Sum over every heap_create'd heap (for `mem'). */
void heap_stats_others(struct heap_stats *st, unsigned *nheaps);

/* The core heap. */
extern struct heap *const core_heap;
void *heap_alloc(size_t size);
void *heap_alloc_aligned(size_t size, size_t align);
void *heap_zalloc(size_t size);
void *heap_realloc(void *p, size_t size);
void heap_free(void *p);
size_t heap_usable_size(const void *p);
bool heap_owns(const void *p);
char *heap_strdup(const char *s);
void heap_stats(struct heap_stats *st);

/* Called with a one-line description when the core heap's metadata is
 * found damaged.  The default panics. */
extern void (*heap_corruption_handler)(const char *what, const void *addr);

#endif
