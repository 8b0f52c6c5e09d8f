/* The blob execution context.  Blob code compiled for glibc expects a
 * thread control block at %fs (tcbhead_t: %fs:0 and %fs:0x10 its own
 * address, %fs:0x28 the stack-protector canary, %fs:0x30 the pointer
 * guard); the core never uses %fs, so FS base points at our TCB only while
 * blob code runs.  Calls run on a stack of their own with a guard page
 * below it, under a recovery point and the watchdog: a fault, a timeout or
 * ctx_abort() ends the call, marks the blob failed and returns to the
 * shell. */
#include <core/console.h>
#include <core/context.h>
#include <core/thread.h>
#include <core/export.h>
#include <core/fault.h>
#include <core/init.h>
#include <core/ksyms.h>
#include <core/pages.h>
#include <core/panic.h>
#include <core/platform.h>
#include <core/recover.h>
#include <core/sched.h>
#include <core/heap.h>
#include <core/string.h>
#include <core/time.h>
#include <domain/domain.h>
#include "internal.h"

struct tcb {
	u64 tcb;		/* 0x00: its own address (%fs:0 loads it) */
	u64 dtv;		/* 0x08 */
	u64 self;		/* 0x10 */
	u32 multiple_threads;	/* 0x18 */
	u32 gscope_flag;	/* 0x1c */
	u64 sysinfo;		/* 0x20 */
	u64 stack_guard;	/* 0x28: the canary */
	u64 pointer_guard;	/* 0x30 */
};
_Static_assert(__builtin_offsetof(struct tcb, stack_guard) == 0x28, "canary at %fs:0x28");
_Static_assert(__builtin_offsetof(struct tcb, pointer_guard) == 0x30, "guard at %fs:0x30");

#define STACK_PAGES 64		/* 256 KiB, plus a guard page below and one above */
#define TLS_PAGES (EXEC_TLS_BYTES / PAGE_SIZE)	/* below the TCB: blobs' static TLS */

struct exec_ctx {
	struct tcb *tcb;
	u8 *stack;		/* guard page, the stack, guard page (whatever the page
				 * allocator puts next, e.g. blob text, is not
				 * reached by a write above the first frame) */
	size_t stack_pages;	/* without the guard pages */
	u8 *tls;		/* TLS_PAGES + the TCB's page */
	int depth;
	struct blob *cur;
	int err;
	u64 fs;			/* FS base while this thread runs */
	struct sched_thread *thread;
	struct sched_thread own;	/* a blob thread's scheduler record */
	u64 start_fn;		/* a blob thread's start: start_fn(user) */
	void *user;		/* libc's per-thread data */
	/* a thread without libc's record (exec_thread_create_plain):
	 * start_fn(arg), then done(done_p, rc, ret) */
	u64 arg;
	void (*done)(void *p, int rc, u64 ret);
	void *done_p;
};

static struct exec_ctx main_ctx;	/* the shell's thread */
static struct exec_ctx *ctx = &main_ctx;	/* the running thread's */
static u64 tls_used;		/* bytes of static TLS handed out below the TCB */
static u8 *tls_template;	/* each blob's initial TLS image, at its offsets */
static u64 watchdog_ns = 5 * NSEC_PER_SEC;
static bool watchdog_armed;	/* by us; a stale expiry in core code is ignored */

u64 exec_switch_call(u64 fn, const u64 *args, u64 stack_top);

/* errno while a blob call runs; the core's own otherwise */
static int *
blob_errno(void)
{
	return ctx->depth ? &ctx->err : NULL;
}

void
blob_set_watchdog(u64 ns)
{
	watchdog_ns = ns;
}

u64
blob_get_watchdog(void)
{
	return watchdog_ns;
}

struct blob *
blob_current(void)
{
	return ctx->depth ? ctx->cur : NULL;
}

void exec_init(void);

void
blob_stack_range(u64 *lo, u64 *hi)
{
	*lo = (u64)ctx->stack;
	*hi = ctx->stack ? (u64)ctx->stack + (ctx->stack_pages + 1) * PAGE_SIZE : 0;
}

u64
exec_tcb_address(void)
{
	if (!main_ctx.tcb)
		exec_init();
	return (u64)ctx->tcb;
}

u64
exec_canary(void)
{
	return ctx->tcb ? ctx->tcb->stack_guard : 0;
}

static const char *
describe(u64 addr, char *buf, size_t size)
{
	const char *s = blob_describe_addr(addr, buf, size);

	return s ? s : ksym_format(addr, buf, size);
}

/* "thread 3 (reader) " for blob threads, "" for the shell's. */
static const char *
thread_label(char *buf, size_t size)
{
	buf[0] = 0;		/* callers print buf */
	if (ctx == &main_ctx)
		return "";
	snprintf(buf, size, "thread %d (%s): ", ctx->thread->id, ctx->thread->name);
	return buf;
}

/* The watchdog bounds how long a thread runs without blocking: one timer,
 * armed when blob code starts, checked against the running thread's
 * switch-in time when it expires (a switch costs no timer call). */
static bool
watchdog_expired(struct cpu_regs *r)
{
	u64 ran = sched_ticks_to_ns(sched_ticks() - sched_current()->slice_start);

	if (!watchdog_armed)
		return false;		/* someone else's (pc spin) */
	if (!ctx->depth) {		/* core code now: blob code ended meanwhile */
		watchdog_armed = false;
		return true;
	}
	if (ran < watchdog_ns) {	/* a thread switched in since it was armed */
		plat_watchdog_arm(watchdog_ns - ran);
		return true;
	}
	return false;
}

/* Blob faults: say where in the blob before the core's register dump. */
static bool
exec_fault_hook(struct cpu_regs *r)
{
	char where[160], who[48];

	if (r->vector == VEC_WATCHDOG && watchdog_expired(r))
		return true;
	if (!ctx->depth)
		return false;
	thread_label(who, sizeof(who));
	if (r->vector == VEC_WATCHDOG) {
		watchdog_armed = false;
		kprintf("blob: %s: %swatchdog: the call ran longer than %llu ms (at %s)\n",
			ctx->cur->name, who, (unsigned long long)(watchdog_ns / NSEC_PER_MSEC),
			describe(r->rip, where, sizeof(where)));
		return false;
	}
	if (r->vector == VEC_SIGNAL) {
		kprintf("blob: %s: %ssignal %llu sent by a process (kill) arrived while blob "
			"code ran at %s; no instruction faulted\n", ctx->cur->name, who,
			(unsigned long long)r->error_code, describe(r->rip, where, sizeof(where)));
		return false;
	}
	kprintf("blob: %s: %s%s in blob code at %s\n", ctx->cur->name, who,
		cpu_vector_name(r->vector), describe(r->rip, where, sizeof(where)));
	if (r->vector == VEC_PF && r->fault_addr_valid && r->fault_addr < PAGE_SIZE &&
	    !r->fs_base)
		kprintf("blob: %s: address %#llx with FS base 0: a %%fs-relative access "
			"(stack canary at %%fs:0x28?) without a TCB\n", ctx->cur->name,
			(unsigned long long)r->fault_addr);
	if (r->vector == VEC_PF && r->fault_addr_valid &&
	    r->fault_addr >= (u64)ctx->stack && r->fault_addr < (u64)ctx->stack + PAGE_SIZE)
		kprintf("blob: %s: %sstack overflow (hit the guard page)\n", ctx->cur->name, who);
	if (r->vector == VEC_PF && r->fault_addr_valid &&
	    r->fault_addr >= (u64)ctx->stack + (ctx->stack_pages + 1) * PAGE_SIZE &&
	    r->fault_addr < (u64)ctx->stack + (ctx->stack_pages + 2) * PAGE_SIZE)
		kprintf("blob: %s: %saccess above the top of the blob stack (hit the guard page "
			"over it)\n", ctx->cur->name, who);
	return false;
}
static struct fault_hook hook = { .order = 10, .fn = exec_fault_hook };

static struct ctx_errno_hook errno_hook = { .order = 10, .fn = blob_errno };
static struct ctx_describe_hook describe_hook = { .order = 10, .fn = blob_describe_addr };

void exec_init(void);

/* Static TLS, x86-64 variant II: blocks lie below the thread pointer and
 * are handed out downwards; only the most recent can be given back. */
s64
exec_tls_alloc(u64 size, u64 align, u64 *mark)
{
	u64 end;

	if (!main_ctx.tcb)
		exec_init();
	align = align ? align : 1;
	if (size > EXEC_TLS_BYTES || align > PAGE_SIZE)	/* no overflow below */
		return 0;
	end = ALIGN_UP(tls_used + size, align);
	if (end > TLS_PAGES * PAGE_SIZE || align > PAGE_SIZE)
		return 0;
	*mark = tls_used;
	tls_used = end;
	return -(s64)end;
}

void
exec_tls_free(s64 base, u64 mark)
{
	if ((u64)-base == tls_used)
		tls_used = mark;
}

/* The shell thread's area: where the loader places and relocates .tdata. */
u8 *
exec_tls_base(void)
{
	if (!main_ctx.tcb)
		exec_init();
	return (u8 *)main_ctx.tcb;
}

/* After relocation the block [base, -mark) holds the blob's initial image;
 * keep it for threads created later (constructors may change the shell
 * thread's copy, not the image). */
void
exec_tls_template_save(s64 base, u64 mark)
{
	u8 *top = tls_template + TLS_PAGES * PAGE_SIZE;

	memcpy(top + base, (u8 *)main_ctx.tcb + base, (u64)(-(s64)mark - base));
}

/* The general- and local-dynamic TLS models call this with a GOT pair
 * {module, offset}; every blob's TLS is static, so the offset the
 * loader stored is already relative to the thread pointer.  (No %fs: the
 * core never touches it.) */
void *__tls_get_addr(const u64 *ti);
void *
__tls_get_addr(const u64 *ti)
{
	return (u8 *)ctx->tcb + ti[1];
}
EXPORT(__tls_get_addr, RUNTIME);

/* A TCB with glibc's tcbhead_t prefix at the top of `tls' pages. */
static struct tcb *
tcb_make(u8 *t)
{
	struct tcb *tcb = (struct tcb *)(t + TLS_PAGES * PAGE_SIZE);

	memset(t, 0, (TLS_PAGES + 1) * PAGE_SIZE);
	tcb->tcb = (u64)tcb;
	tcb->self = (u64)tcb;
	/* glibc zeroes the canary's low byte so that a string overrun cannot
	 * reproduce it */
	tcb->stack_guard = plat_random_u64() & ~0xffULL;
	tcb->pointer_guard = plat_random_u64();
	return tcb;
}

static void
switch_hook(struct sched_thread *prev, struct sched_thread *next)
{
	struct exec_ctx *from = prev->owner, *to = next->owner;

	ctx = to;
	if (from->fs != to->fs)
		plat_set_fs_base(to->fs);
	if (to->depth && !watchdog_armed) {
		plat_watchdog_arm(watchdog_ns);
		watchdog_armed = true;
	}
}

void (*exec_thread_end_hook)(void *user);
void (*exec_thread_cancel_hook)(void *user);
void (*exec_thread_drop_hook)(void *user);
bool (*exec_thread_reap_hook)(void *user);

void
exec_thread_free(struct sched_thread *t)
{
	struct exec_ctx *c = t->owner;

	sched_unlink(t);
	/* the guard pages go back usable */
	plat_protect(c->stack, (c->stack_pages + 2) * PAGE_SIZE, PROT_R | PROT_W);
	pages_free(c->stack, c->stack_pages + 2);
	pages_free(c->tls, TLS_PAGES + 1);
	heap_free(c);
}

void
exec_thread_terminate(struct sched_thread *t)
{
	struct exec_ctx *c = t->owner;

	if (exec_thread_drop_hook && c->user)
		exec_thread_drop_hook(c->user);
	exec_thread_free(t);
}

static void
reap_hook(struct sched_thread *t)
{
	struct exec_ctx *c = t->owner;

	if (c->done) {
		exec_thread_free(t);
		return;
	}
	if (exec_thread_reap_hook && exec_thread_reap_hook(c->user))
		exec_thread_free(t);
}

static void
thread_describe(struct sched_thread *t, char *buf, size_t size)
{
	struct exec_ctx *c = t->owner;
	char where[128];

	if (!t->wait_caller) {
		snprintf(buf, size, "(blob %s)", c->cur ? c->cur->name : "-");
		return;
	}
	snprintf(buf, size, "from %s", describe(t->wait_caller, where, sizeof(where)));
}

void
exec_init(void)
{
	if (main_ctx.tcb)
		return;
	main_ctx.tls = pages_alloc(TLS_PAGES + 1);
	tls_template = pages_alloc(TLS_PAGES);
	main_ctx.stack_pages = STACK_PAGES;
	main_ctx.stack = pages_alloc(STACK_PAGES + 2);
	if (!main_ctx.tls || !main_ctx.stack || !tls_template)
		panic("blob runtime: no pages for the TCB and stack");
	main_ctx.tcb = tcb_make(main_ctx.tls);
	/* The core keeps FS base at the thread's TCB at rest (it never uses
	 * %fs itself), so that a blob call does not change it: on a host
	 * without FSGSBASE every change is a system call (arch_prctl, 4-16 us
	 * on the project's PVM guest). */
	main_ctx.fs = (u64)main_ctx.tcb;
	plat_set_fs_base(main_ctx.fs);
	main_ctx.thread = sched_main();
	sched_main()->owner = &main_ctx;
	plat_protect(main_ctx.stack, PAGE_SIZE, 0);
	plat_protect(main_ctx.stack + (STACK_PAGES + 1) * PAGE_SIZE, PAGE_SIZE, 0);
	ctx_errno_hook_register(&errno_hook);
	ctx_describe_hook_register(&describe_hook);
	sched_switch_hook = switch_hook;
	sched_reap_hook = reap_hook;
	sched_describe_hook = thread_describe;
	blob_heap_init();
	fault_hook_register(&hook);
}
INITFUNC("30loader", exec_init);

struct call {
	u64 fn;
	u64 args[8];
	u64 top;
	struct domain *domain;
	const struct blob_buf *bufs;	/* a domain's pointer arguments */
	unsigned nbufs;
	bool refused;		/* the domain is running already: nothing ran */
};

/* A domain's code runs in ring 3 on its own stack (domain/domain.c);
 * the VMM's part of the call stays on this one. */
static long
trampoline(void *p)
{
	struct call *c = p;

	if (c->domain) {
		u64 v;

		if (domain_call_bufs(c->domain, c->fn, c->args, c->bufs, c->nbufs, &v)) {
			c->refused = true;
			return -1;
		}
		return (long)v;
	}
	return (long)exec_switch_call(c->fn, c->args, c->top);
}

int
exec_blob_call(struct blob *b, u64 fn, const u64 *args, int nargs, u64 *ret)
{
	return exec_blob_call_bufs(b, fn, args, nargs, NULL, 0, ret);
}

int
exec_blob_call_bufs(struct blob *b, u64 fn, const u64 *args, int nargs,
		    const struct blob_buf *bufs, unsigned nbufs, u64 *ret)
{
	struct call c = { .fn = fn, .domain = b->domain, .bufs = bufs, .nbufs = nbufs };
	struct exec_ctx *me;
	struct blob *prev = ctx->cur;
	u64 prev_fs;
	long r = 0;
	int rc;
	char where[160], who[48];

	for (int i = 0; i < nargs && i < 8; i++)
		c.args[i] = args[i];
	if (!main_ctx.tcb)
		exec_init();
	me = ctx;
	prev_fs = me->fs;
	/* A nested call (blob -> core -> blob) stays on the blob stack, below
	 * the frames already on it: top 0 tells exec_switch_call to keep rsp.
	 * A blob thread already runs on its own stack. */
	c.top = me->depth || me != &main_ctx ? 0 : (u64)me->stack + (STACK_PAGES + 1) * PAGE_SIZE;
	me->cur = b;
	if (!me->depth)
		me->err = 0;
	me->depth++;
	me->fs = (b->flags & BLOB_NO_TCB) ? 0 : b->domain ? domain_tcb(b->domain) : (u64)me->tcb;
	if (me->fs != prev_fs)
		plat_set_fs_base(me->fs);
	if (me->depth == 1) {		/* a new call: a whole budget */
		sched_new_slice();
		plat_watchdog_arm(watchdog_ns);
		watchdog_armed = true;
	}
	rc = recover_call(trampoline, &c, &r);
	/* other threads may have run meanwhile: ctx is ours again */
	if (me->depth == 1 && watchdog_armed && sched_thread_count() == 0) {
		plat_watchdog_arm(0);
		watchdog_armed = false;
	}
	me->depth--;
	if (me->fs != prev_fs)
		plat_set_fs_base(prev_fs);
	me->fs = prev_fs;
	me->cur = prev;
	if (c.refused)
		return -1;
	if (rc && c.domain)
		domain_call_unwound(c.domain);
	if (rc) {
		u64 vec = (u64)rc - 1;

		b->failed = true;
		kprintf("blob: %s: %scall to %s ended by %s; blob marked failed\n", b->name,
			thread_label(who, sizeof(who)), describe(fn, where, sizeof(where)),
			vec == VEC_ABORT ? "abort" : cpu_vector_name(vec));
		return -1;
	}
	*ret = (u64)r;
	return 0;
}

/* The first code of a blob thread, on its own stack: the start routine as
 * a blob call, so a fault ends this thread only. */
static void
thread_body(void *p)
{
	struct exec_ctx *c = p;
	u64 args[1] = { c->done ? c->arg : (u64)c->user }, ret = 0;
	int rc = exec_blob_call(c->cur, c->start_fn, args, 1, &ret);

	if (c->done)
		c->done(c->done_p, rc, ret);
	else if (rc && exec_thread_end_hook)
		exec_thread_end_hook(c->user);
	sched_exit();
}

struct sched_thread *
exec_thread_create(u64 fn, void *user, size_t stack_size, const char *name)
{
	struct exec_ctx *c = heap_alloc(sizeof(*c));
	size_t pages = ALIGN_UP(stack_size, PAGE_SIZE) / PAGE_SIZE;

	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->stack_pages = pages;
	c->stack = pages_alloc(pages + 2);
	c->tls = pages_alloc(TLS_PAGES + 1);
	if (!c->stack || !c->tls) {
		if (c->stack)
			pages_free(c->stack, pages + 2);
		if (c->tls)
			pages_free(c->tls, TLS_PAGES + 1);
		heap_free(c);
		return NULL;
	}
	plat_protect(c->stack, PAGE_SIZE, 0);
	plat_protect(c->stack + (pages + 1) * PAGE_SIZE, PAGE_SIZE, 0);
	c->tcb = tcb_make(c->tls);
	c->fs = (u64)c->tcb;	/* at rest, as the shell thread's */
	/* glibc copies both guards into every thread: code compiled with the
	 * stack protector may pass frames between threads (longjmp) */
	c->tcb->stack_guard = main_ctx.tcb->stack_guard;
	c->tcb->pointer_guard = main_ctx.tcb->pointer_guard;
	/* the creator's blobs' initial TLS images */
	memcpy((u8 *)c->tcb - tls_used, tls_template + TLS_PAGES * PAGE_SIZE - tls_used, tls_used);
	c->cur = ctx->cur;
	c->start_fn = fn;
	c->user = user;
	c->thread = &c->own;
	c->own.owner = c;
	sched_thread_start(&c->own, (u64)c->stack + (pages + 1) * PAGE_SIZE, thread_body, c, name);
	return &c->own;
}

/* For protection domains (domain/threads.c), which keep their own thread
 * records in place of libc's: the thread runs start_fn(arg) as a call of
 * the running blob, then done(p, rc, ret) on its own stack; its record
 * and VMM stack are freed as soon as it has ended. */
struct sched_thread *
exec_thread_create_plain(u64 start_fn, u64 arg, size_t stack_size, const char *name,
			 void (*done)(void *p, int rc, u64 ret), void *p)
{
	struct sched_thread *t = exec_thread_create(start_fn, NULL, stack_size, name);
	struct exec_ctx *c;

	if (!t)
		return NULL;
	c = t->owner;		/* not run yet: the scheduler is cooperative */
	c->arg = arg;
	c->done = done;
	c->done_p = p;
	return t;
}

/* The running blob thread ends here (pthread_exit): its stack is left
 * as it is and freed when it is joined or, detached, right away. */
void
exec_thread_exit(void)
{
	if (ctx == &main_ctx)
		ctx_abort("pthread_exit in the shell's thread: the command's call ends",
			   __builtin_return_address(0));
	sched_exit();
}

void *
exec_thread_user(struct sched_thread *t)
{
	return ((struct exec_ctx *)t->owner)->user;
}

void
exec_thread_set_user(struct sched_thread *t, void *user)
{
	((struct exec_ctx *)t->owner)->user = user;
}

u64
exec_thread_tcb(struct sched_thread *t)
{
	return (u64)((struct exec_ctx *)t->owner)->tcb;
}

struct sched_thread *
exec_thread_by_tcb(u64 tcb)
{
	for (struct sched_thread *t = sched_first(); t; t = t->next)
		if (t->owner && (u64)((struct exec_ctx *)t->owner)->tcb == tcb)
			return t;
	return NULL;
}

const char *
exec_thread_blob_name(struct sched_thread *t)
{
	struct exec_ctx *c = t->owner;

	return c && c->cur ? c->cur->name : "-";
}

void *
exec_thread_blob(struct sched_thread *t)
{
	struct exec_ctx *c = t->owner;

	return c ? c->cur : NULL;
}

int
blob_call(struct blob *b, u64 fn, const u64 *args, int nargs, u64 *ret)
{
	return blob_call_bufs(b, fn, args, nargs, NULL, 0, ret);
}

int
blob_call_bufs(struct blob *b, u64 fn, const u64 *args, int nargs,
	       const struct blob_buf *bufs, unsigned nbufs, u64 *ret)
{
	if (b->failed) {
		kprintf("blob: %s: marked failed by an earlier fault; unload and load it again\n",
			b->name);
		return -1;
	}
	return exec_blob_call_bufs(b, fn, args, nargs, bufs, nbufs, ret);
}

int
blob_run_ctors(struct blob *b, u64 *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		u64 r;

		if (exec_blob_call(b, list[i], NULL, 0, &r))
			return -1;
	}
	return 0;
}

void
blob_missing_called(const char *name, const void *caller)
{
	static char why[160];

	snprintf(why, sizeof(why), "call to missing import `%s' (loaded with --allow-missing)", name);
	ctx_abort(why, caller);
}
