/* The little file I/O that shipped libraries link against (zlib's gz*,
 * lz4's fread): fds 0-2 are the console, no path can be opened (ENOENT),
 * any other fd is EBADF. */
#include "libc.h"
#include <core/console.h>
#include <core/platform.h>

static bool closed[3];

static bool
console_fd(int fd)
{
	return fd >= 0 && fd <= 2 && !closed[fd];
}

int
open(const char *path, int flags, ...)
{
	errno = ENOENT;
	return -1;
}
EXPORT(open, LIBC);

int
open64(const char *path, int flags, ...)
{
	errno = ENOENT;
	return -1;
}
EXPORT(open64, LIBC);

int
close(int fd)
{
	if (!console_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	closed[fd] = true;
	return 0;
}
EXPORT(close, LIBC);

/* Console input: up to the end of a line, like a terminal in cooked mode. */
ssize_t
read(int fd, void *buf, size_t n)
{
	char *p = buf;
	size_t got = 0;

	if (!console_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	while (got < n) {
		int c = plat_console_getc();

		if (c < 0)
			break;
		p[got++] = (char)c;
		if (c == '\n')
			break;
	}
	return got;
}
EXPORT(read, LIBC);

ssize_t
write(int fd, const void *buf, size_t n)
{
	if (!console_fd(fd)) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, n);
	return n;
}
EXPORT(write, LIBC);

off_t
lseek(int fd, off_t off, int whence)
{
	errno = console_fd(fd) ? ESPIPE : EBADF;
	return -1;
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
	if (!console_fd(fd)) {
		errno = EBADF;
		return 0;
	}
	return plat_console_is_tty();
}
EXPORT(isatty, LIBC);
