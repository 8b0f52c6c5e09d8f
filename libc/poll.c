/* poll/ppoll/select/pselect: readiness from each descriptor's object (fd.h)
 * and real timeouts on the core's monotonic clock; waiting lets the other
 * blob threads run (libc_wait). */
#include "fd.h"
#include <core/context.h>
#include <core/time.h>

struct pollfd { int fd; short events, revents; };
#define FD_SETSIZE	1024

struct poll_req {
	struct pollfd *fds;
	unsigned long n;
	int ready;
};

static bool
poll_scan(void *arg)
{
	struct poll_req *r = arg;

	r->ready = 0;
	for (unsigned long i = 0; i < r->n; i++) {
		struct pollfd *p = &r->fds[i];
		int m;

		p->revents = 0;
		if (p->fd < 0)
			continue;
		m = fd_poll(p->fd);
		p->revents = m & (p->events | POLLERR | POLLHUP | POLLNVAL);
		r->ready += !!p->revents;
	}
	return r->ready > 0;
}

/* The earliest moment a polled descriptor becomes ready by itself (a
 * timerfd's expiry), or 0. */
static u64
self_wakeup(const struct pollfd *fds, unsigned long n)
{
	u64 best = 0;

	for (unsigned long i = 0; i < n; i++) {
		struct fd_slot *s = fds[i].fd >= 0 && fds[i].fd < FD_MAX ? fd_get(fds[i].fd) : NULL;
		u64 w = s && s->obj->ops->wakeup ? s->obj->ops->wakeup(s->obj) : 0;

		if (w && (!best || w < best))
			best = w;
	}
	return best;
}

/* Waits up to timeout_ns (-1: forever) while other blob threads run. */
static int
poll_ns(struct pollfd *fds, unsigned long n, s64 timeout_ns, u64 caller)
{
	struct poll_req r = { fds, n, 0 };
	u64 deadline;
	int saved = errno;

	if (n > FD_MAX * 4) {
		errno = EINVAL;
		return -1;
	}
	if (poll_scan(&r) || timeout_ns == 0)
		return r.ready;
	deadline = timeout_ns < 0 ? 0 : time_now_ns() + timeout_ns;
	fd_caller = caller;
	for (;;) {
		u64 wake = self_wakeup(fds, n), step = deadline;
		int e;

		if (wake && (!step || wake < step))
			step = wake;
		e = libc_wait(poll_scan, &r, step, "poll");
		if (!e || (e == ETIMEDOUT && step == deadline))
			break;
		if (e != ETIMEDOUT) {
			errno = e == ECANCELED ? EINTR : e;	/* EDEADLK: nothing can ever be ready */
			return -1;
		}
	}
	errno = saved;	/* fd_get above may have set EBADF */
	return r.ready;
}

int poll(struct pollfd *fds, unsigned long n, int timeout_ms);
int
poll(struct pollfd *fds, unsigned long n, int timeout_ms)
{
	return poll_ns(fds, n, timeout_ms < 0 ? -1 : (s64)timeout_ms * (s64)NSEC_PER_MSEC, (u64)CALLER);
}
EXPORT(poll, LIBC);

int ppoll(struct pollfd *fds, unsigned long n, const struct timespec *ts, const void *sigmask);
int
ppoll(struct pollfd *fds, unsigned long n, const struct timespec *ts, const void *sigmask)
{
	if (ts && (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)) {
		errno = EINVAL;
		return -1;
	}
	return poll_ns(fds, n, ts ? ts->tv_sec * (s64)NSEC_PER_SEC + ts->tv_nsec : -1, (u64)CALLER);
}
EXPORT(ppoll, LIBC);

int __poll_chk(struct pollfd *fds, unsigned long n, int timeout, unsigned long fdslen);
int
__poll_chk(struct pollfd *fds, unsigned long n, int timeout, unsigned long fdslen)
{
	if (fdslen / sizeof(*fds) < n)
		ctx_abort("*** buffer overflow detected ***: terminated", CALLER);
	return poll(fds, n, timeout);
}
EXPORT(__poll_chk, FORTIFY);

/* fd_set: 1024 bits in longs. */
static bool
isset(const unsigned long *set, int fd)
{
	return set && (set[fd / 64] >> (fd % 64) & 1);
}

static int
select_ns(int nfds, unsigned long *rd, unsigned long *wr, unsigned long *ex, s64 timeout_ns,
	  u64 caller)
{
	struct pollfd fds[FD_MAX];
	int n = 0, ready;

	if (nfds < 0 || nfds > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	for (int fd = 0; fd < nfds; fd++) {
		short ev = (isset(rd, fd) ? POLLIN : 0) | (isset(wr, fd) ? POLLOUT : 0) |
			   (isset(ex, fd) ? POLLPRI : 0);

		if (!ev)
			continue;
		if (fd >= FD_MAX || fd_poll(fd) & POLLNVAL) {
			errno = EBADF;
			return -1;
		}
		fds[n++] = (struct pollfd){ fd, ev, 0 };
	}
	ready = poll_ns(fds, n, timeout_ns, caller);
	if (ready < 0)
		return -1;
	for (int i = 0; i < nfds / 64 + !!(nfds % 64); i++) {
		unsigned long keep = i < nfds / 64 ? ~0UL : (1UL << (nfds % 64)) - 1;

		if (rd) rd[i] &= ~keep;
		if (wr) wr[i] &= ~keep;
		if (ex) ex[i] &= ~keep;
	}
	ready = 0;
	for (int i = 0; i < n; i++) {
		int fd = fds[i].fd;
		unsigned long bit = 1UL << (fd % 64);

		/* select reports an error or hang-up as readable and writable */
		if (rd && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) && (fds[i].events & POLLIN))
			rd[fd / 64] |= bit, ready++;
		if (wr && (fds[i].revents & (POLLOUT | POLLERR)) && (fds[i].events & POLLOUT))
			wr[fd / 64] |= bit, ready++;
		if (ex && (fds[i].revents & POLLPRI))
			ex[fd / 64] |= bit, ready++;
	}
	return ready;
}

int select(int nfds, unsigned long *rd, unsigned long *wr, unsigned long *ex, struct timeval *tv);
int
select(int nfds, unsigned long *rd, unsigned long *wr, unsigned long *ex, struct timeval *tv)
{
	s64 ns = -1;
	int r;
	u64 start = time_now_ns();

	if (tv) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000) {
			errno = EINVAL;
			return -1;
		}
		ns = tv->tv_sec * (s64)NSEC_PER_SEC + tv->tv_usec * (s64)NSEC_PER_USEC;
	}
	r = select_ns(nfds, rd, wr, ex, ns, (u64)CALLER);
	if (tv && r >= 0) {	/* Linux leaves the time not slept */
		u64 spent = time_now_ns() - start;
		u64 left = (u64)ns > spent ? ns - spent : 0;

		tv->tv_sec = left / NSEC_PER_SEC;
		tv->tv_usec = left % NSEC_PER_SEC / NSEC_PER_USEC;
	}
	return r;
}
EXPORT(select, LIBC);

int pselect(int nfds, unsigned long *rd, unsigned long *wr, unsigned long *ex, const struct timespec *ts, const void *sigmask);
int
pselect(int nfds, unsigned long *rd, unsigned long *wr, unsigned long *ex,
	const struct timespec *ts, const void *sigmask)
{
	if (ts && (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)) {
		errno = EINVAL;
		return -1;
	}
	return select_ns(nfds, rd, wr, ex, ts ? ts->tv_sec * (s64)NSEC_PER_SEC + ts->tv_nsec : -1,
			 (u64)CALLER);
}
EXPORT(pselect, LIBC);

/* FD_SET/FD_ISSET under _FORTIFY_SOURCE: the word index, or abort. */
long __fdelt_chk(long d);
long
__fdelt_chk(long d)
{
	if (d < 0 || d >= FD_SETSIZE)
		ctx_abort("*** bit out of range 0 - FD_SETSIZE on fd_set ***: terminated", CALLER);
	return d / 64;
}
EXPORT(__fdelt_chk, FORTIFY);
EXPORT_ALIAS(__fdelt_chk, __fdelt_warn, FORTIFY);
