/* The in-process host controller: software device models (struct
 * usb_model) on up to eight ports.  Control and OUT transfers complete at
 * once; an IN transfer the model NAKs (-EAGAIN) stays queued and is retried
 * on every poll until it gets data, is cancelled or times out. */
#include <core/errno.h>
#include <core/heap.h>
#include <core/string.h>
#include <core/time.h>
#include <usb/core.h>

#define VIRT_PORTS 8

struct virt {
	struct usb_hc hc;
	struct usb_model *port[VIRT_PORTS + 1];
	struct urb *naked;		/* IN URBs waiting for data */
};

static void
try_in(struct virt *v, struct urb *urb)
{
	struct usb_model *m = urb->dev->hcpriv;
	int n = m->ops->data_in(m, urb->ep & 0x7f, urb->buf, urb->len);

	if (n == -EAGAIN)
		return;
	if (n > (int)urb->len) {
		urb->actual = urb->len;
		usb_urb_complete(urb, -EOVERFLOW);
		return;
	}
	if (n >= 0)
		urb->actual = n;
	usb_urb_complete(urb, n < 0 ? n : 0);
}

static void
queue_remove(struct virt *v, struct urb *urb)
{
	for (struct urb **pp = (struct urb **)&v->naked; *pp;
	     pp = (struct urb **)&(*pp)->hcpriv) {
		if (*pp == urb) {
			*pp = urb->hcpriv;
			urb->hcpriv = NULL;
			return;
		}
	}
}

static int
virt_control(struct urb *urb)
{
	struct usb_model *m = urb->dev->hcpriv;
	struct usb_setup s = urb->setup;
	int n;

	n = m->ops->control(m, &s, urb->buf);
	if (n < 0)
		return n;
	if (s.bmRequestType & USB_ENDPOINT_IN) {
		if (n > s.wLength)
			return -EOVERFLOW;
		urb->actual = n;
	} else {
		urb->actual = s.wLength;
	}
	return 0;
}

static int
virt_submit(struct usb_hc *hc, struct urb *urb)
{
	struct virt *v = (struct virt *)hc;
	struct usb_model *m = urb->dev->hcpriv;
	int n;

	switch (urb->type) {
	case URB_CONTROL:
		usb_urb_complete(urb, virt_control(urb));
		return 0;
	case URB_INTERRUPT:
	case URB_BULK:
		if (urb->ep & USB_ENDPOINT_IN) {
			urb->hcpriv = NULL;
			try_in(v, urb);	/* at once; queued if NAKed */
			if (!urb->done) {
				urb->hcpriv = v->naked;
				v->naked = urb;
			}
			return 0;
		}
		n = m->ops->data_out(m, urb->ep, urb->buf, urb->len);
		if (n >= 0)
			urb->actual = urb->len;
		usb_urb_complete(urb, n < 0 ? n : 0);
		return 0;
	default:
		return -EINVAL;
	}
}

static void
virt_cancel(struct usb_hc *hc, struct urb *urb)
{
	queue_remove((struct virt *)hc, urb);
}

static void
virt_poll(struct usb_hc *hc, u64 max_wait_ns)
{
	struct virt *v = (struct virt *)hc;
	struct urb *list = v->naked, *next;
	bool progress = false;

	v->naked = NULL;
	for (struct urb *u = list; u; u = next) {
		next = u->hcpriv;
		u->hcpriv = NULL;
		try_in(v, u);
		if (u->done) {
			progress = true;
		} else {
			u->hcpriv = v->naked;
			v->naked = u;
		}
	}
	/* A model has no interrupt to wait for: idle a little, like a frame. */
	if (!progress && max_wait_ns)
		time_delay_ns(MIN(max_wait_ns, 100 * NSEC_PER_USEC));
}

static int
virt_port_reset(struct usb_hc *hc, struct usb_dev *d)
{
	struct usb_model *m = d->hcpriv;

	if (m->ops->reset)
		m->ops->reset(m);
	return 0;
}

static void
virt_close(struct usb_hc *hc)
{
	heap_free(hc);
}

static const struct usb_hc_ops virt_ops = {
	.kind = "virt",
	.submit = virt_submit,
	.cancel = virt_cancel,
	.poll = virt_poll,
	.port_reset = virt_port_reset,
	.close = virt_close,
};

struct usb_hc *
usb_virt_create(const char *name)
{
	struct virt *v = heap_zalloc(sizeof(*v));

	if (!v)
		return NULL;
	v->hc.ops = &virt_ops;
	v->hc.priv = v;
	snprintf(v->hc.name, sizeof(v->hc.name), "%s", name);
	usb_hc_register(&v->hc);
	return &v->hc;
}

int
usb_virt_plug(struct usb_hc *hc, struct usb_model *m)
{
	struct virt *v = (struct virt *)hc;

	if (hc->ops != &virt_ops)
		return -EINVAL;
	for (int p = 1; p <= VIRT_PORTS; p++) {
		if (v->port[p])
			continue;
		v->port[p] = m;
		if (m->ops->reset)
			m->ops->reset(m);
		if (!usb_port_connect(hc, p, m->speed, m)) {
			v->port[p] = NULL;
			return -ENOMEM;
		}
		return p;
	}
	return -EBUSY;
}

void
usb_virt_unplug(struct usb_hc *hc, int port)
{
	struct virt *v = (struct virt *)hc;

	if (hc->ops != &virt_ops || port < 1 || port > VIRT_PORTS || !v->port[port])
		return;
	usb_port_disconnect(hc, port);
	v->port[port] = NULL;
}
