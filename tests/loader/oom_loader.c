/* The loader under heap exhaustion: every allocation the loader makes
 * (heap_alloc/zalloc/alloc_aligned/realloc/strdup, wrapped at link time
 * with ld --wrap) is made to fail in turn, one per load, for real objects
 * with missing imports (--allow-missing traps), an archive and a shared
 * object.  Each load must end in a clean refusal naming the problem or a
 * working blob, and give back every heap block; a NULL stored and read
 * later (ASan) or a leak fails the test. */
#include <stdio.h>
#include <stdlib.h>
#include "tap.h"
#include "unit/host_plat.h"
#include <core/pages.h>
#include <loader/blob.h>

void *__real_heap_alloc(size_t size);
void *__real_heap_zalloc(size_t size);
void *__real_heap_alloc_aligned(size_t size, size_t align);
void *__real_heap_realloc(void *p, size_t size);
char *__real_heap_strdup(const char *s);
void *__wrap_heap_alloc(size_t size);
void *__wrap_heap_zalloc(size_t size);
void *__wrap_heap_alloc_aligned(size_t size, size_t align);
void *__wrap_heap_realloc(void *p, size_t size);
char *__wrap_heap_strdup(const char *s);

static long countdown = -1;	/* allocations left before the one that fails; -1: off */
static bool injected;

static bool
fail_now(void)
{
	if (countdown < 0)
		return false;
	if (countdown-- == 0) {
		injected = true;
		return true;
	}
	return false;
}

void *__wrap_heap_alloc(size_t size) { return fail_now() ? NULL : __real_heap_alloc(size); }
void *__wrap_heap_zalloc(size_t size) { return fail_now() ? NULL : __real_heap_zalloc(size); }
void *__wrap_heap_alloc_aligned(size_t size, size_t align)
{
	return fail_now() ? NULL : __real_heap_alloc_aligned(size, align);
}
void *__wrap_heap_realloc(void *p, size_t size)
{
	return fail_now() ? NULL : __real_heap_realloc(p, size);
}
char *__wrap_heap_strdup(const char *s) { return fail_now() ? NULL : __real_heap_strdup(s); }

static struct blob_input in[4];
static int nin;

static bool
read_input(const char *path)
{
	FILE *f = fopen(path, "rb");
	long len;
	void *buf;

	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len ? len : 1);
	if (!buf || fread(buf, 1, len, f) != (size_t)len) {
		fclose(f);
		return false;
	}
	fclose(f);
	in[nin++] = (struct blob_input){ path, buf, (size_t)len };
	return true;
}

/* Fail allocation 0, 1, 2, ... of a load of `files' until a load runs
 * without reaching the failure. */
static void
exhaust(const char *what, const char *const *files, int n, unsigned flags)
{
	char path[4][512];
	const char *top = getenv("BV_TOP");
	unsigned refused = 0, leaked = 0, silent = 0, steps = 0;
	bool loaded_clean = false;

	nin = 0;
	for (int i = 0; i < n; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/build/loader-tests/%s", top ? top : ".", files[i]);
		if (!read_input(path[i])) {
			TAP_CHECK(0, "%s: %s readable (build it: make test-deps)", what, path[i]);
			return;
		}
	}
	for (long k = 0; k < 100000 && !loaded_clean; k++, steps++) {
		struct heap_stats h0, h1;
		struct blob *b;

		heap_stats(&h0);
		host_console_clear();
		injected = false;
		countdown = k;
		b = blob_load_inputs(in, n, flags);
		countdown = -1;
		if (b)
			blob_unload(b);
		heap_stats(&h1);
		if (h1.live_blocks != h0.live_blocks) {
			leaked++;
			printf("# %s: allocation %ld failed: %zu blocks leaked\n", what, k,
			       h1.live_blocks - h0.live_blocks);
		}
		if (!injected) {
			loaded_clean = b != NULL;
			break;
		}
		if (!b) {
			refused++;
			if (!strstr(host_console, "blob: ")) {
				silent++;
				printf("# %s: allocation %ld failed: refused without a line\n", what, k);
			}
		}
	}
	TAP_CHECK(loaded_clean, "%s: loads once no allocation fails (after %u injected failures)",
		  what, steps);
	TAP_CHECK(refused > 0, "%s: injected failures refuse the load (%u of %u)", what, refused, steps);
	TAP_CHECK(!silent, "%s: every refusal prints a `blob:' line (%u silent)", what, silent);
	TAP_CHECK(!leaked, "%s: no heap block leaked by any of them (%u leaked)", what, leaked);
	for (int i = 0; i < nin; i++)
		free((void *)in[i].buf);
}

int
main(void)
{
	void *base;
	size_t len;
	static const char *const unres[] = { "unres.o" };
	static const char *const arch[] = { "rt_main_pic.o", "libt.a" };
	static const char *const so[] = { "libsodep.so" };

	plat_memory_region(&base, &len);
	pages_init(base, len);
	heap_free(heap_alloc(16));
	exhaust("unres.o --allow-missing", unres, 1, BLOB_NORUN | BLOB_QUIET | BLOB_ALLOW_MISSING);
	exhaust("rt_main_pic.o libt.a", arch, 2, BLOB_NORUN | BLOB_QUIET | BLOB_ALLOW_MISSING);
	exhaust("libsodep.so", so, 1, BLOB_NORUN | BLOB_QUIET | BLOB_ALLOW_MISSING);
	return tap_done();
}
