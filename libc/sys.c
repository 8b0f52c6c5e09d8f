/* What a blob asks about the system and the process: uname, ids, rlimits,
 * anonymous mmap, and the calls refused by name (raw syscall(), terminal
 * control) with the reason. */
#include "fd.h"
#include "vfs.h"
#include <core/console.h>
#include <core/context.h>
#include <core/pages.h>
#include <core/platform.h>

struct utsname { char sysname[65], nodename[65], release[65], version[65], machine[65],
		 domainname[65]; };
struct rlimit { u64 cur, max; };

int uname(struct utsname *u);
int getuid(void);
int geteuid(void);
int getgid(void);
int getegid(void);
int getppid(void);
int gettid(void);
int getrlimit(int res, struct rlimit *r);
int setrlimit(int res, const struct rlimit *r);
int gethostname(char *name, size_t len);
long syscall(long nr, ...);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int tcgetattr(int fd, void *t);
int tcsetattr(int fd, int act, const void *t);
int tcflush(int fd, int q);
int tcdrain(int fd);
int cfsetspeed(void *t, unsigned speed);
int cfsetispeed(void *t, unsigned speed);
int cfsetospeed(void *t, unsigned speed);

/* A Linux 6.1 kernel (Debian 12's), so version checks in drivers pass. */
int
uname(struct utsname *u)
{
	if (!u) {
		errno = EFAULT;
		return -1;
	}
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "Linux");
	strcpy(u->nodename, "blobvisor");
	strcpy(u->release, "6.1.0-blobvisor");
	strcpy(u->version, "#1 SMP PREEMPT_DYNAMIC blobvisor");
	strcpy(u->machine, "x86_64");
	strcpy(u->domainname, "(none)");
	return 0;
}
EXPORT(uname, LIBC);

int
gethostname(char *name, size_t len)
{
	if (len < sizeof("blobvisor")) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(name, "blobvisor");
	return 0;
}
EXPORT(gethostname, LIBC);

/* Blobs run as root in the VMM's only process (pid 1, parent 0). */
int getuid(void) { return 0; }
EXPORT(getuid, LIBC);
int geteuid(void) { return 0; }
EXPORT(geteuid, LIBC);
int getgid(void) { return 0; }
EXPORT(getgid, LIBC);
int getegid(void) { return 0; }
EXPORT(getegid, LIBC);
int getppid(void) { return 0; }
EXPORT(getppid, LIBC);
int gettid(void) { return 1; }
EXPORT(gettid, LIBC);

#define RLIMIT_STACK	3
#define RLIMIT_NOFILE	7
#define RLIM_NLIMITS	16
#define RLIM_INFINITY	(~0ULL)

/* The limits that hold here: the blob stack's size is the loader's, the
 * descriptor table FD_MAX; everything else unlimited. */
int
getrlimit(int res, struct rlimit *r)
{
	if (res < 0 || res >= RLIM_NLIMITS) {
		errno = EINVAL;
		return -1;
	}
	if (!r) {
		errno = EFAULT;
		return -1;
	}
	r->cur = r->max = RLIM_INFINITY;
	if (res == RLIMIT_NOFILE)
		r->cur = r->max = FD_MAX;
	if (res == RLIMIT_STACK)
		r->cur = r->max = 256 * 1024;
	return 0;
}
EXPORT(getrlimit, LIBC);
EXPORT_ALIAS(getrlimit, getrlimit64, LIBC);

int
setrlimit(int res, const struct rlimit *r)
{
	struct rlimit now;

	if (getrlimit(res, &now) < 0)
		return -1;
	if (r->cur > r->max || r->max > now.max) {
		errno = r->cur > r->max ? EINVAL : EPERM;
		return -1;
	}
	return 0;	/* lowering a limit is accepted and not enforced */
}
EXPORT(setrlimit, LIBC);
EXPORT_ALIAS(setrlimit, setrlimit64, LIBC);

/* --- syscall(2) ---------------------------------------------------------- */

#define SYS_getpid	39
#define SYS_gettid	186
#define SYS_getuid	102

static void
refused_once(const char *what, long nr, const void *caller)
{
	static long seen[16];
	static int nseen;
	char where[160];

	for (int i = 0; i < nseen; i++)
		if (seen[i] == nr)
			return;
	if (nseen < 16)
		seen[nseen++] = nr;
	kprintf("libc: %s %ld refused: ENOSYS (no system calls inside the VMM; from %s)\n",
		what, nr, ctx_describe((u64)caller, where, sizeof(where)));
}

/* Only the identity queries have an answer without a kernel; any other
 * number is refused by name (ENOSYS), once per number on the console. */
long
syscall(long nr, ...)
{
	switch (nr) {
	case SYS_getpid:
		return 1;
	case SYS_gettid:
		return gettid();
	case SYS_getuid:
		return 0;
	default:
		refused_once("syscall", nr, CALLER);
		errno = ENOSYS;
		return -1;
	}
}
EXPORT(syscall, LIBC);

/* --- mmap ---------------------------------------------------------------- */

#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_FAILED	((void *)-1)

/* Anonymous private memory (zeroed pages from the core's allocator) and
 * private read-only copies of namespace files; device memory (usbfs) does
 * not exist here: ENODEV, as Linux answers for a file that cannot map. */
void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	size_t npages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	void *p;

	if (!len || (off & (PAGE_SIZE - 1)) || off < 0 || !(flags & (MAP_SHARED | MAP_PRIVATE))) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if (flags & MAP_FIXED) {
		errno = ENOMEM;	/* blobs do not choose addresses in the VMM */
		return MAP_FAILED;
	}
	if (!(flags & MAP_ANONYMOUS)) {
		struct fd_slot *s = fd_get(fd);

		if (!s)
			return MAP_FAILED;
		if (!s->obj->ops->size || (flags & MAP_SHARED && prot & PROT_W)) {
			errno = s->obj->ops->size ? EACCES : ENODEV;
			return MAP_FAILED;
		}
	}
	p = pages_alloc(npages);
	if (!p) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	memset(p, 0, npages * PAGE_SIZE);
	if (!(flags & MAP_ANONYMOUS) && pread(fd, p, len, off) < 0) {
		pages_free(p, npages);
		return MAP_FAILED;
	}
	return p;
}
EXPORT(mmap, LIBC);
EXPORT_ALIAS(mmap, mmap64, LIBC);

int
munmap(void *addr, size_t len)
{
	if (!len || ((u64)addr & (PAGE_SIZE - 1)) || !pages_owns(addr)) {
		errno = EINVAL;
		return -1;
	}
	pages_free(addr, (len + PAGE_SIZE - 1) / PAGE_SIZE);
	return 0;
}
EXPORT(munmap, LIBC);

/* --- termios: no descriptor here is a terminal line ---------------------- */

static int
not_a_tty(int fd)
{
	if (!fd_get(fd))
		return -1;
	errno = ENOTTY;
	return -1;
}

int tcgetattr(int fd, void *t) { return not_a_tty(fd); }
EXPORT(tcgetattr, LIBC);
int tcsetattr(int fd, int act, const void *t) { return not_a_tty(fd); }
EXPORT(tcsetattr, LIBC);
int tcflush(int fd, int q) { return not_a_tty(fd); }
EXPORT(tcflush, LIBC);
int tcdrain(int fd) { return not_a_tty(fd); }
EXPORT(tcdrain, LIBC);

/* The speed setters only edit the struct termios in memory (c_cflag's
 * CBAUD bits and c_ispeed/c_ospeed at 52/56), as glibc's do. */
static int
set_speed(void *t, unsigned speed, bool in, bool out)
{
	u32 *cflag = (u32 *)((u8 *)t + 8);

	if ((speed & ~0x100f) || (speed & 0x1000 && (speed & 0xf) > 0xf)) {
		errno = EINVAL;
		return -1;
	}
	if (out)
		*cflag = (*cflag & ~0x100f) | speed;
	if (in)
		*(u32 *)((u8 *)t + 52) = speed;
	if (out)
		*(u32 *)((u8 *)t + 56) = speed;
	return 0;
}

int cfsetspeed(void *t, unsigned speed) { return set_speed(t, speed, true, true); }
EXPORT(cfsetspeed, LIBC);
int cfsetispeed(void *t, unsigned speed) { return set_speed(t, speed, true, false); }
EXPORT(cfsetispeed, LIBC);
int cfsetospeed(void *t, unsigned speed) { return set_speed(t, speed, false, true); }
EXPORT(cfsetospeed, LIBC);
