/* Shell commands for blobs: load, list, info, syms, call, unload. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/heap.h>
#include <core/sort.h>
#include <core/string.h>
#include <core/time.h>
#include <domain/domain.h>
#include "internal.h"

/* Where ring 3 is the VMM's own (bare metal, under the hypervisor), a blob
 * loads into a protection domain unless told otherwise; hosted, a domain is
 * a child process and stays opt-in (docs/domains.md).  --allow-missing and
 * --no-tcb ask for ring-0 things (traps in the VMM, no TCB), so they mean
 * the VMM unless --domain is said too. */
static int
cmd_blob_load(int argc, char **argv)
{
	unsigned flags = domain_by_default() ? BLOB_DOMAIN : 0;
	bool chosen = false;
	u64 pages = 0, threads = 0;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--domain")) {
			flags |= BLOB_DOMAIN;
			chosen = true;
		} else if (!strcmp(argv[i], "--in-vmm") || !strcmp(argv[i], "--no-domain")) {
			flags &= ~BLOB_DOMAIN;	/* ring 0, as before domains */
			chosen = true;
		} else if (!strcmp(argv[i], "--pages")) {
			if (i + 1 == argc || !dbgsh_parse_u64(argv[i + 1], &pages) || !pages ||
			    pages > (1u << 20)) {
				kprintf("blob load: --pages takes a page count from 1 to 1048576\n");
				return 1;
			}
			i++;
		} else if (!strcmp(argv[i], "--threads")) {
			if (i + 1 == argc || !dbgsh_parse_u64(argv[i + 1], &threads) || !threads ||
			    threads > 256) {
				kprintf("blob load: --threads takes a thread count from 1 to 256 (the "
					"caller's thread counts)\n");
				return 1;
			}
			i++;
		} else if (!strcmp(argv[i], "--whole-archive"))
			flags |= BLOB_WHOLE_ARCHIVE;
		else if (!strcmp(argv[i], "--no-tcb"))
			flags |= BLOB_NO_TCB;
		else if (!strcmp(argv[i], "--allow-missing"))
			flags |= BLOB_ALLOW_MISSING;
		else {
			kprintf("blob load: unknown option %s\n", argv[i]);
			return 1;
		}
	}
	if (i == argc) {
		kprintf("usage: blob load [--domain [--pages N] [--threads N] | --in-vmm|--no-domain] [--whole-archive] "
			"[--no-tcb] [--allow-missing] FILE...\n");
		return 1;
	}
	if (!chosen && (flags & (BLOB_ALLOW_MISSING | BLOB_NO_TCB)))
		flags &= ~BLOB_DOMAIN;
	if ((pages || threads) && !(flags & BLOB_DOMAIN)) {
		kprintf("blob load: --pages and --threads limit a domain (--domain)\n");
		return 1;
	}
	return blob_load_files_limited((const char *const *)&argv[i], argc - i, flags,
				       &(struct domain_limits){ .pages = pages,
								.threads = (unsigned)threads })
		? 0 : 1;
}
DBGSH_COMMAND("blob load", cmd_blob_load,
	      "load .o/.a/.so files into one blob: blob load [--domain [--pages N] [--threads N] | --in-vmm|--no-domain] "
	      "[--whole-archive] [--no-tcb] [--allow-missing] FILE... (--domain: ring 3, the default on bare "
	      "metal and under the hypervisor; docs/domains.md)");

static int
cmd_blob_list(int argc, char **argv)
{
	unsigned n = 0;

	for (struct blob *b = blob_first(); b; b = blob_next(b), n++)
		kprintf("%-24s %2u files  image %#8zx at %p  %s%s%s\n", b->name, b->nobjs,
			b->image_pages * PAGE_SIZE, b->image, b->failed ? "FAILED" : "ok",
			(b->flags & BLOB_NO_TCB) ? " no-tcb" : b->domain ? " domain" : "",
			(b->flags & BLOB_STATIC) ? " linked-in" : "");
	kprintf("%u blob%s loaded\n", n, n == 1 ? "" : "s");
	return 0;
}
DBGSH_GUEST_COMMAND("blob list", cmd_blob_list, "list loaded blobs");

static struct blob *
find_or_complain(const char *name)
{
	struct blob *b = blob_find(name);

	if (!b)
		kprintf("blob: %s: no such blob (see blob list)\n", name);
	return b;
}

static int
cmd_blob_info(int argc, char **argv)
{
	struct blob *b;
	static const char *const prot[8] = { "---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx" };

	if (argc != 2) {
		kprintf("usage: blob info NAME\n");
		return 1;
	}
	if (!(b = find_or_complain(argv[1])))
		return 1;
	kprintf("blob %s: %s%s%s\n", b->name, b->failed ? "FAILED" : "ok",
		(b->flags & BLOB_NO_TCB) ? ", no TCB" : "",
		(b->flags & BLOB_STATIC) ? ", linked into the image" : "");
	for (struct blob_obj *o = b->objs; o; o = o->next) {
		if (o->dyn) {
			kprintf("  %s: shared object at %p (%zu pages)%s%s\n", o->name, o->map,
				o->map_pages, o->soname ? ", soname " : "", o->soname ? o->soname : "");
			continue;
		}
		kprintf("  %s:\n", o->name);
		for (unsigned i = 1; i < o->elf.shnum; i++)
			if (o->secaddr[i])
				kprintf("    %-24s %#llx %#llx\n", elf_section_name(&o->elf, i),
					(unsigned long long)o->secaddr[i],
					(unsigned long long)o->elf.sh[i].sh_size);
	}
	for (unsigned r = 0; r < b->nregions; r++)
		kprintf("  region %#llx-%#llx %s\n", (unsigned long long)b->regions[r].start,
			(unsigned long long)(b->regions[r].start + b->regions[r].len),
			prot[b->regions[r].prot & 7]);
	kprintf("  GOT %u slots at %#llx, PLT %u stubs at %#llx, %u traps, %zu destructors\n",
		b->ngot, (unsigned long long)b->got, b->nplt, (unsigned long long)b->plt, b->ntraps,
		b->nfini);
	for (unsigned t = 0; t < b->ntraps; t++)
		kprintf("  trap for missing `%s'\n", b->trap_names[t]);
	if (b->domain)
		domain_print_info(b->domain);
	if (b->heap) {
		struct heap_stats st;

		heap_stats_of(b->heap, &st);
		kprintf("  heap: %zu bytes in %zu blocks, %zu KiB of its own pages; "
			"%zu allocs, %zu frees\n", st.used_bytes, st.live_blocks,
			st.arena_bytes / 1024, st.total_allocs, st.total_frees);
	} else {
		kprintf("  heap: none (nothing allocated yet)\n");
	}
	return 0;
}
DBGSH_GUEST_COMMAND("blob info", cmd_blob_info, "objects, sections, tables of a blob: blob info NAME");

static int
nsym_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nsym *)a)->name, ((const struct nsym *)b)->name);
}

static int
cmd_blob_syms(int argc, char **argv)
{
	struct blob *b;
	const char *glob = argc > 2 ? argv[2] : "*";
	const struct nsym **v;
	size_t n = 0, k = 0;

	if (argc < 2 || argc > 3) {
		kprintf("usage: blob syms NAME [GLOB]\n");
		return 1;
	}
	if (!(b = find_or_complain(argv[1])))
		return 1;
	for (unsigned h = 0; h < b->nhash; h++)
		for (struct nsym *s = b->hash[h]; s; s = s->next)
			n++;
	v = heap_alloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return 1;
	for (unsigned h = 0; h < b->nhash; h++)
		for (struct nsym *s = b->hash[h]; s; s = s->next)
			if (str_glob_match(glob, s->name))
				v[k++] = s;
	sort_ptrs((const void **)v, k, nsym_cmp);
	for (size_t i = 0; i < k; i++)
		kprintf("%016llx %6llu %-6s %-4s %-28s %s\n", (unsigned long long)v[i]->addr,
			(unsigned long long)v[i]->size,
			v[i]->type == STT_FUNC ? "func" : v[i]->type == STT_OBJECT ? "object" : "-",
			v[i]->common ? "C" : v[i]->bind == STB_WEAK ? "W" : "G", v[i]->name,
			v[i]->obj ? v[i]->obj->name : "(linked in)");
	kprintf("%zu of %zu symbols\n", k, n);
	heap_free(v);
	return 0;
}
DBGSH_GUEST_COMMAND("blob syms", cmd_blob_syms, "global symbols of a blob: blob syms NAME [GLOB]");

/* SYM or BLOB:SYM */
static struct blob *
find_symbol(const char *spec, u64 *addr)
{
	const char *colon = strchr(spec, ':');
	struct nsym *s;

	if (colon) {
		char name[64];
		struct blob *b;

		snprintf(name, sizeof(name), "%.*s", (int)(colon - spec), spec);
		if (!(b = find_or_complain(name)))
			return NULL;
		/* the namespace itself, failed or not: blob_call then says
		 * why a failed blob refuses */
		s = ns_find(b, colon + 1);
		if (!s) {
			kprintf("blob: %s: no global symbol `%s'\n", name, colon + 1);
			return NULL;
		}
		*addr = s->addr;
		return b;
	}
	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		s = ns_find(b, spec);
		if (s) {
			*addr = s->addr;
			return b;
		}
	}
	kprintf("blob call: no loaded blob defines `%s'\n", spec);
	return NULL;
}

static int
cmd_blob_call(int argc, char **argv)
{
	u64 fn, args[6] = { 0 }, ret;
	char *strs[6] = { 0 };
	struct blob_buf bufs[6];	/* the strings: a domain gets copies */
	unsigned nbufs = 0;
	struct blob *b;
	int rc;

	if (argc < 2 || argc > 8) {
		kprintf("usage: blob call [BLOB:]SYM [ARG...] (up to 6; integers, or \"strings\""
			" passed as pointers)\n");
		return 1;
	}
	if (!(b = find_symbol(argv[1], &fn)))
		return 1;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		size_t n = strlen(a);

		if (!dbgsh_arg_quoted(a) && dbgsh_parse_u64(a, &args[i - 2]))
			continue;
		strs[i - 2] = heap_alloc(n + 1);
		if (!strs[i - 2])
			return 1;
		memcpy(strs[i - 2], a, n);
		strs[i - 2][n] = 0;
		args[i - 2] = (u64)strs[i - 2];
		bufs[nbufs++] = (struct blob_buf){ (unsigned)i - 2, BLOB_BUF_IN | BLOB_BUF_OUT, n + 1 };
	}
	rc = blob_call_bufs(b, fn, args, argc - 2, bufs, nbufs, &ret);
	if (!rc)
		kprintf("%s returned %lld (%#llx)\n", argv[1], (long long)ret, (unsigned long long)ret);
	for (int i = 0; i < 6; i++)
		heap_free(strs[i]);
	return rc ? 1 : 0;
}
DBGSH_COMMAND("blob call", cmd_blob_call,
	      "call a blob function: blob call [BLOB:]SYM [ARG...] (integers, or strings as pointers)");

static int
cmd_blob_unload(int argc, char **argv)
{
	struct blob *b;

	bool force = argc == 3 && !strcmp(argv[1], "--force");

	if (argc != 2 && !force) {
		kprintf("usage: blob unload [--force] NAME\n");
		return 1;
	}
	if (!(b = find_or_complain(argv[argc - 1])))
		return 1;
	if (force)
		blob_threads_stop(b);
	if (blob_unload(b))
		return 1;
	kprintf("blob: %s: unloaded\n", argv[argc - 1]);
	return 0;
}
DBGSH_COMMAND("blob unload", cmd_blob_unload, "run destructors and free a blob: blob unload [--force] NAME (--force stops its threads)");


/* Figures for `make bench` (bench/loader.c), measured inside the VMM. */
static int
cmd_blob_bench_load(int argc, char **argv)
{
	unsigned flags = BLOB_QUIET;
	u64 n, t0, total = 0, *t;
	int i = 2;
	static char sink[4096];
	struct console_capture cap = { sink, sizeof(sink), 0 };

	if (argc < 3 || !dbgsh_parse_u64(argv[1], &n) || !n || n > 100000) {
		kprintf("usage: blob bench-load N [--allow-missing] FILE...\n");
		return 1;
	}
	if (!strcmp(argv[i], "--allow-missing")) {
		flags |= BLOB_ALLOW_MISSING;
		i++;
	}
	t = heap_alloc(n * sizeof(*t));
	if (!t)
		return 1;
	for (u64 k = 0; k < n; k++) {
		struct blob *b;

		cap.len = 0;
		console_capture_begin(&cap);
		t0 = time_now_ns();
		b = blob_load_files((const char *const *)&argv[i], argc - i, flags);
		t[k] = time_now_ns() - t0;
		if (b)
			blob_unload(b);
		console_capture_end();
		if (!b) {
			kprintf("blob bench-load: the load failed:\n%.*s", (int)cap.len, sink);
			heap_free(t);
			return 1;
		}
		total += t[k];
	}
	for (u64 a = 1; a < n; a++)	/* insertion sort, for the median */
		for (u64 b = a; b > 0 && t[b - 1] > t[b]; b--) {
			u64 x = t[b];

			t[b] = t[b - 1];
			t[b - 1] = x;
		}
	kprintf("blob bench-load: %llu loads, mean %llu ns, median %llu ns, best %llu ns\n",
		(unsigned long long)n, (unsigned long long)(total / n),
		(unsigned long long)t[n / 2], (unsigned long long)t[0]);
	heap_free(t);
	return 0;
}
DBGSH_COMMAND("blob bench-load", cmd_blob_bench_load,
	      "time load+link+unload: blob bench-load N [--allow-missing] FILE...");

static int
cmd_blob_time(int argc, char **argv)
{
	u64 fn, args[6] = { 0 }, ret, t0, dt;
	struct blob *b;

	if (argc < 2 || argc > 8) {
		kprintf("usage: blob time [BLOB:]SYM [INT...]\n");
		return 1;
	}
	if (!(b = find_symbol(argv[1], &fn)))
		return 1;
	for (int i = 2; i < argc; i++)
		if (!dbgsh_parse_u64(argv[i], &args[i - 2])) {
			kprintf("blob time: %s: not an integer\n", argv[i]);
			return 1;
		}
	t0 = time_now_ns();
	if (blob_call(b, fn, args, argc - 2, &ret))
		return 1;
	dt = time_now_ns() - t0;
	kprintf("%s returned %lld (%#llx) in %llu ns\n", argv[1], (long long)ret,
		(unsigned long long)ret, (unsigned long long)dt);
	return 0;
}
DBGSH_COMMAND("blob time", cmd_blob_time, "call and time a blob function: blob time [BLOB:]SYM [INT...]");
