/* A dongle model driven directly through dongle_process, with a persist
 * callback that counts, keeps the last image, and can be made to fail. */
#ifndef TESTS_DONGLE_HARNESS_H
#define TESTS_DONGLE_HARNESS_H

#include <string.h>
#include <dongle/dongle.h>
#include <dongle/sha256.h>

struct th {
	struct dongle d;
	u8 seq;
	int persists;
	bool fail_persist;
	u8 image[DONGLE_STATE_SIZE];
	u8 resp[DONGLE_REPORT];
	u8 out[DONGLE_MAX_PAYLOAD];
	size_t outlen;
};

static int
th_persist(void *ctx, const u8 *image, size_t len)
{
	struct th *t = ctx;

	if (t->fail_persist)
		return -5;
	t->persists++;
	memcpy(t->image, image, len);
	return 0;
}

static inline void
th_init(struct th *t, const char *serial)
{
	struct dongle_state st;
	struct dongle_env env = { .persist = th_persist, .ctx = t };

	memset(t, 0, sizeof(*t));
	dongle_state_factory(&st, serial);
	dongle_init(&t->d, &st, &env);
}

/* Send one well-formed request with the next sequence number; returns the
 * status, payload in t->out. */
static inline int
th_cmd(struct th *t, u8 cmd, const void *payload, size_t len)
{
	u8 req[DONGLE_REPORT];

	dongle_frame(req, DONGLE_MAGIC_REQ, t->seq, cmd, 0, payload, len);
	dongle_process(&t->d, req, sizeof(req), t->resp);
	if (t->resp[DONGLE_OFF_STATUS] != DST_E_SEQ)
		t->seq++;
	t->outlen = t->resp[DONGLE_OFF_LEN];
	memcpy(t->out, t->resp + DONGLE_OFF_PAYLOAD, t->outlen);
	return t->resp[DONGLE_OFF_STATUS];
}

static inline int
th_open(struct th *t, u8 role, const char *pin)
{
	u8 p[2 + DONGLE_PIN_MAX];
	size_t n = strlen(pin);

	p[0] = role;
	p[1] = (u8)n;
	memcpy(p + 2, pin, n);
	return th_cmd(t, DCMD_OPEN, p, 2 + n);
}

static inline u32
th_rd32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

#endif
