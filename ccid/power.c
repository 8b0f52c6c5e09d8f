/* The card's electrical side: activation with its ATR (docs/ccid.md section
 * 3), deactivation, the protocol and parameters the reader set, and the
 * exchange under the protocol in force. */
#include <core/errno.h>
#include <core/string.h>
#include "internal.h"

const u8 ccid_card_atr[] = {
	0x3B,			/* TS: direct convention */
	0x97,			/* T0: TA1, TD1; 7 historical bytes */
	0x13,			/* TA1: Fi 372, D 4 */
	0x80,			/* TD1: TD2 follows; T=0 */
	0x31,			/* TD2: TA3, TB3 follow; T=1 */
	0xFE,			/* TA3: IFSC 254 */
	0x45,			/* TB3: BWI 4, CWI 5 */
	'B', 'V', 'C', 'A', 'R', 'D', '1',
	0xBF,			/* TCK */
};
const size_t ccid_card_atr_len = sizeof(ccid_card_atr);

/* Everything a reset forgets. */
static void
volatile_reset(struct ccid_card *c)
{
	c->protocol = 0;
	c->fidi = 0x11;		/* until the reader sets TA1's values */
	c->verified = false;
	c->pending_len = 0;
	c->ef = NULL;
	c->t1_host_ns = c->t1_card_ns = 0;
	c->ifsd = 32;
	c->ifsc = ccid_card_atr[5];
	c->t1_rx_len = 0;
	c->t1_rx_overflow = false;
	c->t1_tx_len = c->t1_tx_off = 0;
	c->t1_last_len = 0;
}

size_t
ccid_card_power_on(struct ccid_card *c, u8 *atr)
{
	volatile_reset(c);
	c->df = ccid_card_mf();
	c->powered = true;
	memcpy(atr, ccid_card_atr, sizeof(ccid_card_atr));
	return sizeof(ccid_card_atr);
}

void
ccid_card_power_off(struct ccid_card *c)
{
	volatile_reset(c);
	c->df = ccid_card_mf();
	c->powered = false;
}

int
ccid_card_set_protocol(struct ccid_card *c, u8 protocol, u8 fidi, u8 ifsc)
{
	if (protocol > 1 || (fidi != 0x11 && fidi != 0x12 && fidi != 0x13))
		return -EINVAL;
	if (protocol == 1 && (ifsc < 1 || ifsc > CCID_T1_INF_MAX))
		return -EINVAL;
	volatile_reset(c);
	c->protocol = protocol;
	c->fidi = fidi;
	if (protocol == 1)
		c->ifsc = ifsc;
	return 0;
}

size_t
ccid_card_xfr(struct ccid_card *c, const u8 *in, size_t len, u8 *out)
{
	if (c->protocol == 1)
		return ccid_card_t1(c, in, len, out);
	return ccid_card_t0(c, in, len, out);
}
