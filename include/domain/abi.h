/* The protection-domain system-call ABI (docs/domains.md has each call's
 * arguments, errors and limits).  Shared by the VMM's dispatcher
 * (domain/syscall.c) and the runtime that runs inside a domain
 * (domain/user/).  x86-64: SYSCALL with the number in rax, arguments in
 * rdi, rsi, rdx, r10, r8, r9 (Linux's order); the result comes back in rax,
 * negative errno on failure; rcx and r11 are clobbered, everything else
 * is preserved.  Numbers are never reused. */
#ifndef DOMAIN_ABI_H
#define DOMAIN_ABI_H

#define BV_SYS_RETURN	0	/* (value): the VMM's call into the domain is done */
#define BV_SYS_WRITE	1	/* (fd 1|2, buf, len) -> len */
#define BV_SYS_CLOCK	2	/* (clock BV_CLOCK_*) -> nanoseconds */
#define BV_SYS_SLEEP	3	/* (ns) -> 0 */
#define BV_SYS_YIELD	4	/* () -> 0 */
#define BV_SYS_MEM_GROW	5	/* (pages) -> address of fresh zeroed rw- pages */
#define BV_SYS_EXIT	6	/* (status, msg, msglen): ends the domain */
#define BV_SYS_FILE_READ 7	/* (path, pathlen, offset, buf, len) -> bytes */
#define BV_SYS_LIMITS	8	/* (struct bv_limits *out) -> 0 */
#define BV_SYS_FILE_LIST 9	/* (buf, len) -> bytes of the list; copied if it fits */
#define BV_SYS_RANDOM	10	/* (buf, len <= 256) -> len */
#define BV_SYS_THREAD_CREATE 16	/* (entry, arg, stack size, u64 *tcb_out) -> tid */
#define BV_SYS_THREAD_EXIT 17	/* (value, flags BV_THREAD_*): ends a created thread */
#define BV_SYS_THREAD_JOIN 18	/* (tid, u64 *value_out) -> 0 */
#define BV_SYS_THREAD_DETACH 19	/* (tid) -> 0 */
#define BV_SYS_FUTEX_WAIT 20	/* (addr, expected, deadline ns, flags BV_FUTEX_*) -> 0 */
#define BV_SYS_FUTEX_WAKE 21	/* (addr, n) -> woken (n 0: how many wait) */
#define BV_SYS_THREAD_INTERRUPT 22 /* (tid) -> 1 if its interruptible wait ended */
#define BV_SYS_USB_LIST	32	/* (buf, len) -> bytes of the list; copied if it fits */
#define BV_SYS_USB_CLAIM 33	/* (serial, interface) -> 0 */
#define BV_SYS_USB_RELEASE 34	/* (serial, interface) -> 0 */
#define BV_SYS_USB_CONTROL 35	/* (serial, struct bv_usb_control *) -> bytes */
#define BV_SYS_USB_TRANSFER 36	/* (serial, type << 8 | endpoint, buf, len, timeout ms) -> bytes */
#define BV_SYS_USB_SET_CONFIG 37 /* (serial, bConfigurationValue) -> 0 */
#define BV_SYS_USB_RESET 38	/* (serial) -> 0 */
#define BV_SYS_USB_SUBMIT 39	/* (serial, struct bv_usb_urb *) -> handle */
#define BV_SYS_USB_REAP	40	/* (handle, deadline ns (0: do not wait), struct bv_usb_reaped *) -> 0 */
#define BV_SYS_USB_CANCEL 41	/* (handle, status) -> 0 */
#define BV_SYS_USB_WAIT	42	/* (deadline ns) -> 0 once any of the domain's URBs is done */
#define BV_SYS_DEBUG_HOOK 48	/* (slot, saved registers): the debugger's hook trampoline reports a call */
#define BV_SYS_DEBUG_TRACE 49	/* (op BV_TRACE_*, ...): the debugger's import-trace thunks */
/* Reserved (docs/domains.md): USB 43-47. */
#define BV_USB_URBS	64	/* a domain's outstanding asynchronous transfers */

#define BV_TRACE_ENTER	0	/* DEBUG_TRACE (0, saved): -> the traced function */
#define BV_TRACE_LEAVE	1	/* DEBUG_TRACE (1, value, sp): -> the caller's return address */

#define BV_THREAD_DETACH 1	/* THREAD_EXIT: nobody will join; free it at once */
#define BV_FUTEX_ANY	1	/* FUTEX_WAIT: no compare (any object address) */
#define BV_FUTEX_INTR	2	/* FUTEX_WAIT: THREAD_INTERRUPT may end it (-EINTR) */

#define BV_CLOCK_MONOTONIC 0
#define BV_CLOCK_REALTIME 1
#define BV_WRITE_MAX	(1UL << 20)	/* bytes per BV_SYS_WRITE */
#define BV_READ_MAX	(1UL << 20)	/* bytes per BV_SYS_FILE_READ */
#define BV_RANDOM_MAX	256		/* bytes per BV_SYS_RANDOM */
#define BV_USB_CONTROL_MAX 4096		/* bytes of a control transfer's data (usbfs's) */
#define BV_USB_TRANSFER_MAX (256UL << 10) /* bytes of a bulk/interrupt transfer (libccid reads 64 KiB + 10; 64 outstanding: usbfs's 16 MiB) */

#ifndef __ASSEMBLER__

/* Limits the VMM enforces, as the domain may ask for them. */
struct bv_limits {
	unsigned long pages_max, pages_used;
	unsigned long threads_max, threads_used;
	unsigned long cpu_ms_per_command;
};

#define BV_PATH_MAX	256		/* bytes of a path, NUL not included */

/* BV_SYS_FILE_LIST's records, one per read-only file of the blob file
 * namespace: the header, the normalised path and its NUL, then padding to
 * the next multiple of 8. */
struct bv_file {
	unsigned long size, mtime;
	unsigned long reclen;		/* header + path + NUL + padding */
	char path[];
};

/* BV_SYS_USB_LIST: a header, then one record per usable device. */
struct bv_usb_list {
	unsigned int nbus, ndev;
	unsigned short bus[16];		/* every controller's bus number */
};
struct bv_usb_dev {
	unsigned long serial;		/* the device's name in the USB calls */
	unsigned int reclen;		/* this record, configurations, padding to 8 */
	unsigned short busnum;
	unsigned char port, addr, speed, cur_config, nconfig, pad;
	unsigned char desc[18];		/* the device descriptor as read */
	unsigned char pad2[6];
	/* then nconfig times: unsigned short len; len bytes of the
	 * configuration descriptor as read */
};
struct bv_usb_control {
	unsigned char reqtype, req;
	unsigned short value, index, len;
	unsigned int timeout_ms;
	unsigned long data;		/* len bytes: read for OUT, written for IN */
};
struct bv_usb_urb {
	unsigned char type, ep;		/* control 2, bulk 3, interrupt 1; endpoint */
	unsigned char setup[8];		/* control: the setup packet (its direction bit rules) */
	unsigned char pad[6];
	unsigned long buf, len;		/* OUT: copied in at submit; IN: out at reap */
};
struct bv_usb_reaped {
	int status;			/* 0 or a negative errno (EPIPE stall, ETIMEDOUT, ...) */
	unsigned int pad;
	unsigned long actual;
};
#endif

#endif
