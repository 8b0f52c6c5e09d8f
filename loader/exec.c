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
#include <core/export.h>
#include <core/fault.h>
#include <core/init.h>
#include <core/ksyms.h>
#include <core/pages.h>
#include <core/panic.h>
#include <core/platform.h>
#include <core/recover.h>
#include <core/string.h>
#include <core/time.h>
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

#define STACK_PAGES 64		/* 256 KiB, plus one guard page below */
#define TLS_PAGES 16		/* below the TCB: the static TLS blocks of blobs */

struct exec_ctx {
	struct tcb *tcb;
	u8 *stack;		/* guard page, then the stack */
	int depth;
	struct blob *cur;
	int err;
};

static struct exec_ctx ctx;	/* one per CPU; one CPU today */
static u64 tls_used;		/* bytes of static TLS handed out below the TCB */
static u64 watchdog_ns = 5 * NSEC_PER_SEC;

u64 exec_switch_call(u64 fn, const u64 *args, u64 stack_top);

/* errno while a blob call runs; the core's own otherwise */
static int *
blob_errno(void)
{
	return ctx.depth ? &ctx.err : NULL;
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
	return ctx.depth ? ctx.cur : NULL;
}

void
blob_stack_range(u64 *lo, u64 *hi)
{
	*lo = (u64)ctx.stack;
	*hi = ctx.stack ? (u64)ctx.stack + (STACK_PAGES + 1) * PAGE_SIZE : 0;
}

u64
exec_tcb_address(void)
{
	return (u64)ctx.tcb;
}

u64
exec_canary(void)
{
	return ctx.tcb ? ctx.tcb->stack_guard : 0;
}

static const char *
describe(u64 addr, char *buf, size_t size)
{
	const char *s = blob_describe_addr(addr, buf, size);

	return s ? s : ksym_format(addr, buf, size);
}

/* Blob faults: say where in the blob before the core's register dump. */
static bool
exec_fault_hook(struct cpu_regs *r)
{
	char where[160];

	if (!ctx.depth)
		return false;
	if (r->vector == VEC_WATCHDOG) {
		kprintf("blob: %s: watchdog: the call ran longer than %llu ms (at %s)\n",
			ctx.cur->name, (unsigned long long)(watchdog_ns / NSEC_PER_MSEC),
			describe(r->rip, where, sizeof(where)));
		return false;
	}
	kprintf("blob: %s: %s in blob code at %s\n", ctx.cur->name, cpu_vector_name(r->vector),
		describe(r->rip, where, sizeof(where)));
	if (r->vector == VEC_PF && r->fault_addr_valid && r->fault_addr < PAGE_SIZE &&
	    !r->fs_base)
		kprintf("blob: %s: address %#llx with FS base 0: a %%fs-relative access "
			"(stack canary at %%fs:0x28?) without a TCB\n", ctx.cur->name,
			(unsigned long long)r->fault_addr);
	if (r->vector == VEC_PF && r->fault_addr_valid &&
	    r->fault_addr >= (u64)ctx.stack && r->fault_addr < (u64)ctx.stack + PAGE_SIZE)
		kprintf("blob: %s: stack overflow (hit the guard page)\n", ctx.cur->name);
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

	if (!ctx.tcb)
		exec_init();
	align = align ? align : 1;
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

u8 *
exec_tls_base(void)
{
	if (!ctx.tcb)
		exec_init();
	return (u8 *)ctx.tcb;
}

/* The general- and local-dynamic TLS models call this with a GOT pair
 * {module, offset}; every blob's TLS is static here, so the offset the
 * loader stored is already relative to the thread pointer.  (No %fs: the
 * core never touches it.) */
void *__tls_get_addr(const u64 *ti);
void *
__tls_get_addr(const u64 *ti)
{
	return (u8 *)ctx.tcb + ti[1];
}
EXPORT(__tls_get_addr, RUNTIME);

void
exec_init(void)
{
	u8 *t;

	if (ctx.tcb)
		return;
	t = pages_alloc(TLS_PAGES + 1);

	ctx.stack = pages_alloc(STACK_PAGES + 1);
	if (!t || !ctx.stack)
		panic("blob runtime: no pages for the TCB and stack");
	memset(t, 0, (TLS_PAGES + 1) * PAGE_SIZE);
	ctx.tcb = (struct tcb *)(t + TLS_PAGES * PAGE_SIZE);
	ctx.tcb->tcb = (u64)ctx.tcb;
	ctx.tcb->self = (u64)ctx.tcb;
	/* glibc zeroes the canary's low byte so that a string overrun cannot
	 * reproduce it */
	ctx.tcb->stack_guard = plat_random_u64() & ~0xffULL;
	ctx.tcb->pointer_guard = plat_random_u64();
	plat_protect(ctx.stack, PAGE_SIZE, 0);
	ctx_errno_hook_register(&errno_hook);
	ctx_describe_hook_register(&describe_hook);
	blob_heap_init();
	fault_hook_register(&hook);
}
INITFUNC("30loader", exec_init);

struct call {
	u64 fn;
	u64 args[6];
	u64 top;
};

static long
trampoline(void *p)
{
	struct call *c = p;

	return (long)exec_switch_call(c->fn, c->args, c->top);
}

int
exec_blob_call(struct blob *b, u64 fn, const u64 *args, int nargs, u64 *ret)
{
	struct call c = { .fn = fn };
	struct blob *prev = ctx.cur;
	u64 prev_fs = plat_get_fs_base();
	long r = 0;
	int rc;
	char where[160];

	for (int i = 0; i < nargs && i < 6; i++)
		c.args[i] = args[i];
	if (!ctx.tcb)
		exec_init();
	/* A nested call (blob -> core -> blob) stays on the blob stack, below
	 * the frames already on it: top 0 tells exec_switch_call to keep rsp. */
	c.top = ctx.depth ? 0 : (u64)ctx.stack + (STACK_PAGES + 1) * PAGE_SIZE;
	ctx.cur = b;
	if (!ctx.depth)
		ctx.err = 0;
	ctx.depth++;
	if (!(b->flags & BLOB_NO_TCB))
		plat_set_fs_base((u64)ctx.tcb);
	if (ctx.depth == 1)
		plat_watchdog_arm(watchdog_ns);
	rc = recover_call(trampoline, &c, &r);
	if (ctx.depth == 1)
		plat_watchdog_arm(0);
	ctx.depth--;
	plat_set_fs_base(prev_fs);
	ctx.cur = prev;
	if (rc) {
		u64 vec = (u64)rc - 1;

		b->failed = true;
		kprintf("blob: %s: call to %s ended by %s; blob marked failed\n", b->name,
			describe(fn, where, sizeof(where)),
			vec == VEC_ABORT ? "abort" : cpu_vector_name(vec));
		return -1;
	}
	*ret = (u64)r;
	return 0;
}

int
blob_call(struct blob *b, u64 fn, const u64 *args, int nargs, u64 *ret)
{
	if (b->failed) {
		kprintf("blob: %s: marked failed by an earlier fault; unload and load it again\n",
			b->name);
		return -1;
	}
	return exec_blob_call(b, fn, args, nargs, ret);
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
