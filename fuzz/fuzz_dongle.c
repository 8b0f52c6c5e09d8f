/* libFuzzer: the dongle's protocol input.  The input is a sequence of
 * records: one control byte, then up to 64 report bytes.  Control bits:
 * bits 0-6 the report length (clamped to 64; 65+ means 64), bit 7 "repair":
 * fill in magic, the expected sequence number and a correct CRC so the
 * fuzzer reaches the commands.  Every response must be well formed, the
 * state must stay decodable, and the persisted image must equal the live
 * state whenever a command succeeded. */
#include <stdint.h>
#include <string.h>
#include <dongle/dongle.h>
#include <dongle/sha256.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dongle D;
static u8 image[DONGLE_STATE_SIZE];
static int persist_fail_every;
static unsigned persist_calls;

static int
persist(void *ctx, const u8 *img, size_t len)
{
	if (persist_fail_every && ++persist_calls % (unsigned)persist_fail_every == 0)
		return -5;
	memcpy(image, img, len);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dongle_state st;
	struct dongle_env env = { .persist = persist };
	u8 resp[DONGLE_REPORT], now[DONGLE_STATE_SIZE];
	const char *why;

	dongle_state_factory(&st, NULL);
	dongle_init(&D, &st, &env);
	dongle_state_encode(&D.st, image);
	persist_fail_every = size ? data[0] % 5 : 0;
	persist_calls = 0;
	if (size)
		data++, size--;
	while (size) {
		u8 ctl = *data++;
		u8 f[DONGLE_REPORT] = { 0 };
		size_t len = ctl & 0x7F, take;

		size--;
		if (len > DONGLE_REPORT)
			len = DONGLE_REPORT;
		take = MIN(len, size);
		memcpy(f, data, take);
		data += take;
		size -= take;
		if (ctl & 0x80) {
			u32 c;

			len = DONGLE_REPORT;
			f[0] = DONGLE_MAGIC_REQ;
			f[1] = D.expect_seq;
			f[3] = f[5] = f[6] = f[7] = 0;
			if (f[4] > DONGLE_MAX_PAYLOAD)
				f[4] %= DONGLE_MAX_PAYLOAD + 1;
			memset(f + 8 + f[4], 0, DONGLE_MAX_PAYLOAD - f[4]);
			c = dongle_crc32(f, 60);
			f[60] = (u8)c; f[61] = (u8)(c >> 8); f[62] = (u8)(c >> 16); f[63] = (u8)(c >> 24);
		}
		dongle_process(&D, f, len, resp);
		if (dongle_frame_check_response(resp) != 0)
			__builtin_trap();
		if (resp[3] == DST_OK) {
			dongle_state_encode(&D.st, now);
			if (memcmp(now, image, sizeof(now)) != 0)
				__builtin_trap();	/* acknowledged but not persisted */
		}
	}
	dongle_state_encode(&D.st, now);
	if (dongle_state_decode(&st, now, sizeof(now), &why) != 0)
		__builtin_trap();
	return 0;
}
