/* Byte streams for the hosted VMM: TCP to a loopback or numeric IPv4
 * HOST:PORT (TCP_NODELAY: usbredir sends many small packets and waits for
 * each answer) or a Unix socket, unix:PATH.  Raw system calls only.
 * No step blocks past its limit: connect is non-blocking and polled until
 * the caller's deadline (a server whose backlog is full never answers a
 * blocking one), and a write to a peer that has read nothing for
 * STALL_SEC fails (SO_SNDTIMEO) instead of hanging the VMM. */
#include <core/errno.h>
#include <core/platform.h>
#include <core/string.h>
#include <core/time.h>
#include "syscall.h"

#define AF_UNIX		1
#define AF_INET		2
#define SOCK_STREAM	1
#define SOCK_CLOEXEC	0x80000
#define SOCK_NONBLOCK	0x800
#define SOL_SOCKET	1
#define SO_ERROR	4
#define SO_SNDTIMEO	21
#define F_GETFL		3
#define F_SETFL		4
#define O_NONBLOCK	0x800
#define POLLOUT		0x004
#define STALL_SEC	5
#define IPPROTO_TCP	6
#define TCP_NODELAY	1
#define POLLIN		0x001
#define POLLHUP		0x010
#define MSG_DONTWAIT	0x40

struct k_sockaddr_in {
	u16 family;
	u16 port;	/* network order */
	u32 addr;	/* network order */
	u8 zero[8];
};

struct k_sockaddr_un {
	u16 family;
	char path[108];
};

struct k_pollfd {
	int fd;
	short events, revents;
};

static u16
be16(u16 v)
{
	return (u16)(v << 8 | v >> 8);
}

/* "127.0.0.1", "localhost": the address in network order, or false. */
static bool
parse_ipv4(const char *s, size_t n, u32 *out)
{
	u32 a = 0;
	int parts = 0;

	if (n == 9 && !strncmp(s, "localhost", 9)) {
		*out = 0x0100007f;
		return true;
	}
	for (size_t i = 0; i <= n; parts++) {
		u32 v = 0;
		size_t digits = 0;

		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 3) {
			v = v * 10 + (s[i++] - '0');
			digits++;
		}
		if (!digits || v > 255 || parts == 4)
			return false;
		a |= v << (8 * parts);
		if (i == n)
			break;
		if (s[i++] != '.')
			return false;
	}
	if (parts != 3)
		return false;
	*out = a;
	return true;
}

/* Wait for a non-blocking connect to finish by DEADLINE: 0 or -errno. */
static int
connect_wait(long fd, u64 deadline)
{
	struct k_pollfd p = { (int)fd, POLLOUT, 0 };
	int err = 0, len = sizeof(err);
	long n;

	for (;;) {
		u64 now = time_now_ns();

		/* polled at least once: a refusal on loopback is immediate */
		n = syscall3(SYS_poll, &p, 1, now < deadline ? (long)((deadline - now) / NSEC_PER_MSEC + 1) : 0);
		if (n > 0)
			break;
		if (n < 0 && n != -EINTR)
			return (int)n;
		if (n == 0 && time_now_ns() >= deadline)
			return -ETIMEDOUT;
	}
	if (syscall5(SYS_getsockopt, fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -EIO;
	return -err;
}

/* One attempt, finished by DEADLINE: an fd or -errno (-EAGAIN: a unix
 * socket's backlog is full, try again). */
static int
connect_once(const char *addr, u64 deadline)
{
	struct k_sockaddr_in in = { .family = AF_INET };
	struct k_sockaddr_un un = { .family = AF_UNIX };
	struct { long sec, usec; } stall = { STALL_SEC, 0 };
	const void *sa;
	long fd, len, err, fl;
	int one = 1;

	if (!strncmp(addr, "unix:", 5)) {
		if (!addr[5] || strlen(addr + 5) >= sizeof(un.path))
			return -EINVAL;
		strcpy(un.path, addr + 5);
		sa = &un;
		len = sizeof(un);
	} else {
		const char *colon = strrchr(addr, ':');
		char *end;
		unsigned long port;

		if (!colon || !parse_ipv4(addr, colon - addr, &in.addr))
			return -EINVAL;
		port = strtoul(colon + 1, &end, 10);
		if (end == colon + 1 || *end || port == 0 || port > 65535)
			return -EINVAL;
		in.port = be16((u16)port);
		sa = &in;
		len = sizeof(in);
	}
	fd = syscall3(SYS_socket, sa == &un ? AF_UNIX : AF_INET,
		      SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return (int)fd;
	err = syscall3(SYS_connect, fd, sa, len);
	if (err == -EINPROGRESS)
		err = connect_wait(fd, deadline);
	if (err < 0) {
		syscall1(SYS_close, fd);
		return (int)err;
	}
	/* connected: blocking again (reads use MSG_DONTWAIT), writes bounded */
	fl = syscall2(SYS_fcntl, fd, F_GETFL);
	syscall3(SYS_fcntl, fd, F_SETFL, fl & ~O_NONBLOCK);
	syscall5(SYS_setsockopt, fd, SOL_SOCKET, SO_SNDTIMEO, &stall, sizeof(stall));
	if (sa == &in)
		syscall5(SYS_setsockopt, fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return (int)fd;
}

int
plat_stream_connect(const char *addr, u64 timeout_ns)
{
	u64 deadline = time_now_ns() + timeout_ns;

	for (;;) {
		int fd = connect_once(addr, deadline);

		/* The server may not be listening yet, or its backlog is full:
		 * retry those until the deadline. */
		if (fd >= 0 || (fd != -ECONNREFUSED && fd != -ENOENT && fd != -EAGAIN))
			return fd;
		if (time_now_ns() >= deadline)
			return fd == -EAGAIN ? -ETIMEDOUT : fd;
		struct k_timespec ts = { 0, 50 * 1000 * 1000 };

		syscall2(SYS_nanosleep, &ts, NULL);
	}
}

int
plat_stream_wait(int fd, u64 wait_ns)
{
	struct k_pollfd p = { fd, POLLIN, 0 };
	long ms = (long)((wait_ns + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC);
	long n;

	do
		n = syscall3(SYS_poll, &p, 1, ms);
	while (n == -EINTR);
	if (n < 0)
		return (int)n;
	return n > 0 ? 1 : 0;
}

int
plat_stream_read(int fd, void *buf, size_t len)
{
	long n;

	do
		n = syscall6(SYS_recvfrom, fd, (long)buf, len, MSG_DONTWAIT, 0, 0);
	while (n == -EINTR);
	if (n == -EAGAIN)
		return 0;
	if (n == 0 && len)
		return -EPIPE;
	return (int)n;
}

int
plat_stream_write(int fd, const void *buf, size_t len)
{
	return hosted_write_all(fd, buf, len, true);
}

void
plat_stream_close(int fd)
{
	syscall1(SYS_close, fd);
}
