/* Atomic state file: a kill -9 at any moment leaves either the old or the
 * new complete file, never a mix, and a save returns only once the new
 * contents and the rename are on disk.  One dongled owns a state file at
 * a time (PATH.lock), so nobody else saves over it from a stale copy. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "statefile.h"

/* Something at PATH that a save (rename over it) must not replace. */
static int
check_kind(const char *path, const char *what, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "%s: is a symbolic link; refused (a save would replace the link, "
			 "not its target): give the %s's own path", path, what);
		return -ELOOP;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: exists and is not a regular file; refused", path);
		return -EEXIST;
	}
	return 0;
}

/* Hold PATH.lock (flock) until exit: a second dongled on the same state
 * would save from its own stale copy and roll the first one's changes back. */
static int
take_lock(struct statefile *sf, char *err, size_t errlen)
{
	char pid[32];
	ssize_t n;
	int r = check_kind(sf->lock, "lock file", err, errlen);

	if (r < 0)
		return r;
	sf->lockfd = open(sf->lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (sf->lockfd < 0) {
		snprintf(err, errlen, "%s: %s", sf->lock, strerror(errno));
		return -errno;
	}
	if (flock(sf->lockfd, LOCK_EX | LOCK_NB) < 0) {
		r = errno == EWOULDBLOCK ? -EBUSY : -errno;
		n = pread(sf->lockfd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = 0;
		pid[strcspn(pid, "\n")] = 0;
		if (r == -EBUSY)
			snprintf(err, errlen, "%s: in use by another dongled (pid %s); refused",
				 sf->path, pid[0] ? pid : "unknown");
		else
			snprintf(err, errlen, "%s: cannot lock: %s", sf->lock, strerror(-r));
		close(sf->lockfd);
		sf->lockfd = -1;
		return r;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	/* the pid is only for the message above: failing to write it costs nothing */
	if (ftruncate(sf->lockfd, 0) == 0)
		n = pwrite(sf->lockfd, pid, (size_t)n, 0);
	return 0;
}

int
statefile_open(struct statefile *sf, const char *path, char *err, size_t errlen)
{
	char *copy = strdup(path), *dir;
	int r;

	memset(sf, 0, sizeof(*sf));
	sf->path = path;
	sf->dirfd = sf->lockfd = -1;
	if (asprintf(&sf->tmp, "%s.tmp", path) < 0 || asprintf(&sf->lock, "%s.lock", path) < 0 ||
	    !copy) {
		snprintf(err, errlen, "%s: out of memory", path);
		free(copy);
		return -ENOMEM;
	}
	r = check_kind(path, "state file", err, errlen);
	if (r < 0) {
		free(copy);
		return r;
	}
	dir = dirname(copy);
	sf->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sf->dirfd < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: directory %s: %s", path, dir, strerror(-r));
		free(copy);
		return r;
	}
	free(copy);
	r = take_lock(sf, err, errlen);
	if (r < 0)
		return r;
	/* Ours now: a .tmp here is what a kill -9 left mid-save; the state
	 * file still holds the last complete save. */
	r = check_kind(sf->tmp, "state file", err, errlen);
	if (r < 0)
		return r;
	if (unlink(sf->tmp) == 0)
		sf->stale_tmp = true;
	return 0;
}

void
statefile_close(struct statefile *sf)
{
	if (sf->lockfd >= 0)
		close(sf->lockfd);
	if (sf->dirfd >= 0)
		close(sf->dirfd);
	sf->lockfd = sf->dirfd = -1;
}

int
statefile_read(struct statefile *sf, u8 *buf, size_t cap, size_t *len, char *err, size_t errlen)
{
	ssize_t n;
	struct stat sb;
	int fd = open(sf->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", sf->path, strerror(e));
		return -e;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		snprintf(err, errlen, "%s: not a regular file; refused", sf->path);
		return -EINVAL;
	}
	n = read(fd, buf, cap);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", sf->path, strerror(errno));
		return -EIO;
	}
	*len = (size_t)n;
	return 0;
}

int
statefile_load(struct statefile *sf, struct dongle_state *st, char *err, size_t errlen)
{
	u8 buf[DONGLE_STATE_SIZE + 1];	/* one extra byte catches a longer file */
	const char *why;
	size_t n;
	int r = statefile_read(sf, buf, sizeof(buf), &n, err, errlen);

	if (r < 0)
		return r;
	if (dongle_state_decode(st, buf, n, &why) != 0) {
		snprintf(err, errlen, "%s: %s", sf->path, why);
		return -EINVAL;
	}
	return 0;
}

int
statefile_save(struct statefile *sf, const u8 *image, size_t len)
{
	size_t done = 0;
	int fd = open(sf->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);

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
