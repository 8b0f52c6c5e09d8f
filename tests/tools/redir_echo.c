/* A usbredir device server for tests: serves the echo test device
 * (usb/echo.c) through Debian's libusbredirparser in the usb-host role,
 * the part usbredirect plays for a real device.  One connection, then it
 * exits; port 0 picks a free one (printed).  Usage: redir_echo PORT|unix:PATH [VARIANT] [--unplug-after MS]
 *                           [--no-device] */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <usbredirparser.h>
#include "redirpeer.h"
#include "unit/host_plat.h"
#include <core/pages.h>
#include <core/init.h>
#include <usb/core.h>

static int fd = -1;
static struct usbredirparser *parser;
static struct usb_model *model;
static int hello, connected, receiving[16];
static unsigned char config = 0;

struct pending { uint64_t id; uint8_t ep; uint32_t len; struct pending *next; };
static struct pending *bulk_in;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static uint8_t
status_of(int err)
{
	return err == -EPIPE ? usb_redir_stall : err == -ETIMEDOUT ? usb_redir_timeout :
	       err < 0 ? usb_redir_ioerror : usb_redir_success;
}

static void log_cb(void *p, int level, const char *msg) { if (level <= usbredirparser_warning) fprintf(stderr, "redir_echo: %s\n", msg); }

static int
read_cb(void *p, uint8_t *data, int count)
{
	ssize_t n = recv(fd, data, count, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n <= 0)
		exit(0);	/* the VMM went away: done */
	return (int)n;
}

static int
write_cb(void *p, uint8_t *data, int count)
{
	ssize_t n = send(fd, data, count, MSG_NOSIGNAL);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;	/* the socket is non-blocking: the next poll retries */
	return n < 0 ? -1 : (int)n;
}

static void
send_device(void)
{
	struct usb_redir_interface_info_header ii = { .interface_count = 2 };
	struct usb_redir_ep_info_header ei;
	struct usb_redir_device_connect_header dc = {
		.speed = usb_redir_speed_full, .vendor_id = 0xf055, .product_id = 0xe0c0,
		.device_version_bcd = 0x0100,
	};
	static const struct { uint8_t ep, type, interval, intf; } eps[] = {
		{ 0x81, usb_redir_type_interrupt, 1, 0 }, { 0x01, usb_redir_type_interrupt, 1, 0 },
		{ 0x82, usb_redir_type_bulk, 0, 1 }, { 0x02, usb_redir_type_bulk, 0, 1 },
	};

	ii.interface[1] = 1;
	ii.interface_class[0] = 3;
	ii.interface_class[1] = 0xff;
	memset(&ei, 0, sizeof(ei));
	memset(ei.type, usb_redir_type_invalid, sizeof(ei.type));
	ei.type[0] = ei.type[16] = usb_redir_type_control;
	ei.max_packet_size[0] = ei.max_packet_size[16] = 8;
	for (size_t i = 0; i < sizeof(eps) / sizeof(eps[0]); i++) {
		int k = ((eps[i].ep & 0x80) >> 3) | (eps[i].ep & 0x0f);

		ei.type[k] = eps[i].type;
		ei.interval[k] = eps[i].interval;
		ei.interface[k] = eps[i].intf;
		ei.max_packet_size[k] = 64;
	}
	usbredirparser_send_interface_info(parser, &ii);
	usbredirparser_send_ep_info(parser, &ei);
	usbredirparser_send_device_connect(parser, &dc);
	connected = 1;
}

static void hello_cb(void *p, struct usb_redir_hello_header *h) { hello = 1; }
static void reset_cb(void *p) { model->ops->reset(model); }

static int
std_request(uint8_t type, uint8_t req, uint16_t value, uint16_t index, uint8_t *data, uint16_t len)
{
	struct usb_setup s = { type, req, value, index, len };

	return model->ops->control(model, &s, data);
}

static void
set_configuration_cb(void *p, uint64_t id, struct usb_redir_set_configuration_header *h)
{
	struct usb_redir_configuration_status_header st;
	int err = std_request(0, USB_REQ_SET_CONFIGURATION, h->configuration, 0, NULL, 0);

	if (!err)
		config = h->configuration;
	st.status = status_of(err);
	st.configuration = config;
	usbredirparser_send_configuration_status(parser, id, &st);
}

static void
get_configuration_cb(void *p, uint64_t id)
{
	struct usb_redir_configuration_status_header st = { usb_redir_success, config };

	usbredirparser_send_configuration_status(parser, id, &st);
}

static void
set_alt_setting_cb(void *p, uint64_t id, struct usb_redir_set_alt_setting_header *h)
{
	struct usb_redir_alt_setting_status_header st = { 0, h->interface, h->alt };

	st.status = status_of(std_request(1, USB_REQ_SET_INTERFACE, h->alt, h->interface, NULL, 0));
	usbredirparser_send_alt_setting_status(parser, id, &st);
}

static void
start_interrupt_receiving_cb(void *p, uint64_t id, struct usb_redir_start_interrupt_receiving_header *h)
{
	struct usb_redir_interrupt_receiving_status_header st = { usb_redir_success, h->endpoint };

	receiving[h->endpoint & 0x0f] = 1;
	usbredirparser_send_interrupt_receiving_status(parser, id, &st);
}

static void
stop_interrupt_receiving_cb(void *p, uint64_t id, struct usb_redir_stop_interrupt_receiving_header *h)
{
	struct usb_redir_interrupt_receiving_status_header st = { usb_redir_success, h->endpoint };

	receiving[h->endpoint & 0x0f] = 0;
	usbredirparser_send_interrupt_receiving_status(parser, id, &st);
}

static void
cancel_cb(void *p, uint64_t id)
{
	for (struct pending **pp = &bulk_in; *pp; pp = &(*pp)->next) {
		if ((*pp)->id == id) {
			struct pending *x = *pp;
			struct usb_redir_bulk_packet_header h = { .endpoint = x->ep, .status = usb_redir_cancelled };

			*pp = x->next;
			usbredirparser_send_bulk_packet(parser, id, &h, NULL, 0);
			free(x);
			return;
		}
	}
}

static void
control_cb(void *p, uint64_t id, struct usb_redir_control_packet_header *h, uint8_t *data, int len)
{
	uint8_t buf[4096];
	int n;

	if (!(h->requesttype & 0x80) && len)
		memcpy(buf, data, len);
	n = std_request(h->requesttype, h->request, h->value, h->index, buf, h->length);
	h->status = status_of(n);
	if (h->requesttype & 0x80) {
		h->length = n > 0 ? n : 0;
		usbredirparser_send_control_packet(parser, id, h, n > 0 ? buf : NULL, n > 0 ? n : 0);
	} else {
		usbredirparser_send_control_packet(parser, id, h, NULL, 0);
	}
	usbredirparser_free_packet_data(parser, data);
}

static void
bulk_cb(void *p, uint64_t id, struct usb_redir_bulk_packet_header *h, uint8_t *data, int len)
{
	if (h->endpoint & 0x80) {
		struct pending *x = calloc(1, sizeof(*x));

		x->id = id;
		x->ep = h->endpoint;
		x->len = h->length | (uint32_t)h->length_high << 16;
		x->next = bulk_in;
		bulk_in = x;
	} else {
		int err = model->ops->data_out(model, h->endpoint, data, len);

		h->status = status_of(err);
		usbredirparser_send_bulk_packet(parser, id, h, NULL, 0);
	}
	usbredirparser_free_packet_data(parser, data);
}

static void
interrupt_cb(void *p, uint64_t id, struct usb_redir_interrupt_packet_header *h, uint8_t *data, int len)
{
	int err = model->ops->data_out(model, h->endpoint & 0x0f, data, len);

	h->status = status_of(err);
	usbredirparser_send_interrupt_packet(parser, id, h, NULL, 0);
	usbredirparser_free_packet_data(parser, data);
}

/* What the device has to give: bulk INs waiting, interrupt INs pushed. */
static void
service(void)
{
	uint8_t buf[512];
	static uint64_t push_id;

	for (struct pending **pp = &bulk_in; *pp;) {
		struct pending *x = *pp;
		int n = model->ops->data_in(model, x->ep & 0x0f, buf, x->len < sizeof(buf) ? x->len : sizeof(buf));

		if (n == -EAGAIN) {
			pp = &x->next;
			continue;
		}
		struct usb_redir_bulk_packet_header h = { .endpoint = x->ep, .status = status_of(n),
							  .length = n > 0 ? n : 0 };
		usbredirparser_send_bulk_packet(parser, x->id, &h, n > 0 ? buf : NULL, n > 0 ? n : 0);
		*pp = x->next;
		free(x);
	}
	for (int ep = 1; ep < 16; ep++) {
		int n;

		if (!receiving[ep])
			continue;
		n = model->ops->data_in(model, ep, buf, 64);
		if (n == -EAGAIN)
			continue;
		struct usb_redir_interrupt_packet_header h = { .endpoint = 0x80 | ep, .status = status_of(n),
							       .length = n > 0 ? n : 0 };
		usbredirparser_send_interrupt_packet(parser, push_id++, &h, n > 0 ? buf : NULL, n > 0 ? n : 0);
		if (n < 0)
			receiving[ep] = 0;	/* a stalled endpoint stops the stream */
	}
}

int
main(int argc, char **argv)
{
	struct redirpeer_listener ls;
	const char *variant = NULL;
	long long unplug_at = -1, started;
	int no_device = 0;
	char err[256];
	void *base;
	size_t len;

	if (argc < 2) {
		fprintf(stderr, "usage: redir_echo PORT|unix:PATH [VARIANT] [--unplug-after MS] [--no-device]\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--unplug-after") && i + 1 < argc)
			unplug_at = atoll(argv[++i]);
		else if (!strcmp(argv[i], "--no-device"))
			no_device = 1;
		else
			variant = argv[i];
	}
	plat_memory_region(&base, &len);
	pages_init(base, len);
	initfuncs_run();
	model = usb_echo_create(variant);
	if (!model) {
		fprintf(stderr, "redir_echo: %s: no such variant\n", variant);
		return 2;
	}
	if (redirpeer_listen(&ls, argv[1], 1, err, sizeof(err)) < 0) {
		fprintf(stderr, "redir_echo: %s\n", err);
		return 1;
	}
	if (ls.path[0])
		printf("listening on %s\n", argv[1]);
	else
		printf("listening on port %d\n", ls.port);
	fflush(stdout);
	do {
		struct pollfd p = { ls.fd, POLLIN, 0 };

		poll(&p, 1, -1);
		fd = redirpeer_accept(&ls);
	} while (fd == -EAGAIN || fd == -EINTR);
	if (fd < 0)
		return 1;
	parser = usbredirparser_create();
	parser->log_func = log_cb;
	parser->read_func = read_cb;
	parser->write_func = write_cb;
	parser->hello_func = hello_cb;
	parser->reset_func = reset_cb;
	parser->set_configuration_func = set_configuration_cb;
	parser->get_configuration_func = get_configuration_cb;
	parser->set_alt_setting_func = set_alt_setting_cb;
	parser->start_interrupt_receiving_func = start_interrupt_receiving_cb;
	parser->stop_interrupt_receiving_func = stop_interrupt_receiving_cb;
	parser->cancel_data_packet_func = cancel_cb;
	parser->control_packet_func = control_cb;
	parser->bulk_packet_func = bulk_cb;
	parser->interrupt_packet_func = interrupt_cb;
	redirpeer_init(parser, "redir_echo", true);
	started = now_ms();
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };

		poll(&p, 1, 1);
		if (p.revents)
			usbredirparser_do_read(parser);
		if (hello && !connected && !no_device)
			send_device();
		if (connected && unplug_at >= 0 && now_ms() - started >= unplug_at) {
			usbredirparser_send_device_disconnect(parser);
			connected = 0;
			no_device = 1;
		}
		if (connected)
			service();
		if (usbredirparser_has_data_to_write(parser))
			usbredirparser_do_write(parser);
	}
}
