/* The export table: EXPORT() records from every file, sorted by name once at
 * boot, looked up by binary search. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/export.h>
#include <core/init.h>
#include <core/sort.h>
#include <core/string.h>
#include "section.h"

SECTION_BOUNDS(struct export, exports);
extern const char __executable_start[], etext[];

static const struct export **sorted;
static size_t nsorted;

static int
export_cmp(const void *a, const void *b)
{
	return strcmp(((const struct export *)a)->name, ((const struct export *)b)->name);
}

static void
export_init(void)
{
	nsorted = SECTION_COUNT(exports);
	sorted = (const struct export **)sort_table(__start_exports, nsorted,
						    sizeof(*__start_exports), export_cmp);
}
INITFUNC("20export", export_init);

const struct export *
export_lookup(const char *name)
{
	size_t lo = 0, hi = nsorted;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, sorted[mid]->name);

		if (c == 0)
			return sorted[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct export *
export_at(size_t i)
{
	return i < nsorted ? sorted[i] : NULL;
}

size_t
export_count(void)
{
	return nsorted;
}

const char *
export_class_name(u32 cls)
{
	static const char *const names[EXPORT_NCLASSES] = {
		"libc", "fortify", "pthread", "libusb", "libusb1", "ssp", "runtime", "pcsc",
	};

	return cls < EXPORT_NCLASSES ? names[cls] : "?";
}

bool
export_is_function(const struct export *e)
{
	return (const char *)e->addr >= __executable_start && (const char *)e->addr < etext;
}

static int
cmd_exports(int argc, char **argv)
{
	bool txt = argc > 1 && !strcmp(argv[1], "--txt");
	const char *glob = argc > 1 + txt ? argv[1 + txt] : "*";
	size_t shown = 0;

	for (size_t i = 0; i < nsorted; i++) {
		const struct export *e = sorted[i];

		if (!str_glob_match(glob, e->name))
			continue;
		if (txt) {	/* build/exports.txt: what host tools read */
			kprintf("%s %s %s\n", e->name, export_class_name(e->cls),
				export_is_function(e) ? "function" : "object");
			continue;
		}
		kprintf("%-28s %-8s %-8s %p\n", e->name, export_class_name(e->cls),
			export_is_function(e) ? "function" : "object", e->addr);
		shown++;
	}
	if (!txt)
		kprintf("%zu of %zu exports\n", shown, nsorted);
	return 0;
}
DBGSH_GUEST_COMMAND("exports", cmd_exports, "list what blobs may import: exports [--txt] [GLOB]");
