/* Descriptors against Linux through glibc: pipes, eventfd, timerfd, poll,
 * select, fcntl and dup run the same random operation sequences on both
 * sides (non-blocking, where Linux would block a single-threaded caller),
 * comparing results, errno and readiness call by call. */
#include "bv.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

int bv_pipe(int fds[2]);
int bv_pipe2(int fds[2], int flags);
ssize_t bv_read(int fd, void *buf, size_t n);
ssize_t bv_write(int fd, const void *buf, size_t n);
int bv_close(int fd);
int bv_poll(struct pollfd *fds, nfds_t n, int timeout);
int bv_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv);
int bv_eventfd(unsigned init, int flags);
int bv_timerfd_create(int clock, int flags);
int bv_timerfd_settime(int fd, int flags, const struct itimerspec *v, struct itimerspec *old);
int bv_timerfd_gettime(int fd, struct itimerspec *cur);
int bv_fcntl(int fd, int cmd, ...);
int bv_dup(int fd);
int bv_dup2(int fd, int to);
off_t bv_lseek(int fd, off_t off, int whence);
int bv_fstat(int fd, struct stat *st);
long bv___fdelt_chk(long d);

static int bad_shown;
#define SAME(what, g, ge, o, oe) do { \
	if ((g) != (o) || (ge) != (oe)) { bad++; if (bad_shown++ < 12) \
		printf("# %s: glibc %ld errno %d, ours %ld errno %d\n", what, (long)(g), ge, (long)(o), oe); } \
} while (0)

static short
revents(int (*pollfn)(struct pollfd *, nfds_t, int), int fd, short ev)
{
	struct pollfd p = { fd, ev, 0 };

	return pollfn(&p, 1, 0) == 1 ? p.revents : 0;
}

static void
test_pipe_sequences(void)
{
	int bad = 0, n = 0;

	for (int iter = 0; iter < 300; iter++) {
		int g[2], o[2];
		bool gr_open = true, gw_open = true;
		static char buf[70000], gb[70000], ob[70000];

		pipe2(g, O_NONBLOCK);
		bv_pipe2(o, O_NONBLOCK);
		for (int step = 0; step < 30; step++) {
			int op = rnd() % 10;
			size_t len = rnd() % 3 ? rnd() % 200 : rnd() % 70000;
			ssize_t rg, ro;
			int eg, eo;

			for (size_t i = 0; i < len; i++)
				buf[i] = rnd();
			errno = 0; shim_errno = 0;
			if (op < 4 && gw_open) {
				rg = write(g[1], buf, len); eg = rg < 0 ? errno : 0;
				ro = bv_write(o[1], buf, len); eo = ro < 0 ? shim_errno : 0;
				SAME("write", rg, eg, ro, eo);
			} else if (op < 8 && gr_open) {
				rg = read(g[0], gb, len); eg = rg < 0 ? errno : 0;
				ro = bv_read(o[0], ob, len); eo = ro < 0 ? shim_errno : 0;
				SAME("read", rg, eg, ro, eo);
				if (rg > 0 && rg == ro && memcmp(gb, ob, rg))
					bad++;
			} else if (op == 8 && rnd() % 4 == 0) {
				if (rnd() % 2 && gw_open) {
					close(g[1]); bv_close(o[1]); gw_open = false;
				} else if (gr_open) {
					close(g[0]); bv_close(o[0]); gr_open = false;
				}
			}
			if (gr_open)
				SAME("poll read end", revents(poll, g[0], POLLIN | POLLOUT), 0,
				     revents(bv_poll, o[0], POLLIN | POLLOUT), 0);
			if (gw_open)
				SAME("poll write end", revents(poll, g[1], POLLIN | POLLOUT), 0,
				     revents(bv_poll, o[1], POLLIN | POLLOUT), 0);
			n++;
		}
		if (gr_open) { close(g[0]); bv_close(o[0]); }
		if (gw_open) { close(g[1]); bv_close(o[1]); }
	}
	TAP_CHECK(!bad, "pipe2(O_NONBLOCK): %d random write/read/close steps (small writes, 64 KiB "
		  "fills, EAGAIN, EPIPE, end of file) and poll readiness of both ends match Linux", n);
}

static void
test_eventfd_sequences(void)
{
	int bad = 0, n = 0;

	for (int iter = 0; iter < 200; iter++) {
		int flags = EFD_NONBLOCK | (iter % 2 ? EFD_SEMAPHORE : 0);
		unsigned init = rnd() % 3 ? 0 : rnd() % 5;
		int g = eventfd(init, flags), o = bv_eventfd(init, flags);

		for (int step = 0; step < 20; step++) {
			uint64_t v = rnd() % 4 == 0 ? ~0ULL - rnd() % 3 : rnd() % 10, gv = 0, ov = 0;
			size_t len = rnd() % 8 ? 8 : rnd() % 9;
			ssize_t rg, ro;
			int eg, eo;

			errno = 0; shim_errno = 0;
			if (rnd() % 2) {
				rg = write(g, &v, len); eg = rg < 0 ? errno : 0;
				ro = bv_write(o, &v, len); eo = ro < 0 ? shim_errno : 0;
				SAME("eventfd write", rg, eg, ro, eo);
			} else {
				rg = read(g, &gv, len); eg = rg < 0 ? errno : 0;
				ro = bv_read(o, &ov, len); eo = ro < 0 ? shim_errno : 0;
				SAME("eventfd read", rg, eg, ro, eo);
				SAME("eventfd value", gv, 0, ov, 0);
			}
			SAME("eventfd poll", revents(poll, g, POLLIN | POLLOUT), 0,
			     revents(bv_poll, o, POLLIN | POLLOUT), 0);
			n++;
		}
		close(g);
		bv_close(o);
	}
	errno = 0; shim_errno = 0;
	SAME("eventfd bad flags", eventfd(0, 0x4), errno, bv_eventfd(0, 0x4), shim_errno);
	TAP_CHECK(!bad, "eventfd (counter and EFD_SEMAPHORE, non-blocking): %d random reads and writes "
		  "(short buffers, 2^64-1, overflow) with values and readiness match Linux", n);
}

static void
test_blocking_refused(void)
{
	int o[2], e;
	char c;

	bv_pipe(o);
	shim_errno = 0;
	TAP_CHECK(bv_read(o[0], &c, 1) == -1 && shim_errno == EDEADLK,
		  "a blocking read of an empty pipe with no other thread to write returns EDEADLK "
		  "(Linux would hang)");
	e = bv_eventfd(0, 0);
	uint64_t v;
	shim_errno = 0;
	TAP_CHECK(bv_read(e, &v, 8) == -1 && shim_errno == EDEADLK,
		  "a blocking read of a zero eventfd returns EDEADLK");
	{
		struct pollfd p = { o[0], POLLIN, 0 };
		shim_errno = 0;
		TAP_CHECK(bv_poll(&p, 1, -1) == -1 && shim_errno == EDEADLK,
			  "poll without timeout on descriptors nothing can make ready returns EDEADLK");
	}
	bv_close(o[0]);
	bv_close(o[1]);
	bv_close(e);
}

static long
ms_since(struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void
test_timeouts(void)
{
	int o[2], g[2], r;
	struct timespec t0;
	long gms, oms;
	struct timeval tv;
	fd_set rs;

	pipe(g);
	bv_pipe(o);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pollfd p = { o[0], POLLIN, 0 };
	r = bv_poll(&p, 1, 60);
	oms = ms_since(&t0);
	TAP_CHECK(r == 0 && oms >= 60 && oms < 1000, "poll on an empty pipe times out after its 60 ms "
		  "(%ld ms)", oms);
	FD_ZERO(&rs);
	FD_SET(o[0], &rs);
	tv = (struct timeval){ 0, 40000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = bv_select(o[0] + 1, &rs, NULL, NULL, &tv);
	oms = ms_since(&t0);
	TAP_CHECK(r == 0 && !FD_ISSET(o[0], &rs) && oms >= 40 && tv.tv_sec == 0 && tv.tv_usec == 0,
		  "select times out after 40 ms, clears the set and leaves tv at 0 as Linux does (%ld ms)", oms);

	/* select readiness and errors, compared */
	{
		int bad = 0;
		fd_set gr, gw, orr, ow;

		write(g[1], "x", 1);
		bv_write(o[1], "x", 1);
		FD_ZERO(&gr); FD_ZERO(&gw); FD_ZERO(&orr); FD_ZERO(&ow);
		FD_SET(g[0], &gr); FD_SET(g[1], &gr); FD_SET(g[0], &gw); FD_SET(g[1], &gw);
		FD_SET(o[0], &orr); FD_SET(o[1], &orr); FD_SET(o[0], &ow); FD_SET(o[1], &ow);
		tv = (struct timeval){ 0, 0 };
		r = select(FD_SETSIZE, &gr, &gw, NULL, &tv);
		tv = (struct timeval){ 0, 0 };
		SAME("select ready count", r, 0, bv_select(FD_SETSIZE, &orr, &ow, NULL, &tv), 0);
		SAME("select read end readable", FD_ISSET(g[0], &gr), 0, FD_ISSET(o[0], &orr), 0);
		SAME("select write end readable", FD_ISSET(g[1], &gr), 0, FD_ISSET(o[1], &orr), 0);
		SAME("select read end writable", FD_ISSET(g[0], &gw), 0, FD_ISSET(o[0], &ow), 0);
		SAME("select write end writable", FD_ISSET(g[1], &gw), 0, FD_ISSET(o[1], &ow), 0);
		FD_ZERO(&gr); FD_ZERO(&orr);
		FD_SET(200, &gr); FD_SET(200, &orr);
		tv = (struct timeval){ 0, 0 };
		errno = 0; shim_errno = 0;
		r = select(201, &gr, NULL, NULL, &tv);
		SAME("select on a closed fd", r, errno, bv_select(201, &orr, NULL, NULL, &tv), shim_errno);
		errno = 0; shim_errno = 0;
		SAME("select nfds -1", select(-1, NULL, NULL, NULL, &tv), errno,
		     bv_select(-1, NULL, NULL, NULL, &tv), shim_errno);
		struct pollfd gp[2] = { { 200, POLLIN, 0 }, { -1, POLLIN, 0 } }, op[2] = { { 200, POLLIN, 0 }, { -1, POLLIN, 0 } };
		SAME("poll on a closed fd", poll(gp, 2, 0), 0, bv_poll(op, 2, 0), 0);
		SAME("poll POLLNVAL", gp[0].revents, 0, op[0].revents, 0);
		SAME("poll negative fd ignored", gp[1].revents, 0, op[1].revents, 0);
		TAP_CHECK(!bad, "select and poll readiness of pipe ends, EBADF, EINVAL and POLLNVAL match Linux");
	}
	TAP_CHECK(EXPECT_ABORT(bv___fdelt_chk(1024)) && bv___fdelt_chk(1023) == 15,
		  "__fdelt_chk (FD_SET under _FORTIFY_SOURCE): 1023 is word 15, 1024 aborts the blob call");
	close(g[0]); close(g[1]);
	bv_close(o[0]); bv_close(o[1]);
	(void)gms;
}

static void
test_timerfd(void)
{
	int g = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK), o = bv_timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec v = { { 0, 0 }, { 0, 30000000 } }, gc, oc;
	uint64_t gx = 0, ox = 0;
	int bad = 0, gr, orr, ge, oe;

	timerfd_settime(g, 0, &v, NULL);
	bv_timerfd_settime(o, 0, &v, NULL);
	SAME("timerfd poll before expiry", revents(poll, g, POLLIN), 0, revents(bv_poll, o, POLLIN), 0);
	errno = 0; shim_errno = 0;
	gr = read(g, &gx, 8); ge = errno;
	orr = bv_read(o, &ox, 8); oe = shim_errno;
	SAME("timerfd read before expiry", gr, ge, orr, oe);
	struct pollfd gp = { g, POLLIN, 0 }, op = { o, POLLIN, 0 };
	SAME("timerfd poll waits for expiry", poll(&gp, 1, 500), 0, bv_poll(&op, 1, 500), 0);
	SAME("timerfd read after expiry", read(g, &gx, 8), 0, bv_read(o, &ox, 8), 0);
	SAME("timerfd expirations", gx, 0, ox, 0);
	timerfd_gettime(g, &gc);
	bv_timerfd_gettime(o, &oc);
	SAME("timerfd disarmed after a one-shot", gc.it_value.tv_nsec + gc.it_value.tv_sec, 0,
	     oc.it_value.tv_nsec + oc.it_value.tv_sec, 0);
	/* periodic: 10 ms, wait ~55 ms: 5 expirations on both sides (+-1 for scheduling) */
	v = (struct itimerspec){ { 0, 10000000 }, { 0, 10000000 } };
	timerfd_settime(g, 0, &v, NULL);
	bv_timerfd_settime(o, 0, &v, NULL);
	usleep(55000);
	read(g, &gx, 8);
	bv_read(o, &ox, 8);
	if (gx < 4 || ox < 4 || (gx > ox ? gx - ox : ox - gx) > 1) {
		bad++;
		printf("# periodic timerfd after 55 ms: glibc %lu, ours %lu expirations\n", (unsigned long)gx, (unsigned long)ox);
	}
	errno = 0; shim_errno = 0;
	SAME("timerfd_create bad clock", timerfd_create(42, 0), errno, bv_timerfd_create(42, 0), shim_errno);
	v.it_value.tv_nsec = 1000000000;
	errno = 0; shim_errno = 0;
	SAME("timerfd_settime bad nsec", timerfd_settime(g, 0, &v, NULL), errno,
	     bv_timerfd_settime(o, 0, &v, NULL), shim_errno);
	errno = 0; shim_errno = 0;
	SAME("timerfd_settime on a pipe-less fd", timerfd_settime(0, 0, &v, NULL) < 0, errno,
	     bv_timerfd_settime(0, 0, &v, NULL) < 0, shim_errno);
	TAP_CHECK(!bad, "timerfd: one-shot (EAGAIN before, poll waits, 1 expiration, disarmed), periodic "
		  "counts, EINVAL cases match Linux");
	close(g);
	bv_close(o);
}

static void
test_fcntl_dup(void)
{
	int g[2], o[2], bad = 0;

	pipe2(g, O_NONBLOCK | O_CLOEXEC);
	bv_pipe2(o, O_NONBLOCK | O_CLOEXEC);
	SAME("F_GETFL read end", fcntl(g[0], F_GETFL), 0, bv_fcntl(o[0], F_GETFL), 0);
	SAME("F_GETFL write end", fcntl(g[1], F_GETFL), 0, bv_fcntl(o[1], F_GETFL), 0);
	SAME("F_GETFD", fcntl(g[0], F_GETFD), 0, bv_fcntl(o[0], F_GETFD), 0);
	fcntl(g[0], F_SETFL, 0);
	bv_fcntl(o[0], F_SETFL, 0);
	SAME("F_GETFL after F_SETFL 0", fcntl(g[0], F_GETFL), 0, bv_fcntl(o[0], F_GETFL), 0);
	fcntl(g[0], F_SETFD, 0);
	bv_fcntl(o[0], F_SETFD, 0);
	SAME("F_GETFD after F_SETFD 0", fcntl(g[0], F_GETFD), 0, bv_fcntl(o[0], F_GETFD), 0);
	int gd = fcntl(g[1], F_DUPFD, 100), od = bv_fcntl(o[1], F_DUPFD, 100);
	SAME("F_DUPFD 100 gives >= 100", gd >= 100, 0, od >= 100, 0);
	SAME("dup keeps F_GETFL", fcntl(gd, F_GETFL), 0, bv_fcntl(od, F_GETFL), 0);
	SAME("F_DUPFD clears close-on-exec", fcntl(gd, F_GETFD), 0, bv_fcntl(od, F_GETFD), 0);
	/* a write through the duplicate arrives at the read end */
	write(gd, "ab", 2);
	bv_write(od, "ab", 2);
	close(gd);
	bv_close(od);
	char gb[4] = "", ob[4] = "";
	SAME("read through the duplicate's write", read(g[0], gb, 4), 0, bv_read(o[0], ob, 4), 0);
	SAME("pipe stays open while the original write end is", revents(poll, g[0], POLLIN), 0,
	     revents(bv_poll, o[0], POLLIN), 0);
	errno = 0; shim_errno = 0;
	SAME("fcntl bad fd", fcntl(250, F_GETFL), errno, bv_fcntl(250, F_GETFL), shim_errno);
	errno = 0; shim_errno = 0;
	SAME("fcntl bad cmd", fcntl(g[0], 9999), errno, bv_fcntl(o[0], 9999), shim_errno);
	errno = 0; shim_errno = 0;
	SAME("lseek on a pipe", lseek(g[0], 0, SEEK_SET), errno, bv_lseek(o[0], 0, SEEK_SET), shim_errno);
	errno = 0; shim_errno = 0;
	SAME("close twice", (close(g[1]), close(g[1])), errno, (bv_close(o[1]), bv_close(o[1])), shim_errno);
	struct stat gs, os;
	fstat(g[0], &gs);
	bv_fstat(o[0], &os);
	SAME("fstat of a pipe: S_IFIFO", S_ISFIFO(gs.st_mode), 0, S_ISFIFO(os.st_mode), 0);
	errno = 0; shim_errno = 0;
	SAME("dup2 to itself", dup2(g[0], g[0]) == g[0], errno, bv_dup2(o[0], o[0]) == o[0], shim_errno);
	close(g[0]);
	bv_close(o[0]);
	TAP_CHECK(!bad, "fcntl (GETFL/SETFL/GETFD/SETFD/DUPFD), dup2, lseek, close and fstat on pipes "
		  "match Linux, errors included");
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_pipe_sequences();
	test_eventfd_sequences();
	test_blocking_refused();
	test_timeouts();
	test_timerfd();
	test_fcntl_dup();
	return tap_done();
}
