/* Atomic state file: a kill -9 at any moment leaves either the old or the
 * new complete file, never a mix, and a save returns only once the new
 * contents and the rename are on disk. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "statefile.h"

int
statefile_open(struct statefile *sf, const char *path, char *err, size_t errlen)
{
	char *copy = strdup(path), *dir;

	sf->path = path;
	if (asprintf(&sf->tmp, "%s.tmp", path) < 0 || !copy) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	dir = dirname(copy);
	sf->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sf->dirfd < 0) {
		snprintf(err, errlen, "%s: directory %s: %s", path, dir, strerror(errno));
		free(copy);
		return -errno;
	}
	free(copy);
	return 0;
}

int
statefile_load(struct statefile *sf, struct dongle_state *st, char *err, size_t errlen)
{
	u8 buf[DONGLE_STATE_SIZE + 1];
	const char *why;
	ssize_t n;
	int fd = open(sf->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", sf->path, strerror(e));
		return -e;
	}
	n = read(fd, buf, sizeof(buf));	/* one extra byte catches a longer file */
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", sf->path, strerror(errno));
		return -EIO;
	}
	if (dongle_state_decode(st, buf, (size_t)n, &why) != 0) {
		snprintf(err, errlen, "%s: %s", sf->path, why);
		return -EINVAL;
	}
	return 0;
}

int
statefile_save(struct statefile *sf, const u8 *image, size_t len)
{
	size_t done = 0;
	int fd = open(sf->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	while (done < len) {
		ssize_t w = write(fd, image + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;

			close(fd);
			unlink(sf->tmp);
			return -e;
		}
		done += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		int e = errno;

		unlink(sf->tmp);
		return -e;
	}
	if (rename(sf->tmp, sf->path) < 0)
		return -errno;
	if (fsync(sf->dirfd) < 0)
		return -errno;
	return 0;
}
