/* Import tracing: `trace on [--live] [GLOB]' rebinds every call a loaded
 * blob makes into a matching core export to a per-import thunk (debug/
 * trace_asm.S) and `trace off' puts the original bindings back, byte for
 * byte.  Rebinding touches only what the loader made for imports: rel32
 * call/jump sites against undefined symbols (ET_REL), the blob's PLT stubs
 * and GOT slots, and the GOT of shared objects.  Each call is recorded
 * into a ring buffer with its arguments, typed for known prototypes
 * (strings copied at entry), and its return value; `trace show' prints
 * the ring, --live prints as calls return.  Blobs loaded after `trace on'
 * are not traced until the next `trace on'. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/context.h>
#include <core/export.h>
#include <core/heap.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include <debug/debug.h>
#include <domain/domain.h>
#include <loader/blob.h>
#include <loader/introspect.h>
#include "patch.h"
#include "trace.h"

void trace_common(void);
u64 trace_enter(u64 *saved);
u64 trace_leave(u64 ret);

#define RING 256
#define SHADOW 256
#define STRCOPY TRACE_STRCOPY
#define THUNK 16

#define rec trace_rec
#define proto trace_proto

static struct rec ring[RING];
static u64 seq;
static struct {
	u64 ret;
	struct rec *rec;
	u64 recseq;
} shadow[SHADOW];
static unsigned depth;
static bool live, tracing;
static u8 *thunks;
static size_t thunk_pages;
static const struct proto **proto_by_idx;	/* per export, looked up once */
static u64 *real_by_idx;			/* per export: its address */

/* Undo list: every word trace on wrote. */
struct rebind {
	u64 addr;
	u8 old[8];
	u8 len;
	int prot;
};
static struct rebind *undo;
static size_t nundo, capundo;

static const struct proto protos[] = {
	{ "memcpy", "ppu:p", "dst src n" },
	{ "memmove", "ppu:p", "dst src n" },
	{ "memset", "pix:p", "s c n" },
	{ "memcmp", "ppu:i", "a b n" },
	{ "strlen", "s:u", "s" },
	{ "strcpy", "ps:p", "dst src" },
	{ "strncpy", "psu:p", "dst src n" },
	{ "strcat", "ps:p", "dst src" },
	{ "strcmp", "ss:i", "a b" },
	{ "strncmp", "ssu:i", "a b n" },
	{ "strchr", "si:p", "s c" },
	{ "strstr", "ss:p", "hay needle" },
	{ "strdup", "s:p", "s" },
	{ "atoi", "s:i", "s" },
	{ "atol", "s:i", "s" },
	{ "strtol", "spi:i", "s end base" },
	{ "malloc", "u:p", "size" },
	{ "calloc", "uu:p", "n size" },
	{ "realloc", "pu:p", "ptr size" },
	{ "free", "p:v", "ptr" },
	{ "printf", "s:i", "fmt" },
	{ "puts", "s:i", "s" },
	{ "sprintf", "ps:i", "buf fmt" },
	{ "snprintf", "pus:i", "buf size fmt" },
	{ "time", "p:i", "t" },
	{ "pthread_mutex_init", "pp:i", "m attr" },
	{ "pthread_mutex_lock", "p:i", "m" },
	{ "pthread_mutex_unlock", "p:i", "m" },
	{ "usb_init", ":v", "" },
	{ "usb_find_busses", ":i", "" },
	{ "usb_find_devices", ":i", "" },
	{ "usb_get_busses", ":p", "" },
	{ "usb_open", "p:p", "dev" },
	{ "usb_close", "p:i", "h" },
	{ "usb_set_configuration", "pi:i", "h config" },
	{ "usb_claim_interface", "pi:i", "h iface" },
	{ "usb_release_interface", "pi:i", "h iface" },
	{ "usb_interrupt_write", "pxpii:i", "h ep bytes size timeout" },
	{ "usb_interrupt_read", "pxpii:i", "h ep bytes size timeout" },
	{ "usb_bulk_write", "pxpii:i", "h ep bytes size timeout" },
	{ "usb_bulk_read", "pxpii:i", "h ep bytes size timeout" },
	{ "usb_control_msg", "pxxxxp:i", "h reqtype req value index bytes" },
	{ "__stack_chk_fail", ":v", "" },
};

const struct proto *
trace_proto_of(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(protos); i++)
		if (!strcmp(protos[i].name, name))
			return &protos[i];
	return NULL;
}

/* Strings are copied only when readable: a core pointer or a blob's. */
static void
copy_str(char *dst, u64 src)
{
	size_t i = 0;

	if (src < 0x10000) {
		dst[0] = 0;
		return;
	}
	for (; i < STRCOPY - 1 && ((const char *)src)[i]; i++)
		dst[i] = ((const char *)src)[i];
	dst[i] = 0;
}

u64
trace_enter(u64 *s)
{
	u32 idx = (u32)s[7];
	struct rec *r = &ring[seq % RING];
	const struct proto *p = proto_by_idx[idx];

	if (depth == SHADOW)
		ctx_abort("trace: import calls nested too deep for the shadow stack",
			   (const void *)s[8]);
	r->kind = TRACE_CORE;
	r->idx = idx;
	r->depth = depth;
	r->seq = seq++;
	r->caller = s[8];
	r->a[0] = s[5];
	r->a[1] = s[4];
	r->a[2] = s[3];
	r->a[3] = s[2];
	r->a[4] = s[1];
	r->a[5] = s[0];
	r->returned = false;
	if (p) {
		unsigned ns = 0;

		for (unsigned i = 0; p->sig[i] && p->sig[i] != ':' && ns < 2; i++)
			if (p->sig[i] == 's')
				copy_str(r->s[ns++], r->a[i]);
	}
	shadow[depth].ret = s[8];
	shadow[depth].rec = r;
	shadow[depth].recseq = r->seq;
	depth++;
	return real_by_idx[idx];
}

static void print_rec(const struct rec *r);

u64
trace_leave(u64 ret)
{
	struct rec *r;

	depth--;
	r = shadow[depth].rec;
	if (r->seq == shadow[depth].recseq) {
		r->ret = ret;
		r->returned = true;
		if (live)
			print_rec(r);
	}
	return shadow[depth].ret;
}

void
trace_unwound(void)
{
	depth = 0;
}

struct rec *
trace_rec_new(void)
{
	struct rec *r = &ring[seq % RING];

	memset(r, 0, sizeof(*r));
	r->seq = seq++;
	return r;
}

struct rec *
trace_rec_find(u64 n)
{
	struct rec *r = &ring[n % RING];

	return r->seq == n && n < seq ? r : NULL;
}

void
trace_rec_returned(struct rec *r, u64 ret)
{
	r->ret = ret;
	r->returned = true;
	if (live)
		print_rec(r);
}

void
trace_rec_print_live(const struct rec *r)
{
	if (live)
		print_rec(r);
}

static const char *
rec_name(const struct rec *r)
{
	return r->kind == TRACE_CORE ? export_at(r->idx)->name : r->fn;
}

/* "write(1, 0x65ae40, 25) = 25" as strace prints it */
static void
print_syscall(const struct rec *r)
{
	char call[256], res[64];

	domain_syscall_format(call, sizeof(call), r->idx, r->a);
	if (r->returned)
		domain_syscall_result(res, sizeof(res), (s64)r->ret);
	else
		snprintf(res, sizeof(res), " ...");
	kprintf("  trace #%llu %*s%s: syscall %s)%s\n", (unsigned long long)r->seq,
		(int)r->depth * 2, "", r->who, call, res);
}

static void
print_rec(const struct rec *r)
{
	const char *name = rec_name(r);
	const struct proto *p = trace_proto_of(name);
	char line[512], sym[128];
	size_t n = 0;
	unsigned ns = 0;

	if (r->kind == TRACE_SYSCALL) {
		print_syscall(r);
		return;
	}
	n += snprintf(line + n, sizeof(line) - n, "%*s%s%s%s(", (int)r->depth * 2, "",
		      r->kind == TRACE_DOMAIN ? r->who : "", r->kind == TRACE_DOMAIN ? ": " : "",
		      name);
	if (p) {
		const char *nm = p->names;

		for (unsigned i = 0; p->sig[i] && p->sig[i] != ':' && i < 6; i++) {
			size_t l = strcspn(nm, " ");

			n += snprintf(line + n, sizeof(line) - n, "%s%.*s=", i ? ", " : "", (int)l, nm);
			nm += l + (nm[l] == ' ');
			switch (p->sig[i]) {
			case 's':
				if (r->a[i] < 0x10000)
					n += snprintf(line + n, sizeof(line) - n, "%#llx",
						      (unsigned long long)r->a[i]);
				else
					n += snprintf(line + n, sizeof(line) - n, "\"%s\"", r->s[ns]);
				ns++;
				break;
			case 'i':
				n += snprintf(line + n, sizeof(line) - n, "%d", (int)r->a[i]);
				break;
			case 'u':
				n += snprintf(line + n, sizeof(line) - n, "%llu",
					      (unsigned long long)r->a[i]);
				break;
			default:
				n += snprintf(line + n, sizeof(line) - n, "%#llx",
					      (unsigned long long)r->a[i]);
			}
		}
	} else {
		n += snprintf(line + n, sizeof(line) - n, "%#llx, %#llx, %#llx, ...",
			      (unsigned long long)r->a[0], (unsigned long long)r->a[1],
			      (unsigned long long)r->a[2]);
	}
	n += snprintf(line + n, sizeof(line) - n, ")");
	if (!r->returned)
		n += snprintf(line + n, sizeof(line) - n, " (did not return)");
	else if (p && strchr(p->sig, ':')[1] == 'v')
		;
	else if (p && strchr(p->sig, ':')[1] == 'i')
		n += snprintf(line + n, sizeof(line) - n, " = %d", (int)r->ret);
	else if (p && strchr(p->sig, ':')[1] == 'u')
		n += snprintf(line + n, sizeof(line) - n, " = %llu", (unsigned long long)r->ret);
	else
		n += snprintf(line + n, sizeof(line) - n, " = %#llx", (unsigned long long)r->ret);
	kprintf("  trace #%llu %s  from %s\n", (unsigned long long)r->seq, line,
		dbg_symbolize(r->caller - 5, sym, sizeof(sym), true) ? sym : "?");
}

void
trace_print_last(unsigned n)
{
	u64 from = seq > n ? seq - n : 0;

	if (!seq) {
		if (!tracing)
			kprintf("  last imports: not recorded (`trace on' records them)\n");
		return;
	}
	if (seq - from > RING)
		from = seq - RING;
	kprintf("  last %llu imports called:\n", (unsigned long long)(seq - from));
	for (u64 s = from; s < seq; s++)
		print_rec(&ring[s % RING]);
}

const char *
trace_last_import(void)
{
	for (u64 s = seq; s > 0 && seq - s < RING; s--)
		if (ring[(s - 1) % RING].kind != TRACE_SYSCALL)
			return rec_name(&ring[(s - 1) % RING]);
	return NULL;
}

/* --- binding ------------------------------------------------------------------ */

int
trace_rebind(u64 addr, const void *val, unsigned len, int prot)
{
	if (nundo == capundo) {
		size_t nc = capundo ? capundo * 2 : 64;
		struct rebind *nu = heap_alloc(nc * sizeof(*nu));

		if (!nu)
			return -1;
		if (undo)
			memcpy(nu, undo, nundo * sizeof(*nu));
		heap_free(undo);
		undo = nu;
		capundo = nc;
	}
	undo[nundo].addr = addr;
	undo[nundo].len = (u8)len;
	undo[nundo].prot = prot;
	if (dbg_domain_of(addr))	/* a domain's page: SMAP's window for the read */
		domain_window(true);
	memcpy(undo[nundo].old, (const void *)addr, len);
	if (dbg_domain_of(addr))
		domain_window(false);
	if (dbg_write(addr, val, len, prot))
		return -1;
	nundo++;
	return 0;
}

/* The export index of a core function address that matches the glob, or -1. */
static long
traced_index(u64 a, const char *glob)
{
	for (size_t i = 0; i < export_count(); i++) {
		const struct export *e = export_at(i);

		if ((u64)e->addr == a && export_is_function(e) && str_glob_match(glob, e->name) &&
		    strcmp(e->name, "__stack_chk_fail"))
			return (long)i;
	}
	return -1;
}

static u64
thunk_of(long idx)
{
	return (u64)thunks + (u64)idx * THUNK;
}

static int
build_thunks(void)
{
	size_t n = export_count();

	if (thunks)
		return 0;
	proto_by_idx = heap_alloc(n * sizeof(*proto_by_idx));
	real_by_idx = heap_alloc(n * sizeof(*real_by_idx));
	if (!proto_by_idx || !real_by_idx)
		return -1;
	for (size_t i = 0; i < n; i++) {
		proto_by_idx[i] = trace_proto_of(export_at(i)->name);
		real_by_idx[i] = (u64)export_at(i)->addr;
	}
	thunk_pages = (n * THUNK + PAGE_SIZE - 1) / PAGE_SIZE;
	thunks = pages_alloc(thunk_pages);
	if (!thunks)
		return -1;
	for (size_t i = 0; i < n; i++) {
		u8 *p = thunks + i * THUNK;
		s32 rel;
		u32 idx = (u32)i;

		p[0] = 0x68;			/* push $idx */
		memcpy(p + 1, &idx, 4);
		p[5] = 0xe9;			/* jmp trace_common */
		rel = (s32)(s64)((u64)trace_common - ((u64)p + 10));
		memcpy(p + 6, &rel, 4);
		memset(p + 10, 0xcc, THUNK - 10);
	}
	return plat_protect(thunks, thunk_pages * PAGE_SIZE, PROT_R | PROT_X);
}

struct bind_ctx {
	const char *glob;
	unsigned n;
};

/* One import binding the loader made: point it at the export's thunk. */
static void
bind_one(const struct blob_binding *bd, void *arg)
{
	struct bind_ctx *c = arg;
	long idx = traced_index(bd->target, c->glob);
	u64 t;
	s64 nv;

	if (idx < 0)
		return;
	t = thunk_of(idx);
	if (bd->width == 8) {
		if (!trace_rebind(bd->addr, &t, 8, bd->prot))
			c->n++;
		return;
	}
	nv = (s64)(t + (u64)bd->addend - bd->addr);
	if (nv == (s32)nv && !trace_rebind(bd->addr, &(s32){ (s32)nv }, 4, bd->prot))
		c->n++;
}

static unsigned
bind_blob(struct blob *b, const char *glob)
{
	struct bind_ctx c = { glob, 0 };

	blob_bindings(b, bind_one, &c);
	return c.n;
}

static void
unbind_all(void)
{
	while (nundo) {
		struct rebind *u = &undo[--nundo];

		dbg_write(u->addr, u->old, u->len, u->prot);
	}
}

const char *
trace_thunk_name(u64 a)
{
	u64 t = (u64)thunks;

	if (!thunks || a < t || a >= t + export_count() * THUNK || (a - t) % THUNK)
		return trace_domain_thunk_name(a);
	return export_at((a - t) / THUNK)->name;
}

void
trace_forget(const struct blob *b)
{
	size_t k = 0;

	for (size_t i = 0; i < nundo; i++)
		if (!dbg_addr_in_blob(b, undo[i].addr))
			undo[k++] = undo[i];
	nundo = k;
	trace_domain_forget(b);
}

static int
cmd_trace(int argc, char **argv)
{
	const char *glob = "*";
	unsigned n = 0;
	int i = 2;

	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "on")) {
		bool lv = false;

		if (i < argc && !strcmp(argv[i], "--live")) {
			lv = true;
			i++;
		}
		if (i < argc)
			glob = argv[i++];
		if (i != argc)
			goto usage;
		if (build_thunks()) {
			kprintf("trace: no pages for the thunks\n");
			return 1;
		}
		unbind_all();
		trace_domain_off();
		for (struct blob *b = blob_first(); b; b = blob_next(b))
			if (blob_domain(b))
				n += trace_domain_bind(b, glob);
			else if (!dis_is_zydis(b))
				n += bind_blob(b, glob);
		live = lv;
		tracing = true;
		kprintf("trace: %u import bindings through thunks (%s)%s\n", n, glob,
			live ? ", live" : "");
		return 0;
	}
	if (!strcmp(argv[1], "off") && argc == 2) {
		size_t k = nundo;

		unbind_all();
		trace_domain_off();
		tracing = live = false;
		kprintf("trace: off, %zu bindings restored\n", k);
		return 0;
	}
	if (!strcmp(argv[1], "show") && argc <= 3) {
		u64 cnt = 32;

		if (argc == 3 && !dbgsh_parse_u64(argv[2], &cnt))
			goto usage;
		trace_print_last((unsigned)(cnt > RING ? RING : cnt));
		return 0;
	}
	if (!strcmp(argv[1], "clear") && argc == 2) {
		seq = 0;
		return 0;
	}
usage:
	kprintf("usage: trace on [--live] [GLOB] | off | show [N] | clear\n");
	return 1;
}
DBGSH_COMMAND("trace", cmd_trace, "trace blob calls into core exports (in a protection domain: into its runtime, and its system calls): trace on [--live] [GLOB] | off | show [N] | clear");
