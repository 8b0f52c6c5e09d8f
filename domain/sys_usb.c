/* The USB calls of the domain ABI (docs/domains.md, 32-38): a domain's own
 * libusb builds its device tree from BV_SYS_USB_LIST (bus numbers,
 * addresses, the descriptors as the VMM's core read and checked them) and
 * names a device by its serial (unique over the VMM's life, so a device
 * unplugged and another plugged in is never confused).  Claims are the
 * core's (usb/claim.c) with the domain as owner, so a ring-0 blob's handle,
 * another domain and this one exclude each other as usbfs handles do; a
 * bulk or interrupt transfer claims its endpoint's interface as usbfs does.
 * Data is copied through VMM buffers, never through the domain's pointer. */
#include <core/errno.h>
#include <core/heap.h>
#include <core/platform.h>
#include <core/sched.h>
#include <core/string.h>
#include <domain/abi.h>
#include <usb/core.h>
#include "internal.h"

static struct usb_dev *
dev_of(u64 serial)
{
	for (struct usb_dev *u = usb_dev_first(); u; u = usb_dev_next(u))
		if (u->serial == serial && usb_dev_usable(u))
			return u;
	return NULL;
}

static u16
config_len(const struct usb_dev *u, int i)
{
	return u->raw_config && u->raw_config[i] ? (u16)(u->raw_config[i][2] | u->raw_config[i][3] << 8)
						 : 0;
}

static u64
record_len(const struct usb_dev *u)
{
	u64 n = sizeof(struct bv_usb_dev);

	for (int i = 0; i < u->desc.bNumConfigurations; i++)
		n += 2 + config_len(u, i);
	return ALIGN_UP(n, 8);
}

/* The list is built in VMM memory and copied out whole, or not at all
 * when it does not fit (the domain asks again with the size returned). */
s64
sys_usb_list(struct domain *d, u64 buf, u64 len)
{
	struct bv_usb_list head = { 0 };
	u64 need = sizeof(head), off;
	u8 *out;

	if (!domain_range_ok(d, buf, len, PROT_W))
		return -EFAULT;
	usb_poll_all(0);
	for (struct usb_hc *hc = usb_hc_first(); hc && head.nbus < 16; hc = hc->next)
		head.bus[head.nbus++] = (u16)hc->busnum;
	for (struct usb_dev *u = usb_dev_first(); u; u = usb_dev_next(u))
		if (usb_dev_usable(u)) {
			need += record_len(u);
			head.ndev++;
		}
	if (need > len)
		return (s64)need;
	if (!(out = heap_zalloc(need)))
		return -ENOMEM;
	memcpy(out, &head, sizeof(head));
	off = sizeof(head);
	for (struct usb_dev *u = usb_dev_first(); u; u = usb_dev_next(u)) {
		struct bv_usb_dev *r = (struct bv_usb_dev *)(out + off);
		u8 *p = (u8 *)(r + 1);

		if (!usb_dev_usable(u))
			continue;
		r->serial = u->serial;
		r->reclen = (u32)record_len(u);
		r->busnum = (u16)u->hc->busnum;
		r->port = (u8)u->port;
		r->addr = u->addr;
		r->speed = u->speed;
		r->cur_config = u->cur_config;
		r->nconfig = u->desc.bNumConfigurations;
		memcpy(r->desc, &u->desc, sizeof(r->desc));
		for (int i = 0; i < r->nconfig; i++) {
			u16 n = config_len(u, i);

			memcpy(p, &n, 2);
			if (n)
				memcpy(p + 2, u->raw_config[i], n);
			p += 2 + n;
		}
		off += r->reclen;
	}
	off = domain_copy_out(d, buf, out, need) ? (u64)-EFAULT : need;
	heap_free(out);
	return (s64)off;
}

s64
sys_usb_claim(struct domain *d, u64 serial, u64 ifnum, bool claim)
{
	struct usb_dev *u = dev_of(serial);

	if (!u)
		return -ENODEV;
	if (ifnum >= USB_MAXINTERFACES)
		return -EINVAL;
	return claim ? usb_dev_claim(u, (int)ifnum, d) : usb_dev_release(u, (int)ifnum, d);
}

s64
sys_usb_control(struct domain *d, u64 serial, u64 creq)
{
	struct bv_usb_control c;
	struct usb_dev *u;
	u8 *bounce;
	int n;

	if (domain_copy_in(d, &c, creq, sizeof(c)))
		return -EFAULT;
	if (c.len > BV_USB_CONTROL_MAX)
		return -EINVAL;
	if (!domain_range_ok(d, c.data, c.len, (c.reqtype & 0x80) ? PROT_W : PROT_R))
		return -EFAULT;
	if (!(u = dev_of(serial)))
		return -ENODEV;
	if (!(bounce = heap_zalloc(c.len ? c.len : 1)))
		return -ENOMEM;
	if (!(c.reqtype & 0x80) && domain_copy_in(d, bounce, c.data, c.len))
		n = -EFAULT;
	else
		n = usb_dev_control(u, c.reqtype, c.req, c.value, c.index, bounce, c.len, c.timeout_ms);
	if (n > 0 && (c.reqtype & 0x80) && domain_copy_out(d, c.data, bounce, (size_t)n))
		n = -EFAULT;
	heap_free(bounce);
	return n;
}

s64
sys_usb_transfer(struct domain *d, u64 serial, u64 type_ep, u64 buf, u64 len, u64 timeout)
{
	u8 type = (u8)(type_ep >> 8), ep = (u8)type_ep;
	struct usb_dev *u;
	u8 *bounce;
	int n;

	if ((type != URB_BULK && type != URB_INTERRUPT) || type_ep >> 16 || !(ep & 0x7f))
		return -EINVAL;
	if (len > BV_USB_TRANSFER_MAX || timeout > 0xffffffffULL)
		return -EINVAL;
	if (!domain_range_ok(d, buf, len, (ep & 0x80) ? PROT_W : PROT_R))
		return -EFAULT;
	if (!(u = dev_of(serial)))
		return -ENODEV;
	if ((n = usb_dev_claim_for_ep(u, ep, d)) < 0)
		return n;
	if (!(bounce = heap_zalloc(len ? len : 1)))
		return -ENOMEM;
	if (!(ep & 0x80) && domain_copy_in(d, bounce, buf, len))
		n = -EFAULT;
	else
		n = usb_dev_transfer(u, type, ep, bounce, len, (u32)timeout);
	if (n > 0 && (ep & 0x80) && domain_copy_out(d, buf, bounce, (size_t)n))
		n = -EFAULT;
	heap_free(bounce);
	return n;
}

s64
sys_usb_set_config(struct domain *d, u64 serial, u64 value)
{
	struct usb_dev *u = dev_of(serial);

	if (!u)
		return -ENODEV;
	if (value > 255)
		return -EINVAL;
	return usb_dev_set_config(u, (u8)value);
}

s64
sys_usb_reset(struct domain *d, u64 serial)
{
	struct usb_dev *u = dev_of(serial);

	return u ? usb_dev_reset(u) : -ENODEV;
}

void domain_usb_urbs_free(struct domain *d);

/* The domain goes: its transfers and claims go with it. */
void
domain_usb_release(struct domain *d)
{
	domain_usb_urbs_free(d);
	for (struct usb_dev *u = usb_dev_first(); u; u = usb_dev_next(u))
		usb_dev_release_all(u, d);
}

/* --- asynchronous transfers (libusb-1.0) ---------------------------------- */

struct domain_urb {
	struct urb urb;			/* the core's; its buffer is bounce */
	u8 *bounce;
	u64 dbuf;			/* where IN data goes in the domain */
	bool in, used;
};

static struct domain_urb *
urb_of(struct domain *d, u64 handle)
{
	if (!handle || handle > BV_USB_URBS || !d->urbs || !d->urbs[handle - 1].used)
		return NULL;
	return &d->urbs[handle - 1];
}

s64
sys_usb_submit(struct domain *d, u64 serial, u64 req)
{
	struct bv_usb_urb r;
	struct domain_urb *x = NULL;
	struct usb_dev *u;
	u64 handle;
	int err;

	if (domain_copy_in(d, &r, req, sizeof(r)))
		return -EFAULT;
	if (r.type != URB_CONTROL && r.type != URB_BULK && r.type != URB_INTERRUPT)
		return -EINVAL;
	if (r.len > BV_USB_TRANSFER_MAX || (r.type != URB_CONTROL && !(r.ep & 0x7f)))
		return -EINVAL;
	if (r.type == URB_CONTROL && (r.ep & 0x7f))
		return -EINVAL;
	if (!(u = dev_of(serial)))
		return -ENODEV;
	if (!d->urbs && !(d->urbs = heap_zalloc(BV_USB_URBS * sizeof(*d->urbs))))
		return -ENOMEM;
	for (handle = 1; handle <= BV_USB_URBS; handle++)
		if (!d->urbs[handle - 1].used) {
			x = &d->urbs[handle - 1];
			break;
		}
	if (!x)
		return -EAGAIN;
	memset(x, 0, sizeof(*x));
	x->in = r.type == URB_CONTROL ? (r.setup[0] & 0x80) : (r.ep & 0x80);
	if (!domain_range_ok(d, r.buf, r.len, x->in ? PROT_W : PROT_R))
		return -EFAULT;
	if (r.type != URB_CONTROL && (err = usb_dev_claim_for_ep(u, r.ep, d)) < 0)
		return err;
	if (!(x->bounce = heap_zalloc(r.len ? r.len : 1)))
		return -ENOMEM;
	if (!x->in && domain_copy_in(d, x->bounce, r.buf, r.len)) {
		heap_free(x->bounce);
		return -EFAULT;
	}
	x->dbuf = r.buf;
	x->urb.dev = u;
	x->urb.type = r.type;
	x->urb.ep = r.ep;
	memcpy(&x->urb.setup, r.setup, sizeof(x->urb.setup));
	x->urb.buf = x->bounce;
	x->urb.len = r.len;
	if ((err = usb_urb_submit(&x->urb)) < 0) {
		heap_free(x->bounce);
		return err;
	}
	x->used = true;
	return (s64)handle;
}

static bool
urb_done(void *p)
{
	return ((struct urb *)p)->done;
}

static void
urb_free(struct domain_urb *x)
{
	if (x->urb.pending)
		usb_urb_cancel(&x->urb, -ECANCELED);
	heap_free(x->bounce);
	x->used = false;
}

s64
sys_usb_reap(struct domain *d, u64 handle, u64 deadline, u64 out, u64 rip)
{
	struct domain_urb *x = urb_of(d, handle);
	struct bv_usb_reaped r = { 0 };

	if (!x)
		return -EINVAL;
	if (!domain_range_ok(d, out, sizeof(r), PROT_W))
		return -EFAULT;
	if (!x->urb.done && deadline)
		sched_wait_until(deadline, urb_done, &x->urb, "usb reap", rip);
	if (!x->urb.done)
		return deadline ? -ETIMEDOUT : -EAGAIN;
	r.status = x->urb.status;
	r.actual = x->urb.actual <= x->urb.len ? x->urb.actual : x->urb.len;
	if (x->in && r.actual && domain_copy_out(d, x->dbuf, x->bounce, r.actual))
		r.status = -EFAULT;
	urb_free(x);
	return domain_copy_out(d, out, &r, sizeof(r)) ? -EFAULT : 0;
}

s64
sys_usb_cancel(struct domain *d, u64 handle, u64 status)
{
	struct domain_urb *x = urb_of(d, handle);

	if (!x)
		return -EINVAL;
	if ((s64)status >= 0 || (s64)status < -4095)
		return -EINVAL;
	if (x->urb.pending && !x->urb.done)
		usb_urb_cancel(&x->urb, (int)status);
	return 0;
}

static bool
any_done(void *p)
{
	struct domain *d = p;

	for (unsigned i = 0; d->urbs && i < BV_USB_URBS; i++)
		if (d->urbs[i].used && d->urbs[i].urb.done)
			return true;
	return false;
}

s64
sys_usb_wait(struct domain *d, u64 deadline, u64 rip)
{
	if (!deadline)
		return -EINVAL;
	return sched_wait_until(deadline, any_done, d, "usb wait", rip) ? -ETIMEDOUT : 0;
}

void
domain_usb_urbs_free(struct domain *d)
{
	for (unsigned i = 0; d->urbs && i < BV_USB_URBS; i++)
		if (d->urbs[i].used)
			urb_free(&d->urbs[i]);
	heap_free(d->urbs);
	d->urbs = NULL;
}
