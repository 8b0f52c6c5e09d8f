/* Condition variables on the scheduler.  The 48-byte pthread_cond_t keeps
 * glibc's zero static initialiser; the clock chosen with
 * pthread_condattr_setclock is kept in its first int (0 REALTIME, 1
 * MONOTONIC), and the condition's address is what waiters block on.  A
 * wait is a cancellation point: a cancelled waiter relocks the mutex and
 * then runs its cleanup handlers, as POSIX says. */
#include "libc.h"
#include "pthread.h"
#include <core/sched.h>
#include <core/time.h>

u64
pt_deadline(int clock, const struct timespec *abs)
{
	struct timespec now;
	s64 ns;
	u64 mono = time_now_ns();

	clock_gettime(clock == 1 ? 1 : 0, &now);
	ns = (abs->tv_sec - now.tv_sec) * 1000000000LL + (abs->tv_nsec - now.tv_nsec);
	return ns > 0 ? mono + (u64)ns : 1;
}

static int
cond_clock(const pthread_cond_t *c)
{
	int clock;

	memcpy(&clock, c->size, sizeof(clock));
	return clock;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a);
int
pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
	int clock = a ? a->align >> 1 : 0;

	memset(c, 0, sizeof(*c));
	memcpy(c->size, &clock, sizeof(clock));
	return 0;
}
EXPORT(pthread_cond_init, PTHREAD);

int pthread_cond_destroy(pthread_cond_t *c);
int
pthread_cond_destroy(pthread_cond_t *c)
{
	return sched_has_waiters(c) ? EBUSY : 0;
}
EXPORT(pthread_cond_destroy, PTHREAD);

int pthread_cond_signal(pthread_cond_t *c);
int
pthread_cond_signal(pthread_cond_t *c)
{
	sched_wake_one(c);
	return 0;
}
EXPORT(pthread_cond_signal, PTHREAD);

int pthread_cond_broadcast(pthread_cond_t *c);
int
pthread_cond_broadcast(pthread_cond_t *c)
{
	sched_wake_all(c);
	return 0;
}
EXPORT(pthread_cond_broadcast, PTHREAD);

static int
cond_wait(pthread_cond_t *c, pthread_mutex_t *m, u64 deadline, u64 caller)
{
	int r, r2;

	pt_testcancel();
	r = pt_mutex_unlock(m);
	if (r)
		return r;	/* errorcheck/recursive mutex not held: EPERM */
	r = sched_block("cond", c, 0, deadline, true, caller);
	/* the mutex is ours again whatever ended the wait, as in glibc; a
	 * deadlock found here is reported as the wait's result */
	r2 = pt_mutex_lock(m, 0, caller);
	if (r == ECANCELED)
		pt_act_on_cancel();
	return r ? r : r2;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int
pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return cond_wait(c, m, 0, (u64)CALLER);
}
EXPORT(pthread_cond_wait, PTHREAD);

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t);
int
pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t)
{
	if (t->tv_nsec < 0 || t->tv_nsec >= 1000000000)
		return EINVAL;
	return cond_wait(c, m, pt_deadline(cond_clock(c), t), (u64)CALLER);
}
EXPORT(pthread_cond_timedwait, PTHREAD);

int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, int clock,
			   const struct timespec *t);
int
pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, int clock, const struct timespec *t)
{
	if (t->tv_nsec < 0 || t->tv_nsec >= 1000000000 || (clock != 0 && clock != 1))
		return EINVAL;
	return cond_wait(c, m, pt_deadline(clock, t), (u64)CALLER);
}
EXPORT(pthread_cond_clockwait, PTHREAD);

/* condattr: 4 bytes; glibc keeps the clock in bits 1.. and pshared in
 * bit 0. */
int pthread_condattr_init(pthread_condattr_t *a);
int
pthread_condattr_init(pthread_condattr_t *a)
{
	a->align = 0;
	return 0;
}
EXPORT(pthread_condattr_init, PTHREAD);

int pthread_condattr_destroy(pthread_condattr_t *a);
int
pthread_condattr_destroy(pthread_condattr_t *a)
{
	return 0;
}
EXPORT(pthread_condattr_destroy, PTHREAD);

int pthread_condattr_setclock(pthread_condattr_t *a, int clock);
int
pthread_condattr_setclock(pthread_condattr_t *a, int clock)
{
	if (clock != 0 && clock != 1)	/* REALTIME, MONOTONIC */
		return EINVAL;
	a->align = (a->align & 1) | clock << 1;
	return 0;
}
EXPORT(pthread_condattr_setclock, PTHREAD);

int pthread_condattr_getclock(const pthread_condattr_t *a, int *clock);
int
pthread_condattr_getclock(const pthread_condattr_t *a, int *clock)
{
	*clock = a->align >> 1;
	return 0;
}
EXPORT(pthread_condattr_getclock, PTHREAD);

int pthread_condattr_setpshared(pthread_condattr_t *a, int shared);
int
pthread_condattr_setpshared(pthread_condattr_t *a, int shared)
{
	if (shared != 0 && shared != 1)
		return EINVAL;
	a->align = (a->align & ~1) | shared;
	return 0;
}
EXPORT(pthread_condattr_setpshared, PTHREAD);
