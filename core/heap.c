/* Heaps: boundary-tag blocks in arenas taken from a page source, segregated
 * free lists, immediate coalescing.  The core has one; each blob namespace
 * has its own (heap_create), so a blob's misuse stays in pages the blob
 * owns.  Every block header carries a check word derived from its address
 * and size and the call sites that allocated and last freed it, so an
 * overrun of the previous block, a double free or a foreign pointer is
 * reported to the heap's owner, naming the calls, instead of silently
 * corrupting the heap.  An untrusted heap also validates every free-list
 * link before following it (a use after free writes over them).  Very large
 * requests get an arena of their own. */
#include <core/heap.h>
#include <core/pages.h>
#include <core/panic.h>
#include <core/spinlock.h>
#include <core/string.h>

#define ALIGN		16UL
#define HDR		sizeof(struct block)
#define MIN_BLOCK	64UL		/* header + two list pointers + footer, aligned */
#define ARENA_MIN	(256 * 1024UL)
#define LARGE_MIN	(128 * 1024UL)	/* at or above: an arena of its own */
#define F_USED		1UL
#define F_PREV_USED	2UL
#define F_LARGE		4UL
#define F_MASK		15UL
#define MAGIC		0x6b6c6f62686561ULL	/* "aehblok" */

struct block {
	u64 word;	/* size | flags; size includes the header */
	u64 check;	/* MAGIC ^ address ^ word */
	u64 asite;	/* return address of the allocating call */
	u64 fsite;	/* return address of the call that freed it last */
};

struct free_links {
	struct block *next, *prev;
};

struct arena {
	struct arena *next;
	size_t bytes;
	u64 large;	/* one block of LARGE_MIN or more */
	u64 pad;	/* keeps the first block 16-aligned */
};

#define NBINS 96
struct heap {
	spinlock_t lock;
	struct block *bins[NBINS];
	struct arena *arenas;
	struct heap_stats st;
	struct heap_ops ops;
	struct heap *next;	/* every heap_create'd heap */
};

static void *core_pages_alloc(void *ctx, size_t n) { return pages_alloc(n); }
static void core_pages_free(void *ctx, void *p, size_t n) { pages_free(p, n); }

static void
default_corruption(const char *what, const void *addr)
{
	panic("heap: %s at %p", what, addr);
}
void (*heap_corruption_handler)(const char *, const void *) = default_corruption;

static void
core_misuse(void *ctx, const struct heap_misuse *m)
{
	heap_corruption_handler(m->what, m->addr);
}

static struct heap core = {
	.ops = { core_pages_alloc, core_pages_free, core_misuse, NULL, false },
};
struct heap *const core_heap = &core;

static spinlock_t heaps_lock;
static struct heap *heaps;

static inline size_t bsize(const struct block *b) { return b->word & ~F_MASK; }
static inline struct free_links *links(struct block *b) { return (void *)(b + 1); }
static inline struct block *next_block(struct block *b) { return (void *)((u8 *)b + bsize(b)); }
static inline u64 check_of(const struct block *b) { return MAGIC ^ (uintptr_t)b ^ b->word; }

static void
set_word(struct block *b, u64 word)
{
	b->word = word;
	b->check = check_of(b);
}

static bool
block_ok(const struct block *b)
{
	return b->check == check_of(b);
}

static bool
in_heap(const struct heap *h, const void *p, size_t len)
{
	for (const struct arena *a = h->arenas; a; a = a->next)
		if ((const u8 *)p >= (const u8 *)(a + 1) &&
		    (const u8 *)p + len <= (const u8 *)a + a->bytes)
			return true;
	return false;
}

/* Report and give up on this operation; the owner's handler normally does
 * not return (the lock is released first). */
static void
misuse(struct heap *h, const char *what, const void *addr, u64 site, const struct block *b)
{
	struct heap_misuse m = { .what = what, .addr = addr, .site = site };

	if (b) {
		m.alloc_site = b->asite;
		m.free_site = b->fsite;
	}
	spin_unlock(&h->lock);
	h->ops.misuse(h->ops.ctx, &m);
}

/* A free block's size is repeated in its last word, so the block after it
 * can find its start when coalescing backwards. */
static void
set_footer(struct block *b)
{
	*(u64 *)((u8 *)b + bsize(b) - 8) = bsize(b);
}

static unsigned
bin_of(size_t size)
{
	unsigned log;

	if (size <= 1024)
		return size / ALIGN;	/* exact bins 4..64 */
	log = 63 - __builtin_clzl(size);
	return MIN(64 + (log - 10) * 2 + ((size >> (log - 1)) & 1), NBINS - 1);
}

static void
bin_insert(struct heap *h, struct block *b)
{
	unsigned i = bin_of(bsize(b));
	struct free_links *l = links(b);

	l->prev = NULL;
	l->next = h->bins[i];
	if (h->bins[i])
		links(h->bins[i])->prev = b;
	h->bins[i] = b;
	h->st.free_bytes += bsize(b);
}

/* In an untrusted heap a neighbour on the list must be a free block of
 * this heap that points back at b. */
static bool
link_ok(struct heap *h, struct block *b, struct block *n, bool n_is_next)
{
	if (!n)
		return true;
	if (((uintptr_t)n & (ALIGN - 1)) || !in_heap(h, n, HDR + sizeof(struct free_links)) ||
	    !block_ok(n) || (n->word & F_USED))
		return false;
	return (n_is_next ? links(n)->prev : links(n)->next) == b;
}

static bool
bin_remove(struct heap *h, struct block *b, u64 site)
{
	struct free_links *l = links(b);
	unsigned i = bin_of(bsize(b));

	if (h->ops.untrusted &&
	    (!link_ok(h, b, l->next, true) || !link_ok(h, b, l->prev, false) ||
	     (!l->prev && h->bins[i] != b))) {
		misuse(h, "free-list links of a freed block damaged (written after free?)",
		       b + 1, site, b);
		return false;
	}
	if (l->prev)
		links(l->prev)->next = l->next;
	else
		h->bins[i] = l->next;
	if (l->next)
		links(l->next)->prev = l->prev;
	h->st.free_bytes -= bsize(b);
	return true;
}

/* Make b (flags: PREV_USED as appropriate) free, tell its successor, file it. */
static void
make_free(struct heap *h, struct block *b, size_t size, u64 prev_used)
{
	struct block *n;

	set_word(b, size | prev_used);
	set_footer(b);
	n = next_block(b);
	set_word(n, n->word & ~F_PREV_USED);
	bin_insert(h, b);
}

static struct arena *
arena_new(struct heap *h, size_t bytes, bool large)
{
	struct arena *a = h->ops.pages_alloc(h->ops.ctx, bytes / PAGE_SIZE);

	if (!a)
		return NULL;
	a->bytes = bytes;
	a->large = large;
	a->next = h->arenas;
	h->arenas = a;
	h->st.arena_bytes += bytes;
	return a;
}

static bool
arena_grow(struct heap *h, size_t need)
{
	size_t bytes = ALIGN_UP(MAX(need + sizeof(struct arena) + 2 * HDR, ARENA_MIN), PAGE_SIZE);
	struct arena *a = arena_new(h, bytes, false);
	struct block *first, *end;

	if (!a)
		return false;
	first = (struct block *)(a + 1);
	end = (struct block *)((u8 *)a + bytes - HDR);
	set_word(end, 0 | F_USED);	/* sentinel: never coalesced into */
	make_free(h, first, (u8 *)end - (u8 *)first, F_PREV_USED);
	return true;
}

/* NULL with *bad set: misuse reported, lock released. */
static struct block *
find_fit(struct heap *h, size_t size, u64 site, bool *bad)
{
	for (unsigned i = bin_of(size); i < NBINS; i++)
		for (struct block *b = h->bins[i]; b; b = links(b)->next) {
			if (h->ops.untrusted && !in_heap(h, b, HDR + sizeof(struct free_links))) {
				misuse(h, "free list points outside the heap (a freed block written after free?)",
				       b, site, NULL);
				*bad = true;
				return NULL;
			}
			if (!block_ok(b) || (b->word & F_USED)) {
				misuse(h, "free-list block header damaged (written after free?)",
				       b + 1, site, NULL);
				*bad = true;
				return NULL;
			}
			if (bsize(b) >= size)
				return b;
		}
	return NULL;
}

/* Mark b used with exactly 'size' bytes, returning the tail to the bins. */
static bool
take(struct heap *h, struct block *b, size_t size, u64 site)
{
	size_t have = bsize(b);
	u64 prev = b->word & F_PREV_USED;

	if (!bin_remove(h, b, site))
		return false;
	if (have - size >= MIN_BLOCK) {
		set_word(b, size | prev | F_USED);
		make_free(h, next_block(b), have - size, F_PREV_USED);
	} else {
		struct block *n;

		set_word(b, have | prev | F_USED);
		n = next_block(b);
		set_word(n, n->word | F_PREV_USED);
	}
	b->asite = site;
	b->fsite = 0;
	h->st.used_bytes += bsize(b) - HDR;
	h->st.live_blocks++;
	h->st.total_allocs++;
	return true;
}

static void *
large_alloc(struct heap *h, size_t size, size_t align, u64 site)
{
	size_t off = ALIGN_UP(sizeof(struct arena) + HDR, align);
	size_t bytes = ALIGN_UP(off + size, PAGE_SIZE);
	struct arena *a = arena_new(h, bytes, true);
	struct block *b;

	if (!a)
		return NULL;
	b = (struct block *)((u8 *)a + off - HDR);
	set_word(b, bytes | F_USED | F_LARGE);
	b->asite = site;
	b->fsite = 0;
	h->st.used_bytes += bytes - off;
	h->st.live_blocks++;
	h->st.total_allocs++;
	return b + 1;
}

static size_t
request_size(size_t size)
{
	return MAX(ALIGN_UP(size + HDR, ALIGN), MIN_BLOCK);
}

void *
heap_alloc_in(struct heap *h, size_t size, size_t align, u64 site)
{
	struct block *b;
	size_t need;
	void *ret = NULL;
	bool bad = false;

	if (align < ALIGN)
		align = ALIGN;
	/* Pages are only page-aligned, so larger alignments cannot be met. */
	if (align & (align - 1) || align > PAGE_SIZE || size > (1UL << 40))
		return NULL;
	spin_lock(&h->lock);
	if (size >= LARGE_MIN) {
		ret = large_alloc(h, size, align, site);
		goto out;
	}
	need = request_size(size);
	if (align > ALIGN)
		need += align + MIN_BLOCK;
	b = find_fit(h, need, site, &bad);
	if (!b && !bad && arena_grow(h, need))
		b = find_fit(h, need, site, &bad);
	if (bad)
		return NULL;
	if (!b)
		goto out;
	if (align > ALIGN) {
		/* Split off a free front so that the payload is aligned. */
		uintptr_t pay = ALIGN_UP((uintptr_t)(b + 1) + MIN_BLOCK, align);
		struct block *a = (struct block *)(pay - HDR);
		size_t front = (u8 *)a - (u8 *)b;
		size_t rest = bsize(b) - front;
		u64 prev = b->word & F_PREV_USED;

		if (!bin_remove(h, b, site))
			return NULL;
		set_word(a, rest);	/* free; the front before it is free too */
		set_footer(a);
		bin_insert(h, a);
		make_free(h, b, front, prev);
		b = a;
		need = request_size(size);
	}
	if (!take(h, b, need, site))
		return NULL;
	ret = b + 1;
out:
	spin_unlock(&h->lock);
	return ret;
}

/* The header of a pointer handed to free/realloc, validated (lock held;
 * NULL: reported, lock released). */
static struct block *
user_block(struct heap *h, const void *p, bool is_free, u64 site)
{
	struct block *b = (struct block *)p - 1;

	if (((uintptr_t)p & (ALIGN - 1)) || !in_heap(h, b, HDR)) {
		misuse(h, is_free ? "free of a pointer this heap never returned"
				  : "realloc of a pointer this heap never returned", p, site, NULL);
		return NULL;
	}
	if (!block_ok(b)) {
		misuse(h, is_free ? "free of a block whose header is damaged (overrun of the block before it, or not a block start)"
				  : "realloc of a block whose header is damaged (overrun of the block before it, or not a block start)",
		       p, site, NULL);
		return NULL;
	}
	if (!(b->word & F_USED)) {
		misuse(h, is_free ? "double free" : "realloc of a freed block", p, site, b);
		return NULL;
	}
	return b;
}

static struct arena *
arena_of_large(struct heap *h, const struct block *b, struct arena ***link)
{
	for (struct arena **pp = &h->arenas; *pp; pp = &(*pp)->next)
		if ((*pp)->large && (const u8 *)b > (const u8 *)*pp &&
		    (const u8 *)b < (const u8 *)*pp + (*pp)->bytes) {
			*link = pp;
			return *pp;
		}
	return NULL;
}

void
heap_free_in(struct heap *h, void *p, u64 site)
{
	struct block *b, *n;
	size_t size;
	u64 prev_used;

	if (!p)
		return;
	spin_lock(&h->lock);
	b = user_block(h, p, true, site);
	if (!b)
		return;
	if (b->word & F_LARGE) {
		struct arena **link, *a = arena_of_large(h, b, &link);

		if (!a) {
			misuse(h, "free of a damaged block (header overwritten, or not a block start)",
			       p, site, b);
			return;
		}
		h->st.live_blocks--;
		h->st.total_frees++;
		h->st.used_bytes -= a->bytes - ((u8 *)p - (u8 *)a);
		h->st.arena_bytes -= a->bytes;
		*link = a->next;
		b->word = b->check = 0;
		h->ops.pages_free(h->ops.ctx, a, a->bytes / PAGE_SIZE);
		spin_unlock(&h->lock);
		return;
	}
	size = bsize(b);
	n = next_block(b);
	if (!block_ok(n)) {
		misuse(h, "overrun: the header after this block is damaged", p, site, b);
		return;
	}
	h->st.live_blocks--;
	h->st.total_frees++;
	h->st.used_bytes -= size - HDR;
	prev_used = b->word & F_PREV_USED;
	/* Left behind if b merges into its predecessor: a second free of p
	 * then still finds a valid, freed header naming both calls. */
	b->fsite = site;
	set_word(b, b->word & ~F_USED);
	if (!(n->word & F_USED)) {	/* merge with the next block */
		if (!bin_remove(h, n, site))
			return;
		size += bsize(n);
	}
	if (!prev_used) {		/* merge with the previous block */
		size_t psize = *(u64 *)((u8 *)b - 8);
		struct block *pb = (struct block *)((u8 *)b - psize);

		if (psize > (uintptr_t)b || (psize & (ALIGN - 1)) || !in_heap(h, pb, HDR) ||
		    !block_ok(pb) || bsize(pb) != psize || (pb->word & F_USED)) {
			misuse(h, "the free block before this one is damaged (written after free?)",
			       p, site, b);
			return;
		}
		if (!bin_remove(h, pb, site))
			return;
		size += psize;
		prev_used = pb->word & F_PREV_USED;
		pb->fsite = site;
		b = pb;
	}
	make_free(h, b, size, prev_used);
	spin_unlock(&h->lock);
}

static size_t
usable(struct heap *h, const struct block *b)
{
	if (b->word & F_LARGE)
		return bsize(b) - ((uintptr_t)(b + 1) - ALIGN_DOWN((uintptr_t)b, PAGE_SIZE));
	return bsize(b) - HDR;
}

size_t
heap_usable_size_in(struct heap *h, const void *p, u64 site)
{
	struct block *b;
	size_t n;

	spin_lock(&h->lock);
	b = user_block(h, p, false, site);
	if (!b)
		return 0;
	n = usable(h, b);
	spin_unlock(&h->lock);
	return n;
}

void *
heap_realloc_in(struct heap *h, void *p, size_t size, u64 site)
{
	struct block *b;
	size_t have;
	void *q;

	if (!p)
		return heap_alloc_in(h, size, ALIGN, site);
	if (!size) {
		heap_free_in(h, p, site);
		return NULL;
	}
	spin_lock(&h->lock);
	b = user_block(h, p, false, site);
	if (!b)
		return NULL;
	have = usable(h, b);
	spin_unlock(&h->lock);
	if (have >= size)
		return p;
	q = heap_alloc_in(h, size, ALIGN, site);
	if (!q)
		return NULL;
	memcpy(q, p, have);
	heap_free_in(h, p, site);
	return q;
}

bool
heap_contains(const struct heap *h, const void *p)
{
	return in_heap(h, p, 1);
}

void
heap_stats_of(struct heap *h, struct heap_stats *st)
{
	spin_lock(&h->lock);
	*st = h->st;
	spin_unlock(&h->lock);
}

struct heap *
heap_create(const struct heap_ops *ops)
{
	struct heap *h = heap_zalloc(sizeof(*h));

	if (!h)
		return NULL;
	h->ops = *ops;
	spin_lock(&heaps_lock);
	h->next = heaps;
	heaps = h;
	spin_unlock(&heaps_lock);
	return h;
}

void
heap_destroy(struct heap *h)
{
	struct heap **pp;

	if (!h)
		return;
	spin_lock(&heaps_lock);
	for (pp = &heaps; *pp && *pp != h; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = h->next;
	spin_unlock(&heaps_lock);
	while (h->arenas) {
		struct arena *a = h->arenas;

		h->arenas = a->next;
		h->ops.pages_free(h->ops.ctx, a, a->bytes / PAGE_SIZE);
	}
	heap_free(h);
}

struct heap *
heap_find(const void *p)
{
	struct heap *h;

	spin_lock(&heaps_lock);
	for (h = heaps; h && !in_heap(h, p, 1); h = h->next)
		;
	spin_unlock(&heaps_lock);
	return h;
}

void
heap_stats_others(struct heap_stats *sum, unsigned *nheaps)
{
	memset(sum, 0, sizeof(*sum));
	*nheaps = 0;
	spin_lock(&heaps_lock);
	for (struct heap *h = heaps; h; h = h->next) {
		sum->arena_bytes += h->st.arena_bytes;
		sum->used_bytes += h->st.used_bytes;
		sum->live_blocks += h->st.live_blocks;
		sum->free_bytes += h->st.free_bytes;
		sum->total_allocs += h->st.total_allocs;
		sum->total_frees += h->st.total_frees;
		++*nheaps;
	}
	spin_unlock(&heaps_lock);
}

/* The core heap. */
#define CALLER ((u64)__builtin_return_address(0))

void *
heap_alloc_aligned(size_t size, size_t align)
{
	return heap_alloc_in(&core, size, align, CALLER);
}

void *
heap_alloc(size_t size)
{
	return heap_alloc_in(&core, size, ALIGN, CALLER);
}

void *
heap_zalloc(size_t size)
{
	void *p = heap_alloc_in(&core, size, ALIGN, CALLER);

	if (p)
		memset(p, 0, size);
	return p;
}

void
heap_free(void *p)
{
	heap_free_in(&core, p, CALLER);
}

size_t
heap_usable_size(const void *p)
{
	return heap_usable_size_in(&core, p, CALLER);
}

void *
heap_realloc(void *p, size_t size)
{
	return heap_realloc_in(&core, p, size, CALLER);
}

bool
heap_owns(const void *p)
{
	return in_heap(&core, p, 1);
}

char *
heap_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = heap_alloc_in(&core, n, ALIGN, CALLER);

	if (d)
		memcpy(d, s, n);
	return d;
}

void
heap_stats(struct heap_stats *st)
{
	heap_stats_of(&core, st);
}
