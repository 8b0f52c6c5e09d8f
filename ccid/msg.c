/* CCID messages (docs/ccid.md section 2): one complete PC_to_RDR message
 * in, its RDR_to_PC response out.  Errors are checked in the order the
 * spec lists them; every message gets exactly one response. */
#include <core/string.h>
#include "internal.h"

static u32
rd32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void
wr32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static u8
icc_status(const struct ccid_reader *r)
{
	if (!r->card.present)
		return CCID_ICC_ABSENT;
	return r->card.powered ? CCID_ICC_ACTIVE : CCID_ICC_INACTIVE;
}

/* Header of a response: type, length, slot/seq echoed, status, error, b9. */
static size_t
head(const struct ccid_reader *r, u8 type, const u8 *msg, size_t len, bool failed, u8 err,
     u8 b9, u8 *resp)
{
	resp[0] = type;
	wr32(resp + 1, (u32)len);
	resp[5] = msg[5];
	resp[6] = msg[6];
	resp[7] = icc_status(r) | (failed ? CCID_CMD_FAILED : 0);
	resp[8] = failed ? err : 0;
	resp[9] = b9;
	return CCID_HDR + len;
}

/* The response type each command answers with, failures included. */
static u8
answer_type(u8 cmd)
{
	switch (cmd) {
	case CCID_PC_POWER_ON:
	case CCID_PC_XFR_BLOCK:
	case CCID_PC_SECURE:
		return CCID_RDR_DATA_BLOCK;
	case CCID_PC_GET_PARAMETERS:
	case CCID_PC_RESET_PARAMETERS:
	case CCID_PC_SET_PARAMETERS:
		return CCID_RDR_PARAMETERS;
	case CCID_PC_ESCAPE:
		return CCID_RDR_ESCAPE;
	case CCID_PC_SET_RATE_CLOCK:
		return CCID_RDR_RATE_CLOCK;
	default:
		return CCID_RDR_SLOT_STATUS;
	}
}

static size_t
fail(const struct ccid_reader *r, const u8 *msg, u8 err, u8 *resp)
{
	u8 type = answer_type(msg[0]);

	/* a failed Parameters answer still names a protocol (b9) */
	return head(r, type, msg, 0, true, err, type == CCID_RDR_PARAMETERS ? r->card.protocol : 0,
		    resp);
}

static size_t
parameters(const struct ccid_reader *r, const u8 *msg, u8 *resp)
{
	const struct ccid_card *c = &r->card;
	u8 *p = resp + CCID_HDR;

	if (c->protocol == 0) {
		p[0] = c->fidi;
		p[1] = 0x00;		/* bmTCCKST0: direct convention */
		p[2] = 0x00;		/* guard time */
		p[3] = 0x0A;		/* WI default */
		p[4] = 0x00;		/* clock stop not supported */
		return head(r, CCID_RDR_PARAMETERS, msg, 5, false, 0, 0, resp);
	}
	p[0] = c->fidi;
	p[1] = 0x10;			/* bmTCCKST1: LRC, direct convention */
	p[2] = 0x00;
	p[3] = ccid_card_atr[6];	/* TB3: BWI, CWI */
	p[4] = 0x00;
	p[5] = c->ifsc;
	p[6] = 0x00;			/* NAD */
	return head(r, CCID_RDR_PARAMETERS, msg, 7, false, 0, 1, resp);
}

static size_t
set_parameters(struct ccid_reader *r, const u8 *msg, size_t dlen, u8 *resp)
{
	u8 proto = msg[7];
	const u8 *d = msg + CCID_HDR;

	if (proto > 1)
		return fail(r, msg, 7, resp);
	if (dlen != (proto ? 7u : 5u))
		return fail(r, msg, 1, resp);
	if (d[0] != 0x11 && d[0] != 0x12 && d[0] != 0x13)
		return fail(r, msg, 10, resp);
	if (proto == 1 && d[1] != 0x10)
		return fail(r, msg, 11, resp);
	if (proto == 1 && (d[5] < 1 || d[5] > CCID_T1_INF_MAX))
		return fail(r, msg, 15, resp);
	ccid_card_set_protocol(&r->card, proto, d[0], proto ? d[5] : 0);
	return parameters(r, msg, resp);
}

static bool
takes_no_data(u8 cmd)
{
	return cmd == CCID_PC_POWER_ON || cmd == CCID_PC_POWER_OFF || cmd == CCID_PC_GET_SLOT_STATUS ||
	       cmd == CCID_PC_GET_PARAMETERS || cmd == CCID_PC_RESET_PARAMETERS;
}

size_t
ccid_reader_message(struct ccid_reader *r, const u8 *msg, size_t len, u8 *resp)
{
	size_t dlen = rd32(msg + 1);
	u8 cmd = msg[0];
	struct ccid_card *c = &r->card;

	r->messages++;
	if (msg[5] != 0) {
		size_t n = fail(r, msg, 5, resp);

		resp[7] = CCID_ICC_ABSENT | CCID_CMD_FAILED;	/* no such slot */
		return n;
	}
	if (dlen > CCID_MAX_MSG - CCID_HDR || len != CCID_HDR + dlen)
		return fail(r, msg, 1, resp);
	if (takes_no_data(cmd) && dlen)
		return fail(r, msg, 1, resp);
	switch (cmd) {
	case CCID_PC_POWER_ON:
		if (msg[7] > 3)
			return fail(r, msg, 7, resp);
		if (!c->present)
			return fail(r, msg, CCID_ERR_ICC_MUTE, resp);
		return head(r, CCID_RDR_DATA_BLOCK, msg, ccid_card_power_on(c, resp + CCID_HDR),
			    false, 0, 0, resp);
	case CCID_PC_POWER_OFF:
		ccid_card_power_off(c);
		return head(r, CCID_RDR_SLOT_STATUS, msg, 0, false, 0, 0, resp);
	case CCID_PC_GET_SLOT_STATUS:
	case CCID_PC_ICC_CLOCK:
	case CCID_PC_ABORT:
		return head(r, CCID_RDR_SLOT_STATUS, msg, 0, false, 0, 0, resp);
	case CCID_PC_XFR_BLOCK:
		if (msg[8] || msg[9])
			return fail(r, msg, 8, resp);	/* wLevelParameter: TPDU level */
		if (!c->present || !c->powered)
			return fail(r, msg, CCID_ERR_ICC_MUTE, resp);
		return head(r, CCID_RDR_DATA_BLOCK, msg,
			    ccid_card_xfr(c, msg + CCID_HDR, dlen, resp + CCID_HDR), false, 0, 0, resp);
	case CCID_PC_GET_PARAMETERS:
		if (!c->present)
			return fail(r, msg, CCID_ERR_ICC_MUTE, resp);
		return parameters(r, msg, resp);
	case CCID_PC_RESET_PARAMETERS:
		if (!c->present)
			return fail(r, msg, CCID_ERR_ICC_MUTE, resp);
		ccid_card_set_protocol(c, 0, 0x11, 0);
		return parameters(r, msg, resp);
	case CCID_PC_SET_PARAMETERS:
		if (!c->present || !c->powered)
			return fail(r, msg, CCID_ERR_ICC_MUTE, resp);
		return set_parameters(r, msg, dlen, resp);
	case CCID_PC_SET_RATE_CLOCK: {
		u32 d = 1u << ((c->fidi & 0x0F) - 1);	/* Di 1..3 (checked at set): D 1, 2, 4 */

		wr32(resp + CCID_HDR, CCID_CLOCK_KHZ);
		wr32(resp + CCID_HDR + 4, CCID_CLOCK_KHZ * 1000u * d / 372u);
		return head(r, CCID_RDR_RATE_CLOCK, msg, 8, false, 0, 0, resp);
	}
	default:		/* Escape, T0APDU, Secure, Mechanical, unknown */
		return fail(r, msg, CCID_ERR_CMD_NOT_SUPPORTED, resp);
	}
}
