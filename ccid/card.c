/* The test card's ISO 7816-4 side (docs/ccid.md section 3): its files and
 * the commands SELECT, READ BINARY, VERIFY and GET RESPONSE, at the APDU
 * level.  The transmission protocols (tpdu.c, t1.c) turn TPDUs and blocks
 * into calls of ccid_card_apdu. */
#include <core/errno.h>
#include <core/string.h>
#include "internal.h"

struct ccid_file {
	u16 fid;
	const struct ccid_file *parent;	/* NULL: the MF */
	bool df;
	const u8 *name;			/* DF name (AID), NULL if none */
	u8 name_len;
	const u8 *data;			/* EF contents */
	u16 size;
	bool needs_pin;
};

const u8 ccid_card_aid[7] = { 0xF0, 'B', 'V', 'C', 'A', 'R', 'D' };

static const u8 ef_dir[] = {
	0x61, 0x0F, 0x4F, 0x07, 0xF0, 'B', 'V', 'C', 'A', 'R', 'D', 0x50, 0x04, 'B', 'V', 'C', '1',
};
static const char greeting[] = "Hello from the blobvisor test card\n";
static const char secret[] = "secret: blobvisor\n";
static u8 pattern[600];		/* byte i = i mod 251, filled at init */

static const struct ccid_file mf = { 0x3F00, NULL, true, NULL, 0, NULL, 0, false };
static const struct ccid_file app = { 0x5000, &mf, true, ccid_card_aid, sizeof(ccid_card_aid),
				      NULL, 0, false };
static const struct ccid_file files[] = {
	{ 0x2F00, &mf, false, NULL, 0, ef_dir, sizeof(ef_dir) - 2, false },
	{ 0x5001, &app, false, NULL, 0, (const u8 *)greeting, sizeof(greeting) - 1, false },
	{ 0x5002, &app, false, NULL, 0, pattern, sizeof(pattern), false },
	{ 0x5003, &app, false, NULL, 0, (const u8 *)secret, sizeof(secret) - 1, true },
};

const struct ccid_file *
ccid_card_mf(void)
{
	return &mf;
}

#define SW(r, n, sw)	((r)[(n)] = (u8)((sw) >> 8), (r)[(n) + 1] = (u8)(sw), (n) + 2)

void
ccid_card_init(struct ccid_card *c, const struct ccid_card_state *st, const struct ccid_env *env)
{
	memset(c, 0, sizeof(*c));
	c->st = *st;
	if (env)
		c->env = *env;
	c->present = true;
	c->df = &mf;
	c->fidi = 0x11;		/* Fd, Dd: what a reset leaves */
	c->ifsd = 32;
	c->ifsc = ccid_card_atr[5];
	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (u8)(i % 251);
}

/* A child of dir with this file ID. */
static const struct ccid_file *
child(const struct ccid_file *dir, u16 fid)
{
	if (app.parent == dir && app.fid == fid)
		return &app;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (files[i].parent == dir && files[i].fid == fid)
			return &files[i];
	return NULL;
}

static const struct ccid_file *
select_fid(struct ccid_card *c, const u8 *data, size_t n)
{
	u16 fid;
	const struct ccid_file *f;

	if (n == 0)
		return &mf;
	fid = (u16)(data[0] << 8 | data[1]);
	if (fid == mf.fid)
		return &mf;
	if (fid == app.fid)
		return &app;
	f = child(c->df, fid);
	if (!f && c->df->parent)	/* a sibling of the current DF's files' parent */
		f = child(c->df->parent, fid);
	return f;
}

/* FCP template: 62 L [80 02 size] 82 01 desc 83 02 fid [84 L name] */
static size_t
fcp(const struct ccid_file *f, u8 *out)
{
	size_t n = 2;

	if (!f->df) {
		out[n++] = 0x80; out[n++] = 2;
		out[n++] = (u8)(f->size >> 8); out[n++] = (u8)f->size;
	}
	out[n++] = 0x82; out[n++] = 1;
	out[n++] = f->df ? 0x38 : 0x01;	/* DF; working EF, transparent */
	out[n++] = 0x83; out[n++] = 2;
	out[n++] = (u8)(f->fid >> 8); out[n++] = (u8)f->fid;
	if (f->name) {
		out[n++] = 0x84; out[n++] = f->name_len;
		memcpy(out + n, f->name, f->name_len);
		n += f->name_len;
	}
	out[0] = 0x62;
	out[1] = (u8)(n - 2);
	return n;
}

/* Return data (what the command produced) within Le; the rest waits for
 * GET RESPONSE, announced with 61xx. */
static size_t
respond(struct ccid_card *c, const u8 *data, size_t len, size_t le, u8 *resp)
{
	size_t now = MIN(len, le);

	memcpy(resp, data, now);
	if (len > now) {
		memmove(c->pending, data + now, len - now);
		c->pending_len = (u16)(len - now);
		return SW(resp, now, 0x6100 | (c->pending_len & 0xFF));
	}
	return SW(resp, now, 0x9000);
}

static size_t
cmd_select(struct ccid_card *c, u8 p1, u8 p2, const u8 *data, size_t lc, size_t le, u8 *resp)
{
	const struct ccid_file *f;
	u8 buf[64];

	if (p2 != 0x00 && p2 != 0x04 && p2 != 0x0C)
		return SW(resp, 0, 0x6A86);
	if (p1 == 0x00) {
		if (lc != 0 && lc != 2)
			return SW(resp, 0, 0x6700);
		f = select_fid(c, data, lc);
	} else if (p1 == 0x04) {
		if (lc < 1 || lc > 16)
			return SW(resp, 0, 0x6700);
		f = lc == app.name_len && memcmp(data, app.name, lc) == 0 ? &app : NULL;
	} else {
		return SW(resp, 0, 0x6A86);
	}
	if (!f)
		return SW(resp, 0, 0x6A82);
	if (f->df) {
		c->df = f;
		c->ef = NULL;
	} else {
		c->df = f->parent;
		c->ef = f;
	}
	if (p2 == 0x0C)
		return SW(resp, 0, 0x9000);
	return respond(c, buf, fcp(f, buf), le, resp);
}

static size_t
cmd_read_binary(struct ccid_card *c, u8 p1, u8 p2, size_t lc, size_t le, bool t0, u8 *resp)
{
	const struct ccid_file *f = c->ef;
	size_t off = (size_t)(p1 << 8 | p2), left;

	if (p1 & 0x80)
		return SW(resp, 0, 0x6A81);	/* short EF identifier: not supported */
	if (lc)
		return SW(resp, 0, 0x6700);
	if (!f)
		return SW(resp, 0, 0x6986);
	if (f->needs_pin && !c->verified)
		return SW(resp, 0, 0x6982);
	if (off >= f->size)
		return SW(resp, 0, 0x6B00);
	left = f->size - off;
	if (left < le) {
		if (t0)		/* T=0 cannot send fewer bytes than P3 */
			return SW(resp, 0, 0x6C00 | (left & 0xFF));
		memcpy(resp, f->data + off, left);
		return SW(resp, left, 0x6282);
	}
	memcpy(resp, f->data + off, le);
	return SW(resp, le, 0x9000);
}

static int
save(struct ccid_card *c)
{
	u8 image[CCID_STATE_SIZE];

	if (!c->env.persist)
		return 0;
	ccid_state_encode(&c->st, image);
	c->persists++;
	return c->env.persist(c->env.ctx, image, sizeof(image));
}

static size_t
cmd_verify(struct ccid_card *c, u8 p1, u8 p2, const u8 *data, size_t lc, u8 *resp)
{
	bool match;

	if (p1 != 0x00 || p2 != 0x81)
		return SW(resp, 0, 0x6A88);
	if (lc == 0) {
		if (c->verified)
			return SW(resp, 0, 0x9000);
		return SW(resp, 0, c->st.tries ? 0x63C0 | c->st.tries : 0x6983);
	}
	if (c->st.tries == 0)
		return SW(resp, 0, 0x6983);
	/* the try is spent and on disk before the comparison: cutting power
	 * after seeing a mismatch must not give the try back */
	c->st.tries--;
	if (save(c) < 0) {
		c->st.tries++;
		return SW(resp, 0, 0x6581);
	}
	match = lc == c->st.pin_len && memcmp(data, c->st.pin, lc) == 0;
	if (!match) {
		c->verified = false;
		return SW(resp, 0, c->st.tries ? 0x63C0 | c->st.tries : 0x6983);
	}
	c->st.tries = c->st.tries_max;
	/* a failed save leaves fewer tries on disk than in memory: the safe way */
	save(c);
	c->verified = true;
	return SW(resp, 0, 0x9000);
}

static size_t
cmd_get_response(struct ccid_card *c, u8 p1, u8 p2, size_t lc, size_t le, bool t0, u8 *resp)
{
	u8 buf[256];
	size_t n = c->pending_len;

	if (p1 || p2)
		return SW(resp, 0, 0x6A86);
	if (lc)
		return SW(resp, 0, 0x6700);
	if (!n)
		return SW(resp, 0, 0x6985);
	if (t0 && le > n)
		return SW(resp, 0, 0x6C00 | (n & 0xFF));
	memcpy(buf, c->pending, n);
	c->pending_len = 0;
	return respond(c, buf, n, le, resp);
}

/* The command proper, with the case already decoded: data (lc bytes) and
 * le (0: none expected; up to 256). */
static size_t
dispatch(struct ccid_card *c, const u8 *h, const u8 *data, size_t lc, size_t le, bool t0, u8 *resp)
{
	bool get_response = h[1] == 0xC0;

	if (!get_response)
		c->pending_len = 0;	/* any other command drops a pending response */
	if (h[0] != 0x00)
		return SW(resp, 0, 0x6E00);
	switch (h[1]) {
	case 0xA4:
		return cmd_select(c, h[2], h[3], data, lc, le, resp);
	case 0xB0:
		return cmd_read_binary(c, h[2], h[3], lc, le, t0, resp);
	case 0x20:
		return cmd_verify(c, h[2], h[3], data, lc, resp);
	case 0xC0:
		return cmd_get_response(c, h[2], h[3], lc, le, t0, resp);
	default:
		return SW(resp, 0, 0x6D00);
	}
}

size_t
ccid_card_apdu(struct ccid_card *c, const u8 *a, size_t len, u8 *resp)
{
	size_t lc = 0, le = 0;
	const u8 *data = NULL;

	if (len < 4)
		return SW(resp, 0, 0x6700);
	if (len == 4) {					/* case 1 */
	} else if (len == 5) {				/* case 2 */
		le = a[4] ? a[4] : 256;
	} else if (a[4] != 0 && len == 5u + a[4]) {	/* case 3 */
		lc = a[4];
		data = a + 5;
	} else if (a[4] != 0 && len == 6u + a[4]) {	/* case 4 */
		lc = a[4];
		data = a + 5;
		le = a[len - 1] ? a[len - 1] : 256;
	} else {
		return SW(resp, 0, 0x6700);	/* extended or malformed */
	}
	return dispatch(c, a, data, lc, le, false, resp);
}

/* T=0 (docs/ccid.md section 4): P3 is Lc for commands that send data,
 * Le for those that read; the card knows which by INS. */
size_t
ccid_card_t0(struct ccid_card *c, const u8 *t, size_t len, u8 *resp)
{
	bool sends = t[1] == 0xA4 || t[1] == 0x20;
	size_t p3;

	if (len < 5)
		return SW(resp, 0, 0x6700);
	if (t[0] != 0x00 || (!sends && t[1] != 0xB0 && t[1] != 0xC0))
		return dispatch(c, t, NULL, 0, 0, true, resp);	/* 6E00, 6D00 */
	p3 = t[4];
	if (sends) {
		if (len != 5 + p3 && len != 6 + p3)
			return SW(resp, 0, 0x6700);
		/* no Le on the wire: whatever the command returns waits for
		 * GET RESPONSE (61xx) */
		return dispatch(c, t, t + 5, p3, 0, true, resp);
	}
	if (len != 5)
		return SW(resp, 0, 0x6700);
	return dispatch(c, t, NULL, 0, p3 ? p3 : 256, true, resp);
}
