/* Each blob namespace's own heap.  Whatever libc's malloc hands out while
 * a blob call runs comes from pages of that namespace (given back with it
 * at unload), so a double free, an overrun, a foreign pointer or a write
 * after free damages only the blob's own blocks; the heap detects it and
 * it ends the blob call like any other blob fault, naming the calls.
 * Threads of a blob share its heap (the heap has its own lock); a
 * protection domain can later hand the heap its own page source. */
#include <core/console.h>
#include <core/context.h>
#include <core/heap.h>
#include <core/ksyms.h>
#include <core/pages.h>
#include <core/string.h>
#include "internal.h"

static void *
arena_pages_alloc(void *ctx, size_t n)
{
	return pages_alloc(n);
}

static void
arena_pages_free(void *ctx, void *p, size_t n)
{
	pages_free(p, n);
}

static const char *
site_name(u64 addr, char *buf, size_t size)
{
	const char *s;

	if (!addr)
		return "?";
	s = blob_describe_addr(addr, buf, size);
	return s ? s : ksym_format(addr, buf, size);
}

/* What a foreign pointer is, for the diagnosis. */
static const char *
pointer_kind(u64 p, struct blob *self)
{
	u64 lo, hi;
	struct heap *h;

	blob_stack_range(&lo, &hi);
	if (p >= lo && p < hi)
		return "an address on the blob stack";
	if (heap_owns((const void *)p))
		return "a block of the core's heap";
	h = heap_find((const void *)p);
	if (h && h != self->heap)
		return "a block of another blob's heap";
	for (unsigned r = 0; r < self->nregions; r++)
		if (p >= self->regions[r].start && p < self->regions[r].start + self->regions[r].len)
			return "an address inside the blob's own image";
	return "an address no heap handed out";
}

static void
arena_misuse(void *ctx, const struct heap_misuse *m)
{
	struct blob *b = ctx;
	static char why[320];
	char a[160], f[160], s[160];

	if (!strcmp(m->what, "double free"))
		kprintf("diagnosis: double free of %p (allocated by %s, freed by %s)\n", m->addr,
			site_name(m->alloc_site, a, sizeof(a)), site_name(m->free_site, f, sizeof(f)));
	else if (strstr(m->what, "never returned"))
		kprintf("diagnosis: %s: %p is %s (called from %s)\n", m->what, m->addr,
			pointer_kind((u64)m->addr, b), site_name(m->site, s, sizeof(s)));
	else if (m->alloc_site)
		kprintf("diagnosis: %s: %p (allocated by %s%s%s; found by %s)\n", m->what, m->addr,
			site_name(m->alloc_site, a, sizeof(a)), m->free_site ? ", freed by " : "",
			m->free_site ? site_name(m->free_site, f, sizeof(f)) : "",
			site_name(m->site, s, sizeof(s)));
	else
		kprintf("diagnosis: %s: %p (found by %s)\n", m->what, m->addr,
			site_name(m->site, s, sizeof(s)));
	snprintf(why, sizeof(why), "heap misuse in blob %s: %s", b->name, m->what);
	ctx_abort(why, (const void *)m->site);
}

struct heap *
blob_heap(struct blob *b)
{
	if (!b->heap) {
		struct heap_ops ops = {
			.pages_alloc = arena_pages_alloc, .pages_free = arena_pages_free,
			.misuse = arena_misuse, .ctx = b, .untrusted = true,
		};

		b->heap = heap_create(&ops);
	}
	return b->heap;
}

void
blob_heap_destroy(struct blob *b)
{
	heap_destroy(b->heap);
	b->heap = NULL;
}

static struct heap *
current_heap(void)
{
	struct blob *b = blob_current();

	return b ? blob_heap(b) : NULL;
}

static struct ctx_heap_hook heap_hook = { .order = 10, .fn = current_heap };

void
blob_heap_init(void)
{
	ctx_heap_hook_register(&heap_hook);
}
