/* The xHCI driver's own structures, shared by its files (private to
 * usb/xhci).  Memory is identity-mapped below 2 GiB, so a pointer is the
 * physical address the controller wants. */
#ifndef USB_XHCI_H
#define USB_XHCI_H

#include <core/types.h>
#include <usb/core.h>
#include <pc/memmap.h>
#include <pc/pci.h>
#include "xhci_hw.h"

#define RING_TRBS	256		/* one page; the last is the link TRB */
#define RING_USABLE	(RING_TRBS - 1)
#define MAX_TD_TRBS	128		/* one TD at a time per ring */
#define CMD_TIMEOUT_NS	(2000 * NSEC_PER_MSEC)

/* A producer ring (command or transfer): one page closed by a link TRB
 * with toggle cycle. */
struct xhci_ring {
	struct xhci_trb *trb;
	u32 enq;		/* next slot to write */
	u8 pcs;			/* producer cycle state */
	u32 first;		/* first TRB of the TD being written */
};

/* A transfer in flight: its TRBs are ring slots start..start+n-1 (mod
 * RING_USABLE), described by info[] for matching events. */
struct xhci_td_trb {
	struct xhci_trb trb;	/* as it goes on the ring */
	u32 len;
	bool data;		/* counts toward urb->actual */
};

struct xhci_xfer {
	struct urb *urb;
	struct xhci_ep *ep;
	u32 start, n;
	size_t data_len;	/* bytes of data stage / normal TRBs */
	long short_actual;	/* control: actual from a short data stage, or -1 */
	bool drain;		/* the driver's own read of a zero-length packet a
				 * device still owes (xfer.c: zlp_owed); urb is ours */
	struct xhci_xfer *next;	/* waiting order */
	struct xhci_td_trb item[];
};

/* One endpoint of a slot, indexed by device context index (DCI). */
struct xhci_ep {
	struct xhci_ring ring;	/* .trb NULL while not configured */
	const struct usb_endpoint_descriptor *desc;	/* NULL for EP0 */
	struct xhci_xfer *busy, *waiting;
	bool recover;		/* halted or left mid-TD: reset before the next TD */
	bool reset_toggle;	/* CLEAR_FEATURE(HALT) succeeded: drop and add again */
};

/* The device on one root port (kept with the port, reused). */
struct xhci_slot {
	struct xhci *x;
	struct usb_dev *dev;
	int port;
	bool present;		/* a device was seen here (maybe not usable) */
	bool gone;		/* being taken away: no more commands for it */
	u8 id;			/* slot ID, 0 if none */
	u8 speed;		/* SPEED_* */
	u16 mps0, want_mps0;
	u8 *in_ctx, *out_ctx;	/* a page each */
	const struct usb_config_descriptor *cfg;	/* as last SET_CONFIGURATION */
	u8 alt[32];		/* current alternate setting per interface number */
	struct xhci_ep ep[32];
};

struct xhci {
	struct usb_hc hc;
	struct pc_pci_fn pci;
	u64 bar;
	u32 bar_len;
	volatile u8 *cap, *op, *rt, *db;
	u16 version;
	u32 ctx_size;		/* 32 or 64 */
	int max_slots, nports;
	u8 *port_major;		/* [port]: 2 or 3, from the supported protocol capability */
	struct xhci_slot *ports;	/* [port], 1..nports */
	struct xhci_slot *slots[256];	/* by slot ID */
	u64 *dcbaa;
	struct xhci_ring cmd;
	struct xhci_trb *evt;
	struct xhci_erst *erst;
	u32 evt_deq;
	u8 ccs;			/* consumer cycle state */
	/* the command being waited for */
	u64 cmd_trb;
	bool cmd_done;
	u32 cmd_status, cmd_control;
	u64 next_scan_ns;
	bool scanning, dead;
};

/* MMIO */
static inline u32 rd32(volatile u8 *base, u32 off) { return *(volatile u32 *)(base + off); }
static inline void wr32(volatile u8 *base, u32 off, u32 v) { *(volatile u32 *)(base + off) = v; }
static inline void
wr64(volatile u8 *base, u32 off, u64 v)
{
	wr32(base, off, (u32)v);	/* low half first: QEMU acts on the high write */
	wr32(base, off + 4, (u32)(v >> 32));
}
static inline u64 phys(const volatile void *p) { return (u64)(uintptr_t)p; }

/* ring.c */
int ring_init(struct xhci_ring *r);
void ring_free(struct xhci_ring *r);
void ring_td_begin(struct xhci_ring *r);
u32 ring_push(struct xhci_ring *r, u64 param, u32 status, u32 control);
void ring_td_commit(struct xhci_ring *r);
int events_init(struct xhci *x);
void events_drain(struct xhci *x);
/* Run one command; the completion code (CC_*) or -ETIMEDOUT.  *slot_id
 * gets the event's slot ID if not NULL. */
int cmd_run(struct xhci *x, u64 param, u32 status, u32 control, u8 *slot_id);
void doorbell(struct xhci *x, unsigned slot, unsigned target);

/* slot.c */
int slot_enable(struct xhci *x, struct xhci_slot *s);
int slot_address(struct xhci_slot *s, bool block_set_address);
int slot_eval_mps0(struct xhci_slot *s);
int slot_set_config(struct xhci_slot *s, const struct usb_dev *d, u8 value);
int slot_set_interface(struct xhci_slot *s, u8 intf, u8 alt);
int slot_reset_toggle(struct xhci_slot *s, unsigned dci);
void slot_disable(struct xhci_slot *s);
u32 ep_state(struct xhci_slot *s, unsigned dci);
u8 *ctx_in(struct xhci_slot *s, unsigned idx);

/* xfer.c */
void xfer_event(struct xhci *x, const struct xhci_trb *ev);
int ep_recover(struct xhci_slot *s, struct xhci_ep *ep);
void ep_flush(struct xhci_slot *s, unsigned dci, int status);
void xfer_recover_all(struct xhci *x);
int xhci_submit(struct usb_hc *hc, struct urb *urb);
void xhci_cancel(struct usb_hc *hc, struct urb *urb);

#endif
