/* eventfd: a 64-bit counter; read takes it (or 1 with EFD_SEMAPHORE),
 * write adds, readable while non-zero, writable below the maximum. */
#include "fd.h"
#include <core/heap.h>

#define EFD_SEMAPHORE	1
#define EFD_MAX		0xfffffffffffffffeULL

struct eventfd {
	struct fd_obj base;
	u64 count;
	bool semaphore;
};

static bool
nonzero(void *arg)
{
	return ((struct eventfd *)arg)->count != 0;
}

static ssize_t
efd_read(struct fd_obj *o, void *buf, size_t n, u64 *pos, int flags)
{
	struct eventfd *e = (struct eventfd *)o;
	u64 v;

	if (n < 8) {
		errno = EINVAL;
		return -1;
	}
	if (!e->count) {
		int err = flags & O_NONBLOCK ? EAGAIN : libc_wait(nonzero, e, 0, "eventfd read");

		if (err) {
			errno = err;
			return -1;
		}
	}
	v = e->semaphore ? 1 : e->count;
	e->count -= v;
	memcpy(buf, &v, 8);
	fd_changed();
	return 8;
}

struct efd_room {
	struct eventfd *e;
	u64 v;
};

static bool
efd_has_room(void *arg)
{
	struct efd_room *r = arg;

	return r->v <= EFD_MAX - r->e->count;
}

static ssize_t
efd_write(struct fd_obj *o, const void *buf, size_t n, u64 *pos, int flags)
{
	struct eventfd *e = (struct eventfd *)o;
	u64 v;

	if (n < 8) {
		errno = EINVAL;
		return -1;
	}
	memcpy(&v, buf, 8);
	if (v == ~0ULL) {
		errno = EINVAL;
		return -1;
	}
	while (v > EFD_MAX - e->count) {
		struct efd_room want = { e, v };
		int err = flags & O_NONBLOCK ? EAGAIN : libc_wait(efd_has_room, &want, 0, "eventfd write");

		if (err) {
			errno = err;
			return -1;
		}
	}
	e->count += v;
	fd_changed();
	return 8;
}

static int
efd_poll(struct fd_obj *o)
{
	struct eventfd *e = (struct eventfd *)o;

	return (e->count ? POLLIN : 0) | (e->count < EFD_MAX ? POLLOUT : 0);
}

static int
efd_stat(struct fd_obj *o, void *st)
{
	struct libc_stat *s = st;

	memset(s, 0, sizeof(*s));
	s->st_mode = 0600;	/* an anonymous inode: no file type bits */
	s->st_nlink = 1;
	s->st_blksize = 4096;
	return 0;
}

static void
efd_release(struct fd_obj *o)
{
	heap_free(o);
}

static const struct fd_ops eventfd_ops = {
	.kind = "eventfd", .read = efd_read, .write = efd_write, .poll = efd_poll,
	.stat = efd_stat, .release = efd_release,
};

int eventfd(unsigned initval, int flags);
int
eventfd(unsigned initval, int flags)
{
	struct eventfd *e;
	int fd;

	if (flags & ~(EFD_SEMAPHORE | O_NONBLOCK | O_CLOEXEC)) {
		errno = EINVAL;
		return -1;
	}
	e = heap_alloc(sizeof(*e));
	if (!e) {
		errno = ENOMEM;
		return -1;
	}
	*e = (struct eventfd){ { &eventfd_ops, 0 }, initval, flags & EFD_SEMAPHORE };
	fd = fd_install(&e->base, O_RDWR | (flags & (O_NONBLOCK | O_CLOEXEC)), 0);
	if (fd < 0)
		heap_free(e);
	return fd;
}
EXPORT(eventfd, LIBC);

int eventfd_read(int fd, u64 *value);
int
eventfd_read(int fd, u64 *value)
{
	return read(fd, value, 8) == 8 ? 0 : -1;
}
EXPORT(eventfd_read, LIBC);

int eventfd_write(int fd, u64 value);
int
eventfd_write(int fd, u64 value)
{
	return write(fd, &value, 8) == 8 ? 0 : -1;
}
EXPORT(eventfd_write, LIBC);
