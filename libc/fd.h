/* Private to libc/: the blobs' file descriptors.  Each open descriptor
 * points at an object with operations (console, namespace file, /tmp file,
 * pipe end, eventfd, timerfd); read/write/poll/close dispatch through them.
 * Linux's numbering: the lowest free number, 0-2 the console at start. */
#ifndef LIBC_FD_H
#define LIBC_FD_H

#include "libc.h"

#define FD_MAX		256
#define O_ACCMODE	3
#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_CREAT		0100
#define O_EXCL		0200
#define O_TRUNC		01000
#define O_APPEND	02000
#define O_NONBLOCK	04000
#define O_DIRECTORY	0200000
#define O_CLOEXEC	02000000
#define POLLIN		0x001
#define POLLPRI		0x002
#define POLLOUT		0x004
#define POLLERR		0x008
#define POLLHUP		0x010
#define POLLNVAL	0x020

/* struct stat on x86-64 (144 bytes) */
struct libc_stat {
	u64 st_dev, st_ino, st_nlink;
	u32 st_mode, st_uid, st_gid, pad0;
	u64 st_rdev;
	s64 st_size, st_blksize, st_blocks;
	struct timespec st_atim, st_mtim, st_ctim;
	s64 reserved[3];
};
#define S_IFDIR		0040000
#define S_IFREG		0100000
#define S_IFIFO		0010000

struct fd_obj;
struct fd_ops {
	const char *kind;
	ssize_t (*read)(struct fd_obj *o, void *buf, size_t n, u64 *pos, int flags);
	ssize_t (*write)(struct fd_obj *o, const void *buf, size_t n, u64 *pos, int flags);
	/* flags: the descriptor's O_NONBLOCK (and access mode) */
	int (*poll)(struct fd_obj *o);		/* POLLIN/POLLOUT/POLLHUP/POLLERR now */
	s64 (*size)(struct fd_obj *o);		/* seekable objects; NULL: ESPIPE */
	int (*stat)(struct fd_obj *o, void *st);
	u64 (*wakeup)(struct fd_obj *o);	/* when it becomes ready by itself (timerfd), 0: never */
	void (*release)(struct fd_obj *o);	/* last descriptor closed */
};
struct fd_obj {
	const struct fd_ops *ops;
	int refs;
};

struct fd_slot {
	struct fd_obj *obj;
	u64 pos;
	int flags;		/* O_ACCMODE | O_NONBLOCK | O_APPEND */
	bool cloexec;
};

/* The POSIX calls these files define (glibc's prototypes). */
int dup(int fd);
int dup2(int fd, int to);
int dup3(int fd, int to, int flags);
ssize_t pread(int fd, void *buf, size_t n, off_t off);
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off);
int fstat(int fd, void *st);
int __fxstat(int ver, int fd, void *st);
int fcntl(int fd, int cmd, ...);
int ioctl(int fd, unsigned long req, ...);
int __open_2(const char *path, int flags);
int openat(int dirfd, const char *path, int flags, ...);
int creat(const char *path, int mode);
int stat(const char *path, void *st);
int lstat(const char *path, void *st);
int __xstat(int ver, const char *path, void *st);
int __lxstat(int ver, const char *path, void *st);
int access(const char *path, int mode);
ssize_t readlink(const char *path, char *buf, size_t size);
int unlink(const char *path);
int statfs(const char *path, void *buf);
void *opendir(const char *path);
void *readdir(void *dirp);
int closedir(void *dirp);
int dirfd(void *dirp);
void rewinddir(void *dirp);
int libc_open(const char *path, int flags, int mode, const void *caller);

/* Lowest free descriptor >= min for obj (takes a reference); -1 EMFILE. */
int fd_install(struct fd_obj *obj, int flags, int min);
/* The slot of an open descriptor, or NULL with errno EBADF. */
struct fd_slot *fd_get(int fd);
int fd_poll(int fd);	/* revents mask, POLLNVAL if not open */

/* Blocking, through the blob scheduler: wait until ready(arg) or the
 * monotonic deadline (0: none), while other blob threads run.  Every
 * object's state change calls fd_changed(), which wakes the waiters to
 * look again.  Returns 0 when ready, ETIMEDOUT at the deadline, EDEADLK
 * when every thread waits and nothing can wake one (the scheduler prints
 * the waits), ECANCELED for a cancelled thread. */
int libc_wait(bool (*ready)(void *arg), void *arg, u64 deadline_ns, const char *what);
void fd_changed(void);
/* The blob's call site of the descriptor call in progress (for `threads'). */
extern u64 fd_caller;

/* Refused paths: logged once each with the blob and the calling symbol. */
void vfs_refused(const char *path, const char *what, int err, const void *caller);

#endif
