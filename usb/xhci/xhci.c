/* xHCI host controller driver (bare metal, behind struct usb_hc_ops, like
 * usb/uhci).  Polled: MSI/MSI-X stay off, USBCMD.INTE and IMAN.IE are 0
 * and INTx is disabled, because under the hypervisor the line and the
 * vectors may belong to the guest.  This file finds the controller (PCI
 * class 0c0330, BAR0 memory, 32- or 64-bit), takes it from the BIOS, halts
 * and resets it, sets up the device context base array, scratchpad
 * buffers, the command ring and the event ring, and watches the root
 * ports; rings are in ring.c, slots in slot.c, transfers in xfer.c. */
#include <core/console.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/init.h>
#include <core/pages.h>
#include <core/string.h>
#include <core/time.h>
#include "xhci.h"

#define SCAN_INTERVAL_NS	(100 * NSEC_PER_MSEC)
#define PCI_COMMAND		0x04
#define PCI_BAR0		0x10
#define PCI_CMD_MEM		(1u << 1)
#define PCI_CMD_MASTER		(1u << 2)
#define PCI_CMD_INTX_OFF	(1u << 10)

#define LOG(x, fmt, ...) kprintf("xhci %02x:%02x.%x: " fmt "\n", (x)->pci.bus, (x)->pci.dev, \
				 (x)->pci.fn, ##__VA_ARGS__)

/* Wait until (reg & mask) == want, up to ms milliseconds. */
static bool
wait_reg(volatile u8 *base, u32 off, u32 mask, u32 want, unsigned ms)
{
	u64 deadline = time_now_ns() + ms * NSEC_PER_MSEC;

	while ((rd32(base, off) & mask) != want) {
		if (time_now_ns() >= deadline)
			return false;
		time_delay_ns(50 * NSEC_PER_USEC);
	}
	return true;
}

/* --- ports ---------------------------------------------------------------- */

static u8
core_speed(u8 xhci_speed)
{
	switch (xhci_speed) {
	case SPEED_LOW:
		return USB_MODEL_SPEED_LOW;
	case SPEED_FULL:
		return USB_MODEL_SPEED_FULL;
	case SPEED_HIGH:
		return USB_MODEL_SPEED_HIGH;
	default:
		return USB_MODEL_SPEED_SUPER;
	}
}

static void
port_write(struct xhci *x, int port, u32 set)
{
	u32 sc = rd32(x->op, OP_PORTSC(port));

	wr32(x->op, OP_PORTSC(port), (sc & PORT_KEEP) | set);
}

/* USB2 ports are enabled by a reset; USB3 ports enable themselves after
 * link training, and a warm reset is only for one that did not. */
static int
port_reset(struct xhci *x, int port)
{
	u32 sc = rd32(x->op, OP_PORTSC(port));
	bool usb3 = x->port_major[port] == 3;

	if (usb3 && (sc & PORT_PED))
		return 0;
	port_write(x, port, usb3 ? PORT_WPR : PORT_PR);
	if (!wait_reg(x->op, OP_PORTSC(port), PORT_PRC, PORT_PRC, 500))
		return -ETIMEDOUT;
	port_write(x, port, PORT_PRC | PORT_WRC);
	time_delay_ns(10 * NSEC_PER_MSEC);	/* reset recovery (USB 2.0 7.1.7.5) */
	sc = rd32(x->op, OP_PORTSC(port));
	return (sc & PORT_CCS) && (sc & PORT_PED) ? 0 : -EIO;
}

static void
port_connect(struct xhci *x, int port)
{
	struct xhci_slot *s = &x->ports[port];
	int err;

	memset(s, 0, sizeof(*s));
	s->x = x;
	s->port = port;
	s->present = true;	/* tried once until it goes away */
	if ((err = port_reset(x, port))) {
		kprintf("usb %d-%d: port reset failed (%d)\n", x->hc.busnum, port, err);
		return;
	}
	s->speed = PORT_SPEED(rd32(x->op, OP_PORTSC(port)));
	if (slot_enable(x, s) || slot_address(s, true)) {
		slot_disable(s);
		return;
	}
	s->dev = usb_port_connect(&x->hc, port, core_speed(s->speed), s);
}

static void
port_disconnect(struct xhci *x, int port)
{
	struct xhci_slot *s = &x->ports[port];

	s->gone = true;		/* cancelling its transfers needs no commands now */
	if (s->dev)
		usb_port_disconnect(&x->hc, port);
	slot_disable(s);
	memset(s, 0, sizeof(*s));
}

static void
scan_ports(struct xhci *x)
{
	if (x->scanning)
		return;		/* enumeration polls us from inside the scan */
	x->scanning = true;
	for (int port = 1; port <= x->nports && !x->dead; port++) {
		u32 sc = rd32(x->op, OP_PORTSC(port));
		struct xhci_slot *s = &x->ports[port];

		if (sc & PORT_CHANGES)
			wr32(x->op, OP_PORTSC(port), (sc & PORT_KEEP) | (sc & PORT_CHANGES));
		if (s->present && (!(sc & PORT_CCS) || (sc & PORT_CSC)))
			port_disconnect(x, port);
		if (!s->present && (sc & PORT_CCS))
			port_connect(x, port);
	}
	x->scanning = false;
	x->next_scan_ns = time_now_ns() + SCAN_INTERVAL_NS;
}

/* --- usb_hc_ops ----------------------------------------------------------- */

static void
xhci_poll(struct usb_hc *hc, u64 max_wait_ns)
{
	struct xhci *x = hc->priv;
	u32 sts;

	if (x->dead) {
		if (max_wait_ns)
			time_delay_ns(MIN(max_wait_ns, 50 * NSEC_PER_USEC));
		return;
	}
	sts = rd32(x->op, OP_USBSTS);
	if (sts & (STS_HSE | STS_HCE)) {
		kprintf("usb %d: xHCI %s; controller halted\n", hc->busnum,
			sts & STS_HSE ? "host system error" : "host controller error");
		x->dead = true;
		return;
	}
	events_drain(x);
	xfer_recover_all(x);
	if (time_now_ns() >= x->next_scan_ns)
		scan_ports(x);
	else if (max_wait_ns)
		time_delay_ns(MIN(max_wait_ns, 50 * NSEC_PER_USEC));
}

/* Back to address 0 and unconfigured: a new slot on the reset port. */
static int
xhci_port_reset(struct usb_hc *hc, struct usb_dev *d)
{
	struct xhci *x = hc->priv;
	struct xhci_slot *s = d->hcpriv;
	int err;

	slot_disable(s);
	if ((err = port_reset(x, s->port)))
		return err;
	if ((err = slot_enable(x, s)) || (err = slot_address(s, true)))
		return err;
	return 0;
}

static void
xhci_close(struct usb_hc *hc)
{
	struct xhci *x = hc->priv;

	wr32(x->op, OP_USBCMD, 0);
	wait_reg(x->op, OP_USBSTS, STS_HCH, STS_HCH, 20);
}

static const struct usb_hc_ops xhci_ops = {
	.kind = "xhci",
	.submit = xhci_submit,
	.cancel = xhci_cancel,
	.poll = xhci_poll,
	.port_reset = xhci_port_reset,
	.close = xhci_close,
};

/* --- bring-up ------------------------------------------------------------- */

/* USB legacy support: ask the BIOS to let go (it may be emulating a PS/2
 * keyboard through SMIs), and turn its SMIs off either way. */
static void
bios_handoff(struct xhci *x, u32 off)
{
	u32 v = rd32(x->cap, off);

	if (v & LEG_BIOS_OWNED) {
		wr32(x->cap, off, v | LEG_OS_OWNED);
		if (!wait_reg(x->cap, off, LEG_BIOS_OWNED, 0, 1000)) {
			LOG(x, "BIOS did not release the controller in 1 s; taken");
			wr32(x->cap, off, (rd32(x->cap, off) & ~LEG_BIOS_OWNED) | LEG_OS_OWNED);
		}
	} else {
		wr32(x->cap, off, v | LEG_OS_OWNED);
	}
	v = rd32(x->cap, off + 4);
	wr32(x->cap, off + 4, (v & ~LEGCTL_SMI_EN) | LEGCTL_SMI_STS);
}

/* Walk the extended capabilities: legacy hand-off, port protocols. */
static void
read_xcaps(struct xhci *x)
{
	u32 off = HCC1_XECP(rd32(x->cap, CAP_HCCPARAMS1)) * 4;

	for (int guard = 0; off && off < x->bar_len && guard < 64; guard++) {
		u32 v = rd32(x->cap, off);

		if (XCAP_ID(v) == XCAP_LEGACY) {
			bios_handoff(x, off);
		} else if (XCAP_ID(v) == XCAP_PROTOCOL) {
			u32 ports = rd32(x->cap, off + 8);
			unsigned first = ports & 0xff, count = ports >> 8 & 0xff;

			for (unsigned p = first; p < first + count && p <= (unsigned)x->nports; p++)
				if (p)
					x->port_major[p] = v >> 24;
		}
		off = XCAP_NEXT(v) ? off + XCAP_NEXT(v) * 4 : 0;
	}
}

static int
halt_and_reset(struct xhci *x)
{
	wr32(x->op, OP_USBCMD, rd32(x->op, OP_USBCMD) & ~CMD_RS);
	if (!wait_reg(x->op, OP_USBSTS, STS_HCH, STS_HCH, 100)) {
		LOG(x, "did not halt in 100 ms");
		return -EIO;
	}
	wr32(x->op, OP_USBCMD, CMD_HCRST);
	if (!wait_reg(x->op, OP_USBCMD, CMD_HCRST, 0, 1000) ||
	    !wait_reg(x->op, OP_USBSTS, STS_CNR, 0, 1000)) {
		LOG(x, "reset did not finish in 1 s");
		return -EIO;
	}
	return 0;
}

static int
scratchpads(struct xhci *x)
{
	u32 n = HCS2_SCRATCHPADS(rd32(x->cap, CAP_HCSPARAMS2));
	u64 *array;

	if (!n)
		return 0;
	if (!(rd32(x->op, OP_PAGESIZE) & 1)) {
		LOG(x, "no 4 KiB page size; scratchpad buffers not given");
		return -EINVAL;
	}
	array = pages_alloc((n * 8 + PAGE_SIZE - 1) / PAGE_SIZE);
	if (!array)
		return -ENOMEM;
	for (u32 i = 0; i < n; i++) {
		void *pg = pages_alloc(1);

		if (!pg)
			return -ENOMEM;
		memset(pg, 0, PAGE_SIZE);
		array[i] = phys(pg);
	}
	x->dcbaa[0] = phys(array);
	return 0;
}

static int
xhci_start(struct xhci *x)
{
	u32 hcs1 = rd32(x->cap, CAP_HCSPARAMS1), hcc1 = rd32(x->cap, CAP_HCCPARAMS1);
	int err;

	x->version = rd32(x->cap, CAP_LENGTH) >> 16;
	x->op = x->cap + (rd32(x->cap, CAP_LENGTH) & 0xff);
	x->rt = x->cap + (rd32(x->cap, CAP_RTSOFF) & ~0x1fu);
	x->db = x->cap + (rd32(x->cap, CAP_DBOFF) & ~0x3u);
	x->ctx_size = hcc1 & HCC1_CSZ ? 64 : 32;
	x->max_slots = HCS1_MAXSLOTS(hcs1);
	x->nports = HCS1_MAXPORTS(hcs1);
	if (!x->max_slots || !x->nports) {
		LOG(x, "no slots or no ports (HCSPARAMS1 %#x)", hcs1);
		return -EINVAL;
	}
	x->port_major = heap_zalloc(x->nports + 1);
	x->ports = heap_zalloc((x->nports + 1) * sizeof(*x->ports));
	x->dcbaa = pages_alloc(1);
	if (!x->port_major || !x->ports || !x->dcbaa)
		return -ENOMEM;
	memset(x->dcbaa, 0, PAGE_SIZE);
	read_xcaps(x);
	if ((err = halt_and_reset(x)))
		return err;
	wr32(x->op, OP_CONFIG, (rd32(x->op, OP_CONFIG) & ~0xffu) | x->max_slots);
	if ((err = scratchpads(x)))
		return err;
	wr64(x->op, OP_DCBAAP, phys(x->dcbaa));
	if ((err = ring_init(&x->cmd)))
		return err;
	wr64(x->op, OP_CRCR, phys(x->cmd.trb) | CRCR_RCS);
	if ((err = events_init(x)))
		return err;
	wr32(x->op, OP_USBCMD, CMD_RS);	/* INTE off: polled */
	if (!wait_reg(x->op, OP_USBSTS, STS_HCH, 0, 100)) {
		LOG(x, "did not start");
		return -EIO;
	}
	if (hcc1 & HCC1_PPC) {
		for (int p = 1; p <= x->nports; p++)
			if (!(rd32(x->op, OP_PORTSC(p)) & PORT_PP))
				port_write(x, p, PORT_PP);
		time_delay_ns(20 * NSEC_PER_MSEC);	/* power good */
	}
	return 0;
}

/* BAR0: memory, 32 or 64 bits; its size by the usual all-ones probe with
 * decoding off.  Returns the length, 0 if unusable. */
static u32
read_bar(const struct pc_pci_fn *f, u64 *base)
{
	u32 cmd = pc_pci_read32(f, PCI_COMMAND), lo = pc_pci_read32(f, PCI_BAR0), size;

	if (lo & 1)
		return 0;
	*base = lo & ~0xfull;
	if ((lo >> 1 & 3) == 2)
		*base |= (u64)pc_pci_read32(f, PCI_BAR0 + 4) << 32;
	pc_pci_write32(f, PCI_COMMAND, cmd & ~PCI_CMD_MEM);
	pc_pci_write32(f, PCI_BAR0, ~0u);
	size = ~(pc_pci_read32(f, PCI_BAR0) & ~0xfu) + 1;
	pc_pci_write32(f, PCI_BAR0, lo);
	pc_pci_write32(f, PCI_COMMAND, cmd);
	return size;
}

static bool
probe_one(const struct pc_pci_fn *f, void *arg)
{
	struct xhci *x;
	u64 base = 0;
	u32 len, cmd;

	if (f->class_rev >> 8 != XHCI_PCI_CLASS)
		return false;
	len = read_bar(f, &base);
	if (!len || !base || len < 0x1000 || (base & (PAGE_SIZE - 1))) {
		kprintf("xhci %02x:%02x.%x: BAR0 is not a usable memory range (base %#llx size %#x)\n",
			f->bus, f->dev, f->fn, (unsigned long long)base, len);
		return false;
	}
	x = heap_zalloc(sizeof(*x));
	if (!x)
		return true;
	x->pci = *f;
	x->bar = base;
	x->bar_len = len;
	/* uncached: a register read must reach the controller */
	for (u64 a = base; a < base + len; a += PAGE_SIZE)
		pc_paging_map_mmio(a);
	x->cap = (volatile u8 *)(uintptr_t)base;
	cmd = pc_pci_read32(f, PCI_COMMAND);
	pc_pci_write32(f, PCI_COMMAND, cmd | PCI_CMD_MEM | PCI_CMD_MASTER | PCI_CMD_INTX_OFF);
	x->hc.ops = &xhci_ops;
	x->hc.priv = x;
	snprintf(x->hc.name, sizeof(x->hc.name), "xHCI %02x:%02x.%x mmio %#llx",
		 f->bus, f->dev, f->fn, (unsigned long long)base);
	if (xhci_start(x) || usb_hc_register(&x->hc) < 0) {
		LOG(x, "not started");
		return false;	/* its memory stays: the controller may still point at it */
	}
	pc_pci_claim(f, 0, 0, "xhci");
	pc_pci_claim_mmio(f, base, len);
	scan_ports(x);
	++*(int *)arg;
	return false;
}

static void
xhci_probe_all(void)
{
	int n = 0;

	pc_pci_each(probe_one, &n);
}
INITFUNC("40xhci", xhci_probe_all);
