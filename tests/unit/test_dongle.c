/* The dongle's protocol (docs/dongle-protocol.md): framing, sequence
 * numbers, every command and every error code, PIN lockout, persistence
 * before acknowledgement, and rollback when persisting fails. */
#include <stdio.h>
#include <stdlib.h>
#include "tap.h"
#include "unit/dongle_harness.h"

static struct th T;
#define t (&T)

/* --- framing ------------------------------------------------------------ */

static int
raw(const u8 *req, size_t len)
{
	dongle_process(&t->d, req, len, t->resp);
	return t->resp[DONGLE_OFF_STATUS];
}

static void
refill_crc(u8 *f)
{
	u32 c = dongle_crc32(f, DONGLE_OFF_CRC);

	f[60] = (u8)c; f[61] = (u8)(c >> 8); f[62] = (u8)(c >> 16); f[63] = (u8)(c >> 24);
}

static void
test_frame_errors(void)
{
	u8 f[DONGLE_REPORT + 1];
	int p0;

	th_init(t, NULL);
	p0 = t->persists;
	dongle_frame(f, DONGLE_MAGIC_REQ, 0, DCMD_GET_INFO, 0, NULL, 0);
	TAP_CHECK(raw(f, 63) == DST_E_LENGTH, "a 63-byte report gets E_LENGTH");
	TAP_CHECK(dongle_frame_check_response(t->resp) == 0 && t->resp[1] == 0 &&
		  t->resp[2] == DCMD_GET_INFO, "the error response is well formed and echoes seq and cmd");
	f[64] = 0;
	TAP_CHECK(raw(f, 65) == DST_E_LENGTH, "a 65-byte report gets E_LENGTH");
	TAP_CHECK(raw(f, 0) == DST_E_LENGTH, "an empty report gets E_LENGTH");
	f[0] = 0xAA;
	TAP_CHECK(raw(f, 64) == DST_E_FRAME, "bad magic gets E_FRAME");
	dongle_frame(f, DONGLE_MAGIC_REQ, 0, DCMD_GET_INFO, 0, NULL, 0);
	f[20] ^= 1;
	TAP_CHECK(raw(f, 64) == DST_E_CRC, "a flipped payload bit gets E_CRC");
	dongle_frame(f, DONGLE_MAGIC_REQ, 0, DCMD_GET_INFO, 0, NULL, 0);
	f[3] = 1; refill_crc(f);
	TAP_CHECK(raw(f, 64) == DST_E_FRAME, "non-zero status byte in a request gets E_FRAME");
	dongle_frame(f, DONGLE_MAGIC_REQ, 0, DCMD_GET_INFO, 0, NULL, 0);
	f[6] = 1; refill_crc(f);
	TAP_CHECK(raw(f, 64) == DST_E_FRAME, "non-zero reserved byte gets E_FRAME");
	dongle_frame(f, DONGLE_MAGIC_REQ, 0, DCMD_GET_INFO, 0, NULL, 0);
	f[4] = 53; refill_crc(f);
	TAP_CHECK(raw(f, 64) == DST_E_FRAME, "payload length 53 gets E_FRAME");
	dongle_frame(f, DONGLE_MAGIC_REQ, 0, DCMD_ZONE_READ, 0, "\0\0\0\1", 4);
	f[12] = 9; refill_crc(f);
	TAP_CHECK(raw(f, 64) == DST_E_FRAME, "non-zero padding after the payload gets E_FRAME");
	TAP_CHECK(th_cmd(t, DCMD_GET_INFO, NULL, 0) == DST_OK,
		  "after all that, sequence number 0 is still expected");
	TAP_CHECK(t->persists == p0, "rejected frames changed no persistent state");
}

static void
test_sequence_numbers(void)
{
	u8 f[DONGLE_REPORT];
	u32 before;

	th_init(t, NULL);
	t->seq = 5;
	TAP_CHECK(th_cmd(t, DCMD_GET_INFO, NULL, 0) == DST_E_SEQ && t->out[0] == 0,
		  "seq 5 after power-up gets E_SEQ naming 0 as expected");
	TAP_CHECK(th_cmd(t, DCMD_SYNC, NULL, 0) == DST_OK && t->out[0] == 1 &&
		  t->out[1] == 52 && t->out[2] == 0, "SYNC with any seq is accepted (version 1, 52, no session)");
	TAP_CHECK(th_cmd(t, DCMD_GET_INFO, NULL, 0) == DST_OK, "and the next number follows it");
	t->seq = 200;
	TAP_CHECK(th_cmd(t, DCMD_SYNC, NULL, 0) == DST_OK, "SYNC to 200");
	for (int i = 0; i < 300; i++)
		if (th_cmd(t, DCMD_GET_INFO, NULL, 0) != DST_OK)
			break;
	TAP_CHECK(t->seq == (u8)(201 + 300), "300 requests wrap the sequence number past 255");
	TAP_CHECK(th_cmd(t, 0x7E, NULL, 0) == DST_E_CMD, "unknown command 0x7E gets E_CMD");
	TAP_CHECK(th_cmd(t, DCMD_GET_INFO, NULL, 0) == DST_OK, "E_CMD consumed its sequence number");
	TAP_CHECK(th_cmd(t, DCMD_GET_INFO, "x", 1) == DST_E_LENGTH, "GET_INFO with a payload gets E_LENGTH");
	TAP_CHECK(th_cmd(t, DCMD_CLOSE, "x", 1) == DST_E_LENGTH, "CLOSE with a payload gets E_LENGTH");

	/* retransmission: the same counter increment twice counts once */
	th_open(t, DROLE_USER, "12345678");
	th_cmd(t, DCMD_COUNTER_GET, NULL, 0);
	before = th_rd32(t->out);
	dongle_frame(f, DONGLE_MAGIC_REQ, t->seq, DCMD_COUNTER_INC, 0, "\1\0\0\0", 4);
	raw(f, 64);
	u8 first[DONGLE_REPORT];
	memcpy(first, t->resp, 64);
	raw(f, 64);
	TAP_CHECK(memcmp(first, t->resp, 64) == 0, "a repeated request gets the stored response again");
	t->seq++;
	th_cmd(t, DCMD_COUNTER_GET, NULL, 0);
	TAP_CHECK(th_rd32(t->out) == before + 1, "and was executed only once (%u -> %u)", before, th_rd32(t->out));
	f[8] = 2; refill_crc(f);
	TAP_CHECK(raw(f, 64) == DST_E_SEQ, "an old seq with different content gets E_SEQ");
}

/* --- information and sessions -------------------------------------------- */

/* The fixed payload lengths of docs/dongle-protocol.md's command table:
 * one byte more or less is E_LENGTH, even for an admin session, and
 * changes nothing. */
static void
test_fixed_lengths(void)
{
	static const struct { u8 cmd; u8 len; const char *name; } fixed[] = {
		{ DCMD_GET_INFO, 0, "GET_INFO" }, { DCMD_CLOSE, 0, "CLOSE" },
		{ DCMD_ZONE_READ, 4, "ZONE_READ" }, { DCMD_ZONE_INFO, 1, "ZONE_INFO" },
		{ DCMD_ZONE_ACCESS, 3, "ZONE_ACCESS" }, { DCMD_RANDOM, 1, "RANDOM" },
		{ DCMD_SET_KEY, 17, "SET_KEY" }, { DCMD_COUNTER_GET, 0, "COUNTER_GET" },
		{ DCMD_COUNTER_INC, 4, "COUNTER_INC" }, { DCMD_COUNTER_LIMIT, 4, "COUNTER_LIMIT" },
		{ DCMD_ALGO_INFO, 1, "ALGO_INFO" },
	};
	static const u8 ones[DONGLE_MAX_PAYLOAD] = { [0 ... DONGLE_MAX_PAYLOAD - 1] = 1 };
	bool ok = true;

	th_init(t, NULL);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		th_open(t, DROLE_ADMIN, "87654321");
		int saves = t->persists;
		bool longer = th_cmd(t, fixed[i].cmd, ones, fixed[i].len + 1u) == DST_E_LENGTH;
		bool shorter = !fixed[i].len || th_cmd(t, fixed[i].cmd, ones, fixed[i].len - 1u) == DST_E_LENGTH;

		if (!longer || !shorter || t->persists != saves) {
			printf("# %s: %s\n", fixed[i].name, !longer ? "one byte more accepted" :
			       !shorter ? "one byte less accepted" : "state saved");
			ok = false;
		}
	}
	TAP_CHECK(ok, "every fixed-length command refuses one byte more or less with E_LENGTH, saving nothing");
}

static void
test_get_info(void)
{
	th_init(t, "SN-42");
	TAP_CHECK(th_cmd(t, DCMD_GET_INFO, NULL, 0) == DST_OK && t->outlen == 32, "GET_INFO returns 32 bytes");
	TAP_CHECK(th_rd32(t->out) == 1735689600u, "FactoryTime is 2025-01-01 00:00:00 UTC");
	TAP_CHECK(th_rd32(t->out + 4) == 1748736000u, "ShipTime is 2025-06-01 00:00:00 UTC");
	TAP_CHECK((t->out[8] | t->out[9] << 8) == 0x0203, "COSVersion is 2.3");
	TAP_CHECK(t->out[10] == 1 && t->out[11] == 4 && (t->out[12] | t->out[13] << 8) == 256 &&
		  t->out[14] == 8 && t->out[15] == 0, "protocol 1, 4 zones of 256, 8 slots, no session");
	TAP_CHECK(memcmp(t->out + 16, "SN-42\0\0\0\0\0\0\0\0\0\0\0", 16) == 0, "HardSerial is the serial given, NUL padded");
	struct dongle_state st;
	TAP_CHECK(dongle_state_factory(&st, "bad serial") == -22 &&
		  dongle_state_factory(&st, "12345678901234567") == -22 &&
		  dongle_state_factory(&st, "") == -22, "serials with a space, 17 chars or none are refused");
}

static void
test_open_close(void)
{
	th_init(t, NULL);
	TAP_CHECK(th_open(t, DROLE_USER, "12345678") == DST_OK && t->out[0] == 1, "factory user PIN opens a user session");
	th_cmd(t, DCMD_SYNC, NULL, 0);
	TAP_CHECK(t->out[2] == DROLE_USER, "SYNC reports the user session");
	TAP_CHECK(th_cmd(t, DCMD_CLOSE, NULL, 0) == DST_OK, "CLOSE");
	th_cmd(t, DCMD_GET_INFO, NULL, 0);
	TAP_CHECK(t->out[15] == 0, "no session after CLOSE");
	TAP_CHECK(th_cmd(t, DCMD_CLOSE, NULL, 0) == DST_OK, "CLOSE without a session is fine");
	TAP_CHECK(th_open(t, DROLE_ADMIN, "87654321") == DST_OK && t->out[0] == 2, "factory admin PIN opens an admin session");
	TAP_CHECK(th_open(t, 3, "12345678") == DST_E_PARAM, "role 3 gets E_PARAM");
	TAP_CHECK(th_cmd(t, DCMD_OPEN, "\1\0", 2) == DST_E_PARAM, "a 0-byte PIN gets E_PARAM");
	u8 p17[19] = { 1, 17 };
	TAP_CHECK(th_cmd(t, DCMD_OPEN, p17, 19) == DST_E_PARAM, "a 17-byte PIN gets E_PARAM");
	TAP_CHECK(th_cmd(t, DCMD_OPEN, "\1\4abc", 5) == DST_E_LENGTH, "PIN length 4 with 3 bytes gets E_LENGTH");
	TAP_CHECK(th_cmd(t, DCMD_OPEN, "\1", 1) == DST_E_LENGTH, "OPEN with one byte gets E_LENGTH");
	th_cmd(t, DCMD_SYNC, NULL, 0);
	TAP_CHECK(t->out[2] == DROLE_ADMIN, "failed OPENs left the admin session in place");
	TAP_CHECK(th_open(t, DROLE_USER, "1234567") == DST_E_PIN, "a prefix of the PIN is wrong");
	TAP_CHECK(th_open(t, DROLE_USER, "123456789") == DST_E_PIN, "the PIN plus a byte is wrong");
}

static void
test_lockout(void)
{
	struct dongle_state st;
	const char *why;
	int p0;

	th_init(t, NULL);
	p0 = t->persists;
	TAP_CHECK(th_open(t, DROLE_USER, "00000000") == DST_E_PIN && t->out[0] == 4, "wrong user PIN: E_PIN, 4 tries left");
	TAP_CHECK(t->persists == p0 + 1 && dongle_state_decode(&st, t->image, sizeof(t->image), &why) == 0 &&
		  st.user_tries == 4, "the decremented counter was persisted before the answer");
	TAP_CHECK(th_open(t, DROLE_USER, "12345678") == DST_OK && t->d.st.user_tries == 5,
		  "the right PIN resets the counter to 5");
	for (int i = 0; i < 4; i++)
		th_open(t, DROLE_USER, "bad");
	TAP_CHECK(t->out[0] == 1, "after 4 more wrong PINs 1 try is left");
	TAP_CHECK(th_open(t, DROLE_USER, "bad") == DST_E_LOCKED && t->out[0] == 0, "the 5th wrong PIN locks (E_LOCKED, 0)");
	TAP_CHECK(th_open(t, DROLE_USER, "12345678") == DST_E_LOCKED, "a locked PIN refuses even the right PIN");
	th_cmd(t, DCMD_SYNC, NULL, 0);
	TAP_CHECK(t->out[2] == DROLE_USER, "the locked attempts did not end the session opened before");
}

static void
test_lockout_persists_and_admin_clears(void)
{
	struct dongle_state st;
	struct dongle_env env = { .persist = th_persist, .ctx = t };
	const char *why;

	th_init(t, NULL);
	for (int i = 0; i < 5; i++)
		th_open(t, DROLE_USER, "nope");
	TAP_CHECK(dongle_state_decode(&st, t->image, sizeof(t->image), &why) == 0 && st.user_tries == 0,
		  "the persisted image has the user PIN locked");
	dongle_init(&t->d, &st, &env);		/* power cycle from that image */
	t->seq = 0;
	TAP_CHECK(th_open(t, DROLE_USER, "12345678") == DST_E_LOCKED, "still locked after a power cycle");
	TAP_CHECK(th_open(t, DROLE_ADMIN, "87654321") == DST_OK, "admin PIN opens");
	TAP_CHECK(t->d.st.user_tries == 5, "and clears the user lockout");
	TAP_CHECK(dongle_state_decode(&st, t->image, sizeof(t->image), &why) == 0 && st.user_tries == 5,
		  "the cleared counter is persisted");
	TAP_CHECK(th_open(t, DROLE_USER, "12345678") == DST_OK, "user PIN works again");
	for (int i = 0; i < 8; i++)
		th_open(t, DROLE_ADMIN, "wrong");
	TAP_CHECK(t->resp[3] == DST_E_LOCKED && t->d.st.admin_tries == 0, "8 wrong admin PINs lock the admin PIN");
	TAP_CHECK(th_open(t, DROLE_ADMIN, "87654321") == DST_E_LOCKED, "a locked admin PIN refuses the right PIN");
	TAP_CHECK(th_open(t, DROLE_USER, "12345678") == DST_OK, "the user PIN is not affected");
}

static void
test_set_pin(void)
{
	th_init(t, NULL);
	TAP_CHECK(th_cmd(t, DCMD_SET_PIN, "\1\4abcd", 6) == DST_E_ACCESS && t->out[0] == 1,
		  "SET_PIN without a session: E_ACCESS, level 1 needed");
	th_open(t, DROLE_USER, "12345678");
	TAP_CHECK(th_cmd(t, DCMD_SET_PIN, "\2\4abcd", 6) == DST_E_ACCESS && t->out[0] == 2,
		  "a user session may not change the admin PIN");
	TAP_CHECK(th_cmd(t, DCMD_SET_PIN, "\1\4abcd", 6) == DST_OK, "a user session changes the user PIN");
	TAP_CHECK(th_open(t, DROLE_USER, "12345678") == DST_E_PIN, "the old PIN no longer opens");
	TAP_CHECK(th_open(t, DROLE_USER, "abcd") == DST_OK, "the new one does");
	TAP_CHECK(th_cmd(t, DCMD_SET_PIN, "\1\0", 2) == DST_E_PARAM, "an empty PIN is refused");
	TAP_CHECK(th_cmd(t, DCMD_SET_PIN, "\1\5abcd", 6) == DST_E_LENGTH, "length 5 with 4 bytes: E_LENGTH");
	th_open(t, DROLE_ADMIN, "87654321");
	TAP_CHECK(th_cmd(t, DCMD_SET_PIN, "\2\3xyz", 5) == DST_OK && th_open(t, DROLE_ADMIN, "xyz") == DST_OK,
		  "an admin session changes the admin PIN");
}

/* --- zones --------------------------------------------------------------- */

static int
zread(u8 zone, u16 off, u8 n)
{
	u8 p[4] = { zone, (u8)off, (u8)(off >> 8), n };

	return th_cmd(t, DCMD_ZONE_READ, p, 4);
}

static int
zwrite(u8 zone, u16 off, const void *data, u8 n)
{
	u8 p[52] = { zone, (u8)off, (u8)(off >> 8), n };

	memcpy(p + 4, data, n);
	return th_cmd(t, DCMD_ZONE_WRITE, p, 4u + n);
}

static void
test_zones(void)
{
	u8 pattern[48];
	int p0;

	th_init(t, NULL);
	for (int i = 0; i < 48; i++)
		pattern[i] = (u8)(i * 3 + 1);
	TAP_CHECK(zread(0, 0, 48) == DST_OK && t->outlen == 48, "zone 0 is readable without a session");
	TAP_CHECK(zwrite(0, 0, pattern, 4) == DST_E_ACCESS && t->out[0] == 1, "but writing it needs a session");
	TAP_CHECK(zread(1, 0, 1) == DST_E_ACCESS, "zone 1 read needs a session");
	th_open(t, DROLE_USER, "12345678");
	p0 = t->persists;
	TAP_CHECK(zwrite(1, 208, pattern, 48) == DST_OK && t->persists == p0 + 1, "user writes 48 bytes at the end of zone 1, persisted");
	TAP_CHECK(zread(1, 208, 48) == DST_OK && memcmp(t->out, pattern, 48) == 0, "and reads them back");
	TAP_CHECK(zwrite(1, 208, pattern, 48) == DST_OK && t->persists == p0 + 1, "rewriting the same bytes persists nothing");
	TAP_CHECK(zread(1, 209, 48) == DST_E_RANGE, "reading past the zone's end gets E_RANGE");
	TAP_CHECK(zwrite(1, 0xFFFF, pattern, 1) == DST_E_RANGE, "offset 65535 gets E_RANGE");
	TAP_CHECK(zread(4, 0, 1) == DST_E_PARAM, "zone 4 gets E_PARAM");
	TAP_CHECK(zread(0, 0, 0) == DST_E_PARAM, "a 0-byte read gets E_PARAM");
	TAP_CHECK(zread(0, 0, 49) == DST_E_PARAM, "a 49-byte read gets E_PARAM");
	TAP_CHECK(th_cmd(t, DCMD_ZONE_READ, "\0\0", 2) == DST_E_LENGTH, "a short ZONE_READ gets E_LENGTH");
	TAP_CHECK(th_cmd(t, DCMD_ZONE_WRITE, "\1\0\0\4ab", 6) == DST_E_LENGTH, "ZONE_WRITE n=4 with 2 bytes: E_LENGTH");
	TAP_CHECK(zwrite(2, 0, pattern, 4) == DST_E_ACCESS && t->out[0] == 2, "zone 2 write needs admin");
	TAP_CHECK(zread(3, 0, 4) == DST_E_ACCESS, "zone 3 read needs admin");
	th_open(t, DROLE_ADMIN, "87654321");
	TAP_CHECK(zwrite(2, 0, pattern, 4) == DST_OK && zread(3, 0, 4) == DST_OK, "admin writes zone 2 and reads zone 3");

	TAP_CHECK(th_cmd(t, DCMD_ZONE_INFO, "\2", 1) == DST_OK && t->out[0] == 1 && t->out[1] == 2 &&
		  t->out[2] == 0 && t->out[3] == 1, "ZONE_INFO zone 2: read 1, write 2, size 256");
	TAP_CHECK(th_cmd(t, DCMD_ZONE_INFO, "\4", 1) == DST_E_PARAM, "ZONE_INFO zone 4: E_PARAM");
	TAP_CHECK(th_cmd(t, DCMD_ZONE_ACCESS, "\0\3\3", 3) == DST_OK, "admin makes zone 0 nobody's");
	TAP_CHECK(zread(0, 0, 1) == DST_E_ACCESS && t->out[0] == 3, "then even admin may not read it");
	TAP_CHECK(th_cmd(t, DCMD_ZONE_ACCESS, "\0\4\0", 3) == DST_E_PARAM, "level 4 gets E_PARAM");
	TAP_CHECK(th_cmd(t, DCMD_ZONE_ACCESS, "\0\0\1", 3) == DST_OK && zread(0, 0, 1) == DST_OK, "restored");
	th_open(t, DROLE_USER, "12345678");
	TAP_CHECK(th_cmd(t, DCMD_ZONE_ACCESS, "\0\0\0", 3) == DST_E_ACCESS, "a user may not change levels");
}

/* --- random, keyed hash, counter ------------------------------------------ */

static void
test_random(void)
{
	u8 a[52], b[52];
	int zeros = 0;

	th_init(t, NULL);
	TAP_CHECK(th_cmd(t, DCMD_RANDOM, "\64", 1) == DST_OK && t->outlen == 52, "RANDOM 52 gives 52 bytes");
	memcpy(a, t->out, 52);
	th_cmd(t, DCMD_RANDOM, "\64", 1);
	memcpy(b, t->out, 52);
	TAP_CHECK(memcmp(a, b, 52) != 0, "two draws differ");
	for (int i = 0; i < 52; i++)
		zeros += a[i] == 0;
	TAP_CHECK(zeros < 6, "a draw is not mostly zeros (%d)", zeros);
	TAP_CHECK(th_cmd(t, DCMD_RANDOM, "\0", 1) == DST_E_PARAM, "RANDOM 0 gets E_PARAM");
	TAP_CHECK(th_cmd(t, DCMD_RANDOM, "\65", 1) == DST_E_PARAM, "RANDOM 53 gets E_PARAM");
	TAP_CHECK(th_cmd(t, DCMD_RANDOM, NULL, 0) == DST_E_LENGTH, "RANDOM without a count gets E_LENGTH");
}

static void
test_hmac(void)
{
	u8 key[32], want[32], p[52] = { 1, 5, 'h', 'e', 'l', 'l', 'o' };
	struct sha256 s;

	th_init(t, "KEYTEST");
	TAP_CHECK(th_cmd(t, DCMD_HMAC, p, 7) == DST_E_ACCESS, "HMAC needs a session");
	th_open(t, DROLE_USER, "12345678");
	TAP_CHECK(th_cmd(t, DCMD_HMAC, p, 7) == DST_OK && t->outlen == 32, "HMAC gives 32 bytes");
	sha256_init(&s);
	sha256_update(&s, "blobvisor dongle key\1KEYTEST", 28);
	sha256_final(&s, key);
	hmac_sha256(key, 32, "hello", 5, want);
	TAP_CHECK(memcmp(t->out, want, 32) == 0, "it is HMAC-SHA-256 under the documented factory key of slot 1");
	TAP_CHECK(th_cmd(t, DCMD_HMAC, "\4\0", 2) == DST_E_PARAM, "slot 4 gets E_PARAM");
	u8 p51[53] = { 0, 51 };
	TAP_CHECK(th_cmd(t, DCMD_HMAC, p51, 52) == DST_E_LENGTH, "n=51 in 52 bytes: E_LENGTH");
	u8 k[33] = { 2 };
	memset(k + 1, 0x0b, 32);
	TAP_CHECK(th_cmd(t, DCMD_SET_KEY, k, 33) == DST_E_ACCESS, "a user may not set keys");
	th_open(t, DROLE_ADMIN, "87654321");
	TAP_CHECK(th_cmd(t, DCMD_SET_KEY, k, 33) == DST_OK, "admin sets key 2");
	TAP_CHECK(th_cmd(t, DCMD_SET_KEY, k, 32) == DST_E_LENGTH, "SET_KEY with 31 key bytes: E_LENGTH");
	k[0] = 4;
	TAP_CHECK(th_cmd(t, DCMD_SET_KEY, k, 33) == DST_E_PARAM, "SET_KEY slot 4: E_PARAM");
	u8 q[10] = { 2, 8, 'H', 'i', ' ', 'T', 'h', 'e', 'r', 'e' };
	th_cmd(t, DCMD_HMAC, q, 10);
	hmac_sha256(k + 1, 32, "Hi There", 8, want);
	TAP_CHECK(memcmp(t->out, want, 32) == 0, "HMAC then uses the new key");
	TAP_CHECK(th_cmd(t, DCMD_HMAC, "\0\0", 2) == DST_OK, "an empty message is fine");
}

static u32
inc(u32 amount)
{
	u8 p[4] = { (u8)amount, (u8)(amount >> 8), (u8)(amount >> 16), (u8)(amount >> 24) };

	return (u32)th_cmd(t, DCMD_COUNTER_INC, p, 4);
}

static void
test_counter(void)
{
	th_init(t, NULL);
	TAP_CHECK(th_cmd(t, DCMD_COUNTER_GET, NULL, 0) == DST_OK && th_rd32(t->out) == 0 &&
		  th_rd32(t->out + 4) == 0xFFFFFFFF, "factory counter 0, limit 0xFFFFFFFF");
	TAP_CHECK(inc(1) == DST_E_ACCESS, "incrementing needs a session");
	th_open(t, DROLE_USER, "12345678");
	TAP_CHECK(inc(1) == DST_OK && th_rd32(t->out) == 1, "increment by 1 gives 1");
	TAP_CHECK(inc(0) == DST_E_PARAM, "increment by 0 gets E_PARAM");
	TAP_CHECK(th_cmd(t, DCMD_COUNTER_LIMIT, "\5\0\0\0", 4) == DST_E_ACCESS, "a user may not set the limit");
	th_open(t, DROLE_ADMIN, "87654321");
	TAP_CHECK(th_cmd(t, DCMD_COUNTER_LIMIT, "\5\0\0\0", 4) == DST_OK && th_rd32(t->out + 4) == 5, "admin sets limit 5");
	TAP_CHECK(inc(5) == DST_E_LIMIT && th_rd32(t->out) == 1 && th_rd32(t->out + 4) == 5,
		  "1 + 5 > 5: E_LIMIT with value and limit, nothing changed");
	TAP_CHECK(inc(4) == DST_OK && th_rd32(t->out) == 5, "1 + 4 reaches the limit exactly");
	TAP_CHECK(inc(0xFFFFFFFF) == DST_E_LIMIT, "a huge increment cannot wrap past the limit");
	TAP_CHECK(th_cmd(t, DCMD_COUNTER_LIMIT, "\4\0\0\0", 4) == DST_E_PARAM, "a limit below the value gets E_PARAM");
	TAP_CHECK(th_cmd(t, DCMD_COUNTER_LIMIT, "\377\377\377\377", 4) == DST_OK, "the limit can be raised");
	TAP_CHECK(th_cmd(t, DCMD_COUNTER_INC, "\1\0", 2) == DST_E_LENGTH, "a 2-byte amount gets E_LENGTH");
}

/* --- algorithms ---------------------------------------------------------- */

static const u8 sample_algo[] = {
	0x01, 2, 3, 0,		/* LDI r2, 3 */
	0x12, 0, 0, 2,		/* MUL r0, r0, r2 */
	0x10, 0, 0, 1,		/* ADD r0, r0, r1 */
	0x01, 3, 0x5A, 0x5A,	/* LDI r3, 0x5A5A */
	0x17, 0, 0, 3,		/* XOR r0, r0, r3 */
	0x00, 0, 0, 0,		/* HALT */
};

static int
algo_write(u8 slot, u8 off, const u8 *code, u8 n)
{
	u8 p[52] = { slot, off, n };

	memcpy(p + 3, code, n);
	return th_cmd(t, DCMD_ALGO_WRITE, p, 3u + n);
}

static int
algo_run(u8 slot, const u32 *in, int k)
{
	u8 p[1 + 4 * 9] = { slot };

	for (int i = 0; i < k; i++)
		for (int b = 0; b < 4; b++)
			p[1 + 4 * i + b] = (u8)(in[i] >> (8 * b));
	return th_cmd(t, DCMD_ALGO_RUN, p, 1u + 4u * (unsigned)k);
}

static void
test_algorithms(void)
{
	u32 in[9] = { 10, 20 };
	u8 big[48] = { 0 };

	th_init(t, NULL);
	TAP_CHECK(algo_write(0, 0, sample_algo, sizeof(sample_algo)) == DST_E_ACCESS, "storing needs admin");
	th_open(t, DROLE_USER, "12345678");
	TAP_CHECK(algo_run(0, in, 2) == DST_E_EMPTY, "running an empty slot gets E_EMPTY");
	th_open(t, DROLE_ADMIN, "87654321");
	TAP_CHECK(algo_write(0, 0, sample_algo, 12) == DST_OK && t->out[0] == 12, "first chunk (12 bytes)");
	TAP_CHECK(algo_write(0, 16, sample_algo + 12, 12) == DST_E_RANGE, "a gap gets E_RANGE");
	TAP_CHECK(algo_write(0, 12, sample_algo + 12, 12) == DST_OK && t->out[0] == 24, "appended to 24 bytes");
	TAP_CHECK(th_cmd(t, DCMD_ALGO_INFO, "\0", 1) == DST_OK && t->out[0] == 24 &&
		  th_rd32(t->out + 1) == dongle_crc32(sample_algo, 24), "ALGO_INFO: length and CRC-32 of the code");
	th_open(t, DROLE_USER, "12345678");
	TAP_CHECK(algo_run(0, in, 2) == DST_OK && t->outlen == 36, "ALGO_RUN returns steps and 8 registers");
	TAP_CHECK(th_rd32(t->out + 4) == ((10u * 3 + 20) ^ 0x5A5A) && th_rd32(t->out) == 6,
		  "r0 = (10*3 + 20) ^ 0x5A5A in 6 steps");
	TAP_CHECK(th_rd32(t->out + 8) == 20 && th_rd32(t->out + 12) == 3 && th_rd32(t->out + 16) == 0x5A5A &&
		  th_rd32(t->out + 20) == 0, "r1..r4 as the program left them");
	TAP_CHECK(algo_run(0, in, 9) == DST_E_LENGTH, "9 inputs get E_LENGTH");
	TAP_CHECK(th_cmd(t, DCMD_ALGO_RUN, "\0\1\2", 3) == DST_E_LENGTH, "a partial input word gets E_LENGTH");
	TAP_CHECK(algo_run(8, in, 0) == DST_E_PARAM, "slot 8 gets E_PARAM");
	th_cmd(t, DCMD_CLOSE, NULL, 0);
	TAP_CHECK(algo_run(0, in, 2) == DST_E_ACCESS, "running needs a session");
	th_open(t, DROLE_ADMIN, "87654321");
	TAP_CHECK(algo_write(1, 0, big, 48) == DST_OK && algo_write(1, 48, big, 48) == DST_OK &&
		  algo_write(1, 96, big, 32) == DST_OK && t->out[0] == 128, "a slot holds 128 bytes");
	TAP_CHECK(algo_write(1, 128, big, 4) == DST_E_RANGE, "byte 129 gets E_RANGE");
	u8 p49[52] = { 1, 0, 49 };
	TAP_CHECK(th_cmd(t, DCMD_ALGO_WRITE, p49, 52) == DST_E_PARAM, "a 49-byte chunk gets E_PARAM");
	TAP_CHECK(algo_write(9, 0, big, 4) == DST_E_PARAM, "slot 9 gets E_PARAM");
	TAP_CHECK(algo_write(1, 0, big, 0) == DST_OK && t->out[0] == 0, "offset 0 with no bytes empties a slot");

	/* a program that faults reports where, through the protocol */
	static const u8 loop[] = { 0x40, 0, 0xFF, 0xFF };	/* JMP -1 */
	algo_write(2, 0, loop, 4);
	TAP_CHECK(algo_run(2, in, 0) == DST_E_VM_STEPS && th_rd32(t->out) == 0 && th_rd32(t->out + 4) == 4095,
		  "an endless loop stops with E_VM_STEPS at pc 0 after 4095 steps");
	static const u8 div0[] = { 0x13, 0, 1, 2, 0, 0, 0, 0 };
	algo_write(3, 0, div0, 8);
	TAP_CHECK(algo_run(3, in, 2) == DST_E_VM_DIV && th_rd32(t->out) == 0, "DIVU by r2=0 gets E_VM_DIV at pc 0");
}

/* --- the VM directly -------------------------------------------------------- */

static int
vm(const u8 *code, size_t len, u32 *r, u32 *pc, u32 *steps)
{
	return dongle_vm_run(code, len, r, pc, steps);
}

static void
test_vm_every_instruction(void)
{
	/* r0=a, r1=b in; results in memory words 0.. then loaded back */
	static const u8 prog[] = {
		0x10, 2, 0, 1,  0x31, 2, 7, 0,		/* ADD  -> mem[0] */
		0x11, 2, 0, 1,  0x31, 2, 7, 1,		/* SUB  -> mem[1] */
		0x12, 2, 0, 1,  0x31, 2, 7, 2,		/* MUL */
		0x13, 2, 0, 1,  0x31, 2, 7, 3,		/* DIVU */
		0x14, 2, 0, 1,  0x31, 2, 7, 4,		/* MODU */
		0x15, 2, 0, 1,  0x31, 2, 7, 5,		/* AND */
		0x16, 2, 0, 1,  0x31, 2, 7, 6,		/* OR */
		0x17, 2, 0, 1,  0x31, 2, 7, 7,		/* XOR */
		0x18, 2, 0, 1,  0x31, 2, 7, 8,		/* SHL */
		0x19, 2, 0, 1,  0x31, 2, 7, 9,		/* SHR */
		0x1A, 2, 0, 1,  0x31, 2, 7, 10,		/* ROL */
		0x1B, 2, 0, 1,  0x31, 2, 7, 11,		/* SLTU */
		0x1C, 2, 0, 1,  0x31, 2, 7, 12,		/* SEQ */
		0x20, 2, 0, 0xFD, 0x31, 2, 7, 13,	/* ADDI -3 */
		0x03, 2, 1, 0,  0x31, 2, 7, 14,		/* MOV */
		0x01, 2, 0x34, 0x12, 0x02, 2, 0x78, 0x56, 0x31, 2, 7, 15,	/* LDI, LUI */
		0x30, 3, 7, 0,				/* LD r3 = mem[0] */
		0x00, 0, 0, 0,
	};
	/* the VM keeps memory private, so each result is re-run up to its store
	 * and read from r2 instead: run prefixes */
	static const u32 pairs[][2] = { { 100, 7 }, { 0xFFFFFFF0u, 35 }, { 5, 5 }, { 3, 0x80000001u } };
	int good = 0, total = 0;

	for (size_t pi = 0; pi < ARRAY_SIZE(pairs); pi++) {
		u32 a = pairs[pi][0], b = pairs[pi][1];
		u32 want[16] = {
			a + b, a - b, a * b, a / b, a % b, a & b, a | b, a ^ b,
			a << (b & 31), a >> (b & 31),
			(b & 31) ? (a << (b & 31)) | (a >> (32 - (b & 31))) : a,
			a < b, a == b, a - 3, b, 0x56781234,
		};
		for (int k = 0; k < 16; k++) {
			u8 code[sizeof(prog)];
			size_t n = (size_t)(k < 15 ? 8 * (k + 1) : 8 * 15 + 12);
			u32 r[8] = { a, b }, pc, steps;

			memcpy(code, prog, n);
			memset(code + n, 0, 4);		/* HALT after the store */
			total++;
			if (vm(code, n + 4, r, &pc, &steps) == DST_OK && r[2] == want[k])
				good++;
			else
				printf("# op %d with a=%#x b=%#x gave %#x, want %#x\n", k, a, b, r[2], want[k]);
		}
	}
	TAP_CHECK(good == total, "every arithmetic instruction matches C on 4 operand pairs (%d/%d)", good, total);
	u32 r[8] = { 9, 4 }, pc, steps;
	TAP_CHECK(vm(prog, sizeof(prog), r, &pc, &steps) == DST_OK && r[3] == 13 && steps == 35,
		  "the whole program runs, LD sees what ST wrote (r3=%u, %u steps)", r[3], steps);
}

static void
test_vm_loop_and_jumps(void)
{
	/* sum 1..r0 */
	static const u8 sum[] = {
		0x01, 1, 0, 0,		/* LDI r1, 0 */
		0x41, 0, 3, 0,		/* JZ r0, +3 -> HALT */
		0x10, 1, 1, 0,		/* ADD r1, r1, r0 */
		0x20, 0, 0, 0xFF,	/* ADDI r0, r0, -1 */
		0x40, 0, 0xFC, 0xFF,	/* JMP -4 -> JZ */
		0x00, 0, 0, 0,
	};
	u32 r[8] = { 100 }, pc, steps;

	TAP_CHECK(vm(sum, sizeof(sum), r, &pc, &steps) == DST_OK && r[1] == 5050,
		  "a loop sums 1..100 = %u", r[1]);
	TAP_CHECK(steps == 1 + 100 * 4 + 1 + 1, "in 1 + 400 + 1 + HALT steps (%u)", steps);
	memset(r, 0, sizeof(r));
	r[0] = 2000;
	TAP_CHECK(vm(sum, sizeof(sum), r, &pc, &steps) == DST_E_VM_STEPS && steps == 4095,
		  "summing 1..2000 exceeds the step limit");
	static const u8 jnz[] = { 0x42, 0, 1, 0, 0x01, 5, 1, 0, 0, 0, 0, 0 };
	memset(r, 0, sizeof(r));
	r[0] = 1;
	TAP_CHECK(vm(jnz, sizeof(jnz), r, &pc, &steps) == DST_OK && r[5] == 0, "JNZ taken skips an instruction");
	r[0] = 0;
	TAP_CHECK(vm(jnz, sizeof(jnz), r, &pc, &steps) == DST_OK && r[5] == 1, "JNZ not taken falls through");
}

static void
test_vm_rejects(void)
{
	u32 r[8], pc, steps;
	struct { const char *what; u8 code[12]; size_t len; int want; u32 pc; } cases[] = {
		{ "unknown opcode 0x7F", { 0x7F, 0, 0, 0 }, 4, DST_E_VM_INSN, 0 },
		{ "register 8", { 0x10, 8, 0, 0, 0, 0, 0, 0 }, 8, DST_E_VM_INSN, 0 },
		{ "register 255 as source", { 0x03, 0, 255, 0, 0, 0, 0, 0 }, 8, DST_E_VM_INSN, 0 },
		{ "a non-zero unused operand", { 0x03, 0, 1, 1, 0, 0, 0, 0 }, 8, DST_E_VM_INSN, 0 },
		{ "HALT with operands", { 0, 1, 0, 0 }, 4, DST_E_VM_INSN, 0 },
		{ "LD index 64", { 0x01, 1, 64, 0, 0x30, 0, 1, 0, 0, 0, 0, 0 }, 12, DST_E_VM_MEM, 4 },
		{ "ST index 0 + 200", { 0x31, 0, 1, 200, 0, 0, 0, 0 }, 8, DST_E_VM_MEM, 0 },
		{ "MODU by zero", { 0x14, 0, 0, 1, 0, 0, 0, 0 }, 8, DST_E_VM_DIV, 0 },
		{ "JMP before the start", { 0x40, 0, 0xFD, 0xFF, 0, 0, 0, 0 }, 8, DST_E_VM_PC, 0 },
		{ "JMP past the end", { 0x40, 0, 1, 0, 0, 0, 0, 0 }, 8, DST_E_VM_PC, 0 },
		{ "falling off the end", { 0x01, 0, 1, 0 }, 4, DST_E_VM_PC, 4 },
		{ "a torn instruction", { 0, 0, 0, 0, 0 }, 5, DST_E_VM_PC, 0 },
		{ "no code at all", { 0 }, 0, DST_E_VM_PC, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int st;

		memset(r, 0, sizeof(r));
		st = vm(cases[i].code, cases[i].len, r, &pc, &steps);
		TAP_CHECK(st == cases[i].want && pc == cases[i].pc, "VM rejects %s: %s at pc %u",
			  cases[i].what, dongle_status_name(st), pc);
	}
	memset(r, 0, sizeof(r));
	r[1] = 0xFFFFFFFF;
	static const u8 wrap[] = { 0x31, 1, 1, 1, 0x30, 2, 1, 1, 0, 0, 0, 0 };	/* ST/LD [r1+1] */
	TAP_CHECK(vm(wrap, sizeof(wrap), r, &pc, &steps) == DST_OK && r[2] == 0xFFFFFFFF,
		  "index 0xFFFFFFFF + 1 wraps to word 0 in 32 bits");
}

/* --- persistence ------------------------------------------------------------ */

static void
test_storage_failure_rolls_back(void)
{
	u8 data[4] = { 1, 2, 3, 4 };

	th_init(t, NULL);
	th_open(t, DROLE_USER, "12345678");
	t->fail_persist = true;
	TAP_CHECK(zwrite(1, 0, data, 4) == DST_E_STORAGE, "a write that cannot be persisted gets E_STORAGE");
	t->fail_persist = false;
	TAP_CHECK(zread(1, 0, 4) == DST_OK && memcmp(t->out, "\0\0\0\0", 4) == 0, "and the zone is unchanged");
	t->fail_persist = true;
	TAP_CHECK(th_open(t, DROLE_USER, "wrong") == DST_E_STORAGE && t->d.st.user_tries == 5,
		  "a wrong PIN whose count cannot be persisted gets E_STORAGE, counter unchanged");
	t->fail_persist = false;
	th_open(t, DROLE_USER, "wrong");
	th_cmd(t, DCMD_CLOSE, NULL, 0);
	t->fail_persist = true;
	TAP_CHECK(th_open(t, DROLE_USER, "12345678") == DST_E_STORAGE, "a counter reset that cannot persist: E_STORAGE");
	t->fail_persist = false;
	th_cmd(t, DCMD_SYNC, NULL, 0);
	TAP_CHECK(t->out[2] == DROLE_NONE && t->d.st.user_tries == 4, "and no session was opened");
}

static void
test_image_follows_every_change(void)
{
	u8 now[DONGLE_STATE_SIZE];
	static const u8 code[] = { 0, 0, 0, 0 };
	u8 k[33] = { 0 };
	bool all = true;

	th_init(t, NULL);
	th_open(t, DROLE_ADMIN, "87654321");
	zwrite(3, 10, "abc", 3);
	dongle_state_encode(&t->d.st, now);
	all &= memcmp(now, t->image, sizeof(now)) == 0;
	th_cmd(t, DCMD_SET_KEY, k, 33);
	dongle_state_encode(&t->d.st, now);
	all &= memcmp(now, t->image, sizeof(now)) == 0;
	algo_write(5, 0, code, 4);
	dongle_state_encode(&t->d.st, now);
	all &= memcmp(now, t->image, sizeof(now)) == 0;
	inc(3);
	dongle_state_encode(&t->d.st, now);
	all &= memcmp(now, t->image, sizeof(now)) == 0;
	th_cmd(t, DCMD_ZONE_ACCESS, "\1\2\2", 3);
	dongle_state_encode(&t->d.st, now);
	all &= memcmp(now, t->image, sizeof(now)) == 0;
	TAP_CHECK(all, "after each changing command the persisted image equals the live state");
}

static void
test_state_codec(void)
{
	struct dongle_state a, b;
	u8 img[DONGLE_STATE_SIZE], bad[DONGLE_STATE_SIZE];
	const char *why = "";

	dongle_state_factory(&a, "ROUNDTRIP-1");
	a.zones[2].data[255] = 0x77;
	a.algos[7].len = 128;
	a.counter = 99;
	dongle_state_encode(&a, img);
	TAP_CHECK(DONGLE_STATE_SIZE == 2282, "the state file is 2282 bytes");
	TAP_CHECK(dongle_state_decode(&b, img, sizeof(img), &why) == 0 && memcmp(&a, &b, sizeof(a)) == 0,
		  "encode then decode gives the same state");
	TAP_CHECK(dongle_state_decode(&b, img, sizeof(img) - 1, &why) != 0 && strstr(why, "size"),
		  "a truncated file is refused: %s", why);
	memcpy(bad, img, sizeof(bad));
	bad[0] = 'X';
	TAP_CHECK(dongle_state_decode(&b, bad, sizeof(bad), &why) != 0 && strstr(why, "magic"),
		  "bad magic is refused: %s", why);
	memcpy(bad, img, sizeof(bad));
	bad[8] = 2;
	TAP_CHECK(dongle_state_decode(&b, bad, sizeof(bad), &why) != 0 && strstr(why, "version"),
		  "version 2 is refused: %s", why);
	memcpy(bad, img, sizeof(bad));
	bad[100] ^= 0x10;
	TAP_CHECK(dongle_state_decode(&b, bad, sizeof(bad), &why) != 0 && strstr(why, "CRC"),
		  "a flipped bit is refused: %s", why);
	/* valid CRC but impossible contents */
	a.user_tries = 9;
	dongle_state_encode(&a, bad);
	TAP_CHECK(dongle_state_decode(&b, bad, sizeof(bad), &why) != 0 && strstr(why, "retry"),
		  "9 user tries are refused: %s", why);
	a.user_tries = 5;
	a.zones[1].write_level = 4;
	dongle_state_encode(&a, bad);
	TAP_CHECK(dongle_state_decode(&b, bad, sizeof(bad), &why) != 0 && strstr(why, "level"),
		  "access level 4 is refused: %s", why);
	a.zones[1].write_level = 1;
	a.algos[0].len = 129;
	dongle_state_encode(&a, bad);
	TAP_CHECK(dongle_state_decode(&b, bad, sizeof(bad), &why) != 0 && strstr(why, "algorithm"),
		  "a 129-byte algorithm is refused: %s", why);
	a.algos[0].len = 0;
	a.counter = 10;
	a.counter_limit = 9;
	dongle_state_encode(&a, bad);
	TAP_CHECK(dongle_state_decode(&b, bad, sizeof(bad), &why) != 0 && strstr(why, "counter"),
		  "a counter above its limit is refused: %s", why);
}

/* Random reports, some with good CRCs: the device answers each with a well
 * formed response and its state stays decodable. */
static void
test_garbage_never_corrupts(void)
{
	u8 f[DONGLE_REPORT], img[DONGLE_STATE_SIZE];
	struct dongle_state st;
	const char *why;
	int bad_resp = 0, bad_state = 0;

	th_init(t, NULL);
	srand(1234);
	for (int i = 0; i < 200000; i++) {
		size_t len = (i % 17) ? 64 : (size_t)(rand() % 70);
		for (int j = 0; j < 64; j++)
			f[j] = (u8)rand();
		if (i % 2) {		/* make it pass the outer checks */
			static const u8 cmds[] = { 1, 2, 3, 4, 5, 0x10, 0x11, 0x12, 0x13, 0x20, 0x21,
						   0x22, 0x30, 0x31, 0x32, 0x40, 0x41, 0x42, 0x99 };
			u8 n = (u8)(rand() % 53);
			dongle_frame(f, DONGLE_MAGIC_REQ, t->d.expect_seq, cmds[rand() % ARRAY_SIZE(cmds)], 0, NULL, 0);
			f[4] = n;
			for (int j = 0; j < n; j++)
				f[8 + j] = (u8)(rand() % 4 ? rand() % 10 : rand());
			refill_crc(f);
		}
		if (i % 1000 == 0)
			th_open(t, (u8)(1 + i % 2), i % 2 ? "87654321" : "12345678");
		dongle_process(&t->d, f, len, t->resp);
		bad_resp += dongle_frame_check_response(t->resp) != 0;
		if (i % 1000 == 999) {
			dongle_state_encode(&t->d.st, img);
			bad_state += dongle_state_decode(&st, img, sizeof(img), &why) != 0;
		}
	}
	TAP_CHECK(bad_resp == 0, "200000 random reports each got a well-formed response (%d bad)", bad_resp);
	TAP_CHECK(bad_state == 0, "and the state stayed valid throughout (%d bad)", bad_state);
	TAP_CHECK(t->d.commands >= 200000, "every one was processed");
}

int
main(void)
{
	test_frame_errors();
	test_sequence_numbers();
	test_get_info();
	test_fixed_lengths();
	test_open_close();
	test_lockout();
	test_lockout_persists_and_admin_clears();
	test_set_pin();
	test_zones();
	test_random();
	test_hmac();
	test_counter();
	test_algorithms();
	test_vm_every_instruction();
	test_vm_loop_and_jumps();
	test_vm_rejects();
	test_storage_failure_rolls_back();
	test_image_follows_every_change();
	test_state_codec();
	test_garbage_never_corrupts();
	return tap_done();
}
