/* `version' and `mem'. */
#include <core/console.h>
#include <core/core.h>
#include <core/dbgsh.h>
#include <core/heap.h>
#include <core/pages.h>
#include <core/platform.h>

static int
cmd_version(int argc, char **argv)
{
	kprintf("blobvisor %s (%s, x86-64)\n", BLOBVISOR_VERSION, plat_name());
	return 0;
}
DBGSH_GUEST_COMMAND("version", cmd_version, "print the version and the platform");

static int
cmd_mem(int argc, char **argv)
{
	struct pages_stats ps;
	struct heap_stats hs, bs;
	unsigned nb;

	pages_stats(&ps);
	heap_stats(&hs);
	kprintf("pages: %zu KiB used of %zu KiB (%zu of %zu pages), largest free run %zu KiB\n",
		ps.used * 4, ps.total * 4, ps.used, ps.total, ps.largest_free_run * 4);
	kprintf("heap:  %zu bytes in %zu blocks, %zu bytes free, %zu KiB arena; "
		"%zu allocs, %zu frees\n",
		hs.used_bytes, hs.live_blocks, hs.free_bytes, hs.arena_bytes / 1024,
		hs.total_allocs, hs.total_frees);
	heap_stats_others(&bs, &nb);
	kprintf("blob heaps: %u, %zu bytes in %zu blocks, %zu KiB of pages; "
		"%zu allocs, %zu frees\n", nb, bs.used_bytes, bs.live_blocks,
		bs.arena_bytes / 1024, bs.total_allocs, bs.total_frees);
	return 0;
}
DBGSH_GUEST_COMMAND("mem", cmd_mem, "heap and page allocator usage");
