/* Barriers and unnamed semaphores on the scheduler (glibc's 32-byte
 * pthread_barrier_t and sem_t).  sem_wait/sem_timedwait are cancellation
 * points; pthread_barrier_wait is not (POSIX). */
#include "libc.h"
#include "pthread.h"
#include <core/sched.h>

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count);
int
pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count)
{
	if (!count)
		return EINVAL;
	memset(b, 0, sizeof(*b));
	b->s.count = count;
	return 0;
}
EXPORT(pthread_barrier_init, PTHREAD);

int pthread_barrier_destroy(pthread_barrier_t *b);
int
pthread_barrier_destroy(pthread_barrier_t *b)
{
	return b->s.arrived ? EBUSY : 0;
}
EXPORT(pthread_barrier_destroy, PTHREAD);

/* The last to arrive returns PTHREAD_BARRIER_SERIAL_THREAD and releases
 * the others, which return 0; the generation tells a released waiter from
 * one woken for the next round. */
int pthread_barrier_wait(pthread_barrier_t *b);
int
pthread_barrier_wait(pthread_barrier_t *b)
{
	unsigned gen = b->s.gen;
	int r;

	if (++b->s.arrived == b->s.count) {
		b->s.arrived = 0;
		b->s.gen++;
		sched_wake_all(b);
		return PTHREAD_BARRIER_SERIAL_THREAD;
	}
	while (b->s.gen == gen) {
		r = sched_block("barrier", b, 0, 0, false, (u64)CALLER);
		if (r) {
			b->s.arrived--;
			return r;
		}
	}
	return 0;
}
EXPORT(pthread_barrier_wait, PTHREAD);

int pthread_barrierattr_init(pthread_barrierattr_t *a);
int
pthread_barrierattr_init(pthread_barrierattr_t *a)
{
	a->align = 0;
	return 0;
}
EXPORT(pthread_barrierattr_init, PTHREAD);

int pthread_barrierattr_destroy(pthread_barrierattr_t *a);
int
pthread_barrierattr_destroy(pthread_barrierattr_t *a)
{
	return 0;
}
EXPORT(pthread_barrierattr_destroy, PTHREAD);

int pthread_barrierattr_setpshared(pthread_barrierattr_t *a, int shared);
int
pthread_barrierattr_setpshared(pthread_barrierattr_t *a, int shared)
{
	if (shared != 0 && shared != 1)
		return EINVAL;
	a->align = shared;
	return 0;
}
EXPORT(pthread_barrierattr_setpshared, PTHREAD);

/* --- semaphores: -1 and errno, as glibc ------------------------------- */

#define SEM_VALUE_MAX 0x7fffffff

int sem_init(sem_t *s, int shared, unsigned value);
int
sem_init(sem_t *s, int shared, unsigned value)
{
	if (value > SEM_VALUE_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(s, 0, sizeof(*s));
	s->s.value = value;
	return 0;
}
EXPORT(sem_init, PTHREAD);

int sem_destroy(sem_t *s);
int
sem_destroy(sem_t *s)
{
	return 0;
}
EXPORT(sem_destroy, PTHREAD);

int sem_post(sem_t *s);
int
sem_post(sem_t *s)
{
	if (s->s.value == SEM_VALUE_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	s->s.value++;
	sched_wake_one(s);
	return 0;
}
EXPORT(sem_post, PTHREAD);

static int
sem_take(sem_t *s, u64 deadline, u64 caller)
{
	int r;

	pt_testcancel();
	while (!s->s.value) {
		r = sched_block("sem", s, 0, deadline, true, caller);
		if (r == ECANCELED)
			pt_act_on_cancel();
		if (r) {
			errno = r;
			return -1;
		}
	}
	s->s.value--;
	return 0;
}

int sem_wait(sem_t *s);
int
sem_wait(sem_t *s)
{
	return sem_take(s, 0, (u64)CALLER);
}
EXPORT(sem_wait, PTHREAD);

int sem_trywait(sem_t *s);
int
sem_trywait(sem_t *s)
{
	if (!s->s.value) {
		errno = EAGAIN;
		return -1;
	}
	s->s.value--;
	return 0;
}
EXPORT(sem_trywait, PTHREAD);

static int
sem_timed(sem_t *s, int clock, const struct timespec *t, u64 caller)
{
	if (!s->s.value && (t->tv_nsec < 0 || t->tv_nsec >= 1000000000)) {
		errno = EINVAL;
		return -1;
	}
	return sem_take(s, s->s.value ? 0 : pt_deadline(clock, t), caller);
}

int sem_timedwait(sem_t *s, const struct timespec *t);
int
sem_timedwait(sem_t *s, const struct timespec *t)
{
	return sem_timed(s, 0, t, (u64)CALLER);
}
EXPORT(sem_timedwait, PTHREAD);

int sem_clockwait(sem_t *s, int clock, const struct timespec *t);
int
sem_clockwait(sem_t *s, int clock, const struct timespec *t)
{
	if (clock != 0 && clock != 1) {
		errno = EINVAL;
		return -1;
	}
	return sem_timed(s, clock, t, (u64)CALLER);
}
EXPORT(sem_clockwait, PTHREAD);

int sem_getvalue(sem_t *s, int *value);
int
sem_getvalue(sem_t *s, int *value)
{
	*value = (int)s->s.value;
	return 0;
}
EXPORT(sem_getvalue, PTHREAD);
