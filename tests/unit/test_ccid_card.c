/* The test card (docs/ccid.md sections 3-5): ISO 7816-4 commands at the
 * APDU level, T=0 TPDUs, T=1 blocks with chaining both ways, the persistent
 * try counter, the state file's layout, the ATR parser (against our ATR and
 * the one QEMU's ccid-card-emulated sends) and the status-word texts. */
#include <stdio.h>
#include "tap.h"
#include <ccid/ccid.h>
#include <dongle/sha256.h>

static struct ccid_card C;
static u8 R[512];
static size_t N;
static int persists;
static bool fail_persist;
static u8 image[CCID_STATE_SIZE];

static int
persist(void *ctx, const u8 *img, size_t len)
{
	if (fail_persist)
		return -5;
	persists++;
	memcpy(image, img, len);
	return 0;
}

static void
fresh(void)
{
	struct ccid_card_state st;
	struct ccid_env env = { .persist = persist };
	u8 atr[64];

	ccid_state_factory(&st, "UNIT-1");
	ccid_card_init(&C, &st, &env);
	ccid_card_power_on(&C, atr);
	persists = 0;
	fail_persist = false;
}

static size_t
hex(const char *s, u8 *out)
{
	size_t n = 0;
	unsigned v;

	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		sscanf(s, "%2x", &v);
		out[n++] = (u8)v;
		s += 2;
	}
	return n;
}

static u16
apdu(const char *h)
{
	u8 a[300];

	N = ccid_card_apdu(&C, a, hex(h, a), R);
	return (u16)(R[N - 2] << 8 | R[N - 1]);
}

static u16
t0(const char *h)
{
	u8 a[300];

	N = ccid_card_t0(&C, a, hex(h, a), R);
	return (u16)(R[N - 2] << 8 | R[N - 1]);
}

static void
test_select_and_read(void)
{
	fresh();
	TAP_CHECK(apdu("00A4040007F042564341524400") == 0x9000 && R[0] == 0x62,
		  "SELECT by AID returns an FCP template and 9000");
	TAP_CHECK(N > 9 && memcmp(R + N - 2 - 7, "\xF0" "BVCARD", 7) == 0, "the FCP ends with the DF name (84)");
	TAP_CHECK(apdu("00A4040007F042564341524500") == 0x6A82, "an unknown AID is 6A82");
	TAP_CHECK(apdu("00A4000C025001") == 0x9000 && N == 2, "SELECT EF 5001, P2 0C: no data, 9000");
	TAP_CHECK(apdu("00B0000005") == 0x9000 && N == 7 && memcmp(R, "Hello", 5) == 0,
		  "READ BINARY Le 5 reads the first 5 bytes");
	TAP_CHECK(apdu("00B0000000") == 0x6282 && N == 37,
		  "READ BINARY Le 256 on a 35-byte EF: 35 bytes and 6282");
	TAP_CHECK(apdu("00B0002300") == 0x6B00, "an offset at the end is 6B00");
	TAP_CHECK(apdu("00B0800000") == 0x6A81, "SFI addressing is 6A81");
	TAP_CHECK(apdu("00A4000C025002") == 0x9000 && apdu("00B0010000") == 0x9000 && N == 258 &&
		  R[0] == (256 % 251) && R[255] == (511 % 251),
		  "EF 5002 at offset 256: byte i is i mod 251");
	TAP_CHECK(apdu("00A4000C023F00") == 0x9000 && apdu("00B0000000") == 0x6986,
		  "READ BINARY with no current EF (MF selected) is 6986");
	TAP_CHECK(apdu("00A4000C022F00") == 0x9000 && apdu("00B0000000") == 0x6282 && R[0] == 0x61,
		  "EF.DIR under the MF lists the application");
	TAP_CHECK(apdu("00A4000C025003") == 0x6A82, "EF 5003 is not a child of the MF: 6A82");
	TAP_CHECK(apdu("00A4000C025000") == 0x9000 && apdu("00A4000C025003") == 0x9000 &&
		  apdu("00B0000000") == 0x6982,
		  "the secret EF needs the PIN: 6982");
	TAP_CHECK(apdu("80A4040007F042564341524400") == 0x6E00, "CLA 80 is 6E00");
	TAP_CHECK(apdu("00CA000000") == 0x6D00, "an unknown INS is 6D00");
	TAP_CHECK(apdu("00A40000") == 0x6100 + (N == 2 ? R[1] : 0) && R[0] == 0x61,
		  "case 1 SELECT of the MF: no Le, so the FCP waits (61xx)");
	TAP_CHECK(apdu("00A4040007F0425643") == 0x6700, "Lc larger than the data is 6700");
	TAP_CHECK(apdu("00A4") == 0x6700, "a 2-byte APDU is 6700");
	TAP_CHECK(apdu("00A4050000") == 0x6A86, "SELECT P1 05 is 6A86");
}

static void
test_get_response_chaining(void)
{
	u8 sw2;

	fresh();
	TAP_CHECK(apdu("00A4040007F042564341524404") == 0x6100 + (R[5] & 0xFF) && N == 6,
		  "SELECT with Le 4: 4 bytes and 61xx");
	sw2 = R[5];
	TAP_CHECK(sw2 > 0, "61xx announces %u more bytes", sw2);
	char h[32];
	snprintf(h, sizeof(h), "00C00000%02X", sw2);
	TAP_CHECK(apdu(h) == 0x9000 && N == (size_t)sw2 + 2, "GET RESPONSE returns the rest and 9000");
	TAP_CHECK(apdu("00C0000010") == 0x6985, "GET RESPONSE with nothing pending is 6985");
	apdu("00A4040007F042564341524402");
	TAP_CHECK(apdu("00C0000002") == 0x6100 + sw2 && N == 4,
		  "GET RESPONSE shorter than what is pending: 2 bytes and 61xx again");
	apdu("00A4040007F042564341524402");
	apdu("00B0000001");
	TAP_CHECK(apdu("00C0000010") == 0x6985, "another command drops the pending response");
}

static void
test_verify_counter(void)
{
	struct ccid_card_state st;
	const char *why;

	fresh();
	TAP_CHECK(apdu("0020008100") == 0x63C3 || apdu("00200081") == 0x63C3,
		  "VERIFY without data reports 3 tries");
	TAP_CHECK(apdu("0020008106313131313131") == 0x63C2, "a wrong PIN: 63C2");
	TAP_CHECK(persists == 1 && ccid_state_decode(&st, image, sizeof(image), &why) == 0 && st.tries == 2,
		  "the decrement was saved (state file says 2 tries)");
	TAP_CHECK(apdu("0020008106313233343536") == 0x9000, "the right PIN: 9000");
	TAP_CHECK(ccid_state_decode(&st, image, sizeof(image), &why) == 0 && st.tries == 3 && persists == 3,
		  "a match saves the counter back at 3 (decrement and reset both saved)");
	TAP_CHECK(apdu("00A4000C025000") == 0x9000 && apdu("00A4000C025003") == 0x9000 &&
		  apdu("00B0000000") == 0x6282 &&
		  memcmp(R, "secret: blobvisor\n", 18) == 0, "after VERIFY the secret EF reads");
	TAP_CHECK(apdu("00200081") == 0x9000, "VERIFY without data after success: 9000");
	TAP_CHECK(apdu("0020008206313233343536") == 0x6A88, "reference 0x82 is 6A88");
	fail_persist = true;
	TAP_CHECK(apdu("0020008106313233343536") == 0x6581 && C.st.tries == 3,
		  "a save failing: 6581, nothing compared, counter unchanged");
	fail_persist = false;
	apdu("0020008101FF");
	apdu("0020008101FF");
	TAP_CHECK(apdu("0020008101FF") == 0x6983, "the third wrong PIN blocks: 6983");
	TAP_CHECK(apdu("0020008106313233343536") == 0x6983, "blocked: even the right PIN is 6983");
	/* a new power-up keeps the counter: it is EEPROM */
	u8 atr[64];
	ccid_card_power_off(&C);
	ccid_card_power_on(&C, atr);
	TAP_CHECK(apdu("00200081") == 0x6983, "the block survives a power cycle");
	TAP_CHECK(!C.verified, "power-off clears the security state");
}

static void
test_t0(void)
{
	u8 sw2;
	char h[32];

	fresh();
	TAP_CHECK((t0("00A4040007F0425643415244") & 0xFF00) == 0x6100 && N == 2,
		  "T=0 SELECT (case 4 as a TPDU): 61xx, no data");
	sw2 = R[1];
	snprintf(h, sizeof(h), "00C00000%02X", sw2 + 1);
	TAP_CHECK(t0(h) == (0x6C00 | sw2), "GET RESPONSE asking one byte too many: 6C%02X", sw2);
	snprintf(h, sizeof(h), "00C00000%02X", sw2);
	TAP_CHECK(t0(h) == 0x9000 && N == (size_t)sw2 + 2 && R[0] == 0x62, "GET RESPONSE P3=xx: the FCP, 9000");
	TAP_CHECK(t0("00A4000C025001") == 0x9000, "T=0 SELECT EF P2 0C: 9000");
	TAP_CHECK(t0("00B0000040") == 0x6C23, "READ BINARY P3 64 on a 35-byte EF: 6C23");
	TAP_CHECK(t0("00B0000023") == 0x9000 && N == 37, "READ BINARY P3 23: 35 bytes, 9000");
	TAP_CHECK((t0("00A4040007F042564341524400") & 0xFF00) == 0x6100,
		  "a case-4 APDU with its Le is accepted under T=0 (Le ignored)");
	TAP_CHECK(t0("00A4040007F04256") == 0x6700, "fewer data bytes than P3: 6700");
	TAP_CHECK(t0("00B000000500") == 0x6700, "READ BINARY with data: 6700");
	TAP_CHECK(t0("00CA000000") == 0x6D00, "unknown INS under T=0: 6D00");
}

/* T=1 helpers: build a block with a correct LRC */
static size_t
blk(u8 *b, u8 pcb, const u8 *inf, size_t n)
{
	u8 x = 0;

	b[0] = 0;
	b[1] = pcb;
	b[2] = (u8)n;
	if (n)
		memcpy(b + 3, inf, n);
	for (size_t i = 0; i < 3 + n; i++)
		x ^= b[i];
	b[3 + n] = x;
	return 4 + n;
}

static bool
lrc_ok(const u8 *b, size_t n)
{
	u8 x = 0;

	for (size_t i = 0; i < n; i++)
		x ^= b[i];
	return x == 0 && n == 4u + b[2];
}

static void
test_t1(void)
{
	u8 b[300], a[300], got[1024];
	size_t an, gn = 0;
	u8 host_ns = 0, nr;
	int blocks = 0;

	fresh();
	TAP_CHECK(ccid_card_set_protocol(&C, 1, 0x13, 254) == 0, "switch to T=1");
	/* S(IFS request) 16: small blocks force chaining */
	N = ccid_card_t1(&C, b, blk(b, 0xC1, (const u8 *)"\x10", 1), R);
	TAP_CHECK(N == 5 && R[1] == 0xE1 && R[3] == 0x10 && lrc_ok(R, N), "S(IFS request) -> S(IFS response) 16");
	an = hex("00A4000C025000", a);
	N = ccid_card_t1(&C, b, blk(b, 0x00, a, an), R);
	TAP_CHECK(N == 6 && R[1] == 0x00 && R[3] == 0x90 && R[4] == 0x00 && lrc_ok(R, N),
		  "I(0) SELECT -> I(0) 9000");
	an = hex("00A4000C025002", a);
	N = ccid_card_t1(&C, b, blk(b, 0x40, a, an), R);
	TAP_CHECK(N == 6 && R[1] == 0x40 && R[3] == 0x90 && lrc_ok(R, N), "I(1) SELECT -> I(1) 9000");
	host_ns = 0;
	an = hex("00B0000082", a);	/* 130 bytes + SW: 9 blocks of <= 16 */
	N = ccid_card_t1(&C, b, blk(b, host_ns << 6, a, an), R);
	for (;;) {
		if (!lrc_ok(R, N) || (R[1] & 0x80))
			break;
		blocks++;
		memcpy(got + gn, R + 3, R[2]);
		gn += R[2];
		if (!(R[1] & 0x20))
			break;
		if (R[2] > 16)
			break;
		nr = ((R[1] >> 6) & 1) ^ 1;
		if (blocks == 2) {	/* ask for the same block again once */
			u8 last[300];
			size_t ln = N;

			memcpy(last, R, N);
			N = ccid_card_t1(&C, b, blk(b, 0x80 | ((nr ^ 1) << 4), NULL, 0), R);
			TAP_CHECK(N == ln && memcmp(R, last, N) == 0, "R(N(R) = last sent) repeats the block");
		}
		N = ccid_card_t1(&C, b, blk(b, 0x80 | (nr << 4), NULL, 0), R);
	}
	TAP_CHECK(gn == 132 && got[130] == 0x90 && got[0] == 0 && got[129] == 129,
		  "the chained response reassembles to 130 bytes and 9000 (%zu bytes, %d blocks)", gn, blocks);
	TAP_CHECK(blocks == 9, "in 9 blocks of at most 16");
	/* chained command: SELECT AID in two I-blocks */
	host_ns ^= 1;
	an = hex("00A4040007F042564341524400", a);
	N = ccid_card_t1(&C, b, blk(b, (host_ns << 6) | 0x20, a, 6), R);
	TAP_CHECK(N == 4 && (R[1] & 0xEF) == 0x80 && ((R[1] >> 4) & 1) == (host_ns ^ 1),
		  "a chained I-block is acknowledged with R(next N(S))");
	host_ns ^= 1;
	N = ccid_card_t1(&C, b, blk(b, host_ns << 6, a + 6, an - 6), R);
	TAP_CHECK(N == 20 && (R[1] & 0xA0) == 0x20 && R[3] == 0x62,
		  "the last piece runs the command: the FCP's first 16 bytes, chained");
	nr = ((R[1] >> 6) & 1) ^ 1;
	N = ccid_card_t1(&C, b, blk(b, 0x80 | (nr << 4), NULL, 0), R);
	TAP_CHECK(!(R[1] & 0xA0) && R[N - 3] == 0x90 && R[N - 2] == 0x00 && lrc_ok(R, N),
		  "acknowledged, the rest and 9000 follow");
	host_ns ^= 1;
	/* errors */
	blk(b, host_ns << 6, a, 4);
	b[7] ^= 0xFF;
	N = ccid_card_t1(&C, b, 8, R);
	TAP_CHECK(N == 4 && (R[1] & 0xEF) == 0x81, "a bad LRC is R-block with error 1");
	N = ccid_card_t1(&C, b, blk(b, (host_ns ^ 1) << 6, a, 4), R);
	TAP_CHECK(N == 4 && (R[1] & 0xEF) == 0x82, "a wrong N(S) is R-block with error 2");
	N = ccid_card_t1(&C, b, blk(b, 0xE3, (const u8 *)"\x01", 1), R);
	TAP_CHECK(N == 4 && (R[1] & 0xEF) == 0x82, "an unasked WTX response is R-block error 2");
	N = ccid_card_t1(&C, b, blk(b, 0xC0, NULL, 0), R);
	TAP_CHECK(N == 4 && R[1] == 0xE0, "RESYNCH -> S(RESYNCH response)");
	an = hex("00A4000C025001", a);
	N = ccid_card_t1(&C, b, blk(b, 0x00, a, an), R);
	TAP_CHECK(N == 6 && R[1] == 0x00 && R[3] == 0x90, "after RESYNCH both sides start at N(S) 0");
	N = ccid_card_t1(&C, b, 3, R);
	TAP_CHECK(N == 4 && (R[1] & 0xEF) == 0x81, "a 3-byte frame is R-block error 1");
}

static void
test_state_file(void)
{
	struct ccid_card_state st, back;
	u8 img[CCID_STATE_SIZE], bad[CCID_STATE_SIZE + 1];
	const char *why = NULL;

	TAP_CHECK(ccid_state_factory(&st, "bad serial!") == -22, "a serial with a space is refused");
	TAP_CHECK(ccid_state_factory(&st, "12345678901234567") == -22, "a 17-character serial is refused");
	ccid_state_factory(&st, "S-1");
	ccid_state_encode(&st, img);
	TAP_CHECK(CCID_STATE_SIZE == 43 && memcmp(img, "BVCCIDC1", 8) == 0, "43 bytes starting BVCCIDC1");
	TAP_CHECK(ccid_state_decode(&back, img, sizeof(img), &why) == 0 && back.tries == 3 &&
		  back.pin_len == 6 && strcmp(back.serial, "S-1") == 0, "encode/decode round trip");
	memcpy(bad, img, sizeof(img));
	bad[20] ^= 1;
	TAP_CHECK(ccid_state_decode(&back, bad, sizeof(img), &why) < 0 && strcmp(why, "CRC mismatch") == 0,
		  "a flipped bit: CRC mismatch");
	TAP_CHECK(ccid_state_decode(&back, img, 42, &why) < 0 && strstr(why, "too short"), "42 bytes: too short");
	TAP_CHECK(ccid_state_decode(&back, bad, 44, &why) < 0 && strstr(why, "longer"), "44 bytes: longer");
	memcpy(bad, img, sizeof(img));
	bad[0] = 'X';
	TAP_CHECK(ccid_state_decode(&back, bad, sizeof(img), &why) < 0 && strstr(why, "magic"), "bad magic");
	st.tries = 9;
	ccid_state_encode(&st, img);
	TAP_CHECK(ccid_state_decode(&back, img, sizeof(img), &why) < 0 && strstr(why, "try counter"),
		  "tries above the maximum are refused");
}

static void
test_atr(void)
{
	struct atr_info a;
	static const u8 qemu[] = { 0x3B, 0x7A, 0x18, 0x00, 0x00, 0x73, 0x66, 0x74, 0x65, 0x20,
				   0x63, 0x64, 0x31, 0x34, 0x34 };
	u8 bad[32];

	atr_parse(ccid_card_atr, ccid_card_atr_len, &a);
	TAP_CHECK(a.valid && a.protocols == 3 && a.first_protocol == 0, "our ATR: T=0 and T=1, T=0 first");
	TAP_CHECK(a.has_ta1 && a.ta1 == 0x13 && a.fi == 372 && a.di == 4 && a.fmax_khz == 5000,
		  "TA1 13: Fi 372, D 4, f max 5 MHz");
	TAP_CHECK(a.ifsc == 254 && !a.specific && a.tck_ok && a.hist_len == 7 &&
		  memcmp(ccid_card_atr + a.hist_off, "BVCARD1", 7) == 0,
		  "IFSC 254, negotiable mode, TCK good, historical BVCARD1");
	atr_parse(qemu, sizeof(qemu), &a);
	TAP_CHECK(a.valid && a.protocols == 1 && a.ta1 == 0x18 && a.di == 12 && a.hist_len == 10 &&
		  !a.tck_present, "QEMU's emulated card: T=0 only, TA1 18 (D 12), 10 historical, no TCK");
	memcpy(bad, ccid_card_atr, ccid_card_atr_len);
	bad[ccid_card_atr_len - 1] ^= 1;
	atr_parse(bad, ccid_card_atr_len, &a);
	TAP_CHECK(!a.valid && strcmp(a.error, "TCK mismatch") == 0, "a wrong TCK is refused");
	atr_parse(ccid_card_atr, 4, &a);
	TAP_CHECK(!a.valid && strstr(a.error, "interface bytes"), "a truncated ATR is refused");
	bad[0] = 0x3A;
	atr_parse(bad, ccid_card_atr_len, &a);
	TAP_CHECK(!a.valid && strstr(a.error, "TS"), "TS 3A is refused");
}

static void
test_sw_text(void)
{
	char b[96];

	TAP_CHECK(strcmp(iso7816_sw_text(0x9000, b, sizeof(b)), "normal processing") == 0, "9000");
	TAP_CHECK(strstr(iso7816_sw_text(0x6112, b, sizeof(b)), "18 more bytes"), "6112: 18 more bytes");
	TAP_CHECK(strstr(iso7816_sw_text(0x6C23, b, sizeof(b)), "35 bytes available"), "6C23");
	TAP_CHECK(strstr(iso7816_sw_text(0x63C2, b, sizeof(b)), "2 tries left"), "63C2");
	TAP_CHECK(strstr(iso7816_sw_text(0x6A82, b, sizeof(b)), "not found"), "6A82");
	TAP_CHECK(strstr(iso7816_sw_text(0x1234, b, sizeof(b)), "not an ISO"), "1234 is no status word");
}

int
main(void)
{
	test_select_and_read();
	test_get_response_chaining();
	test_verify_counter();
	test_t0();
	test_t1();
	test_state_file();
	test_atr();
	test_sw_text();
	return tap_done();
}
