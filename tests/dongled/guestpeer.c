/* The usb-guest side of a usbredir connection for the dongled test clients
 * (guestpeer.h). */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "redirpeer.h"
#include "guestpeer.h"

struct guestpeer GP;
struct usbredirparser *gp_parser;
static int fd = -1;
static u64 next_id = 1;
static const char *prog = "client";
static gp_interrupt_fn *interrupt_cb;

void
gp_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

int
gp_fd(void)
{
	return fd;
}

static int
io_read(void *priv, uint8_t *data, int count)
{
	ssize_t n = read(fd, data, (size_t)count);

	if (n > 0)
		return (int)n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	gp_fail("connection closed by dongled");
}

static int
io_write(void *priv, uint8_t *data, int count)
{
	ssize_t n = write(fd, data, (size_t)count);

	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0)
		gp_fail("write: %s", strerror(errno));
	return (int)n;
}

static void
io_log(void *priv, int level, const char *msg)
{
	if (level <= usbredirparser_warning)
		fprintf(stderr, "%s: usbredir: %s\n", prog, msg);
}

static void on_hello(void *priv, struct usb_redir_hello_header *h) { GP.hello = true; }
static void on_connect(void *priv, struct usb_redir_device_connect_header *h) { GP.dc = *h; GP.connected = true; }
static void on_disconnect(void *priv) { gp_fail("device disconnected"); }
static void on_iface(void *priv, struct usb_redir_interface_info_header *h) { GP.ii = *h; GP.iface = true; }
static void on_ep(void *priv, struct usb_redir_ep_info_header *h) { GP.ei = *h; GP.ep = true; }

void
gp_answer(u64 id, int status, const u8 *data, int len)
{
	if (id != GP.want_id)
		gp_fail("unexpected answer id %llu (want %llu)", (unsigned long long)id,
			(unsigned long long)GP.want_id);
	GP.got = true;
	GP.status = status;
	GP.len = len;
	if (len > 0 && data)
		memcpy(GP.data, data, (size_t)MIN(len, (int)sizeof(GP.data)));
}

static void
on_config_status(void *priv, uint64_t id, struct usb_redir_configuration_status_header *h)
{
	gp_answer(id, h->status, &h->configuration, 1);
}

static void
on_int_status(void *priv, uint64_t id, struct usb_redir_interrupt_receiving_status_header *h)
{
	gp_answer(id, h->status, NULL, 0);
}

static void
on_control(void *priv, uint64_t id, struct usb_redir_control_packet_header *h, uint8_t *d, int n)
{
	gp_answer(id, h->status, d, n);
	if (d)
		usbredirparser_free_packet_data(gp_parser, d);
}

static void
on_bulk(void *priv, uint64_t id, struct usb_redir_bulk_packet_header *h, uint8_t *d, int n)
{
	gp_answer(id, h->status, d, n);
	if (d)
		usbredirparser_free_packet_data(gp_parser, d);
}

static void
on_interrupt(void *priv, uint64_t id, struct usb_redir_interrupt_packet_header *h, uint8_t *d, int n)
{
	if (!(h->endpoint & 0x80))
		gp_answer(id, h->status, NULL, h->length);	/* an OUT acknowledged */
	else if (interrupt_cb)
		interrupt_cb(h, d, n);
	if (d)
		usbredirparser_free_packet_data(gp_parser, d);
}

void
gp_pump_until(bool *flag, const char *what)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!*flag) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		while (usbredirparser_has_data_to_write(gp_parser))
			usbredirparser_do_write(gp_parser);
		if (poll(&p, 1, 100) > 0 && usbredirparser_do_read(gp_parser) == usbredirparser_read_io_error)
			gp_fail("read error waiting for %s", what);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (t1.tv_sec - t0.tv_sec > 5)
			gp_fail("timed out waiting for %s", what);
	}
}

void
gp_begin(void)
{
	GP.want_id = next_id++;
	GP.got = false;
}

int
gp_control(u8 type, u8 req, u16 value, u16 index, u16 length, const u8 *out, u8 *in)
{
	struct usb_redir_control_packet_header h = {
		.endpoint = (type & 0x80) ? 0x80 : 0, .request = req, .requesttype = type,
		.value = value, .index = index, .length = length,
	};

	gp_begin();
	usbredirparser_send_control_packet(gp_parser, GP.want_id, &h, (u8 *)out, out ? length : 0);
	gp_pump_until(&GP.got, "a control answer");
	if (GP.status != usb_redir_success)
		return -1;
	if (in)
		memcpy(in, GP.data, (size_t)GP.len);
	return GP.len;
}

void
gp_open(const char *progname, const char *name, const char *addr, bool wait, gp_interrupt_fn *on_in)
{
	char err[256];

	prog = progname;
	interrupt_cb = on_in;
	for (int tries = 0;; tries++) {
		fd = redirpeer_connect(addr, err, sizeof(err));
		if (fd >= 0)
			break;
		if (fd == -EINVAL)
			gp_fail("%s", err);
		if (!wait || tries > 100)
			gp_fail("%s: %s", addr, strerror(-fd));
		usleep(50000);
	}
	gp_parser = usbredirparser_create();
	gp_parser->log_func = io_log;
	gp_parser->read_func = io_read;
	gp_parser->write_func = io_write;
	gp_parser->hello_func = on_hello;
	gp_parser->device_connect_func = on_connect;
	gp_parser->device_disconnect_func = on_disconnect;
	gp_parser->interface_info_func = on_iface;
	gp_parser->ep_info_func = on_ep;
	gp_parser->configuration_status_func = on_config_status;
	gp_parser->interrupt_receiving_status_func = on_int_status;
	gp_parser->control_packet_func = on_control;
	gp_parser->bulk_packet_func = on_bulk;
	gp_parser->interrupt_packet_func = on_interrupt;
	redirpeer_init(gp_parser, name, false);
}

void
gp_configure(u8 int_ep)
{
	struct usb_redir_set_configuration_header sc = { 1 };
	struct usb_redir_start_interrupt_receiving_header si = { int_ep };

	gp_pump_until(&GP.connected, "device_connect");
	if (!GP.iface || !GP.ep)
		gp_fail("device_connect before interface_info/ep_info");
	gp_begin();
	usbredirparser_send_set_configuration(gp_parser, GP.want_id, &sc);
	gp_pump_until(&GP.got, "configuration status");
	if (GP.status != usb_redir_success || GP.data[0] != 1)
		gp_fail("set_configuration 1 failed (status %d)", GP.status);
	gp_begin();
	usbredirparser_send_start_interrupt_receiving(gp_parser, GP.want_id, &si);
	gp_pump_until(&GP.got, "interrupt receiving status");
	if (GP.status != usb_redir_success)
		gp_fail("start_interrupt_receiving failed (status %d)", GP.status);
}
