/* HC_CARDWAIT: the guest waits for the card in a reader the VMM keeps to
 * be removed or inserted (the seed's IC-card screen lock; the guest's
 * program is tests/hv/bvcardlock.c).  The VMM asks the IFD handler
 * (libccid's IFDHICCPresence, card/) and the guest never sees the reader.
 *
 * The call blocks the calling guest thread, never the VMM: each exit waits
 * at most WAIT_SLICE_NS and then resumes the guest *without* advancing RIP,
 * so the same VMMCALL runs again — after the guest took its pending
 * interrupts and, if its scheduler wants, ran other threads (`bvsh' still
 * gets the VMM's shell).  The deadline travels in the guest's RDX between
 * those rounds (0 on the first), as REP MOVS keeps its count in RCX: there
 * is no waiter state in the VMM, so any number of guest threads may wait.
 * A forged RDX can only make the caller wait, at most WAIT_MAX_MS. */
#include <card/presence.h>
#include <core/errno.h>
#include <core/time.h>
#include "vmm.h"

#define WAIT_MAX_MS	60000			/* longer timeouts are cut to this */
#define WAIT_SLICE_NS	(10 * NSEC_PER_MSEC)	/* the guest's interrupts wait no longer */
#define POLL_NS		(100 * NSEC_PER_MSEC)	/* one IFDHICCPresence (a USB round trip) per 100 ms */
#define READERS		8

/* The last answer per reader, shared by every waiter, so that many waiting
 * threads cost no more USB traffic than one. */
static struct {
	u64 at;
	int state;	/* 1 present, 0 absent, < 0 error; valid when at != 0 */
} polled[READERS];

static int
presence(unsigned reader, u64 now)
{
	if (!polled[reader].at || now - polled[reader].at >= POLL_NS) {
		polled[reader].state = card_presence((int)reader);
		polled[reader].at = time_now_ns();
	}
	return polled[reader].state;
}

bool
hc_cardwait(struct vcpu *v, long *ret)
{
	u64 seen = v->gpr[R_BX], ms = v->gpr[R_CX], deadline = v->gpr[R_DX];
	u64 reader = v->gpr[R_SI], now = time_now_ns(), slice_end = now + WAIT_SLICE_NS;
	u64 latest = now + WAIT_MAX_MS * NSEC_PER_MSEC;
	int st;

	if (reader >= READERS) {
		*ret = -EINVAL;
		return true;
	}
	if (ms > WAIT_MAX_MS)
		ms = WAIT_MAX_MS;
	if (!deadline || deadline > latest)
		deadline = now + ms * NSEC_PER_MSEC;
	for (;;) {
		st = presence((unsigned)reader, now);
		if (st < 0) {
			*ret = st;
			break;
		}
		if (seen != (u64)st) {		/* changed, or the caller did not know (RBX > 1) */
			*ret = 0;
			break;
		}
		if (now >= deadline) {
			*ret = -ETIMEDOUT;
			break;
		}
		if (now >= slice_end) {
			v->gpr[R_DX] = deadline;
			return false;		/* the same VMMCALL again, after the guest's interrupts */
		}
		__asm__ volatile("pause");
		now = time_now_ns();
	}
	v->gpr[R_BX] = st < 0 ? 0 : (u64)st;
	v->gpr[R_CX] = deadline > now ? (deadline - now) / NSEC_PER_MSEC : 0;
	v->gpr[R_DX] = 0;
	return true;
}
