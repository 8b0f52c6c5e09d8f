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
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <usbredirparser.h>
#include "redirpeer.h"
#include <dongle/dongle.h>

static struct usbredirparser *P;
static int fd = -1;
static u64 next_id = 1;

static struct {
	bool hello, connected, iface, ep;
	struct usb_redir_device_connect_header dc;
	struct usb_redir_interface_info_header ii;
	struct usb_redir_ep_info_header ei;
	/* the one outstanding synchronous request */
	u64 want_id;
	bool got;
	int status;
	u8 data[4096];
	int len;
	/* IN reports pushed by the device */
	u8 in[16][DONGLE_REPORT];
	int in_head, in_tail;
} S;

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "client: ");
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
		fprintf(stderr, "client: usbredir: %s\n", msg);
}

static void
on_hello(void *priv, struct usb_redir_hello_header *h) { S.hello = true; }
static void
on_connect(void *priv, struct usb_redir_device_connect_header *h) { S.dc = *h; S.connected = true; }
static void
on_disconnect(void *priv) { fail("device disconnected"); }
static void
on_iface(void *priv, struct usb_redir_interface_info_header *h) { S.ii = *h; S.iface = true; }
static void
on_ep(void *priv, struct usb_redir_ep_info_header *h) { S.ei = *h; S.ep = true; }

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
on_interrupt(void *priv, uint64_t id, struct usb_redir_interrupt_packet_header *h, uint8_t *d, int n)
{
	if (h->endpoint == DONGLE_EP_IN) {
		if (n != DONGLE_REPORT)
			fail("IN report of %d bytes", n);
		memcpy(S.in[S.in_tail % 16], d, DONGLE_REPORT);
		S.in_tail++;
	} else {
		answer(id, h->status, NULL, h->length);
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
		if (poll(&p, 1, 200) > 0 && usbredirparser_do_read(P) == usbredirparser_read_io_error)
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
control(u8 type, u8 req, u16 value, u16 index, u16 length, const u8 *out, u8 *in)
{
	struct usb_redir_control_packet_header h = {
		.endpoint = (type & 0x80) ? 0x80 : 0, .request = req, .requesttype = type,
		.value = value, .index = index, .length = length,
	};

	begin();
	usbredirparser_send_control_packet(P, S.want_id, &h, (u8 *)out, out ? length : 0);
	pump_until(&S.got, "a control answer");
	if (S.status != usb_redir_success)
		return -1;
	if (in)
		memcpy(in, S.data, (size_t)S.len);
	return S.len;
}

static void
connect_to(const char *addr, bool wait)
{
	char err[256];

	for (int tries = 0;; tries++) {
		fd = redirpeer_connect(addr, err, sizeof(err));
		if (fd >= 0)
			return;
		if (fd == -EINVAL)
			fail("%s", err);
		if (!wait || tries > 100)
			fail("%s: %s", addr, strerror(-fd));
		usleep(50000);
	}
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
		       usbredirparser_peer_has_cap(P, want[k].cap) ? "yes" : "no");
}

static void
setup(const char *addr, bool wait, bool caps_only)
{
	struct usb_redir_set_configuration_header sc = { 1 };
	struct usb_redir_start_interrupt_receiving_header si = { DONGLE_EP_IN };

	connect_to(addr, wait);
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
	P->interrupt_packet_func = on_interrupt;
	redirpeer_init(P, "blobvisor test client", false);
	if (caps_only) {
		pump_until(&S.hello, "the hello");
		print_caps();
		exit(0);
	}
	pump_until(&S.connected, "device_connect");
	if (!S.iface || !S.ep)
		fail("device_connect before interface_info/ep_info");
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

	begin();
	usbredirparser_send_interrupt_packet(P, S.want_id, &h, len ? (u8 *)req : NULL, len);
	pump_until(&S.got, "the OUT acknowledgement");
	if (S.status != usb_redir_success)
		fail("interrupt OUT status %d", S.status);
	have_in = S.in_head != S.in_tail;
	if (!have_in) {
		while (S.in_head == S.in_tail) {
			bool f = false;
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (poll(&p, 1, 5000) <= 0)
				fail("no IN report within 5 s");
			if (usbredirparser_do_read(P) == usbredirparser_read_io_error)
				fail("read error");
			(void)f;
		}
	}
	memcpy(resp, S.in[S.in_head % 16], DONGLE_REPORT);
	S.in_head++;
	if (dongle_frame_check_response(resp) != 0)
		fail("malformed response");
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
		fail("sequence number %u refused, device expects %u", seq, resp[8]);
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
		fail("%s: %s", what, dongle_status_name(st));
}

static void
step_describe(void)
{
	u8 d[256];
	char s[64];
	int n;

	printf("device %04x:%04x speed %s bcdDevice %04x\n", S.dc.vendor_id, S.dc.product_id,
	       S.dc.speed == usb_redir_speed_full ? "full" : "other", S.dc.device_version_bcd);
	printf("interfaces %u class %u\n", S.ii.interface_count, S.ii.interface_class[0]);
	for (int i = 0; i < 32; i++)
		if (S.ei.type[i] == usb_redir_type_interrupt)
			printf("ep %#04x interrupt interval %u max %u\n",
			       (i & 16) << 3 | (i & 15), S.ei.interval[i], S.ei.max_packet_size[i]);
	n = control(0x80, 6, 0x0100, 0, 18, NULL, d);
	printf("device descriptor %d bytes bcdUSB %02x%02x maxpacket0 %u\n", n, d[3], d[2], d[7]);
	n = control(0x80, 6, 0x0200, 0, 255, NULL, d);
	printf("configuration descriptor %d bytes total %u\n", n, d[2] | d[3] << 8);
	n = control(0x81, 6, 0x2200, 0, 255, NULL, d);
	printf("report descriptor %d bytes usage page %02x%02x\n", n, d[2], d[1]);
	for (int i = 1; i <= 3; i++) {
		int k;

		n = control(0x80, 6, (u16)(0x0300 | i), 0x0409, 255, NULL, d);
		for (k = 0; 2 + 2 * k < n && k < 63; k++)
			s[k] = (char)d[2 + 2 * k];
		s[k] = 0;
		printf("string %d \"%s\"\n", i, s);
	}
	n = control(0x80, 6, 0x0309, 0x0409, 255, NULL, d);
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
		fail("usage: client [--wait] ADDR STEP...");
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
			int r = control(0x21, 10 /* SET_IDLE */, 0, 0, 0, NULL, NULL);

			printf("zero-control %s\n", r < 0 ? "stall" : "ok");
			printf("zero-interrupt %s\n", dongle_status_name(send_report_len(NULL, 0)));
		} else if (!strcmp(s, "bad-crc")) {
			u8 req[DONGLE_REPORT];

			dongle_frame(req, DONGLE_MAGIC_REQ, seq, DCMD_GET_INFO, 0, NULL, 0);
			req[61] ^= 0xFF;
			printf("bad-crc %s\n", dongle_status_name(send_report(req)));
		} else {
			fail("unknown step '%s' or missing arguments", s);
		}
	}
	usbredirparser_destroy(P);
	close(fd);
	return 0;
}
