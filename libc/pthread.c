/* pthread mutexes, once, rwlocks and spinlocks with glibc's ABI (the kind
 * at offset 16 as in glibc, so static initialisers work) on the core's
 * scheduler: contention blocks the thread (sched_block on the object's
 * address) and lets the others run; a wait that can never end is found by
 * the scheduler's deadlock check and returns EDEADLK. */
#include "libc.h"
#include "pthread.h"
#include <core/console.h>
#include <core/sched.h>
#include <core/time.h>

/* glibc's type in the low bits; robust (16), priority inheritance (32)
 * and protection (64) change nothing on one CPU without priorities;
 * pshared is 128. */
static int
kind_of(const pthread_mutex_t *m)
{
	return m->s.kind < 0 ? 127 : m->s.kind & 15;
}

int pthread_mutexattr_init(pthread_mutexattr_t *a);
int
pthread_mutexattr_init(pthread_mutexattr_t *a)
{
	a->kind = PTHREAD_MUTEX_NORMAL;
	return 0;
}
EXPORT(pthread_mutexattr_init, PTHREAD);

int pthread_mutexattr_destroy(pthread_mutexattr_t *a);
int
pthread_mutexattr_destroy(pthread_mutexattr_t *a)
{
	return 0;
}
EXPORT(pthread_mutexattr_destroy, PTHREAD);

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type);
int
pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
	if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_ADAPTIVE_NP)
		return EINVAL;
	a->kind = (a->kind & ~127) | type;
	return 0;
}
EXPORT(pthread_mutexattr_settype, PTHREAD);

int pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type);
int
pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type)
{
	*type = a->kind & 127;
	return 0;
}
EXPORT(pthread_mutexattr_gettype, PTHREAD);

int pthread_mutexattr_setpshared(pthread_mutexattr_t *a, int shared);
int
pthread_mutexattr_setpshared(pthread_mutexattr_t *a, int shared)
{
	if (shared != 0 && shared != 1)
		return EINVAL;
	a->kind = (a->kind & ~128) | (shared ? 128 : 0);
	return 0;
}
EXPORT(pthread_mutexattr_setpshared, PTHREAD);

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *a, int *shared);
int
pthread_mutexattr_getpshared(const pthread_mutexattr_t *a, int *shared)
{
	*shared = !!(a->kind & 128);
	return 0;
}
EXPORT(pthread_mutexattr_getpshared, PTHREAD);

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a);
int
pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	memset(m, 0, sizeof(*m));
	m->s.kind = a ? a->kind & 127 : PTHREAD_MUTEX_NORMAL;
	return 0;
}
EXPORT(pthread_mutex_init, PTHREAD);

int pthread_mutex_destroy(pthread_mutex_t *m);
int
pthread_mutex_destroy(pthread_mutex_t *m)
{
	if (m->s.nusers)
		return EBUSY;
	m->s.kind = -1;		/* as glibc: later use is EINVAL */
	return 0;
}
EXPORT(pthread_mutex_destroy, PTHREAD);

static void
mutex_own(pthread_mutex_t *m)
{
	m->s.lock = 1;
	m->s.owner = pt_self_id();
	m->s.count = 1;
	m->s.nusers++;
}

/* deadline: monotonic ns, 0 none; ~0: do not wait (trylock). */
static int
mutex_take(pthread_mutex_t *m, u64 deadline, u64 caller)
{
	int kind = kind_of(m), me = pt_self_id(), r;

	if (kind > PTHREAD_MUTEX_ADAPTIVE_NP)
		return EINVAL;
	if (!m->s.lock) {
		mutex_own(m);
		return 0;
	}
	if (m->s.owner == me && kind == PTHREAD_MUTEX_RECURSIVE) {
		if (m->s.count == ~0u)
			return EAGAIN;
		m->s.count++;
		return 0;
	}
	if (deadline == ~0ULL)
		return EBUSY;
	if (m->s.owner == me && kind == PTHREAD_MUTEX_ERRORCHECK)
		return EDEADLK;
	/* a normal mutex relocked by its owner waits like glibc's (forever,
	 * unless the deadlock check ends it) */
	while (m->s.lock) {
		r = sched_block("mutex", m, m->s.owner, deadline, false, caller);
		if (r)
			return r;
	}
	mutex_own(m);
	return 0;
}

int
pt_mutex_lock(pthread_mutex_t *m, u64 deadline, u64 caller)
{
	return mutex_take(m, deadline, caller);
}

int pthread_mutex_lock(pthread_mutex_t *m);
int
pthread_mutex_lock(pthread_mutex_t *m)
{
	return mutex_take(m, 0, (u64)CALLER);
}
EXPORT(pthread_mutex_lock, PTHREAD);

int pthread_mutex_trylock(pthread_mutex_t *m);
int
pthread_mutex_trylock(pthread_mutex_t *m)
{
	return mutex_take(m, ~0ULL, (u64)CALLER);
}
EXPORT(pthread_mutex_trylock, PTHREAD);

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *t);
int
pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *t)
{
	if (t->tv_nsec < 0 || t->tv_nsec >= 1000000000)
		return EINVAL;
	return mutex_take(m, pt_deadline(0, t), (u64)CALLER);
}
EXPORT(pthread_mutex_timedlock, PTHREAD);

int pthread_mutex_clocklock(pthread_mutex_t *m, int clock, const struct timespec *t);
int
pthread_mutex_clocklock(pthread_mutex_t *m, int clock, const struct timespec *t)
{
	if (t->tv_nsec < 0 || t->tv_nsec >= 1000000000 || (clock != 0 && clock != 1))
		return EINVAL;
	return mutex_take(m, pt_deadline(clock, t), (u64)CALLER);
}
EXPORT(pthread_mutex_clocklock, PTHREAD);

int
pt_mutex_unlock(pthread_mutex_t *m)
{
	int kind = kind_of(m);

	if (kind > PTHREAD_MUTEX_ADAPTIVE_NP)
		return EINVAL;
	if (kind == PTHREAD_MUTEX_RECURSIVE || kind == PTHREAD_MUTEX_ERRORCHECK) {
		if (!m->s.lock || m->s.owner != pt_self_id())
			return EPERM;
		if (kind == PTHREAD_MUTEX_RECURSIVE && --m->s.count)
			return 0;
	}
	/* normal/adaptive: no ownership check, and nusers drops on every
	 * unlock, exactly as in glibc (destroy's EBUSY test reads it) */
	m->s.nusers--;
	m->s.owner = 0;
	m->s.count = 0;
	m->s.lock = 0;
	sched_wake_one(m);
	return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m);
int
pthread_mutex_unlock(pthread_mutex_t *m)
{
	return pt_mutex_unlock(m);
}
EXPORT(pthread_mutex_unlock, PTHREAD);

/* once: 0 initial, 1 running, 2 done.  Another thread that arrives while
 * fn runs waits for it (fn may block). */
int pthread_once(pthread_once_t *once, void (*fn)(void));
int
pthread_once(pthread_once_t *once, void (*fn)(void))
{
	while (*once == 1)
		sched_block("once", once, 0, 0, false, (u64)CALLER);
	if (*once == 2)
		return 0;
	*once = 1;
	fn();
	*once = 2;
	sched_wake_all(once);
	return 0;
}
EXPORT(pthread_once, PTHREAD);

/* --- rwlocks and spinlocks -------------------------------------------- */

int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a);
int
pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a)
{
	memset(l, 0, sizeof(*l));
	return 0;
}
EXPORT(pthread_rwlock_init, PTHREAD);

int pthread_rwlock_destroy(pthread_rwlock_t *l);
int
pthread_rwlock_destroy(pthread_rwlock_t *l)
{
	return 0;
}
EXPORT(pthread_rwlock_destroy, PTHREAD);

static int
rw_read(pthread_rwlock_t *l, u64 deadline, u64 caller)
{
	int r;

	if (l->s.writers && l->s.cur_writer == pt_self_id())
		return deadline == ~0ULL ? EBUSY : EDEADLK;
	while (l->s.writers) {
		if (deadline == ~0ULL)
			return EBUSY;
		r = sched_block("rwlock", l, l->s.cur_writer, deadline, false, caller);
		if (r)
			return r;
	}
	l->s.readers++;
	return 0;
}

static int
rw_write(pthread_rwlock_t *l, u64 deadline, u64 caller)
{
	int r;

	if (l->s.writers && l->s.cur_writer == pt_self_id())
		return deadline == ~0ULL ? EBUSY : EDEADLK;
	while (l->s.writers || l->s.readers) {
		if (deadline == ~0ULL)
			return EBUSY;
		r = sched_block("rwlock", l, l->s.writers ? l->s.cur_writer : 0, deadline, false,
				caller);
		if (r)
			return r;
	}
	l->s.writers = 1;
	l->s.cur_writer = pt_self_id();
	return 0;
}

static u64
rw_deadline(const struct timespec *t)
{
	return t->tv_nsec < 0 || t->tv_nsec >= 1000000000 ? 0 : pt_deadline(0, t);
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l);
int pthread_rwlock_rdlock(pthread_rwlock_t *l) { return rw_read(l, 0, (u64)CALLER); }
EXPORT(pthread_rwlock_rdlock, PTHREAD);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *l);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *l) { return rw_read(l, ~0ULL, (u64)CALLER); }
EXPORT(pthread_rwlock_tryrdlock, PTHREAD);
int pthread_rwlock_wrlock(pthread_rwlock_t *l);
int pthread_rwlock_wrlock(pthread_rwlock_t *l) { return rw_write(l, 0, (u64)CALLER); }
EXPORT(pthread_rwlock_wrlock, PTHREAD);
int pthread_rwlock_trywrlock(pthread_rwlock_t *l);
int pthread_rwlock_trywrlock(pthread_rwlock_t *l) { return rw_write(l, ~0ULL, (u64)CALLER); }
EXPORT(pthread_rwlock_trywrlock, PTHREAD);

int pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const struct timespec *t);
int
pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const struct timespec *t)
{
	u64 d = rw_deadline(t);

	return d ? rw_read(l, d, (u64)CALLER) : EINVAL;
}
EXPORT(pthread_rwlock_timedrdlock, PTHREAD);

int pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const struct timespec *t);
int
pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const struct timespec *t)
{
	u64 d = rw_deadline(t);

	return d ? rw_write(l, d, (u64)CALLER) : EINVAL;
}
EXPORT(pthread_rwlock_timedwrlock, PTHREAD);

int pthread_rwlock_unlock(pthread_rwlock_t *l);
int
pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	if (l->s.writers) {
		l->s.writers = 0;
		l->s.cur_writer = 0;
	} else if (l->s.readers) {
		l->s.readers--;
	} else {
		return EPERM;
	}
	sched_wake_all(l);
	return 0;
}
EXPORT(pthread_rwlock_unlock, PTHREAD);

int pthread_spin_init(pthread_spinlock_t *l, int shared);
int pthread_spin_init(pthread_spinlock_t *l, int shared) { *l = 0; return 0; }
EXPORT(pthread_spin_init, PTHREAD);
int pthread_spin_destroy(pthread_spinlock_t *l);
int pthread_spin_destroy(pthread_spinlock_t *l) { return 0; }
EXPORT(pthread_spin_destroy, PTHREAD);

int pthread_spin_trylock(pthread_spinlock_t *l);
int
pthread_spin_trylock(pthread_spinlock_t *l)
{
	return __atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}
EXPORT(pthread_spin_trylock, PTHREAD);

/* One CPU: spinning could never let the holder run, so a busy spinlock
 * yields; a thread that spins on its own lock is stopped by the watchdog,
 * where glibc would spin for ever. */
int pthread_spin_lock(pthread_spinlock_t *l);
int
pthread_spin_lock(pthread_spinlock_t *l)
{
	while (pthread_spin_trylock(l))
		sched_yield_cpu();
	return 0;
}
EXPORT(pthread_spin_lock, PTHREAD);

int pthread_spin_unlock(pthread_spinlock_t *l);
int
pthread_spin_unlock(pthread_spinlock_t *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
	return 0;
}
EXPORT(pthread_spin_unlock, PTHREAD);
