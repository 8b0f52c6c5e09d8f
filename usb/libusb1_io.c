/* libusb-1.0 transfers.  Synchronous calls submit one URB to the core and
 * wait for it through the scheduler (so a reader thread's transfer and
 * this one interleave, and a long wait is not mistaken for spinning).  Asynchronous transfers are
 * URBs the context tracks: the controllers complete them whenever anyone
 * polls, and event handling (libusb1_events.c) turns completions and
 * expired timeouts into statuses and runs the blob's callbacks, in the
 * thread that handles events, as libusb does.  Isochronous and stream
 * transfers are refused with LIBUSB_ERROR_NOT_SUPPORTED. */
#include <core/console.h>
#include <core/errno.h>
#include <core/export.h>
#include <core/heap.h>
#include <core/string.h>
#include <core/time.h>
#include "libusb1_priv.h"

/* The blobs' libc free(): during a blob call it frees into that blob's own
 * heap, where its malloc'ed transfer buffer came from. */
void free(void *p);

#define X(t) container_of(t, struct lu1_xfer, t)

static bool
handle_ok(libusb_device_handle *h)
{
	return h && h->magic == LU1_HANDLE_MAGIC;
}

/* The endpoint's transfer type in the current configuration, or -1. */
static int
ep_type(struct usb_dev *d, unsigned char ep)
{
	struct usb_config_descriptor *c = usb_dev_current_config(d);

	for (int i = 0; c && i < c->bNumInterfaces; i++)
		for (int a = 0; a < c->interface[i].num_altsetting; a++) {
			const struct usb_interface_descriptor *alt = &c->interface[i].altsetting[a];

			for (int e = 0; e < alt->bNumEndpoints; e++)
				if (alt->endpoint[e].bEndpointAddress == ep)
					return alt->endpoint[e].bmAttributes & LIBUSB_TRANSFER_TYPE_MASK;
		}
	return -1;
}

static int
ep_max_packet(struct usb_dev *d, unsigned char ep)
{
	struct usb_config_descriptor *c = usb_dev_current_config(d);

	for (int i = 0; c && i < c->bNumInterfaces; i++)
		for (int a = 0; a < c->interface[i].num_altsetting; a++) {
			const struct usb_interface_descriptor *alt = &c->interface[i].altsetting[a];

			for (int e = 0; e < alt->bNumEndpoints; e++)
				if (alt->endpoint[e].bEndpointAddress == ep)
					return alt->endpoint[e].wMaxPacketSize & 0x7ff;
		}
	return 0;
}

/* Prepare a bulk or interrupt URB as usbfs would accept it: the endpoint
 * must be in the current configuration, its interface claimed by this
 * handle or free (then claimed, as usbfs does); the URB takes the
 * endpoint's own type (usbfs turns bulk on an interrupt endpoint into
 * interrupt).  Every refusal is LIBUSB_ERROR_IO, as Linux's libusb
 * reports a failed USBDEVFS_SUBMITURB; a gone device NO_DEVICE. */
static int
prepare_data_urb(libusb_device_handle *h, struct urb *urb, unsigned char ep, u8 *buf, int len)
{
	struct usb_dev *d = h->dev->core;
	int type;

	if (len < 0 || (len && !buf))
		return LIBUSB_ERROR_INVALID_PARAM;
	if (lu1_dev_gone(d))
		return LIBUSB_ERROR_NO_DEVICE;
	type = ep_type(d, ep);
	if (type != LIBUSB_ENDPOINT_TRANSFER_TYPE_BULK &&
	    type != LIBUSB_ENDPOINT_TRANSFER_TYPE_INTERRUPT)
		return LIBUSB_ERROR_IO;
	if (usb_dev_claim_for_ep(d, ep, h) < 0)
		return LIBUSB_ERROR_IO;
	memset(urb, 0, sizeof(*urb));
	urb->dev = d;
	urb->type = type == LIBUSB_ENDPOINT_TRANSFER_TYPE_BULK ? URB_BULK : URB_INTERRUPT;
	urb->ep = ep;
	urb->buf = buf;
	urb->len = (size_t)len;
	return 0;
}

static int
submit_err(int err)
{
	return err == -ENODEV ? LIBUSB_ERROR_NO_DEVICE :
	       err == -ENOMEM ? LIBUSB_ERROR_NO_MEM : LIBUSB_ERROR_IO;
}

/* A finished URB's status as a synchronous call's result. */
static int
sync_result(int status)
{
	switch (status) {
	case 0:		return 0;
	case -EPIPE:	return LIBUSB_ERROR_PIPE;
	case -ETIMEDOUT:return LIBUSB_ERROR_TIMEOUT;
	case -ENODEV:	return LIBUSB_ERROR_NO_DEVICE;
	case -EOVERFLOW:return LIBUSB_ERROR_OVERFLOW;
	default:	return LIBUSB_ERROR_IO;
	}
}

static bool
urb_finished(void *u)
{
	return ((struct urb *)u)->done;
}

/* The wait is lu1_wait's (through the scheduler): a blob in a long
 * synchronous transfer is blocked, not spinning, for the watchdog. */
static int
run_sync(struct urb *urb, unsigned int timeout)
{
	int err = usb_urb_submit(urb);

	if (err)
		return submit_err(err);
	lu1_wait(timeout ? urb->submit_ns + timeout * NSEC_PER_MSEC : ~0ULL, urb_finished, urb,
		 "libusb transfer");
	if (!urb->done)
		usb_urb_cancel(urb, -ETIMEDOUT);
	return sync_result(urb->status);
}

int
libusb_control_transfer(libusb_device_handle *h, uint8_t reqtype, uint8_t req, uint16_t value,
			uint16_t index, unsigned char *data, uint16_t len, unsigned int timeout)
{
	struct urb urb = {
		.type = URB_CONTROL, .ep = reqtype & LIBUSB_ENDPOINT_IN,
		.setup = { reqtype, req, value, index, len }, .buf = data, .len = len,
	};
	int r;

	if (!handle_ok(h) || (len && !data))
		return LIBUSB_ERROR_INVALID_PARAM;
	urb.dev = h->dev->core;
	if (lu1_dev_gone(urb.dev))
		return LIBUSB_ERROR_NO_DEVICE;
	r = run_sync(&urb, timeout);
	return r < 0 ? r : (int)urb.actual;
}
EXPORT(libusb_control_transfer, LIBUSB1);

/* actual_length is set on failure too (what moved before the error). */
static int
data_transfer(libusb_device_handle *h, unsigned char ep, unsigned char *data, int len,
	      int *actual, unsigned int timeout)
{
	struct urb urb;
	int r;

	if (!handle_ok(h))
		return LIBUSB_ERROR_INVALID_PARAM;
	r = prepare_data_urb(h, &urb, ep, data, len);
	if (r == 0)
		r = run_sync(&urb, timeout);
	if (actual)
		*actual = r == 0 || r == LIBUSB_ERROR_TIMEOUT || r == LIBUSB_ERROR_PIPE ||
			  r == LIBUSB_ERROR_OVERFLOW ? (int)urb.actual : 0;
	return r;
}

int
libusb_bulk_transfer(libusb_device_handle *h, unsigned char ep, unsigned char *data, int len,
		     int *actual, unsigned int timeout)
{
	return data_transfer(h, ep, data, len, actual, timeout);
}
EXPORT(libusb_bulk_transfer, LIBUSB1);

int
libusb_interrupt_transfer(libusb_device_handle *h, unsigned char ep, unsigned char *data,
			  int len, int *actual, unsigned int timeout)
{
	return data_transfer(h, ep, data, len, actual, timeout);
}
EXPORT(libusb_interrupt_transfer, LIBUSB1);

/* The first language, then the string, UTF-16LE narrowed: what is not
 * 7-bit ASCII becomes '?' (libusb 1.0.26's rule). */
int
libusb_get_string_descriptor_ascii(libusb_device_handle *h, uint8_t index, unsigned char *data,
				   int length)
{
	u8 t[255];
	int r, out = 0;
	u16 langid;

	if (index == 0 || length <= 0 || !data)
		return LIBUSB_ERROR_INVALID_PARAM;
	r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
				    LIBUSB_DT_STRING << 8, 0, t, sizeof(t), 1000);
	if (r < 0)
		return r;
	if (r < 4)
		return LIBUSB_ERROR_IO;
	langid = (u16)(t[2] | t[3] << 8);
	r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
				    LIBUSB_DT_STRING << 8 | index, langid, t, sizeof(t), 1000);
	if (r < 0)
		return r;
	if (r < 2 || t[1] != LIBUSB_DT_STRING || t[0] > r)
		return LIBUSB_ERROR_IO;
	for (int i = 2; i + 1 < t[0] && out < length - 1; i += 2)
		data[out++] = (t[i] & 0x80) || t[i + 1] ? '?' : t[i];
	data[out] = 0;
	return out;
}
EXPORT(libusb_get_string_descriptor_ascii, LIBUSB1);

/* --- asynchronous transfers ------------------------------------------------------ */

struct libusb_transfer *
libusb_alloc_transfer(int iso_packets)
{
	struct lu1_xfer *x;

	if (iso_packets < 0 || iso_packets > 0x10000)
		return NULL;
	x = heap_zalloc(sizeof(*x) + (size_t)iso_packets * sizeof(struct libusb_iso_packet_descriptor));
	if (!x)
		return NULL;
	x->t.num_iso_packets = iso_packets;
	return &x->t;
}
EXPORT(libusb_alloc_transfer, LIBUSB1);

static void
unlink_xfer(struct lu1_xfer *x)
{
	if (!x->ctx)
		return;
	for (struct lu1_xfer **pp = &x->ctx->xfers; *pp; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	x->next = NULL;
}

static bool
in_flight(const struct lu1_xfer *x)
{
	return x->state == XS_FLIGHT || x->state == XS_ZLP;
}

/* libusb leaves freeing an in-flight transfer undefined; here the URB is
 * cancelled first so that the core never touches freed memory. */
void
libusb_free_transfer(struct libusb_transfer *t)
{
	struct lu1_xfer *x;

	if (!t)
		return;
	x = X(t);
	if (in_flight(x)) {
		kprintf("libusb_free_transfer: transfer to endpoint 0x%02x still in flight; cancelled\n",
			t->endpoint);
		usb_urb_cancel(&x->urb, -ECANCELED);
	}
	if (x->state != XS_IDLE)
		unlink_xfer(x);
	if ((t->flags & LIBUSB_TRANSFER_FREE_BUFFER) && t->buffer)
		free(t->buffer);
	heap_free(x);
}
EXPORT(libusb_free_transfer, LIBUSB1);

static int
prepare_control(struct lu1_xfer *x)
{
	struct libusb_transfer *t = &x->t;
	const u8 *s = t->buffer;
	u16 wlength;

	if (!s || t->length < (int)LIBUSB_CONTROL_SETUP_SIZE)
		return LIBUSB_ERROR_INVALID_PARAM;
	wlength = (u16)(s[6] | s[7] << 8);
	if ((int)LIBUSB_CONTROL_SETUP_SIZE + wlength > t->length)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (lu1_dev_gone(t->dev_handle->dev->core))
		return LIBUSB_ERROR_NO_DEVICE;
	memset(&x->urb, 0, sizeof(x->urb));
	x->urb.dev = t->dev_handle->dev->core;
	x->urb.type = URB_CONTROL;
	x->urb.ep = s[0] & LIBUSB_ENDPOINT_IN;
	x->urb.setup = (struct usb_setup){ s[0], s[1], (u16)(s[2] | s[3] << 8),
					   (u16)(s[4] | s[5] << 8), wlength };
	x->urb.buf = t->buffer + LIBUSB_CONTROL_SETUP_SIZE;
	x->urb.len = wlength;
	return 0;
}

/* ADD_ZERO_PACKET: a bulk OUT whose length is a multiple of the packet
 * size is followed by a zero-length packet (usbfs's URB_ZERO_PACKET). */
static bool
wants_zlp(struct lu1_xfer *x)
{
	struct libusb_transfer *t = &x->t;
	int mps;

	if (!(t->flags & LIBUSB_TRANSFER_ADD_ZERO_PACKET) || x->urb.type != URB_BULK ||
	    (t->endpoint & LIBUSB_ENDPOINT_IN) || t->length == 0)
		return false;
	mps = ep_max_packet(x->urb.dev, t->endpoint);
	return mps > 0 && t->length % mps == 0;
}

int
libusb_submit_transfer(struct libusb_transfer *t)
{
	struct lu1_xfer *x;
	struct libusb_context *c;
	int r;

	if (!t)
		return LIBUSB_ERROR_INVALID_PARAM;
	x = X(t);
	if (x->state != XS_IDLE)
		return LIBUSB_ERROR_BUSY;
	if (!handle_ok(t->dev_handle))
		return LIBUSB_ERROR_INVALID_PARAM;
	c = t->dev_handle->dev->ctx;
	switch (t->type) {
	case LIBUSB_TRANSFER_TYPE_CONTROL:
		r = prepare_control(x);
		break;
	case LIBUSB_TRANSFER_TYPE_BULK:
	case LIBUSB_TRANSFER_TYPE_INTERRUPT:
		r = prepare_data_urb(t->dev_handle, &x->urb, t->endpoint, t->buffer, t->length);
		break;
	case LIBUSB_TRANSFER_TYPE_ISOCHRONOUS:
		/* usbfs refuses an isochronous URB to another kind of endpoint
		 * (EINVAL, INVALID_PARAM in libusb); real ones are not done here. */
		if (ep_type(t->dev_handle->dev->core, t->endpoint) !=
		    LIBUSB_ENDPOINT_TRANSFER_TYPE_ISOCHRONOUS)
			return LIBUSB_ERROR_INVALID_PARAM;
		return LIBUSB_ERROR_NOT_SUPPORTED;
	case LIBUSB_TRANSFER_TYPE_BULK_STREAM:
		return LIBUSB_ERROR_NOT_SUPPORTED;
	default:
		return LIBUSB_ERROR_INVALID_PARAM;
	}
	if (r)
		return r;
	r = usb_urb_submit(&x->urb);
	if (r)
		return submit_err(r);
	x->ctx = c;
	x->actual = 0;
	x->cancelling = false;
	x->state = XS_FLIGHT;
	x->deadline = t->timeout ? x->urb.submit_ns + t->timeout * NSEC_PER_MSEC : 0;
	t->actual_length = 0;
	/* At the tail: callbacks run in submission order among those done. */
	x->next = NULL;
	{
		struct lu1_xfer **pp = &c->xfers;

		while (*pp)
			pp = &(*pp)->next;
		*pp = x;
	}
	return 0;
}
EXPORT(libusb_submit_transfer, LIBUSB1);

/* Not in flight, or already being cancelled: LIBUSB_ERROR_NOT_FOUND.  The
 * callback comes from event handling with LIBUSB_TRANSFER_CANCELLED
 * (or the real status, if it completed first). */
int
libusb_cancel_transfer(struct libusb_transfer *t)
{
	struct lu1_xfer *x;

	if (!t)
		return LIBUSB_ERROR_INVALID_PARAM;
	x = X(t);
	if (!in_flight(x) || x->cancelling)
		return LIBUSB_ERROR_NOT_FOUND;
	x->cancelling = true;
	usb_urb_cancel(&x->urb, -ECANCELED);
	return 0;
}
EXPORT(libusb_cancel_transfer, LIBUSB1);

void
libusb_transfer_set_stream_id(struct libusb_transfer *t, uint32_t id)
{
	(void)t;
	(void)id;
}
EXPORT(libusb_transfer_set_stream_id, LIBUSB1);

uint32_t
libusb_transfer_get_stream_id(struct libusb_transfer *t)
{
	(void)t;
	return 0;
}
EXPORT(libusb_transfer_get_stream_id, LIBUSB1);

void
lu1_cancel_handle(struct libusb_device_handle *h)
{
	for (struct lu1_xfer *x = h->dev->ctx->xfers; x; x = x->next)
		if (x->t.dev_handle == h && in_flight(x) && !x->cancelling) {
			x->cancelling = true;
			usb_urb_cancel(&x->urb, -ECANCELED);
		}
}

static int
status_of(const struct lu1_xfer *x, int urb_status)
{
	switch (urb_status) {
	case 0:
		if ((x->t.flags & LIBUSB_TRANSFER_SHORT_NOT_OK) && x->actual < x->urb.len)
			return LIBUSB_TRANSFER_ERROR;
		return LIBUSB_TRANSFER_COMPLETED;
	case -EPIPE:		return LIBUSB_TRANSFER_STALL;
	case -ETIMEDOUT:	return LIBUSB_TRANSFER_TIMED_OUT;
	case -ECANCELED:	return LIBUSB_TRANSFER_CANCELLED;
	case -ENODEV:		return LIBUSB_TRANSFER_NO_DEVICE;
	case -EOVERFLOW:	return LIBUSB_TRANSFER_OVERFLOW;
	default:		return LIBUSB_TRANSFER_ERROR;
	}
}

/* One in-flight transfer: expire its timeout, notice its URB finished,
 * send the zero-length packet it asked for. */
static void
advance(struct lu1_xfer *x, u64 now)
{
	int status;

	if (!x->urb.done && x->deadline && now >= x->deadline && !x->cancelling)
		usb_urb_cancel(&x->urb, -ETIMEDOUT);
	if (!x->urb.done)
		return;
	status = x->urb.status;
	if (x->state == XS_FLIGHT) {
		x->actual = x->urb.actual;
		if (status == 0 && wants_zlp(x)) {
			x->urb.len = 0;
			if (usb_urb_submit(&x->urb) == 0) {
				x->state = XS_ZLP;
				return;
			}
			status = x->urb.status ? x->urb.status : -EIO;
		}
	}
	x->result = status_of(x, status);
	x->state = XS_DONE;
}

static void
complete(struct libusb_context *c, struct lu1_xfer *x)
{
	struct libusb_transfer *t = &x->t;
	u8 flags = t->flags;

	unlink_xfer(x);
	x->state = XS_IDLE;
	t->status = x->result;
	t->actual_length = (int)x->actual;
	if (t->callback)
		t->callback(t);
	/* t may be gone (freed or resubmitted by the callback) */
	if (flags & LIBUSB_TRANSFER_FREE_TRANSFER)
		libusb_free_transfer(t);
	lu1_signal_waiters(c);
}

int
lu1_process(struct libusb_context *c)
{
	u64 now = time_now_ns();
	int n = 0;

	for (struct lu1_xfer *x = c->xfers; x; x = x->next)
		if (in_flight(x))
			advance(x, now);
	/* Callbacks may submit, cancel or free transfers: look again from the
	 * head after each, and run only those done before this pass began
	 * (a resubmitted transfer is in flight, not done). */
	for (;;) {
		struct lu1_xfer *x;

		for (x = c->xfers; x && x->state != XS_DONE; x = x->next)
			;
		if (!x)
			break;
		complete(c, x);
		n++;
	}
	return n;
}

bool
lu1_any_done(void *arg)
{
	struct libusb_context *c = arg;

	if (c->interrupted)
		return true;
	for (struct lu1_xfer *x = c->xfers; x; x = x->next)
		if (x->state == XS_DONE || x->urb.done)
			return true;
	return false;
}

u64
lu1_next_deadline(struct libusb_context *c)
{
	u64 best = 0;

	for (struct lu1_xfer *x = c->xfers; x; x = x->next)
		if (in_flight(x) && x->deadline && !x->cancelling && (!best || x->deadline < best))
			best = x->deadline;
	return best;
}
