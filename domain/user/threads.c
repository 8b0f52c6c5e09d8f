/* The scheduler and thread interface libc's pthreads are written against
 * (include/core/sched.h, include/core/thread.h), inside a protection
 * domain, on the thread calls (docs/domains.md, 16-22).  libc/pthread*.c
 * are compiled unchanged for the domain; what they ask of the VMM's
 * scheduler and loader is answered here:
 *   sched_block/wake   BV_SYS_FUTEX_WAIT (any address, no compare: one
 *                      domain thread never preempts another, so checking a
 *                      condition and blocking are one step, as in the VMM)
 *                      and BV_SYS_FUTEX_WAKE
 *   exec_thread_*      BV_SYS_THREAD_CREATE/EXIT/JOIN/DETACH; the thread
 *                      records (id, name, libc's per-thread data) live here
 *   sched_interrupt    BV_SYS_THREAD_INTERRUPT (pthread_cancel)
 * The thread that calls into the domain from the VMM (the shell's blob
 * call) is "main"; threads the domain creates know themselves through a
 * __thread pointer (each has its own TLS). */
#include <core/types.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/sched.h>
#include <core/string.h>
#include <core/thread.h>
#include <domain/abi.h>

long bv_syscall(long nr, long a1, long a2, long a3, long a4, long a5);
void bv_exit(int status, const char *msg) __noreturn;
int kprintf(const char *fmt, ...);

struct dthread {
	struct sched_thread s;		/* id, name, owner, next: what libc reads */
	void *user;			/* libc's struct pt */
	u64 start_fn;
	u64 tcb;			/* pthread_t */
	long tid;			/* the VMM's for this domain (0: main) */
};

static struct dthread main_t = { .s = { .id = 1, .name = "main", .state = T_RUNNING,
					.owner = &main_t } };
static int last_id = 1;
static __thread struct dthread *self;	/* NULL in the thread that called in */

void (*exec_thread_end_hook)(void *user);
void (*exec_thread_cancel_hook)(void *user);
void (*exec_thread_drop_hook)(void *user);
bool (*exec_thread_reap_hook)(void *user);

u64
exec_tcb_address(void)
{
	u64 tp;

	__asm__("movq %%fs:0, %0" : "=r"(tp));
	return tp;
}

struct sched_thread *
sched_current(void)
{
	if (self)
		return &self->s;
	main_t.tcb = exec_tcb_address();
	return &main_t.s;
}

struct sched_thread *sched_main(void) { return &main_t.s; }
struct sched_thread *sched_first(void) { return &main_t.s; }

int
sched_block(const char *what, const void *obj, int owner, u64 deadline, bool interruptible,
	    u64 caller)
{
	struct sched_thread *me = sched_current();
	long r;

	me->state = T_BLOCKED;
	me->wait_what = what;
	me->wait_obj = obj;
	r = bv_syscall(BV_SYS_FUTEX_WAIT, (long)obj, 0, (long)deadline,
		       BV_FUTEX_ANY | (interruptible ? BV_FUTEX_INTR : 0), 0);
	me->state = T_RUNNING;
	me->wait_obj = NULL;
	switch (r) {
	case 0:
		return 0;
	case -ETIMEDOUT:
		return ETIMEDOUT;
	case -EDEADLK:
		return EDEADLK;
	case -EINTR:
		return ECANCELED;
	default:
		kprintf("domain: %s wait on %p: system call failed (%ld)\n", what, obj, r);
		return EDEADLK;
	}
}

struct sched_thread *
sched_wake_one(const void *obj)
{
	return bv_syscall(BV_SYS_FUTEX_WAKE, (long)obj, 1, 0, 0, 0) > 0 ? &main_t.s : NULL;
}

int
sched_wake_all(const void *obj)
{
	return (int)bv_syscall(BV_SYS_FUTEX_WAKE, (long)obj, 1L << 30, 0, 0, 0);
}

bool
sched_has_waiters(const void *obj)
{
	return bv_syscall(BV_SYS_FUTEX_WAKE, (long)obj, 0, 0, 0, 0) > 0;
}

bool
sched_interrupt(struct sched_thread *t, int result)
{
	struct dthread *d = (struct dthread *)t;

	return d->tid && bv_syscall(BV_SYS_THREAD_INTERRUPT, d->tid, 0, 0, 0, 0) == 1;
}

static void
thread_start(struct dthread *d)
{
	self = d;
	((void (*)(void *))d->start_fn)(d->user);
	exec_thread_exit();
}

struct sched_thread *
exec_thread_create(u64 start_fn, void *user, size_t stack_size, const char *name)
{
	struct dthread *d = heap_zalloc(sizeof(*d)), **tail;
	long tid;

	if (!d)
		return NULL;
	d->start_fn = start_fn;
	d->user = user;
	d->s.id = ++last_id;
	d->s.owner = d;
	d->s.state = T_READY;
	strncpy(d->s.name, name, sizeof(d->s.name) - 1);
	tid = bv_syscall(BV_SYS_THREAD_CREATE, (long)thread_start, (long)d, (long)stack_size,
			 (long)&d->tcb, 0);
	if (tid < 0) {
		heap_free(d);
		return NULL;
	}
	d->tid = tid;
	for (tail = (struct dthread **)&main_t.s.next; *tail;
	     tail = (struct dthread **)&(*tail)->s.next)
		;
	*tail = d;
	return &d->s;
}

static void
unlink_thread(struct dthread *d)
{
	for (struct sched_thread **p = &main_t.s.next; *p; p = &(*p)->next)
		if (*p == &d->s) {
			*p = d->s.next;
			return;
		}
}

/* After pthread_exit's cleanups.  A detached thread's record goes now
 * and the VMM frees its stack and TLS as it ends; otherwise the joiner
 * does both (exec_thread_free). */
void
exec_thread_exit(void)
{
	struct dthread *d = self;
	long flags = 0;

	if (!d)
		bv_exit(134, "pthread_exit in the thread that called into the domain: the call ends");
	if (exec_thread_reap_hook && exec_thread_reap_hook(d->user)) {
		unlink_thread(d);
		heap_free(d);
		flags = BV_THREAD_DETACH;
	}
	bv_syscall(BV_SYS_THREAD_EXIT, 0, flags, 0, 0, 0);
	bv_exit(134, "BV_SYS_THREAD_EXIT returned");
}

void
exec_thread_free(struct sched_thread *t)
{
	struct dthread *d = (struct dthread *)t;

	if (d == &main_t)
		return;
	bv_syscall(BV_SYS_THREAD_JOIN, d->tid, 0, 0, 0, 0);
	unlink_thread(d);
	heap_free(d);
}

void *exec_thread_user(struct sched_thread *t) { return ((struct dthread *)t)->user; }
void exec_thread_set_user(struct sched_thread *t, void *user) { ((struct dthread *)t)->user = user; }
u64 exec_thread_tcb(struct sched_thread *t) { return ((struct dthread *)t)->tcb; }

struct sched_thread *
exec_thread_by_tcb(u64 tcb)
{
	sched_current();	/* main's TCB is known once main has looked */
	for (struct sched_thread *t = &main_t.s; t; t = t->next)
		if (((struct dthread *)t)->tcb == tcb)
			return t;
	return NULL;
}
