/* Memory, time, entropy, FS base, files and exit for the hosted VMM. */
#include <core/errno.h>
#include <core/heap.h>
#include <core/platform.h>
#include "syscall.h"

#define PROT_READ	1
#define PROT_WRITE	2
#define PROT_EXEC	4
#define MAP_PRIVATE	0x02
#define MAP_ANONYMOUS	0x20
#define MAP_NORESERVE	0x4000
#define MAP_FIXED_NOREPLACE 0x100000
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1
#define O_RDONLY	0
#define O_CLOEXEC	0x80000
#define O_NONBLOCK	0x800		/* opening a FIFO must not wait for a writer */
#define S_IFMT		0170000
#define S_IFDIR		0040000
#define S_IFREG		0100000

/* The page allocator's region: below 2 GiB and above the core (linked at
 * 4 MiB), so that blobs built -fno-pic (R_X86_64_32) still load and every
 * blob reaches the core with 32-bit PC-relative displacements. */
#define REGION_BASE	0x40000000UL
#define REGION_SIZE	(512UL << 20)

const char *
plat_name(void)
{
	return "hosted";
}

void
plat_memory_region(void **base, size_t *len)
{
	long p = syscall6(SYS_mmap, REGION_BASE, REGION_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
			  -1, 0);

	if (p != (long)REGION_BASE) {
		plat_console_write("blobvisor: cannot map the blob region at 0x40000000\n", 52);
		plat_exit(1);
	}
	*base = (void *)p;
	*len = REGION_SIZE;
	hosted_region_base = (u64)p;	/* image.c: memfd offsets */
	hosted_region_len = REGION_SIZE;
}

int
plat_protect(void *addr, size_t len, int prot)
{
	int p = (prot & PROT_R ? PROT_READ : 0) | (prot & PROT_W ? PROT_WRITE : 0) |
		(prot & PROT_X ? PROT_EXEC : 0);

	return (int)syscall3(SYS_mprotect, addr, len, p);
}

extern int (*hosted_vdso_clock_gettime)(int clock, struct k_timespec *ts);

static u64
clock_ns(int clock)
{
	struct k_timespec ts;

	if (!hosted_vdso_clock_gettime || hosted_vdso_clock_gettime(clock, &ts))
		syscall2(SYS_clock_gettime, clock, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

u64
plat_time_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

u64
plat_wall_seconds(void)
{
	return clock_ns(CLOCK_REALTIME) / 1000000000ULL;
}

u64
plat_random_u64(void)
{
	u64 v = 0;

	if (syscall3(SYS_getrandom, &v, sizeof(v), 0) != sizeof(v))
		v = plat_time_ns() * 0x9e3779b97f4a7c15ULL;
	return v;
}

/* Where the kernel enables FSGSBASE (CR4 bit 16; Linux 5.9 and later say
 * so in AT_HWCAP2) the FS base is one instruction; otherwise a system call
 * of 4-16 us on this kind of machine (a PVM guest without FSGSBASE). */
#define HWCAP2_FSGSBASE	(1u << 1)
extern u64 hosted_hwcap2;

void
plat_set_fs_base(u64 base)
{
	if (hosted_hwcap2 & HWCAP2_FSGSBASE)
		__asm__ volatile("wrfsbase %0" : : "r"(base) : "memory");
	else
		syscall2(SYS_arch_prctl, ARCH_SET_FS, base);
}

u64
plat_get_fs_base(void)
{
	u64 base = 0;

	if (hosted_hwcap2 & HWCAP2_FSGSBASE)
		__asm__ volatile("rdfsbase %0" : "=r"(base));
	else
		syscall2(SYS_arch_prctl, ARCH_GET_FS, &base);
	return base;
}

const char *
plat_fs_base_how(void)
{
	return hosted_hwcap2 & HWCAP2_FSGSBASE ? "wrfsbase (the kernel enables FSGSBASE)" :
						 "arch_prctl (no FSGSBASE: a system call per switch)";
}

bool
plat_breakpoints_in_memory(void)
{
	return true;
}

/* The watchdog is armed and disarmed around every blob call, and each
 * setitimer is a system call (~1.5 us here; two of them per call were a
 * tenth of loading libz.so.1, whose constructors are blob calls).  So the
 * timer is lazy: `deadline' is when VEC_WATCHDOG is due (0: disarmed), and
 * the real timer, once set, is left running: arming again only moves
 * `deadline' when the timer fires no later than it, and disarming only
 * clears it.  An expiry before the deadline re-arms for the rest, one after
 * a disarm is dropped (hosted_watchdog_due), so VEC_WATCHDOG still arrives
 * exactly when the core asked; a stale expiry costs one signal (and an
 * EINTR, which the platform's blocking calls retry) and stops the timer. */
static volatile u64 wd_deadline;	/* VEC_WATCHDOG due then; 0: disarmed */
static volatile u64 wd_timer;		/* the real timer fires then; 0: not set */

static void
timer_set(u64 now, u64 ns)
{
	struct k_itimerval it = { { 0, 0 }, { (long)(ns / 1000000000ULL),
					      (long)(ns % 1000000000ULL / 1000) } };

	if (!it.value.tv_sec && !it.value.tv_usec)
		it.value.tv_usec = 1;
	wd_timer = now + ns;
	syscall3(SYS_setitimer, 0 /* ITIMER_REAL */, &it, NULL);
}

void
plat_watchdog_arm(u64 ns)
{
	u64 now = plat_time_ns(), t;

	wd_deadline = ns ? now + ns : 0;
	__asm__ volatile("" ::: "memory");	/* the signal handler reads it */
	t = wd_timer;
	if (!ns || (t && t <= now + ns))
		return;		/* fires first; the handler re-arms for the rest */
	timer_set(now, ns);
}

/* From the SIGALRM handler (signal.c): the real timer has fired; true when
 * VEC_WATCHDOG is due now. */
bool
hosted_watchdog_due(void)
{
	u64 now = plat_time_ns(), d = wd_deadline;

	wd_timer = 0;
	if (!d)
		return false;	/* disarmed since: the stale expiry stops here */
	if (now < d) {
		timer_set(now, d - now);
		return false;
	}
	wd_deadline = 0;
	return true;
}

/* Open a regular file for reading and stat it (struct stat: st_mode at
 * offset 24, st_size at 48): never waits on a FIFO, refuses everything
 * that is not a regular file.  The fd, or negative errno. */
static long
open_regular(const char *path, u64 st[18])
{
	long fd = syscall3(SYS_open, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
	u32 mode;

	if (fd < 0)
		return fd;
	if (syscall2(SYS_fstat, fd, st) < 0) {
		syscall1(SYS_close, fd);
		return -EIO;
	}
	mode = (u32)st[3];
	if ((mode & S_IFMT) != S_IFREG) {
		syscall1(SYS_close, fd);
		return (mode & S_IFMT) == S_IFDIR ? -EISDIR : -PLAT_ENOTREG;
	}
	return fd;
}

int
plat_file_read(const char *path, void **bufp, size_t *lenp)
{
	u64 st[18];
	long fd = open_regular(path, st);
	size_t size, got = 0;
	u8 *buf;

	if (fd < 0)
		return (int)fd;
	size = st[6];
	buf = heap_alloc(size ? size : 1);
	if (!buf) {
		syscall1(SYS_close, fd);
		return -ENOMEM;
	}
	while (got < size) {
		long n = syscall3(SYS_read, fd, buf + got, size - got);

		if (n == -EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	syscall1(SYS_close, fd);
	if (got != size) {
		heap_free(buf);
		return -EIO;
	}
	*bufp = buf;
	*lenp = size;
	return 0;
}

/* struct stat (x86-64) as 64-bit words: dev 0, ino 1, size 6, mtime 11-12,
 * ctime 13-14 */
static void
stat_id(const u64 st[18], struct plat_file_id *id)
{
	id->dev = st[0];
	id->ino = st[1];
	id->size = st[6];
	id->mtime_ns = st[11] * 1000000000ULL + st[12];
	id->ctime_ns = st[13] * 1000000000ULL + st[14];
}

int
plat_file_id(const char *path, struct plat_file_id *id)
{
	u64 st[18];
	long rc = syscall2(SYS_stat, path, st);

	if (rc < 0)
		return (int)rc;
	stat_id(st, id);
	return 0;
}

static const u8 empty_file[1];

int
plat_file_view(const char *path, const void **bufp, size_t *lenp, struct plat_file_id *id)
{
	u64 st[18];
	long fd = open_regular(path, st), p;

	if (fd < 0)
		return (int)fd;
	stat_id(st, id);
	if (!id->size) {		/* mmap refuses length 0 */
		syscall1(SYS_close, fd);
		*bufp = empty_file;
		*lenp = 0;
		return 0;
	}
	p = syscall6(SYS_mmap, 0, id->size, PROT_READ, MAP_PRIVATE, fd, 0);
	syscall1(SYS_close, fd);
	if (p < 0 && p > -4096)
		return (int)p;
	*bufp = (const void *)p;
	*lenp = id->size;
	return 0;
}

void
plat_file_unview(const void *buf, size_t len)
{
	if (len)
		syscall2(SYS_munmap, buf, len);
}

#define O_WRONLY	1
#define O_CREAT		0100
#define O_TRUNC		01000

int
plat_file_create(const char *path)
{
	return (int)syscall3(SYS_open, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

#define MSG_NOSIGNAL	0x4000

int
hosted_write_all(int fd, const void *buf, size_t len, bool socket)
{
	const u8 *p = buf;

	while (len) {
		long n = socket ? syscall6(SYS_sendto, fd, (long)p, len, MSG_NOSIGNAL, 0, 0)
				: syscall3(SYS_write, fd, p, len);

		if (n == -EINTR)
			continue;
		if (n < 0)
			return (int)n;
		p += n;
		len -= n;
	}
	return 0;
}

int
plat_file_write(int fd, const void *buf, size_t len)
{
	return hosted_write_all(fd, buf, len, false);
}

void
plat_file_close(int fd)
{
	syscall1(SYS_close, fd);
}

void
plat_exit(int status)
{
	plat_console_raw(false);
	for (;;)
		syscall1(SYS_exit_group, status);
}
