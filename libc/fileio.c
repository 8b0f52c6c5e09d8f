/* read/write/lseek and friends on the descriptor table (fd.h): the console,
 * the operator's files, /tmp, pipes, eventfd and timerfd. */
#include "fd.h"
#include <core/platform.h>

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1
#define F_UNLCK		2

static struct fd_slot *
readable(int fd)
{
	struct fd_slot *s = fd_get(fd);

	if (s && (s->flags & O_ACCMODE) == O_WRONLY) {
		errno = EBADF;
		return NULL;
	}
	return s;
}

static struct fd_slot *
writable(int fd)
{
	struct fd_slot *s = fd_get(fd);

	if (s && (s->flags & O_ACCMODE) == O_RDONLY) {
		errno = EBADF;
		return NULL;
	}
	return s;
}

ssize_t
read(int fd, void *buf, size_t n)
{
	struct fd_slot *s = readable(fd);

	if (!s)
		return -1;
	if (!s->obj->ops->read) {
		errno = EINVAL;
		return -1;
	}
	fd_caller = (u64)CALLER;
	return s->obj->ops->read(s->obj, buf, n, &s->pos, s->flags);
}
EXPORT(read, LIBC);

ssize_t
write(int fd, const void *buf, size_t n)
{
	struct fd_slot *s = writable(fd);

	if (!s)
		return -1;
	if (!s->obj->ops->write) {
		errno = EINVAL;
		return -1;
	}
	if ((s->flags & O_APPEND) && s->obj->ops->size)
		s->pos = s->obj->ops->size(s->obj);
	fd_caller = (u64)CALLER;
	return s->obj->ops->write(s->obj, buf, n, &s->pos, s->flags);
}
EXPORT(write, LIBC);

ssize_t
pread(int fd, void *buf, size_t n, off_t off)
{
	struct fd_slot *s = readable(fd);
	u64 pos = off;

	if (!s)
		return -1;
	if (!s->obj->ops->size) {
		errno = ESPIPE;
		return -1;
	}
	if (off < 0) {
		errno = EINVAL;
		return -1;
	}
	return s->obj->ops->read(s->obj, buf, n, &pos, s->flags);
}
EXPORT(pread, LIBC);
EXPORT_ALIAS(pread, pread64, LIBC);

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	struct fd_slot *s = writable(fd);
	u64 pos = off;

	if (!s)
		return -1;
	if (!s->obj->ops->size) {
		errno = ESPIPE;
		return -1;
	}
	if (off < 0) {
		errno = EINVAL;
		return -1;
	}
	return s->obj->ops->write(s->obj, buf, n, &pos, s->flags);
}
EXPORT(pwrite, LIBC);

off_t
lseek(int fd, off_t off, int whence)
{
	struct fd_slot *s = fd_get(fd);
	s64 base;

	if (!s)
		return -1;
	if (!s->obj->ops->size) {
		errno = ESPIPE;
		return -1;
	}
	switch (whence) {
	case 0: base = 0; break;
	case 1: base = s->pos; break;
	case 2: base = s->obj->ops->size(s->obj); break;
	default:
		errno = EINVAL;
		return -1;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0) {
		errno = (off > 0) ? EOVERFLOW : EINVAL;
		return -1;
	}
	s->pos = base + off;
	return s->pos;
}
EXPORT(lseek, LIBC);

off_t
lseek64(int fd, off_t off, int whence)
{
	return lseek(fd, off, whence);
}
EXPORT(lseek64, LIBC);

int
isatty(int fd)
{
	struct fd_slot *s = fd_get(fd);

	if (!s)
		return 0;
	if (strcmp(s->obj->ops->kind, "console")) {
		errno = ENOTTY;
		return 0;
	}
	return plat_console_is_tty();
}
EXPORT(isatty, LIBC);

int
fstat(int fd, void *st)
{
	struct fd_slot *s = fd_get(fd);

	if (!s)
		return -1;
	return s->obj->ops->stat(s->obj, st);
}
EXPORT(fstat, LIBC);
EXPORT_ALIAS(fstat, fstat64, LIBC);

int
__fxstat(int ver, int fd, void *st)
{
	return fstat(fd, st);
}
EXPORT(__fxstat, LIBC);
EXPORT_ALIAS(__fxstat, __fxstat64, LIBC);

/* Record locks: one process owns every file here, so a lock never
 * conflicts (as a process's own locks never do on Linux); F_GETLK answers
 * F_UNLCK. */
static int
record_lock(struct fd_slot *s, int cmd, void *arg)
{
	short *type = arg;	/* struct flock starts with l_type */

	if (!arg) {
		errno = EFAULT;
		return -1;
	}
	if (!s->obj->ops->size) {
		errno = EINVAL;
		return -1;
	}
	if (*type < 0 || *type > 2) {
		errno = EINVAL;
		return -1;
	}
	if (cmd == F_GETLK)
		*type = F_UNLCK;
	return 0;
}

int
fcntl(int fd, int cmd, ...)
{
	struct fd_slot *s = fd_get(fd);
	va_list ap;
	long arg;

	if (!s)
		return -1;
	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= FD_MAX) {
			errno = EINVAL;
			return -1;
		}
		return fd_install(s->obj, s->flags | (cmd == F_DUPFD ? 0 : O_CLOEXEC), arg);
	case F_GETFD:
		return s->cloexec ? FD_CLOEXEC : 0;
	case F_SETFD:
		s->cloexec = arg & FD_CLOEXEC;
		return 0;
	case F_GETFL:
		return s->flags;
	case F_SETFL:
		s->flags = (s->flags & O_ACCMODE) | (arg & (O_NONBLOCK | O_APPEND));
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		return record_lock(s, cmd, (void *)arg);
	default:
		errno = EINVAL;
		return -1;
	}
}
EXPORT(fcntl, LIBC);
EXPORT_ALIAS(fcntl, fcntl64, LIBC);

/* No descriptor here is a device: terminals' and usbfs's requests are
 * refused as Linux refuses them on a regular file. */
int
ioctl(int fd, unsigned long req, ...)
{
	if (!fd_get(fd))
		return -1;
	errno = ENOTTY;
	return -1;
}
EXPORT(ioctl, LIBC);
