/* The small system and process functions against glibc: every clock id
 * clock_gettime/clock_getres accept or refuse, the *rand48 sequences,
 * setjmp/longjmp/__sigsetjmp, the environment (setenv, unsetenv, putenv,
 * environ), uname, getrlimit, ids and sysconf. */
#include "bv.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

int bv_clock_gettime(clockid_t, struct timespec *);
int bv_clock_getres(clockid_t, struct timespec *);
double bv_drand48(void);
double bv_erand48(unsigned short[3]);
long bv_lrand48(void);
long bv_nrand48(unsigned short[3]);
long bv_mrand48(void);
long bv_jrand48(unsigned short[3]);
void bv_srand48(long);
unsigned short *bv_seed48(unsigned short[3]);
void bv_lcong48(unsigned short[7]);
int bv___sigsetjmp(void *env, int savemask) __attribute__((returns_twice));
int bv__setjmp(void *env) __attribute__((returns_twice));
int bv_setjmp(void *env) __attribute__((returns_twice));
void bv_longjmp(void *env, int val) __attribute__((noreturn));
char *bv_getenv(const char *);
int bv_setenv(const char *, const char *, int);
int bv_unsetenv(const char *);
int bv_putenv(char *);
int bv_clearenv(void);
extern char **bv_environ;
int bv_uname(struct utsname *);
int bv_getrlimit(int, struct rlimit *);
int bv_getpid(void);
int bv_getuid(void);
long bv_sysconf(int);
long bv_syscall(long, ...);
int bv_gethostname(char *, size_t);
void __asan_handle_no_return(void);

static int shown;
#define DIFF(cond, ...) do { if (cond) { bad++; if (shown++ < 12) printf("# " __VA_ARGS__); } } while (0)

static long long
ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void
test_clocks(void)
{
	int bad = 0;

	for (int c = -12; c < 16; c++) {
		struct timespec g, o, gr, orr;
		int x, y, ge, oe;

		errno = 0; shim_errno = 0;
		x = clock_gettime(c, &g); ge = errno;
		y = bv_clock_gettime(c, &o); oe = shim_errno;
		DIFF(x != y || ge != oe, "clock_gettime(%d): glibc %d errno %d, ours %d errno %d\n", c, x, ge, y, oe);
		/* the same clock reads (nearly) the same time; CPU clocks differ by design */
		if (!x && !y && (c == 0 || c == 1 || c == 4 || c == 5 || c == 6 || c == 7 || c == 11))
			DIFF(llabs(ns(&g) - ns(&o)) > 1000000000LL, "clock %d: glibc %lld ours %lld\n", c, ns(&g), ns(&o));
		x = clock_getres(c, &gr);
		y = bv_clock_getres(c, &orr);
		DIFF(x != y || (!x && ns(&gr) != ns(&orr)), "clock_getres(%d): glibc %d %lld, ours %d %lld\n",
		     c, x, x ? 0 : ns(&gr), y, y ? 0 : ns(&orr));
	}
	TAP_CHECK(!bad, "clock_gettime and clock_getres on clock ids -12..15 (CPU-time ids, alarm and TAI "
		  "clocks): accepted and refused as glibc on Linux, same times on the shared clocks");
}

static void
test_rand48(void)
{
	int bad = 0;
	unsigned short gx[3] = { 1, 2, 3 }, ox[3] = { 1, 2, 3 };
	unsigned short p[7] = { 0x1234, 0x5678, 0x9abc, 0xe66d, 0xdeec, 0x5, 0xb };

	for (int s = 0; s < 4; s++) {
		long seed = s ? (long)rnd() : 0;

		srand48(seed);
		bv_srand48(seed);
		for (int i = 0; i < 2000; i++) {
			DIFF(lrand48() != bv_lrand48(), "lrand48 seed %ld step %d\n", seed, i);
			DIFF(mrand48() != bv_mrand48(), "mrand48\n");
			DIFF(drand48() != bv_drand48(), "drand48\n");
			DIFF(nrand48(gx) != bv_nrand48(ox), "nrand48\n");
			DIFF(jrand48(gx) != bv_jrand48(ox), "jrand48\n");
			DIFF(erand48(gx) != bv_erand48(ox), "erand48\n");
		}
	}
	unsigned short *gs = seed48(gx), *os = bv_seed48(ox);
	DIFF(memcmp(gs, os, 6), "seed48's previous state\n");
	DIFF(lrand48() != bv_lrand48(), "lrand48 after seed48\n");
	lcong48(p);
	bv_lcong48(p);
	for (int i = 0; i < 100; i++)
		DIFF(lrand48() != bv_lrand48() || drand48() != bv_drand48(), "after lcong48\n");
	p[3] = 7; p[6] = 3;
	lcong48(p);
	bv_lcong48(p);
	for (int i = 0; i < 100; i++)
		DIFF(mrand48() != bv_mrand48(), "after lcong48 with another multiplier\n");
	TAP_CHECK(!bad, "drand48/erand48/lrand48/nrand48/mrand48/jrand48 after srand48, seed48, lcong48: "
		  "every value equals glibc's");
}

static long jumped_frames;

static void __attribute__((noinline))
deep(void *env, int depth);
static void __attribute__((noinline))
deep(void *env, int depth)
{
	volatile char pad[64];

	pad[0] = (char)depth;
	if (depth < 0)
		return;
	if (depth == 0) {
		__asan_handle_no_return();
		bv_longjmp(env, jumped_frames ? 0 : 42);
	}
	deep(env, depth - 1);
	jumped_frames += pad[0];
}

static void
test_setjmp(void)
{
	/* glibc's jmp_buf size: a blob's buffer is this big */
	struct { long regs[8]; int mask_saved; long mask[16]; } env;
	volatile int locals = 7;
	int r;

	TAP_CHECK(sizeof(env) == sizeof(jmp_buf), "the jmp_buf this libc fills is glibc's 200 bytes");
	jumped_frames = 0;
	r = bv_setjmp(&env);
	if (r == 0) {
		locals = 8;
		deep(&env, 10);
	}
	TAP_CHECK(r == 42 && locals == 8 && jumped_frames == 0,
		  "longjmp from 11 frames down returns 42 from setjmp, with the frame's volatile state "
		  "and none of the skipped frames' code run");
	jumped_frames = 1;
	r = bv___sigsetjmp(&env, 1);
	if (r == 0)
		deep(&env, 3);
	TAP_CHECK(r == 1, "longjmp(env, 0) makes __sigsetjmp return 1, as glibc does");
	r = bv__setjmp(&env);
	if (r == 0) {
		__asan_handle_no_return();
		bv_longjmp(&env, -5);
	}
	TAP_CHECK(r == -5, "_setjmp/longjmp pass negative values through");
}

static bool
env_equal(char **a, char **b)
{
	int i;

	if (!a || !b)
		return a == b;
	for (i = 0; a[i] && b[i]; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return !a[i] && !b[i];
}

static void
test_env(void)
{
	int bad = 0, n = 0;
	static char put1[] = "PUT=direct", put2[] = "PUT";

	clearenv();
	bv_clearenv();
	DIFF(!env_equal(environ, bv_environ), "empty environ\n");
	for (int i = 0; i < 3000; i++) {
		char name[8], val[8];
		int op = rnd() % 4;

		snprintf(name, sizeof(name), "%s%d", rnd() % 8 ? "V" : rnd() % 2 ? "" : "A=B", (int)(rnd() % 12));
		snprintf(val, sizeof(val), "%d", (int)(rnd() % 1000));
		errno = 0; shim_errno = 0;
		if (op == 0 || op == 1) {
			int ov = rnd() % 2;
			int g = setenv(name, val, ov), ge = errno, o = bv_setenv(name, val, ov);
			DIFF(g != o || ge != shim_errno, "setenv(%s, %s, %d): %d/%d vs %d/%d\n", name, val, ov, g, ge, o, shim_errno);
		} else if (op == 2) {
			int g = unsetenv(name), ge = errno, o = bv_unsetenv(name);
			DIFF(g != o || ge != shim_errno, "unsetenv(%s)\n", name);
		}
		char *g = getenv(name), *o = bv_getenv(name);
		DIFF((g == NULL) != (o == NULL) || (g && strcmp(g, o)), "getenv(%s): %s vs %s\n", name, g ? g : "(null)", o ? o : "(null)");
		n++;
	}
	/* the order of environ differs after unsetenv (glibc moves the last entry down); compare as sets */
	{
		int gn = 0, on = 0;
		for (; environ && environ[gn]; gn++)
			;
		for (; bv_environ && bv_environ[on]; on++)
		{
			char nm[32];
			snprintf(nm, sizeof(nm), "%.*s", (int)strcspn(bv_environ[on], "="), bv_environ[on]);
			DIFF(!getenv(nm), "environ has %s, glibc does not\n", bv_environ[on]);
		}
		DIFF(gn != on, "environ sizes %d vs %d\n", gn, on);
	}
	putenv(put1);
	bv_putenv(put1);
	DIFF(getenv("PUT") != put1 + 4 || bv_getenv("PUT") != put1 + 4, "putenv keeps the caller's string\n");
	putenv(put2);
	bv_putenv(put2);
	DIFF(getenv("PUT") || bv_getenv("PUT"), "putenv(NAME) unsets\n");
	TAP_CHECK(!bad, "setenv/unsetenv/getenv/putenv/clearenv: %d random operations (overwrite flag, "
		  "empty names and names with '=') and environ match glibc", n);
}

static void
test_identity(void)
{
	struct utsname u;
	struct rlimit r;
	char host[64];
	int bad = 0;

	bv_uname(&u);
	TAP_CHECK(!strcmp(u.sysname, "Linux") && !strcmp(u.machine, "x86_64") && !strncmp(u.release, "6.1.", 4),
		  "uname: Linux %s on x86_64 (a Debian 12 kernel, for drivers that check versions)", u.release);
	for (int res = -1; res < 17; res++) {
		struct rlimit g;
		errno = 0; shim_errno = 0;
		int x = getrlimit(res, &g), ge = errno, y = bv_getrlimit(res, &r);
		DIFF(x != y || ge != shim_errno, "getrlimit(%d): %d/%d vs %d/%d\n", res, x, ge, y, shim_errno);
	}
	bv_getrlimit(RLIMIT_NOFILE, &r);
	DIFF(r.rlim_cur != (rlim_t)bv_sysconf(_SC_OPEN_MAX), "RLIMIT_NOFILE and _SC_OPEN_MAX disagree\n");
	DIFF(bv_sysconf(_SC_PAGESIZE) != sysconf(_SC_PAGESIZE), "page size\n");
	errno = 0; shim_errno = 0;
	DIFF(sysconf(-5) != bv_sysconf(-5) || errno != shim_errno, "sysconf(-5)\n");
	DIFF(bv_getpid() != bv_syscall(39), "getpid and syscall(SYS_getpid)\n");
	shim_errno = 0;
	DIFF(bv_syscall(59) != -1 || shim_errno != ENOSYS, "syscall(SYS_execve) is refused ENOSYS\n");
	DIFF(bv_gethostname(host, 3) != -1 || bv_gethostname(host, sizeof(host)) || strcmp(host, "blobvisor"),
	     "gethostname\n");
	DIFF(bv_getuid() != 0, "getuid\n");
	TAP_CHECK(!bad, "getrlimit's accepted resources, sysconf, getpid/syscall, gethostname and getuid "
		  "as documented (refused syscalls ENOSYS)");
}

int
main(void)
{
	test_clocks();
	test_rand48();
	test_setjmp();
	test_env();
	test_identity();
	return tap_done();
}
