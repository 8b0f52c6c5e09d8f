/* Device slots and their contexts: Enable Slot, Address Device (first with
 * SET_ADDRESS blocked, so the core can read the first 8 bytes of the
 * device descriptor at the default address), Evaluate Context for EP0's
 * max packet size, Configure Endpoint for a configuration's or an
 * alternate setting's endpoints, Disable Slot. */
#include <core/console.h>
#include <core/errno.h>
#include <core/pages.h>
#include <core/string.h>
#include "xhci.h"

static u32 *
ctx_out(struct xhci_slot *s, unsigned dci)
{
	return (u32 *)(s->out_ctx + dci * s->x->ctx_size);
}

/* Input context: 0 the input control context, 1 the slot, 1 + DCI. */
u8 *
ctx_in(struct xhci_slot *s, unsigned idx)
{
	return s->in_ctx + idx * s->x->ctx_size;
}

u32
ep_state(struct xhci_slot *s, unsigned dci)
{
	return EP0_STATE(((volatile u32 *)ctx_out(s, dci))[0]);
}

static u16
default_mps0(u8 speed)
{
	return speed == SPEED_SUPER ? 512 : speed == SPEED_HIGH ? 64 : 8;
}

int
slot_enable(struct xhci *x, struct xhci_slot *s)
{
	u8 id = 0;
	int cc;

	s->x = x;
	s->in_ctx = pages_alloc(1);
	s->out_ctx = pages_alloc(1);
	if (!s->in_ctx || !s->out_ctx)
		return -ENOMEM;
	memset(s->out_ctx, 0, PAGE_SIZE);
	cc = cmd_run(x, 0, 0, TRB_TYPE(TRB_ENABLE_SLOT), &id);
	if (cc != CC_SUCCESS || id == 0 || id > x->max_slots) {
		kprintf("usb %d-%d: xHCI enable slot failed (code %d)\n", x->hc.busnum, s->port, cc);
		return -EIO;
	}
	s->id = id;
	x->slots[id] = s;
	x->dcbaa[id] = phys(s->out_ctx);
	return 0;
}

static void
fill_ep0(struct xhci_slot *s)
{
	u32 *ep = (u32 *)ctx_in(s, 1 + 1);

	ep[1] = EP1_CERR3 | EP1_TYPE(EPT_CONTROL) | EP1_MPS(s->mps0);
	ep[2] = (u32)phys(&s->ep[1].ring.trb[s->ep[1].ring.enq]) | s->ep[1].ring.pcs;
	ep[3] = (u32)(phys(s->ep[1].ring.trb) >> 32);
	ep[4] = EP4_AVG(8);
}

/* The slot context as the controller keeps it, with entries = highest DCI. */
static void
fill_slot(struct xhci_slot *s, unsigned entries)
{
	u32 *sl = (u32 *)ctx_in(s, 1);

	memcpy(sl, ctx_out(s, 0), 16);
	sl[0] = (sl[0] & ~(0x1fu << 27)) | SLOT0_ENTRIES(entries);
	sl[3] = 0;	/* address and state are the controller's */
}

int
slot_address(struct xhci_slot *s, bool block_set_address)
{
	struct xhci_ep *ep0 = &s->ep[1];
	u32 *icc = (u32 *)ctx_in(s, 0), *sl = (u32 *)ctx_in(s, 1);
	int cc;

	if (!ep0->ring.trb) {
		if (ring_init(&ep0->ring))
			return -ENOMEM;
		s->mps0 = s->want_mps0 = default_mps0(s->speed);
	}
	memset(s->in_ctx, 0, PAGE_SIZE);
	icc[1] = 1 << 0 | 1 << 1;	/* add the slot and EP0 */
	sl[0] = SLOT0_SPEED(s->speed) | SLOT0_ENTRIES(1);
	sl[1] = SLOT1_PORT(s->port);
	fill_ep0(s);
	cc = cmd_run(s->x, phys(s->in_ctx), 0, TRB_TYPE(TRB_ADDRESS_DEVICE) | TRB_SLOT(s->id) |
		     (block_set_address ? TRB_BSR : 0), NULL);
	if (cc != CC_SUCCESS) {
		kprintf("usb %d-%d: xHCI address device failed (code %d)\n",
			s->x->hc.busnum, s->port, cc);
		return cc == CC_TRANSACTION ? -EPROTO : -EIO;
	}
	return 0;
}

int
slot_eval_mps0(struct xhci_slot *s)
{
	u32 *icc = (u32 *)ctx_in(s, 0);
	u16 old = s->mps0;
	int cc;

	memset(s->in_ctx, 0, PAGE_SIZE);
	icc[1] = 1 << 1;
	s->mps0 = s->want_mps0;
	fill_ep0(s);
	cc = cmd_run(s->x, phys(s->in_ctx), 0, TRB_TYPE(TRB_EVALUATE_CTX) | TRB_SLOT(s->id), NULL);
	if (cc != CC_SUCCESS) {
		s->mps0 = s->want_mps0 = old;
		kprintf("usb %d-%d: xHCI evaluate context failed (code %d)\n",
			s->x->hc.busnum, s->port, cc);
		return -EIO;
	}
	return 0;
}

static unsigned
ep_dci(u8 addr)
{
	return (addr & 0x0f) * 2 + (addr & 0x80 ? 1 : 0);
}

/* SuperSpeed endpoints carry their burst in the companion descriptor. */
static u8
ss_burst(const struct usb_endpoint_descriptor *d)
{
	for (int i = 0; i + 2 < d->extralen; i += d->extra[i]) {
		if (d->extra[i] < 2)
			break;
		if (d->extra[i + 1] == 0x30 && d->extra[i] >= 6)
			return d->extra[i + 2];
	}
	return 0;
}

/* The Interval field: 2^n units of 125 us. */
static u32
ep_interval(u8 speed, const struct usb_endpoint_descriptor *d)
{
	u8 type = d->bmAttributes & 3, b = d->bInterval;
	u32 n = 0;

	if (type != 3 && type != 1)
		return 0;	/* bulk and control: no period */
	if (speed == SPEED_HIGH || speed == SPEED_SUPER || type == 1) {
		n = (b < 1 ? 1 : b > 16 ? 16 : b) - 1;	/* 2^(bInterval-1) */
		if (type == 1 && (speed == SPEED_FULL || speed == SPEED_LOW))
			n += 3;	/* full-speed isochronous counts frames */
		return n;
	}
	/* low/full-speed interrupt: bInterval in ms, rounded down to 2^n * 125 us */
	for (u32 us125 = (b ? b : 1) * 8u; us125 > 1; us125 >>= 1)
		n++;
	return n < 3 ? 3 : n > 10 ? 10 : n;
}

static void
fill_ep(struct xhci_slot *s, unsigned dci, const struct usb_endpoint_descriptor *d,
	struct xhci_ring *r)
{
	u32 *ep = (u32 *)ctx_in(s, 1 + dci);
	u8 type = d->bmAttributes & 3;
	bool in = d->bEndpointAddress & 0x80;
	u32 mps = d->wMaxPacketSize & 0x7ff, burst = 0, esit = 0;

	if (s->speed == SPEED_SUPER)
		burst = ss_burst(d);
	else if (s->speed == SPEED_HIGH && (type == 1 || type == 3))
		burst = d->wMaxPacketSize >> 11 & 3;
	if (type == 1 || type == 3)
		esit = mps * (burst + 1);
	memset(ep, 0, s->x->ctx_size);
	ep[0] = EP0_INTERVAL(ep_interval(s->speed, d)) | EP0_ESIT_HI(esit);
	ep[1] = EP1_CERR3 | EP1_TYPE(type == 0 ? EPT_CONTROL : type + (in ? 4 : 0)) |
		EP1_BURST(burst) | EP1_MPS(mps);
	ep[2] = (u32)phys(r->trb) | r->pcs;
	ep[3] = (u32)(phys(r->trb) >> 32);
	ep[4] = EP4_AVG(type == 3 ? esit : type == 2 ? 3072 : 8) | EP4_ESIT_LO(esit);
}

/* Drop the endpoints in drop, add those in add (bit = DCI) with their
 * descriptors in want[]; both for one DCI re-initialises it (new ring,
 * toggle back to DATA0).  Pending transfers on dropped endpoints end
 * with -ECANCELED. */
static int
configure(struct xhci_slot *s, u32 drop, u32 add, const struct usb_endpoint_descriptor **want)
{
	struct xhci_ring rings[32] = { 0 };
	u32 *icc = (u32 *)ctx_in(s, 0);
	unsigned last = 1;
	int cc, err = 0;

	drop &= ~3u;
	add &= ~3u;
	for (unsigned dci = 2; dci < 32; dci++) {
		bool on = ((s->ep[dci].ring.trb && !(drop >> dci & 1)) || (add >> dci & 1));

		if (on)
			last = dci;
		if (add >> dci & 1 && ring_init(&rings[dci]))
			err = -ENOMEM;
	}
	if (err)
		goto out;
	memset(s->in_ctx, 0, PAGE_SIZE);
	icc[0] = drop;
	icc[1] = add | 1;
	fill_slot(s, last);
	for (unsigned dci = 2; dci < 32; dci++)
		if (add >> dci & 1)
			fill_ep(s, dci, want[dci], &rings[dci]);
	cc = cmd_run(s->x, phys(s->in_ctx), 0, TRB_TYPE(TRB_CONFIGURE_EP) | TRB_SLOT(s->id), NULL);
	if (cc != CC_SUCCESS) {
		kprintf("usb %d-%d: xHCI configure endpoint failed (code %d)\n",
			s->x->hc.busnum, s->port, cc);
		err = -EIO;
		goto out;
	}
	for (unsigned dci = 2; dci < 32; dci++) {
		struct xhci_ep *ep = &s->ep[dci];

		if (!(drop >> dci & 1) && !(add >> dci & 1))
			continue;
		ep_flush(s, dci, -ECANCELED);	/* the controller let go of them */
		ring_free(&ep->ring);
		memset(ep, 0, sizeof(*ep));
		if (add >> dci & 1) {
			ep->ring = rings[dci];
			ep->desc = want[dci];
			rings[dci].trb = NULL;
		}
	}
out:
	for (unsigned dci = 2; dci < 32; dci++)
		ring_free(&rings[dci]);
	return err;
}

static const struct usb_interface_descriptor *
alt_of(const struct usb_interface *intf, u8 alt)
{
	for (int a = 0; a < intf->num_altsetting; a++)
		if (intf->altsetting[a].bAlternateSetting == alt)
			return &intf->altsetting[a];
	return NULL;
}

/* Isochronous endpoints are left out: the core has no isochronous URBs. */
static u32
want_of(const struct usb_interface_descriptor *id, const struct usb_endpoint_descriptor **want)
{
	u32 mask = 0;

	for (int e = 0; id && e < id->bNumEndpoints; e++) {
		const struct usb_endpoint_descriptor *d = &id->endpoint[e];
		unsigned dci = ep_dci(d->bEndpointAddress);

		if ((d->bmAttributes & 3) == 1 || dci < 2)
			continue;
		want[dci] = d;
		mask |= 1u << dci;
	}
	return mask;
}

static u32
enabled_mask(struct xhci_slot *s)
{
	u32 mask = 0;

	for (unsigned dci = 2; dci < 32; dci++)
		if (s->ep[dci].ring.trb)
			mask |= 1u << dci;
	return mask;
}

int
slot_set_config(struct xhci_slot *s, const struct usb_dev *d, u8 value)
{
	const struct usb_endpoint_descriptor *want[32] = { 0 };
	const struct usb_config_descriptor *c = NULL;
	u32 add = 0;

	for (int i = 0; d && d->config && i < d->desc.bNumConfigurations; i++)
		if (d->config[i].bConfigurationValue == value)
			c = &d->config[i];
	if (value && !c)
		return 0;	/* unknown to us: the device will refuse it */
	memset(s->alt, 0, sizeof(s->alt));
	for (int i = 0; c && i < c->bNumInterfaces; i++)
		add |= want_of(alt_of(&c->interface[i], 0), want);
	if (!add && !enabled_mask(s)) {
		s->cfg = c;
		return 0;
	}
	if (configure(s, enabled_mask(s), add, want))
		return -EIO;
	s->cfg = c;
	return 0;
}

int
slot_set_interface(struct xhci_slot *s, u8 ifnum, u8 alt)
{
	const struct usb_endpoint_descriptor *want[32] = { 0 }, *old[32] = { 0 };
	const struct usb_interface *intf = NULL;
	u32 drop, add;

	for (int i = 0; s->cfg && i < s->cfg->bNumInterfaces; i++)
		if (s->cfg->interface[i].num_altsetting &&
		    s->cfg->interface[i].altsetting[0].bInterfaceNumber == ifnum)
			intf = &s->cfg->interface[i];
	if (!intf || !alt_of(intf, alt) || ifnum >= 32)
		return 0;	/* the device answers for what we do not know */
	drop = want_of(alt_of(intf, s->alt[ifnum]), old) & enabled_mask(s);
	add = want_of(alt_of(intf, alt), want);
	if ((drop || add) && configure(s, drop, add, want))
		return -EIO;
	s->alt[ifnum] = alt;
	return 0;
}

/* After CLEAR_FEATURE(HALT) the device expects DATA0 next: so must we. */
int
slot_reset_toggle(struct xhci_slot *s, unsigned dci)
{
	const struct usb_endpoint_descriptor *want[32] = { 0 };

	if (dci < 2 || dci >= 32 || !s->ep[dci].ring.trb)
		return 0;
	want[dci] = s->ep[dci].desc;
	return configure(s, 1u << dci, 1u << dci, want);
}

void
slot_disable(struct xhci_slot *s)
{
	for (unsigned dci = 1; dci < 32; dci++) {
		ep_flush(s, dci, -ENODEV);
		ring_free(&s->ep[dci].ring);
	}
	if (s->id) {
		cmd_run(s->x, 0, 0, TRB_TYPE(TRB_DISABLE_SLOT) | TRB_SLOT(s->id), NULL);
		s->x->dcbaa[s->id] = 0;
		s->x->slots[s->id] = NULL;
		s->id = 0;
	}
	if (s->in_ctx)
		pages_free(s->in_ctx, 1);
	if (s->out_ctx)
		pages_free(s->out_ctx, 1);
	s->in_ctx = s->out_ctx = NULL;
}
