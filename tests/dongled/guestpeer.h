/* The usb-guest side of a usbredir connection (what QEMU's usb-redir is),
 * shared by the dongled test clients (client.c for the dongle,
 * ccid_client.c for `dongled --ccid'): connect, hello, the device's
 * announcements, one synchronous request at a time.  Test code: on any
 * transport or protocol failure it prints one line and exits 1. */
#ifndef TESTS_DONGLED_GUESTPEER_H
#define TESTS_DONGLED_GUESTPEER_H
#include <stdbool.h>
#include <usbredirparser.h>
#include <core/types.h>

struct guestpeer {
	bool hello, connected, iface, ep;
	struct usb_redir_device_connect_header dc;
	struct usb_redir_interface_info_header ii;
	struct usb_redir_ep_info_header ei;
	/* the one outstanding synchronous request and its answer */
	u64 want_id;
	bool got;
	int status;
	u8 data[70000];
	int len;
};
extern struct guestpeer GP;
extern struct usbredirparser *gp_parser;

/* Interrupt packets from the device (IN reports, notifications); OUT
 * acknowledgements are answers and never reach it. */
typedef void gp_interrupt_fn(const struct usb_redir_interrupt_packet_header *h, const u8 *d, int n);

void gp_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Connect to ADDR (unix:PATH or HOST:PORT; with wait, retry for 5 s) and
 * send our hello as NAME; PROG prefixes every failure line. */
void gp_open(const char *prog, const char *name, const char *addr, bool wait, gp_interrupt_fn *on_in);
/* device_connect (after interface_info and ep_info), configuration 1, and
 * interrupt receiving on INT_EP. */
void gp_configure(u8 int_ep);
void gp_pump_until(bool *flag, const char *what);
/* A new request id in GP.want_id; the answer sets GP.got, status, data. */
void gp_begin(void);
void gp_answer(u64 id, int status, const u8 *data, int len);
/* A control transfer: bytes in (copied to in when given), -1 on failure. */
int gp_control(u8 type, u8 req, u16 value, u16 index, u16 length, const u8 *out, u8 *in);
int gp_fd(void);
#endif
