/* Threads of a protection domain (docs/domains.md, calls 16-22).
 *
 * A domain thread is a VMM scheduler thread (exec_thread_create_plain: its
 * own VMM stack, which is the kernel stack its SYSCALLs and interrupts
 * arrive on) that enters ring 3 at the domain's entry(arg) on a stack and
 * TCB of its own inside the domain: a stack between two guard pages and
 * the TCB page with the domain's static TLS below it, all counted against
 * the domain's page limit, and at most lim.threads threads counting the
 * caller's.  The domain's libc builds pthreads on these calls and on the
 * futex-style wait/wake, which block VMM threads on domain addresses
 * through the scheduler (so its deadlock detection covers them).  The
 * scheduler is cooperative and one domain thread never preempts another,
 * so a wait's compare with the expected value and the block are one step. */
#include <core/console.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/sched.h>
#include <core/string.h>
#include <core/thread.h>
#include <domain/abi.h>
#include "internal.h"

#define VMM_STACK	(64 * 1024)	/* the thread's ring-0 side: system calls */

static struct domain_thread *
thread_by_tid(struct domain *d, u64 tid)
{
	for (struct domain_thread *t = d->threads; t; t = t->next)
		if ((u64)t->tid == tid)
			return t;
	return NULL;
}

/* The domain thread the running VMM thread is, if any. */
struct domain_thread *
domain_thread_current(struct domain *d)
{
	struct sched_thread *me = sched_current();

	for (struct domain_thread *t = d->threads; t; t = t->next)
		if (t->t == me)
			return t;
	return NULL;
}

static void
thread_free(struct domain *d, struct domain_thread *t)
{
	for (struct domain_thread **p = &d->threads; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	if (t->stack) {
		domain_range_remove(d, (u64)t->stack + PAGE_SIZE);
		plat_protect(t->stack, (t->stack_pages + 2) * PAGE_SIZE, PROT_R | PROT_W);
		pages_free(t->stack, t->stack_pages + 2);
	}
	if (t->tls) {
		domain_range_remove(d, (u64)t->tls);
		pages_free(t->tls, d->tls_pages + 1);
	}
	d->pages -= t->stack_pages + d->tls_pages + 1;
	d->nthreads--;
	heap_free(t);
}

void
domain_threads_free(struct domain *d)
{
	while (d->threads)
		thread_free(d, d->threads);
}

/* On the thread's own VMM stack, after its ring-3 function returned (or
 * BV_SYS_THREAD_EXIT, or a fault ended it: rc != 0). */
static void
thread_done(void *p, int rc, u64 ret)
{
	struct domain_thread *t = p;
	struct domain *d = t->d;

	t->t = NULL;
	t->exited = true;
	t->value = rc ? (u64)-1 : ret;	/* PTHREAD_CANCELED for a faulted thread */
	if (t->detached)
		thread_free(d, t);
	else
		sched_wake_all(t);
}

s64
sys_thread_create(struct domain *d, u64 entry, u64 arg, u64 stack_size, u64 out_tcb)
{
	size_t spages = ALIGN_UP(stack_size ? stack_size : 256 * 1024, PAGE_SIZE) / PAGE_SIZE;
	struct domain_thread *t;
	u64 *tcb;

	if (!domain_range_ok(d, entry, 1, PROT_X))
		return -EFAULT;
	if (out_tcb && !domain_range_ok(d, out_tcb, 8, PROT_W))
		return -EFAULT;
	if (spages < 4 || spages > 2048)	/* 16 KiB .. 8 MiB */
		return -EINVAL;
	if (d->nthreads + 1 >= d->lim.threads) {
		if (!d->thread_limit_seen++)
			kprintf("domain %s: thread limit %u reached (--threads); EAGAIN\n", d->name,
				d->lim.threads);
		return -EAGAIN;
	}
	if (spages + d->tls_pages + 1 > d->lim.pages - d->pages)
		return -EAGAIN;		/* glibc's answer for too little memory */
	if (!(t = heap_zalloc(sizeof(*t))))
		return -EAGAIN;
	t->d = d;
	t->tid = ++d->last_tid;
	t->stack_pages = spages;
	t->stack = pages_alloc(spages + 2);
	t->tls = pages_alloc(d->tls_pages + 1);
	t->next = d->threads;
	d->threads = t;
	d->nthreads++;
	d->pages += spages + d->tls_pages + 1;
	if (!t->stack || !t->tls) {
		thread_free(d, t);
		return -EAGAIN;
	}
	memset(t->stack, 0, (spages + 2) * PAGE_SIZE);
	plat_protect(t->stack, PAGE_SIZE, 0);
	plat_protect(t->stack + (spages + 1) * PAGE_SIZE, PAGE_SIZE, 0);
	t->tcb = t->tls + d->tls_pages * PAGE_SIZE;
	domain_tcb_fill(d, t->tls, t->tcb);
	tcb = (u64 *)t->tcb;
	/* glibc copies both guards into every thread (frames may move
	 * between threads with longjmp) */
	plat_user->access(true);		/* d->tcb is a user page (SMAP) */
	tcb[5] = ((u64 *)d->tcb)[5];
	tcb[6] = ((u64 *)d->tcb)[6];
	plat_user->access(false);
	if (domain_range_add(d, (u64)t->stack + PAGE_SIZE, spages * PAGE_SIZE, PROT_R | PROT_W,
			     "thread stack") ||
	    domain_range_add(d, (u64)t->tls, (d->tls_pages + 1) * PAGE_SIZE, PROT_R | PROT_W,
			     "thread TLS and TCB")) {
		thread_free(d, t);
		return -EAGAIN;
	}
	t->t = exec_thread_create_plain(entry, arg, VMM_STACK, "domain", thread_done, t);
	if (!t->t) {
		thread_free(d, t);
		return -EAGAIN;
	}
	snprintf(t->t->name, sizeof(t->t->name), "%.9s.%d", d->name, t->tid);
	if (out_tcb)
		domain_copy_out(d, out_tcb, &t->tcb, 8);
	return t->tid;
}

/* From a created thread: its ring-3 call ends with value (thread_done
 * runs next).  Not from a thread the domain did not create. */
s64
sys_thread_exit(struct domain *d, u64 value, u64 flags)
{
	struct domain_thread *t = domain_thread_current(d);

	if (!t)
		return -EINVAL;
	if (flags & BV_THREAD_DETACH)
		t->detached = true;
	plat_user->ret(value);
}

s64
sys_thread_join(struct domain *d, u64 tid, u64 out, u64 rip)
{
	struct domain_thread *t = thread_by_tid(d, tid), *me = domain_thread_current(d);

	if (!t || t->detached)
		return -EINVAL;
	if (t == me)
		return -EDEADLK;
	if (out && !domain_range_ok(d, out, 8, PROT_W))
		return -EFAULT;
	if (t->joining)
		return -EINVAL;		/* one joiner, as POSIX says */
	t->joining = true;
	while (!t->exited) {
		int r = sched_block("join", t, t->t ? t->t->id : 0, 0, true, rip);

		if (r) {
			t->joining = false;
			return r == ECANCELED ? -EINTR : -(s64)r;
		}
	}
	if (out)
		domain_copy_out(d, out, &t->value, 8);
	thread_free(d, t);
	return 0;
}

s64
sys_thread_detach(struct domain *d, u64 tid)
{
	struct domain_thread *t = thread_by_tid(d, tid);

	if (!t || t->detached || t->joining)
		return -EINVAL;
	if (t->exited)
		thread_free(d, t);
	else
		t->detached = true;
	return 0;
}

/* Wake a thread blocked interruptibly (pthread_cancel): its wait returns
 * -EINTR.  1 if it was so blocked. */
s64
sys_thread_interrupt(struct domain *d, u64 tid)
{
	struct domain_thread *t = thread_by_tid(d, tid);

	if (!t)
		return -ESRCH;
	return t->t && sched_interrupt(t->t, ECANCELED);
}

s64
sys_futex_wait(struct domain *d, u64 addr, u64 expected, u64 deadline, u64 flags, u64 rip)
{
	u32 v;
	int r;

	if (!domain_range_ok(d, addr, (flags & BV_FUTEX_ANY) ? 1 : 4, PROT_R))
		return -EFAULT;
	if (!(flags & BV_FUTEX_ANY)) {
		if (addr & 3)
			return -EINVAL;
		domain_copy_in(d, &v, addr, 4);
		if (v != (u32)expected)
			return -EAGAIN;
	}
	r = sched_block("futex", (const void *)addr, 0, deadline, flags & BV_FUTEX_INTR, rip);
	return r == ECANCELED ? -EINTR : -(s64)r;
}

/* n == 0: how many wait there, waking none. */
s64
sys_futex_wake(struct domain *d, u64 addr, u64 n)
{
	s64 woken = 0;

	if (!domain_range_ok(d, addr, 1, PROT_R))
		return -EFAULT;
	if (!n)
		return sched_has_waiters((const void *)addr);
	while ((u64)woken < n && sched_wake_one((const void *)addr))
		woken++;
	return woken;
}
