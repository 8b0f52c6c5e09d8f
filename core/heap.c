/* The core heap: boundary-tag blocks in arenas taken from the page allocator,
 * segregated free lists, immediate coalescing.  Every block header carries a
 * check word derived from its address and size, so an overrun of the
 * previous block and a double free are caught at the next free or coalesce
 * and reported with the address instead of silently corrupting the heap.
 * Very large requests go straight to the page allocator. */
#include <core/heap.h>
#include <core/pages.h>
#include <core/panic.h>
#include <core/spinlock.h>
#include <core/string.h>

#define ALIGN		16UL
#define HDR		sizeof(struct block)
#define MIN_BLOCK	48UL		/* header + two list pointers + footer */
#define ARENA_MIN	(256 * 1024UL)
#define LARGE_MIN	(128 * 1024UL)	/* at or above: own pages */
#define F_USED		1UL
#define F_PREV_USED	2UL
#define F_LARGE		4UL
#define F_MASK		15UL
#define MAGIC		0x6b6c6f62686561ULL	/* "aehblok" */

struct block {
	u64 word;	/* size | flags; size includes the header */
	u64 check;	/* MAGIC ^ address ^ word */
};

struct free_links {
	struct block *next, *prev;
};

struct arena {
	struct arena *next;
	size_t bytes;
	u64 pad[2];	/* keeps the first block 16-aligned */
};

#define NBINS 96
static struct {
	spinlock_t lock;
	struct block *bins[NBINS];
	struct arena *arenas;
	struct heap_stats st;
} h;

static void
default_corruption(const char *what, const void *addr)
{
	panic("heap: %s at %p", what, addr);
}
void (*heap_corruption_handler)(const char *, const void *) = default_corruption;

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

static void
corrupt(const char *what, const void *addr)
{
	spin_unlock(&h.lock);
	heap_corruption_handler(what, addr);
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
		return size / ALIGN;	/* exact bins 3..64 */
	log = 63 - __builtin_clzl(size);
	return MIN(64 + (log - 10) * 2 + ((size >> (log - 1)) & 1), NBINS - 1);
}

static void
bin_insert(struct block *b)
{
	unsigned i = bin_of(bsize(b));
	struct free_links *l = links(b);

	l->prev = NULL;
	l->next = h.bins[i];
	if (h.bins[i])
		links(h.bins[i])->prev = b;
	h.bins[i] = b;
	h.st.free_bytes += bsize(b);
}

static void
bin_remove(struct block *b)
{
	struct free_links *l = links(b);

	if (l->prev)
		links(l->prev)->next = l->next;
	else
		h.bins[bin_of(bsize(b))] = l->next;
	if (l->next)
		links(l->next)->prev = l->prev;
	h.st.free_bytes -= bsize(b);
}

/* Make b (flags: PREV_USED as appropriate) free, tell its successor, file it. */
static void
make_free(struct block *b, size_t size, u64 prev_used)
{
	struct block *n;

	set_word(b, size | prev_used);
	set_footer(b);
	n = next_block(b);
	set_word(n, n->word & ~F_PREV_USED);
	bin_insert(b);
}

static bool
arena_grow(size_t need)
{
	size_t bytes = ALIGN_UP(MAX(need + sizeof(struct arena) + 2 * HDR, ARENA_MIN), PAGE_SIZE);
	struct arena *a = pages_alloc(bytes / PAGE_SIZE);
	struct block *first, *end;

	if (!a)
		return false;
	a->bytes = bytes;
	a->next = h.arenas;
	h.arenas = a;
	h.st.arena_bytes += bytes;
	first = (struct block *)(a + 1);
	end = (struct block *)((u8 *)a + bytes - HDR);
	set_word(end, 0 | F_USED);	/* sentinel: never coalesced into */
	make_free(first, (u8 *)end - (u8 *)first, F_PREV_USED);
	return true;
}

static struct block *
find_fit(size_t size)
{
	for (unsigned i = bin_of(size); i < NBINS; i++)
		for (struct block *b = h.bins[i]; b; b = links(b)->next) {
			if (!block_ok(b)) {
				corrupt("free-list block header damaged", b);
				return NULL;
			}
			if (bsize(b) >= size)
				return b;
		}
	return NULL;
}

/* Mark b used with exactly 'size' bytes, returning the tail to the bins. */
static void
take(struct block *b, size_t size)
{
	size_t have = bsize(b);
	u64 prev = b->word & F_PREV_USED;

	bin_remove(b);
	if (have - size >= MIN_BLOCK) {
		set_word(b, size | prev | F_USED);
		make_free(next_block(b), have - size, F_PREV_USED);
	} else {
		struct block *n;

		set_word(b, have | prev | F_USED);
		n = next_block(b);
		set_word(n, n->word | F_PREV_USED);
	}
	h.st.used_bytes += bsize(b) - HDR;
	h.st.live_blocks++;
	h.st.total_allocs++;
}

static void *
large_alloc(size_t size, size_t align)
{
	size_t off = ALIGN_UP(HDR, align);
	size_t npages = (off + size + PAGE_SIZE - 1) / PAGE_SIZE;
	u8 *p = pages_alloc(npages);
	struct block *b;

	if (!p)
		return NULL;
	b = (struct block *)(p + off - HDR);
	set_word(b, npages * PAGE_SIZE | F_USED | F_LARGE);
	h.st.used_bytes += npages * PAGE_SIZE - off;
	h.st.live_blocks++;
	h.st.total_allocs++;
	h.st.arena_bytes += npages * PAGE_SIZE;
	return b + 1;
}

static size_t
request_size(size_t size)
{
	return MAX(ALIGN_UP(size + HDR, ALIGN), MIN_BLOCK);
}

void *
heap_alloc_aligned(size_t size, size_t align)
{
	struct block *b;
	size_t need;
	void *ret = NULL;

	if (align < ALIGN)
		align = ALIGN;
	/* Pages are only page-aligned, so larger alignments cannot be met. */
	if (align & (align - 1) || align > PAGE_SIZE || size > (1UL << 40))
		return NULL;
	spin_lock(&h.lock);
	if (size >= LARGE_MIN) {
		ret = large_alloc(size, align);
		goto out;
	}
	need = request_size(size);
	if (align > ALIGN)
		need += align + MIN_BLOCK;
	b = find_fit(need);
	if (!b) {
		if (!arena_grow(need))
			goto out;
		b = find_fit(need);
		if (!b)
			goto out;
	}
	if (align > ALIGN) {
		/* Split off a free front so that the payload is aligned. */
		uintptr_t pay = ALIGN_UP((uintptr_t)(b + 1) + MIN_BLOCK, align);
		struct block *a = (struct block *)(pay - HDR);
		size_t front = (u8 *)a - (u8 *)b;
		size_t rest = bsize(b) - front;
		u64 prev = b->word & F_PREV_USED;

		bin_remove(b);
		set_word(a, rest);	/* free; the front before it is free too */
		set_footer(a);
		bin_insert(a);
		make_free(b, front, prev);
		b = a;
		need = request_size(size);
	}
	take(b, need);
	ret = b + 1;
out:
	spin_unlock(&h.lock);
	return ret;
}

void *
heap_alloc(size_t size)
{
	return heap_alloc_aligned(size, ALIGN);
}

void *
heap_zalloc(size_t size)
{
	void *p = heap_alloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* The header of a pointer handed to free/realloc, validated. */
static struct block *
user_block(const void *p, const char *op)
{
	struct block *b = (struct block *)p - 1;

	if (((uintptr_t)p & (ALIGN - 1)) || !pages_owns(b)) {
		corrupt(op[0] == 'f' ? "free of a pointer the heap never returned"
				     : "realloc of a pointer the heap never returned", p);
		return NULL;
	}
	if (!block_ok(b)) {
		corrupt("block header damaged (overrun of the previous block?)", p);
		return NULL;
	}
	if (!(b->word & F_USED)) {
		corrupt("double free", p);
		return NULL;
	}
	return b;
}

void
heap_free(void *p)
{
	struct block *b, *n;
	size_t size;
	u64 prev_used;

	if (!p)
		return;
	spin_lock(&h.lock);
	b = user_block(p, "free");
	if (!b)
		return;
	h.st.live_blocks--;
	h.st.total_frees++;
	if (b->word & F_LARGE) {
		size_t bytes = bsize(b);
		u8 *base = (u8 *)ALIGN_DOWN((uintptr_t)b, PAGE_SIZE);

		h.st.used_bytes -= bytes - ((u8 *)p - base);
		h.st.arena_bytes -= bytes;
		b->word = b->check = 0;
		pages_free(base, bytes / PAGE_SIZE);
		spin_unlock(&h.lock);
		return;
	}
	size = bsize(b);
	h.st.used_bytes -= size - HDR;
	prev_used = b->word & F_PREV_USED;
	n = next_block(b);
	if (!block_ok(n)) {
		corrupt("overrun: header after this block is damaged", p);
		return;
	}
	if (!(n->word & F_USED)) {	/* merge with the next block */
		bin_remove(n);
		size += bsize(n);
	}
	if (!prev_used) {		/* merge with the previous block */
		size_t psize = *(u64 *)((u8 *)b - 8);
		struct block *pb = (struct block *)((u8 *)b - psize);

		if (!block_ok(pb) || bsize(pb) != psize) {
			corrupt("free block before this one is damaged", p);
			return;
		}
		bin_remove(pb);
		size += psize;
		prev_used = pb->word & F_PREV_USED;
		b = pb;
	}
	make_free(b, size, prev_used);
	spin_unlock(&h.lock);
}

size_t
heap_usable_size(const void *p)
{
	const struct block *b = (const struct block *)p - 1;

	if (b->word & F_LARGE)
		return bsize(b) - ((uintptr_t)p - ALIGN_DOWN((uintptr_t)b, PAGE_SIZE));
	return bsize(b) - HDR;
}

void *
heap_realloc(void *p, size_t size)
{
	void *q;

	if (!p)
		return heap_alloc(size);
	if (!size) {
		heap_free(p);
		return NULL;
	}
	spin_lock(&h.lock);
	if (!user_block(p, "realloc"))
		return NULL;
	spin_unlock(&h.lock);
	if (heap_usable_size(p) >= size)
		return p;
	q = heap_alloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, heap_usable_size(p));
	heap_free(p);
	return q;
}

bool
heap_owns(const void *p)
{
	for (struct arena *a = h.arenas; a; a = a->next)
		if ((const u8 *)p >= (u8 *)a && (const u8 *)p < (u8 *)a + a->bytes)
			return true;
	return false;
}

char *
heap_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = heap_alloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

void
heap_stats(struct heap_stats *st)
{
	spin_lock(&h.lock);
	*st = h.st;
	spin_unlock(&h.lock);
}
