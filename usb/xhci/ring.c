/* xHCI rings: producer rings closed by a link TRB (command ring, one
 * transfer ring per endpoint), the event ring of interrupter 0 (one
 * segment, consumed by polling: interrupts stay off), and commands run
 * synchronously.  Events met while waiting for a command are handled as in
 * a poll; nothing they do runs another command. */
#include <core/console.h>
#include <core/errno.h>
#include <core/pages.h>
#include <core/string.h>
#include <core/time.h>
#include "xhci.h"

#define EVT_TRBS	256	/* one page */

int
ring_init(struct xhci_ring *r)
{
	struct xhci_trb *link;

	r->trb = pages_alloc(1);	/* page-aligned: never crosses 64 KiB */
	if (!r->trb)
		return -ENOMEM;
	memset(r->trb, 0, PAGE_SIZE);
	r->enq = 0;
	r->pcs = 1;
	link = &r->trb[RING_USABLE];
	link->param = phys(r->trb);
	link->control = TRB_TYPE(TRB_LINK) | TRB_TC;	/* cycle 0: not yet the controller's */
	return 0;
}

void
ring_free(struct xhci_ring *r)
{
	if (r->trb)
		pages_free(r->trb, 1);
	r->trb = NULL;
}

/* The first TRB of a TD is written with the wrong cycle bit and flipped
 * last (ring_td_commit), so the controller never sees half a TD. */
void
ring_td_begin(struct xhci_ring *r)
{
	r->first = r->enq;
}

u32
ring_push(struct xhci_ring *r, u64 param, u32 status, u32 control)
{
	u32 at = r->enq;
	struct xhci_trb *t = &r->trb[at];
	u32 cycle = at == r->first ? !r->pcs : r->pcs;

	t->param = param;
	t->status = status;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->control = (control & ~TRB_CYCLE) | cycle;
	if (++r->enq == RING_USABLE) {
		struct xhci_trb *link = &r->trb[RING_USABLE];

		/* a TD that goes on past the link keeps its chain across it */
		link->control = TRB_TYPE(TRB_LINK) | TRB_TC | (control & TRB_CH) | r->pcs;
		r->pcs ^= 1;
		r->enq = 0;
	}
	return at;
}

void
ring_td_commit(struct xhci_ring *r)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	r->trb[r->first].control ^= TRB_CYCLE;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void
doorbell(struct xhci *x, unsigned slot, unsigned target)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr32(x->db, 4 * slot, target);
}

int
events_init(struct xhci *x)
{
	x->evt = pages_alloc(1);
	x->erst = pages_alloc(1);
	if (!x->evt || !x->erst)
		return -ENOMEM;
	memset(x->evt, 0, PAGE_SIZE);
	memset(x->erst, 0, PAGE_SIZE);
	x->erst[0].base = phys(x->evt);
	x->erst[0].size = EVT_TRBS;
	x->evt_deq = 0;
	x->ccs = 1;
	wr32(x->rt, RT_IMAN, 1);	/* clear a pending interrupt; IE stays 0 */
	wr32(x->rt, RT_ERSTSZ, 1);
	wr64(x->rt, RT_ERDP, phys(x->evt));
	wr64(x->rt, RT_ERSTBA, phys(x->erst));
	return 0;
}

static void
port_event(struct xhci *x, const struct xhci_trb *ev)
{
	(void)ev;
	x->next_scan_ns = 0;	/* the next poll looks at the ports */
}

static void
command_event(struct xhci *x, const struct xhci_trb *ev)
{
	if (ev->param != x->cmd_trb || x->cmd_done)
		return;
	x->cmd_status = ev->status;
	x->cmd_control = ev->control;
	x->cmd_done = true;
}

void
events_drain(struct xhci *x)
{
	bool any = false;

	for (;;) {
		struct xhci_trb *ev = &x->evt[x->evt_deq];
		struct xhci_trb copy;

		if ((ev->control & TRB_CYCLE) != x->ccs)
			break;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		copy = *ev;
		if (++x->evt_deq == EVT_TRBS) {
			x->evt_deq = 0;
			x->ccs ^= 1;
		}
		any = true;
		switch (TRB_GET_TYPE(copy.control)) {
		case TRB_TRANSFER_EVENT:
			xfer_event(x, &copy);
			break;
		case TRB_COMMAND_EVENT:
			command_event(x, &copy);
			break;
		case TRB_PORT_EVENT:
			port_event(x, &copy);
			break;
		case TRB_HC_EVENT:
			kprintf("usb %d: xHCI host controller event, code %u\n", x->hc.busnum,
				EVT_CODE(copy.status));
			break;
		default:
			break;	/* bandwidth requests, MFINDEX wraps, notifications */
		}
	}
	if (any)
		wr64(x->rt, RT_ERDP, phys(&x->evt[x->evt_deq]) | ERDP_EHB);
}

int
cmd_run(struct xhci *x, u64 param, u32 status, u32 control, u8 *slot_id)
{
	u64 deadline;

	if (x->dead)
		return -EIO;
	ring_td_begin(&x->cmd);
	x->cmd_trb = phys(&x->cmd.trb[x->cmd.enq]);
	x->cmd_done = false;
	ring_push(&x->cmd, param, status, control);
	ring_td_commit(&x->cmd);
	doorbell(x, 0, 0);
	deadline = time_now_ns() + CMD_TIMEOUT_NS;
	while (!x->cmd_done) {
		events_drain(x);
		if (x->cmd_done)
			break;
		if (time_now_ns() >= deadline) {
			kprintf("usb %d: xHCI command %u timed out; controller unusable\n",
				x->hc.busnum, TRB_GET_TYPE(control));
			x->dead = true;
			return -ETIMEDOUT;
		}
		time_delay_ns(10 * NSEC_PER_USEC);
	}
	if (slot_id)
		*slot_id = TRB_GET_SLOT(x->cmd_control);
	return EVT_CODE(x->cmd_status);
}
