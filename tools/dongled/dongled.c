/* dongled: serves the dongle's device model over usbredir (usb-host role)
 * to QEMU's usb-redir or blobvisor's usbredir controller; with --ccid, the
 * CCID reader and its test card instead (docs/ccid.md, ccid.c).
 *
 *   dongled [--ccid [--no-card]] --listen HOST:PORT|unix:PATH --state FILE [--serial S] [-v]
 *   dongled [--ccid] --init --state FILE [--serial S]
 *
 * One client holds the dongle at a time, as with a real one; others wait in
 * a short queue and get it when it is free, so either side may start first.
 * A client that does not complete its usbredir hello within 3 s, or stops
 * reading our writes for 5 s, is dropped; one that waits more than 30 s
 * for a busy dongle is closed, each with one line on stderr.  Every state
 * change is in the state file (atomically) before the command's response
 * is sent; the state file is locked for the server's lifetime. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>
#include <usbredirparser.h>
#include "redirpeer.h"
#include "persona.h"
#include "statefile.h"

static struct {
	const char *listen, *state, *serial;
	bool init, ccid, no_card;
	int verbose;		/* -1: quiet (the fuzz harness's million malformed streams) */
} opt;

static struct dongle dev;
static struct statefile sf;
static struct persona P;	/* what is served: the dongle or the reader */
#define HELLO_MS	3000	/* connect (or reaching the front of the queue) to a complete hello */
#define WRITE_MS	5000	/* a peer that reads nothing for this long is gone */
#define QUEUE_MS	30000	/* how long a second client waits for the dongle */
#define QUEUE_MAX	4

static struct usbredirparser *parser;
static int client_fd = -1;
static unsigned client_no;	/* numbers clients in messages */
static bool client_gone;
static bool hello_seen;
static bool receiving_in;	/* the interrupt IN endpoint, once started */
static u64 in_id;
/* Bulk IN requests waiting for the model to have data (a NAK each time). */
#define BULK_PENDING_MAX 16
static struct bulk_req {
	u64 id;
	struct usb_redir_bulk_packet_header h;
} bulk_pending[BULK_PENDING_MAX];
static int bulk_npending;
static volatile sig_atomic_t stop;

void __attribute__((format(printf, 1, 2)))
vlog(const char *fmt, ...)
{
	va_list ap;

	if (opt.verbose <= 0)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "dongled: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "dongled: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* --- model environment -------------------------------------------------- */

static int
persist(void *ctx, const u8 *image, size_t len)
{
	int r = statefile_save(&sf, image, len);

	if (r < 0)
		fprintf(stderr, "dongled: %s: cannot save state: %s; command refused\n",
			sf.path, strerror(-r));
	return r;
}

static void
entropy(void *ctx, u8 *buf, size_t len)
{
	while (len) {
		ssize_t n = getrandom(buf, len, 0);

		if (n <= 0)
			continue;
		buf += n;
		len -= (size_t)n;
	}
}

/* --- usbredir I/O ------------------------------------------------------- */

static int
io_read(void *priv, uint8_t *data, int count)
{
	ssize_t n = read(client_fd, data, (size_t)count);

	if (n > 0)
		return (int)n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	client_gone = true;		/* EOF or a hard error */
	return -1;
}

static int
io_write(void *priv, uint8_t *data, int count)
{
	long long deadline = now_ms() + WRITE_MS;
	int done = 0;

	while (done < count) {
		ssize_t n = write(client_fd, data + done, (size_t)(count - done));

		if (n > 0) {
			done += (int)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && now_ms() < deadline) {
			struct pollfd p = { .fd = client_fd, .events = POLLOUT };

			poll(&p, 1, 100);
			continue;
		}
		if (n < 0 && errno == EAGAIN)
			fprintf(stderr, "dongled: client %u: read nothing of ours for %d s; dropped\n",
				client_no, WRITE_MS / 1000);
		client_gone = true;
		return -1;
	}
	return done;
}

static void
io_log(void *priv, int level, const char *msg)
{
	if (opt.verbose >= 0 && (level <= usbredirparser_warning || opt.verbose > 1))
		fprintf(stderr, "dongled: usbredir: %s\n", msg);
}

static void
flush_out(void)
{
	while (!client_gone && usbredirparser_has_data_to_write(parser))
		if (usbredirparser_do_write(parser) < 0)
			client_gone = true;
}

static const struct persona_ep *
find_ep(u8 address, u8 type)
{
	for (int i = 0; i < P.neps; i++)
		if (P.eps[i].address == address && P.eps[i].type == type)
			return &P.eps[i];
	return NULL;
}

static const struct persona_ep *
interrupt_in_ep(void)
{
	for (int i = 0; i < P.neps; i++)
		if ((P.eps[i].address & 0x80) && P.eps[i].type == usb_redir_type_interrupt)
			return &P.eps[i];
	return NULL;
}

/* Push what the interrupt IN endpoint has, once the peer asked to receive. */
static void
push_interrupt(void)
{
	const struct persona_ep *ep = interrupt_in_ep();
	u8 buf[256];
	int n;

	if (!receiving_in || !ep)
		return;
	for (int k = 0; k < 16; k++) {	/* bounded: a model could always have data */
		n = P.model->ops->data_in(P.model, ep->address & 0x0F, buf,
					  MIN(sizeof(buf), (size_t)ep->max_packet));
		if (n < 0)
			return;
		struct usb_redir_interrupt_packet_header h = {
			.endpoint = ep->address, .status = usb_redir_success, .length = (uint16_t)n,
		};
		usbredirparser_send_interrupt_packet(parser, in_id++, &h, buf, n);
		if (opt.ccid)
			vlog("interrupt IN %d bytes", n);
		else
			vlog("IN report %d bytes (status %s)", n,
			     dongle_status_name(buf[DONGLE_OFF_STATUS]));
	}
}

/* Complete the bulk IN requests the model now has data for, in order. */
static void
push_bulk(void)
{
	static u8 buf[65536];

	while (bulk_npending) {
		struct bulk_req *q = &bulk_pending[0];
		size_t want = q->h.length | (size_t)q->h.length_high << 16;
		int n = P.model->ops->data_in(P.model, q->h.endpoint & 0x0F, buf, MIN(want, sizeof(buf)));

		if (n == -EAGAIN)
			return;
		q->h.status = n < 0 ? usb_redir_stall : usb_redir_success;
		n = n < 0 ? 0 : n;
		q->h.length = (uint16_t)n;
		q->h.length_high = (uint16_t)(n >> 16);
		usbredirparser_send_bulk_packet(parser, q->id, &q->h, n ? buf : NULL, n);
		vlog("bulk IN %#x %d bytes (status %u)", q->h.endpoint, n, q->h.status);
		memmove(bulk_pending, bulk_pending + 1, sizeof(bulk_pending[0]) * (size_t)--bulk_npending);
	}
}

static void
push_in(void)
{
	push_interrupt();
	push_bulk();
}

/* The model's configuration value, asked as the host would. */
static u8
model_config(void)
{
	struct usb_setup s = { 0x80, 8, 0, 0, 1 };
	u8 cfg = 0;

	if (P.model->ops->control(P.model, &s, &cfg) != 1)
		return 0;
	return cfg;
}

/* --- usbredir callbacks ------------------------------------------------- */

static void
on_hello(void *priv, struct usb_redir_hello_header *h)
{
	struct usb_redir_interface_info_header ii = { .interface_count = 1 };
	struct usb_redir_ep_info_header ei;
	struct usb_redir_device_connect_header dc = {
		.speed = usb_redir_speed_full, .vendor_id = P.vid,
		.product_id = P.pid, .device_version_bcd = 0x0100,
	};

	vlog("client hello: %.64s", h->version);
	hello_seen = true;
	ii.interface[0] = 0;
	ii.interface_class[0] = P.iface_class;
	memset(&ei, 0, sizeof(ei));
	memset(ei.type, usb_redir_type_invalid, sizeof(ei.type));
	/* index = direction bit moved to bit 4 | endpoint number */
	ei.type[0] = ei.type[16] = usb_redir_type_control;
	ei.max_packet_size[0] = ei.max_packet_size[16] = 64;
	for (int i = 0; i < P.neps; i++) {
		int k = (P.eps[i].address & 0x80 ? 16 : 0) | (P.eps[i].address & 0x0F);

		ei.type[k] = P.eps[i].type;
		ei.interval[k] = P.eps[i].interval;
		ei.max_packet_size[k] = P.eps[i].max_packet;
	}
	usbredirparser_send_interface_info(parser, &ii);
	usbredirparser_send_ep_info(parser, &ei);
	usbredirparser_send_device_connect(parser, &dc);
}

static void
drop_bulk_pending(u8 status)
{
	while (bulk_npending) {
		struct bulk_req *q = &bulk_pending[--bulk_npending];

		q->h.status = status;
		q->h.length = q->h.length_high = 0;
		usbredirparser_send_bulk_packet(parser, q->id, &q->h, NULL, 0);
	}
}

static void
on_reset(void *priv)
{
	u8 cfg = model_config();
	struct usb_setup s = { 0x00, 9, cfg, 0, 0 };

	vlog("reset");
	drop_bulk_pending(usb_redir_ioerror);
	P.model->ops->reset(P.model);
	/* like usbredirhost (libusb_reset_device), the configuration is kept */
	if (cfg)
		P.model->ops->control(P.model, &s, NULL);
}

static void
on_control(void *priv, uint64_t id, struct usb_redir_control_packet_header *h,
	   uint8_t *data, int data_len)
{
	struct usb_setup s = { h->requesttype, h->request, h->value, h->index, h->length };
	u8 buf[65536];
	int r;

	if (h->requesttype & 0x80) {
		r = P.model->ops->control(P.model, &s, buf);
	} else {
		memset(buf, 0, h->length);
		if (data_len > 0)	/* a zero-length OUT has no data pointer */
			memcpy(buf, data, (size_t)MIN(data_len, (int)h->length));
		r = P.model->ops->control(P.model, &s, buf);
	}
	vlog("control %02x %02x %04x %04x %u -> %d", h->requesttype, h->request,
	     h->value, h->index, h->length, r);
	h->status = r < 0 ? usb_redir_stall : usb_redir_success;
	if (h->requesttype & 0x80) {
		h->length = r < 0 ? 0 : (uint16_t)r;
		usbredirparser_send_control_packet(parser, id, h, r > 0 ? buf : NULL, r > 0 ? r : 0);
	} else {
		if (r < 0)
			h->length = 0;
		usbredirparser_send_control_packet(parser, id, h, NULL, 0);
	}
	if (data)
		usbredirparser_free_packet_data(parser, data);
	push_in();	/* a SET_REPORT may have produced a response */
}

static void
on_set_configuration(void *priv, uint64_t id, struct usb_redir_set_configuration_header *h)
{
	struct usb_setup s = { 0x00, 9, h->configuration, 0, 0 };
	struct usb_redir_configuration_status_header st;
	int r = P.model->ops->control(P.model, &s, NULL);

	vlog("set_configuration %u -> %d", h->configuration, r);
	st.status = r < 0 ? usb_redir_stall : usb_redir_success;
	st.configuration = model_config();
	usbredirparser_send_configuration_status(parser, id, &st);
}

static void
on_get_configuration(void *priv, uint64_t id)
{
	struct usb_redir_configuration_status_header st = { usb_redir_success, model_config() };

	usbredirparser_send_configuration_status(parser, id, &st);
}

static void
on_set_alt(void *priv, uint64_t id, struct usb_redir_set_alt_setting_header *h)
{
	struct usb_setup s = { 0x01, 11, h->alt, h->interface, 0 };
	struct usb_redir_alt_setting_status_header st = { 0, h->interface, 0 };
	int r = P.model->ops->control(P.model, &s, NULL);

	st.status = r < 0 ? usb_redir_stall : usb_redir_success;
	usbredirparser_send_alt_setting_status(parser, id, &st);
}

static void
on_get_alt(void *priv, uint64_t id, struct usb_redir_get_alt_setting_header *h)
{
	struct usb_redir_alt_setting_status_header st = {
		h->interface == 0 ? usb_redir_success : usb_redir_inval, h->interface, 0,
	};

	usbredirparser_send_alt_setting_status(parser, id, &st);
}

static void
on_start_int(void *priv, uint64_t id, struct usb_redir_start_interrupt_receiving_header *h)
{
	struct usb_redir_interrupt_receiving_status_header st = { usb_redir_success, h->endpoint };

	if (!find_ep(h->endpoint, usb_redir_type_interrupt) || !(h->endpoint & 0x80))
		st.status = usb_redir_inval;
	else
		receiving_in = true;
	vlog("start_interrupt_receiving %#x -> %u", h->endpoint, st.status);
	usbredirparser_send_interrupt_receiving_status(parser, id, &st);
	push_in();
}

static void
on_stop_int(void *priv, uint64_t id, struct usb_redir_stop_interrupt_receiving_header *h)
{
	struct usb_redir_interrupt_receiving_status_header st = { usb_redir_success, h->endpoint };

	if (find_ep(h->endpoint, usb_redir_type_interrupt) && (h->endpoint & 0x80))
		receiving_in = false;
	else
		st.status = usb_redir_inval;
	usbredirparser_send_interrupt_receiving_status(parser, id, &st);
}

static void
on_interrupt(void *priv, uint64_t id, struct usb_redir_interrupt_packet_header *h,
	     uint8_t *data, int data_len)
{
	int r = -EPIPE;

	if (!(h->endpoint & 0x80) && find_ep(h->endpoint, usb_redir_type_interrupt))
		r = P.model->ops->data_out(P.model, h->endpoint & 0x0F, data, (size_t)data_len);
	vlog("OUT report %d bytes on %#x -> %d", data_len, h->endpoint, r);
	/* the model persisted any change inside data_out: now acknowledge */
	h->status = r < 0 ? usb_redir_stall : usb_redir_success;
	h->length = r < 0 ? 0 : (uint16_t)data_len;
	usbredirparser_send_interrupt_packet(parser, id, h, NULL, 0);
	if (data)
		usbredirparser_free_packet_data(parser, data);
	push_in();
}

/* Only bulk IN requests ever wait; a cancelled one is answered as such. */
static void
on_cancel(void *priv, uint64_t id)
{
	for (int i = 0; i < bulk_npending; i++) {
		struct bulk_req q = bulk_pending[i];

		if (q.id != id)
			continue;
		memmove(bulk_pending + i, bulk_pending + i + 1,
			sizeof(bulk_pending[0]) * (size_t)(bulk_npending - i - 1));
		bulk_npending--;
		q.h.status = usb_redir_cancelled;
		q.h.length = q.h.length_high = 0;
		usbredirparser_send_bulk_packet(parser, id, &q.h, NULL, 0);
		vlog("cancel %llu: bulk IN %#x cancelled", (unsigned long long)id, q.h.endpoint);
		return;
	}
	vlog("cancel %llu (not pending)", (unsigned long long)id);
}

static void
on_bulk(void *priv, uint64_t id, struct usb_redir_bulk_packet_header *h,
	uint8_t *data, int data_len)
{
	int r;

	if (!find_ep(h->endpoint, usb_redir_type_bulk) || h->stream_id) {
		h->status = usb_redir_inval;
		h->length = h->length_high = 0;
		usbredirparser_send_bulk_packet(parser, id, h, NULL, 0);
	} else if (h->endpoint & 0x80) {
		if (bulk_npending == BULK_PENDING_MAX) {
			h->status = usb_redir_ioerror;	/* a peer queueing without end */
			h->length = h->length_high = 0;
			usbredirparser_send_bulk_packet(parser, id, h, NULL, 0);
		} else {
			bulk_pending[bulk_npending++] = (struct bulk_req){ id, *h };
		}
	} else {
		r = P.model->ops->data_out(P.model, h->endpoint & 0x0F, data, (size_t)data_len);
		vlog("bulk OUT %d bytes on %#x -> %d", data_len, h->endpoint, r);
		h->status = r < 0 ? usb_redir_stall : usb_redir_success;
		if (r < 0)
			h->length = h->length_high = 0;
		usbredirparser_send_bulk_packet(parser, id, h, NULL, 0);
	}
	if (data)
		usbredirparser_free_packet_data(parser, data);
	push_in();
}

/* What a HID dongle does not have: answer each with an error status. */
static void
on_start_iso(void *priv, uint64_t id, struct usb_redir_start_iso_stream_header *h)
{
	struct usb_redir_iso_stream_status_header st = { usb_redir_inval, h->endpoint };

	usbredirparser_send_iso_stream_status(parser, id, &st);
}

static void
on_stop_iso(void *priv, uint64_t id, struct usb_redir_stop_iso_stream_header *h)
{
	struct usb_redir_iso_stream_status_header st = { usb_redir_inval, h->endpoint };

	usbredirparser_send_iso_stream_status(parser, id, &st);
}

static void
on_iso(void *priv, uint64_t id, struct usb_redir_iso_packet_header *h, uint8_t *data, int len)
{
	if (data)
		usbredirparser_free_packet_data(parser, data);
}

static void
on_alloc_streams(void *priv, uint64_t id, struct usb_redir_alloc_bulk_streams_header *h)
{
	struct usb_redir_bulk_streams_status_header st = { h->endpoints, 0, usb_redir_inval };

	usbredirparser_send_bulk_streams_status(parser, id, &st);
}

static void
on_free_streams(void *priv, uint64_t id, struct usb_redir_free_bulk_streams_header *h)
{
	struct usb_redir_bulk_streams_status_header st = { h->endpoints, 0, usb_redir_inval };

	usbredirparser_send_bulk_streams_status(parser, id, &st);
}

static void
on_start_bulk_recv(void *priv, uint64_t id, struct usb_redir_start_bulk_receiving_header *h)
{
	struct usb_redir_bulk_receiving_status_header st = { h->stream_id, h->endpoint, usb_redir_inval };

	usbredirparser_send_bulk_receiving_status(parser, id, &st);
}

static void
on_stop_bulk_recv(void *priv, uint64_t id, struct usb_redir_stop_bulk_receiving_header *h)
{
	struct usb_redir_bulk_receiving_status_header st = { h->stream_id, h->endpoint, usb_redir_inval };

	usbredirparser_send_bulk_receiving_status(parser, id, &st);
}

static void
on_filter_reject(void *priv)
{
}

static void
on_filter(void *priv, struct usbredirfilter_rule *rules, int count)
{
	free(rules);
}

static void
on_disconnect_ack(void *priv)
{
}

/* --- one client's session ---------------------------------------------- */

/* FD now holds the dongle: a parser, our hello, a freshly reset device. */
static void
session_open(int fd)
{
	client_fd = fd;
	parser = usbredirparser_create();
	if (!parser)
		die("out of memory");
	parser->priv = NULL;
	parser->log_func = io_log;
	parser->read_func = io_read;
	parser->write_func = io_write;
	parser->hello_func = on_hello;
	parser->reset_func = on_reset;
	parser->control_packet_func = on_control;
	parser->set_configuration_func = on_set_configuration;
	parser->get_configuration_func = on_get_configuration;
	parser->set_alt_setting_func = on_set_alt;
	parser->get_alt_setting_func = on_get_alt;
	parser->start_interrupt_receiving_func = on_start_int;
	parser->stop_interrupt_receiving_func = on_stop_int;
	parser->interrupt_packet_func = on_interrupt;
	parser->cancel_data_packet_func = on_cancel;
	parser->bulk_packet_func = on_bulk;
	parser->start_iso_stream_func = on_start_iso;
	parser->stop_iso_stream_func = on_stop_iso;
	parser->iso_packet_func = on_iso;
	parser->alloc_bulk_streams_func = on_alloc_streams;
	parser->free_bulk_streams_func = on_free_streams;
	parser->start_bulk_receiving_func = on_start_bulk_recv;
	parser->stop_bulk_receiving_func = on_stop_bulk_recv;
	parser->filter_reject_func = on_filter_reject;
	parser->filter_filter_func = on_filter;
	parser->device_disconnect_ack_func = on_disconnect_ack;
	redirpeer_init(parser, "blobvisor dongled 1", true);
	client_gone = false;
	hello_seen = false;
	receiving_in = false;
	bulk_npending = 0;
	P.model->ops->reset(P.model);
	flush_out();
}

/* Read what the client sent (until EAGAIN) and answer it; false once the
 * client is gone. */
static bool
session_pump(void)
{
	if (usbredirparser_do_read(parser) == usbredirparser_read_io_error)
		client_gone = true;
	flush_out();
	return !client_gone;
}

static void
session_close(void)
{
	usbredirparser_destroy(parser);
	parser = NULL;
	close(client_fd);
	client_fd = -1;
	bulk_npending = 0;
	P.model->ops->reset(P.model);	/* the session ends with the cable */
}

/* --- the server loop ---------------------------------------------------- */

struct waiter {
	int fd;
	unsigned no;
	long long since;
};

static struct waiter queue[QUEUE_MAX];
static int queued;

static void
take_next(void)
{
	struct waiter w = queue[0];

	memmove(queue, queue + 1, sizeof(queue[0]) * (size_t)--queued);
	client_no = w.no;
	vlog("client %u connected", client_no);
	session_open(w.fd);
	session_pump();		/* its hello may be waiting already */
}

static void
accept_clients(struct redirpeer_listener *l, unsigned *counter)
{
	int fd;

	while ((fd = redirpeer_accept(l)) >= 0) {
		if (queued == QUEUE_MAX) {
			fprintf(stderr, "dongled: client %u: %d others are waiting for the %s; closed\n",
				++*counter, QUEUE_MAX, P.what);
			close(fd);
			continue;
		}
		queue[queued++] = (struct waiter){ fd, ++*counter, now_ms() };
	}
	if (fd != -EAGAIN && fd != -EINTR && fd != -ECONNABORTED)
		fprintf(stderr, "dongled: accept: %s\n", strerror(-fd));
}

static void
close_stale_waiters(long long now)
{
	while (queued && now - queue[0].since >= QUEUE_MS) {
		fprintf(stderr, "dongled: client %u: the %s stayed in use by client %u for %d s; closed\n",
			queue[0].no, P.what, client_no, QUEUE_MS / 1000);
		close(queue[0].fd);
		memmove(queue, queue + 1, sizeof(queue[0]) * (size_t)--queued);
	}
}

static void
serve(struct redirpeer_listener *l)
{
	long long began = 0;
	unsigned counter = 0;

	while (!stop) {
		struct pollfd p[2] = { { .fd = l->fd, .events = POLLIN },
				       { .fd = client_fd, .events = POLLIN } };

		if (poll(p, client_fd >= 0 ? 2 : 1, 200) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (P.tick)
			P.tick();
		if (client_fd >= 0 && !client_gone && hello_seen) {
			push_in();	/* what the tick changed (a card inserted) */
			flush_out();
		}
		if (p[0].revents & POLLIN)
			accept_clients(l, &counter);
		if (client_fd >= 0 && p[1].revents)
			session_pump();
		if (client_fd >= 0 && !client_gone && !hello_seen && now_ms() - began >= HELLO_MS) {
			fprintf(stderr, "dongled: client %u: no usbredir hello within %d s; dropped\n",
				client_no, HELLO_MS / 1000);
			client_gone = true;
		}
		if (client_fd >= 0 && client_gone) {
			char stats[128];

			session_close();
			P.stats(stats, sizeof(stats));
			vlog("client %u gone; %s so far", client_no, stats);
		}
		if (client_fd >= 0)
			close_stale_waiters(now_ms());
		if (client_fd < 0 && queued) {
			began = now_ms();
			take_next();
		}
	}
	if (client_fd >= 0)
		session_close();
	while (queued)
		close(queue[--queued].fd);
}

static void
on_signal(int sig)
{
	stop = 1;
}

static void __attribute__((noreturn))
usage(const char *why)
{
	fprintf(stderr, "dongled: %s (usage: dongled [--ccid [--no-card]] --listen HOST:PORT|unix:PATH "
		"--state FILE [--serial S] [-v] | dongled [--ccid] --init --state FILE [--serial S])\n", why);
	exit(2);
}

static void
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "state", required_argument, NULL, 's' },
		{ "serial", required_argument, NULL, 'S' },
		{ "init", no_argument, NULL, 'i' },
		{ "ccid", no_argument, NULL, 'c' },
		{ "no-card", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': opt.listen = optarg; break;
		case 's': opt.state = optarg; break;
		case 'S': opt.serial = optarg; break;
		case 'i': opt.init = true; break;
		case 'c': opt.ccid = true; break;
		case 'n': opt.no_card = true; break;
		case 'v': opt.verbose++; break;
		case 'h': usage("serves the blobvisor dongle, or with --ccid a CCID reader, over usbredir");
		default:
			fprintf(stderr, "dongled: %s: unknown option or missing argument (see --help)\n",
				argv[optind - 1]);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dongled: unexpected argument '%s' (see --help)\n", argv[optind]);
		exit(2);
	}
	if (!opt.state)
		usage("--state FILE is required");
	if (!opt.init && !opt.listen)
		usage("--listen ADDR is required (or --init)");
	if (opt.init && opt.listen)
		usage("--init writes a state file and exits; it takes no --listen");
	if (opt.no_card && !opt.ccid)
		usage("--no-card is for the CCID reader (--ccid)");
	if (!opt.ccid && opt.serial && !dongle_serial_valid(opt.serial))
		die("--serial '%s': want 1..16 characters of 0-9 A-Z a-z -", opt.serial);
}

static void
dongle_stats(char *buf, size_t len)
{
	snprintf(buf, len, "%llu commands, %llu state saves", (unsigned long long)dev.commands,
		 (unsigned long long)dev.persists);
}

static const struct persona_ep dongle_eps[] = {
	{ DONGLE_EP_OUT, usb_redir_type_interrupt, 1, DONGLE_REPORT },
	{ DONGLE_EP_IN, usb_redir_type_interrupt, 1, DONGLE_REPORT },
};

/* P is the dongle, as dev holds it. */
static void
dongle_persona(void)
{
	P = (struct persona){
		.what = "dongle", .model = &dev.model, .vid = DONGLE_VID, .pid = DONGLE_PID,
		.iface_class = 3 /* HID */, .eps = dongle_eps, .neps = 2, .stats = dongle_stats,
	};
}

/* The dongle personality: its state file opened, loaded (or made). */
static void
dongle_persona_setup(void)
{
	struct dongle_state st;
	struct dongle_env env = { .persist = persist, .entropy = entropy };
	char err[512];
	u8 image[DONGLE_STATE_SIZE];
	int r;

	if (statefile_open(&sf, opt.state, err, sizeof(err)) < 0)
		die("%s", err);
	if (sf.stale_tmp)
		fprintf(stderr, "dongled: %s: removed, left by an interrupted save (the state file "
			"holds the last complete one)\n", sf.tmp);
	if (opt.init) {
		dongle_state_factory(&st, opt.serial);
		dongle_state_encode(&st, image);
		r = statefile_save(&sf, image, sizeof(image));
		if (r < 0)
			die("%s: %s", opt.state, strerror(-r));
		exit(0);
	}
	r = statefile_load(&sf, &st, err, sizeof(err));
	if (r == -ENOENT) {
		dongle_state_factory(&st, opt.serial);
		dongle_state_encode(&st, image);
		r = statefile_save(&sf, image, sizeof(image));
		if (r < 0)
			die("%s: %s", opt.state, strerror(-r));
		fprintf(stderr, "dongled: %s: created factory-fresh state (serial %s)\n",
			opt.state, st.serial);
	} else if (r < 0) {
		die("%s", err);
	}
	if (opt.serial && strcmp(opt.serial, st.serial) != 0)
		die("%s: hardware serial is %s, not %s (--serial applies to new state files)",
		    opt.state, st.serial, opt.serial);
	dongle_init(&dev, &st, &env);
	dongle_persona();
	vlog("serial %s", st.serial);
}

int
main(int argc, char **argv)
{
	char err[512];
	struct redirpeer_listener l;

	parse_args(argc, argv);
	if (opt.ccid)
		ccid_persona_setup(&P, opt.state, opt.serial, opt.init, opt.no_card);
	else
		dongle_persona_setup();

	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (redirpeer_listen(&l, opt.listen, 8, err, sizeof(err)) < 0)
		die("--listen %s", err);
	fcntl(l.fd, F_SETFL, fcntl(l.fd, F_GETFL) | O_NONBLOCK);	/* accept until EAGAIN */
	vlog("listening on %s as the %s", opt.listen, P.what);
	serve(&l);
	redirpeer_unlisten(&l);
	if (opt.ccid)
		ccid_persona_close();
	else
		statefile_close(&sf);
	return 0;
}
