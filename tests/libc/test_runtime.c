/* pthread (ABI against glibc's <pthread.h>, behaviour against glibc),
 * fortify, stack protector, assert, abort, errno, stdio/file I/O on the
 * console, time. */
#include "bv.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit/host_plat.h"

/* Our pthread types, renamed so they sit next to glibc's. */
#define pthread_t bv_pthread_t
#define pthread_mutex_t bv_pthread_mutex_t
#define pthread_mutexattr_t bv_pthread_mutexattr_t
#define pthread_attr_t bv_pthread_attr_t
#define pthread_cond_t bv_pthread_cond_t
#define pthread_condattr_t bv_pthread_condattr_t
#define pthread_rwlock_t bv_pthread_rwlock_t
#define pthread_rwlockattr_t bv_pthread_rwlockattr_t
#define pthread_once_t bv_pthread_once_t
#define pthread_key_t bv_pthread_key_t
#define pthread_spinlock_t bv_pthread_spinlock_t
#define pthread_barrier_t bv_pthread_barrier_t
#define pthread_barrierattr_t bv_pthread_barrierattr_t
#define sem_t bv_sem_t
#define PTHREAD_MUTEX_NORMAL BV_PTHREAD_MUTEX_NORMAL
#define PTHREAD_MUTEX_RECURSIVE BV_PTHREAD_MUTEX_RECURSIVE
#define PTHREAD_MUTEX_ERRORCHECK BV_PTHREAD_MUTEX_ERRORCHECK
#define PTHREAD_MUTEX_ADAPTIVE_NP BV_PTHREAD_MUTEX_ADAPTIVE_NP
#pragma push_macro("PTHREAD_KEYS_MAX")
#undef PTHREAD_CANCELED
#undef PTHREAD_BARRIER_SERIAL_THREAD
#undef PTHREAD_KEYS_MAX
#include "../../libc/pthread.h"
#undef pthread_t
#undef pthread_mutex_t
#undef pthread_mutexattr_t
#undef pthread_attr_t
#undef pthread_cond_t
#undef pthread_condattr_t
#undef pthread_rwlock_t
#undef pthread_rwlockattr_t
#undef pthread_once_t
#undef pthread_key_t
#undef pthread_spinlock_t
#undef pthread_barrier_t
#undef pthread_barrierattr_t
#undef sem_t
#undef PTHREAD_MUTEX_NORMAL
#undef PTHREAD_MUTEX_RECURSIVE
#undef PTHREAD_MUTEX_ERRORCHECK
#undef PTHREAD_MUTEX_ADAPTIVE_NP
#undef PTHREAD_KEYS_MAX
#pragma pop_macro("PTHREAD_KEYS_MAX")

/* Same ABI, so the bv_ functions are declared with glibc's types. */
int bv_pthread_mutex_init(pthread_mutex_t *, const pthread_mutexattr_t *);
int bv_pthread_mutex_destroy(pthread_mutex_t *);
int bv_pthread_mutex_lock(pthread_mutex_t *);
int bv_pthread_mutex_trylock(pthread_mutex_t *);
int bv_pthread_mutex_unlock(pthread_mutex_t *);
int bv_pthread_mutexattr_init(pthread_mutexattr_t *);
int bv_pthread_mutexattr_settype(pthread_mutexattr_t *, int);
int bv_pthread_mutexattr_gettype(const pthread_mutexattr_t *, int *);
int bv_pthread_mutexattr_destroy(pthread_mutexattr_t *);
int bv_pthread_once(pthread_once_t *, void (*)(void));
int bv_pthread_key_create(pthread_key_t *, void (*)(void *));
int bv_pthread_key_delete(pthread_key_t);
void *bv_pthread_getspecific(pthread_key_t);
int bv_pthread_setspecific(pthread_key_t, const void *);
pthread_t bv_pthread_self(void);
int bv_pthread_equal(pthread_t, pthread_t);
int bv_pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
int bv_pthread_attr_init(bv_pthread_attr_t *);
int bv_pthread_attr_setstacksize(bv_pthread_attr_t *, size_t);
int bv_pthread_attr_setdetachstate(bv_pthread_attr_t *, int);
int bv_pthread_cond_wait(pthread_cond_t *, pthread_mutex_t *);
int bv_pthread_cond_signal(pthread_cond_t *);

#define OFF(T, f) __builtin_offsetof(T, f)

static void
test_pthread_abi(void)
{
	pthread_mutex_t gm;

	TAP_CHECK(sizeof(bv_pthread_mutex_t) == sizeof(pthread_mutex_t) && sizeof(pthread_mutex_t) == 40,
		  "pthread_mutex_t is 40 bytes like glibc's");
	TAP_CHECK(OFF(bv_pthread_mutex_t, s.kind) == (size_t)((char *)&gm.__data.__kind - (char *)&gm) &&
		  OFF(bv_pthread_mutex_t, s.kind) == 16 &&
		  OFF(bv_pthread_mutex_t, s.lock) == (size_t)((char *)&gm.__data.__lock - (char *)&gm) &&
		  OFF(bv_pthread_mutex_t, s.count) == (size_t)((char *)&gm.__data.__count - (char *)&gm) &&
		  OFF(bv_pthread_mutex_t, s.owner) == (size_t)((char *)&gm.__data.__owner - (char *)&gm) &&
		  OFF(bv_pthread_mutex_t, s.nusers) == (size_t)((char *)&gm.__data.__nusers - (char *)&gm),
		  "mutex fields (lock, count, owner, nusers, kind at 16) sit where glibc's are");
	TAP_CHECK(sizeof(bv_pthread_mutexattr_t) == sizeof(pthread_mutexattr_t) &&
		  sizeof(bv_pthread_once_t) == sizeof(pthread_once_t) &&
		  sizeof(bv_pthread_key_t) == sizeof(pthread_key_t) && sizeof(pthread_key_t) == 4 &&
		  sizeof(pthread_once_t) == 4 && sizeof(pthread_mutexattr_t) == 4,
		  "mutexattr, once and key are 4 bytes like glibc's");
	TAP_CHECK(sizeof(bv_pthread_attr_t) == sizeof(pthread_attr_t) &&
		  sizeof(bv_pthread_cond_t) == sizeof(pthread_cond_t) &&
		  sizeof(bv_pthread_condattr_t) == sizeof(pthread_condattr_t) &&
		  sizeof(bv_pthread_rwlock_t) == sizeof(pthread_rwlock_t) &&
		  sizeof(bv_pthread_rwlockattr_t) == sizeof(pthread_rwlockattr_t) &&
		  sizeof(bv_pthread_spinlock_t) == sizeof(pthread_spinlock_t) &&
		  sizeof(bv_pthread_t) == sizeof(pthread_t) &&
		  _Alignof(bv_pthread_mutex_t) == _Alignof(pthread_mutex_t) &&
		  _Alignof(bv_pthread_cond_t) == _Alignof(pthread_cond_t),
		  "attr, cond, condattr, rwlock, rwlockattr, spinlock, pthread_t: glibc's sizes and alignment");
	TAP_CHECK((int)BV_PTHREAD_MUTEX_RECURSIVE == (int)PTHREAD_MUTEX_RECURSIVE &&
		  (int)BV_PTHREAD_MUTEX_ERRORCHECK == (int)PTHREAD_MUTEX_ERRORCHECK &&
		  (int)BV_PTHREAD_MUTEX_NORMAL == (int)PTHREAD_MUTEX_NORMAL,
		  "mutex type numbers are glibc's");
}

/* One scripted sequence on a glibc mutex and on ours, same bytes to start. */
static void
mutex_script(const char *what, const pthread_mutex_t *init, bool normal, int *bad)
{
	pthread_mutex_t g = *init, o = *init;
	/* l = lock, t = trylock, u = unlock, d = destroy */
	const char *script = normal ? "ltuuld" : "lltuuuuld";
	char got[32], want[32];
	int n = 0;

	for (const char *c = script; *c; c++, n++) {
		int rg = -1, ro = -1;
		switch (*c) {
		case 'l': rg = pthread_mutex_lock(&g); ro = bv_pthread_mutex_lock(&o); break;
		case 't': rg = pthread_mutex_trylock(&g); ro = bv_pthread_mutex_trylock(&o); break;
		case 'u': rg = pthread_mutex_unlock(&g); ro = bv_pthread_mutex_unlock(&o); break;
		case 'd': rg = pthread_mutex_destroy(&g); ro = bv_pthread_mutex_destroy(&o); break;
		}
		want[n] = '0' + rg % 40, got[n] = '0' + ro % 40;
	}
	want[n] = got[n] = 0;
	if (strcmp(want, got)) {
		(*bad)++;
		printf("# %s: glibc return codes %s, ours %s (script %s)\n", what, want, got, script);
	}
}

static int once_calls;
static void once_fn(void) { once_calls++; }

static void
test_pthread_behaviour(void)
{
	pthread_mutex_t st_normal = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_t st_rec = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
	pthread_mutex_t st_err = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
	pthread_mutex_t m;
	pthread_mutexattr_t a;
	int bad = 0, type = -1;

	mutex_script("PTHREAD_MUTEX_INITIALIZER", &st_normal, true, &bad);
	mutex_script("PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP", &st_rec, false, &bad);
	mutex_script("PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP", &st_err, false, &bad);
	for (int t = 0; t < 3; t++) {
		pthread_mutexattr_init(&a);
		pthread_mutexattr_settype(&a, t);
		pthread_mutex_init(&m, &a);
		mutex_script(t == 0 ? "mutexattr NORMAL" : t == 1 ? "mutexattr RECURSIVE" : "mutexattr ERRORCHECK",
			     &m, t == 0, &bad);
	}
	TAP_CHECK(!bad, "mutex lock/trylock/unlock/destroy return codes match glibc for static initialisers "
		  "and mutexattr types (normal, recursive, errorcheck)");
	bv_pthread_mutexattr_init(&a);
	TAP_CHECK(bv_pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE) == 0 &&
		  bv_pthread_mutexattr_gettype(&a, &type) == 0 && type == PTHREAD_MUTEX_RECURSIVE &&
		  bv_pthread_mutexattr_settype(&a, 99) == EINVAL,
		  "mutexattr settype/gettype; a bad type is EINVAL");
	bv_pthread_mutex_init(&m, &a);
	TAP_CHECK(m.__data.__kind == PTHREAD_MUTEX_RECURSIVE, "mutex_init with a recursive attr stores glibc's kind at offset 16");
	{
		pthread_mutex_t n = PTHREAD_MUTEX_INITIALIZER;
		TAP_CHECK(bv_pthread_mutex_lock(&n) == 0 && bv_pthread_mutex_lock(&n) == EDEADLK,
			  "relocking a normal mutex returns EDEADLK instead of hanging (no second thread exists)");
	}
	{
		pthread_once_t once = PTHREAD_ONCE_INIT;
		bv_pthread_once(&once, once_fn);
		bv_pthread_once(&once, once_fn);
		TAP_CHECK(once_calls == 1, "pthread_once runs the function once");
	}
	{
		pthread_key_t k1, k2;
		int x;
		TAP_CHECK(bv_pthread_key_create(&k1, NULL) == 0 && bv_pthread_key_create(&k2, NULL) == 0 && k1 != k2 &&
			  bv_pthread_getspecific(k1) == NULL && bv_pthread_setspecific(k1, &x) == 0 &&
			  bv_pthread_getspecific(k1) == &x && bv_pthread_getspecific(k2) == NULL &&
			  bv_pthread_key_delete(k1) == 0 && bv_pthread_key_delete(k1) == EINVAL &&
			  bv_pthread_setspecific(k1, &x) == EINVAL,
			  "keys: create, get/setspecific, delete; a deleted key is EINVAL");
	}
	TAP_CHECK(bv_pthread_self() != 0 && bv_pthread_equal(bv_pthread_self(), bv_pthread_self()) &&
		  !bv_pthread_equal(bv_pthread_self(), 0), "pthread_self is stable, pthread_equal compares");
	{
		pthread_t t;
		pthread_cond_t c = PTHREAD_COND_INITIALIZER;
		pthread_mutex_t mm = PTHREAD_MUTEX_INITIALIZER;
		pthread_attr_t ga;
		bv_pthread_attr_t ba;
		size_t gss, bss;

		(void)t;
		TAP_CHECK(sizeof(bv_pthread_barrier_t) == sizeof(pthread_barrier_t) &&
			  sizeof(bv_pthread_barrierattr_t) == sizeof(pthread_barrierattr_t) &&
			  sizeof(bv_sem_t) == sizeof(sem_t), "barrier, barrierattr and sem_t sizes are glibc's");
		pthread_attr_init(&ga);
		bv_pthread_attr_init(&ba);
		pthread_attr_setstacksize(&ga, 65536);
		bv_pthread_attr_setstacksize(&ba, 65536);
		pthread_attr_setdetachstate(&ga, PTHREAD_CREATE_DETACHED);
		bv_pthread_attr_setdetachstate(&ba, PTHREAD_CREATE_DETACHED);
		memcpy(&gss, (char *)&ga + 32, 8);
		memcpy(&bss, (char *)&ba + 32, 8);
		TAP_CHECK(gss == 65536 && bss == 65536 && (((int *)&ga)[2] & 1) && (((int *)&ba)[2] & 1),
			  "pthread_attr_t: stack size at 32 and the detached flag at 8, where glibc keeps them");
		pthread_attr_destroy(&ga);
		TAP_CHECK(bv_pthread_cond_signal(&c) == 0 && bv_pthread_cond_wait(&c, &mm) == EDEADLK,
			  "cond_signal wakes nobody; cond_wait with no thread to signal is a deadlock: EDEADLK");
		TAP_CHECK(strstr(host_console, "threads: deadlock: every thread is blocked"),
			  "... and the deadlock is reported with the waits");
	}
}

int bv___vsnprintf_chk(char *, size_t, int, size_t, const char *, va_list);
int bv___vsprintf_chk(char *, int, size_t, const char *, va_list);

static int
vsn_chk(char *buf, size_t n, size_t room, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = bv___vsnprintf_chk(buf, n, 1, room, fmt, ap);
	va_end(ap);
	return r;
}

static int
vs_chk(char *buf, size_t room, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = bv___vsprintf_chk(buf, 1, room, fmt, ap);
	va_end(ap);
	return r;
}

static __attribute__((noinline)) void
victim(void)
{
	bv___stack_chk_fail();
}

static void
test_fortify_ssp_assert(void)
{
	char buf[64], src[200];
	int ab;

	memset(src, 'S', sizeof(src));
	memset(buf, 'B', sizeof(buf));
	ab = EXPECT_ABORT(bv___memcpy_chk(buf, src, 100, sizeof(buf)));
	TAP_CHECK(ab && strstr(shim_abort_why, "__memcpy_chk: buffer overflow: 100 bytes into a 64-byte object") &&
		  buf[0] == 'B', "__memcpy_chk overflow: stopped before writing, reported with both sizes (%s)",
		  shim_abort_why);
	TAP_CHECK(!EXPECT_ABORT(bv___memcpy_chk(buf, src, 64, sizeof(buf))) && buf[63] == 'S',
		  "__memcpy_chk within bounds copies");
	TAP_CHECK(EXPECT_ABORT(bv___memmove_chk(buf, src, 65, 64)) && EXPECT_ABORT(bv___memset_chk(buf, 0, 65, 64)) &&
		  EXPECT_ABORT(bv___strcpy_chk(buf, "0123456789", 10)) && !EXPECT_ABORT(bv___strcpy_chk(buf, "012345678", 10)) &&
		  EXPECT_ABORT(bv___stpcpy_chk(buf, "0123456789", 10)) &&
		  EXPECT_ABORT(bv___strncpy_chk(buf, "x", 11, 10)) &&
		  EXPECT_ABORT(bv___explicit_bzero_chk(buf, 65, 64)),
		  "memmove/memset/strcpy/stpcpy/strncpy/explicit_bzero _chk stop at one byte over");
	strcpy(buf, "abc");
	TAP_CHECK(EXPECT_ABORT(bv___strcat_chk(buf, "defgh", 8)) && !EXPECT_ABORT(bv___strcat_chk(buf, "defg", 8)) &&
		  !strcmp(buf, "abcdefg"), "__strcat_chk counts what is already there");
	TAP_CHECK(EXPECT_ABORT(bv___sprintf_chk(buf, 1, 8, "%s", "123456789")) &&
		  strstr(shim_abort_why, "10 bytes into a 8-byte object") &&
		  bv___sprintf_chk(buf, 1, 8, "%d", 1234567) == 7,
		  "__sprintf_chk: overflow reported with the would-be length (%s)", shim_abort_why);
	TAP_CHECK(vsn_chk(buf, 10, 64, "%s", "abc") == 3 && EXPECT_ABORT(vsn_chk(buf, 65, 64, "x")) &&
		  vs_chk(buf, 8, "%d", 1234567) == 7 && EXPECT_ABORT(vs_chk(buf, 8, "%d", 12345678)),
		  "__vsnprintf_chk/__vsprintf_chk: the same limits through a va_list");
	TAP_CHECK(EXPECT_ABORT(bv___snprintf_chk(buf, 100, 1, 64, "x")) &&
		  bv___snprintf_chk(buf, 4, 1, 64, "%s", "abcdef") == 6 && !strcmp(buf, "abc"),
		  "__snprintf_chk: a size larger than the object is refused, truncation works");
	ab = EXPECT_ABORT(victim());
	TAP_CHECK(ab && strstr(shim_abort_why, "stack smashing detected") &&
		  (const char *)shim_abort_caller > (const char *)victim &&
		  (const char *)shim_abort_caller < (const char *)victim + 64,
		  "__stack_chk_fail stops the call and names the smashed frame's function by its return address");
	ab = EXPECT_ABORT(bv___assert_fail("x > 0", "blob.c", 12, "frob"));
	TAP_CHECK(ab && !strcmp(shim_abort_why, "blob.c:12: frob: Assertion `x > 0' failed."),
		  "__assert_fail reports glibc's text (%s)", shim_abort_why);
	TAP_CHECK(EXPECT_ABORT(bv_abort()) && strstr(shim_abort_why, "abort"), "abort stops the blob call");
	TAP_CHECK(bv___errno_location() == &shim_errno, "__errno_location is the execution context's errno");
}

static void
test_stdio_fileio(void)
{
	int r;
	char b[8];

	host_console_clear();
	r = bv_printf("x=%d %s\n", 5, "ok");
	TAP_CHECK(r == 7 && !strcmp(host_console, "x=5 ok\n"), "printf writes to the console and returns the length");
	host_console_clear();
	TAP_CHECK(bv_puts("hi") == 3 && bv_putchar('!') == '!' && bv_fputs("e", bv_stderr) >= 0 &&
		  bv_fputc('c', bv_stdout) == 'c' && bv_fwrite("wxyz", 2, 2, bv_stdout) == 2 &&
		  bv_fprintf(bv_stderr, "<%03d>", 7) == 5 && bv___overflow(bv_stdout, 'o') == 'o' &&
		  bv_fflush(bv_stdout) == 0 && bv_fflush(NULL) == 0,
		  "puts/putchar/fputs/fputc/fwrite/fprintf/__overflow/fflush on stdout and stderr");
	TAP_CHECK(!strcmp(host_console, "hi\n!ecwxyz<007>o"), "... and the console got exactly their bytes (%s)", host_console);
	host_console_clear();
	r = bv_printf("%700d|", 7);
	TAP_CHECK(r == 701 && host_console_len == 701 && host_console[699] == '7' && host_console[0] == ' ',
		  "printf longer than its stack buffer (701 bytes) goes out whole");
	TAP_CHECK(*(int *)((char *)bv_stdout + 112) == 1 && *(int *)((char *)bv_stderr + 112) == 2 &&
		  bv_fileno(bv_stdin) == 0 && (*(unsigned *)bv_stdout & 0xffff0000) == 0xfbad0000,
		  "FILE objects: glibc's _fileno offset (112) and _flags magic");
	shim_errno = 0;
	TAP_CHECK(bv_fopen("/etc/passwd", "r") == NULL && shim_errno == ENOENT, "fopen of any path: NULL, ENOENT");
	shim_errno = 0;
	TAP_CHECK(bv_open("/etc/passwd", O_RDONLY) == -1 && shim_errno == ENOENT, "open of any path: -1, ENOENT");
	shim_errno = 0;
	TAP_CHECK(bv_read(7, b, 1) == -1 && shim_errno == EBADF, "read of another fd: EBADF");
	shim_errno = 0;
	TAP_CHECK(bv_close(5) == -1 && shim_errno == EBADF && bv_lseek64(9, 0, SEEK_SET) == -1 && shim_errno == EBADF,
		  "close/lseek64 of another fd: EBADF");
	shim_errno = 0;
	TAP_CHECK(bv_lseek(1, 0, SEEK_SET) == -1 && shim_errno == ESPIPE, "lseek on the console: ESPIPE");
	host_console_clear();
	TAP_CHECK(bv_write(2, "err", 3) == 3 && !strcmp(host_console, "err"), "write(2) reaches the console");
	host_input = "line\nrest";
	TAP_CHECK(bv_read(0, b, sizeof(b)) == 5 && !memcmp(b, "line\n", 5), "read(0) returns a console line");
	TAP_CHECK(bv_fread(b, 1, 4, bv_stdin) == 4 && !memcmp(b, "rest", 4) && bv_fread(b, 1, 1, bv_stdin) == 0,
		  "fread from stdin, then end of input");
	TAP_CHECK(bv_fclose(bv_stderr) == 0 && bv_fputs("x", bv_stderr) == EOF && shim_errno == EBADF,
		  "after fclose(stderr), writes fail with EBADF");
}

static void
test_time(void)
{
	struct timespec a, b, req = { 0, 3000000 };
	struct timeval tv;
	time_t now = time(NULL);

	TAP_CHECK(labs(bv_time(NULL) - now) <= 1, "time() agrees with the host's clock");
	TAP_CHECK(bv_gettimeofday(&tv, NULL) == 0 && labs(tv.tv_sec - now) <= 1, "gettimeofday agrees");
	bv_clock_gettime(CLOCK_MONOTONIC, &a);
	TAP_CHECK(bv_nanosleep(&req, NULL) == 0, "nanosleep(3 ms)");
	bv_clock_gettime(CLOCK_MONOTONIC, &b);
	TAP_CHECK((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec >= 3000000,
		  "CLOCK_MONOTONIC advanced by at least the sleep");
	req.tv_nsec = 1000000000;
	shim_errno = 0;
	TAP_CHECK(bv_nanosleep(&req, NULL) == -1 && shim_errno == EINVAL, "nanosleep with tv_nsec 1e9: EINVAL");
	shim_errno = 0;
	TAP_CHECK(bv_clock_gettime(99, &a) == -1 && shim_errno == EINVAL, "an unknown clock: EINVAL");
	TAP_CHECK(bv_clock_gettime(CLOCK_REALTIME, &a) == 0 && labs(a.tv_sec - now) <= 1, "CLOCK_REALTIME agrees");
}

int bv_sigemptyset(sigset_t *), bv_sigfillset(sigset_t *), bv_sigaddset(sigset_t *, int),
    bv_sigdelset(sigset_t *, int), bv_sigismember(const sigset_t *, int);
int bv_pthread_sigmask(int, const sigset_t *, sigset_t *);
long bv_sysconf(int);
int bv_sched_getaffinity(pid_t, size_t, cpu_set_t *);
int bv___sched_cpucount(size_t, const cpu_set_t *);
int bv_pthread_condattr_init(pthread_condattr_t *);
int bv_pthread_condattr_setclock(pthread_condattr_t *, clockid_t);
int bv_pthread_condattr_getclock(const pthread_condattr_t *, clockid_t *);
int bv___cxa_atexit(void (*)(void *), void *, void *);
void bv___cxa_finalize(void *);

static char order[8];
static void note(void *c) { strncat(order, (const char *)&c, 1); }

static void
test_process_queries(void)
{
	int bad = 0;

	for (int it = 0; it < 2000; it++) {
		sigset_t g, o;
		int sig = (int)(rnd() % 70) - 2;

		memset(&g, 0x5a, sizeof(g));
		memcpy(&o, &g, sizeof(g));
		switch (it % 5) {
		case 0: bad += sigemptyset(&g) != bv_sigemptyset(&o); break;
		case 1: bad += sigfillset(&g) != bv_sigfillset(&o); break;
		case 2: bad += sigaddset(&g, sig) != bv_sigaddset(&o, sig); break;
		case 3: bad += sigdelset(&g, sig) != bv_sigdelset(&o, sig); break;
		case 4: bad += sigismember(&g, sig) != bv_sigismember(&o, sig); break;
		}
		bad += memcmp(&g, &o, sizeof(g)) != 0;
	}
	TAP_CHECK(!bad, "sigemptyset/sigfillset/sigaddset/sigdelset/sigismember: sets and results equal glibc's (signals -2..67)");
	{
		sigset_t s, old;
		sigemptyset(&s);
		sigaddset(&s, SIGINT);
		TAP_CHECK(bv_pthread_sigmask(SIG_BLOCK, &s, NULL) == 0 && bv_pthread_sigmask(SIG_SETMASK, NULL, &old) == 0 &&
			  sigismember(&old, SIGINT) == 1 && bv_pthread_sigmask(99, &s, NULL) == EINVAL,
			  "pthread_sigmask keeps the mask; a bad `how' is EINVAL");
	}
	TAP_CHECK(bv_sysconf(_SC_PAGESIZE) == sysconf(_SC_PAGESIZE) && bv_sysconf(_SC_NPROCESSORS_ONLN) == 1 &&
		  bv_sysconf(-5) == -1, "sysconf: the page size, one CPU, unknown names fail");
	{
		cpu_set_t set;
		TAP_CHECK(bv_sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_ISSET(0, &set) && CPU_COUNT(&set) == 1 &&
			  bv___sched_cpucount(sizeof(set), &set) == 1,
			  "sched_getaffinity: CPU 0 only; __sched_cpucount counts like glibc's CPU_COUNT");
		bad = 0;
		for (int i = 0; i < 100; i++) {
			for (size_t k = 0; k < sizeof(set); k++)
				((unsigned char *)&set)[k] = rnd();
			bad += bv___sched_cpucount(sizeof(set), &set) != CPU_COUNT(&set);
		}
		TAP_CHECK(!bad, "__sched_cpucount equals CPU_COUNT on random masks");
	}
	{
		pthread_condattr_t a;
		clockid_t c = -1;
		TAP_CHECK(bv_pthread_condattr_init(&a) == 0 && bv_pthread_condattr_setclock(&a, CLOCK_MONOTONIC) == 0 &&
			  bv_pthread_condattr_getclock(&a, &c) == 0 && c == CLOCK_MONOTONIC &&
			  bv_pthread_condattr_setclock(&a, CLOCK_PROCESS_CPUTIME_ID) == EINVAL,
			  "condattr clock: MONOTONIC kept, a CPU-time clock refused like glibc");
	}
	bv___cxa_atexit(note, (void *)'a', (void *)1);
	bv___cxa_atexit(note, (void *)'b', (void *)2);
	bv___cxa_atexit(note, (void *)'c', (void *)1);
	bv___cxa_finalize((void *)1);
	TAP_CHECK(!strcmp(order, "ca"), "__cxa_finalize(dso) runs that object's handlers newest first (%s)", order);
	bv___cxa_finalize(NULL);
	TAP_CHECK(!strcmp(order, "cab"), "__cxa_finalize(NULL) runs the rest");
}

int
main(void)
{
	test_process_queries();
	test_pthread_abi();
	test_pthread_behaviour();
	test_fortify_ssp_assert();
	test_stdio_fileio();
	test_time();
	return tap_done();
}
