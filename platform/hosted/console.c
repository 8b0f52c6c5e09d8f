/* The console is fd 0/1: raw mode through the termios ioctls when it is a
 * terminal, plain reads otherwise. */
#include <core/platform.h>
#include "syscall.h"

#define TCGETS	0x5401
#define TCSETS	0x5402
#define ICANON	0x2
#define ECHO	0x8
#define ISIG	0x1
#define IEXTEN	0x8000
#define ICRNL	0x100
#define IXON	0x400
#define VTIME	5
#define VMIN	6

struct k_termios {
	u32 iflag, oflag, cflag, lflag;
	u8 line;
	u8 cc[19];
};

static struct k_termios saved;
static int tty = -1;	/* unknown */
static bool raw_on;
static char inbuf[512];
static size_t inpos, inlen;

void
plat_console_write(const char *buf, size_t len)
{
	hosted_write_all(1, buf, len, false);
}

int
plat_console_getc(void)
{
	while (inpos == inlen) {
		long n = syscall3(SYS_read, 0, inbuf, sizeof(inbuf));

		if (n == -EINTR)
			continue;
		if (n <= 0)
			return -1;
		inpos = 0;
		inlen = n;
	}
	return (u8)inbuf[inpos++];
}

int
plat_console_wait(u64 wait_ns)
{
	return inpos < inlen ? 1 : plat_stream_wait(0, wait_ns) != 0;
}

bool
plat_console_is_tty(void)
{
	struct k_termios t;

	if (tty < 0)
		tty = syscall3(SYS_ioctl, 0, TCGETS, &t) == 0 &&
		      syscall3(SYS_ioctl, 1, TCGETS, &t) == 0;
	return tty;
}

void
plat_console_raw(bool raw)
{
	struct k_termios t;

	if (!plat_console_is_tty() || raw == raw_on)
		return;
	if (raw) {
		syscall3(SYS_ioctl, 0, TCGETS, &saved);
		t = saved;
		t.lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
		t.iflag &= ~(ICRNL | IXON);
		t.cc[VMIN] = 1;
		t.cc[VTIME] = 0;
		syscall3(SYS_ioctl, 0, TCSETS, &t);
	} else {
		syscall3(SYS_ioctl, 0, TCSETS, &saved);
	}
	raw_on = raw;
}
