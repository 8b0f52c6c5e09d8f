/* The dongle's device model ("firmware"): a struct usb_model that speaks
 * docs/dongle-protocol.md.  Platform-free: the embedder supplies storage
 * (persist) and entropy through struct dongle_env, and memory for struct
 * dongle.  Used by the VMM (in-process device), tools/dongled, tests and
 * fuzzers alike. */
#ifndef DONGLE_DONGLE_H
#define DONGLE_DONGLE_H

#include <core/types.h>
#include <usb/model.h>
#include <dongle/protocol.h>

struct dongle_pin {
	u8 len;
	u8 bytes[DONGLE_PIN_MAX];
};

struct dongle_zone {
	u8 read_level, write_level;
	u8 data[DONGLE_ZONE_SIZE];
};

struct dongle_algo {
	u8 len;
	u8 code[DONGLE_ALGO_MAX];
};

/* Everything that survives a power cycle (section 6 of the protocol). */
struct dongle_state {
	struct dongle_pin user_pin, admin_pin;
	u8 user_tries, admin_tries;
	u32 factory_time, ship_time;
	u16 cos_version;
	char serial[DONGLE_SERIAL_MAX + 1];	/* NUL-terminated */
	u32 counter, counter_limit;
	u8 keys[DONGLE_KEYS][DONGLE_KEY_SIZE];
	struct dongle_zone zones[DONGLE_ZONES];
	struct dongle_algo algos[DONGLE_ALGO_SLOTS];
};

#define DONGLE_STATE_MAGIC	"BVDONGLE"
#define DONGLE_STATE_VERSION	1
#define DONGLE_STATE_BODY	(2 * (1 + DONGLE_PIN_MAX) + 2 + 4 + 4 + 2 + DONGLE_SERIAL_MAX + \
				 4 + 4 + DONGLE_KEYS * DONGLE_KEY_SIZE + \
				 DONGLE_ZONES * (2 + DONGLE_ZONE_SIZE) + \
				 DONGLE_ALGO_SLOTS * (1 + DONGLE_ALGO_MAX))
#define DONGLE_STATE_SIZE	(8 + 4 + 4 + DONGLE_STATE_BODY + 4)
#define DONGLE_DEFAULT_SERIAL	"BV0000000001"

struct dongle_env {
	/* Make image (DONGLE_STATE_SIZE bytes, the state file's contents)
	 * durable; return 0 once it is, negative on failure.  May be NULL
	 * (state lives only in memory). */
	int (*persist)(void *ctx, const u8 *image, size_t len);
	/* Fill buf with unpredictable bytes; may be NULL (the generator then
	 * runs from its pool alone, deterministically). */
	void (*entropy)(void *ctx, u8 *buf, size_t len);
	void *ctx;
};

struct dongle {
	struct usb_model model;
	struct dongle_env env;
	struct dongle_state st;
	/* volatile: lost at reset */
	u8 session;			/* DROLE_* */
	u8 expect_seq;
	bool have_last;
	u8 last_req[DONGLE_REPORT], last_resp[DONGLE_REPORT];
	bool resp_pending;
	u8 resp[DONGLE_REPORT];
	struct usb_ch9 usb;		/* address, configuration, halts */
	u8 idle;
	u8 pool[32];
	u64 rng_counter;
	struct dongle_state undo;	/* state before the current request */
	u8 image[DONGLE_STATE_SIZE];
	u64 commands, persists;		/* statistics */
};

/* Factory-fresh state; serial NULL means DONGLE_DEFAULT_SERIAL.  Returns
 * -EINVAL when the serial is not 1..16 characters of [0-9A-Za-z-]. */
int dongle_state_factory(struct dongle_state *st, const char *serial);
bool dongle_serial_valid(const char *s);
/* Encode into buf[DONGLE_STATE_SIZE]. */
void dongle_state_encode(const struct dongle_state *st, u8 *buf);
/* Decode and validate a state image.  On failure returns -EINVAL and sets
 * *why to a short phrase ("bad magic", "CRC mismatch", ...). */
int dongle_state_decode(struct dongle_state *st, const u8 *buf, size_t len,
			const char **why);

/* Set up d as a powered, unconfigured device holding st. */
void dongle_init(struct dongle *d, const struct dongle_state *st,
		 const struct dongle_env *env);
/* Execute one request report (any length) and write the 64-byte response.
 * This is what an interrupt OUT or SET_REPORT does, minus USB state. */
void dongle_process(struct dongle *d, const u8 *req, size_t len,
		   u8 resp[DONGLE_REPORT]);

/* Frame helpers for host-side clients and tests. */
void dongle_frame(u8 out[DONGLE_REPORT], u8 magic, u8 seq, u8 cmd, u8 status,
		  const void *payload, size_t len);
/* Check a response: magic, CRC, reserved bytes, length.  0 or -EPROTO. */
int dongle_frame_check_response(const u8 resp[DONGLE_REPORT]);

/* The user-algorithm VM: run code on regs (in/out); returns DST_OK or a
 * DST_E_VM_* status, with the faulting pc and steps executed. */
int dongle_vm_run(const u8 *code, size_t len, u32 regs[DONGLE_VM_REGS],
		  u32 *pc_out, u32 *steps_out);

const char *dongle_status_name(int status);

#endif
