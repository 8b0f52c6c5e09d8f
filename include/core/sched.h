/* The scheduler for blob threads: one CPU, cooperative, deterministic.  A
 * thread runs until it blocks or yields; the next one is the oldest ready
 * thread (FIFO).  Thread 1 is the shell's own context (the command that is
 * running, possibly inside a blob call); the others are blob threads made
 * by the loader (exec_thread_create).  Nothing here knows about pthreads,
 * TCBs or blobs: those live in the owner's context (`owner') and in the
 * switch hook the loader installs.  Platforms give only the clock
 * (plat_time_ns) and the FS base; the register switch is sched_switch.S. */
#ifndef CORE_SCHED_H
#define CORE_SCHED_H

#include <core/types.h>

enum sched_state {
	T_READY,
	T_RUNNING,
	T_BLOCKED,	/* on an object, a deadline, a predicate */
	T_DONE,		/* finished, not yet reaped */
};

struct sched_thread {
	u64 rsp;			/* saved while switched out */
	int id;
	enum sched_state state;
	char name[16];
	/* what it waits on, for wakeups and for `threads' */
	const char *wait_what;		/* "mutex", "cond", "join", "sleep"... */
	const void *wait_obj;
	int wait_owner;			/* thread id holding the object, 0: none */
	u64 wait_caller;		/* return address into the blob */
	u64 deadline;			/* monotonic ns, 0: none */
	bool (*pred)(void *);		/* woken when it returns true */
	void *pred_arg;
	u64 wait_seq;			/* FIFO order among waiters of an object */
	int wake_result;		/* 0, ETIMEDOUT, EDEADLK, ECANCELED */
	bool interruptible;		/* a cancellation point: sched_interrupt ends it */
	u64 cpu_ticks, run_since;	/* in sched_ticks() */
	u64 slice_start;		/* since it last blocked or was switched in:
					 * what the watchdog bounds (ticks) */
	u64 ready_seq;			/* FIFO order of the ready queue */
	void *recover;			/* its innermost recovery point while out */
	void *owner;			/* the loader's per-thread context */
	struct sched_thread *next;	/* all threads, by id */
};

/* The running thread (never NULL after boot: thread 1 is the shell). */
struct sched_thread *sched_current(void);
struct sched_thread *sched_main(void);
/* Every thread, in id order. */
struct sched_thread *sched_first(void);

/* Make a thread that starts entry(arg) on the stack ending at stack_top.
 * It is ready at once; the caller keeps running. */
void sched_thread_start(struct sched_thread *t, u64 stack_top, void (*entry)(void *),
			void *arg, const char *name);
/* The running thread ends (never returns); sched_reap frees nothing itself:
 * the owner frees a T_DONE thread's memory when it is joined or detached. */
void sched_exit(void) __noreturn;
/* Take a finished thread out of the list (its memory is the owner's). */
void sched_unlink(struct sched_thread *t);

/* Block the running thread on obj until sched_wake_*, the deadline
 * (monotonic ns, 0: none) or a deadlock.  Returns the wake result: 0,
 * ETIMEDOUT, EDEADLK (every thread blocked, nothing can wake one: the
 * waits are printed) or ECANCELED (interruptible and sched_interrupt'ed). */
int sched_block(const char *what, const void *obj, int owner, u64 deadline,
		bool interruptible, u64 caller);
/* Wake the oldest waiter on obj (returns it, NULL if none), or all. */
struct sched_thread *sched_wake_one(const void *obj);
int sched_wake_all(const void *obj);
/* Wake one thread with a result (used for cancellation: ECANCELED);
 * only if it is blocked interruptibly.  Returns whether it was. */
bool sched_interrupt(struct sched_thread *t, int result);
/* Whether anyone waits on obj. */
bool sched_has_waiters(const void *obj);

/* Let every other ready thread run once, then come back. */
void sched_yield_cpu(void);
/* Sleep until the monotonic deadline (other threads run meanwhile). */
int sched_sleep_until(u64 deadline, bool interruptible, u64 caller);
/* Wait until pred(arg) is true or the deadline passes (0: none): 0 or
 * ETIMEDOUT.  For waits on outside events (select/poll, USB): the
 * predicate is tried at every scheduling decision and while idle, after
 * the pollers ran. */
int sched_wait_until(u64 deadline, bool (*pred)(void *), void *arg, const char *what,
		     u64 caller);
/* The time-stamp counter the scheduler's bookkeeping uses, and its value
 * in nanoseconds. */
u64 sched_ticks(void);
u64 sched_ticks_to_ns(u64 ticks);
/* The running thread starts a new watchdog slice (a top-level blob call). */
void sched_new_slice(void);
/* Other threads could run now (so a poller should not sleep). */
bool sched_others_ready(void);
/* How many threads other than the shell's exist (any state). */
int sched_thread_count(void);

/* Something that makes progress on outside events while every thread
 * waits (the USB controllers); `busy' says whether it has work
 * outstanding, which rules out a deadlock. */
struct sched_poller {
	void (*poll)(u64 wait_ns);
	bool (*busy)(void);
	struct sched_poller *next;
};
void sched_poller_register(struct sched_poller *p);

/* The shell's idle step: run ready threads, poll, and return.  Returns the
 * nanoseconds until the next deadline (~0 when none and nothing polls). */
u64 sched_idle(void);

/* Installed by the loader: called on every switch with interrupts of the
 * old thread's state already saved (FS base, watchdog, per-thread data). */
extern void (*sched_switch_hook)(struct sched_thread *prev, struct sched_thread *next);
/* Installed by the loader: a finished thread is off its stack (called on
 * the next thread's stack). */
extern void (*sched_reap_hook)(struct sched_thread *t);
/* Installed by the loader: prints one thread's blob/where for `threads'. */
extern void (*sched_describe_hook)(struct sched_thread *t, char *buf, size_t size);

/* Print every thread and its wait (the deadlock report). */
void sched_print_waits(void);

/* Low level (sched_switch.S): save callee-saved registers and rsp in
 * *save, continue on new_rsp. */
void sched_switch(u64 *save, u64 new_rsp);

#endif
