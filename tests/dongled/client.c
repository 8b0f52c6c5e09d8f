/* A usbredir client in the usb-guest role (what QEMU's usb-redir is), for
 * testing dongled end to end:
 *
 *   client [--wait] ADDR STEP...
 *
 * ADDR is unix:PATH or HOST:PORT.  Steps run in order on one connection:
 *   describe              device, interface, endpoint and string facts
 *   info                  GET_INFO fields
 *   open user|admin PIN   OPEN
 *   zone-write Z OFF HEX  ZONE_WRITE
 *   zone-read Z OFF N     ZONE_READ, prints hex
 *   counter               COUNTER_GET
 *   loop N                N times: ZONE_WRITE zone 1 = i, COUNTER_INC 1;
 *                         prints "acked I COUNTER" after each pair
 *   bad-crc               a request with a broken CRC; prints the status
 *   zero-out              zero-length control and interrupt OUT transfers
 *   caps                  (alone) the capabilities the server's hello announced
 *   bench N               N GET_INFO round trips; prints microseconds each
 * Every line it prints is a fact read from the device; exit status 1 on
 * any transport or protocol failure, with one line saying which. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "guestpeer.h"
#include <dongle/dongle.h>

/* IN reports pushed by the device, in order */
static struct {
	u8 in[16][DONGLE_REPORT];
	int in_head, in_tail;
} S;

static void
on_report(const struct usb_redir_interrupt_packet_header *h, const u8 *d, int n)
{
	if (h->endpoint != DONGLE_EP_IN)
		return;
	if (n != DONGLE_REPORT)
		gp_fail("IN report of %d bytes", n);
	memcpy(S.in[S.in_tail % 16], d, DONGLE_REPORT);
	S.in_tail++;
}


/* The capabilities QEMU's usb-redir requires of a peer on qemu-xhci, as
 * the peer's hello announced them. */
static void
print_caps(void)
{
	static const struct { int cap; const char *name; } want[] = {
		{ usb_redir_cap_ep_info_max_packet_size, "ep_info_max_packet_size" },
		{ usb_redir_cap_32bits_bulk_length, "32bits_bulk_length" },
		{ usb_redir_cap_64bits_ids, "64bits_ids" },
	};

	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		printf("peer cap %s %s\n", want[k].name,
		       usbredirparser_peer_has_cap(gp_parser, want[k].cap) ? "yes" : "no");
}

static void
setup(const char *addr, bool wait, bool caps_only)
{
	gp_open("client", "blobvisor test client", addr, wait, on_report);
	if (caps_only) {
		gp_pump_until(&GP.hello, "the hello");
		print_caps();
		exit(0);
	}
	gp_configure(DONGLE_EP_IN);
}

/* --- the dongle protocol over interrupt transfers ------------------------ */

static u8 seq;
static u8 resp[DONGLE_REPORT];

/* One OUT report of LEN bytes (0: no data at all), then its IN response. */
static int
send_report_len(const u8 *req, uint16_t len)
{
	struct usb_redir_interrupt_packet_header h = {
		.endpoint = DONGLE_EP_OUT, .length = len,
	};
	bool have_in = false;

	gp_begin();
	usbredirparser_send_interrupt_packet(gp_parser, GP.want_id, &h, len ? (u8 *)req : NULL, len);
	gp_pump_until(&GP.got, "the OUT acknowledgement");
	if (GP.status != usb_redir_success)
		gp_fail("interrupt OUT status %d", GP.status);
	have_in = S.in_head != S.in_tail;
	if (!have_in) {
		while (S.in_head == S.in_tail) {
			bool f = false;
			struct pollfd p = { .fd = gp_fd(), .events = POLLIN };

			if (poll(&p, 1, 5000) <= 0)
				gp_fail("no IN report within 5 s");
			if (usbredirparser_do_read(gp_parser) == usbredirparser_read_io_error)
				gp_fail("read error");
			(void)f;
		}
	}
	memcpy(resp, S.in[S.in_head % 16], DONGLE_REPORT);
	S.in_head++;
	if (dongle_frame_check_response(resp) != 0)
		gp_fail("malformed response");
	return resp[DONGLE_OFF_STATUS];
}

static int
send_report(const u8 *req)
{
	return send_report_len(req, DONGLE_REPORT);
}

static int
cmd(u8 c, const void *payload, size_t len)
{
	u8 req[DONGLE_REPORT];
	int st;

	dongle_frame(req, DONGLE_MAGIC_REQ, seq, c, 0, payload, len);
	st = send_report(req);
	if (st == DST_E_SEQ)
		gp_fail("sequence number %u refused, device expects %u", seq, resp[8]);
	seq++;
	return st;
}

static u32
rd32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void
must(int st, const char *what)
{
	if (st != DST_OK)
		gp_fail("%s: %s", what, dongle_status_name(st));
}

static void
step_describe(void)
{
	u8 d[256];
	char s[64];
	int n;

	printf("device %04x:%04x speed %s bcdDevice %04x\n", GP.dc.vendor_id, GP.dc.product_id,
	       GP.dc.speed == usb_redir_speed_full ? "full" : "other", GP.dc.device_version_bcd);
	printf("interfaces %u class %u\n", GP.ii.interface_count, GP.ii.interface_class[0]);
	for (int i = 0; i < 32; i++)
		if (GP.ei.type[i] == usb_redir_type_interrupt)
			printf("ep %#04x interrupt interval %u max %u\n",
			       (i & 16) << 3 | (i & 15), GP.ei.interval[i], GP.ei.max_packet_size[i]);
	n = gp_control(0x80, 6, 0x0100, 0, 18, NULL, d);
	printf("device descriptor %d bytes bcdUSB %02x%02x maxpacket0 %u\n", n, d[3], d[2], d[7]);
	n = gp_control(0x80, 6, 0x0200, 0, 255, NULL, d);
	printf("configuration descriptor %d bytes total %u\n", n, d[2] | d[3] << 8);
	n = gp_control(0x81, 6, 0x2200, 0, 255, NULL, d);
	printf("report descriptor %d bytes usage page %02x%02x\n", n, d[2], d[1]);
	for (int i = 1; i <= 3; i++) {
		int k;

		n = gp_control(0x80, 6, (u16)(0x0300 | i), 0x0409, 255, NULL, d);
		for (k = 0; 2 + 2 * k < n && k < 63; k++)
			s[k] = (char)d[2 + 2 * k];
		s[k] = 0;
		printf("string %d \"%s\"\n", i, s);
	}
	n = gp_control(0x80, 6, 0x0309, 0x0409, 255, NULL, d);
	printf("string 9 %s\n", n < 0 ? "stalls" : "answers");
}

static void
step_info(void)
{
	must(cmd(DCMD_GET_INFO, NULL, 0), "GET_INFO");
	printf("FactoryTime %u ShipTime %u COSVersion %u.%u HardSerial %.16s\n",
	       rd32(resp + 8), rd32(resp + 12), resp[17], resp[16], (char *)resp + 24);
}

static void
hexdump(const u8 *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

int
main(int argc, char **argv)
{
	bool wait = false;
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (i < argc && strcmp(argv[i], "--wait") == 0)
		wait = true, i++;
	if (i >= argc)
		gp_fail("usage: client [--wait] ADDR STEP...");
	if (i + 1 < argc && !strcmp(argv[i + 1], "caps")) {
		setup(argv[i], wait, true);	/* any usbredir device server */
		return 0;
	}
	setup(argv[i++], wait, false);
	seq = 0;
	must(cmd(DCMD_SYNC, NULL, 0), "SYNC");
	while (i < argc) {
		const char *s = argv[i++];

		if (!strcmp(s, "describe")) {
			step_describe();
		} else if (!strcmp(s, "info")) {
			step_info();
		} else if (!strcmp(s, "open") && i + 1 < argc) {
			u8 p[2 + 16] = { strcmp(argv[i], "admin") ? DROLE_USER : DROLE_ADMIN };
			size_t n = strnlen(argv[i + 1], 16);

			p[1] = (u8)n;
			memcpy(p + 2, argv[i + 1], n);
			i += 2;
			int st = cmd(DCMD_OPEN, p, 2 + n);
			printf("open %s\n", dongle_status_name(st));
		} else if (!strcmp(s, "zone-write") && i + 2 < argc) {
			u8 p[52] = { (u8)atoi(argv[i]), (u8)atoi(argv[i + 1]), (u8)(atoi(argv[i + 1]) >> 8) };
			const char *h = argv[i + 2];
			size_t n = strlen(h) / 2;

			for (size_t k = 0; k < n && k < 48; k++)
				sscanf(h + 2 * k, "%2hhx", &p[4 + k]);
			p[3] = (u8)n;
			i += 3;
			printf("zone-write %s\n", dongle_status_name(cmd(DCMD_ZONE_WRITE, p, 4 + n)));
		} else if (!strcmp(s, "zone-read") && i + 2 < argc) {
			u8 p[4] = { (u8)atoi(argv[i]), (u8)atoi(argv[i + 1]), (u8)(atoi(argv[i + 1]) >> 8),
				    (u8)atoi(argv[i + 2]) };
			i += 3;
			must(cmd(DCMD_ZONE_READ, p, 4), "ZONE_READ");
			printf("zone-read ");
			hexdump(resp + 8, resp[4]);
		} else if (!strcmp(s, "counter")) {
			must(cmd(DCMD_COUNTER_GET, NULL, 0), "COUNTER_GET");
			printf("counter %u\n", rd32(resp + 8));
		} else if (!strcmp(s, "loop") && i < argc) {
			long n = atol(argv[i++]);

			for (long k = 1; k <= n; k++) {
				u8 p[8] = { 1, 0, 0, 4, (u8)k, (u8)(k >> 8), (u8)(k >> 16), (u8)(k >> 24) };

				must(cmd(DCMD_ZONE_WRITE, p, 8), "ZONE_WRITE");
				must(cmd(DCMD_COUNTER_INC, "\1\0\0\0", 4), "COUNTER_INC");
				printf("acked %ld %u\n", k, rd32(resp + 8));
			}
		} else if (!strcmp(s, "bench") && i < argc) {
			long n = atol(argv[i++]);
			struct timespec t0, t1;

			clock_gettime(CLOCK_MONOTONIC, &t0);
			for (long k = 0; k < n; k++)
				must(cmd(DCMD_GET_INFO, NULL, 0), "GET_INFO");
			clock_gettime(CLOCK_MONOTONIC, &t1);
			printf("bench %ld round trips %.1f us each\n", n,
			       ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3 / (double)n);
		} else if (!strcmp(s, "zero-out")) {
			/* zero-length OUT transfers: a class request without a
			 * data stage, then an empty interrupt report */
			int r = gp_control(0x21, 10 /* SET_IDLE */, 0, 0, 0, NULL, NULL);

			printf("zero-control %s\n", r < 0 ? "stall" : "ok");
			printf("zero-interrupt %s\n", dongle_status_name(send_report_len(NULL, 0)));
		} else if (!strcmp(s, "bad-crc")) {
			u8 req[DONGLE_REPORT];

			dongle_frame(req, DONGLE_MAGIC_REQ, seq, DCMD_GET_INFO, 0, NULL, 0);
			req[61] ^= 0xFF;
			printf("bad-crc %s\n", dongle_status_name(send_report(req)));
		} else {
			gp_fail("unknown step '%s' or missing arguments", s);
		}
	}
	usbredirparser_destroy(gp_parser);
	close(gp_fd());
	return 0;
}
