/*
 * loopback-server: a tiny USB device served over usbredir, for testing the Linux
 * test guest's usb-redir path on its own (the real device server is
 * tools/dongled).  A full-speed device 1209:0001 with one vendor-class
 * interface (no kernel driver binds it), interrupt OUT 0x02 and interrupt IN
 * 0x81 (64 bytes, 1 ms): every OUT report comes back on IN unchanged.
 *
 * QEMU's usb-redir drops the IN reports it has buffered when the guest's
 * host controller stops polling the endpoint (UHCI frees an idle queue after
 * about 32 frames; QEMU then sends stop_interrupt_receiving and frees its
 * buffer), which a loaded TCG guest does between a write and the next read.
 * So on stop the last report sent is queued again; echo01 skips duplicates
 * by their sequence number, as a real protocol with sequence numbers would.
 *
 * Usage: loopback-server --listen unix:PATH|HOST:PORT [--state FILE] [-v]
 *        loopback-server --init --state FILE
 * Serves one client after another until SIGTERM/SIGINT.  It keeps no state;
 * --state and --init (which creates an empty FILE) are accepted so that it
 * can stand in for dongled in scripts/guest/rockey-native's test.
 * Protocol handling is Debian's libusbredirparser (usb-host role).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <usbredirparser.h>
#include "redirpeer.h"

#define EP_OUT 0x02
#define EP_IN 0x81
#define MAXPKT 64
#define QLEN 64

static const uint8_t dev_desc[18] = {
	18, 1, 0x10, 0x01,	/* USB 1.1 */
	0, 0, 0, 8,		/* class per interface, ep0 8 bytes */
	0x09, 0x12, 0x01, 0x00,	/* 1209:0001 (pid.codes test PID) */
	0x00, 0x01, 1, 2, 3, 1,	/* bcdDevice 1.00, strings 1/2/3, 1 config */
};

static const uint8_t cfg_desc[32] = {
	9, 2, 32, 0, 1, 1, 0, 0x80, 50,		/* config 1, bus powered, 100 mA */
	9, 4, 0, 0, 2, 0xff, 0, 0, 0,		/* interface 0: vendor class */
	7, 5, EP_IN, 3, MAXPKT, 0, 1,		/* interrupt IN, 1 ms */
	7, 5, EP_OUT, 3, MAXPKT, 0, 1,		/* interrupt OUT, 1 ms */
};

static const char *const strings[] = { NULL, "blobvisor", "loopback-server", "E0001" };

struct report {
	uint8_t data[MAXPKT];
	int len;
};

static struct {
	struct usbredirparser *p;
	int fd;
	int closed;
	int verbose;
	int in_started;
	struct report q[QLEN];
	int qhead, qlen;
	struct report last;	/* the last report sent: QEMU may drop it */
	int last_valid;
} s;

static volatile sig_atomic_t stop;

static void
vlog(const char *fmt, ...)
{
	va_list ap;

	if (!s.verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "loopback-server: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void
on_log(void *priv, int level, const char *msg)
{
	if (level <= usbredirparser_warning || s.verbose)
		fprintf(stderr, "loopback-server: usbredirparser: %s\n", msg);
}

static int
on_read(void *priv, uint8_t *data, int count)
{
	ssize_t n = read(s.fd, data, count);

	if (n > 0)
		return n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	s.closed = 1;		/* EOF or error: the client went away */
	return -1;
}

static int
on_write(void *priv, uint8_t *data, int count)
{
	ssize_t n = write(s.fd, data, count);

	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR)
		return 0;
	s.closed = 1;
	return -1;
}

/* The guest side says hello first; then we describe and plug the device
 * (interface and endpoint info must precede device_connect). */
static void
on_hello(void *priv, struct usb_redir_hello_header *h)
{
	struct usb_redir_interface_info_header ii;
	struct usb_redir_ep_info_header ei;
	struct usb_redir_device_connect_header dc;
	int i;

	vlog("hello from \"%s\"", h->version);
	memset(&ii, 0, sizeof(ii));
	ii.interface_count = 1;
	ii.interface_class[0] = 0xff;
	usbredirparser_send_interface_info(s.p, &ii);

	memset(&ei, 0, sizeof(ei));
	for (i = 0; i < 32; i++)
		ei.type[i] = usb_redir_type_invalid;
	/* index: direction bit to bit 4, endpoint number below it */
	ei.type[0] = ei.type[16] = usb_redir_type_control;
	ei.max_packet_size[0] = ei.max_packet_size[16] = 8;
	ei.type[EP_OUT & 15] = usb_redir_type_interrupt;
	ei.interval[EP_OUT & 15] = 1;
	ei.max_packet_size[EP_OUT & 15] = MAXPKT;
	ei.type[16 | (EP_IN & 15)] = usb_redir_type_interrupt;
	ei.interval[16 | (EP_IN & 15)] = 1;
	ei.max_packet_size[16 | (EP_IN & 15)] = MAXPKT;
	usbredirparser_send_ep_info(s.p, &ei);

	memset(&dc, 0, sizeof(dc));
	dc.speed = usb_redir_speed_full;
	dc.vendor_id = 0x1209;
	dc.product_id = 0x0001;
	dc.device_version_bcd = 0x0100;
	usbredirparser_send_device_connect(s.p, &dc);
}

/* A GET_DESCRIPTOR answer: at most wLength bytes of the descriptor. */
static int
descriptor(uint16_t value, uint8_t *buf, int max)
{
	const char *str;
	int len, i;

	switch (value >> 8) {
	case 1:
		len = sizeof(dev_desc);
		memcpy(buf, dev_desc, len);
		break;
	case 2:
		if ((value & 0xff) != 0)
			return -1;
		len = sizeof(cfg_desc);
		memcpy(buf, cfg_desc, len);
		break;
	case 3:
		if ((value & 0xff) == 0) {	/* language IDs: en-US */
			buf[0] = 4, buf[1] = 3, buf[2] = 0x09, buf[3] = 0x04;
			len = 4;
			break;
		}
		if ((value & 0xff) >= sizeof(strings) / sizeof(strings[0]))
			return -1;
		str = strings[value & 0xff];
		len = 2 + 2 * strlen(str);
		buf[0] = len, buf[1] = 3;
		for (i = 0; str[i]; i++)
			buf[2 + 2 * i] = str[i], buf[3 + 2 * i] = 0;
		break;
	default:
		return -1;
	}
	return len < max ? len : max;
}

static void
on_control(void *priv, uint64_t id, struct usb_redir_control_packet_header *h,
	   uint8_t *data, int data_len)
{
	uint8_t buf[256];
	int len = -1;

	vlog("control type 0x%02x req 0x%02x value 0x%04x index %u length %u",
	     h->requesttype, h->request, h->value, h->index, h->length);
	if (h->requesttype == 0x80 && h->request == 6)
		len = descriptor(h->value, buf, h->length < sizeof(buf) ? h->length : sizeof(buf));
	else if ((h->requesttype & 0x80) && h->request == 0 && h->length >= 2)
		buf[0] = buf[1] = 0, len = 2;		/* GET_STATUS */
	else if (!(h->requesttype & 0x80) && (h->request == 1 || h->request == 3))
		len = 0;				/* CLEAR/SET_FEATURE */
	if (data)
		usbredirparser_free_packet_data(s.p, data);
	h->status = len < 0 ? usb_redir_stall : usb_redir_success;
	h->length = len < 0 ? 0 : len;
	usbredirparser_send_control_packet(s.p, id, h, len > 0 ? buf : NULL, len > 0 ? len : 0);
}

static void
on_set_configuration(void *priv, uint64_t id, struct usb_redir_set_configuration_header *h)
{
	struct usb_redir_configuration_status_header st = {
		.status = h->configuration <= 1 ? usb_redir_success : usb_redir_stall,
		.configuration = h->configuration,
	};
	vlog("set configuration %u", h->configuration);
	usbredirparser_send_configuration_status(s.p, id, &st);
}

static void
on_get_configuration(void *priv, uint64_t id)
{
	struct usb_redir_configuration_status_header st = { usb_redir_success, 1 };

	usbredirparser_send_configuration_status(s.p, id, &st);
}

static void
on_set_alt(void *priv, uint64_t id, struct usb_redir_set_alt_setting_header *h)
{
	struct usb_redir_alt_setting_status_header st = {
		.status = h->interface == 0 && h->alt == 0 ? usb_redir_success : usb_redir_stall,
		.interface = h->interface, .alt = h->alt,
	};
	usbredirparser_send_alt_setting_status(s.p, id, &st);
}

static void
on_get_alt(void *priv, uint64_t id, struct usb_redir_get_alt_setting_header *h)
{
	struct usb_redir_alt_setting_status_header st = {
		.status = h->interface == 0 ? usb_redir_success : usb_redir_stall,
		.interface = h->interface, .alt = 0,
	};
	usbredirparser_send_alt_setting_status(s.p, id, &st);
}

/* Push queued reports to the guest while it is receiving on EP_IN. */
static void
flush_in(void)
{
	struct usb_redir_interrupt_packet_header h;
	struct report *r;

	while (s.in_started && s.qlen > 0) {
		r = &s.q[s.qhead];
		h.endpoint = EP_IN;
		h.status = usb_redir_success;
		h.length = r->len;
		usbredirparser_send_interrupt_packet(s.p, 0, &h, r->data, r->len);
		s.last = *r;
		s.last_valid = 1;
		s.qhead = (s.qhead + 1) % QLEN;
		s.qlen--;
	}
}

static void
on_start_irq(void *priv, uint64_t id, struct usb_redir_start_interrupt_receiving_header *h)
{
	struct usb_redir_interrupt_receiving_status_header st = {
		.status = h->endpoint == EP_IN ? usb_redir_success : usb_redir_inval,
		.endpoint = h->endpoint,
	};
	vlog("start interrupt receiving 0x%02x", h->endpoint);
	usbredirparser_send_interrupt_receiving_status(s.p, id, &st);
	if (h->endpoint == EP_IN)
		s.in_started = 1;
	flush_in();
}

static void
on_stop_irq(void *priv, uint64_t id, struct usb_redir_stop_interrupt_receiving_header *h)
{
	struct usb_redir_interrupt_receiving_status_header st = {
		.status = usb_redir_success, .endpoint = h->endpoint,
	};
	vlog("stop interrupt receiving 0x%02x", h->endpoint);
	if (h->endpoint == EP_IN) {
		s.in_started = 0;
		if (s.last_valid && s.qlen < QLEN) {	/* send it again on start */
			s.qhead = (s.qhead + QLEN - 1) % QLEN;
			s.q[s.qhead] = s.last;
			s.qlen++;
			s.last_valid = 0;
		}
	}
	usbredirparser_send_interrupt_receiving_status(s.p, id, &st);
}

static void
on_interrupt(void *priv, uint64_t id, struct usb_redir_interrupt_packet_header *h,
	     uint8_t *data, int data_len)
{
	struct report *r;

	vlog("interrupt 0x%02x, %d bytes", h->endpoint, data_len);
	if (h->endpoint != EP_OUT || data_len > MAXPKT || s.qlen == QLEN) {
		h->status = h->endpoint != EP_OUT ? usb_redir_inval : usb_redir_stall;
	} else {
		r = &s.q[(s.qhead + s.qlen) % QLEN];
		memcpy(r->data, data, data_len);
		r->len = data_len;
		s.qlen++;
		h->status = usb_redir_success;
	}
	h->length = h->status == usb_redir_success ? data_len : 0;
	if (data)
		usbredirparser_free_packet_data(s.p, data);
	usbredirparser_send_interrupt_packet(s.p, id, h, NULL, 0);
	flush_in();
}

static void
on_reset(void *priv)
{
	vlog("reset");
	s.qlen = 0;
	s.last_valid = 0;
}

static void
serve(int fd)
{
	struct pollfd pfd;

	memset(&s.q, 0, sizeof(s.q));
	s.fd = fd, s.closed = 0, s.in_started = 0, s.qhead = s.qlen = 0, s.last_valid = 0;
	s.p = usbredirparser_create();
	if (s.p == NULL) {
		fprintf(stderr, "loopback-server: usbredirparser_create failed\n");
		exit(1);
	}
	s.p->log_func = on_log;
	s.p->read_func = on_read;
	s.p->write_func = on_write;
	s.p->hello_func = on_hello;
	s.p->reset_func = on_reset;
	s.p->control_packet_func = on_control;
	s.p->set_configuration_func = on_set_configuration;
	s.p->get_configuration_func = on_get_configuration;
	s.p->set_alt_setting_func = on_set_alt;
	s.p->get_alt_setting_func = on_get_alt;
	s.p->start_interrupt_receiving_func = on_start_irq;
	s.p->stop_interrupt_receiving_func = on_stop_irq;
	s.p->interrupt_packet_func = on_interrupt;
	redirpeer_init(s.p, "loopback-server 1", true);
	while (!s.closed && !stop) {
		if (usbredirparser_has_data_to_write(s.p) && usbredirparser_do_write(s.p) < 0)
			break;
		pfd.fd = fd;
		pfd.events = POLLIN | (usbredirparser_has_data_to_write(s.p) ? POLLOUT : 0);
		if (poll(&pfd, 1, 200) < 0 && errno != EINTR)
			break;
		if ((pfd.revents & (POLLIN | POLLHUP | POLLERR)) && usbredirparser_do_read(s.p) == usbredirparser_read_io_error)
			break;
	}
	vlog("client gone");
	usbredirparser_destroy(s.p);
	close(fd);
}

static void
on_signal(int sig)
{
	stop = 1;
}

int
main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *addr = NULL, *state = NULL;
	struct redirpeer_listener l;
	char err[256];
	int fd, i, init = 0, bad = 0;
	FILE *f;
	struct pollfd pfd;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
			addr = argv[++i];
		else if (strcmp(argv[i], "--state") == 0 && i + 1 < argc)
			state = argv[++i];
		else if (strcmp(argv[i], "--init") == 0)
			init = 1;
		else if (strcmp(argv[i], "-v") == 0)
			s.verbose = 1;
		else
			bad = 1;
	}
	if (!bad && init && state != NULL) {
		f = fopen(state, "w");
		if (f == NULL) {
			fprintf(stderr, "loopback-server: %s: %s\n", state, strerror(errno));
			return 1;
		}
		fclose(f);
		return 0;
	}
	if (bad || addr == NULL || init) {
		fprintf(stderr, "usage: loopback-server --listen unix:PATH|HOST:PORT [--state FILE] [-v]\n"
			"       loopback-server --init --state FILE\n");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (redirpeer_listen(&l, addr, 1, err, sizeof(err)) < 0) {
		fprintf(stderr, "loopback-server: %s\n", err);
		return 1;
	}
	while (!stop) {
		pfd.fd = l.fd, pfd.events = POLLIN;
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		fd = redirpeer_accept(&l);
		if (fd < 0)
			continue;
		vlog("client connected");
		serve(fd);
	}
	redirpeer_unlisten(&l);
	return 0;
}
