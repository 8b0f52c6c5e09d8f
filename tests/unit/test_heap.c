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
	u64 *footer = (u64 *)(b - 16 - 8);	/* a's size, before b's header */

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
	return tap_done();
}
