/* Thread figures measured inside the program itself (clock_gettime around
 * the loop), so the same object gives blobvisor's figure as a blob and
 * glibc's when linked natively (bench/threads.c).  thr_bench(what, n)
 * returns nanoseconds per operation:
 *   1  switch: two threads each calling sched_yield n times (per yield)
 *   2  condition signal to wakeup: two threads hand a token back and forth
 *      through a mutex and two conditions (per handoff)
 *   3  pthread_create + pthread_join of a thread that returns at once */
#include <pthread.h>
#include <sched.h>
#include <time.h>

static long
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

static int rounds;

static void *
yielder(void *arg)
{
	for (int i = 0; i < rounds; i++)
		sched_yield();
	return NULL;
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t to_a = PTHREAD_COND_INITIALIZER, to_b = PTHREAD_COND_INITIALIZER;
static int turn;

static void *
ponger(void *arg)
{
	pthread_mutex_lock(&m);
	for (int i = 0; i < rounds; i++) {
		while (turn != 1)
			pthread_cond_wait(&to_b, &m);
		turn = 0;
		pthread_cond_signal(&to_a);
	}
	pthread_mutex_unlock(&m);
	return NULL;
}

static void *
nothing(void *arg)
{
	return arg;
}

long thr_bench(int what, int n);
long
thr_bench(int what, int n)
{
	pthread_t a, b;
	long t0, t1;

	rounds = n;
	t0 = now_ns();
	switch (what) {
	case 1:
		pthread_create(&a, NULL, yielder, NULL);
		pthread_create(&b, NULL, yielder, NULL);
		pthread_join(a, NULL);
		pthread_join(b, NULL);
		t1 = now_ns();
		return (t1 - t0) / (2L * n);
	case 2:
		turn = 0;
		pthread_create(&a, NULL, ponger, NULL);
		pthread_mutex_lock(&m);
		for (int i = 0; i < n; i++) {
			turn = 1;
			pthread_cond_signal(&to_b);
			while (turn != 0)
				pthread_cond_wait(&to_a, &m);
		}
		pthread_mutex_unlock(&m);
		pthread_join(a, NULL);
		t1 = now_ns();
		return (t1 - t0) / (2L * n);
	case 3:
		for (int i = 0; i < n; i++) {
			pthread_create(&a, NULL, nothing, NULL);
			pthread_join(a, NULL);
		}
		t1 = now_ns();
		return (t1 - t0) / n;
	}
	return -1;
}
