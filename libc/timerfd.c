/* timerfd: expirations counted from the clock at each look (no interrupt
 * needed), readable while at least one is pending. */
#include "fd.h"
#include <core/heap.h>
#include <core/time.h>

#define TFD_TIMER_ABSTIME	1
#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_BOOTTIME		7
#define CLOCK_REALTIME_ALARM	8
#define CLOCK_BOOTTIME_ALARM	9

struct itimerspec { struct timespec interval, value; };

struct timerfd {
	struct fd_obj base;
	int clock;
	u64 next_ns;		/* monotonic; 0: disarmed */
	u64 interval_ns;
	u64 pending;
};

static u64
ts_ns(const struct timespec *t)
{
	return t->tv_sec * NSEC_PER_SEC + t->tv_nsec;
}

/* Realtime clocks are the monotonic one shifted by the wall offset. */
static s64
clock_offset(int clock)
{
	struct timespec rt;

	if (clock != CLOCK_REALTIME && clock != CLOCK_REALTIME_ALARM)
		return 0;
	clock_gettime(CLOCK_REALTIME, &rt);
	return (s64)ts_ns(&rt) - (s64)time_now_ns();
}

static void
advance(struct timerfd *t)
{
	u64 now = time_now_ns();

	if (!t->next_ns || now < t->next_ns)
		return;
	if (!t->interval_ns) {
		t->pending++;
		t->next_ns = 0;
		return;
	}
	{
		u64 n = (now - t->next_ns) / t->interval_ns + 1;

		t->pending += n;
		t->next_ns += n * t->interval_ns;
	}
}

static bool
expired(void *arg)
{
	struct timerfd *t = arg;

	advance(t);
	return t->pending != 0;
}

static ssize_t
tfd_read(struct fd_obj *o, void *buf, size_t n, u64 *pos, int flags)
{
	struct timerfd *t = (struct timerfd *)o;

	if (n < 8) {
		errno = EINVAL;
		return -1;
	}
	if (!expired(t)) {
		int err = flags & O_NONBLOCK ? EAGAIN : libc_wait(expired, t, t->next_ns, "timerfd read");

		if (err) {
			errno = err == ETIMEDOUT ? EINTR : err;
			return -1;
		}
	}
	memcpy(buf, &t->pending, 8);
	t->pending = 0;
	return 8;
}

static int
tfd_poll(struct fd_obj *o)
{
	return expired(o) ? POLLIN : 0;
}

static int
tfd_stat(struct fd_obj *o, void *st)
{
	struct libc_stat *s = st;

	memset(s, 0, sizeof(*s));
	s->st_mode = 0600;
	s->st_nlink = 1;
	s->st_blksize = 4096;
	return 0;
}

static void
tfd_release(struct fd_obj *o)
{
	heap_free(o);
}

static u64
tfd_wakeup(struct fd_obj *o)
{
	return ((struct timerfd *)o)->next_ns;
}

static const struct fd_ops timerfd_ops = {
	.kind = "timerfd", .read = tfd_read, .poll = tfd_poll, .stat = tfd_stat,
	.wakeup = tfd_wakeup, .release = tfd_release,
};

int timerfd_create(int clock, int flags);
int
timerfd_create(int clock, int flags)
{
	struct timerfd *t;
	int fd;

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME &&
	    clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME_ALARM) {
		errno = EINVAL;
		return -1;
	}
	if (flags & ~(O_NONBLOCK | O_CLOEXEC)) {
		errno = EINVAL;
		return -1;
	}
	t = heap_alloc(sizeof(*t));
	if (!t) {
		errno = ENOMEM;
		return -1;
	}
	*t = (struct timerfd){ { &timerfd_ops, 0 }, clock, 0, 0, 0 };
	fd = fd_install(&t->base, O_RDWR | flags, 0);
	if (fd < 0)
		heap_free(t);
	return fd;
}
EXPORT(timerfd_create, LIBC);

static struct timerfd *
timer_of(int fd)
{
	struct fd_slot *s = fd_get(fd);

	if (!s)
		return NULL;
	if (s->obj->ops != &timerfd_ops) {
		errno = EINVAL;
		return NULL;
	}
	return (struct timerfd *)s->obj;
}

static void
current(struct timerfd *t, struct itimerspec *cur)
{
	u64 now = time_now_ns(), left;

	advance(t);
	left = t->next_ns > now ? t->next_ns - now : 0;
	cur->interval.tv_sec = t->interval_ns / NSEC_PER_SEC;
	cur->interval.tv_nsec = t->interval_ns % NSEC_PER_SEC;
	cur->value.tv_sec = left / NSEC_PER_SEC;
	cur->value.tv_nsec = left % NSEC_PER_SEC;
}

static bool
valid_ts(const struct timespec *t)
{
	return t->tv_sec >= 0 && t->tv_nsec >= 0 && t->tv_nsec < 1000000000;
}

int timerfd_settime(int fd, int flags, const struct itimerspec *val, struct itimerspec *old);
int
timerfd_settime(int fd, int flags, const struct itimerspec *val, struct itimerspec *old)
{
	struct timerfd *t = timer_of(fd);
	u64 value;

	if (!t)
		return -1;
	if (!val) {
		errno = EFAULT;
		return -1;
	}
	if ((flags & ~3) || !valid_ts(&val->value) || !valid_ts(&val->interval)) {
		errno = EINVAL;
		return -1;
	}
	if (old)
		current(t, old);
	t->pending = 0;
	t->interval_ns = ts_ns(&val->interval);
	value = ts_ns(&val->value);
	if (!value) {
		t->next_ns = 0;
		return 0;
	}
	if (flags & TFD_TIMER_ABSTIME) {
		s64 mono = (s64)value - clock_offset(t->clock);

		t->next_ns = mono > 0 ? (u64)mono : 1;
	} else {
		t->next_ns = time_now_ns() + value;
	}
	fd_changed();
	return 0;
}
EXPORT(timerfd_settime, LIBC);

int timerfd_gettime(int fd, struct itimerspec *cur);
int
timerfd_gettime(int fd, struct itimerspec *cur)
{
	struct timerfd *t = timer_of(fd);

	if (!t)
		return -1;
	if (!cur) {
		errno = EFAULT;
		return -1;
	}
	current(t, cur);
	return 0;
}
EXPORT(timerfd_gettime, LIBC);
