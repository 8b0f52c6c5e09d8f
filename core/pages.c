/* The page allocator: a bitmap over one contiguous region, first fit from a
 * rotating hint.  The bitmap lives in the first pages of the region itself. */
#include <core/pages.h>
#include <core/panic.h>
#include <core/spinlock.h>
#include <core/string.h>

static struct {
	spinlock_t lock;
	u8 *base;	/* first allocatable page */
	u64 *bitmap;	/* 1 = used */
	size_t npages;
	size_t used;
	size_t hint;
} pg;

static bool
page_used(size_t i)
{
	return pg.bitmap[i / 64] >> (i % 64) & 1;
}

static void
page_mark(size_t first, size_t n, bool used)
{
	for (size_t i = first; i < first + n; i++) {
		if (used)
			pg.bitmap[i / 64] |= 1ULL << (i % 64);
		else
			pg.bitmap[i / 64] &= ~(1ULL << (i % 64));
	}
}

void
pages_init(void *base, size_t len)
{
	u8 *start = (u8 *)ALIGN_UP((uintptr_t)base, PAGE_SIZE);
	size_t total = (len - (start - (u8 *)base)) / PAGE_SIZE;
	size_t map_bytes = ALIGN_UP((total + 63) / 64 * 8, PAGE_SIZE);
	size_t map_pages = map_bytes / PAGE_SIZE;

	BUG_ON(total <= map_pages);
	pg.bitmap = (u64 *)start;
	memset(pg.bitmap, 0, map_bytes);
	pg.base = start + map_bytes;
	pg.npages = total - map_pages;
	pg.used = 0;
	pg.hint = 0;
}

/* Find n free pages starting at or after 'from'; returns npages if none. */
static size_t
find_run(size_t from, size_t to, size_t n)
{
	size_t run = 0;

	for (size_t i = from; i < to; i++) {
		if (page_used(i)) {
			run = 0;
			/* skip whole used words quickly */
			if (i % 64 == 0 && pg.bitmap[i / 64] == ~0ULL)
				i += 63;
			continue;
		}
		if (++run == n)
			return i + 1 - n;
	}
	return pg.npages;
}

void *
pages_alloc(size_t n)
{
	size_t first;

	if (n == 0 || n > pg.npages)
		return NULL;
	spin_lock(&pg.lock);
	first = find_run(pg.hint, pg.npages, n);
	if (first == pg.npages)
		first = find_run(0, MIN(pg.npages, pg.hint + n), n);
	if (first == pg.npages) {
		spin_unlock(&pg.lock);
		return NULL;
	}
	page_mark(first, n, true);
	pg.used += n;
	pg.hint = first + n;
	spin_unlock(&pg.lock);
	return pg.base + first * PAGE_SIZE;
}

void
pages_free(void *p, size_t n)
{
	size_t first;

	if (!p)
		return;
	if (!pages_owns(p) || ((uintptr_t)p & (PAGE_SIZE - 1)))
		panic("pages_free: %p is not a page from the page allocator", p);
	first = ((u8 *)p - pg.base) / PAGE_SIZE;
	spin_lock(&pg.lock);
	for (size_t i = first; i < first + n; i++)
		if (i >= pg.npages || !page_used(i))
			panic("pages_free: page %p freed twice or never allocated",
			      pg.base + i * PAGE_SIZE);
	page_mark(first, n, false);
	pg.used -= n;
	if (first < pg.hint)
		pg.hint = first;
	spin_unlock(&pg.lock);
}

bool
pages_owns(const void *p)
{
	const u8 *b = p;

	return b >= pg.base && b < pg.base + pg.npages * PAGE_SIZE;
}

void
pages_stats(struct pages_stats *st)
{
	size_t run = 0;

	spin_lock(&pg.lock);
	st->total = pg.npages;
	st->used = pg.used;
	st->largest_free_run = 0;
	for (size_t i = 0; i < pg.npages; i++) {
		run = page_used(i) ? 0 : run + 1;
		st->largest_free_run = MAX(st->largest_free_run, run);
	}
	spin_unlock(&pg.lock);
}
