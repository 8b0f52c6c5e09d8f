/* The core heap: reuse, coalescing, alignment, and detection of double free
 * and of overruns into the allocator's metadata. */
#include <stdint.h>
#include "tap.h"
#include "unit/host_plat.h"
#include <core/pages.h>

static jmp_buf corrupt_jmp;
static const char *corrupt_what;
static const void *corrupt_addr;

static void
on_corrupt(const char *what, const void *addr)
{
	corrupt_what = what;
	corrupt_addr = addr;
	longjmp(corrupt_jmp, 1);
}

static void
setup(void)
{
	void *base;
	size_t len;

	plat_memory_region(&base, &len);
	pages_init(base, len);
	heap_corruption_handler = on_corrupt;
}

static void
test_free_is_reused(void)
{
	void *a = heap_alloc(100);
	void *b;

	heap_free(a);
	b = heap_alloc(100);
	TAP_CHECK(a == b, "a freed 100-byte block is handed out again (%p, %p)", a, b);
	heap_free(b);
}

static void
test_neighbours_coalesce(void)
{
	void *a = heap_alloc(1000), *b = heap_alloc(1000), *c = heap_alloc(1000);
	void *big;

	heap_free(a);
	heap_free(c);
	heap_free(b);	/* joins a, b and c */
	big = heap_alloc(2900);
	TAP_CHECK(big == a, "three freed neighbours serve one 2900-byte request in place");
	heap_free(big);
}

static void
test_alignment(void)
{
	static const size_t aligns[] = { 16, 32, 64, 256, 4096 };
	int ok = 1;

	for (size_t i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		void *p = heap_alloc_aligned(24 + i * 100, aligns[i]);

		ok &= p && ((uintptr_t)p % aligns[i]) == 0;
		memset(p, 0xab, 24 + i * 100);
		heap_free(p);
	}
	TAP_CHECK(ok, "aligned allocations honour 16..4096");
	TAP_CHECK(heap_alloc_aligned(16, 48) == NULL, "a non-power-of-two alignment is refused");
	TAP_CHECK(heap_alloc_aligned(16, 8192) == NULL, "an alignment above a page is refused");
}

static void
test_large_blocks(void)
{
	struct heap_stats before, after;
	char *p;

	heap_stats(&before);
	p = heap_alloc(3 << 20);
	TAP_CHECK(p != NULL, "a 3 MiB block comes from the page allocator");
	memset(p, 1, 3 << 20);
	p = heap_realloc(p, 5 << 20);
	TAP_CHECK(p && p[(3 << 20) - 1] == 1, "realloc keeps the contents of a large block");
	heap_free(p);
	heap_stats(&after);
	TAP_CHECK(after.used_bytes == before.used_bytes && after.arena_bytes == before.arena_bytes,
		  "freeing large blocks returns every byte (used %zu -> %zu)",
		  before.used_bytes, after.used_bytes);
}

static void
test_double_free_detected(void)
{
	void *p = heap_alloc(64);

	heap_free(p);
	corrupt_what = NULL;
	if (!setjmp(corrupt_jmp))
		heap_free(p);
	TAP_CHECK(corrupt_what && strstr(corrupt_what, "double free") && corrupt_addr == p,
		  "double free is reported with its address (%s)", corrupt_what);
}

static void
test_overrun_detected(void)
{
	char *a = heap_alloc(40);
	char *b = heap_alloc(40);

	memset(a, 'x', heap_usable_size(a) + 8);	/* into b's header */
	corrupt_what = NULL;
	if (!setjmp(corrupt_jmp))
		heap_free(b);
	TAP_CHECK(corrupt_what && strstr(corrupt_what, "damaged") && corrupt_addr == b,
		  "an overrun into the next header is caught at its free (%s)", corrupt_what);
}

static void
test_wild_free_rejected(void)
{
	static char not_heap[64] __attribute__((aligned(16)));

	corrupt_what = NULL;
	if (!setjmp(corrupt_jmp))
		heap_free(not_heap + 16);
	TAP_CHECK(corrupt_what && strstr(corrupt_what, "never returned"),
		  "free of a pointer outside the heap is rejected");
}

/* A damaged footer of the free block before: caught when the next block is
 * freed and tries to coalesce backwards.  The handler's text is the fact
 * alone; the "heap: " prefix is the default handler's, once. */
static void
test_damaged_previous_free_block(void)
{
	char *a = heap_alloc(100), *b = heap_alloc(100), *c = heap_alloc(100);
	u64 *footer = (u64 *)(a + heap_usable_size(a) - 8);	/* a's size, before b's header */

	heap_free(a);
	*footer += 16;		/* points 16 bytes before a's header */
	corrupt_what = NULL;
	if (!setjmp(corrupt_jmp))
		heap_free(b);
	TAP_CHECK(corrupt_what && strstr(corrupt_what, "before this one is damaged") &&
		  corrupt_addr == b,
		  "a damaged free block before is caught at the next free (%s)", corrupt_what);
	TAP_CHECK(corrupt_what && strncmp(corrupt_what, "heap", 4),
		  "the report does not repeat the handler's \"heap: \" prefix (%s)", corrupt_what);
	(void)c;
}

/* Random alloc/free/realloc against a shadow model: contents survive. */
static void
test_random_against_model(void)
{
	enum { SLOTS = 512, ROUNDS = 20000 };
	static unsigned char *ptr[SLOTS];
	static size_t size[SLOTS];
	static unsigned char fill[SLOTS];
	int ok = 1;
	struct heap_stats st;

	srandom(1);
	for (int r = 0; r < ROUNDS && ok; r++) {
		int i = random() % SLOTS;

		if (ptr[i]) {
			for (size_t k = 0; k < size[i]; k++)
				ok &= ptr[i][k] == fill[i];
			if (random() % 4 == 0) {
				size_t n = random() % 3000 + 1;

				ptr[i] = heap_realloc(ptr[i], n);
				memset(ptr[i], fill[i], n);
				size[i] = n;
				continue;
			}
			heap_free(ptr[i]);
			ptr[i] = NULL;
		} else {
			size[i] = random() % (random() % 8 ? 512 : 200000) + 1;
			ptr[i] = heap_alloc(size[i]);
			fill[i] = random();
			ok &= ptr[i] != NULL;
			memset(ptr[i], fill[i], size[i]);
		}
	}
	for (int i = 0; i < SLOTS; i++)
		heap_free(ptr[i]);
	heap_stats(&st);
	TAP_CHECK(ok, "20000 random operations keep every block's contents");
	TAP_CHECK(st.used_bytes == 0 && st.live_blocks == 0,
		  "everything freed: %zu bytes in %zu blocks left", st.used_bytes, st.live_blocks);
}

/* A heap of its own (a blob namespace's): its pages come from its source
 * and all go back at destroy; misuse names the allocating and freeing
 * calls and leaves the core heap alone. */
static long own_pages;
static struct heap_misuse seen;

static void *own_alloc(void *ctx, size_t n) { own_pages += n; return pages_alloc(n); }
static void own_free(void *ctx, void *p, size_t n) { own_pages -= n; pages_free(p, n); }

static void
own_misuse(void *ctx, const struct heap_misuse *m)
{
	seen = *m;
	longjmp(corrupt_jmp, 1);
}

static void
test_own_heap(void)
{
	struct heap_ops ops = { own_alloc, own_free, own_misuse, NULL, true };
	struct heap *h = heap_create(&ops);
	struct heap_stats core_before, core_after;
	void *p, *big;
	long *q;

	heap_stats(&core_before);
	p = heap_alloc_in(h, 40, 16, 0x1111);
	big = heap_alloc_in(h, 300000, 64, 0x2222);
	TAP_CHECK(p && big && heap_contains(h, p) && heap_contains(h, big) && !heap_owns(p),
		  "blocks of an own heap lie in its pages, not the core heap's");
	TAP_CHECK(heap_find(p) == h && heap_find(big) == h, "heap_find names the owning heap");
	heap_free_in(h, p, 0x3333);
	memset(&seen, 0, sizeof(seen));
	if (!setjmp(corrupt_jmp))
		heap_free_in(h, p, 0x4444);
	TAP_CHECK(seen.what && !strcmp(seen.what, "double free") && seen.alloc_site == 0x1111 &&
		  seen.free_site == 0x3333 && seen.site == 0x4444,
		  "double free names the allocating and the first freeing call (%#lx %#lx %#lx)",
		  (unsigned long)seen.alloc_site, (unsigned long)seen.free_site,
		  (unsigned long)seen.site);
	q = heap_alloc_in(h, 64, 16, 0x5555);
	heap_free_in(h, q, 0x6666);
	q[0] = 0x4141414141414141;	/* a write after free over the list links */
	memset(&seen, 0, sizeof(seen));
	if (!setjmp(corrupt_jmp))
		heap_alloc_in(h, 64, 16, 0x7777);
	TAP_CHECK(seen.what && strstr(seen.what, "written after free") && seen.site == 0x7777,
		  "a write after free is caught before its links are followed (%s)", seen.what);
	heap_stats(&core_after);
	TAP_CHECK(core_after.used_bytes == core_before.used_bytes &&
		  core_after.total_frees == core_before.total_frees,
		  "the core heap saw none of it");
	heap_destroy(h);
	TAP_CHECK(own_pages == 0, "destroy gives back every page, live blocks included (%ld left)",
		  own_pages);
}

int
main(void)
{
	setup();
	test_free_is_reused();
	test_neighbours_coalesce();
	test_alignment();
	test_large_blocks();
	test_random_against_model();
	test_double_free_detected();
	test_overrun_detected();
	test_wild_free_rejected();
	test_damaged_previous_free_block();
	test_own_heap();
	return tap_done();
}
