/* The card's persistent state (docs/ccid.md section 5): what a real card
 * keeps in EEPROM, and the state file's byte layout, field by field. */
#include <core/errno.h>
#include <core/string.h>
#include <ccid/ccid.h>
#include <dongle/sha256.h>	/* dongle_crc32: CRC-32 (IEEE) */

static bool
serial_valid(const char *s, size_t max)
{
	size_t n = 0;

	for (; n < max && s[n]; n++) {
		char c = s[n];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		      (c >= 'a' && c <= 'z') || c == '-'))
			return false;
	}
	return n > 0 && (n < max || !s[n]);
}

int
ccid_state_factory(struct ccid_card_state *st, const char *serial)
{
	if (!serial)
		serial = CCID_DEFAULT_SERIAL;
	if (strlen(serial) > CCID_SERIAL_MAX || !serial_valid(serial, CCID_SERIAL_MAX))
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	st->pin_len = sizeof(CCID_DEFAULT_PIN) - 1;
	memcpy(st->pin, CCID_DEFAULT_PIN, st->pin_len);
	st->tries = st->tries_max = CCID_DEFAULT_TRIES;
	strcpy(st->serial, serial);
	return 0;
}

static void
wr32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static u32
rd32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

void
ccid_state_encode(const struct ccid_card_state *st, u8 buf[CCID_STATE_SIZE])
{
	u8 *p = buf;

	memset(buf, 0, CCID_STATE_SIZE);
	memcpy(p, CCID_STATE_MAGIC, 8);
	p += 8;
	wr32(p, CCID_STATE_VERSION);
	p += 4;
	*p++ = st->pin_len;
	memcpy(p, st->pin, CCID_PIN_MAX);
	p += CCID_PIN_MAX;
	*p++ = st->tries;
	*p++ = st->tries_max;
	memcpy(p, st->serial, strnlen(st->serial, CCID_SERIAL_MAX));
	p += CCID_SERIAL_MAX;
	wr32(p, dongle_crc32(buf, (size_t)(p - buf)));
}

int
ccid_state_decode(struct ccid_card_state *st, const u8 *buf, size_t len, const char **why)
{
	const u8 *p = buf;

	if (len != CCID_STATE_SIZE) {
		*why = len < CCID_STATE_SIZE ? "too short for a card state (43 bytes)" :
					       "longer than a card state (43 bytes)";
		return -EINVAL;
	}
	if (memcmp(p, CCID_STATE_MAGIC, 8) != 0) {
		*why = "bad magic (not a card state file)";
		return -EINVAL;
	}
	if (rd32(buf + CCID_STATE_SIZE - 4) != dongle_crc32(buf, CCID_STATE_SIZE - 4)) {
		*why = "CRC mismatch";
		return -EINVAL;
	}
	p += 8;
	if (rd32(p) != CCID_STATE_VERSION) {
		*why = "unknown version";
		return -EINVAL;
	}
	p += 4;
	memset(st, 0, sizeof(*st));
	st->pin_len = *p++;
	memcpy(st->pin, p, CCID_PIN_MAX);
	p += CCID_PIN_MAX;
	st->tries = *p++;
	st->tries_max = *p++;
	memcpy(st->serial, p, CCID_SERIAL_MAX);
	if (st->pin_len < 1 || st->pin_len > CCID_PIN_MAX) {
		*why = "PIN length not 1..8";
		return -EINVAL;
	}
	if (st->tries_max < 1 || st->tries_max > 15 || st->tries > st->tries_max) {
		*why = "try counter not within 0..maximum, maximum 1..15";
		return -EINVAL;
	}
	if (!serial_valid(st->serial, CCID_SERIAL_MAX)) {
		*why = "serial not 1..16 characters of 0-9 A-Z a-z -";
		return -EINVAL;
	}
	return 0;
}
