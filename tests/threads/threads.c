/* Blob threads test program, built like a vendor object (-fPIC, stack
 * protector, glibc's headers).  thr_run(N) runs case N and prints only
 * what does not depend on timing or interleaving, so the same object
 * prints the same lines natively on glibc (tests/threads/native.c) and in
 * blobvisor (tests/e2e/threads.sh).  Cases 100.. stop a thread on purpose
 * (deadlock, spin, fault) and run in blobvisor only. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond) printf("%s: %s\n", #cond, (cond) ? "yes" : "NO")

static struct timespec
in_ms(clockid_t clk, long ms)
{
	struct timespec t;

	clock_gettime(clk, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

static long
ms_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

/* 1: producer/consumer over a 4-slot ring with two conditions */
#define RING 4
static int ring[RING], head, tail, fill;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;

static void *
producer(void *arg)
{
	int base = (int)(long)arg;

	for (int i = 1; i <= 200; i++) {
		pthread_mutex_lock(&lock);
		while (fill == RING)
			pthread_cond_wait(&not_full, &lock);
		ring[head] = base + i;
		head = (head + 1) % RING;
		fill++;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *
consumer(void *arg)
{
	long sum = 0;

	for (int i = 0; i < 400; i++) {
		pthread_mutex_lock(&lock);
		while (fill == 0)
			pthread_cond_wait(&not_empty, &lock);
		sum += ring[tail];
		tail = (tail + 1) % RING;
		fill--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&lock);
	}
	return (void *)sum;
}

static void
case_prodcons(void)
{
	pthread_t p1, p2, c;
	void *sum;
	pthread_cond_t cv;
	pthread_condattr_t ca;
	struct timespec t0, dl;
	int clk = -1;

	pthread_create(&c, NULL, consumer, NULL);
	pthread_create(&p1, NULL, producer, (void *)0L);
	pthread_create(&p2, NULL, producer, (void *)1000L);
	pthread_join(p1, NULL);
	pthread_join(p2, NULL);
	pthread_join(c, &sum);
	printf("prodcons: sum %ld (expect %d)\n", (long)sum, 2 * 20100 + 200 * 1000);

	/* timed waits nobody signals, on each clock */
	pthread_condattr_init(&ca);
	printf("setclock(MONOTONIC) = %d\n", pthread_condattr_setclock(&ca, CLOCK_MONOTONIC));
	printf("setclock(PROCESS_CPUTIME) = %d\n",
	       pthread_condattr_setclock(&ca, CLOCK_PROCESS_CPUTIME_ID));
	pthread_condattr_getclock(&ca, &clk);
	printf("getclock = %d\n", clk);
	pthread_cond_init(&cv, &ca);
	pthread_mutex_lock(&lock);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dl = in_ms(CLOCK_MONOTONIC, 50);
	printf("timedwait MONOTONIC 50 ms = %s\n",
	       pthread_cond_timedwait(&cv, &lock, &dl) == ETIMEDOUT ? "ETIMEDOUT" : "?");
	CHECK(ms_since(&t0) >= 49);
	pthread_cond_destroy(&cv);
	pthread_cond_init(&cv, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dl = in_ms(CLOCK_REALTIME, 30);
	printf("timedwait REALTIME 30 ms = %s\n",
	       pthread_cond_timedwait(&cv, &lock, &dl) == ETIMEDOUT ? "ETIMEDOUT" : "?");
	CHECK(ms_since(&t0) >= 29);
	dl.tv_nsec = 1000000000L;
	printf("timedwait bad nsec = %d (EINVAL %d)\n", pthread_cond_timedwait(&cv, &lock, &dl), EINVAL);
	pthread_mutex_unlock(&lock);
}

/* 2: barriers */
static pthread_barrier_t bar;
static int arrived[3], serial[3], seen_all[3];

static void *
barrier_worker(void *arg)
{
	for (int r = 0; r < 3; r++) {
		__atomic_add_fetch(&arrived[r], 1, __ATOMIC_SEQ_CST);
		if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_add_fetch(&serial[r], 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&arrived[r], __ATOMIC_SEQ_CST) == 4)
			__atomic_add_fetch(&seen_all[r], 1, __ATOMIC_SEQ_CST);
		pthread_barrier_wait(&bar);
	}
	return NULL;
}

static void
case_barrier(void)
{
	pthread_t t[4];

	printf("barrier_init(0) = %d (EINVAL %d)\n", pthread_barrier_init(&bar, NULL, 0), EINVAL);
	pthread_barrier_init(&bar, NULL, 4);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, barrier_worker, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int r = 0; r < 3; r++)
		printf("round %d: serial %d, saw all four %d\n", r, serial[r], seen_all[r]);
	pthread_barrier_destroy(&bar);
}

/* 3: rwlocks */
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int shared_val, readers_in, overlap_bad;

static void *
rw_reader(void *arg)
{
	for (int i = 0; i < 50; i++) {
		pthread_rwlock_rdlock(&rw);
		__atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
		if (shared_val % 2)
			overlap_bad++;
		sched_yield();
		__atomic_sub_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
		pthread_rwlock_unlock(&rw);
	}
	return NULL;
}

static void *
rw_writer(void *arg)
{
	for (int i = 0; i < 50; i++) {
		pthread_rwlock_wrlock(&rw);
		if (__atomic_load_n(&readers_in, __ATOMIC_SEQ_CST))
			overlap_bad++;
		shared_val++;	/* odd while held */
		sched_yield();
		shared_val++;
		pthread_rwlock_unlock(&rw);
	}
	return NULL;
}

static void *
rw_try(void *arg)
{
	return (void *)(long)pthread_rwlock_trywrlock(&rw);
}

static void
case_rwlock(void)
{
	pthread_t t[5];
	void *r;
	struct timespec dl;

	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, rw_reader, NULL);
	for (int i = 3; i < 5; i++)
		pthread_create(&t[i], NULL, rw_writer, NULL);
	for (int i = 0; i < 5; i++)
		pthread_join(t[i], NULL);
	printf("rwlock: value %d, overlaps %d\n", shared_val, overlap_bad);
	pthread_rwlock_rdlock(&rw);
	pthread_create(&t[0], NULL, rw_try, NULL);
	pthread_join(t[0], &r);
	printf("trywrlock while read-held = %ld (EBUSY %d)\n", (long)r, EBUSY);
	printf("second rdlock = %d\n", pthread_rwlock_rdlock(&rw));
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_wrlock(&rw);
	printf("wrlock again by owner = %d (EDEADLK %d)\n", pthread_rwlock_wrlock(&rw), EDEADLK);
	dl = in_ms(CLOCK_REALTIME, 20);
	printf("timedrdlock while write-held = %d (EDEADLK %d)\n", pthread_rwlock_timedrdlock(&rw, &dl),
	       EDEADLK);
	pthread_rwlock_unlock(&rw);
	printf("unlock unheld = %d\n", pthread_rwlock_trywrlock(&rw) == 0 && pthread_rwlock_unlock(&rw) == 0);
}

/* 4: semaphores */
static sem_t sem;

static void *
poster(void *arg)
{
	for (int i = 0; i < 10; i++) {
		sem_post(&sem);
		if (i % 3 == 0)
			usleep(1000);
	}
	return NULL;
}

static void
case_sem(void)
{
	pthread_t t[3];
	struct timespec dl;
	int v = -1, r, got = 0;

	r = sem_init(&sem, 0, 0x80000000u);
	printf("sem_init too big = %d errno %s\n", r, errno == EINVAL ? "EINVAL" : "?");
	sem_init(&sem, 0, 0);
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, poster, NULL);
	for (int i = 0; i < 30; i++)
		got += sem_wait(&sem) == 0;
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	sem_getvalue(&sem, &v);
	printf("sem: took %d, value %d\n", got, v);
	errno = 0;
	r = sem_trywait(&sem);
	printf("trywait empty = %d errno %s\n", r, errno == EAGAIN ? "EAGAIN" : "?");
	dl = in_ms(CLOCK_REALTIME, 20);
	r = sem_timedwait(&sem, &dl);
	printf("timedwait empty = %d errno %s\n", r, errno == ETIMEDOUT ? "ETIMEDOUT" : "?");
	sem_post(&sem);
	dl = in_ms(CLOCK_REALTIME, 20);
	printf("timedwait posted = %d\n", sem_timedwait(&sem, &dl));
	sem_destroy(&sem);
}

/* 5: keys with destructors, __thread, errno, the TCB */
static pthread_key_t key;
static int destroyed, destroyed_sum;
static __thread int tls_counter = 5;
static __thread char tls_buf[64];

static void
key_dtor(void *v)
{
	__atomic_add_fetch(&destroyed, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&destroyed_sum, *(int *)v, __ATOMIC_SEQ_CST);
	free(v);
}

static unsigned long
read_fs(unsigned off)
{
	unsigned long v;

	if (off == 0x28)
		__asm__ volatile("movq %%fs:0x28, %0" : "=r"(v));
	else
		__asm__ volatile("movq %%fs:0x10, %0" : "=r"(v));
	return v;
}

struct tcb_probe {
	unsigned long canary, self, pthread_self;
	int errno_after, tls_after, tls_start;
	char buf0;
};

static void *
key_worker(void *arg)
{
	int *v = malloc(sizeof(int));
	struct tcb_probe *p = arg;

	*v = 10;
	pthread_setspecific(key, v);
	p->tls_start = tls_counter;
	for (int i = 0; i < 1000; i++) {
		tls_counter++;
		sched_yield();
	}
	p->buf0 = tls_buf[0];
	strcpy(tls_buf, "thread");
	errno = EINTR;
	sched_yield();
	p->errno_after = errno;
	p->tls_after = tls_counter;
	p->canary = read_fs(0x28);
	p->self = read_fs(0x10);
	p->pthread_self = (unsigned long)pthread_self();
	return NULL;
}

static void
case_keys(void)
{
	pthread_t t[3];
	struct tcb_probe p[3];
	int *mine = malloc(sizeof(int));

	printf("key_create = %d\n", pthread_key_create(&key, key_dtor));
	*mine = 1;
	pthread_setspecific(key, mine);
	strcpy(tls_buf, "main");
	errno = 0;
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, key_worker, &p[i]);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("destructors ran %d, sum %d\n", destroyed, destroyed_sum);
	printf("main's value kept: %d\n", pthread_getspecific(key) == mine);
	for (int i = 0; i < 3; i++) {
		printf("thread %d: tls start %d end %d, buf empty %d, errno %s\n", i, p[i].tls_start,
		       p[i].tls_after, p[i].buf0 == 0, p[i].errno_after == EINTR ? "EINTR" : "?");
		printf("thread %d: canary as main's %d, %%fs:0x10 == pthread_self %d, distinct %d\n", i,
		       p[i].canary == read_fs(0x28), p[i].self == p[i].pthread_self,
		       p[i].self != read_fs(0x10));
	}
	printf("main: tls %d buf %s errno %d\n", tls_counter, tls_buf, errno);
	printf("key_delete = %d\n", pthread_key_delete(key));
	printf("key_delete again = %d\n", pthread_key_delete(key));
	free(mine);
}

/* 6: cancellation inside a condition wait runs the cleanup handlers */
static pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cc = PTHREAD_COND_INITIALIZER;
static int cleanups, waiting;

static void
unlock_cleanup(void *m)
{
	cleanups++;
	pthread_mutex_unlock(m);
}

static void
count_cleanup(void *arg)
{
	cleanups += 10;
}

static void *
cancel_waiter(void *arg)
{
	pthread_cleanup_push(count_cleanup, NULL);
	pthread_mutex_lock(&cm);
	pthread_cleanup_push(unlock_cleanup, &cm);
	waiting = 1;
	for (;;)
		pthread_cond_wait(&cc, &cm);
	pthread_cleanup_pop(1);
	pthread_cleanup_pop(1);
	return NULL;
}

static void *
cancel_disabled(void *arg)
{
	int old;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	usleep(20000);		/* not acted on while disabled */
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
	pthread_testcancel();
	return (void *)1L;
}

static void
case_cancel(void)
{
	pthread_t t;
	void *r;

	pthread_create(&t, NULL, cancel_waiter, NULL);
	while (!waiting)
		usleep(1000);
	pthread_mutex_lock(&cm);	/* the waiter released it in the wait */
	pthread_mutex_unlock(&cm);
	printf("cancel = %d\n", pthread_cancel(t));
	printf("join = %d\n", pthread_join(t, &r));
	printf("canceled %d\n", r == PTHREAD_CANCELED);
	printf("cleanups %d (unlock 1 + count 10)\n", cleanups);
	printf("mutex free after: %d\n", pthread_mutex_trylock(&cm) == 0);
	pthread_mutex_unlock(&cm);
	pthread_create(&t, NULL, cancel_disabled, NULL);
	usleep(5000);
	pthread_cancel(t);
	pthread_join(t, &r);
	printf("disabled then testcancel: canceled %d\n", r == PTHREAD_CANCELED);
}

/* 7: mutex kinds, trylock, timedlock, once */
static pthread_mutex_t km;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_calls;

static void
once_fn(void)
{
	once_calls++;
	usleep(2000);
}

static void *
once_worker(void *arg)
{
	pthread_once(&once, once_fn);
	return NULL;
}

static void *
other_locker(void *arg)
{
	struct timespec dl = in_ms(CLOCK_REALTIME, 20);
	long r = pthread_mutex_trylock(&km) * 1000;

	r += pthread_mutex_timedlock(&km, &dl) * 100;
	r += pthread_mutex_unlock(&km);
	return (void *)r;
}

static void
case_mutex(void)
{
	pthread_mutexattr_t a;
	pthread_t t[3];
	void *r;
	pthread_mutex_t rec = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&km, &a);
	pthread_mutex_lock(&km);
	printf("errorcheck relock = %d (EDEADLK %d)\n", pthread_mutex_lock(&km), EDEADLK);
	pthread_create(&t[0], NULL, other_locker, NULL);
	pthread_join(t[0], &r);
	printf("other thread: trylock*1000 + timedlock*100 + unlock = %ld (EBUSY %d ETIMEDOUT %d EPERM %d)\n",
	       (long)r, EBUSY, ETIMEDOUT, EPERM);
	pthread_mutex_unlock(&km);
	printf("unlock unheld errorcheck = %d\n", pthread_mutex_unlock(&km));
	printf("recursive lock %d", pthread_mutex_lock(&rec));
	printf(" %d", pthread_mutex_lock(&rec));
	printf(" unlock %d", pthread_mutex_unlock(&rec));
	printf(" %d", pthread_mutex_unlock(&rec));
	printf(" %d\n", pthread_mutex_unlock(&rec));
	printf("settype(99) = %d\n", pthread_mutexattr_settype(&a, 99));
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, once_worker, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("once ran %d\n", once_calls);
}

/* 8: names, attributes, detach, join errors, sleeps */
static int detached_ran;
static sem_t detached_done;

static void *
detached_fn(void *arg)
{
	detached_ran = 1;
	sem_post(&detached_done);
	return NULL;
}

static void *
big_stack(void *arg)
{
	volatile char buf[40000];

	memset((char *)buf, 1, sizeof(buf));
	return (void *)(long)buf[39999];
}

static void *
sleeper(void *arg)
{
	struct timespec ts = { 0, 20000000 }, abs;

	nanosleep(&ts, NULL);
	usleep(10000);
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 10000000;
	if (abs.tv_nsec >= 1000000000L) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000L;
	}
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	return (void *)7L;
}

static void
case_misc(void)
{
	pthread_t t;
	pthread_attr_t a;
	char name[16];
	void *r;
	size_t ss = 0;
	int ds = -1;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&t, NULL, sleeper, NULL);
	printf("setname = %d\n", pthread_setname_np(t, "worker"));
	printf("setname 16 chars = %d (ERANGE %d)\n", pthread_setname_np(t, "0123456789abcdef"), ERANGE);
	pthread_getname_np(t, name, sizeof(name));
	printf("getname = %s, small buffer = %d\n", name, pthread_getname_np(t, name, 4));
	pthread_join(t, &r);
	printf("sleeper returned %ld\n", (long)r);
	CHECK(ms_since(&t0) >= 39);
	printf("join self = %d (EDEADLK %d)\n", pthread_join(pthread_self(), NULL), EDEADLK);
	printf("equal self = %d\n", pthread_equal(pthread_self(), pthread_self()));

	pthread_attr_init(&a);
	printf("setstacksize(1000) = %d\n", pthread_attr_setstacksize(&a, 1000));
	pthread_attr_setstacksize(&a, 65536);
	pthread_attr_getstacksize(&a, &ss);
	printf("stacksize %zu\n", ss);
	pthread_create(&t, &a, big_stack, NULL);
	pthread_join(t, &r);
	printf("big stack thread returned %ld\n", (long)r);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_attr_getdetachstate(&a, &ds);
	printf("detachstate %d\n", ds);
	sem_init(&detached_done, 0, 0);
	pthread_create(&t, &a, detached_fn, NULL);
	sem_wait(&detached_done);
	printf("detached ran %d\n", detached_ran);
	pthread_attr_destroy(&a);
}

/* --- blobvisor only --------------------------------------------------- */

static pthread_mutex_t da = PTHREAD_MUTEX_INITIALIZER, db = PTHREAD_MUTEX_INITIALIZER;

static void *
dead_worker(void *arg)
{
	pthread_mutex_lock(&db);
	pthread_mutex_lock(&da);	/* held by the main thread */
	pthread_mutex_unlock(&da);
	pthread_mutex_unlock(&db);
	return (void *)3L;
}

static void
case_deadlock(void)
{
	pthread_t t;
	void *r;

	pthread_mutex_lock(&da);
	pthread_create(&t, NULL, dead_worker, NULL);
	usleep(10000);
	printf("lock b = %d (EDEADLK %d)\n", pthread_mutex_lock(&db), EDEADLK);
	pthread_mutex_unlock(&da);
	pthread_join(t, &r);
	printf("worker finished with %ld\n", (long)r);
}

static volatile int spin_forever = 1;

static void *
spinner(void *arg)
{
	while (spin_forever)
		;
	return NULL;
}

static void *
faulter(void *arg)
{
	usleep(1000);
	return (void *)(long)*(volatile int *)arg;
}

static void
case_stop(int spin)
{
	pthread_t t;
	void *r;

	pthread_create(&t, NULL, spin ? spinner : faulter, NULL);
	printf("join = %d\n", pthread_join(t, &r));
	printf("canceled %d\n", r == PTHREAD_CANCELED);
	printf("main thread goes on\n");
}

/* Threads that outlive the command: a detached ticker. */
static volatile int ticks;

static void *
ticker(void *arg)
{
	pthread_setname_np(pthread_self(), "ticker");
	for (int i = 0; i < 10; i++) {
		usleep(10000);
		ticks++;
	}
	return NULL;
}

int thr_ticks(void);
int
thr_ticks(void)
{
	return ticks;
}

int thr_run(int which);
int
thr_run(int which)
{
	pthread_t t;

	switch (which) {
	case 1: case_prodcons(); break;
	case 2: case_barrier(); break;
	case 3: case_rwlock(); break;
	case 4: case_sem(); break;
	case 5: case_keys(); break;
	case 6: case_cancel(); break;
	case 7: case_mutex(); break;
	case 8: case_misc(); break;
	case 100: case_deadlock(); break;
	case 101: case_stop(1); break;
	case 102: case_stop(0); break;
	case 103:
		pthread_create(&t, NULL, ticker, NULL);
		pthread_detach(t);
		break;
	default: return -1;
	}
	fflush(stdout);
	return 0;
}
