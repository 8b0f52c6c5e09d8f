/* libFuzzer: the CCID reader's message parser and everything behind it
 * (T=0, T=1, the card's commands).  The input is a sequence of records:
 * one control byte, one length byte, then that many bytes.  Control bits
 * 0-1: 0 bulk OUT, 1 bulk OUT with the header repaired (a real message
 * type from the next byte, slot 0, dwLength = what follows, and, for an
 * XfrBlock under T=1, a well-formed block: NAD 0, LEN, LRC), 2 toggle the
 * card, 3 a USB reset and SET_CONFIGURATION.  Bit 7 makes the next state
 * save fail.  Every response must be one whole, well-formed RDR_to_PC
 * message; T=1 answers must be valid blocks; the try counter never leaves
 * 0..maximum, the last saved image always decodes and never holds more
 * tries than the card has left. */
#include <stdint.h>
#include <string.h>
#include <ccid/ccid.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ccid_reader Rd;
static u8 image[CCID_STATE_SIZE];
static bool fail_next;

static int
persist(void *ctx, const u8 *img, size_t len)
{
	if (fail_next) {
		fail_next = false;
		return -5;
	}
	memcpy(image, img, len);
	return 0;
}

static const u8 types[] = {
	CCID_PC_POWER_ON, CCID_PC_POWER_OFF, CCID_PC_GET_SLOT_STATUS, CCID_PC_XFR_BLOCK,
	CCID_PC_XFR_BLOCK, CCID_PC_XFR_BLOCK, CCID_PC_GET_PARAMETERS, CCID_PC_RESET_PARAMETERS,
	CCID_PC_SET_PARAMETERS, CCID_PC_ESCAPE, CCID_PC_ICC_CLOCK, CCID_PC_T0APDU, CCID_PC_SECURE,
	CCID_PC_MECHANICAL, CCID_PC_ABORT, CCID_PC_SET_RATE_CLOCK,
};

static void
check_responses(void)
{
	u8 r[CCID_MAX_RESP];
	int n;

	while ((n = Rd.model.ops->data_in(&Rd.model, CCID_EP_IN & 0x0F, r, sizeof(r))) > 0) {
		u32 dlen = r[1] | (u32)r[2] << 8 | (u32)r[3] << 16 | (u32)r[4] << 24;

		if (n < CCID_HDR || (u32)n != CCID_HDR + dlen)
			__builtin_trap();		/* one whole message per transfer */
		if (r[0] < 0x80 || r[0] > 0x84 || (r[7] & 0x3C) || (r[7] & 3) == 3 || (r[7] >> 6) > 1)
			__builtin_trap();
		if (r[0] == CCID_RDR_DATA_BLOCK && !(r[7] & 0xC0) && dlen && Rd.card.protocol == 1 &&
		    Rd.card.powered && r[10] != 0x3B) {
			u8 x = 0;

			for (u32 i = 0; i < dlen; i++)
				x ^= r[CCID_HDR + i];
			if (x || dlen != 4u + r[12] || r[10] != 0)
				__builtin_trap();	/* T=1 answers are valid blocks */
		}
		if (r[0] == CCID_RDR_DATA_BLOCK && !(r[7] & 0xC0) && Rd.card.protocol == 0 && dlen < 2)
			__builtin_trap();		/* T=0 always ends with SW1 SW2 */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccid_card_state st;
	struct ccid_env env = { .persist = persist };
	const char *why;

	ccid_state_factory(&st, NULL);
	ccid_reader_init(&Rd, &st, &env, true);
	ccid_state_encode(&st, image);
	struct usb_setup cfg = { 0x00, 9, 1, 0, 0 };
	Rd.model.ops->control(&Rd.model, &cfg, NULL);
	while (size >= 2) {
		u8 ctl = data[0], len = data[1];
		u8 m[CCID_MAX_MSG + 300];
		size_t take;

		data += 2;
		size -= 2;
		take = MIN((size_t)len, size);
		fail_next = ctl & 0x80;
		switch (ctl & 3) {
		case 0:
			Rd.model.ops->data_out(&Rd.model, CCID_EP_OUT & 0x0F, data, take);
			break;
		case 1:
			if (take < 1)
				break;
			memset(m, 0, CCID_HDR);
			m[0] = types[data[0] % sizeof(types)];
			m[6] = data[0];
			memcpy(m + CCID_HDR, data + 1, take - 1);
			size_t dl = take - 1;
			if (m[0] == CCID_PC_SET_PARAMETERS)
				m[7] = data[0] >> 7;
			if (m[0] == CCID_PC_XFR_BLOCK && Rd.card.protocol == 1 && dl >= 4) {
				u8 x = 0;

				m[CCID_HDR] = 0;
				m[CCID_HDR + 2] = (u8)MIN(dl - 4, CCID_T1_INF_MAX);
				dl = 4u + m[CCID_HDR + 2];
				for (size_t i = 0; i < dl - 1; i++)
					x ^= m[CCID_HDR + i];
				m[CCID_HDR + dl - 1] = x;
			}
			if (m[0] == CCID_PC_POWER_ON || m[0] == CCID_PC_POWER_OFF ||
			    m[0] == CCID_PC_GET_SLOT_STATUS || m[0] == CCID_PC_GET_PARAMETERS ||
			    m[0] == CCID_PC_RESET_PARAMETERS)
				dl = 0;
			m[1] = (u8)dl;
			m[2] = (u8)(dl >> 8);
			Rd.model.ops->data_out(&Rd.model, CCID_EP_OUT & 0x0F, m, CCID_HDR + dl);
			break;
		case 2:
			ccid_reader_set_card(&Rd, !Rd.card.present);
			break;
		case 3:
			Rd.model.ops->reset(&Rd.model);
			Rd.model.ops->control(&Rd.model, &cfg, NULL);
			break;
		}
		data += take;
		size -= take;
		check_responses();
		if (Rd.card.st.tries > Rd.card.st.tries_max)
			__builtin_trap();
		if (ccid_state_decode(&st, image, sizeof(image), &why) != 0)
			__builtin_trap();
		if (st.tries > Rd.card.st.tries)
			__builtin_trap();	/* a spent try that never reached the disk */
	}
	return 0;
}
