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
#include "guestpeer.h"
#include <ccid/ccid.h>

/* NotifySlotChange messages from the interrupt endpoint */
static struct {
	bool notified;
	u8 notify[8];
} S;

static u8 seq, t1_ns, protocol;

static void
on_notify(const struct usb_redir_interrupt_packet_header *h, const u8 *d, int n)
{
	if (h->endpoint == CCID_EP_INT && n > 0) {
		memcpy(S.notify, d, (size_t)MIN(n, 8));
		S.notified = true;
	}
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

	gp_begin();
	usbredirparser_send_bulk_packet(gp_parser, GP.want_id, &out, (u8 *)msg, (int)len);
	gp_pump_until(&GP.got, "the bulk OUT status");
	if (GP.status != usb_redir_success)
		gp_fail("bulk OUT status %d", GP.status);
	gp_begin();
	usbredirparser_send_bulk_packet(gp_parser, GP.want_id, &in, NULL, 0);
	gp_pump_until(&GP.got, "the bulk IN answer");
	if (GP.status != usb_redir_success)
		gp_fail("bulk IN status %d", GP.status);
	if (GP.len < CCID_HDR || (u32)GP.len != CCID_HDR + rd32(GP.data + 1))
		gp_fail("answer of %d bytes, dwLength %u", GP.len, GP.len >= 5 ? rd32(GP.data + 1) : 0);
	if (GP.data[6] != msg[6])
		gp_fail("answer bSeq %u for bSeq %u", GP.data[6], msg[6]);
	*rlen = GP.len;
	return GP.data;
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
			gp_fail("bad hex '%s'", s);
		out[n++] = (u8)v;
		s += 2;
	}
	return n;
}

static void
setup(const char *addr)
{
	gp_open("ccid_client", "blobvisor ccid test client", addr, true, on_notify);
	gp_configure(CCID_EP_INT);
}

static void
describe(void)
{
	u8 d[512];
	int n;

	printf("device %04x:%04x speed %s\n", GP.dc.vendor_id, GP.dc.product_id,
	       GP.dc.speed == usb_redir_speed_full ? "full" : "other");
	printf("interfaces %u class %u\n", GP.ii.interface_count, GP.ii.interface_class[0]);
	for (int k = 1; k < 32; k++) {
		static const char *const t[] = { "control", "iso", "bulk", "interrupt" };

		if (GP.ei.type[k] > 3 || k == 16)
			continue;
		printf("ep 0x%02x %s interval %u max %u\n", (k & 16 ? 0x80 : 0) | (k & 15),
		       t[GP.ei.type[k]], GP.ei.interval[k], GP.ei.max_packet_size[k]);
	}
	n = gp_control(0x80, 6, 0x0200, 0, 255, NULL, d);
	if (n < 18 + 54 || d[18] != 54 || d[19] != 0x21)
		gp_fail("no CCID class descriptor after the interface descriptor");
	printf("ccid bcdCCID %04x slots %u protocols %u features %08x maxmsg %u maxifsd %u\n",
	       d[20] | d[21] << 8, d[22] + 1, rd32(d + 24), rd32(d + 58), rd32(d + 62), rd32(d + 46));
	n = gp_control(0x80, 6, 0x0302, 0x0409, 255, NULL, d);
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
			gp_fail("chained I-block not acknowledged");
	}
	for (;;) {
		if (r[7] & 0x40)
			gp_fail("XfrBlock failed, bError %02X", r[8]);
		u8 pcb = r[CCID_HDR + 1], n = r[CCID_HDR + 2];

		if (pcb & 0x80)
			gp_fail("T=1: card answered with block PCB %02X", pcb);
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
			gp_fail("XfrBlock failed, bError %02X", r[8]);
		rn = (size_t)rl - CCID_HDR;
		memcpy(out, r + CCID_HDR, rn);
	}
	if (rn < 2)
		gp_fail("response of %zu bytes", rn);
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
		gp_fail("usage: ccid_client ADDR STEP...");
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
				gp_fail("SetParameters failed, bError %02X", r[8]);
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
			gp_pump_until(&S.notified, "a NotifySlotChange");
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

			gp_begin();
			usbredirparser_send_bulk_packet(gp_parser, GP.want_id, &in, NULL, 0);
			usbredirparser_send_cancel_data_packet(gp_parser, GP.want_id);
			gp_pump_until(&GP.got, "the cancelled bulk IN");
			printf("cancel status %s\n", GP.status == usb_redir_cancelled ? "cancelled" : "other");
		} else if (!strcmp(s, "bench") && i + 1 < argc) {
			bench(atoi(argv[++i]));
		} else {
			gp_fail("unknown step '%s'", s);
		}
	}
	fflush(stdout);
	return 0;
}
