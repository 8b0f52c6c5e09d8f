/* Clocks and sleeps on the core's time: monotonic nanoseconds since boot
 * and the wall clock in seconds (realtime = wall at first use + monotonic
 * elapsed since). */
#include "libc.h"
#include "pthread.h"
#include <core/sched.h>
#include <core/time.h>

enum {
	CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
	CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
	CLOCK_TAI = 11,
};

/* Linux's CPU-time clock ids are negative: (~pid << 3) | type, bit 2 for a
 * thread; type 0-2 (prof, virt, sched).  Only this process (pid 0) exists. */
static bool
own_cpu_clock(int clk)
{
	return clk < 0 && (~clk >> 3) == 0 && (clk & 3) != 3;
}

static u64 wall_base_s, mono_base_ns;

static u64
realtime_ns(void)
{
	if (!wall_base_s) {
		mono_base_ns = time_now_ns();
		wall_base_s = time_wall_seconds();
	}
	return wall_base_s * NSEC_PER_SEC + (time_now_ns() - mono_base_ns);
}

time_t
time(time_t *t)
{
	time_t now = realtime_ns() / NSEC_PER_SEC;

	if (t)
		*t = now;
	return now;
}
EXPORT(time, LIBC);

int
clock_gettime(int clk, struct timespec *ts)
{
	u64 ns;

	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:			/* the kernel's TAI offset is 0 until NTP sets it */
		ns = realtime_ns();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:	/* the blob owns the CPU while it runs */
	case CLOCK_THREAD_CPUTIME_ID:
		ns = time_now_ns();
		break;
	default:
		if (!own_cpu_clock(clk)) {
			errno = EINVAL;	/* the alarm clocks too: Linux refuses to read them */
			return -1;
		}
		ns = time_now_ns();
	}
	if (!ts) {
		errno = EFAULT;
		return -1;
	}
	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
	return 0;
}
EXPORT(clock_gettime, LIBC);

/* 1 ns everywhere but the coarse and tick-based CPU clocks, which tick with the kernel (Debian's
 * HZ=250: 4 ms). */
int clock_getres(int clk, struct timespec *res);
int
clock_getres(int clk, struct timespec *res)
{
	struct timespec now;

	if (clock_gettime(clk, &now) < 0)
		return -1;
	if (res) {
		res->tv_sec = 0;
		/* the profiling and virtual CPU clocks (types 0, 1) count ticks too */
		res->tv_nsec = clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE ||
			       (clk < 0 && (clk & 3) != 2) ? 4000000 : 1;
	}
	return 0;
}
EXPORT(clock_getres, LIBC);

int
gettimeofday(struct timeval *tv, void *tz)
{
	u64 ns = realtime_ns();

	if (tv) {
		tv->tv_sec = ns / NSEC_PER_SEC;
		tv->tv_usec = ns % NSEC_PER_SEC / 1000;
	}
	if (tz)
		memset(tz, 0, 8);	/* struct timezone: UTC, no DST */
	return 0;
}
EXPORT(gettimeofday, LIBC);

long
clock(void)
{
	return time_now_ns() / 1000;	/* CLOCKS_PER_SEC is 1000000 */
}
EXPORT(clock, LIBC);

/* Sleeps go through the scheduler: other blob threads run meanwhile.
 * They are cancellation points. */
static int
blob_sleep_until(u64 deadline, u64 caller)
{
	pt_testcancel();
	if (sched_sleep_until(deadline, true, caller) == ECANCELED)
		pt_act_on_cancel();
	return 0;
}

static void
blob_sleep_ns(u64 ns, u64 caller)
{
	blob_sleep_until(time_now_ns() + ns, caller);
}

int clock_nanosleep(int clk, int flags, const struct timespec *req, struct timespec *rem);
int
clock_nanosleep(int clk, int flags, const struct timespec *req, struct timespec *rem)
{
	if (!req || req->tv_nsec < 0 || req->tv_nsec >= 1000000000 || req->tv_sec < 0)
		return EINVAL;
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return clk == 2 || clk == 3 ? ENOTSUP : EINVAL;	/* CPU-time clocks */
	if (flags & 1)		/* TIMER_ABSTIME */
		blob_sleep_until(pt_deadline(clk, req), (u64)CALLER);
	else
		blob_sleep_ns((u64)req->tv_sec * NSEC_PER_SEC + req->tv_nsec, (u64)CALLER);
	if (rem && !(flags & 1))
		rem->tv_sec = rem->tv_nsec = 0;
	return 0;
}
EXPORT(clock_nanosleep, LIBC);

int
nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!req || req->tv_nsec < 0 || req->tv_nsec >= 1000000000 || req->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	blob_sleep_ns((u64)req->tv_sec * NSEC_PER_SEC + req->tv_nsec, (u64)CALLER);
	if (rem)
		rem->tv_sec = rem->tv_nsec = 0;
	return 0;
}
EXPORT(nanosleep, LIBC);

int
usleep(unsigned usec)
{
	blob_sleep_ns((u64)usec * NSEC_PER_USEC, (u64)CALLER);
	return 0;
}
EXPORT(usleep, LIBC);

unsigned
sleep(unsigned sec)
{
	blob_sleep_ns((u64)sec * NSEC_PER_SEC, (u64)CALLER);
	return 0;
}
EXPORT(sleep, LIBC);
