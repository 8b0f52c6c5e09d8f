/* pthread with glibc's ABI for blobs that run single-threaded: mutexes
 * (normal, recursive, errorcheck; static initialisers work because the
 * kind sits at offset 16 as in glibc), once, keys, self/equal, rwlocks and
 * spinlocks.  Nothing here can wait for a second thread: what would block
 * forever returns an error code instead (EDEADLK for a relocked normal
 * mutex or a condition wait, EAGAIN from pthread_create). */
#include "libc.h"
#include "pthread.h"
#include <core/console.h>
#include <core/time.h>

#define SELF_ID 1		/* the one thread's id in mutex owner fields */
static const int self_object;	/* pthread_self() points here */

static int
kind_of(const pthread_mutex_t *m)
{
	return m->s.kind & 127;	/* glibc's type bits; pshared is 128 */
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

static int
mutex_take(pthread_mutex_t *m, bool try)
{
	int kind = kind_of(m);

	if (kind > PTHREAD_MUTEX_ADAPTIVE_NP)
		return EINVAL;
	if (__atomic_exchange_n(&m->s.lock, 1, __ATOMIC_ACQUIRE) == 0) {
		m->s.owner = SELF_ID;
		m->s.count = 1;
		m->s.nusers++;
		return 0;
	}
	/* Held, and there is no other thread: the holder is us (or a blob
	 * call that was stopped while holding it). */
	if (kind == PTHREAD_MUTEX_RECURSIVE && m->s.owner == SELF_ID) {
		if (m->s.count == ~0u)
			return EAGAIN;
		m->s.count++;
		return 0;
	}
	return try ? EBUSY : EDEADLK;	/* glibc would hang on a normal one */
}

int pthread_mutex_lock(pthread_mutex_t *m);
int
pthread_mutex_lock(pthread_mutex_t *m)
{
	return mutex_take(m, false);
}
EXPORT(pthread_mutex_lock, PTHREAD);

int pthread_mutex_trylock(pthread_mutex_t *m);
int
pthread_mutex_trylock(pthread_mutex_t *m)
{
	return mutex_take(m, true);
}
EXPORT(pthread_mutex_trylock, PTHREAD);

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *t);
int
pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *t)
{
	int r = mutex_take(m, true);

	return r == EBUSY ? ETIMEDOUT : r;
}
EXPORT(pthread_mutex_timedlock, PTHREAD);

int pthread_mutex_unlock(pthread_mutex_t *m);
int
pthread_mutex_unlock(pthread_mutex_t *m)
{
	int kind = kind_of(m);

	if (kind > PTHREAD_MUTEX_ADAPTIVE_NP)
		return EINVAL;
	if (kind == PTHREAD_MUTEX_RECURSIVE || kind == PTHREAD_MUTEX_ERRORCHECK) {
		if (!m->s.lock || m->s.owner != SELF_ID)
			return EPERM;
		if (kind == PTHREAD_MUTEX_RECURSIVE && --m->s.count)
			return 0;
	}
	/* normal/adaptive: no ownership check, and nusers drops on every
	 * unlock, exactly as in glibc (destroy's EBUSY test reads it) */
	m->s.nusers--;
	m->s.owner = 0;
	m->s.count = 0;
	__atomic_store_n(&m->s.lock, 0, __ATOMIC_RELEASE);
	return 0;
}
EXPORT(pthread_mutex_unlock, PTHREAD);

/* once: 0 initial, 1 running, 2 done. */
int pthread_once(pthread_once_t *once, void (*fn)(void));
int
pthread_once(pthread_once_t *once, void (*fn)(void))
{
	int expect = 0;

	if (__atomic_load_n(once, __ATOMIC_ACQUIRE) == 2)
		return 0;
	if (!__atomic_compare_exchange_n(once, &expect, 1, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return 0;	/* running: fn called pthread_once on itself */
	fn();
	__atomic_store_n(once, 2, __ATOMIC_RELEASE);
	return 0;
}
EXPORT(pthread_once, PTHREAD);

/* Keys: one thread, so one value per key. */
static struct {
	bool used;
	void (*destructor)(void *);
	void *value;
} keys[PTHREAD_KEYS_MAX];

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int
pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	for (unsigned i = 0; i < PTHREAD_KEYS_MAX; i++) {
		if (!keys[i].used) {
			keys[i].used = true;
			keys[i].destructor = destructor;
			keys[i].value = NULL;
			*key = i;
			return 0;
		}
	}
	return EAGAIN;
}
EXPORT(pthread_key_create, PTHREAD);

int pthread_key_delete(pthread_key_t key);
int
pthread_key_delete(pthread_key_t key)
{
	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	keys[key].used = false;
	keys[key].value = NULL;
	return 0;
}
EXPORT(pthread_key_delete, PTHREAD);

void *pthread_getspecific(pthread_key_t key);
void *
pthread_getspecific(pthread_key_t key)
{
	return key < PTHREAD_KEYS_MAX && keys[key].used ? keys[key].value : NULL;
}
EXPORT(pthread_getspecific, PTHREAD);

int pthread_setspecific(pthread_key_t key, const void *value);
int
pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	keys[key].value = (void *)value;
	return 0;
}
EXPORT(pthread_setspecific, PTHREAD);

pthread_t pthread_self(void);
pthread_t
pthread_self(void)
{
	return (pthread_t)&self_object;
}
EXPORT(pthread_self, PTHREAD);

int pthread_equal(pthread_t a, pthread_t b);
int
pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}
EXPORT(pthread_equal, PTHREAD);

/* --- what needs a second thread --------------------------------------- */

int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int
pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	kprintf("pthread_create: blobs run single-threaded here; returning EAGAIN (called from %p)\n",
		CALLER);
	return EAGAIN;
}
EXPORT(pthread_create, PTHREAD);

int pthread_join(pthread_t t, void **ret);
int
pthread_join(pthread_t t, void **ret)
{
	return t == pthread_self() ? EDEADLK : ESRCH;
}
EXPORT(pthread_join, PTHREAD);

int pthread_detach(pthread_t t);
int
pthread_detach(pthread_t t)
{
	return t == pthread_self() ? 0 : ESRCH;
}
EXPORT(pthread_detach, PTHREAD);

int pthread_attr_init(pthread_attr_t *a);
int
pthread_attr_init(pthread_attr_t *a)
{
	memset(a, 0, sizeof(*a));
	return 0;
}
EXPORT(pthread_attr_init, PTHREAD);

int pthread_attr_destroy(pthread_attr_t *a);
int
pthread_attr_destroy(pthread_attr_t *a)
{
	return 0;
}
EXPORT(pthread_attr_destroy, PTHREAD);

int pthread_attr_setdetachstate(pthread_attr_t *a, int state);
int
pthread_attr_setdetachstate(pthread_attr_t *a, int state)
{
	return state == 0 || state == 1 ? 0 : EINVAL;
}
EXPORT(pthread_attr_setdetachstate, PTHREAD);

int pthread_attr_setstacksize(pthread_attr_t *a, size_t size);
int
pthread_attr_setstacksize(pthread_attr_t *a, size_t size)
{
	return size < 16384 ? EINVAL : 0;
}
EXPORT(pthread_attr_setstacksize, PTHREAD);

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a);
int
pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
	int clock = a ? a->align >> 1 : 0;

	memset(c, 0, sizeof(*c));
	memcpy(c->size, &clock, sizeof(clock));	/* for timedwait's deadline */
	return 0;
}
EXPORT(pthread_cond_init, PTHREAD);

int pthread_cond_destroy(pthread_cond_t *c);
int
pthread_cond_destroy(pthread_cond_t *c)
{
	return 0;
}
EXPORT(pthread_cond_destroy, PTHREAD);

/* Nobody waits, so waking nobody is complete and correct. */
int pthread_cond_signal(pthread_cond_t *c);
int
pthread_cond_signal(pthread_cond_t *c)
{
	return 0;
}
EXPORT(pthread_cond_signal, PTHREAD);

int pthread_cond_broadcast(pthread_cond_t *c);
int
pthread_cond_broadcast(pthread_cond_t *c)
{
	return 0;
}
EXPORT(pthread_cond_broadcast, PTHREAD);

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int
pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	kprintf("pthread_cond_wait: no other thread could ever signal; returning EDEADLK (called from %p)\n",
		CALLER);
	return EDEADLK;
}
EXPORT(pthread_cond_wait, PTHREAD);

/* condattr: 4 bytes; glibc keeps the clock in bits 1.. and pshared in
 * bit 0, which only pthread_condattr_getclock reads back. */
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

/* A timed wait with nobody to signal is a sleep until the deadline. */
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t);
int
pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t)
{
	struct timespec now;
	int clock;
	s64 ns;

	if (t->tv_nsec < 0 || t->tv_nsec >= 1000000000)
		return EINVAL;
	memcpy(&clock, c->size, sizeof(clock));
	clock_gettime(clock == 1 ? 1 : 0, &now);
	ns = (t->tv_sec - now.tv_sec) * 1000000000LL + (t->tv_nsec - now.tv_nsec);
	if (ns > 0)
		time_delay_ns(ns);
	return ETIMEDOUT;
}
EXPORT(pthread_cond_timedwait, PTHREAD);

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
rw_read(pthread_rwlock_t *l, bool try)
{
	if (l->s.writers)
		return try ? EBUSY : EDEADLK;
	l->s.readers++;
	return 0;
}

static int
rw_write(pthread_rwlock_t *l, bool try)
{
	if (l->s.writers || l->s.readers)
		return try ? EBUSY : EDEADLK;
	l->s.writers = 1;
	return 0;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l);
int pthread_rwlock_rdlock(pthread_rwlock_t *l) { return rw_read(l, false); }
EXPORT(pthread_rwlock_rdlock, PTHREAD);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *l);
int pthread_rwlock_tryrdlock(pthread_rwlock_t *l) { return rw_read(l, true); }
EXPORT(pthread_rwlock_tryrdlock, PTHREAD);
int pthread_rwlock_wrlock(pthread_rwlock_t *l);
int pthread_rwlock_wrlock(pthread_rwlock_t *l) { return rw_write(l, false); }
EXPORT(pthread_rwlock_wrlock, PTHREAD);
int pthread_rwlock_trywrlock(pthread_rwlock_t *l);
int pthread_rwlock_trywrlock(pthread_rwlock_t *l) { return rw_write(l, true); }
EXPORT(pthread_rwlock_trywrlock, PTHREAD);

int pthread_rwlock_unlock(pthread_rwlock_t *l);
int
pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	if (l->s.writers)
		l->s.writers = 0;
	else if (l->s.readers)
		l->s.readers--;
	else
		return EPERM;
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

int pthread_spin_lock(pthread_spinlock_t *l);
int
pthread_spin_lock(pthread_spinlock_t *l)
{
	return pthread_spin_trylock(l) ? EDEADLK : 0;	/* the holder is us */
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
