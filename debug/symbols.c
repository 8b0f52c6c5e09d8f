/* Addresses to names and back, across loaded blobs and the core: the core's
 * exports by the name blobs import them under, core text by ksyms. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/export.h>
#include <core/init.h>
#include <core/ksyms.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include <debug/debug.h>
#include <loader/introspect.h>

static const char *
export_at_addr(u64 addr)
{
	for (size_t i = 0; i < export_count(); i++) {
		const struct export *e = export_at(i);

		if ((u64)e->addr == addr)
			return e->name;
	}
	return NULL;
}

const char *
dbg_symbolize(u64 addr, char *buf, size_t size, bool with_obj)
{
	char tmp[192];
	const char *s, *name;
	u64 off;
	size_t n;

	if (!addr)
		return NULL;
	if ((name = export_at_addr(addr))) {
		snprintf(buf, size, "%s", name);
		return buf;
	}
	if ((name = trace_thunk_name(addr))) {
		snprintf(buf, size, "%s[traced]", name);
		return buf;
	}
	if ((s = blob_describe_addr(addr, tmp, sizeof(tmp)))) {
		const char *colon = strrchr(s, ':');

		if (!with_obj && colon)
			s = colon + 1;
		n = strlen(s);
		if (n > 2 && !strcmp(s + n - 2, "+0"))
			n -= 2;
		snprintf(buf, size, "%.*s", (int)n, s);
		return buf;
	}
	if ((name = ksym_lookup(addr, &off))) {
		if (off)
			snprintf(buf, size, "%s+%#llx", name, (unsigned long long)off);
		else
			snprintf(buf, size, "%s", name);
		return buf;
	}
	return NULL;
}

static bool
lookup_name(const char *name, u64 *addr)
{
	const char *colon = strchr(name, ':');
	const struct export *e;

	if (colon) {
		char bn[64];
		struct blob *b;
		bool found = false;

		snprintf(bn, sizeof(bn), "%.*s", (int)(colon - name), name);
		if (!(b = blob_find(bn)))
			return false;
		*addr = blob_lookup(b, colon + 1, &found);
		return found;
	}
	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		struct blob_symbol s;

		if (blob_symbol_lookup(b, name, &s)) {
			*addr = s.addr;
			return true;
		}
	}
	if ((e = export_lookup(name))) {
		*addr = (u64)e->addr;
		return true;
	}
	*addr = ksym_address(name);
	return *addr != 0;
}

bool
dbg_parse_addr(const char *spec, u64 *addr)
{
	char name[128];
	const char *plus = strrchr(spec, '+');
	u64 off = 0;

	if (dbgsh_parse_u64(spec, addr))
		return true;
	if (plus && plus != spec) {
		if (!dbgsh_parse_u64(plus + 1, &off)) {
			kprintf("%s: bad offset `%s'\n", spec, plus + 1);
			return false;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(plus - spec), spec);
	} else {
		snprintf(name, sizeof(name), "%s", spec);
	}
	if (!lookup_name(name, addr)) {
		kprintf("%s: no such symbol in any blob or the core\n", name);
		return false;
	}
	*addr += off;
	return true;
}

bool
dbg_addr_in_blob(const struct blob *b, u64 a)
{
	return blob_mapping_at(b, a) != NULL;
}

bool
dbg_readable(u64 a)
{
	u64 lo, hi;

	if (a < 0x10000 || a > ~0ULL - 16)
		return false;
	blob_stack_range(&lo, &hi);
	if (a + 8 > lo && a < lo + PAGE_SIZE)
		return false;			/* the blob stack's guard page */
	if (hi && a + 8 > hi && a < hi + PAGE_SIZE)
		return false;			/* and the one above its top */
	for (struct blob *b = blob_first(); b; b = blob_next(b))
		if (dbg_addr_in_blob(b, a))
			return true;
	if (ksym_lookup(a, &(u64){0}))
		return true;
	for (size_t i = 0; i < export_count(); i++)
		if ((u64)export_at(i)->addr == a)
			return true;
	/* elsewhere in the page allocator's region: mapped on every platform */
	return pages_owns((const void *)a) && pages_owns((const void *)(a + 7));
}

/* The loader's unload hook: every debug record into b goes. */
static void
dbg_unloading(struct blob *b)
{
	hook_forget(b);
	patch_forget(b);
	trace_forget(b);
	dis_forget(b);
}

static struct blob_unload_hook unload_hook = { .order = 10, .fn = dbg_unloading };

static void
dbg_symbols_init(void)
{
	blob_unload_hook_register(&unload_hook);
}
INITFUNC("40debug-unload", dbg_symbols_init);
