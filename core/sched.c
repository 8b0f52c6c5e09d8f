/* The blob-thread scheduler (include/core/sched.h).  One CPU, cooperative:
 * a thread gives up the CPU only in sched_block/sched_yield_cpu/
 * sched_wait_until/sched_exit, so there is no preemption, no lock inside the
 * scheduler, and the order of events is a function of the program and the
 * clock alone.  Decisions scan the thread list (a handful of threads): the
 * ready thread with the oldest ready_seq runs next, the waiter with the
 * oldest wait_seq is woken first. */
#include <core/console.h>
#include <core/errno.h>
#include <core/panic.h>
#include <core/recover.h>
#include <core/sched.h>
#include <core/string.h>
#include <core/time.h>

static struct sched_thread main_thread = { .id = 1, .state = T_RUNNING, .name = "main" };
static struct sched_thread *cur = &main_thread;
static struct sched_thread *all = &main_thread;
static int next_id = 2;
static u64 seq;
static struct sched_poller *pollers;
static bool deadlock_reported;	/* the idle report, once per deadlock */

void (*sched_switch_hook)(struct sched_thread *prev, struct sched_thread *next);
void (*sched_describe_hook)(struct sched_thread *t, char *buf, size_t size);
void (*sched_reap_hook)(struct sched_thread *t);

struct sched_thread *
sched_current(void)
{
	return cur;
}

struct sched_thread *
sched_main(void)
{
	return &main_thread;
}

struct sched_thread *
sched_first(void)
{
	return all;
}

int
sched_thread_count(void)
{
	int n = 0;

	for (struct sched_thread *t = all; t; t = t->next)
		n += t != &main_thread;
	return n;
}

void
sched_poller_register(struct sched_poller *p)
{
	p->next = pollers;
	pollers = p;
}

static void
make_ready(struct sched_thread *t, int result)
{
	t->state = T_READY;
	t->wake_result = result;
	t->ready_seq = ++seq;
	t->wait_what = NULL;
	t->wait_obj = NULL;
	t->pred = NULL;
	t->deadline = 0;
	deadlock_reported = false;
}

/* Switch-time bookkeeping (CPU time, watchdog slices) counts the CPU's
 * time-stamp counter, tens of cycles to read where the platform clock is a
 * vDSO call hosted; ticks become nanoseconds at the rate measured against
 * the platform clock since the first use. */
static u64 cal_tick0, cal_ns0;

static inline u64
ticks(void)
{
	if (!cal_tick0) {
		cal_ns0 = time_now_ns();
		cal_tick0 = __builtin_ia32_rdtsc();
	}
	return __builtin_ia32_rdtsc();
}

u64
sched_ticks_to_ns(u64 t)
{
	u64 dt = ticks() - cal_tick0, dn = time_now_ns() - cal_ns0;

	if (dt < 1000 || dn < 1000)
		return t;	/* not measured yet: call a tick a nanosecond */
	return (u64)((unsigned __int128)t * dn / dt);
}

u64
sched_ticks(void)
{
	return ticks();
}

/* Deadlines and predicates that came true make their threads ready; the
 * clock is read only when some thread has a deadline. */
static void
wake_due(void)
{
	u64 now = 0;

	for (struct sched_thread *t = all; t; t = t->next) {
		if (t->state != T_BLOCKED)
			continue;
		if (t->pred && t->pred(t->pred_arg)) {
			make_ready(t, 0);
		} else if (t->deadline) {
			if (!now)
				now = time_now_ns();
			if (now >= t->deadline)
				make_ready(t, ETIMEDOUT);
		}
	}
}

static struct sched_thread *
pick(void)
{
	struct sched_thread *best = NULL;

	for (struct sched_thread *t = all; t; t = t->next)
		if (t->state == T_READY && (!best || t->ready_seq < best->ready_seq))
			best = t;
	return best;
}

/* A thread finished on its own stack is handed to the owner from the next
 * thread's side (its stack may be freed then). */
static struct sched_thread *finished;

/* blocked: the running thread gave up the CPU because it waits (not a
 * yield), which starts a new slice for the watchdog even if it is the one
 * that runs next. */
static void
switch_to(struct sched_thread *next, bool blocked)
{
	struct sched_thread *prev = cur;
	u64 now = ticks();

	next->state = T_RUNNING;
	if (next == prev) {
		if (blocked)
			next->slice_start = now;
		return;
	}
	prev->cpu_ticks += now - prev->run_since;
	next->run_since = now;
	next->slice_start = now;
	prev->recover = recover_swap(next->recover);
	if (sched_switch_hook)
		sched_switch_hook(prev, next);
	cur = next;
	sched_switch(&prev->rsp, next->rsp);
}

static bool
pollers_busy(void)
{
	for (struct sched_poller *p = pollers; p; p = p->next)
		if (p->busy && p->busy())
			return true;
	return false;
}

static void
poll_all(u64 wait_ns)
{
	for (struct sched_poller *p = pollers; p; p = p->next) {
		p->poll(wait_ns);
		wait_ns = 0;	/* only the first may sleep */
	}
}

/* Nanoseconds until the earliest deadline; ~0 if no thread has one.  A
 * predicate waiter counts as due in 1 ms (it is polled). */
static u64
next_wakeup(u64 now)
{
	u64 best = ~0ULL;

	for (struct sched_thread *t = all; t; t = t->next) {
		if (t->state != T_BLOCKED)
			continue;
		if (t->pred)
			best = MIN(best, NSEC_PER_MSEC);
		if (t->deadline)
			best = MIN(best, t->deadline > now ? t->deadline - now : 0);
	}
	return best;
}

void
sched_print_waits(void)
{
	char buf[160];

	for (struct sched_thread *t = all; t; t = t->next) {
		if (t->state != T_BLOCKED)
			continue;
		buf[0] = 0;
		if (sched_describe_hook)
			sched_describe_hook(t, buf, sizeof(buf));
		kprintf("  thread %d (%s) waits on %s %p", t->id, t->name,
			t->wait_what ? t->wait_what : "?", t->wait_obj);
		if (t->wait_owner)
			kprintf(" held by thread %d", t->wait_owner);
		kprintf("%s%s\n", buf[0] ? " " : "", buf);
	}
}

/* Every thread is blocked for good: print the waits and fail the wait of
 * the shell's thread (the command), which is blocked too, since it would
 * be ready otherwise. */
static void
deadlock(void)
{
	kprintf("threads: deadlock: every thread is blocked and nothing can wake one\n");
	sched_print_waits();
	make_ready(&main_thread, EDEADLK);
}

/* cur is no longer running (blocked, yielding or done): run the next. */
static void
schedule(void)
{
	bool blocked = cur->state == T_BLOCKED;

	for (;;) {
		u64 wait;
		struct sched_thread *next;

		wake_due();
		next = pick();
		if (next) {
			switch_to(next, blocked);
			break;
		}
		wait = next_wakeup(time_now_ns());
		if (wait == ~0ULL && !pollers_busy()) {
			deadlock();
			continue;
		}
		poll_all(MIN(wait, NSEC_PER_MSEC));
	}
	if (finished && finished != cur) {
		struct sched_thread *f = finished;

		finished = NULL;
		if (sched_reap_hook)
			sched_reap_hook(f);
	}
}

int
sched_block(const char *what, const void *obj, int owner, u64 deadline, bool interruptible,
	    u64 caller)
{
	struct sched_thread *t = cur;

	t->state = T_BLOCKED;
	t->wait_what = what;
	t->wait_obj = obj;
	t->wait_owner = owner;
	t->wait_caller = caller;
	t->deadline = deadline;
	t->interruptible = interruptible;
	t->pred = NULL;
	t->wait_seq = ++seq;
	t->wake_result = 0;
	schedule();
	return t->wake_result;
}

struct sched_thread *
sched_wake_one(const void *obj)
{
	struct sched_thread *best = NULL;

	for (struct sched_thread *t = all; t; t = t->next)
		if (t->state == T_BLOCKED && t->wait_obj == obj && !t->pred &&
		    (!best || t->wait_seq < best->wait_seq))
			best = t;
	if (best)
		make_ready(best, 0);
	return best;
}

int
sched_wake_all(const void *obj)
{
	int n = 0;

	while (sched_wake_one(obj))
		n++;
	return n;
}

bool
sched_has_waiters(const void *obj)
{
	for (struct sched_thread *t = all; t; t = t->next)
		if (t->state == T_BLOCKED && t->wait_obj == obj)
			return true;
	return false;
}

bool
sched_interrupt(struct sched_thread *t, int result)
{
	if (t->state != T_BLOCKED || !t->interruptible)
		return false;
	make_ready(t, result);
	return true;
}

void
sched_yield_cpu(void)
{
	make_ready(cur, 0);
	schedule();
}

int
sched_sleep_until(u64 deadline, bool interruptible, u64 caller)
{
	if (!deadline)
		deadline = 1;
	return sched_block("sleep", NULL, 0, deadline, interruptible, caller);
}

int
sched_wait_until(u64 deadline, bool (*pred)(void *), void *arg, const char *what, u64 caller)
{
	struct sched_thread *t = cur;

	if (pred(arg))
		return 0;
	t->state = T_BLOCKED;
	t->wait_what = what;
	t->wait_obj = NULL;
	t->wait_owner = 0;
	t->wait_caller = caller;
	t->deadline = deadline;
	t->interruptible = true;
	t->pred = pred;
	t->pred_arg = arg;
	t->wait_seq = ++seq;
	schedule();
	return t->wake_result;
}

void
sched_new_slice(void)
{
	cur->slice_start = ticks();
}

bool
sched_others_ready(void)
{
	for (struct sched_thread *t = all; t; t = t->next)
		if (t != cur && t->state == T_READY)
			return true;
	return false;
}

/* The first code a new thread runs (its stack was laid out by
 * sched_thread_start: this function's address, then entry and arg). */
void sched_thread_entry(void (*entry)(void *), void *arg);
void
sched_thread_entry(void (*entry)(void *), void *arg)
{
	if (finished && finished != cur) {
		struct sched_thread *f = finished;

		finished = NULL;
		if (sched_reap_hook)
			sched_reap_hook(f);
	}
	entry(arg);
	sched_exit();
}

void sched_thread_trampoline(void);	/* sched_switch.S */

void
sched_thread_start(struct sched_thread *t, u64 stack_top, void (*entry)(void *), void *arg,
		   const char *name)
{
	u64 *sp = (u64 *)(stack_top & ~15ULL);
	struct sched_thread **p = &all;

	memset(t, 0, __builtin_offsetof(struct sched_thread, owner));
	t->id = next_id++;
	if (!cur->run_since)	/* the shell thread starts its clock with the first thread */
		cur->run_since = ticks();
	snprintf(t->name, sizeof(t->name), "%s", name);
	/* sched_switch pops r15 r14 r13 r12 rbx rbp and returns into the
	 * trampoline, which calls sched_thread_entry(r12, r13) */
	*--sp = 0;			/* the trampoline's frame ends the backtrace */
	*--sp = (u64)sched_thread_trampoline;
	*--sp = 0;			/* rbp */
	*--sp = 0;			/* rbx */
	*--sp = (u64)entry;		/* r12 */
	*--sp = (u64)arg;		/* r13 */
	*--sp = 0;			/* r14 */
	*--sp = 0;			/* r15 */
	t->rsp = (u64)sp;
	t->next = NULL;
	while (*p)
		p = &(*p)->next;
	*p = t;
	make_ready(t, 0);
}

void
sched_exit(void)
{
	cur->state = T_DONE;
	finished = cur;
	schedule();
	panic("sched: a finished thread was scheduled");
}

void
sched_unlink(struct sched_thread *t)
{
	for (struct sched_thread **p = &all; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			return;
		}
	}
}

/* Idle step of the shell: other threads run, the pollers run. */
u64
sched_idle(void)
{
	u64 now, wait;
	bool blocked = false;

	if (all == &main_thread && !all->next)
		return ~0ULL;
	poll_all(0);
	wake_due();
	if (sched_others_ready())
		sched_yield_cpu();
	now = time_now_ns();
	wait = next_wakeup(now);
	for (struct sched_thread *t = all; t; t = t->next)
		blocked |= t->state == T_BLOCKED;
	if (blocked && wait == ~0ULL && !pollers_busy() && !sched_others_ready() &&
	    !deadlock_reported) {
		kprintf("threads: deadlock: every blob thread is blocked and nothing can wake one\n");
		sched_print_waits();
		deadlock_reported = true;
	}
	return pollers ? MIN(wait, 10 * NSEC_PER_MSEC) : wait;
}
