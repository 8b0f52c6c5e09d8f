/* The CCID reader (docs/ccid.md sections 1-2): descriptors parsed field by
 * field against CCID 1.1 section 5.1, class requests, every PC_to_RDR
 * message and its errors, messages split over and packed into bulk
 * transfers, an oversized dwLength, slot-change notifications. */
#include <stdio.h>
#include "tap.h"
#include <ccid/ccid.h>
#include <core/errno.h>

static struct ccid_reader Rd;
static struct usb_model *M;
static u8 resp[CCID_MAX_RESP + 64];
static size_t rlen;
static u8 seq;

static void
fresh(bool card)
{
	struct ccid_card_state st;

	ccid_state_factory(&st, "RDR-1");
	ccid_reader_init(&Rd, &st, NULL, card);
	M = &Rd.model;
	struct usb_setup s = { 0x00, 9, 1, 0, 0 };
	M->ops->control(M, &s, NULL);
}

static int
ctl(u8 type, u8 req, u16 value, u16 index, u16 length, u8 *data)
{
	struct usb_setup s = { type, req, value, index, length };

	return M->ops->control(M, &s, data);
}

static u32
rd32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* Send a message through bulk OUT, read the response through bulk IN in
 * 64-byte transfers (as the host does). */
static void
msg(u8 type, u8 slot, u8 b7, u8 b8, u8 b9, const u8 *data, u32 n)
{
	u8 m[CCID_MAX_MSG + 16];
	int r;

	m[0] = type;
	m[1] = (u8)n; m[2] = (u8)(n >> 8); m[3] = (u8)(n >> 16); m[4] = (u8)(n >> 24);
	m[5] = slot;
	m[6] = ++seq;
	m[7] = b7; m[8] = b8; m[9] = b9;
	if (n)
		memcpy(m + 10, data, n);
	M->ops->data_out(M, CCID_EP_OUT & 0x0F, m, 10 + n);
	rlen = 0;
	while ((r = M->ops->data_in(M, CCID_EP_IN & 0x0F, resp + rlen, 64)) > 0) {
		rlen += (size_t)r;
		if (r < 64)
			break;
	}
}

static void
test_descriptors(void)
{
	u8 d[256];
	int n;

	fresh(true);
	n = ctl(0x80, 6, 0x0100, 0, 18, d);
	TAP_CHECK(n == 18 && d[8] == 0xE6 && d[9] == 0x08 && d[10] == 0x33 && d[11] == 0x44,
		  "device descriptor: 08E6:4433 (listed in Debian's libccid Info.plist)");
	n = ctl(0x80, 6, 0x0200, 0, 255, d);
	TAP_CHECK(n == 93 && d[2] == 93, "configuration: 93 bytes");
	TAP_CHECK(d[9 + 5] == 0x0B && d[9 + 4] == 3, "interface: class 0x0B, 3 endpoints");
	const u8 *c = d + 18;
	TAP_CHECK(c[0] == 54 && c[1] == 0x21 && c[2] == 0x10 && c[3] == 0x01, "CCID class descriptor, bcdCCID 1.10");
	TAP_CHECK(c[4] == 0 && rd32(c + 6) == 3, "one slot, T=0 and T=1");
	TAP_CHECK(rd32(c + 10) == 3580 && rd32(c + 19) == 9624 && rd32(c + 23) == 115200 && c[27] == 0,
		  "clock 3580 kHz, rates 9624..115200, no rate table");
	TAP_CHECK(rd32(c + 28) == 254 && rd32(c + 40) == 0x000100BA && rd32(c + 44) == 271,
		  "dwMaxIFSD 254, dwFeatures 000100BA (TPDU), dwMaxCCIDMessageLength 271");
	TAP_CHECK(c[48] == 0xFF && c[49] == 0xFF && c[52] == 0 && c[53] == 1, "echo classes, no PIN pad, 1 busy slot");
	const u8 *e = d + 18 + 54;
	TAP_CHECK(e[2] == 0x01 && e[3] == 2 && e[7 + 2] == 0x82 && e[7 + 3] == 2 && e[14 + 2] == 0x83 &&
		  e[14 + 3] == 3 && e[14 + 4] == 8 && e[14 + 6] == 16,
		  "bulk OUT 01, bulk IN 82, interrupt IN 83 (8 bytes, 16 ms)");
	n = ctl(0xA1, 2, 0, 0, 64, d);
	TAP_CHECK(n == 4 && rd32(d) == 3580, "GET_CLOCK_FREQUENCIES: 3580");
	n = ctl(0xA1, 3, 0, 0, 64, d);
	TAP_CHECK(n == 8 && rd32(d) == 9624 && rd32(d + 4) == 115200, "GET_DATA_RATES: 9624, 115200");
	TAP_CHECK(ctl(0x21, 1, 0x0100, 0, 0, NULL) == 0, "ABORT slot 0 accepted");
	TAP_CHECK(ctl(0x21, 1, 0x0101, 0, 0, NULL) == -EPIPE, "ABORT slot 1 stalls");
	TAP_CHECK(ctl(0xA1, 9, 0, 0, 8, d) == -EPIPE, "an unknown class request stalls");
	n = ctl(0x80, 6, 0x0303, 0, 255, d);
	TAP_CHECK(n == 12 && d[2] == 'R' && d[10] == '1', "serial string is the card state's serial");
}

static void
test_messages(void)
{
	u8 p[8];

	fresh(true);
	msg(CCID_PC_GET_SLOT_STATUS, 0, 0, 0, 0, NULL, 0);
	TAP_CHECK(rlen == 10 && resp[0] == 0x81 && resp[6] == seq && resp[7] == 1,
		  "GetSlotStatus: present, inactive, bSeq echoed");
	msg(CCID_PC_XFR_BLOCK, 0, 0, 0, 0, (const u8 *)"\x00\xA4\x00\x00", 4);
	TAP_CHECK(resp[0] == 0x80 && resp[7] == 0x41 && resp[8] == 0xFE, "XfrBlock unpowered: failed, ICC_MUTE");
	msg(CCID_PC_POWER_ON, 0, 0, 0, 0, NULL, 0);
	TAP_CHECK(resp[0] == 0x80 && rd32(resp + 1) == 15 && resp[7] == 0 && memcmp(resp + 10, ccid_card_atr, 15) == 0,
		  "IccPowerOn: DataBlock with the 15-byte ATR");
	TAP_CHECK(rlen == 25, "response read through 64-byte bulk IN transfers (%zu bytes)", rlen);
	msg(CCID_PC_POWER_ON, 0, 4, 0, 0, NULL, 0);
	TAP_CHECK(resp[7] == 0x40 && resp[8] == 7, "bPowerSelect 4: bError 7");
	msg(CCID_PC_GET_PARAMETERS, 0, 0, 0, 0, NULL, 0);
	TAP_CHECK(resp[0] == 0x82 && resp[9] == 0 && rd32(resp + 1) == 5 && resp[10] == 0x11,
		  "GetParameters: T=0, Fi/Di 11 until set");
	memcpy(p, "\x13\x10\x00\x45\x00\xFE\x00", 7);
	msg(CCID_PC_SET_PARAMETERS, 0, 1, 0, 0, p, 7);
	TAP_CHECK(resp[0] == 0x82 && resp[7] == 0 && resp[9] == 1 && rd32(resp + 1) == 7 && resp[10] == 0x13 &&
		  resp[15] == 0xFE, "SetParameters T=1: Parameters, protocol 1, TA1 13, IFSC 254");
	msg(CCID_PC_SET_PARAMETERS, 0, 2, 0, 0, p, 7);
	TAP_CHECK(resp[7] == 0x40 && resp[8] == 7, "bProtocolNum 2: bError 7");
	msg(CCID_PC_SET_PARAMETERS, 0, 1, 0, 0, p, 5);
	TAP_CHECK(resp[7] == 0x40 && resp[8] == 1, "T=1 with 5 parameter bytes: bError 1");
	p[0] = 0x96;
	msg(CCID_PC_SET_PARAMETERS, 0, 1, 0, 0, p, 7);
	TAP_CHECK(resp[7] == 0x40 && resp[8] == 10, "bmFindexDindex 96: bError 10");
	p[0] = 0x13;
	p[1] = 0x11;
	msg(CCID_PC_SET_PARAMETERS, 0, 1, 0, 0, p, 7);
	TAP_CHECK(resp[7] == 0x40 && resp[8] == 11, "T=1 with CRC: bError 11");
	msg(CCID_PC_XFR_BLOCK, 0, 0, 0, 0, (const u8 *)"\x00\x00\x05\x00\xA4\x00\x0C\x00\xAD", 9);
	TAP_CHECK(resp[0] == 0x80 && resp[7] == 0 && rd32(resp + 1) == 6 && resp[13] == 0x90 && resp[14] == 0x00,
		  "XfrBlock with a T=1 I-block (case 1 SELECT MF P2 0C) -> I-block 9000");
	msg(CCID_PC_XFR_BLOCK, 0, 0, 1, 0, (const u8 *)"\x00", 1);
	TAP_CHECK(resp[7] == 0x40 && resp[8] == 8, "wLevelParameter 1 at TPDU level: bError 8");
	msg(CCID_PC_GET_SLOT_STATUS, 1, 0, 0, 0, NULL, 0);
	TAP_CHECK(resp[7] == 0x42 && resp[8] == 5, "slot 1: no card, bError 5");
	msg(CCID_PC_GET_SLOT_STATUS, 0, 0, 0, 0, (const u8 *)"x", 1);
	TAP_CHECK(resp[7] == 0x40 && resp[8] == 1, "GetSlotStatus with data: bError 1");
	msg(CCID_PC_ESCAPE, 0, 0, 0, 0, (const u8 *)"\x01", 1);
	TAP_CHECK(resp[0] == 0x83 && resp[7] == 0x40 && resp[8] == 0, "Escape: failed, CMD_NOT_SUPPORTED");
	msg(CCID_PC_SECURE, 0, 0, 0, 0, NULL, 0);
	TAP_CHECK(resp[0] == 0x80 && resp[8] == 0 && resp[7] == 0x40, "Secure: failed, CMD_NOT_SUPPORTED");
	msg(0x99, 0, 0, 0, 0, NULL, 0);
	TAP_CHECK(resp[0] == 0x81 && resp[7] == 0x40 && resp[8] == 0, "unknown type 99: SlotStatus, CMD_NOT_SUPPORTED");
	msg(CCID_PC_SET_RATE_CLOCK, 0, 0, 0, 0, (const u8 *)"\0\0\0\0\0\0\0\0", 8);
	TAP_CHECK(resp[0] == 0x84 && rd32(resp + 10) == 3580 && rd32(resp + 14) == 38494,
		  "SetDataRateAndClockFrequency: 3580 kHz, 38494 bps (D 4)");
	msg(CCID_PC_RESET_PARAMETERS, 0, 0, 0, 0, NULL, 0);
	TAP_CHECK(resp[0] == 0x82 && resp[9] == 0 && resp[10] == 0x11, "ResetParameters: back to T=0, 11");
	msg(CCID_PC_POWER_OFF, 0, 0, 0, 0, NULL, 0);
	TAP_CHECK(resp[0] == 0x81 && resp[7] == 1, "IccPowerOff: inactive");
}

static void
test_transport(void)
{
	u8 m[300], two[40];
	int r;

	fresh(true);
	/* a message arriving in three pieces */
	memcpy(m, "\x62\0\0\0\0\0\x21\0\0\0", 10);
	M->ops->data_out(M, 1, m, 3);
	TAP_CHECK(M->ops->data_in(M, 2, resp, 64) == -EAGAIN, "nothing answered before the header is complete");
	M->ops->data_out(M, 1, m + 3, 4);
	M->ops->data_out(M, 1, m + 7, 3);
	r = M->ops->data_in(M, 2, resp, 64);
	TAP_CHECK(r == 25 && resp[6] == 0x21, "a header in three transfers: one IccPowerOn answered");
	/* two messages in one transfer */
	memcpy(two, "\x65\0\0\0\0\0\x31\0\0\0\x65\0\0\0\0\0\x32\0\0\0", 20);
	M->ops->data_out(M, 1, two, 20);
	TAP_CHECK(M->ops->data_in(M, 2, resp, 64) == 10 && resp[6] == 0x31 &&
		  M->ops->data_in(M, 2, resp, 64) == 10 && resp[6] == 0x32,
		  "two messages in one transfer: two responses in order");
	/* an oversized dwLength: refused from the header, bytes dropped */
	memset(m, 0, sizeof(m));
	memcpy(m, "\x6F\x2C\x01\0\0\0\x41\0\0\0", 10);	/* dwLength 300 */
	M->ops->data_out(M, 1, m, 64);
	M->ops->data_out(M, 1, m + 64, 246);
	r = M->ops->data_in(M, 2, resp, 64);
	TAP_CHECK(r == 10 && resp[6] == 0x41 && resp[7] == 0x40 && resp[8] == 1, "dwLength 300: bError 1");
	memcpy(m, "\x65\0\0\0\0\0\x42\0\0\0", 10);
	M->ops->data_out(M, 1, m, 10);
	r = M->ops->data_in(M, 2, resp, 64);
	TAP_CHECK(r == 10 && resp[0] == 0x81 && resp[6] == 0x42, "the next message after the dropped bytes is answered");
	TAP_CHECK(M->ops->data_in(M, 2, resp, 64) == -EAGAIN, "and nothing else is queued");
}

static void
test_slot_change(void)
{
	u8 n[8];

	fresh(true);
	TAP_CHECK(M->ops->data_in(M, 3, n, 8) == 2 && n[0] == 0x50 && n[1] == 0x03,
		  "SET_CONFIGURATION: one NotifySlotChange, present and changed");
	TAP_CHECK(M->ops->data_in(M, 3, n, 8) == -EAGAIN, "no notification without a change");
	fresh(false);
	TAP_CHECK(M->ops->data_in(M, 3, n, 8) == 2 && n[1] == 0x00, "configured without a card: 50 00");
	fresh(true);
	M->ops->data_in(M, 3, n, 8);
	msg(CCID_PC_POWER_ON, 0, 0, 0, 0, NULL, 0);
	ccid_reader_set_card(&Rd, false);
	TAP_CHECK(M->ops->data_in(M, 3, n, 8) == 2 && n[0] == 0x50 && n[1] == 0x02, "removal: NotifySlotChange 50 02");
	msg(CCID_PC_GET_SLOT_STATUS, 0, 0, 0, 0, NULL, 0);
	TAP_CHECK(resp[7] == 2, "GetSlotStatus after removal: no card (and powered down)");
	msg(CCID_PC_POWER_ON, 0, 0, 0, 0, NULL, 0);
	TAP_CHECK(resp[7] == 0x42 && resp[8] == 0xFE, "IccPowerOn without a card: ICC_MUTE");
	ccid_reader_set_card(&Rd, true);
	ccid_reader_set_card(&Rd, false);
	ccid_reader_set_card(&Rd, true);
	TAP_CHECK(M->ops->data_in(M, 3, n, 8) == 2 && n[1] == 0x03 && M->ops->data_in(M, 3, n, 8) == -EAGAIN,
		  "three changes unread fold into one 50 03");
	M->ops->reset(M);
	TAP_CHECK(M->ops->data_in(M, 2, resp, 64) == -EPIPE, "after a USB reset the unconfigured device stalls bulk IN");
}

int
main(void)
{
	test_descriptors();
	test_messages();
	test_transport();
	test_slot_change();
	return tap_done();
}
