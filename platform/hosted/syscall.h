/* Raw Linux system calls: the hosted VMM links no libc at all. */
#ifndef HOSTED_SYSCALL_H
#define HOSTED_SYSCALL_H

#include <core/errno.h>
#include <core/types.h>

enum {
	SYS_read = 0, SYS_write = 1, SYS_open = 2, SYS_close = 3, SYS_stat = 4, SYS_fstat = 5,
	SYS_poll = 7, SYS_lseek = 8, SYS_mmap = 9, SYS_mprotect = 10, SYS_munmap = 11,
	SYS_rt_sigaction = 13, SYS_rt_sigprocmask = 14, SYS_rt_sigreturn = 15,
	SYS_ioctl = 16, SYS_nanosleep = 35, SYS_setitimer = 38, SYS_getpid = 39,
	SYS_socket = 41, SYS_connect = 42, SYS_sendto = 44, SYS_recvfrom = 45,
	SYS_shutdown = 48, SYS_setsockopt = 54, SYS_getsockopt = 55, SYS_fcntl = 72,
	SYS_sigaltstack = 131, SYS_arch_prctl = 158, SYS_gettid = 186,
	SYS_tkill = 200, SYS_clock_gettime = 228, SYS_exit_group = 231,
	SYS_getrandom = 318, SYS_prctl = 157, SYS_seccomp = 317,
	SYS_pread64 = 17, SYS_pwrite64 = 18, SYS_ftruncate = 77, SYS_fallocate = 285, SYS_memfd_create = 319,
};

static inline long
syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define syscall0(n)			syscall6(n, 0, 0, 0, 0, 0, 0)
#define syscall1(n, a)			syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define syscall2(n, a, b)		syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define syscall3(n, a, b, c)		syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define syscall4(n, a, b, c, d)		syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define syscall5(n, a, b, c, d, e)	syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)


/* Linux's kernel structures we use. */
struct k_timespec { long tv_sec, tv_nsec; };
struct k_timeval { long tv_sec, tv_usec; };
struct k_itimerval { struct k_timeval interval, value; };

/* Write all of buf to fd, retrying after EINTR and short writes; a socket
 * is written with MSG_NOSIGNAL so a closed peer is -EPIPE, not SIGPIPE.
 * 0 or a negative errno.  (platform/hosted/plat.c) */
int hosted_write_all(int fd, const void *buf, size_t len, bool socket);

/* The SIGALRM handler asks whether the lazy watchdog timer's expiry is
 * VEC_WATCHDOG (plat.c). */
bool hosted_watchdog_due(void);

/* The page allocator's region (plat.c), where blob images run (image.c). */
extern u64 hosted_region_base;
extern size_t hosted_region_len;

#endif
