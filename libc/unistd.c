/* Process and scheduler queries as a blob sees them inside the VMM: one
 * process, one CPU, 4 KiB pages; signal masks exist as data (sigset
 * operations, pthread_sigmask) but no signal is ever delivered to a blob.
 * liblzma's thread-count probing imports exactly these. */
#include "libc.h"
#include <core/sched.h>

enum {
	SC_CLK_TCK = 2, SC_OPEN_MAX = 4, SC_PAGESIZE = 30,
	SC_NPROCESSORS_CONF = 83, SC_NPROCESSORS_ONLN = 84,
};

long sysconf(int name);
long
sysconf(int name)
{
	switch (name) {
	case SC_PAGESIZE:
		return PAGE_SIZE;
	case SC_NPROCESSORS_CONF:
	case SC_NPROCESSORS_ONLN:
		return 1;	/* blobs run on one CPU */
	case SC_CLK_TCK:
		return 100;
	case SC_OPEN_MAX:
		return 256;	/* FD_MAX: the descriptor table (libc/fd.h) */
	default:
		errno = EINVAL;
		return -1;
	}
}
EXPORT(sysconf, LIBC);

int getpagesize(void);
int
getpagesize(void)
{
	return PAGE_SIZE;
}
EXPORT(getpagesize, LIBC);

int getpid(void);
int
getpid(void)
{
	return 1;
}
EXPORT(getpid, LIBC);

int sched_yield(void);
int
sched_yield(void)
{
	sched_yield_cpu();	/* every other ready blob thread runs once */
	return 0;
}
EXPORT(sched_yield, LIBC);

/* cpu_set_t: a bit array of `size' bytes; CPU 0 is the only one. */
int sched_getaffinity(int pid, size_t size, void *mask);
int
sched_getaffinity(int pid, size_t size, void *mask)
{
	if (pid != 0 && pid != getpid()) {
		errno = ESRCH;
		return -1;
	}
	if (size < 8) {
		errno = EINVAL;
		return -1;
	}
	memset(mask, 0, size);
	*(u8 *)mask = 1;
	return 0;
}
EXPORT(sched_getaffinity, LIBC);

int __sched_cpucount(size_t size, const void *mask);
int
__sched_cpucount(size_t size, const void *mask)
{
	const u8 *p = mask;
	int n = 0;

	for (size_t i = 0; i < size; i++)
		n += __builtin_popcount(p[i]);
	return n;
}
EXPORT(__sched_cpucount, LIBC);

/* sigset_t is 128 bytes in glibc, but only the kernel's 64 signals (the
 * first 8 bytes) are ever read or written; signal n is bit n - 1. */
#define SIGSET_BYTES 8
#define NSIG 65

/* glibc reserves signals 32 and 33 (thread cancellation, set*id) for
 * itself: sigfillset leaves them out and sigaddset/sigdelset refuse them. */
static bool
internal_sig(int sig)
{
	return sig == 32 || sig == 33;
}

static bool
sig_ok(int sig)
{
	if (sig <= 0 || sig >= NSIG) {
		errno = EINVAL;
		return false;
	}
	return true;
}

int sigemptyset(void *set);
int
sigemptyset(void *set)
{
	memset(set, 0, SIGSET_BYTES);
	return 0;
}
EXPORT(sigemptyset, LIBC);

int sigfillset(void *set);
int
sigfillset(void *set)
{
	memset(set, 0xff, SIGSET_BYTES);
	((u64 *)set)[0] &= ~(3ULL << 31);	/* signals 32 and 33 */
	return 0;
}
EXPORT(sigfillset, LIBC);

int sigaddset(void *set, int sig);
int
sigaddset(void *set, int sig)
{
	if (!sig_ok(sig))
		return -1;
	if (internal_sig(sig)) {
		errno = EINVAL;
		return -1;
	}
	((u64 *)set)[(sig - 1) / 64] |= 1ULL << ((sig - 1) % 64);
	return 0;
}
EXPORT(sigaddset, LIBC);

int sigdelset(void *set, int sig);
int
sigdelset(void *set, int sig)
{
	if (!sig_ok(sig))
		return -1;
	if (internal_sig(sig)) {
		errno = EINVAL;
		return -1;
	}
	((u64 *)set)[(sig - 1) / 64] &= ~(1ULL << ((sig - 1) % 64));
	return 0;
}
EXPORT(sigdelset, LIBC);

int sigismember(const void *set, int sig);
int
sigismember(const void *set, int sig)
{
	if (!sig_ok(sig))
		return -1;
	return ((const u64 *)set)[(sig - 1) / 64] >> ((sig - 1) % 64) & 1;
}
EXPORT(sigismember, LIBC);

/* One mask per blob world; nothing is ever delivered, so it only has to
 * read back what was set. */
static u8 blocked[SIGSET_BYTES];

int pthread_sigmask(int how, const void *set, void *old);
int
pthread_sigmask(int how, const void *set, void *old)
{
	const u8 *s = set;

	if (set && (how < 0 || how > 2))
		return EINVAL;
	if (old)
		memcpy(old, blocked, SIGSET_BYTES);
	if (!set)
		return 0;
	for (int i = 0; i < SIGSET_BYTES; i++) {
		if (how == 0)		/* SIG_BLOCK */
			blocked[i] |= s[i];
		else if (how == 1)	/* SIG_UNBLOCK */
			blocked[i] &= ~s[i];
		else			/* SIG_SETMASK */
			blocked[i] = s[i];
	}
	return 0;
}
EXPORT(pthread_sigmask, PTHREAD);

int sigprocmask(int how, const void *set, void *old);
int
sigprocmask(int how, const void *set, void *old)
{
	int r = pthread_sigmask(how, set, old);

	if (r) {
		errno = r;
		return -1;
	}
	return 0;
}
EXPORT(sigprocmask, LIBC);
