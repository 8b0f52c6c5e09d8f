/* The domain runtime, first cut: what a blob in a domain may import today.
 * It runs in ring 3 inside the domain and reaches the VMM only through
 * bv_syscall (entry.S).  Two layers:
 *   bv_*   the ABI as C functions (<domain/abi.h>), for test blobs and for
 *          the domain build of libc that replaces this file (docs/domains.md);
 *   glibc names a small vendor-style object needs (write, puts, strlen,
 *          memcpy, memset, exit, abort, __stack_chk_fail, clock_gettime,
 *          time, sleep, usleep, sched_yield), weak so a blob's own
 *          definitions win as ld would let them.
 * No errno yet (it needs the domain's TLS): failures return -1. */
#include <domain/abi.h>

typedef unsigned long size_t;
typedef long ssize_t;

long bv_syscall(long nr, long a1, long a2, long a3, long a4, long a5);

#define WEAK __attribute__((weak, visibility("default")))
#define NORETURN __attribute__((noreturn))

long bv_write(int fd, const void *buf, size_t len);
long bv_clock_ns(int clock);
long bv_sleep_ns(unsigned long ns);
long bv_yield(void);
void *bv_mem_grow(unsigned long pages);
long bv_mem_grow_raw(unsigned long pages);
void bv_exit(int status, const char *msg) NORETURN;
long bv_limits(struct bv_limits *out);

long bv_write(int fd, const void *buf, size_t len) { return bv_syscall(BV_SYS_WRITE, fd, (long)buf, (long)len, 0, 0); }
long bv_clock_ns(int clock) { return bv_syscall(BV_SYS_CLOCK, clock, 0, 0, 0, 0); }
long bv_sleep_ns(unsigned long ns) { return bv_syscall(BV_SYS_SLEEP, (long)ns, 0, 0, 0, 0); }
long bv_yield(void) { return bv_syscall(BV_SYS_YIELD, 0, 0, 0, 0, 0); }
long bv_mem_grow_raw(unsigned long pages) { return bv_syscall(BV_SYS_MEM_GROW, (long)pages, 0, 0, 0, 0); }
long bv_limits(struct bv_limits *out) { return bv_syscall(BV_SYS_LIMITS, (long)out, 0, 0, 0, 0); }

void *
bv_mem_grow(unsigned long pages)
{
	long r = bv_mem_grow_raw(pages);

	return r < 0 ? (void *)0 : (void *)r;
}

WEAK size_t
strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

void
bv_exit(int status, const char *msg)
{
	bv_syscall(BV_SYS_EXIT, status, (long)msg, msg ? (long)strlen(msg) : 0, 0, 0);
	for (;;)
		__builtin_trap();
}

WEAK void *
memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

WEAK void *
memset(void *d, int c, size_t n)
{
	unsigned char *dp = d;

	while (n--)
		*dp++ = (unsigned char)c;
	return d;
}

WEAK ssize_t
write(int fd, const void *buf, size_t len)
{
	long r = bv_write(fd, buf, len);

	return r < 0 ? -1 : r;
}

WEAK int
puts(const char *s)
{
	if (write(1, s, strlen(s)) < 0 || write(1, "\n", 1) < 0)
		return -1;
	return 1;
}

WEAK NORETURN void exit(int status) { bv_exit(status, 0); }
WEAK NORETURN void _exit(int status) { bv_exit(status, 0); }
WEAK NORETURN void abort(void) { bv_exit(134, "abort()"); }
WEAK NORETURN void __stack_chk_fail(void) { bv_exit(134, "stack smashing detected"); }

struct timespec_ { long tv_sec, tv_nsec; };

WEAK int
clock_gettime(int clock, struct timespec_ *ts)
{
	long ns = bv_clock_ns(clock == 0 ? BV_CLOCK_REALTIME : BV_CLOCK_MONOTONIC);

	if (ns < 0 || (clock != 0 && clock != 1))
		return -1;
	ts->tv_sec = ns / 1000000000L;
	ts->tv_nsec = ns % 1000000000L;
	return 0;
}

WEAK long
time(long *t)
{
	long s = bv_clock_ns(BV_CLOCK_REALTIME) / 1000000000L;

	if (t)
		*t = s;
	return s;
}

WEAK unsigned sleep(unsigned s) { bv_sleep_ns(s * 1000000000UL); return 0; }
WEAK int usleep(unsigned us) { return bv_sleep_ns(us * 1000UL) < 0 ? -1 : 0; }
WEAK int sched_yield(void) { return (int)bv_yield(); }
