/* Transfers: one TD at a time on each endpoint's ring (others wait in
 * order, as on UHCI's queue heads), control as Setup/Data/Status stages,
 * bulk and interrupt as chained Normal TRBs that never cross a 64 KiB
 * boundary.  A stalled or failed endpoint is reset and its dequeue pointer
 * moved past the TD before the next one starts; a cancelled TD is stopped
 * the same way.  The standard requests that change the controller's view
 * of the device (SET_ADDRESS, SET_CONFIGURATION, SET_INTERFACE) are turned
 * into commands; CLEAR_FEATURE(HALT) resets the endpoint's toggle. */
#include <core/console.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/string.h>
#include "xhci.h"

#define CHUNK_MAX	0x10000u

static unsigned
dci_of(u8 ep_addr)
{
	return (ep_addr & 0x0f) * 2 + (ep_addr & 0x80 ? 1 : 0);
}

static int
code_to_errno(int code)
{
	switch (code) {
	case CC_STALL:
		return -EPIPE;
	case CC_BABBLE:
		return -EOVERFLOW;
	default:		/* transaction (no handshake), data buffer, TRB errors */
		return -EPROTO;
	}
}

/* TD Size: packets left after this TRB (xHCI 1.0), or KiB left (0.96). */
static u32
td_size(const struct xhci *x, size_t left, u16 mps)
{
	size_t n = x->version >= 0x100 ? (left + mps - 1) / (mps ? mps : 1) : left >> 10;

	return TRB_TDSIZE(n > 31 ? 31 : n);
}

static size_t
count_chunks(u64 addr, size_t len)
{
	size_t n = 0;

	do {
		size_t c = MIN(len, CHUNK_MAX - (addr & (CHUNK_MAX - 1)));

		addr += c;
		len -= c;
		n++;
	} while (len);
	return n;
}

static void
add_item(struct xhci_xfer *xf, u64 param, u32 status, u32 control, u32 len, bool data)
{
	struct xhci_td_trb *it = &xf->item[xf->n++];

	it->trb = (struct xhci_trb){ param, status, control };
	it->len = len;
	it->data = data;
}

/* Data TRBs for buf/len; the first gets first_type (DATA for a control
 * data stage), the rest NORMAL, all chained but the last. */
static void
add_data(struct xhci *x, struct xhci_xfer *xf, u8 *buf, size_t len, bool in, u16 mps,
	 u32 first_type, u32 last_flags)
{
	u64 a = phys(buf);
	size_t left = len;
	bool first = true;

	do {
		u32 c = (u32)MIN(left, CHUNK_MAX - (a & (CHUNK_MAX - 1)));
		bool last = c == left;
		u32 ctl = TRB_TYPE(first ? first_type : TRB_NORMAL) | (in ? TRB_ISP : 0) |
			  (last ? last_flags : TRB_CH);

		if (first && first_type == TRB_DATA && in)
			ctl |= TRB_DIR_IN;
		add_item(xf, len ? a : 0, TRB_LEN(c) | (last ? 0 : td_size(x, left - c, mps)),
			 ctl, c, true);
		a += c;
		left -= c;
		first = false;
	} while (left);
}

static struct xhci_xfer *
xfer_build(struct xhci_slot *s, struct xhci_ep *ep, struct urb *urb, int *err)
{
	bool ctl = urb->type == URB_CONTROL;
	size_t len = ctl ? urb->setup.wLength : urb->len;
	bool in = ctl ? urb->setup.bmRequestType & 0x80 : urb->ep & 0x80;
	size_t n = count_chunks(phys(urb->buf), len) + (ctl ? 2 : 0);
	u16 mps = ctl ? s->mps0 : ep->desc->wMaxPacketSize & 0x7ff;
	struct xhci_xfer *xf;

	if (n > MAX_TD_TRBS) {
		*err = -EINVAL;	/* over 8 MiB in one transfer */
		return NULL;
	}
	xf = heap_zalloc(sizeof(*xf) + n * sizeof(xf->item[0]));
	if (!xf) {
		*err = -ENOMEM;
		return NULL;
	}
	xf->urb = urb;
	xf->ep = ep;
	xf->data_len = len;
	xf->short_actual = -1;
	if (ctl) {
		u64 setup;

		memcpy(&setup, &urb->setup, 8);
		add_item(xf, setup, TRB_LEN(8), TRB_TYPE(TRB_SETUP) | TRB_IDT |
			 TRB_TRT(len ? (in ? 3 : 2) : 0), 0, false);
		if (len)
			add_data(s->x, xf, urb->buf, len, in, mps, TRB_DATA, 0);
		/* status: the other direction (IN when there is no data) */
		add_item(xf, 0, 0, TRB_TYPE(TRB_STATUS) | TRB_IOC | (in && len ? 0 : TRB_DIR_IN),
			 0, false);
	} else {
		add_data(s->x, xf, urb->buf, len, in, mps, TRB_NORMAL, TRB_IOC);
	}
	return xf;
}

static void
xfer_start(struct xhci_slot *s, struct xhci_ep *ep, struct xhci_xfer *xf)
{
	ep->busy = xf;
	ring_td_begin(&ep->ring);
	xf->start = ep->ring.enq;
	for (u32 k = 0; k < xf->n; k++)
		ring_push(&ep->ring, xf->item[k].trb.param, xf->item[k].trb.status,
			  xf->item[k].trb.control);
	ring_td_commit(&ep->ring);
	doorbell(s->x, s->id, (unsigned)(ep - s->ep));
}

static void
start_next(struct xhci_slot *s, struct xhci_ep *ep)
{
	struct xhci_xfer *xf = ep->waiting;

	if (ep->busy || ep->recover || !xf || s->gone)
		return;
	ep->waiting = xf->next;
	xf->next = NULL;
	xfer_start(s, ep, xf);
}

/* What a finished control transfer means for the controller's view. */
static void
note_control(struct xhci_slot *s, const struct urb *urb)
{
	const struct usb_setup *st = &urb->setup;

	if (st->bmRequestType == 0x80 && st->bRequest == USB_REQ_GET_DESCRIPTOR &&
	    st->wValue >> 8 == USB_DT_DEVICE && urb->actual >= 8) {
		u8 m = urb->buf[7];
		u16 mps = s->speed == SPEED_SUPER ? (m >= 4 && m <= 9 ? 1u << m : 0) : m;

		if (mps == 8 || mps == 16 || mps == 32 || mps == 64 || mps == 512)
			s->want_mps0 = mps;	/* Evaluate Context before the next request */
	}
	if (st->bmRequestType == 0x02 && st->bRequest == USB_REQ_CLEAR_FEATURE && st->wValue == 0) {
		unsigned dci = dci_of((u8)st->wIndex);

		if (dci >= 2 && dci < 32 && s->ep[dci].ring.trb)
			s->ep[dci].reset_toggle = true;
	}
}

/* QEMU's usb-ccid (the "QEMU USB CCID" reader, 08e6:4433) ends a bulk IN
 * answer whose length is a multiple of the endpoint's packet size with a
 * zero-length packet it hands out on the *next* IN request.  On UHCI and
 * EHCI that request is the next packet of the same transfer, as USB means
 * it; on xHCI QEMU gives the device the whole TD as one request, the answer
 * ends it short, and the owed zero-length packet becomes the next TD's
 * whole answer: libccid reads 0 bytes for its next command and every later
 * answer one command late (docs/ccid.md, "usb-ccid on xHCI").  So after such
 * an answer from that device the driver reads the zero-length packet itself
 * before the endpoint's next TD.  A real device ended the transfer with the
 * short packet and owes nothing; it is never asked. */
static bool
zlp_owed(const struct xhci_ep *ep, const struct urb *urb, size_t actual, size_t len)
{
	u16 mps = ep->desc ? ep->desc->wMaxPacketSize & 0x7ff : 0;

	return urb->type == URB_BULK && (urb->ep & 0x80) && mps && actual && actual < len &&
	       actual % mps == 0 && !strcmp(urb->dev->product, "QEMU USB CCID") &&
	       !strcmp(urb->dev->manufacturer, "QEMU");
}

static void
queue_zlp_read(struct xhci_slot *s, struct xhci_ep *ep, struct usb_dev *dev, u8 epaddr)
{
	static u8 sink[1024] __attribute__((aligned(64)));	/* read, never looked at */
	struct urb *u = heap_zalloc(sizeof(*u));
	struct xhci_xfer *xf;
	int err;

	if (!u)
		return;
	u->dev = dev;
	u->type = URB_BULK;
	u->ep = epaddr;
	u->buf = sink;
	u->len = ep->desc->wMaxPacketSize & 0x7ff;
	xf = xfer_build(s, ep, u, &err);
	if (!xf) {
		heap_free(u);
		return;
	}
	xf->drain = true;
	u->hcpriv = xf;
	xf->next = ep->waiting;	/* before anything the core queued */
	ep->waiting = xf;
}

static void
xfer_finish(struct xhci_slot *s, struct xhci_xfer *xf, size_t actual, int status)
{
	struct xhci_ep *ep = xf->ep;
	struct urb *urb = xf->urb;
	bool drain = xf->drain, owed;

	if (ep->busy == xf)
		ep->busy = NULL;
	urb->hcpriv = NULL;
	urb->actual = MIN(actual, xf->data_len);
	owed = status == 0 && !drain && zlp_owed(ep, urb, urb->actual, xf->data_len);
	heap_free(xf);
	if (drain) {
		if (status || urb->actual)
			kprintf("xhci: usb-ccid's owed zero-length packet: %zu bytes, status %d; dropped\n",
				urb->actual, status);
		heap_free(urb);
		start_next(s, ep);
		return;
	}
	if (urb->type == URB_CONTROL && status == 0)
		note_control(s, urb);
	if (status == -EPROTO && !(rd32(s->x->op, OP_PORTSC(s->port)) & PORT_CCS)) {
		status = -ENODEV;	/* no handshake because the device is gone */
		s->x->next_scan_ns = 0;
	}
	if (owed)
		queue_zlp_read(s, ep, urb->dev, urb->ep);
	usb_urb_complete(urb, status);
	start_next(s, ep);
}

/* Which of the TD's TRBs an event names, or -1. */
static int
item_of(const struct xhci_ep *ep, const struct xhci_xfer *xf, u64 ptr)
{
	u64 base = phys(ep->ring.trb);
	u32 idx, k;

	if (ptr < base || ptr >= base + RING_USABLE * sizeof(struct xhci_trb) || (ptr & 15))
		return -1;
	idx = (u32)(ptr - base) / sizeof(struct xhci_trb);
	k = (idx + RING_USABLE - xf->start) % RING_USABLE;
	return k < xf->n ? (int)k : -1;
}

void
xfer_event(struct xhci *x, const struct xhci_trb *ev)
{
	struct xhci_slot *s = x->slots[TRB_GET_SLOT(ev->control)];
	unsigned dci = TRB_GET_EP(ev->control);
	int code = EVT_CODE(ev->status), k;
	struct xhci_xfer *xf;
	struct xhci_ep *ep;
	size_t actual = 0;

	if (!s || dci < 1)
		return;
	ep = &s->ep[dci];
	xf = ep->busy;
	if (!xf || (k = item_of(ep, xf, ev->param)) < 0)
		return;		/* a TD already finished or cancelled */
	if (code == CC_STOPPED || code == CC_STOPPED_LENGTH_INVALID || code == CC_STOPPED_SHORT)
		return;		/* our own Stop Endpoint: the canceller takes it from here */
	for (int i = 0; i < k; i++)
		actual += xf->item[i].data ? xf->item[i].len : 0;
	if (xf->item[k].data)
		actual += xf->item[k].len - MIN(EVT_LEN(ev->status), xf->item[k].len);
	if (code == CC_SHORT_PACKET && xf->urb->type == URB_CONTROL) {
		xf->short_actual = (long)actual;	/* the status stage follows */
		return;
	}
	if (code == CC_SUCCESS || code == CC_SHORT_PACKET) {
		if ((u32)k != xf->n - 1 && code == CC_SUCCESS)
			return;	/* not the TD's end */
		if (xf->urb->type == URB_CONTROL)
			actual = xf->short_actual >= 0 ? (size_t)xf->short_actual : xf->data_len;
		xfer_finish(s, xf, actual, 0);
		return;
	}
	ep->recover = true;	/* halted, or stopped inside the TD */
	xfer_finish(s, xf, actual, code_to_errno(code));
}

/* Bring the endpoint to a stop and point it past everything queued: after
 * a stall or error, or to cancel the TD on it. */
int
ep_recover(struct xhci_slot *s, struct xhci_ep *ep)
{
	unsigned dci = (unsigned)(ep - s->ep);
	struct xhci_ring *r = &ep->ring;
	int cc = CC_SUCCESS;

	if (s->gone || !r->trb)
		return -ENODEV;
	for (int tries = 0; tries < 3; tries++) {
		u32 st = ep_state(s, dci);

		if (st == EP_STATE_HALTED)
			cc = cmd_run(s->x, 0, 0, TRB_TYPE(TRB_RESET_EP) | TRB_SLOT(s->id) | TRB_EP(dci), NULL);
		else if (st == EP_STATE_RUNNING)
			cc = cmd_run(s->x, 0, 0, TRB_TYPE(TRB_STOP_EP) | TRB_SLOT(s->id) | TRB_EP(dci), NULL);
		else
			break;
		if (cc < 0)
			return cc;
	}
	cc = cmd_run(s->x, phys(&r->trb[r->enq]) | r->pcs, 0,
		     TRB_TYPE(TRB_SET_TR_DEQ) | TRB_SLOT(s->id) | TRB_EP(dci), NULL);
	ep->recover = false;
	if (cc != CC_SUCCESS) {
		kprintf("usb %d-%d: xHCI endpoint %u: set dequeue pointer failed (code %d)\n",
			s->x->hc.busnum, s->port, dci, cc);
		return -EIO;
	}
	return 0;
}

/* Complete every transfer of an endpoint the controller no longer runs. */
void
ep_flush(struct xhci_slot *s, unsigned dci, int status)
{
	struct xhci_ep *ep = &s->ep[dci];

	while (ep->busy || ep->waiting) {
		struct xhci_xfer *xf = ep->busy ? ep->busy : ep->waiting;
		struct urb *urb = xf->urb;

		bool drain = xf->drain;

		if (xf == ep->busy)
			ep->busy = NULL;
		else
			ep->waiting = xf->next;
		urb->hcpriv = NULL;
		heap_free(xf);
		if (drain)
			heap_free(urb);	/* the driver's own (zlp_owed) */
		else
			usb_urb_complete(urb, status);
	}
}

void
xfer_recover_all(struct xhci *x)
{
	for (int p = 1; p <= x->nports; p++) {
		struct xhci_slot *s = &x->ports[p];

		if (!s->id || s->gone)
			continue;
		for (unsigned dci = 1; dci < 32; dci++) {
			struct xhci_ep *ep = &s->ep[dci];

			if (ep->recover && !ep->busy) {
				ep_recover(s, ep);
				start_next(s, ep);
			}
		}
	}
}

/* Control requests the controller must see through before the device does. */
static int
control_prepare(struct xhci_slot *s, struct urb *urb, bool *done)
{
	const struct usb_setup *st = &urb->setup;
	int err = 0;

	*done = false;
	if (s->want_mps0 != s->mps0 && (err = slot_eval_mps0(s)))
		return err;
	if (st->bmRequestType == 0x00 && st->bRequest == USB_REQ_SET_ADDRESS) {
		*done = true;	/* the controller picks the address and sends the request */
		return slot_address(s, false);
	}
	if (st->bmRequestType == 0x00 && st->bRequest == USB_REQ_SET_CONFIGURATION)
		return slot_set_config(s, urb->dev, (u8)st->wValue);
	if (st->bmRequestType == 0x01 && st->bRequest == USB_REQ_SET_INTERFACE)
		return slot_set_interface(s, (u8)st->wIndex, (u8)st->wValue);
	return 0;
}

int
xhci_submit(struct usb_hc *hc, struct urb *urb)
{
	struct xhci_slot *s = urb->dev->hcpriv;
	struct xhci_xfer *xf, **tail;
	struct xhci_ep *ep;
	unsigned dci = 1;
	int err = 0;

	(void)hc;
	if (!s || !s->id || s->gone || s->x->dead)
		return -ENODEV;
	if (urb->type == URB_CONTROL) {
		bool done;

		err = control_prepare(s, urb, &done);
		if (done || err) {
			if (done)
				usb_urb_complete(urb, err);
			return done ? 0 : err;
		}
	} else if (urb->type == URB_BULK || urb->type == URB_INTERRUPT) {
		dci = dci_of(urb->ep);
		if (dci < 2 || !s->ep[dci].ring.trb)
			return -EINVAL;	/* not an endpoint of the configuration */
	} else {
		return -EINVAL;
	}
	ep = &s->ep[dci];
	if (!ep->busy && !ep->waiting) {
		if (ep->reset_toggle) {
			ep->reset_toggle = false;
			slot_reset_toggle(s, dci);
		}
		if (ep->recover)
			ep_recover(s, ep);
	}
	xf = xfer_build(s, ep, urb, &err);
	if (!xf)
		return err;
	urb->hcpriv = xf;
	if (!ep->busy && !ep->recover) {
		xfer_start(s, ep, xf);
		return 0;
	}
	for (tail = &ep->waiting; *tail; tail = &(*tail)->next)
		;
	*tail = xf;
	return 0;
}

void
xhci_cancel(struct usb_hc *hc, struct urb *urb)
{
	struct xhci_xfer *xf = urb->hcpriv;
	struct xhci_slot *s = urb->dev->hcpriv;
	struct xhci_ep *ep;

	(void)hc;
	if (!xf || !s)
		return;
	ep = xf->ep;
	if (ep->busy != xf) {	/* never reached the ring */
		for (struct xhci_xfer **pp = &ep->waiting; *pp; pp = &(*pp)->next)
			if (*pp == xf) {
				*pp = xf->next;
				break;
			}
		urb->hcpriv = NULL;
		heap_free(xf);
		return;
	}
	ep->recover = true;
	if (!s->gone)
		ep_recover(s, ep);	/* may still see the TD finish: then it is done */
	if (urb->hcpriv == xf) {
		ep->busy = NULL;
		urb->hcpriv = NULL;
		heap_free(xf);
	}
	if (!ep->recover)
		start_next(s, ep);
}
