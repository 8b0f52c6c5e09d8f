/* The console: COM1, a 16550 UART, polled both ways (no interrupts: under
 * the hypervisor the guest owns the interrupt controllers).  Output turns
 * "\n" into "\r\n" because the other end is a terminal in raw mode.  Input
 * never ends: a serial line has no end-of-file, so scripts end with `exit'. */
#include <core/platform.h>
#include <pc/fwguest.h>
#include "pc.h"

#define COM1	0x3f8
#define COM2	0x2f8
#define THR	0	/* transmit holding (write) */
#define RBR	0	/* receive buffer (read) */
#define DLL	0	/* divisor latch low (DLAB=1) */
#define IER	1
#define DLM	1
#define LCR	3
#define MCR	4
#define LSR	5
#define LSR_DR	0x01	/* data ready */
#define LSR_THRE 0x20	/* transmit holding register empty */

bool pc_console_tty;	/* `tty' on the kernel command line */
static u16 com = COM1;	/* COM2 when the firmware is the guest: COM1 stays its console */
static char last;

void
pc_serial_init(void)
{
	if (pc_efi_fw)
		com = COM2;
	outb(com + IER, 0);		/* polled */
	outb(com + LCR, 0x80);		/* DLAB: set the divisor */
	outb(com + DLL, 1);		/* 115200 baud */
	outb(com + DLM, 0);
	outb(com + LCR, 0x03);		/* 8N1 */
	/* FCR untouched: enabling the FIFO flushes bytes already received. */
	outb(com + MCR, 0x03);		/* DTR, RTS */
}

static void
putc_raw(char c)
{
	while (!(inb(com + LSR) & LSR_THRE))
		__builtin_ia32_pause();
	outb(com + THR, (u8)c);
}

void
plat_console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n' && last != '\r')
			putc_raw('\r');
		putc_raw(buf[i]);
		last = buf[i];
	}
}

void
pc_serial_puts(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	plat_console_write(s, n);
}

int
plat_console_getc(void)
{
	while (!(inb(com + LSR) & LSR_DR))
		__builtin_ia32_pause();
	return inb(com + RBR);
}

int
plat_console_wait(u64 wait_ns)
{
	u64 end = plat_time_ns() + wait_ns;

	do {
		if (inb(com + LSR) & LSR_DR)
			return 1;
		__builtin_ia32_pause();
	} while (plat_time_ns() < end);
	return 0;
}

bool
plat_console_is_tty(void)
{
	return pc_console_tty;
}

void
plat_console_raw(bool raw)
{
	/* A serial line is always raw; the line editor echoes. */
}

u16
pc_console_port(void)
{
	return com;
}
