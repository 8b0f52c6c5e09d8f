/* The card's side of T=1 (ISO 7816-3 section 11; docs/ccid.md section 4):
 * I-blocks with chaining both ways, R-blocks that acknowledge or ask for a
 * repeat, S-blocks for IFS, RESYNCH and ABORT.  LRC only (TC3 absent). */
#include <core/string.h>
#include "internal.h"

#define PCB_R		0x80
#define PCB_S		0xC0
#define I_NS		0x40
#define I_MORE		0x20
#define R_NR		0x10
#define R_EDC		0x01	/* EDC or parity error */
#define R_OTHER		0x02	/* other error */

static u8
lrc(const u8 *p, size_t n)
{
	u8 x = 0;

	while (n--)
		x ^= *p++;
	return x;
}

/* Build a block, remember it for a repeat, copy it out. */
static size_t
block(struct ccid_card *c, u8 pcb, const u8 *inf, size_t n, u8 *out)
{
	u8 *b = c->t1_last;

	b[0] = 0;
	b[1] = pcb;
	b[2] = (u8)n;
	if (n)
		memcpy(b + 3, inf, n);
	b[3 + n] = lrc(b, 3 + n);
	c->t1_last_len = (u16)(4 + n);
	memcpy(out, b, c->t1_last_len);
	return c->t1_last_len;
}

static size_t
r_block(struct ccid_card *c, u8 err, u8 *out)
{
	return block(c, PCB_R | (c->t1_host_ns ? R_NR : 0) | err, NULL, 0, out);
}

/* The next piece of the response, at most IFSD bytes. */
static size_t
send_next(struct ccid_card *c, u8 *out)
{
	size_t left = (size_t)(c->t1_tx_len - c->t1_tx_off);
	size_t n = MIN(left, (size_t)c->ifsd);
	u8 pcb = (c->t1_card_ns ? I_NS : 0) | (n < left ? I_MORE : 0);
	size_t r = block(c, pcb, c->t1_tx + c->t1_tx_off, n, out);

	c->t1_card_ns ^= 1;
	c->t1_tx_off = (u16)(c->t1_tx_off + n);
	if (c->t1_tx_off == c->t1_tx_len)
		c->t1_tx_len = c->t1_tx_off = 0;
	return r;
}

static size_t
i_block(struct ccid_card *c, u8 pcb, const u8 *inf, size_t n, u8 *out)
{
	if (!!(pcb & I_NS) != c->t1_host_ns)
		return r_block(c, R_OTHER, out);
	c->t1_host_ns ^= 1;
	c->t1_tx_len = c->t1_tx_off = 0;	/* a new command ends an unread chain */
	if (c->t1_rx_len + n > sizeof(c->t1_rx))
		c->t1_rx_overflow = true;
	else
		memcpy(c->t1_rx + c->t1_rx_len, inf, n);
	if (!c->t1_rx_overflow)
		c->t1_rx_len = (u16)(c->t1_rx_len + n);
	if (pcb & I_MORE)
		return r_block(c, 0, out);	/* send the next piece */
	if (c->t1_rx_overflow) {
		c->t1_tx[0] = 0x67;
		c->t1_tx[1] = 0x00;
		c->t1_tx_len = 2;
	} else {
		c->t1_tx_len = (u16)ccid_card_apdu(c, c->t1_rx, c->t1_rx_len, c->t1_tx);
	}
	c->t1_rx_len = 0;
	c->t1_rx_overflow = false;
	return send_next(c, out);
}

static size_t
s_block(struct ccid_card *c, u8 pcb, const u8 *inf, size_t n, u8 *out)
{
	switch (pcb) {
	case 0xC1:		/* IFS request: the host's IFSD */
		if (n != 1 || inf[0] < 1 || inf[0] > CCID_T1_INF_MAX)
			return r_block(c, R_OTHER, out);
		c->ifsd = inf[0];
		return block(c, 0xE1, inf, 1, out);
	case 0xC0:		/* RESYNCH */
		if (n)
			return r_block(c, R_OTHER, out);
		c->t1_host_ns = c->t1_card_ns = 0;
		c->t1_rx_len = c->t1_tx_len = c->t1_tx_off = 0;
		c->t1_rx_overflow = false;
		return block(c, 0xE0, NULL, 0, out);
	case 0xC2:		/* ABORT: drop both chains */
		c->t1_rx_len = c->t1_tx_len = c->t1_tx_off = 0;
		c->t1_rx_overflow = false;
		return block(c, 0xE2, inf, n, out);
	default:		/* responses the card never asked for, WTX included */
		return r_block(c, R_OTHER, out);
	}
}

size_t
ccid_card_t1(struct ccid_card *c, const u8 *b, size_t len, u8 *out)
{
	u8 pcb;

	if (len < 4 || len > CCID_T1_BLOCK_MAX || b[2] > CCID_T1_INF_MAX || len != 4u + b[2] ||
	    b[0] != 0 || lrc(b, len - 1) != b[len - 1])
		return r_block(c, R_EDC, out);
	pcb = b[1];
	if (!(pcb & 0x80))
		return i_block(c, pcb, b + 3, b[2], out);
	if ((pcb & 0xC0) == PCB_R) {
		bool nr = pcb & R_NR;

		if (b[2] || (pcb & 0x2C))
			return r_block(c, R_OTHER, out);
		if (c->t1_tx_len && nr == c->t1_card_ns)
			return send_next(c, out);	/* acknowledged: next piece */
		if (c->t1_last_len) {			/* lost: the same again */
			u8 again[CCID_T1_BLOCK_MAX];

			memcpy(again, c->t1_last, c->t1_last_len);
			memcpy(out, again, c->t1_last_len);
			return c->t1_last_len;
		}
		return r_block(c, R_OTHER, out);
	}
	return s_block(c, pcb, b + 3, b[2], out);
}
