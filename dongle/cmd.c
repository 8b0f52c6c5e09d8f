/* The dongle's command processor: framing checks, sequence numbers,
 * sessions, and one small function per command (docs/dongle-protocol.md
 * sections 2-5).  A command either completes, with its state change made
 * durable before the response exists, or changes nothing. */
#include <core/errno.h>
#include <core/string.h>
#include <dongle/dongle.h>
#include <dongle/sha256.h>

struct req {
	u8 cmd;
	const u8 *p;		/* payload */
	size_t len;
	u8 out[DONGLE_MAX_PAYLOAD];
	size_t outlen;
	bool changed;		/* persistent state was modified */
};

static u32
rd32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void
wr32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

void
dongle_frame(u8 out[DONGLE_REPORT], u8 magic, u8 seq, u8 cmd, u8 status,
	     const void *payload, size_t len)
{
	memset(out, 0, DONGLE_REPORT);
	if (len > DONGLE_MAX_PAYLOAD)
		len = DONGLE_MAX_PAYLOAD;
	out[DONGLE_OFF_MAGIC] = magic;
	out[DONGLE_OFF_SEQ] = seq;
	out[DONGLE_OFF_CMD] = cmd;
	out[DONGLE_OFF_STATUS] = status;
	out[DONGLE_OFF_LEN] = (u8)len;
	if (len)
		memcpy(out + DONGLE_OFF_PAYLOAD, payload, len);
	wr32(out + DONGLE_OFF_CRC, dongle_crc32(out, DONGLE_OFF_CRC));
}

/* Reserved bytes, length and padding of a frame whose CRC is good. */
static bool
frame_layout_ok(const u8 *f, bool request)
{
	u8 len = f[DONGLE_OFF_LEN];

	if ((request && f[DONGLE_OFF_STATUS]) || f[5] || f[6] || f[7])
		return false;
	if (len > DONGLE_MAX_PAYLOAD)
		return false;
	for (size_t i = DONGLE_OFF_PAYLOAD + len; i < DONGLE_OFF_CRC; i++)
		if (f[i])
			return false;
	return true;
}

int
dongle_frame_check_response(const u8 resp[DONGLE_REPORT])
{
	if (resp[DONGLE_OFF_MAGIC] != DONGLE_MAGIC_RESP)
		return -EPROTO;
	if (rd32(resp + DONGLE_OFF_CRC) != dongle_crc32(resp, DONGLE_OFF_CRC))
		return -EPROTO;
	return frame_layout_ok(resp, false) ? 0 : -EPROTO;
}

const char *
dongle_status_name(int status)
{
	static const char *const names[] = {
		[DST_OK] = "OK", [DST_E_FRAME] = "E_FRAME", [DST_E_CRC] = "E_CRC",
		[DST_E_LENGTH] = "E_LENGTH", [DST_E_SEQ] = "E_SEQ", [DST_E_CMD] = "E_CMD",
		[DST_E_PARAM] = "E_PARAM", [DST_E_ACCESS] = "E_ACCESS", [DST_E_PIN] = "E_PIN",
		[DST_E_LOCKED] = "E_LOCKED", [DST_E_RANGE] = "E_RANGE", [DST_E_LIMIT] = "E_LIMIT",
		[DST_E_STORAGE] = "E_STORAGE", [DST_E_EMPTY] = "E_EMPTY",
		[DST_E_VM_INSN] = "E_VM_INSN", [DST_E_VM_MEM] = "E_VM_MEM",
		[DST_E_VM_PC] = "E_VM_PC", [DST_E_VM_STEPS] = "E_VM_STEPS",
		[DST_E_VM_DIV] = "E_VM_DIV",
	};

	if (status >= 0 && (size_t)status < ARRAY_SIZE(names) && names[status])
		return names[status];
	return "E_?";
}

/* --- commands ---------------------------------------------------------- */

static int
need(struct dongle *d, struct req *r, u8 level)
{
	if (level == DLEVEL_ANY)
		return DST_OK;
	if (level != DLEVEL_NOBODY && d->session >= level)
		return DST_OK;
	r->out[0] = level;
	r->outlen = 1;
	return DST_E_ACCESS;
}

static int
cmd_sync(struct dongle *d, struct req *r)
{
	r->out[0] = DONGLE_PROTO_VERSION;
	r->out[1] = DONGLE_MAX_PAYLOAD;
	r->out[2] = d->session;
	r->outlen = 3;
	return DST_OK;
}

static int
cmd_get_info(struct dongle *d, struct req *r)
{
	const struct dongle_state *st = &d->st;

	wr32(r->out + 0, st->factory_time);
	wr32(r->out + 4, st->ship_time);
	r->out[8] = (u8)st->cos_version;
	r->out[9] = (u8)(st->cos_version >> 8);
	r->out[10] = DONGLE_PROTO_VERSION;
	r->out[11] = DONGLE_ZONES;
	r->out[12] = (u8)DONGLE_ZONE_SIZE;
	r->out[13] = (u8)(DONGLE_ZONE_SIZE >> 8);
	r->out[14] = DONGLE_ALGO_SLOTS;
	r->out[15] = d->session;
	memset(r->out + 16, 0, DONGLE_SERIAL_MAX);
	memcpy(r->out + 16, st->serial, strnlen(st->serial, DONGLE_SERIAL_MAX));
	r->outlen = 32;
	return DST_OK;
}

/* Constant-time compare: the PIN check must not leak a prefix length. */
static bool
pin_equal(const struct dongle_pin *pin, const u8 *try, size_t n)
{
	u8 diff = (u8)(pin->len ^ n);

	for (size_t i = 0; i < DONGLE_PIN_MAX; i++)
		diff |= (u8)(pin->bytes[i] ^ (i < n ? try[i] : 0));
	return diff == 0;
}

static int
cmd_open(struct dongle *d, struct req *r)
{
	u8 role, n;
	u8 *tries;
	const struct dongle_pin *pin;

	if (r->len < 2 || r->len != 2u + r->p[1])
		return DST_E_LENGTH;
	role = r->p[0];
	n = r->p[1];
	if ((role != DROLE_USER && role != DROLE_ADMIN) || n < 1 || n > DONGLE_PIN_MAX)
		return DST_E_PARAM;
	tries = role == DROLE_USER ? &d->st.user_tries : &d->st.admin_tries;
	pin = role == DROLE_USER ? &d->st.user_pin : &d->st.admin_pin;
	if (*tries == 0)
		return DST_E_LOCKED;
	if (!pin_equal(pin, r->p + 2, n)) {
		(*tries)--;
		r->changed = true;
		r->out[0] = *tries;
		r->outlen = 1;
		return *tries ? DST_E_PIN : DST_E_LOCKED;
	}
	if (*tries != (role == DROLE_USER ? DONGLE_USER_TRIES : DONGLE_ADMIN_TRIES) ||
	    (role == DROLE_ADMIN && d->st.user_tries != DONGLE_USER_TRIES))
		r->changed = true;
	*tries = role == DROLE_USER ? DONGLE_USER_TRIES : DONGLE_ADMIN_TRIES;
	if (role == DROLE_ADMIN)
		d->st.user_tries = DONGLE_USER_TRIES;	/* admin clears the lockout */
	d->session = role;
	r->out[0] = role;
	r->outlen = 1;
	return DST_OK;
}

static int
cmd_close(struct dongle *d, struct req *r)
{
	d->session = DROLE_NONE;
	return DST_OK;
}

static int
cmd_set_pin(struct dongle *d, struct req *r)
{
	u8 role, n;
	int st;
	struct dongle_pin *pin;

	if (r->len < 2 || r->len != 2u + r->p[1])
		return DST_E_LENGTH;
	role = r->p[0];
	n = r->p[1];
	if ((role != DROLE_USER && role != DROLE_ADMIN) || n < 1 || n > DONGLE_PIN_MAX)
		return DST_E_PARAM;
	st = need(d, r, role == DROLE_USER ? DLEVEL_USER : DLEVEL_ADMIN);
	if (st)
		return st;
	pin = role == DROLE_USER ? &d->st.user_pin : &d->st.admin_pin;
	memset(pin, 0, sizeof(*pin));
	pin->len = n;
	memcpy(pin->bytes, r->p + 2, n);
	if (role == DROLE_USER)
		d->st.user_tries = DONGLE_USER_TRIES;
	else
		d->st.admin_tries = DONGLE_ADMIN_TRIES;
	r->changed = true;
	return DST_OK;
}

/* Common checks of ZONE_READ / ZONE_WRITE: zone, offset, count. */
static int
zone_args(struct dongle *d, struct req *r, bool write, struct dongle_zone **zp,
	  u32 *off, u32 *n)
{
	u8 zi = r->p[0];
	int st;

	*off = (u32)r->p[1] | (u32)r->p[2] << 8;
	*n = r->p[3];
	if (zi >= DONGLE_ZONES || *n < 1 || *n > DONGLE_ZONE_IO_MAX)
		return DST_E_PARAM;
	*zp = &d->st.zones[zi];
	st = need(d, r, write ? (*zp)->write_level : (*zp)->read_level);
	if (st)
		return st;
	if (*off + *n > DONGLE_ZONE_SIZE)
		return DST_E_RANGE;
	return DST_OK;
}

static int
cmd_zone_read(struct dongle *d, struct req *r)
{
	struct dongle_zone *z;
	u32 off, n;
	int st;

	st = zone_args(d, r, false, &z, &off, &n);
	if (st)
		return st;
	memcpy(r->out, z->data + off, n);
	r->outlen = n;
	return DST_OK;
}

static int
cmd_zone_write(struct dongle *d, struct req *r)
{
	struct dongle_zone *z;
	u32 off, n;
	int st;

	if (r->len < 4 || r->len != 4u + r->p[3])
		return DST_E_LENGTH;
	st = zone_args(d, r, true, &z, &off, &n);
	if (st)
		return st;
	if (memcmp(z->data + off, r->p + 4, n) != 0) {
		memcpy(z->data + off, r->p + 4, n);
		r->changed = true;
	}
	return DST_OK;
}

static int
cmd_zone_info(struct dongle *d, struct req *r)
{
	if (r->p[0] >= DONGLE_ZONES)
		return DST_E_PARAM;
	r->out[0] = d->st.zones[r->p[0]].read_level;
	r->out[1] = d->st.zones[r->p[0]].write_level;
	r->out[2] = (u8)DONGLE_ZONE_SIZE;
	r->out[3] = (u8)(DONGLE_ZONE_SIZE >> 8);
	r->outlen = 4;
	return DST_OK;
}

static int
cmd_zone_access(struct dongle *d, struct req *r)
{
	struct dongle_zone *z;
	int st;

	if (r->p[0] >= DONGLE_ZONES || r->p[1] > DLEVEL_NOBODY || r->p[2] > DLEVEL_NOBODY)
		return DST_E_PARAM;
	st = need(d, r, DLEVEL_ADMIN);
	if (st)
		return st;
	z = &d->st.zones[r->p[0]];
	if (z->read_level != r->p[1] || z->write_level != r->p[2]) {
		z->read_level = r->p[1];
		z->write_level = r->p[2];
		r->changed = true;
	}
	return DST_OK;
}

/* The generator: pool' = SHA-256(pool | entropy | counter), output blocks
 * HMAC(pool', counter | i).  Without an entropy source it is deterministic
 * per power-up, which only fuzzers and tests rely on. */
static int
cmd_random(struct dongle *d, struct req *r)
{
	u8 fresh[32] = { 0 }, ctr[8], block[SHA256_DIGEST];
	struct sha256 s;
	u32 n;

	n = r->p[0];
	if (n < 1 || n > DONGLE_MAX_PAYLOAD)
		return DST_E_PARAM;
	if (d->env.entropy)
		d->env.entropy(d->env.ctx, fresh, sizeof(fresh));
	d->rng_counter++;
	for (int i = 0; i < 8; i++)
		ctr[i] = (u8)(d->rng_counter >> (8 * i));
	sha256_init(&s);
	sha256_update(&s, d->pool, sizeof(d->pool));
	sha256_update(&s, fresh, sizeof(fresh));
	sha256_update(&s, ctr, sizeof(ctr));
	sha256_final(&s, d->pool);
	for (u32 done = 0, i = 0; done < n; done += SHA256_DIGEST, i++) {
		struct hmac_sha256 h;
		u8 ib = (u8)i;

		hmac_sha256_init(&h, d->pool, sizeof(d->pool));
		hmac_sha256_update(&h, ctr, sizeof(ctr));
		hmac_sha256_update(&h, &ib, 1);
		hmac_sha256_final(&h, block);
		memcpy(r->out + done, block, MIN(n - done, (u32)SHA256_DIGEST));
	}
	r->outlen = n;
	return DST_OK;
}

static int
cmd_hmac(struct dongle *d, struct req *r)
{
	int st;

	if (r->len < 2 || r->len != 2u + r->p[1])
		return DST_E_LENGTH;
	if (r->p[0] >= DONGLE_KEYS || r->p[1] > DONGLE_HMAC_MSG_MAX)
		return DST_E_PARAM;
	st = need(d, r, DLEVEL_USER);
	if (st)
		return st;
	hmac_sha256(d->st.keys[r->p[0]], DONGLE_KEY_SIZE, r->p + 2, r->p[1], r->out);
	r->outlen = SHA256_DIGEST;
	return DST_OK;
}

static int
cmd_set_key(struct dongle *d, struct req *r)
{
	int st;

	if (r->p[0] >= DONGLE_KEYS)
		return DST_E_PARAM;
	st = need(d, r, DLEVEL_ADMIN);
	if (st)
		return st;
	memcpy(d->st.keys[r->p[0]], r->p + 1, DONGLE_KEY_SIZE);
	r->changed = true;
	return DST_OK;
}

static int
counter_reply(struct dongle *d, struct req *r)
{
	wr32(r->out, d->st.counter);
	wr32(r->out + 4, d->st.counter_limit);
	r->outlen = 8;
	return DST_OK;
}

static int
cmd_counter_inc(struct dongle *d, struct req *r)
{
	u32 amount;
	int st;

	amount = rd32(r->p);
	if (amount == 0)
		return DST_E_PARAM;
	st = need(d, r, DLEVEL_USER);
	if (st)
		return st;
	if (amount > d->st.counter_limit - d->st.counter) {
		counter_reply(d, r);
		return DST_E_LIMIT;
	}
	d->st.counter += amount;
	r->changed = true;
	return counter_reply(d, r);
}

static int
cmd_counter_limit(struct dongle *d, struct req *r)
{
	u32 limit;
	int st;

	limit = rd32(r->p);
	st = need(d, r, DLEVEL_ADMIN);
	if (st)
		return st;
	if (limit < d->st.counter)
		return DST_E_PARAM;
	if (limit != d->st.counter_limit) {
		d->st.counter_limit = limit;
		r->changed = true;
	}
	return counter_reply(d, r);
}

static int
cmd_algo_write(struct dongle *d, struct req *r)
{
	struct dongle_algo *a;
	u8 off, n;
	int st;

	if (r->len < 3 || r->len != 3u + r->p[2])
		return DST_E_LENGTH;
	off = r->p[1];
	n = r->p[2];
	if (r->p[0] >= DONGLE_ALGO_SLOTS || n > DONGLE_ALGO_CHUNK)
		return DST_E_PARAM;
	st = need(d, r, DLEVEL_ADMIN);
	if (st)
		return st;
	a = &d->st.algos[r->p[0]];
	if ((off != 0 && off != a->len) || off + n > DONGLE_ALGO_MAX)
		return DST_E_RANGE;
	if (off == 0)
		memset(a, 0, sizeof(*a));
	memcpy(a->code + off, r->p + 3, n);
	a->len = (u8)(off + n);
	r->changed = true;
	r->out[0] = a->len;
	r->outlen = 1;
	return DST_OK;
}

static int
cmd_algo_run(struct dongle *d, struct req *r)
{
	u32 regs[DONGLE_VM_REGS] = { 0 }, pc, steps;
	const struct dongle_algo *a;
	size_t k;
	int st;

	if (r->len < 1 || (r->len - 1) % 4 || (r->len - 1) / 4 > DONGLE_VM_REGS)
		return DST_E_LENGTH;
	if (r->p[0] >= DONGLE_ALGO_SLOTS)
		return DST_E_PARAM;
	st = need(d, r, DLEVEL_USER);
	if (st)
		return st;
	a = &d->st.algos[r->p[0]];
	if (a->len == 0)
		return DST_E_EMPTY;
	k = (r->len - 1) / 4;
	for (size_t i = 0; i < k; i++)
		regs[i] = rd32(r->p + 1 + 4 * i);
	st = dongle_vm_run(a->code, a->len, regs, &pc, &steps);
	if (st) {
		wr32(r->out, pc);
		wr32(r->out + 4, steps);
		r->outlen = 8;
		return st;
	}
	wr32(r->out, steps);
	for (int i = 0; i < DONGLE_VM_REGS; i++)
		wr32(r->out + 4 + 4 * i, regs[i]);
	r->outlen = 4 + 4 * DONGLE_VM_REGS;
	return DST_OK;
}

static int
cmd_algo_info(struct dongle *d, struct req *r)
{
	const struct dongle_algo *a;

	if (r->p[0] >= DONGLE_ALGO_SLOTS)
		return DST_E_PARAM;
	a = &d->st.algos[r->p[0]];
	r->out[0] = a->len;
	wr32(r->out + 1, dongle_crc32(a->code, a->len));
	r->outlen = 5;
	return DST_OK;
}

typedef int (*cmd_fn)(struct dongle *d, struct req *r);

#define VARLEN	(-1)	/* the handler checks the length against its fields */

/* Every command: its handler, its payload length (check 7 of the
 * protocol's order, done here once) and whether it may change persistent
 * state (only those pay for the undo copy of the state). */
static const struct command {
	cmd_fn fn;
	short len;
	bool changes;
} commands[256] = {
	[DCMD_SYNC]		= { cmd_sync, 0, false },
	[DCMD_GET_INFO]		= { cmd_get_info, 0, false },
	[DCMD_OPEN]		= { cmd_open, VARLEN, true },
	[DCMD_CLOSE]		= { cmd_close, 0, false },
	[DCMD_SET_PIN]		= { cmd_set_pin, VARLEN, true },
	[DCMD_ZONE_READ]	= { cmd_zone_read, 4, false },
	[DCMD_ZONE_WRITE]	= { cmd_zone_write, VARLEN, true },
	[DCMD_ZONE_INFO]	= { cmd_zone_info, 1, false },
	[DCMD_ZONE_ACCESS]	= { cmd_zone_access, 3, true },
	[DCMD_RANDOM]		= { cmd_random, 1, false },
	[DCMD_HMAC]		= { cmd_hmac, VARLEN, false },
	[DCMD_SET_KEY]		= { cmd_set_key, 1 + DONGLE_KEY_SIZE, true },
	[DCMD_COUNTER_GET]	= { counter_reply, 0, false },
	[DCMD_COUNTER_INC]	= { cmd_counter_inc, 4, true },
	[DCMD_COUNTER_LIMIT]	= { cmd_counter_limit, 4, true },
	[DCMD_ALGO_WRITE]	= { cmd_algo_write, VARLEN, true },
	[DCMD_ALGO_RUN]		= { cmd_algo_run, VARLEN, false },
	[DCMD_ALGO_INFO]	= { cmd_algo_info, 1, false },
};

static void
respond(u8 resp[DONGLE_REPORT], const u8 *req, int status, const void *p, size_t n)
{
	dongle_frame(resp, DONGLE_MAGIC_RESP, req[DONGLE_OFF_SEQ], req[DONGLE_OFF_CMD],
		     (u8)status, p, n);
}

/* Execute a request that passed the frame checks; make changes durable. */
static void
execute(struct dongle *d, const u8 *f, u8 resp[DONGLE_REPORT])
{
	struct req r = {
		.cmd = f[DONGLE_OFF_CMD],
		.p = f + DONGLE_OFF_PAYLOAD,
		.len = f[DONGLE_OFF_LEN],
	};
	const struct command *c = &commands[r.cmd];
	u8 session = d->session;
	int st;

	if (!c->fn) {
		respond(resp, f, DST_E_CMD, NULL, 0);
		return;
	}
	if (c->len != VARLEN && r.len != (size_t)c->len) {
		respond(resp, f, DST_E_LENGTH, NULL, 0);
		return;
	}
	if (c->changes)
		d->undo = d->st;
	st = c->fn(d, &r);
	if (r.changed) {
		if (!c->changes)
			__builtin_trap();	/* a command the table says changes nothing */
		dongle_state_encode(&d->st, d->image);
		if (d->env.persist &&
		    d->env.persist(d->env.ctx, d->image, DONGLE_STATE_SIZE) < 0) {
			d->st = d->undo;	/* not durable: it did not happen */
			d->session = session;
			respond(resp, f, DST_E_STORAGE, NULL, 0);
			return;
		}
		d->persists++;
	}
	respond(resp, f, st, r.out, r.outlen);
}

void
dongle_process(struct dongle *d, const u8 *req, size_t len, u8 resp[DONGLE_REPORT])
{
	u8 f[DONGLE_REPORT] = { 0 };
	u8 seq;

	if (len)	/* a zero-length report comes with no buffer at all */
		memcpy(f, req, MIN(len, (size_t)DONGLE_REPORT));
	d->commands++;
	if (len != DONGLE_REPORT) {
		respond(resp, f, DST_E_LENGTH, NULL, 0);
		return;
	}
	if (f[DONGLE_OFF_MAGIC] != DONGLE_MAGIC_REQ) {
		respond(resp, f, DST_E_FRAME, NULL, 0);
		return;
	}
	if (rd32(f + DONGLE_OFF_CRC) != dongle_crc32(f, DONGLE_OFF_CRC)) {
		respond(resp, f, DST_E_CRC, NULL, 0);
		return;
	}
	if (!frame_layout_ok(f, true)) {
		respond(resp, f, DST_E_FRAME, NULL, 0);
		return;
	}
	seq = f[DONGLE_OFF_SEQ];
	if (d->have_last && seq == (u8)(d->expect_seq - 1) &&
	    memcmp(f, d->last_req, DONGLE_REPORT) == 0) {
		memcpy(resp, d->last_resp, DONGLE_REPORT);	/* retransmission */
		return;
	}
	if (f[DONGLE_OFF_CMD] != DCMD_SYNC && seq != d->expect_seq) {
		respond(resp, f, DST_E_SEQ, &d->expect_seq, 1);
		return;
	}
	d->expect_seq = (u8)(seq + 1);
	execute(d, f, resp);
	memcpy(d->last_req, f, DONGLE_REPORT);
	memcpy(d->last_resp, resp, DONGLE_REPORT);
	d->have_last = true;
}
