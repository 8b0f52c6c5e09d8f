/* The dongle's persistent state: factory contents and the state file's
 * byte layout (docs/dongle-protocol.md section 6), little endian, field by
 * field, so the file does not depend on the compiler's struct layout. */
#include <core/errno.h>
#include <core/string.h>
#include <dongle/dongle.h>
#include <dongle/sha256.h>

#define FACTORY_TIME	1735689600u	/* 2025-01-01 00:00:00 UTC */
#define SHIP_TIME	1748736000u	/* 2025-06-01 00:00:00 UTC */
#define COS_VERSION	0x0203

static const char factory_user_pin[] = "12345678";
static const char factory_admin_pin[] = "87654321";

bool
dongle_serial_valid(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		char c = s[n];

		if (n >= DONGLE_SERIAL_MAX)
			return false;
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		      (c >= 'a' && c <= 'z') || c == '-'))
			return false;
	}
	return n > 0;
}

static void
set_pin(struct dongle_pin *p, const char *s)
{
	memset(p, 0, sizeof(*p));
	p->len = (u8)strlen(s);
	memcpy(p->bytes, s, p->len);
}

int
dongle_state_factory(struct dongle_state *st, const char *serial)
{
	static const char label[] = "blobvisor dongle key";
	static const u8 levels[DONGLE_ZONES][2] = {
		{ DLEVEL_ANY, DLEVEL_USER }, { DLEVEL_USER, DLEVEL_USER },
		{ DLEVEL_USER, DLEVEL_ADMIN }, { DLEVEL_ADMIN, DLEVEL_ADMIN },
	};

	if (!serial)
		serial = DONGLE_DEFAULT_SERIAL;
	if (!dongle_serial_valid(serial))
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	set_pin(&st->user_pin, factory_user_pin);
	set_pin(&st->admin_pin, factory_admin_pin);
	st->user_tries = DONGLE_USER_TRIES;
	st->admin_tries = DONGLE_ADMIN_TRIES;
	st->factory_time = FACTORY_TIME;
	st->ship_time = SHIP_TIME;
	st->cos_version = COS_VERSION;
	strcpy(st->serial, serial);
	st->counter = 0;
	st->counter_limit = 0xFFFFFFFF;
	for (int k = 0; k < DONGLE_KEYS; k++) {
		struct sha256 s;
		u8 kb = (u8)k;

		sha256_init(&s);
		sha256_update(&s, label, sizeof(label) - 1);
		sha256_update(&s, &kb, 1);
		sha256_update(&s, serial, strlen(serial));
		sha256_final(&s, st->keys[k]);
	}
	for (int z = 0; z < DONGLE_ZONES; z++) {
		st->zones[z].read_level = levels[z][0];
		st->zones[z].write_level = levels[z][1];
	}
	return 0;
}

/* --- encoding ------------------------------------------------------------ */

struct cursor {
	u8 *p;
	const u8 *q;
};

static void
put8(struct cursor *c, u8 v)
{
	*c->p++ = v;
}

static void
put16(struct cursor *c, u16 v)
{
	put8(c, (u8)v);
	put8(c, (u8)(v >> 8));
}

static void
put32(struct cursor *c, u32 v)
{
	put16(c, (u16)v);
	put16(c, (u16)(v >> 16));
}

static void
putn(struct cursor *c, const void *v, size_t n)
{
	memcpy(c->p, v, n);
	c->p += n;
}

static u8
get8(struct cursor *c)
{
	return *c->q++;
}

static u16
get16(struct cursor *c)
{
	u16 v = get8(c);

	return (u16)(v | get8(c) << 8);
}

static u32
get32(struct cursor *c)
{
	u32 v = get16(c);

	return v | (u32)get16(c) << 16;
}

static void
getn(struct cursor *c, void *v, size_t n)
{
	memcpy(v, c->q, n);
	c->q += n;
}

static void
put_pin(struct cursor *c, const struct dongle_pin *p)
{
	put8(c, p->len);
	putn(c, p->bytes, DONGLE_PIN_MAX);
}

void
dongle_state_encode(const struct dongle_state *st, u8 *buf)
{
	struct cursor c = { .p = buf };
	u8 *body;
	char serial[DONGLE_SERIAL_MAX] = { 0 };

	putn(&c, DONGLE_STATE_MAGIC, 8);
	put32(&c, DONGLE_STATE_VERSION);
	put32(&c, DONGLE_STATE_BODY);
	body = c.p;
	put_pin(&c, &st->user_pin);
	put_pin(&c, &st->admin_pin);
	put8(&c, st->user_tries);
	put8(&c, st->admin_tries);
	put32(&c, st->factory_time);
	put32(&c, st->ship_time);
	put16(&c, st->cos_version);
	memcpy(serial, st->serial, strnlen(st->serial, DONGLE_SERIAL_MAX));
	putn(&c, serial, DONGLE_SERIAL_MAX);
	put32(&c, st->counter);
	put32(&c, st->counter_limit);
	putn(&c, st->keys, sizeof(st->keys));
	for (int z = 0; z < DONGLE_ZONES; z++) {
		put8(&c, st->zones[z].read_level);
		put8(&c, st->zones[z].write_level);
		putn(&c, st->zones[z].data, DONGLE_ZONE_SIZE);
	}
	for (int a = 0; a < DONGLE_ALGO_SLOTS; a++) {
		put8(&c, st->algos[a].len);
		putn(&c, st->algos[a].code, DONGLE_ALGO_MAX);
	}
	put32(&c, dongle_crc32(body, DONGLE_STATE_BODY));
}

static bool
get_pin(struct cursor *c, struct dongle_pin *p)
{
	p->len = get8(c);
	getn(c, p->bytes, DONGLE_PIN_MAX);
	return p->len >= 1 && p->len <= DONGLE_PIN_MAX;
}

int
dongle_state_decode(struct dongle_state *out, const u8 *buf, size_t len,
		    const char **why)
{
	struct dongle_state st;
	struct cursor c = { .q = buf };
	const u8 *body;

#define REFUSE(msg) do { *why = (msg); return -EINVAL; } while (0)
	if (len < 16 || memcmp(buf, DONGLE_STATE_MAGIC, 8) != 0)
		REFUSE("not a dongle state file (bad magic)");
	c.q += 8;
	if (get32(&c) != DONGLE_STATE_VERSION)
		REFUSE("unsupported state format version");
	if (get32(&c) != DONGLE_STATE_BODY || len != DONGLE_STATE_SIZE)
		REFUSE("wrong state size (truncated or extended)");
	body = c.q;
	{
		struct cursor t = { .q = body + DONGLE_STATE_BODY };

		if (get32(&t) != dongle_crc32(body, DONGLE_STATE_BODY))
			REFUSE("CRC mismatch (corrupted)");
	}
	memset(&st, 0, sizeof(st));
	if (!get_pin(&c, &st.user_pin) || !get_pin(&c, &st.admin_pin))
		REFUSE("PIN length out of range");
	st.user_tries = get8(&c);
	st.admin_tries = get8(&c);
	if (st.user_tries > DONGLE_USER_TRIES || st.admin_tries > DONGLE_ADMIN_TRIES)
		REFUSE("retry counter out of range");
	st.factory_time = get32(&c);
	st.ship_time = get32(&c);
	st.cos_version = get16(&c);
	getn(&c, st.serial, DONGLE_SERIAL_MAX);
	st.serial[DONGLE_SERIAL_MAX] = 0;
	if (!dongle_serial_valid(st.serial))
		REFUSE("bad hardware serial");
	st.counter = get32(&c);
	st.counter_limit = get32(&c);
	if (st.counter > st.counter_limit)
		REFUSE("licence counter above its limit");
	getn(&c, st.keys, sizeof(st.keys));
	for (int z = 0; z < DONGLE_ZONES; z++) {
		st.zones[z].read_level = get8(&c);
		st.zones[z].write_level = get8(&c);
		if (st.zones[z].read_level > DLEVEL_NOBODY ||
		    st.zones[z].write_level > DLEVEL_NOBODY)
			REFUSE("zone access level out of range");
		getn(&c, st.zones[z].data, DONGLE_ZONE_SIZE);
	}
	for (int a = 0; a < DONGLE_ALGO_SLOTS; a++) {
		st.algos[a].len = get8(&c);
		if (st.algos[a].len > DONGLE_ALGO_MAX)
			REFUSE("algorithm longer than its slot");
		getn(&c, st.algos[a].code, DONGLE_ALGO_MAX);
	}
#undef REFUSE
	*out = st;
	return 0;
}
