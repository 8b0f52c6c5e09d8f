/* libFuzzer: the whole loader on arbitrary bytes: ELF and ar parsing, archive
 * pull-in, symbol resolution, layout and relocation (constructors are not
 * run).  Every input must end in a clean load or a one-line refusal, and a
 * refusal must give back every heap block. */
#include <stdint.h>
#include <string.h>
#include "unit/host_plat.h"
#include <core/heap.h>
#include <core/pages.h>
#include <loader/blob.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct blob_input in = { "fuzz.o", data, size };
	struct heap_stats h0, h1;
	struct blob *b;

	if (!ready) {
		void *base;
		size_t len;

		plat_memory_region(&base, &len);
		pages_init(base, len);
		heap_free(heap_alloc(16));
		ready = true;
	}
	heap_stats(&h0);
	b = blob_load_inputs(&in, 1, BLOB_NORUN | BLOB_QUIET | BLOB_ALLOW_MISSING);
	if (b)
		blob_unload(b);
	heap_stats(&h1);
	if (h1.live_blocks != h0.live_blocks)
		__builtin_trap();	/* a load, or a refusal, leaked */
	host_console_clear();
	return 0;
}
