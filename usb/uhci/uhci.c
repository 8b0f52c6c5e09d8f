/* UHCI host controller driver (bare metal, behind struct usb_hc_ops).
 *
 * Polled: USBINTR stays 0, because under the hypervisor the controller's
 * interrupt line may be shared with the guest's devices.  Every frame-list
 * entry points at one skeleton queue head; after it hangs one queue head
 * per endpoint in use, kept for the device's lifetime (as Linux does): a
 * transfer puts its depth-first chain of transfer descriptors on its
 * endpoint's queue head.  The queue head must not change between transfers:
 * QEMU's UHCI tracks queues by their address and, when one disappears,
 * stops the endpoint — for a usb-redir device that stops interrupt
 * receiving, and a report already on its way is dropped.  A NAKed
 * interrupt or bulk TD stays active and the controller retries it in the
 * next 1 ms frame, which is the polling an interrupt endpoint with
 * bInterval 1 asks for.  Memory is identity-mapped, so virtual addresses
 * are the physical ones UHCI wants (all below 4 GiB). */
#include <core/console.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/init.h>
#include <core/pages.h>
#include <core/string.h>
#include <core/time.h>
#include <usb/core.h>
#include <pc/io.h>
#include <pc/pci.h>
#include "uhci_hw.h"

#define SCAN_INTERVAL_NS	(100 * NSEC_PER_MSEC)

struct uhci_epq;

struct uhci_xfer {
	struct uhci_epq *q;	/* its endpoint's queue */
	struct urb *urb;
	struct uhci_td *tds;	/* n of them, in order */
	struct uhci_td *status_td;	/* control transfers */
	int ntds;
	u8 toggle0;		/* bulk/interrupt: the toggle of the first TD */
	u16 retired_frame;
	struct uhci_xfer *next;	/* waiting on its queue, or retired */
};

/* One endpoint's queue head, linked after the skeleton while the device is
 * there; one transfer at a time on it, others wait in order. */
struct uhci_epq {
	struct uhci_qh qh;	/* first: 16-byte aligned */
	struct uhci_xfer *busy, *waiting;
	struct uhci_epq *next;	/* schedule order */
	u16 retired_frame;
};

struct uhci_port {
	struct usb_dev *dev;
	u8 toggle[2][16];	/* [in][endpoint] */
	struct uhci_epq *q[2][16];
};

struct uhci {
	struct usb_hc hc;
	struct pc_pci_fn pci;
	u16 io;
	u32 *frames;
	struct uhci_qh *skel;
	struct uhci_epq *queues;	/* as linked after skel */
	struct uhci_xfer *retired;	/* off the schedule; freed once a frame has passed */
	struct uhci_epq *retired_q;
	struct uhci_port port[UHCI_NPORTS + 1];
	u64 next_scan_ns;
	bool scanning;
};

static u16 rd(struct uhci *u, u16 reg) { return inw(u->io + reg); }
static void wr(struct uhci *u, u16 reg, u16 v) { outw(u->io + reg, v); }
static u32 phys(const volatile void *p) { return (u32)(uintptr_t)p; }

/* --- transfers ------------------------------------------------------------ */

static u16
ep_maxpacket(const struct usb_dev *d, u8 ep)
{
	const struct usb_config_descriptor *c = d->config;

	if ((ep & 0x0f) == 0)
		return d->desc.bMaxPacketSize0 ? d->desc.bMaxPacketSize0 : 8;
	for (int i = 0; c && i < c->bNumInterfaces; i++)
		for (int a = 0; a < c->interface[i].num_altsetting; a++) {
			const struct usb_interface_descriptor *id = &c->interface[i].altsetting[a];

			for (int e = 0; e < id->bNumEndpoints; e++)
				if (id->endpoint[e].bEndpointAddress == ep)
					return id->endpoint[e].wMaxPacketSize & 0x7ff;
		}
	return 64;
}

static struct uhci_td *
td_fill(struct uhci_td *td, u8 pid, const struct usb_dev *d, u8 ep, u8 toggle,
	void *buf, u32 len, bool data)
{
	td->status = TD_ACTIVE | TD_CERR3 | (d->speed == USB_MODEL_SPEED_LOW ? TD_LS : 0) |
		     (pid == PID_IN && data ? TD_SPD : 0);
	td->token = TOKEN(pid, d->addr, ep & 0x0f, toggle, len);
	td->buffer = len ? phys(buf) : 0;
	td->len = len;
	td->data = data;
	td->next = NULL;
	return td;
}

/* Standard requests after which the device's data toggles restart at 0. */
static void
note_toggle_resets(struct uhci_port *p, const struct usb_setup *s)
{
	if ((s->bmRequestType & 0x60) != 0)
		return;
	if (s->bRequest == 9 || s->bRequest == 11)	/* SET_CONFIGURATION, SET_INTERFACE */
		memset(p->toggle, 0, sizeof(p->toggle));
	else if (s->bRequest == 1 && (s->bmRequestType & 0x1f) == 2 && s->wValue == 0)
		p->toggle[(s->wIndex & 0x80) != 0][s->wIndex & 0x0f] = 0;	/* CLEAR_FEATURE(HALT) */
}

static int
build_tds(struct uhci_xfer *x, struct urb *urb)
{
	struct usb_dev *d = urb->dev;
	struct uhci_port *p = d->hcpriv;
	bool in = urb->ep & 0x80;
	u16 mps = ep_maxpacket(d, urb->ep);
	size_t len = urb->type == URB_CONTROL ? urb->setup.wLength : urb->len;
	size_t ndata = len ? (len + mps - 1) / mps : (urb->type == URB_CONTROL ? 0 : 1);
	int n = (int)ndata + (urb->type == URB_CONTROL ? 2 : 0), i = 0;
	u8 toggle;

	x->tds = heap_alloc_aligned(sizeof(struct uhci_td) * n, 16);
	if (!x->tds)
		return -ENOMEM;
	x->ntds = n;
	if (urb->type == URB_CONTROL) {
		in = urb->setup.bmRequestType & 0x80;
		td_fill(&x->tds[i++], PID_SETUP, d, 0, 0, &urb->setup, 8, false);
		toggle = 1;
	} else {
		toggle = x->toggle0 = p->toggle[in][urb->ep & 0x0f];
	}
	for (size_t k = 0; k < ndata; k++, toggle ^= 1) {
		size_t chunk = MIN(len - k * mps, (size_t)mps);

		td_fill(&x->tds[i++], in ? PID_IN : PID_OUT, d, urb->ep, toggle,
			urb->buf + k * mps, (u32)chunk, true);
	}
	if (urb->type == URB_CONTROL)	/* status stage: the other direction, DATA1 */
		x->status_td = td_fill(&x->tds[i++], in && len ? PID_OUT : PID_IN, d, 0, 1,
				       NULL, 0, false);
	for (int k = 0; k < n; k++) {
		x->tds[k].next = k + 1 < n ? &x->tds[k + 1] : NULL;
		x->tds[k].link = k + 1 < n ? phys(&x->tds[k + 1]) | LP_DEPTH : LP_TERMINATE;
	}
	x->tds[n - 1].status |= TD_IOC;
	return 0;
}

static struct uhci_epq *
epq_get(struct uhci *u, struct uhci_port *p, bool in, u8 ep)
{
	struct uhci_epq **slot = &p->q[in][ep & 0x0f], *q = *slot;

	if (q)
		return q;
	q = heap_alloc_aligned(sizeof(*q), 16);
	if (!q)
		return NULL;
	memset(q, 0, sizeof(*q));
	q->qh.element = LP_TERMINATE;
	q->qh.head = u->skel->head;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	u->skel->head = phys(&q->qh) | LP_QH;
	q->next = u->queues;
	u->queues = q;
	*slot = q;
	return q;
}

static void
epq_start(struct uhci_epq *q, struct uhci_xfer *x)
{
	q->busy = x;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	q->qh.element = phys(x->tds);
}

static int
uhci_submit(struct usb_hc *hc, struct urb *urb)
{
	struct uhci *u = hc->priv;
	struct uhci_port *p = urb->dev->hcpriv;
	bool in = urb->type == URB_CONTROL ? false : urb->ep & 0x80;
	struct uhci_xfer *x, **tail;
	struct uhci_epq *q;

	if (urb->type != URB_CONTROL && urb->type != URB_BULK && urb->type != URB_INTERRUPT)
		return -EINVAL;
	q = epq_get(u, p, in, urb->type == URB_CONTROL ? 0 : urb->ep);
	x = heap_alloc(sizeof(*x));
	if (!q || !x) {
		heap_free(x);
		return -ENOMEM;
	}
	memset(x, 0, sizeof(*x));
	x->urb = urb;
	x->q = q;
	if (build_tds(x, urb)) {
		heap_free(x);
		return -ENOMEM;
	}
	if (urb->type == URB_CONTROL)
		note_toggle_resets(p, &urb->setup);
	urb->hcpriv = x;
	if (!q->busy) {
		epq_start(q, x);
		return 0;
	}
	for (tail = &q->waiting; *tail; tail = &(*tail)->next)
		;
	*tail = x;
	return 0;
}

/* The transfer leaves its queue (done or cancelled); the controller may
 * still be looking at its TDs in this frame, so they are freed only after
 * the frame number moves on.  The next waiting transfer starts. */
static void
xfer_retire(struct uhci *u, struct uhci_xfer *x)
{
	struct uhci_epq *q = x->q;

	x->urb->hcpriv = NULL;
	if (q->busy == x) {
		q->qh.element = LP_TERMINATE;
		q->busy = NULL;
		x->retired_frame = rd(u, UHCI_FRNUM) & 0x3ff;
		x->next = u->retired;
		u->retired = x;
		if (q->waiting) {
			struct uhci_xfer *next = q->waiting;

			q->waiting = next->next;
			next->next = NULL;
			epq_start(q, next);
		}
	} else {	/* never reached the controller */
		for (struct uhci_xfer **pp = &q->waiting; *pp; pp = &(*pp)->next)
			if (*pp == x) {
				*pp = x->next;
				break;
			}
		heap_free(x->tds);
		heap_free(x);
	}
}

/* The device is gone: take its queues off the schedule. */
static void
port_release_queues(struct uhci *u, struct uhci_port *p)
{
	for (int in = 0; in < 2; in++)
		for (int ep = 0; ep < 16; ep++) {
			struct uhci_epq *q = p->q[in][ep], **pp, *prev = NULL;

			if (!q)
				continue;
			while (q->busy)
				xfer_retire(u, q->busy);
			for (pp = &u->queues; *pp != q; pp = &(*pp)->next)
				prev = *pp;
			*pp = q->next;
			if (prev)
				prev->qh.head = q->qh.head;
			else
				u->skel->head = q->qh.head;
			q->retired_frame = rd(u, UHCI_FRNUM) & 0x3ff;
			q->next = u->retired_q;
			u->retired_q = q;
			p->q[in][ep] = NULL;
		}
}

/* Whether the controller has moved at least two frames past stamp (or
 * stopped), so it no longer looks at what was unlinked then. */
static bool
frame_passed(u16 now, bool halted, u16 stamp)
{
	return halted || ((now - stamp) & 0x3ff) >= 2;
}

static void
free_retired(struct uhci *u, bool all)
{
	u16 now = rd(u, UHCI_FRNUM) & 0x3ff;
	bool halted = all || (rd(u, UHCI_STS) & STS_HALTED);

	for (struct uhci_xfer **pp = &u->retired; *pp;) {
		struct uhci_xfer *x = *pp;

		if (frame_passed(now, halted, x->retired_frame)) {
			*pp = x->next;
			heap_free(x->tds);
			heap_free(x);
		} else {
			pp = &x->next;
		}
	}
	for (struct uhci_epq **pp = &u->retired_q; *pp;) {
		struct uhci_epq *q = *pp;

		if (frame_passed(now, halted, q->retired_frame)) {
			*pp = q->next;
			heap_free(q);
		} else {
			pp = &q->next;
		}
	}
}

/* After a bulk/interrupt transfer ends, the endpoint's next toggle follows
 * the TDs that the device acknowledged. */
static void
save_toggle(struct uhci_xfer *x)
{
	struct urb *urb = x->urb;
	struct uhci_port *p = urb->dev->hcpriv;
	int acked = 0;

	if (urb->type == URB_CONTROL)
		return;
	for (int i = 0; i < x->ntds; i++) {
		u32 s = x->tds[i].status;

		if ((s & TD_ACTIVE) || (s & TD_ERRORS))
			break;
		acked++;
	}
	p->toggle[(urb->ep & 0x80) != 0][urb->ep & 0x0f] = x->toggle0 ^ (acked & 1);
}

static bool
port_connected(struct uhci *u, int port)
{
	u16 sc = rd(u, UHCI_PORTSC(port));

	return (sc & PORT_CCS) && !(sc & PORT_CSC);
}

static int
td_error(u32 s)
{
	if (s & TD_STALLED)
		return s & TD_BABBLE ? -EOVERFLOW : -EPIPE;
	if (s & TD_CRCTIMEOUT)
		return -EPROTO;	/* no handshake: CRC error or timeout, three times */
	return -EPROTO;		/* data buffer error, bit stuffing */
}

/* Returns true when the transfer is over (urb status and actual set). */
static bool
xfer_check(struct uhci_xfer *x, int *status)
{
	struct urb *urb = x->urb;
	bool in = urb->type == URB_CONTROL ? urb->setup.bmRequestType & 0x80 : urb->ep & 0x80;
	size_t actual = 0;

	for (struct uhci_td *td = x->tds; td; td = td->next) {
		u32 s = td->status;

		if (s & TD_ACTIVE)
			return false;
		if (s & TD_ERRORS) {
			*status = td_error(s);
			urb->actual = actual;
			return true;
		}
		if (!td->data)
			continue;
		actual += TD_ACTLEN(s);
		if (in && TD_ACTLEN(s) < td->len) {	/* short packet: the data ends here */
			urb->actual = actual;
			if (urb->type != URB_CONTROL) {
				*status = 0;
				return true;
			}
			/* The queue stopped at the short TD: go on with the status stage. */
			if (x->status_td->status & TD_ACTIVE) {
				x->q->qh.element = phys(x->status_td);
				return false;
			}
			*status = x->status_td->status & TD_ERRORS ? td_error(x->status_td->status) : 0;
			return true;
		}
	}
	urb->actual = actual;
	*status = 0;
	return true;
}

static void
uhci_cancel(struct usb_hc *hc, struct urb *urb)
{
	struct uhci *u = hc->priv;
	struct uhci_xfer *x = urb->hcpriv;

	if (!x)
		return;
	if (x->q->busy == x)
		save_toggle(x);
	xfer_retire(u, x);
}

/* --- ports ---------------------------------------------------------------- */

static void
port_write(struct uhci *u, int port, u16 set, u16 clear)
{
	u16 v = rd(u, UHCI_PORTSC(port)) & ~PORT_WC;	/* don't clear change bits by accident */

	wr(u, UHCI_PORTSC(port), (v | set) & ~clear);
}

static int
port_reset(struct uhci *u, int port)
{
	port_write(u, port, PORT_PR, 0);
	time_delay_ns(50 * NSEC_PER_MSEC);	/* USB 2.0 7.1.7.5: root port reset 50 ms */
	port_write(u, port, 0, PORT_PR);
	time_delay_ns(100 * NSEC_PER_USEC);
	for (int i = 0; i < 10; i++) {
		port_write(u, port, PORT_PE | PORT_WC, 0);	/* enable, clear changes */
		if (rd(u, UHCI_PORTSC(port)) & PORT_PE) {
			time_delay_ns(10 * NSEC_PER_MSEC);	/* reset recovery */
			return 0;
		}
		time_delay_ns(NSEC_PER_MSEC);
	}
	return -EIO;
}

static int
uhci_port_reset(struct usb_hc *hc, struct usb_dev *d)
{
	struct uhci *u = hc->priv;
	struct uhci_port *p = d->hcpriv;

	memset(p->toggle, 0, sizeof(p->toggle));
	return port_reset(u, d->port);
}

static void
scan_ports(struct uhci *u)
{
	if (u->scanning)
		return;		/* enumeration polls us from inside the scan */
	u->scanning = true;
	for (int port = 1; port <= UHCI_NPORTS; port++) {
		u16 sc = rd(u, UHCI_PORTSC(port));
		struct uhci_port *p = &u->port[port];

		if (sc == 0xffff)
			break;	/* no such port */
		if (p->dev && (!(sc & PORT_CCS) || (sc & PORT_CSC))) {
			usb_port_disconnect(&u->hc, port);
			port_release_queues(u, p);
			p->dev = NULL;
		}
		if (sc & PORT_CSC)
			port_write(u, port, PORT_CSC, 0);
		if (!p->dev && (sc & PORT_CCS)) {
			memset(p->toggle, 0, sizeof(p->toggle));
			if (port_reset(u, port)) {
				kprintf("usb %d-%d: port reset failed\n", u->hc.busnum, port);
				continue;
			}
			p->dev = usb_port_connect(&u->hc, port,
						  rd(u, UHCI_PORTSC(port)) & PORT_LSDA ?
						  USB_MODEL_SPEED_LOW : USB_MODEL_SPEED_FULL, p);
		}
	}
	u->scanning = false;
	u->next_scan_ns = time_now_ns() + SCAN_INTERVAL_NS;
}

static void
uhci_poll(struct usb_hc *hc, u64 max_wait_ns)
{
	struct uhci *u = hc->priv;
	struct uhci_xfer *x;
	u16 sts = rd(u, UHCI_STS);

	if (sts & (STS_HSE | STS_HCPE)) {
		kprintf("usb %d: UHCI %s; controller halted\n", hc->busnum,
			sts & STS_HSE ? "host system error" : "schedule process error");
		wr(u, UHCI_STS, sts);
	} else if (sts & (STS_INT | STS_ERRINT)) {
		wr(u, UHCI_STS, sts & (STS_INT | STS_ERRINT));
	}
	for (struct uhci_epq *q = u->queues; q; q = q->next) {
		int status;

		x = q->busy;
		if (x && xfer_check(x, &status)) {
			struct urb *urb = x->urb;

			/* No handshake because the device is gone: say so, and
			 * let the port scan below take it off the bus. */
			if (status == -EPROTO && !port_connected(u, urb->dev->port)) {
				status = -ENODEV;
				u->next_scan_ns = 0;
			}
			save_toggle(x);
			xfer_retire(u, x);
			usb_urb_complete(urb, status);
		}
	}
	free_retired(u, false);
	if (time_now_ns() >= u->next_scan_ns)
		scan_ports(u);
	else if (max_wait_ns)
		time_delay_ns(MIN(max_wait_ns, 50 * NSEC_PER_USEC));
}

/* Stop the controller, wait until it no longer reads the schedule, then
 * free everything it could reach, and the controller itself. */
static void
uhci_release(struct uhci *u)
{
	wr(u, UHCI_CMD, 0);
	for (int i = 0; i < 100 && !(rd(u, UHCI_STS) & STS_HALTED); i++)
		time_delay_ns(100 * NSEC_PER_USEC);	/* halts at the end of this frame */
	free_retired(u, true);
	if (u->frames)
		pages_free(u->frames, 1);
	heap_free(u->skel);
	heap_free(u);
}

/* The controller goes away (`usb detach'): its devices are already
 * disconnected, so their queues are on the retired list. */
static void
uhci_close(struct usb_hc *hc)
{
	uhci_release(hc->priv);
}

static const struct usb_hc_ops uhci_ops = {
	.kind = "uhci",
	.submit = uhci_submit,
	.cancel = uhci_cancel,
	.poll = uhci_poll,
	.port_reset = uhci_port_reset,
	.close = uhci_close,
};

/* --- bring-up ------------------------------------------------------------- */

static int
uhci_start(struct uhci *u)
{
	u32 cmd = pc_pci_read32(&u->pci, 0x04);
	u32 legsup = pc_pci_read32(&u->pci, UHCI_PCI_LEGSUP);

	pc_pci_write32(&u->pci, 0x04, cmd | 0x5);	/* I/O space, bus master */
	pc_pci_write32(&u->pci, UHCI_PCI_LEGSUP, (legsup & 0xffff0000) | LEGSUP_OFF);
	wr(u, UHCI_CMD, CMD_HCRESET);
	for (int i = 0; rd(u, UHCI_CMD) & CMD_HCRESET; i++) {
		if (i == 100) {
			kprintf("uhci %02x:%02x.%x: reset did not finish\n",
				u->pci.bus, u->pci.dev, u->pci.fn);
			return -EIO;
		}
		time_delay_ns(100 * NSEC_PER_USEC);
	}
	u->frames = pages_alloc(1);
	u->skel = heap_alloc_aligned(sizeof(*u->skel), 16);
	if (!u->frames || !u->skel)
		return -ENOMEM;
	u->skel->head = LP_TERMINATE;
	u->skel->element = LP_TERMINATE;
	for (int i = 0; i < 1024; i++)
		u->frames[i] = phys(u->skel) | LP_QH;
	wr(u, UHCI_INTR, 0);	/* polled: the interrupt line may be the guest's */
	outl(u->io + UHCI_FLBASE, phys(u->frames));
	wr(u, UHCI_FRNUM, 0);
	outb(u->io + UHCI_SOF, 64);
	wr(u, UHCI_STS, 0x3f);
	wr(u, UHCI_CMD, CMD_RS | CMD_CF | CMD_MAXP);
	return 0;
}

static bool
probe_one(const struct pc_pci_fn *f, void *arg)
{
	struct uhci *u;
	u32 bar;

	if (f->class_rev >> 8 != UHCI_PCI_CLASS)
		return false;
	bar = pc_pci_read32(f, UHCI_PCI_BAR4);
	if (!(bar & 1)) {
		kprintf("uhci %02x:%02x.%x: BAR4 is not an I/O range\n", f->bus, f->dev, f->fn);
		return false;
	}
	u = heap_zalloc(sizeof(*u));
	if (!u)
		return true;
	u->pci = *f;
	u->io = bar & 0xffe0;
	u->hc.ops = &uhci_ops;
	u->hc.priv = u;
	snprintf(u->hc.name, sizeof(u->hc.name), "UHCI %02x:%02x.%x io %#x",
		 f->bus, f->dev, f->fn, u->io);
	if (uhci_start(u) || usb_hc_register(&u->hc) < 0) {
		uhci_release(u);
		return false;
	}
	pc_pci_claim(f, u->io, 0x20, "uhci");
	scan_ports(u);
	++*(int *)arg;
	return false;
}

static void
uhci_probe_all(void)
{
	int n = 0;

	pc_pci_each(probe_one, &n);
}
INITFUNC("40uhci", uhci_probe_all);
