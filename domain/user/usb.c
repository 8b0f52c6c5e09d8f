/* The USB core as the domain's libusb sees it (include/usb/core.h), on the
 * USB calls (docs/domains.md, 32-38).  usb/libusb.c, usb/desc.c,
 * usb/errtext.c and usb/claim.c are compiled unchanged for the domain;
 * this file answers the rest: the controllers and devices are the
 * domain's own copies, rebuilt from BV_SYS_USB_LIST whenever the layer
 * polls (usb_find_busses/usb_find_devices), with the configuration
 * descriptors parsed again here by desc.c from the bytes the VMM read.  A
 * device is named to the VMM by its serial.  Claims are kept twice: here
 * per handle (claim.c, renamed *_local by the build), and in the VMM with
 * the domain as owner, so other domains and ring-0 blobs are excluded. */
#include <core/types.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/string.h>
#include <domain/abi.h>
#include <core/sched.h>
#include <usb/core.h>

long bv_syscall(long nr, long a1, long a2, long a3, long a4, long a5);

int usb_dev_claim_local(struct usb_dev *d, int ifnum, const void *owner);
int usb_dev_claim_for_ep_local(struct usb_dev *d, unsigned int ep, const void *owner);
int usb_dev_release_local(struct usb_dev *d, int ifnum, const void *owner);
void usb_dev_release_all_local(struct usb_dev *d, const void *owner);

static struct usb_hc hcs[16];
static struct usb_hc *hc_list;
static struct usb_dev *devs;		/* the domain's copies, bus then port order */

struct usb_hc *usb_hc_first(void) { return hc_list; }

struct usb_hc *
usb_hc_by_bus(int busnum)
{
	for (struct usb_hc *h = hc_list; h; h = h->next)
		if (h->busnum == busnum)
			return h;
	return NULL;
}

struct usb_dev *
usb_dev_first(void)
{
	struct usb_dev *d = devs;

	while (d && d->state == USB_DEV_GONE)
		d = d->next;
	return d;
}

struct usb_dev *
usb_dev_next(struct usb_dev *d)
{
	for (d = d->next; d && d->state == USB_DEV_GONE; d = d->next)
		;
	return d;
}

static void
dev_free(struct usb_dev *d)
{
	for (int i = 0; d->config && i < d->desc.bNumConfigurations; i++)
		usb_desc_free_config(&d->config[i]);
	for (int i = 0; d->raw_config && i < d->desc.bNumConfigurations; i++)
		heap_free(d->raw_config[i]);
	heap_free(d->raw_config);
	heap_free(d->config);
	heap_free(d);
}

void usb_dev_get(struct usb_dev *d) { d->refs++; }

void
usb_dev_put(struct usb_dev *d)
{
	if (--d->refs > 0 || d->state != USB_DEV_GONE)
		return;
	for (struct usb_dev **p = &devs; *p; p = &(*p)->next)
		if (*p == d) {
			*p = d->next;
			break;
		}
	dev_free(d);
}

static struct usb_dev *
dev_make(const struct bv_usb_dev *r, const u8 *end)
{
	struct usb_dev *d = heap_zalloc(sizeof(*d));
	const u8 *p = (const u8 *)(r + 1);
	char why[96];

	if (!d)
		return NULL;
	d->serial = r->serial;
	d->port = r->port;
	d->addr = r->addr;
	d->speed = r->speed;
	d->cur_config = r->cur_config;
	d->state = USB_DEV_CONFIGURED;
	d->hc = usb_hc_by_bus(r->busnum);
	snprintf(d->id, sizeof(d->id), "%u-%u", r->busnum, r->port);
	memcpy(&d->desc, r->desc, sizeof(d->desc));
	d->desc.bNumConfigurations = r->nconfig;
	d->config = heap_zalloc((r->nconfig ? r->nconfig : 1) * sizeof(*d->config));
	d->raw_config = heap_zalloc((r->nconfig ? r->nconfig : 1) * sizeof(*d->raw_config));
	if (!d->config || !d->raw_config || !d->hc) {
		dev_free(d);
		return NULL;
	}
	for (int i = 0; i < r->nconfig; i++) {
		u16 n;

		if (p + 2 > end)
			break;
		memcpy(&n, p, 2);
		if (p + 2 + n > end || !(d->raw_config[i] = heap_alloc(n ? n : 1)) ||
		    usb_desc_parse_config(p + 2, n, &d->config[i], why, sizeof(why))) {
			heap_free(d->raw_config[i]);
			d->raw_config[i] = NULL;
			d->desc.bNumConfigurations = (u8)i;	/* what parsed */
			break;
		}
		memcpy(d->raw_config[i], p + 2, n);	/* libusb-1.0 copies configs from it */
		p += 2 + n;
	}
	d->refs = 1;		/* the list's */
	return d;
}

/* --- asynchronous transfers (libusb-1.0): the VMM holds the URB and its
 * buffer; the domain's struct urb records the handle (hcpriv) until a reap
 * brings the status, the length and the IN data back. */

static struct urb *pending;		/* submitted, not yet reaped */

int
usb_urb_submit(struct urb *urb)
{
	struct bv_usb_urb r = { .type = urb->type, .ep = urb->ep, .buf = (unsigned long)urb->buf,
				.len = urb->len };
	long h;

	if (!urb->dev || !usb_dev_usable(urb->dev))
		return -ENODEV;
	if (urb->pending)
		return -EBUSY;
	memcpy(r.setup, &urb->setup, sizeof(r.setup));
	urb->submit_ns = (u64)bv_syscall(BV_SYS_CLOCK, BV_CLOCK_MONOTONIC, 0, 0, 0, 0);
	h = bv_syscall(BV_SYS_USB_SUBMIT, (long)urb->dev->serial, (long)&r, 0, 0, 0);
	if (h < 0)
		return (int)h;
	urb->hcpriv = (void *)h;
	urb->done = false;
	urb->pending = true;
	urb->status = 0;
	urb->actual = 0;
	urb->next = pending;
	pending = urb;
	return 0;
}

/* Collect what the VMM finished; with a deadline, wait for this one. */
static bool
reap(struct urb *urb, u64 deadline)
{
	struct bv_usb_reaped r;

	if (bv_syscall(BV_SYS_USB_REAP, (long)urb->hcpriv, (long)deadline, (long)&r, 0, 0))
		return false;
	for (struct urb **p = &pending; *p; p = &(*p)->next)
		if (*p == urb) {
			*p = urb->next;
			break;
		}
	urb->next = NULL;
	urb->status = r.status;
	urb->actual = r.actual;
	urb->pending = false;
	urb->done = true;
	return true;
}

static void
reap_all(void)
{
	struct urb *u, *next;

	for (u = pending; u; u = next) {
		next = u->next;
		reap(u, 0);
	}
}

void
usb_urb_cancel(struct urb *urb, int status)
{
	if (!urb->pending)
		return;
	bv_syscall(BV_SYS_USB_CANCEL, (long)urb->hcpriv, status, 0, 0, 0);
	reap(urb, 0);
}

/* The core's wait for an outside event: here the events are the domain's
 * URBs finishing (BV_SYS_USB_WAIT) and devices coming and going (seen by
 * the next poll); a slice of at most 10 ms keeps the latter noticed. */
int
sched_wait_until(u64 deadline, bool (*pred)(void *), void *arg, const char *what, u64 caller)
{
	for (;;) {
		u64 now, until;

		reap_all();
		if (pred(arg))
			return 0;
		now = (u64)bv_syscall(BV_SYS_CLOCK, BV_CLOCK_MONOTONIC, 0, 0, 0, 0);
		if (deadline && now >= deadline)
			return ETIMEDOUT;
		until = now + 10 * 1000 * 1000;
		if (deadline && deadline < until)
			until = deadline;
		if (pending)
			bv_syscall(BV_SYS_USB_WAIT, (long)until, 0, 0, 0, 0);
		else
			bv_syscall(BV_SYS_SLEEP, (long)(until - now), 0, 0, 0, 0);
	}
}

/* Re-read the VMM's view: new devices are added in its order, devices no
 * longer there are GONE (kept while a handle references them). */
void
usb_poll_all(u64 max_wait_ns)
{
	long need = bv_syscall(BV_SYS_USB_LIST, 0, 0, 0, 0, 0), got;
	struct bv_usb_list *head;
	struct usb_dev **tail, *d, *next;
	u8 *buf, *p, *end;

	reap_all();
	if (need < (long)sizeof(*head) || !(buf = heap_alloc((size_t)need)))
		return;
	got = bv_syscall(BV_SYS_USB_LIST, (long)buf, need, 0, 0, 0);
	if (got != need) {
		heap_free(buf);
		return;
	}
	head = (struct bv_usb_list *)buf;
	hc_list = NULL;
	for (unsigned i = head->nbus < 16 ? head->nbus : 16; i-- > 0;) {
		hcs[i].busnum = head->bus[i];
		hcs[i].next = hc_list;
		hc_list = &hcs[i];
	}
	for (d = devs; d; d = d->next)
		d->hcpriv = NULL;	/* not seen in this list (hcpriv is the controller's; no controller here) */
	end = buf + got;
	p = buf + sizeof(*head);
	tail = &devs;
	for (unsigned i = 0; i < head->ndev && p + sizeof(struct bv_usb_dev) <= end; i++) {
		struct bv_usb_dev *r = (struct bv_usb_dev *)p;

		if (r->reclen < sizeof(*r) || r->reclen > (unsigned long)(end - p))
			break;
		for (d = devs; d && d->serial != r->serial; d = d->next)
			;
		if (d) {
			d->cur_config = r->cur_config;
			d->hcpriv = d;
		} else if ((d = dev_make(r, p + r->reclen))) {
			while (*tail)
				tail = &(*tail)->next;
			*tail = d;
			d->hcpriv = d;
		}
		p += r->reclen;
	}
	for (d = devs; d; d = next) {
		next = d->next;
		if (!d->hcpriv && d->state != USB_DEV_GONE) {
			d->state = USB_DEV_GONE;
			d->hc = NULL;
			usb_dev_put(d);		/* the list's reference */
		}
	}
	heap_free(buf);
}

int
usb_dev_control(struct usb_dev *d, u8 reqtype, u8 req, u16 value, u16 index, void *data,
		u16 len, u32 timeout_ms)
{
	struct bv_usb_control c = { reqtype, req, value, index, len, timeout_ms, (unsigned long)data };

	if (!usb_dev_usable(d))
		return -ENODEV;
	return (int)bv_syscall(BV_SYS_USB_CONTROL, (long)d->serial, (long)&c, 0, 0, 0);
}

int
usb_dev_transfer(struct usb_dev *d, u8 type, u8 ep, void *data, size_t len, u32 timeout_ms)
{
	if (!usb_dev_usable(d))
		return -ENODEV;
	return (int)bv_syscall(BV_SYS_USB_TRANSFER, (long)d->serial, (long)(type << 8 | ep),
			       (long)data, (long)len, (long)timeout_ms);
}

int
usb_dev_set_config(struct usb_dev *d, u8 value)
{
	long r;

	if (!usb_dev_usable(d))
		return -ENODEV;
	r = bv_syscall(BV_SYS_USB_SET_CONFIG, (long)d->serial, value, 0, 0, 0);
	if (!r)
		d->cur_config = value;
	return (int)r;
}

int
usb_dev_reset(struct usb_dev *d)
{
	if (!usb_dev_usable(d))
		return -ENODEV;
	return (int)bv_syscall(BV_SYS_USB_RESET, (long)d->serial, 0, 0, 0, 0);
}

int
usb_dev_claim(struct usb_dev *d, int ifnum, const void *owner)
{
	const void *had = usb_dev_claimer(d, ifnum);
	int r = usb_dev_claim_local(d, ifnum, owner);
	long v;

	if (r || had)
		return r;
	v = bv_syscall(BV_SYS_USB_CLAIM, (long)d->serial, ifnum, 0, 0, 0);
	if (v < 0)
		usb_dev_release_local(d, ifnum, owner);
	return (int)v;
}

/* A transfer: the VMM claims the endpoint's interface itself. */
int
usb_dev_claim_for_ep(struct usb_dev *d, unsigned int ep, const void *owner)
{
	return usb_dev_claim_for_ep_local(d, ep, owner);
}

int
usb_dev_release(struct usb_dev *d, int ifnum, const void *owner)
{
	int r = usb_dev_release_local(d, ifnum, owner);

	if (!r)
		bv_syscall(BV_SYS_USB_RELEASE, (long)d->serial, ifnum, 0, 0, 0);
	return r;
}

void
usb_dev_release_all(struct usb_dev *d, const void *owner)
{
	for (int i = 0; i < USB_MAXINTERFACES; i++)
		if (usb_dev_claimer(d, i) == owner)
			usb_dev_release(d, i, owner);
}
