/* A usbredir client in the usb-guest role (what QEMU's usb-redir is) for
 * testing `dongled --ccid` end to end:
 *
 *   ccid_client ADDR STEP...
 *
 * Steps, in order on one connection:
 *   describe          device, interface, endpoints, the CCID class descriptor
 *   on                IccPowerOn: prints the ATR
 *   t1                SetParameters T=1 (Fi/Di 13, IFSC 254): prints them
 *   ifsd N            (T=1) S(IFS request) N
 *   apdu HEX          XfrBlock: a T=0 TPDU as given, or under T=1 the APDU
 *                     in I-blocks (chained both ways); prints data and SW
 *   status            GetSlotStatus: present/absent, active/inactive
 *   off               IccPowerOff
 *   notify            waits up to 5 s for a NotifySlotChange; prints it
 *   raw HEX           a whole PC_to_RDR message as given; prints the answer
 *   cancel            a bulk IN request with nothing to read, cancelled
 *   bench N           N SELECT-by-AID round trips; prints microseconds each
 * Every line printed is a fact read from the device; exit status 1 on any
 * transport or protocol failure, with one line saying which. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <usbredirparser.h>
#include "redirpeer.h"
#include <ccid/ccid.h>

static struct usbredirparser *P;
static int fd = -1;
static u64 next_id = 1;

static struct {
	bool hello, connected, iface, ep;
	struct usb_redir_device_connect_header dc;
	struct usb_redir_interface_info_header ii;
	struct usb_redir_ep_info_header ei;
	u64 want_id;
	bool got;
	int status;
	u8 data[70000];
	int len;
	bool notified;
	u8 notify[8];
} S;

static u8 seq, t1_ns, protocol;

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "ccid_client: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static int
io_read(void *priv, uint8_t *data, int count)
{
	ssize_t n = read(fd, data, (size_t)count);

	if (n > 0)
		return (int)n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	fail("connection closed by dongled");
}

static int
io_write(void *priv, uint8_t *data, int count)
{
	ssize_t n = write(fd, data, (size_t)count);

	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0)
		fail("write: %s", strerror(errno));
	return (int)n;
}

static void
io_log(void *priv, int level, const char *msg)
{
	if (level <= usbredirparser_warning)
		fprintf(stderr, "ccid_client: usbredir: %s\n", msg);
}

static void on_hello(void *priv, struct usb_redir_hello_header *h) { S.hello = true; }
static void on_connect(void *priv, struct usb_redir_device_connect_header *h) { S.dc = *h; S.connected = true; }
static void on_disconnect(void *priv) { fail("device disconnected"); }
static void on_iface(void *priv, struct usb_redir_interface_info_header *h) { S.ii = *h; S.iface = true; }
static void on_ep(void *priv, struct usb_redir_ep_info_header *h) { S.ei = *h; S.ep = true; }

static void
answer(u64 id, int status, const u8 *data, int len)
{
	if (id != S.want_id)
		fail("unexpected answer id %llu (want %llu)", (unsigned long long)id,
		     (unsigned long long)S.want_id);
	S.got = true;
	S.status = status;
	S.len = len;
	if (len > 0 && data)
		memcpy(S.data, data, (size_t)MIN(len, (int)sizeof(S.data)));
}

static void
on_config_status(void *priv, uint64_t id, struct usb_redir_configuration_status_header *h)
{
	answer(id, h->status, &h->configuration, 1);
}

static void
on_int_status(void *priv, uint64_t id, struct usb_redir_interrupt_receiving_status_header *h)
{
	answer(id, h->status, NULL, 0);
}

static void
on_control(void *priv, uint64_t id, struct usb_redir_control_packet_header *h, uint8_t *d, int n)
{
	answer(id, h->status, d, n);
	if (d)
		usbredirparser_free_packet_data(P, d);
}

static void
on_bulk(void *priv, uint64_t id, struct usb_redir_bulk_packet_header *h, uint8_t *d, int n)
{
	answer(id, h->status, d, n);
	if (d)
		usbredirparser_free_packet_data(P, d);
}

static void
on_interrupt(void *priv, uint64_t id, struct usb_redir_interrupt_packet_header *h, uint8_t *d, int n)
{
	if (h->endpoint == CCID_EP_INT && n > 0) {
		memcpy(S.notify, d, (size_t)MIN(n, 8));
		S.notified = true;
	}
	if (d)
		usbredirparser_free_packet_data(P, d);
}

static void
pump_until(bool *flag, const char *what)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!*flag) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		while (usbredirparser_has_data_to_write(P))
			usbredirparser_do_write(P);
		if (poll(&p, 1, 100) > 0 && usbredirparser_do_read(P) == usbredirparser_read_io_error)
			fail("read error waiting for %s", what);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (t1.tv_sec - t0.tv_sec > 5)
			fail("timed out waiting for %s", what);
	}
}

static void
begin(void)
{
	S.want_id = next_id++;
	S.got = false;
}

static int
control_in(u8 type, u8 req, u16 value, u16 index, u16 length, u8 *in)
{
	struct usb_redir_control_packet_header h = {
		.endpoint = 0x80, .request = req, .requesttype = type,
		.value = value, .index = index, .length = length,
	};

	begin();
	usbredirparser_send_control_packet(P, S.want_id, &h, NULL, 0);
	pump_until(&S.got, "a control answer");
	if (S.status != usb_redir_success)
		return -1;
	memcpy(in, S.data, (size_t)S.len);
	return S.len;
}

static u32
rd32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* One message out on bulk OUT, its answer in through bulk IN. */
static u8 *
exchange(const u8 *msg, size_t len, int *rlen)
{
	struct usb_redir_bulk_packet_header out = { .endpoint = CCID_EP_OUT, .length = (u16)len };
	struct usb_redir_bulk_packet_header in = { .endpoint = CCID_EP_IN, .length = CCID_MAX_RESP };

	begin();
	usbredirparser_send_bulk_packet(P, S.want_id, &out, (u8 *)msg, (int)len);
	pump_until(&S.got, "the bulk OUT status");
	if (S.status != usb_redir_success)
		fail("bulk OUT status %d", S.status);
	begin();
	usbredirparser_send_bulk_packet(P, S.want_id, &in, NULL, 0);
	pump_until(&S.got, "the bulk IN answer");
	if (S.status != usb_redir_success)
		fail("bulk IN status %d", S.status);
	if (S.len < CCID_HDR || (u32)S.len != CCID_HDR + rd32(S.data + 1))
		fail("answer of %d bytes, dwLength %u", S.len, S.len >= 5 ? rd32(S.data + 1) : 0);
	if (S.data[6] != msg[6])
		fail("answer bSeq %u for bSeq %u", S.data[6], msg[6]);
	*rlen = S.len;
	return S.data;
}

static u8 *
message(u8 type, u8 b7, const u8 *data, size_t n, int *rlen)
{
	u8 m[CCID_MAX_MSG];

	memset(m, 0, CCID_HDR);
	m[0] = type;
	m[1] = (u8)n;
	m[2] = (u8)(n >> 8);
	m[6] = ++seq;
	m[7] = b7;
	if (n)
		memcpy(m + CCID_HDR, data, n);
	return exchange(m, CCID_HDR + n, rlen);
}

static void
print_hex(const char *label, const u8 *p, size_t n)
{
	printf("%s", label);
	for (size_t i = 0; i < n; i++)
		printf("%s%02X", i ? " " : " ", p[i]);
	printf("\n");
}

static size_t
parse_hex(const char *s, u8 *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (*s) {
		if (*s == ' ' || *s == ':') {
			s++;
			continue;
		}
		if (n == cap || sscanf(s, "%2x", &v) != 1 || !s[1])
			fail("bad hex '%s'", s);
		out[n++] = (u8)v;
		s += 2;
	}
	return n;
}

static void
setup(const char *addr)
{
	struct usb_redir_set_configuration_header sc = { 1 };
	struct usb_redir_start_interrupt_receiving_header si = { CCID_EP_INT };
	char err[256];

	for (int tries = 0;; tries++) {
		fd = redirpeer_connect(addr, err, sizeof(err));
		if (fd >= 0)
			break;
		if (fd == -EINVAL || tries > 100)
			fail("%s: %s", addr, fd == -EINVAL ? err : strerror(-fd));
		usleep(50000);
	}
	P = usbredirparser_create();
	P->log_func = io_log;
	P->read_func = io_read;
	P->write_func = io_write;
	P->hello_func = on_hello;
	P->device_connect_func = on_connect;
	P->device_disconnect_func = on_disconnect;
	P->interface_info_func = on_iface;
	P->ep_info_func = on_ep;
	P->configuration_status_func = on_config_status;
	P->interrupt_receiving_status_func = on_int_status;
	P->control_packet_func = on_control;
	P->bulk_packet_func = on_bulk;
	P->interrupt_packet_func = on_interrupt;
	redirpeer_init(P, "blobvisor ccid test client", false);
	pump_until(&S.connected, "device_connect");
	begin();
	usbredirparser_send_set_configuration(P, S.want_id, &sc);
	pump_until(&S.got, "configuration status");
	if (S.status != usb_redir_success || S.data[0] != 1)
		fail("set_configuration 1 failed (status %d)", S.status);
	begin();
	usbredirparser_send_start_interrupt_receiving(P, S.want_id, &si);
	pump_until(&S.got, "interrupt receiving status");
	if (S.status != usb_redir_success)
		fail("start_interrupt_receiving failed (status %d)", S.status);
}

static void
describe(void)
{
	u8 d[512];
	int n;

	printf("device %04x:%04x speed %s\n", S.dc.vendor_id, S.dc.product_id,
	       S.dc.speed == usb_redir_speed_full ? "full" : "other");
	printf("interfaces %u class %u\n", S.ii.interface_count, S.ii.interface_class[0]);
	for (int k = 1; k < 32; k++) {
		static const char *const t[] = { "control", "iso", "bulk", "interrupt" };

		if (S.ei.type[k] > 3 || k == 16)
			continue;
		printf("ep 0x%02x %s interval %u max %u\n", (k & 16 ? 0x80 : 0) | (k & 15),
		       t[S.ei.type[k]], S.ei.interval[k], S.ei.max_packet_size[k]);
	}
	n = control_in(0x80, 6, 0x0200, 0, 255, d);
	if (n < 18 + 54 || d[18] != 54 || d[19] != 0x21)
		fail("no CCID class descriptor after the interface descriptor");
	printf("ccid bcdCCID %04x slots %u protocols %u features %08x maxmsg %u maxifsd %u\n",
	       d[20] | d[21] << 8, d[22] + 1, rd32(d + 24), rd32(d + 58), rd32(d + 62), rd32(d + 46));
	n = control_in(0x80, 6, 0x0302, 0x0409, 255, d);
	printf("product \"");
	for (int i = 2; i < n; i += 2)
		putchar(d[i]);
	printf("\"\n");
}

static const char *
icc(u8 status)
{
	static const char *const s[] = { "present active", "present inactive", "absent", "?" };

	return s[status & 3];
}

/* Under T=1: the APDU in I-blocks of at most IFSC, the answer's chain
 * acknowledged with R-blocks; returns the reassembled response. */
static size_t
t1_apdu(const u8 *apdu, size_t len, u8 *out)
{
	u8 b[CCID_T1_BLOCK_MAX];
	size_t sent = 0, got = 0;
	int rl;
	u8 *r;

	for (;;) {
		size_t n = MIN(len - sent, (size_t)254);
		bool more = sent + n < len;
		u8 x = 0;

		b[0] = 0;
		b[1] = (u8)((t1_ns << 6) | (more ? 0x20 : 0));
		b[2] = (u8)n;
		memcpy(b + 3, apdu + sent, n);
		for (size_t i = 0; i < 3 + n; i++)
			x ^= b[i];
		b[3 + n] = x;
		r = message(CCID_PC_XFR_BLOCK, 0, b, 4 + n, &rl);
		t1_ns ^= 1;
		sent += n;
		if (!more)
			break;
		if ((r[CCID_HDR + 1] & 0xC0) != 0x80)
			fail("chained I-block not acknowledged");
	}
	for (;;) {
		if (r[7] & 0x40)
			fail("XfrBlock failed, bError %02X", r[8]);
		u8 pcb = r[CCID_HDR + 1], n = r[CCID_HDR + 2];

		if (pcb & 0x80)
			fail("T=1: card answered with block PCB %02X", pcb);
		memcpy(out + got, r + CCID_HDR + 3, n);
		got += n;
		if (!(pcb & 0x20))
			return got;
		u8 ack[4] = { 0, (u8)(0x80 | ((((pcb >> 6) & 1) ^ 1) << 4)), 0, 0 };

		ack[3] = ack[1];
		r = message(CCID_PC_XFR_BLOCK, 0, ack, 4, &rl);
	}
}

static void
do_apdu(const char *hex)
{
	u8 a[300], out[4096];
	size_t n = parse_hex(hex, a, sizeof(a)), rn;
	int rl;
	u8 *r;

	if (protocol == 1) {
		rn = t1_apdu(a, n, out);
	} else {
		r = message(CCID_PC_XFR_BLOCK, 0, a, n, &rl);
		if (r[7] & 0x40)
			fail("XfrBlock failed, bError %02X", r[8]);
		rn = (size_t)rl - CCID_HDR;
		memcpy(out, r + CCID_HDR, rn);
	}
	if (rn < 2)
		fail("response of %zu bytes", rn);
	print_hex("apdu", out, rn);
}

static void
bench(int n)
{
	static const u8 sel[] = { 0x00, 0xA4, 0x04, 0x0C, 0x07, 0xF0, 'B', 'V', 'C', 'A', 'R', 'D' };
	struct timespec t0, t1;
	u8 out[300];
	int rl;

	for (int i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (protocol == 1)
			t1_apdu(sel, sizeof(sel), out);
		else
			message(CCID_PC_XFR_BLOCK, 0, sel, sizeof(sel), &rl);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("%.1f\n", ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3);
	}
}

int
main(int argc, char **argv)
{
	int rl;
	u8 *r;

	if (argc < 3)
		fail("usage: ccid_client ADDR STEP...");
	setup(argv[1]);
	for (int i = 2; i < argc; i++) {
		const char *s = argv[i];

		if (!strcmp(s, "describe")) {
			describe();
		} else if (!strcmp(s, "on")) {
			r = message(CCID_PC_POWER_ON, 0, NULL, 0, &rl);
			if (r[7] & 0x40) {
				printf("on failed bError %02X slot %s\n", r[8], icc(r[7]));
				continue;
			}
			print_hex("atr", r + CCID_HDR, (size_t)rl - CCID_HDR);
			protocol = 0;
			t1_ns = 0;
		} else if (!strcmp(s, "t1")) {
			static const u8 p[7] = { 0x13, 0x10, 0x00, 0x45, 0x00, 0xFE, 0x00 };

			r = message(CCID_PC_SET_PARAMETERS, 1, p, 7, &rl);
			if (r[7] & 0x40)
				fail("SetParameters failed, bError %02X", r[8]);
			printf("parameters T=%u fidi %02X ifsc %u\n", r[9], r[10], r[15]);
			protocol = 1;
			t1_ns = 0;
		} else if (!strcmp(s, "ifsd") && i + 1 < argc) {
			u8 b[5] = { 0, 0xC1, 1, (u8)atoi(argv[++i]), 0 };

			b[4] = b[1] ^ b[2] ^ b[3];
			r = message(CCID_PC_XFR_BLOCK, 0, b, 5, &rl);
			printf("ifs response %02X %u\n", r[CCID_HDR + 1], r[CCID_HDR + 3]);
		} else if (!strcmp(s, "apdu") && i + 1 < argc) {
			do_apdu(argv[++i]);
		} else if (!strcmp(s, "status")) {
			r = message(CCID_PC_GET_SLOT_STATUS, 0, NULL, 0, &rl);
			printf("slot %s\n", icc(r[7]));
		} else if (!strcmp(s, "off")) {
			r = message(CCID_PC_POWER_OFF, 0, NULL, 0, &rl);
			printf("off slot %s\n", icc(r[7]));
		} else if (!strcmp(s, "notify")) {
			pump_until(&S.notified, "a NotifySlotChange");
			printf("notify %02X %02X\n", S.notify[0], S.notify[1]);
			S.notified = false;
		} else if (!strcmp(s, "raw") && i + 1 < argc) {
			u8 m[CCID_MAX_MSG + 16];
			size_t n = parse_hex(argv[++i], m, sizeof(m));

			m[6] = ++seq;
			r = exchange(m, n, &rl);
			print_hex("answer", r, (size_t)rl);
		} else if (!strcmp(s, "cancel")) {
			struct usb_redir_bulk_packet_header in = { .endpoint = CCID_EP_IN, .length = 64 };

			begin();
			usbredirparser_send_bulk_packet(P, S.want_id, &in, NULL, 0);
			usbredirparser_send_cancel_data_packet(P, S.want_id);
			pump_until(&S.got, "the cancelled bulk IN");
			printf("cancel status %s\n", S.status == usb_redir_cancelled ? "cancelled" : "other");
		} else if (!strcmp(s, "bench") && i + 1 < argc) {
			bench(atoi(argv[++i]));
		} else {
			fail("unknown step '%s'", s);
		}
	}
	fflush(stdout);
	return 0;
}
