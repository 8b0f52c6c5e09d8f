/* pthread types with glibc's x86-64 ABI (sizes and the fields blobs or
 * glibc's static initialisers touch); tests/libc checks them against
 * <pthread.h>. */
#ifndef LIBC_PTHREAD_H
#define LIBC_PTHREAD_H

#include <core/types.h>

typedef unsigned long pthread_t;

typedef union {
	struct {
		int lock;		/* 0 free, 1 held */
		unsigned count;		/* recursive depth */
		int owner;		/* holder's thread id */
		unsigned nusers;
		int kind;		/* offset 16: PTHREAD_MUTEX_* */
		short spins, elision;
		void *prev, *next;
	} s;
	char size[40];
	long align;
} pthread_mutex_t;

typedef union { char size[4]; int kind; } pthread_mutexattr_t;
/* glibc's struct pthread_attr: flags at 8 (bit 0 detached), stack size at 32 */
typedef union {
	struct {
		int sched_priority, policy, flags, pad;
		size_t guardsize;
		void *stackaddr;
		size_t stacksize;
		void *cpuset;
		size_t cpusetsize;
	} s;
	char size[56];
	long align;
} pthread_attr_t;
typedef union { char size[48]; long long align; } pthread_cond_t;
typedef union { char size[4]; int align; } pthread_condattr_t;
typedef union {
	struct { unsigned readers, writers, pad[4]; int cur_writer; } s;	/* writer at 24 */
	char size[56];
	long align;
} pthread_rwlock_t;
typedef union { char size[8]; long align; } pthread_rwlockattr_t;
typedef int pthread_once_t;
typedef union {
	struct { unsigned count, arrived, gen; } s;
	char size[32];
	long align;
} pthread_barrier_t;
typedef union { char size[4]; int align; } pthread_barrierattr_t;
typedef union {
	struct { unsigned value; } s;
	char size[32];
	long align;
} sem_t;
typedef unsigned pthread_key_t;
typedef volatile int pthread_spinlock_t;

enum {
	PTHREAD_MUTEX_NORMAL = 0,	/* also TIMED_NP and DEFAULT */
	PTHREAD_MUTEX_RECURSIVE = 1,
	PTHREAD_MUTEX_ERRORCHECK = 2,
	PTHREAD_MUTEX_ADAPTIVE_NP = 3,
};

#define PTHREAD_KEYS_MAX 1024
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#define PTHREAD_CANCELED ((void *)-1)
#define PTHREAD_BARRIER_SERIAL_THREAD (-1)

struct timespec;
struct sched_thread;

/* libc's side of a thread (pthread_thread.c). */
struct pt {
	struct sched_thread *t;
	void *(*fn)(void *);
	void *arg;
	void *retval;
	bool detached, done, joining;
	bool cancel_pending, cancel_disabled, cancel_async;
	void *cleanup;		/* innermost __pthread_unwind_buf_t */
	void **specific;	/* key values, PTHREAD_KEYS_MAX (allocated on first set) */
};
struct pt *pt_self(void);
int pt_self_id(void);
/* A cancellation point: acts on a pending cancel (never returns then). */
void pt_testcancel(void);
/* After a wait that returned ECANCELED. */
void pt_act_on_cancel(void) __noreturn;
/* The monotonic deadline (ns) of an absolute time on clock (0 REALTIME,
 * 1 MONOTONIC); at least 1 so that 0 still means "none". */
u64 pt_deadline(int clock, const struct timespec *abs);
/* The mutex side of condition waits. */
int pt_mutex_lock(pthread_mutex_t *m, u64 deadline, u64 caller);
int pt_mutex_unlock(pthread_mutex_t *m);

#endif
