/* make bench (bench/domain.sh): what a protection domain costs a blob,
 * timed inside the blob.  The same object, built like a vendor object, is
 * loaded twice: `blob load --domain' (ring 3) and `blob load --in-vmm'
 * (ring 0), so each figure has its ring-0 twin.  Each function returns the
 * nanoseconds its n iterations took. */
#include <string.h>
#include <time.h>

/* The domain runtime's system-call entry; absent (NULL) in ring 0. */
extern long bv_syscall(long nr, long a1, long a2, long a3, long a4, long a5)
	__attribute__((weak));

static long
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* The bare round trip: SYSCALL, the dispatcher's switch, SYSRET.  The
 * cheapest call of the ABI is BV_SYS_LIMITS (8; a 40-byte copy-out): an
 * unknown number would end the domain (docs/domains.md). */
long
bench_sys_null(long n)
{
	unsigned long limits[5];
	long t0;

	if (!bv_syscall)
		return -1;
	t0 = now();
	for (long i = 0; i < n; i++)
		if (bv_syscall(8, (long)limits, 0, 0, 0, 0))
			return -1;
	return now() - t0;
}

/* A VMM service: clock_gettime is BV_SYS_CLOCK in a domain and a direct
 * call into the core's libc in ring 0. */
long
bench_clock(long n)
{
	struct timespec ts;
	long t0 = now();

	for (long i = 0; i < n; i++)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return now() - t0;
}

/* An import that stays where the blob is: strlen from the domain's own
 * libc (ring 3, through the PLT) or the core's (ring 0). */
long
bench_import(long n)
{
	static const char *volatile s = "dongle";
	long t0 = now(), sum = 0;

	for (long i = 0; i < n; i++)
		sum += (long)strlen(s);
	return sum == 6 * n ? now() - t0 : -1;
}

/* The VMM's call into the blob and back (`blob time'). */
long
bench_nop(void)
{
	return 0;
}
