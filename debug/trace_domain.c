/* `trace on' inside protection domains (docs/domains.md, "Debugging").
 * A domain's imports bind to its own runtime (libc, pthread, libusb built
 * for ring 3), never to the core's exports, and ring 3 cannot run the
 * core's thunks.  So each traced domain gets a trace page of its own
 * (domain_trace_code: r-x, a user page): one 16-byte thunk per function of
 * its runtime (push the index, jump to the common part, debug/
 * trace_domain_asm.S) and the common part, which reports the call and its
 * return with the system call BV_SYS_DEBUG_TRACE.  The VMM records both
 * into the same ring as the core's imports, so `trace show' and --live
 * interleave them with the domain's system calls, which the dispatcher
 * hands over (domain_trace_sys_before/after) while the domain is traced.
 *
 * Chosen over a ring buffer in the domain (the thunks writing records the
 * VMM copies out later): the VMM's records cannot be forged or lost by the
 * domain, strings are copied at the call through the checked copy, the
 * order against the system calls is exact, and each traced call costs two
 * system calls (about 0.8 us on bare metal, `make bench' has the round
 * trip), which is a debugger's price.  The return address is kept on a
 * shadow stack in the VMM, one per domain thread; an entry whose frame
 * the stack has left (a longjmp over a traced call) is dropped at the
 * next return below it. */
#include <core/console.h>
#include <core/context.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/init.h>
#include <core/string.h>
#include <debug/debug.h>
#include <domain/abi.h>
#include <domain/domain.h>
#include <loader/blob.h>
#include <loader/elf.h>
#include <loader/introspect.h>
#include "trace.h"

extern const u8 trace_domain_tmpl[], trace_domain_tmpl_end[];

#define THUNK 16
#define DSHADOW 64		/* traced calls nested in one thread */
#define DTHREADS 32		/* threads with traced calls in flight */

struct target {
	u64 addr;
	const char *name;	/* the runtime's symbol (the blob's string table) */
	const struct trace_proto *p;
};

struct dshadow {
	int tid;
	unsigned depth;
	struct {
		u64 slot;	/* where the return address was: the frame's identity */
		u64 ret;
		u64 recseq;
	} e[DSHADOW];
};

struct dtrace {
	struct dtrace *next;
	struct domain *d;
	const struct blob *b;
	u64 code;		/* the trace page: the common part, then the thunks */
	size_t ntargets;
	struct target *t;	/* by address */
	struct dshadow sh[DTHREADS];
};

static struct dtrace *traced;

static struct dtrace *
dtrace_of(const struct domain *d)
{
	for (struct dtrace *t = traced; t; t = t->next)
		if (t->d == d)
			return t;
	return NULL;
}

static size_t
tmpl_len(void)
{
	return (size_t)(trace_domain_tmpl_end - trace_domain_tmpl);
}

/* The thunks start after the common part, 16-byte aligned. */
static u64
thunk_at(const struct dtrace *t, size_t i)
{
	return t->code + ALIGN_UP(tmpl_len(), THUNK) + i * THUNK;
}

/* The functions of the domain's runtime (its last object), by address,
 * one name per address (a global one where there are aliases). */
static size_t
runtime_functions(const struct blob *b, struct target **out)
{
	struct blob_object o;
	struct blob_symbol_iter it;
	struct blob_symbol s;
	unsigned rt = 0;
	size_t n = 0, cap = 0, k = 0;
	struct target *t = NULL;

	while (blob_object_at(b, rt + 1, &o))
		rt++;
	if (!blob_object_at(b, rt, &o) || strcmp(o.name, "domain-runtime.o"))
		return 0;
	for (blob_object_symbols_begin(&it, b, rt); blob_symbols_next(&it, &s);) {
		if (s.type != STT_FUNC || !s.addr)
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			struct target *nt = heap_alloc(nc * sizeof(*nt));

			if (!nt) {
				heap_free(t);
				return 0;
			}
			if (t)
				memcpy(nt, t, n * sizeof(*nt));
			heap_free(t);
			t = nt;
			cap = nc;
		}
		t[n++] = (struct target){ s.addr, s.name, NULL };
		if (!s.global)
			t[n - 1].name = NULL;	/* a local: named only if nothing global is there */
	}
	/* insertion sort by address (a few thousand, once per domain) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && t[j - 1].addr > t[j].addr; j--) {
			struct target x = t[j];

			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	for (size_t i = 0; i < n; i++) {
		if (k && t[k - 1].addr == t[i].addr) {
			if (!t[k - 1].name)
				t[k - 1].name = t[i].name;
			continue;
		}
		t[k++] = t[i];
	}
	n = 0;
	for (size_t i = 0; i < k; i++)
		if (t[i].name)
			t[n++] = t[i];
	for (size_t i = 0; i < n; i++)
		t[i].p = trace_proto_of(t[i].name);
	*out = t;
	return n;
}

static struct dtrace *
dtrace_make(struct blob *b)
{
	struct domain *d = blob_domain(b);
	struct dtrace *t = dtrace_of(d);
	size_t len;
	u8 *code;

	if (t)
		return t;
	if (!(t = heap_zalloc(sizeof(*t))))
		return NULL;
	t->d = d;
	t->b = b;
	t->ntargets = runtime_functions(b, &t->t);
	if (!t->ntargets) {
		kprintf("trace: domain %s: no runtime functions found\n", blob_name(b));
		heap_free(t);
		return NULL;
	}
	len = ALIGN_UP(tmpl_len(), THUNK) + t->ntargets * THUNK;
	if (!(code = heap_alloc(len))) {
		heap_free(t->t);
		heap_free(t);
		return NULL;
	}
	memset(code, 0xcc, len);
	memcpy(code, trace_domain_tmpl, tmpl_len());
	t->code = 0;
	/* the thunks' jumps are relative, so they can be made before the
	 * page's address is known */
	for (size_t i = 0; i < t->ntargets; i++) {
		u8 *p = code + ALIGN_UP(tmpl_len(), THUNK) + i * THUNK;
		u32 idx = (u32)i;
		s32 rel = -(s32)(ALIGN_UP(tmpl_len(), THUNK) + i * THUNK + 10);

		p[0] = 0x68;			/* push $idx */
		memcpy(p + 1, &idx, 4);
		p[5] = 0xe9;			/* jmp the common part */
		memcpy(p + 6, &rel, 4);
	}
	t->code = (u64)domain_trace_code(d, code, len, "trace");
	heap_free(code);
	if (!t->code) {
		heap_free(t->t);
		heap_free(t);
		return NULL;
	}
	for (unsigned i = 0; i < DTHREADS; i++)
		t->sh[i].tid = -1;
	t->next = traced;
	traced = t;
	return t;
}

static long
target_index(const struct dtrace *t, u64 a)
{
	size_t lo = 0, hi = t->ntargets;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->t[mid].addr < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->ntargets && t->t[lo].addr == a ? (long)lo : -1;
}

/* Not through a thunk: functions that take the caller's frame apart
 * (setjmp and longjmp keep or restore the stack pointer and return
 * address the thunk changes) and the runtime's own plumbing. */
static bool
untraceable(const char *name)
{
	static const char *const no[] = { "setjmp", "_setjmp", "__sigsetjmp", "sigsetjmp",
		"longjmp", "_longjmp", "siglongjmp", "__longjmp_chk", "__tls_get_addr",
		"__stack_chk_fail", "vfork", "getcontext", "setcontext", "swapcontext" };

	if (!strncmp(name, "__bv_", 5) || !strncmp(name, "bv_", 3))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		if (!strcmp(name, no[i]))
			return true;
	return false;
}

/* The bindings are read in SMAP's window (they are the domain's pages)
 * and collected; the rebinding opens the window itself. */
struct bind_ctx {
	struct dtrace *t;
	const char *glob;
	struct pending {
		struct blob_binding bd;
		size_t i;
	} *v;
	size_t n, cap;
	bool nomem;
};

static void
collect(const struct blob_binding *bd, void *arg)
{
	struct bind_ctx *c = arg;
	long i = target_index(c->t, bd->target);

	if (i < 0 || untraceable(c->t->t[i].name) || !str_glob_match(c->glob, c->t->t[i].name))
		return;
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 64;
		struct pending *nv = heap_alloc(nc * sizeof(*nv));

		if (!nv) {
			c->nomem = true;
			return;
		}
		if (c->v)
			memcpy(nv, c->v, c->n * sizeof(*nv));
		heap_free(c->v);
		c->v = nv;
		c->cap = nc;
	}
	c->v[c->n++] = (struct pending){ *bd, (size_t)i };
}

unsigned
trace_domain_bind(struct blob *b, const char *glob)
{
	struct bind_ctx c = { .glob = glob };
	unsigned n = 0;

	if (blob_failed(b) || !(c.t = dtrace_make(b)))
		return 0;
	domain_window(true);
	blob_bindings(b, collect, &c);
	domain_window(false);
	if (c.nomem)
		kprintf("trace: domain %s: out of memory; some imports not traced\n", blob_name(b));
	for (size_t k = 0; k < c.n; k++) {
		const struct blob_binding *bd = &c.v[k].bd;
		u64 th = thunk_at(c.t, c.v[k].i);
		s64 nv = (s64)(th + (u64)bd->addend - bd->addr);

		if (bd->width == 8 ? !trace_rebind(bd->addr, &th, 8, bd->prot)
				   : nv == (s32)nv &&
				     !trace_rebind(bd->addr, &(s32){ (s32)nv }, 4, bd->prot))
			n++;
	}
	heap_free(c.v);
	domain_set_traced(c.t->d, true);
	return n;
}

void
trace_domain_off(void)
{
	/* the thunks stay: a thread may be inside a traced call and will come
	 * back through them */
	for (struct dtrace *t = traced; t; t = t->next)
		domain_set_traced(t->d, false);
}

void
trace_domain_forget(const struct blob *b)
{
	for (struct dtrace **p = &traced; *p; p = &(*p)->next)
		if ((*p)->b == b) {
			struct dtrace *t = *p;

			*p = t->next;
			heap_free(t->t);
			heap_free(t);
			return;
		}
}

const char *
trace_domain_thunk_name(u64 a)
{
	for (struct dtrace *t = traced; t; t = t->next) {
		u64 first = thunk_at(t, 0);

		if (a >= first && a < first + t->ntargets * THUNK && !((a - first) % THUNK))
			return t->t[(a - first) / THUNK].name;
	}
	return NULL;
}

/* --- the thunks' reports ----------------------------------------------------- */

static struct dshadow *
shadow_of(struct dtrace *t, int tid, bool make)
{
	struct dshadow *free_one = NULL;

	for (unsigned i = 0; i < DTHREADS; i++) {
		struct dshadow *s = &t->sh[i];

		if (s->tid == tid)
			return s;
		/* a thread that ended inside a traced call (pthread_exit) left
		 * its entries: its slot is free again */
		if (!free_one && (s->tid < 0 || !s->depth || !domain_thread_alive(t->d, s->tid)))
			free_one = s;
	}
	if (make && free_one) {
		free_one->tid = tid;
		free_one->depth = 0;
	}
	return make ? free_one : NULL;
}

static void
who_of(struct domain *d, int tid, char *buf, size_t size)
{
	if (tid)
		snprintf(buf, size, "%s.%d", domain_name(d), tid);
	else
		snprintf(buf, size, "%s", domain_name(d));
}

/* A string argument, through the domain's checked copy (byte by byte: it
 * may end just before the end of a range). */
static void
copy_dstr(struct domain *d, char *dst, u64 src)
{
	size_t i = 0;

	for (; i < TRACE_STRCOPY - 1; i++)
		if (domain_read(d, src + i, &dst[i], 1) || !dst[i])
			break;
	dst[i] = 0;
}

static _Noreturn void
trace_fail(struct domain *d, const char *what, u64 rip)
{
	static char why[192];

	snprintf(why, sizeof(why), "trace: domain %s: %s; the domain's call ends", domain_name(d),
		 what);
	ctx_abort(why, (const void *)rip);
}

static s64
trace_enter(struct dtrace *t, u64 saved)
{
	u64 w[10];		/* r10 r9 r8 rcx rdx rsi rdi rax index return */
	int tid = domain_thread_id(t->d);
	struct dshadow *sh;
	struct trace_rec *r;
	const struct target *tg;

	if (domain_read(t->d, saved, w, sizeof(w)))
		return -EFAULT;
	if (w[8] >= t->ntargets)
		return -EINVAL;
	tg = &t->t[w[8]];
	if (!(sh = shadow_of(t, tid, true)))
		trace_fail(t->d, "traced calls in flight in too many threads", w[9]);
	/* a call in flight lies deeper in the stack than its caller's: frames
	 * at or above this one were left (a fault or an exit ended the call
	 * into the domain, a longjmp) and never return */
	while (sh->depth && sh->e[sh->depth - 1].slot <= saved + 9 * 8)
		sh->depth--;
	if (sh->depth == DSHADOW)
		trace_fail(t->d, "traced calls nested too deep for the shadow stack", w[9]);
	r = trace_rec_new();
	r->kind = TRACE_DOMAIN;
	r->depth = sh->depth;
	r->caller = w[9];
	r->a[0] = w[6];
	r->a[1] = w[5];
	r->a[2] = w[4];
	r->a[3] = w[3];
	r->a[4] = w[2];
	r->a[5] = w[1];
	snprintf(r->fn, sizeof(r->fn), "%s", tg->name);
	who_of(t->d, tid, r->who, sizeof(r->who));
	if (tg->p) {
		unsigned ns = 0;

		for (unsigned i = 0; tg->p->sig[i] && tg->p->sig[i] != ':' && i < 6 && ns < 2; i++)
			if (tg->p->sig[i] == 's') {
				if (r->a[i] >= 0x10000)
					copy_dstr(t->d, r->s[ns], r->a[i]);
				ns++;
			}
	}
	sh->e[sh->depth].slot = saved + 9 * 8;
	sh->e[sh->depth].ret = w[9];
	sh->e[sh->depth].recseq = r->seq;
	sh->depth++;
	return (s64)tg->addr;
}

static s64
trace_leave(struct dtrace *t, u64 value, u64 sp, u64 rip)
{
	struct dshadow *sh = shadow_of(t, domain_thread_id(t->d), false);
	u64 slot = sp + 8;
	struct trace_rec *r;

	/* frames a longjmp left lie below this one: their calls never return */
	while (sh && sh->depth && sh->e[sh->depth - 1].slot < slot)
		sh->depth--;
	if (!sh || !sh->depth || sh->e[sh->depth - 1].slot != slot)
		trace_fail(t->d, "a traced call returned that the trace did not see start", rip);
	sh->depth--;
	if ((r = trace_rec_find(sh->e[sh->depth].recseq)))
		trace_rec_returned(r, value);
	return (s64)sh->e[sh->depth].ret;
}

static s64
trace_hit(struct domain *d, u64 op, u64 a, u64 b, u64 rip)
{
	struct dtrace *t = dtrace_of(d);

	if (!t)
		return -EINVAL;		/* no thunks of ours in this domain */
	switch (op) {
	case BV_TRACE_ENTER:
		return trace_enter(t, a);
	case BV_TRACE_LEAVE:
		return trace_leave(t, a, b, rip);
	default:
		return -EINVAL;
	}
}

static u64
sys_before(struct domain *d, u64 nr, const u64 *args)
{
	struct dtrace *t = dtrace_of(d);
	int tid = domain_thread_id(d);
	struct dshadow *sh = t ? shadow_of(t, tid, false) : NULL;
	struct trace_rec *r = trace_rec_new();

	r->kind = TRACE_SYSCALL;
	r->idx = (u32)nr;
	r->depth = sh ? sh->depth : 0;
	memcpy(r->a, args, sizeof(r->a));
	who_of(d, tid, r->who, sizeof(r->who));
	if (domain_syscall_noreturn(nr)) {
		trace_rec_print_live(r);
		return 0;
	}
	return r->seq + 1;
}

static void
sys_after(struct domain *d, u64 token, s64 result)
{
	struct trace_rec *r = trace_rec_find(token - 1);

	(void)d;
	if (r)
		trace_rec_returned(r, (u64)result);
}

static void
trace_domain_init(void)
{
	domain_trace_hit = trace_hit;
	domain_trace_sys_before = sys_before;
	domain_trace_sys_after = sys_after;
}
INITFUNC("41debug-trace-domain", trace_domain_init);
