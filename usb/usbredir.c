/* The usbredir host controller (hosted platform): one bus per connection to
 * a usbredir device server (dongled, Debian's usbredirect), playing the part
 * QEMU's usb-redir plays.  The protocol is Debian's libusbredirparser.so.1,
 * loaded as a blob by blobvisor's own loader; the platform gives the byte
 * stream.  The parser calls back into this file only to record what
 * arrived; everything that sends (enumeration, URBs) runs outside its
 * do_read, so no blob call is ever nested in another. */
#include <core/console.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/platform.h>
#include <core/string.h>
#include <core/time.h>
#include <loader/blob.h>
#include <usb/core.h>
#include <usb/usbredir.h>

#define PARSER_PATH	"/usr/lib/x86_64-linux-gnu/libusbredirparser.so.1"
#define CONNECT_NS	(5 * NSEC_PER_SEC)
#define INTR_QUEUE_MAX	64

void free(void *p);	/* libc's: the parser allocates packet data with malloc */

/* The library and the functions used, resolved once. */
static struct {
	struct blob *blob;
	u64 create, init, destroy, do_read, do_write, has_data, peer_has_cap;
	u64 send_control, send_bulk, send_interrupt, send_set_config, send_get_config;
	u64 send_set_alt, send_start_intr, send_cancel;
	bool broken;	/* a call faulted: the loader marked the blob failed */
} lib;

struct intr_pkt {
	struct intr_pkt *next;
	u8 ep, status;
	u16 len;
	u8 data[];
};

struct redir {
	struct usb_hc hc;
	int stream;
	struct redir_parser *parser;
	bool hello, connect_pending, disconnect_pending, dead, connected;
	struct redir_device_connect dc;
	struct urb *inflight;		/* sent, waiting for the answer (by id) */
	struct urb *intr_in;		/* interrupt IN URBs waiting for a pushed packet */
	struct intr_pkt *iq, **iq_tail;	/* pushed interrupt IN packets */
	int iq_len;
	u32 intr_started;		/* bitmap of IN endpoint numbers */
	u64 next_ctl_id;
};

/* --- calls into the library ---------------------------------------------------- */

static u64
call(u64 fn, int n, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
	u64 args[5] = { a0, a1, a2, a3, a4 }, ret = 0;

	if (lib.broken || blob_call(lib.blob, fn, args, n, &ret)) {
		lib.broken = true;
		return (u64)-1;
	}
	return ret;
}

static bool
load_library(void)
{
	static const char *const path[] = { PARSER_PATH };
	static const struct { const char *name; u64 *slot; } syms[] = {
		{ "usbredirparser_create", &lib.create },
		{ "usbredirparser_init", &lib.init },
		{ "usbredirparser_destroy", &lib.destroy },
		{ "usbredirparser_do_read", &lib.do_read },
		{ "usbredirparser_do_write", &lib.do_write },
		{ "usbredirparser_has_data_to_write", &lib.has_data },
		{ "usbredirparser_peer_has_cap", &lib.peer_has_cap },
		{ "usbredirparser_send_control_packet", &lib.send_control },
		{ "usbredirparser_send_bulk_packet", &lib.send_bulk },
		{ "usbredirparser_send_interrupt_packet", &lib.send_interrupt },
		{ "usbredirparser_send_set_configuration", &lib.send_set_config },
		{ "usbredirparser_send_get_configuration", &lib.send_get_config },
		{ "usbredirparser_send_set_alt_setting", &lib.send_set_alt },
		{ "usbredirparser_send_start_interrupt_receiving", &lib.send_start_intr },
		{ "usbredirparser_send_cancel_data_packet", &lib.send_cancel },
	};

	if (lib.blob && !lib.broken)
		return true;
	if (lib.blob) {
		for (struct usb_hc *hc = usb_hc_first(); hc; hc = hc->next)
			if (hc->ops->kind[0] == 'u' && !strcmp(hc->ops->kind, "usbredir"))
				return false;	/* still in use by a dead connection */
		blob_unload(lib.blob);
		lib.blob = NULL;
		lib.broken = false;
	}
	lib.blob = blob_load_files(path, 1, BLOB_QUIET);
	if (!lib.blob)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(syms); i++) {
		bool found;

		*syms[i].slot = blob_lookup(lib.blob, syms[i].name, &found);
		if (!found) {
			kprintf("usbredir: %s: no symbol %s\n", PARSER_PATH, syms[i].name);
			blob_unload(lib.blob);
			lib.blob = NULL;
			return false;
		}
	}
	return true;
}

static void
flush(struct redir *r)
{
	if (!r->dead && call(lib.has_data, 1, (u64)r->parser, 0, 0, 0, 0))
		call(lib.do_write, 1, (u64)r->parser, 0, 0, 0, 0);
}

/* --- callbacks from the parser: record, never send -------------------------------- */

/* For packets the guest side never acts on (or never gets). */
static void
cb_ignore(void)
{
}

static struct redir *
R(void *priv)
{
	return priv;
}

static void
cb_log(void *priv, int level, const char *msg)
{
	if (level <= REDIR_LOG_ERROR)
		kprintf("usbredir %s: %s\n", R(priv)->hc.name, msg);
}

static int
cb_read(void *priv, u8 *data, int count)
{
	int n = plat_stream_read(R(priv)->stream, data, count);

	if (n < 0) {
		R(priv)->dead = true;
		return -1;
	}
	return n;
}

static int
cb_write(void *priv, u8 *data, int count)
{
	if (R(priv)->dead || plat_stream_write(R(priv)->stream, data, count) < 0) {
		R(priv)->dead = true;
		return -1;
	}
	return count;
}

static void
cb_hello(void *priv, void *hello)
{
	R(priv)->hello = true;
}

static void
cb_device_connect(void *priv, struct redir_device_connect *h)
{
	R(priv)->dc = *h;
	R(priv)->connect_pending = true;
	R(priv)->disconnect_pending = false;
}

static void
cb_device_disconnect(void *priv)
{
	R(priv)->connect_pending = false;
	R(priv)->disconnect_pending = true;
}

static void
cb_ep_info(void *priv, struct redir_ep_info *h)
{
}

static int
status_errno(u8 status)
{
	switch (status) {
	case REDIR_SUCCESS: return 0;
	case REDIR_CANCELLED: return -ECANCELED;
	case REDIR_INVAL: return -EINVAL;
	case REDIR_STALL: return -EPIPE;
	case REDIR_TIMEOUT: return -ETIMEDOUT;
	case REDIR_BABBLE: return -EOVERFLOW;
	default: return -EIO;
	}
}

/* The URB this answer is for; late answers to cancelled URBs find none. */
static struct urb *
take_inflight(struct redir *r, u64 id)
{
	for (struct urb **pp = &r->inflight; *pp; pp = (struct urb **)&(*pp)->hcpriv) {
		struct urb *u = *pp;

		if (u->id == id) {
			*pp = u->hcpriv;
			u->hcpriv = NULL;
			return u;
		}
	}
	return NULL;
}

static void
complete_in(struct urb *u, int err, const u8 *data, int len)
{
	if (!err && len > 0) {
		size_t n = MIN((size_t)len, u->len);

		memcpy(u->buf, data, n);
		u->actual = n;
		if ((size_t)len > u->len)
			err = -EOVERFLOW;
	}
	usb_urb_complete(u, err);
}

static void
cb_control_packet(void *priv, u64 id, struct redir_control_packet *h, u8 *data, int len)
{
	struct urb *u = take_inflight(R(priv), id);

	if (u) {
		if (h->endpoint & USB_ENDPOINT_IN) {
			complete_in(u, status_errno(h->status), data, len);
		} else {
			u->actual = h->status ? 0 : h->length;
			usb_urb_complete(u, status_errno(h->status));
		}
	}
	free(data);
}

static void
cb_bulk_packet(void *priv, u64 id, struct redir_bulk_packet *h, u8 *data, int len)
{
	struct urb *u = take_inflight(R(priv), id);

	if (u) {
		if (h->endpoint & USB_ENDPOINT_IN) {
			complete_in(u, status_errno(h->status), data, len);
		} else {
			u->actual = h->status ? 0 : (h->length | (u32)h->length_high << 16);
			usb_urb_complete(u, status_errno(h->status));
		}
	}
	free(data);
}

static void
cb_interrupt_packet(void *priv, u64 id, struct redir_interrupt_packet *h, u8 *data, int len)
{
	struct redir *r = R(priv);

	if (h->endpoint & USB_ENDPOINT_IN) {
		/* Pushed by the server after start_interrupt_receiving. */
		struct intr_pkt *p;

		if (r->iq_len < INTR_QUEUE_MAX && (p = heap_alloc(sizeof(*p) + (len > 0 ? len : 0)))) {
			p->next = NULL;
			p->ep = h->endpoint;
			p->status = h->status;
			p->len = len > 0 ? len : 0;
			memcpy(p->data, data, p->len);
			*r->iq_tail = p;
			r->iq_tail = &p->next;
			r->iq_len++;
		}
	} else {
		struct urb *u = take_inflight(r, id);

		if (u) {
			u->actual = h->status ? 0 : h->length;
			usb_urb_complete(u, status_errno(h->status));
		}
	}
	free(data);
}

static void
cb_configuration_status(void *priv, u64 id, struct redir_configuration_status *h)
{
	struct urb *u = take_inflight(R(priv), id);

	if (!u)
		return;
	if (u->setup.bRequest == USB_REQ_GET_CONFIGURATION && !h->status && u->len) {
		u->buf[0] = h->configuration;
		u->actual = 1;
	}
	usb_urb_complete(u, status_errno(h->status));
}

static void
cb_alt_setting_status(void *priv, u64 id, struct redir_alt_setting_status *h)
{
	struct urb *u = take_inflight(R(priv), id);

	if (u)
		usb_urb_complete(u, status_errno(h->status));
}

static void
cb_interrupt_receiving_status(void *priv, u64 id, struct redir_interrupt_receiving_status *h)
{
	if (h->status)
		R(priv)->intr_started &= ~(1u << (h->endpoint & 0x0f));
}

/* --- the controller ----------------------------------------------------------- */

static void
send_inflight(struct redir *r, struct urb *u)
{
	u->hcpriv = r->inflight;
	r->inflight = u;
}

static int
submit_control(struct redir *r, struct urb *u)
{
	const struct usb_setup *s = &u->setup;
	bool in = s->bmRequestType & USB_ENDPOINT_IN;

	if (s->bmRequestType == 0 && s->bRequest == USB_REQ_SET_ADDRESS) {
		/* The server's side of the wire is the real bus: it addressed
		 * the device already.  Answer here, as QEMU does. */
		usb_urb_complete(u, 0);
		return 0;
	}
	send_inflight(r, u);
	if (s->bmRequestType == 0 && s->bRequest == USB_REQ_SET_CONFIGURATION) {
		struct redir_set_configuration h = { (u8)s->wValue };

		call(lib.send_set_config, 3, (u64)r->parser, u->id, (u64)&h, 0, 0);
	} else if (s->bmRequestType == 0x80 && s->bRequest == USB_REQ_GET_CONFIGURATION) {
		call(lib.send_get_config, 2, (u64)r->parser, u->id, 0, 0, 0);
	} else if (s->bmRequestType == USB_RECIP_INTERFACE && s->bRequest == USB_REQ_SET_INTERFACE) {
		struct redir_set_alt_setting h = { (u8)s->wIndex, (u8)s->wValue };

		call(lib.send_set_alt, 3, (u64)r->parser, u->id, (u64)&h, 0, 0);
	} else {
		struct redir_control_packet h = {
			.endpoint = in ? 0x80 : 0, .request = s->bRequest,
			.requesttype = s->bmRequestType, .value = s->wValue, .index = s->wIndex,
			.length = s->wLength,
		};

		call(lib.send_control, 5, (u64)r->parser, u->id, (u64)&h,
		     in ? 0 : (u64)u->buf, in ? 0 : s->wLength);
	}
	return 0;
}

static int
redir_submit(struct usb_hc *hc, struct urb *u)
{
	struct redir *r = hc->priv;
	bool in = u->ep & USB_ENDPOINT_IN;

	if (r->dead)
		return -ENODEV;
	switch (u->type) {
	case URB_CONTROL:
		submit_control(r, u);
		break;
	case URB_BULK: {
		struct redir_bulk_packet h = {
			.endpoint = u->ep, .length = (u16)u->len, .length_high = (u16)(u->len >> 16),
		};

		send_inflight(r, u);
		call(lib.send_bulk, 5, (u64)r->parser, u->id, (u64)&h, in ? 0 : (u64)u->buf,
		     in ? 0 : u->len);
		break;
	}
	case URB_INTERRUPT:
		if (in) {
			u8 n = u->ep & 0x0f;

			if (!(r->intr_started & (1u << n))) {
				struct redir_start_interrupt_receiving h = { u->ep };

				r->intr_started |= 1u << n;
				call(lib.send_start_intr, 3, (u64)r->parser, r->next_ctl_id++, (u64)&h, 0, 0);
			}
			u->hcpriv = r->intr_in;
			r->intr_in = u;
		} else {
			struct redir_interrupt_packet h = { .endpoint = u->ep, .length = (u16)u->len };

			if (u->len > 0xffff)
				return -EINVAL;
			send_inflight(r, u);
			call(lib.send_interrupt, 5, (u64)r->parser, u->id, (u64)&h, (u64)u->buf, u->len);
		}
		break;
	default:
		return -EINVAL;
	}
	flush(r);
	return 0;
}

static bool
unlink_from(struct urb **list, struct urb *u)
{
	for (struct urb **pp = list; *pp; pp = (struct urb **)&(*pp)->hcpriv) {
		if (*pp == u) {
			*pp = u->hcpriv;
			u->hcpriv = NULL;
			return true;
		}
	}
	return false;
}

static void
redir_cancel(struct usb_hc *hc, struct urb *u)
{
	struct redir *r = hc->priv;

	if (unlink_from(&r->intr_in, u))
		return;	/* never sent: the pushed packets keep flowing */
	if (unlink_from(&r->inflight, u) && !r->dead) {
		call(lib.send_cancel, 2, (u64)r->parser, u->id, 0, 0, 0);
		flush(r);
	}
}

/* Pushed interrupt IN packets to the oldest waiting URB of their endpoint;
 * true if one completed. */
static bool
serve_interrupt_in(struct redir *r)
{
	struct intr_pkt **pp = &r->iq;
	bool served = false;

	while (*pp) {
		struct intr_pkt *p = *pp;
		struct urb *u = NULL, *cand;

		for (cand = r->intr_in; cand; cand = cand->hcpriv)
			if (cand->ep == p->ep)
				u = cand;	/* the list is newest first: the last match is the oldest */
		if (!u) {
			pp = &p->next;
			continue;
		}
		unlink_from(&r->intr_in, u);
		*pp = p->next;
		if (r->iq_tail == &p->next)
			r->iq_tail = pp;
		r->iq_len--;
		complete_in(u, status_errno(p->status), p->data, p->len);
		heap_free(p);
		served = true;
	}
	return served;
}

static void
drop_queue(struct redir *r)
{
	while (r->iq) {
		struct intr_pkt *p = r->iq;

		r->iq = p->next;
		heap_free(p);
	}
	r->iq_tail = &r->iq;
	r->iq_len = 0;
	r->intr_started = 0;
}

static u8
speed_of(u8 redir_speed)
{
	switch (redir_speed) {
	case REDIR_SPEED_LOW: return USB_MODEL_SPEED_LOW;
	case REDIR_SPEED_FULL: return USB_MODEL_SPEED_FULL;
	default: return USB_MODEL_SPEED_HIGH;
	}
}

static void
redir_poll(struct usb_hc *hc, u64 max_wait_ns)
{
	struct redir *r = hc->priv;

	/* A packet that arrived before its URB completes it without waiting. */
	if (serve_interrupt_in(r))
		max_wait_ns = 0;
	if (!r->dead) {
		int ready = plat_stream_wait(r->stream, max_wait_ns);

		if (ready < 0)
			r->dead = true;
		else if (ready > 0 && (int)call(lib.do_read, 1, (u64)r->parser, 0, 0, 0, 0) == -1)
			r->dead = true;	/* read error or end of stream (cb_read) */
		if (lib.broken)
			r->dead = true;
		flush(r);
	}
	if (r->dead && (r->connected || r->connect_pending)) {
		r->connect_pending = false;
		r->disconnect_pending = true;
	}
	serve_interrupt_in(r);
	if (r->disconnect_pending) {
		r->disconnect_pending = false;
		if (r->connected) {
			r->connected = false;
			drop_queue(r);
			usb_port_disconnect(hc, 1);
		}
	}
	if (r->connect_pending) {
		/* Enumeration polls this controller again: clear first. */
		r->connect_pending = false;
		if (r->connected) {
			drop_queue(r);
			usb_port_disconnect(hc, 1);
		}
		r->connected = true;
		usb_port_connect(hc, 1, speed_of(r->dc.speed), NULL);
	}
}

static void
redir_close(struct usb_hc *hc)
{
	struct redir *r = hc->priv;

	drop_queue(r);
	if (r->parser)
		call(lib.destroy, 1, (u64)r->parser, 0, 0, 0, 0);
	plat_stream_close(r->stream);
	heap_free(r);
}

static const struct usb_hc_ops redir_ops = {
	.kind = "usbredir",
	.submit = redir_submit,
	.cancel = redir_cancel,
	.poll = redir_poll,
	.close = redir_close,
};

static struct usb_dev *
port_device(struct usb_hc *hc)
{
	for (struct usb_dev *d = usb_dev_first(); d; d = usb_dev_next(d))
		if (d->hc == hc)
			return d;
	return NULL;
}

/* Connect, say hello, wait for the device and enumerate it: all within
 * five seconds, or one line saying what did not happen. */
int
usb_redir_attach(const char *addr)
{
	u64 deadline = time_now_ns() + CONNECT_NS;
	u32 caps[1] = { 1u << REDIR_CAP_CONNECT_DEVICE_VERSION | 1u << REDIR_CAP_EP_INFO_MAX_PACKET_SIZE |
			1u << REDIR_CAP_64BITS_IDS | 1u << REDIR_CAP_32BITS_BULK_LENGTH };
	struct redir *r;
	struct usb_dev *d;
	int fd;

	if (!load_library()) {
		kprintf("usb attach: %s: cannot load %s\n", addr, PARSER_PATH);
		return -ENOENT;
	}
	fd = plat_stream_connect(addr, CONNECT_NS);
	if (fd < 0) {
		kprintf("usb attach: %s: cannot connect: %s\n", addr,
			fd == -EINVAL ? "not HOST:PORT or unix:PATH" : usb_errno_text(-fd));
		return fd;
	}
	r = heap_zalloc(sizeof(*r));
	if (!r) {
		plat_stream_close(fd);
		kprintf("usb attach: %s: out of memory\n", addr);
		return -ENOMEM;
	}
	r->stream = fd;
	r->iq_tail = &r->iq;
	r->next_ctl_id = 1ULL << 62;	/* apart from URB ids */
	r->hc.ops = &redir_ops;
	r->hc.priv = r;
	snprintf(r->hc.name, sizeof(r->hc.name), "%s", addr);
	r->parser = (struct redir_parser *)call(lib.create, 0, 0, 0, 0, 0, 0);
	if (!r->parser || r->parser == (void *)-1) {
		r->parser = NULL;
		redir_close(&r->hc);
		kprintf("usb attach: %s: usbredirparser_create failed\n", addr);
		return -ENOMEM;
	}
	/* Every callback the library may call is set: it calls them
	 * unchecked.  The lock callbacks stay NULL (one CPU, no locking). */
	{
		redir_cb *slots[] = {
			&r->parser->reset_func, &r->parser->interface_info_func,
			&r->parser->set_configuration_func, &r->parser->get_configuration_func,
			&r->parser->set_alt_setting_func, &r->parser->get_alt_setting_func,
			&r->parser->start_iso_stream_func, &r->parser->stop_iso_stream_func,
			&r->parser->iso_stream_status_func, &r->parser->start_interrupt_receiving_func,
			&r->parser->stop_interrupt_receiving_func, &r->parser->alloc_bulk_streams_func,
			&r->parser->free_bulk_streams_func, &r->parser->bulk_streams_status_func,
			&r->parser->cancel_data_packet_func, &r->parser->iso_packet_func,
			&r->parser->filter_reject_func, &r->parser->filter_filter_func,
			&r->parser->device_disconnect_ack_func, &r->parser->start_bulk_receiving_func,
			&r->parser->stop_bulk_receiving_func, &r->parser->bulk_receiving_status_func,
			&r->parser->buffered_bulk_packet_func,
		};

		for (size_t i = 0; i < ARRAY_SIZE(slots); i++)
			*slots[i] = cb_ignore;
	}
	r->parser->priv = r;
	r->parser->log_func = cb_log;
	r->parser->read_func = cb_read;
	r->parser->write_func = cb_write;
	r->parser->hello_func = cb_hello;
	r->parser->device_connect_func = cb_device_connect;
	r->parser->device_disconnect_func = cb_device_disconnect;
	r->parser->ep_info_func = cb_ep_info;
	r->parser->configuration_status_func = cb_configuration_status;
	r->parser->alt_setting_status_func = cb_alt_setting_status;
	r->parser->interrupt_receiving_status_func = cb_interrupt_receiving_status;
	r->parser->control_packet_func = cb_control_packet;
	r->parser->bulk_packet_func = cb_bulk_packet;
	r->parser->interrupt_packet_func = cb_interrupt_packet;
	call(lib.init, 5, (u64)r->parser, (u64)"blobvisor " "0.1", (u64)caps, 1, 0);
	flush(r);
	usb_hc_register(&r->hc);
	while (!(d = port_device(&r->hc)) && !r->dead && time_now_ns() < deadline)
		redir_poll(&r->hc, 10 * NSEC_PER_MSEC);
	if (!d || d->state != USB_DEV_CONFIGURED) {
		/* A disabled device has said why in its own line. */
		if (!d)
			kprintf("usb attach: %s: %s\n", addr,
				r->dead ? "the server closed the connection" :
				!r->hello ? "no usbredir hello within 5 s" : "no device within 5 s");
		usb_hc_unregister(&r->hc);
		return -ENODEV;
	}
	return r->hc.busnum;
}
