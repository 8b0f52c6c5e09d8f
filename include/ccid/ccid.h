/* The CCID reader and its ISO 7816-4 test card (docs/ccid.md): a struct
 * usb_model, platform-free like the dongle's.  Served over usbredir by
 * `dongled --ccid`, attached in-process by the VMM (`usb attach
 * model:ccid`), driven directly by the unit tests and the fuzzer. */
#ifndef CCID_CCID_H
#define CCID_CCID_H

#include <core/types.h>
#include <usb/model.h>

#define CCID_VID		0x08E6	/* an entry of Debian's libccid Info.plist */
#define CCID_PID		0x4433
#define CCID_EP_OUT		0x01
#define CCID_EP_IN		0x82
#define CCID_EP_INT		0x83
#define CCID_MAX_PACKET		64
#define CCID_INT_PACKET		8
#define CCID_HDR		10
#define CCID_MAX_MSG		271	/* dwMaxCCIDMessageLength */
#define CCID_MAX_RESP		(CCID_HDR + 260)
#define CCID_FEATURES		0x000100BAu
#define CCID_CLOCK_KHZ		3580
#define CCID_RATE_DEFAULT	9624
#define CCID_RATE_MAX		115200
#define CCID_MAX_IFSD		254

/* Message types (CCID 1.1 section 6) */
enum {
	CCID_PC_SET_PARAMETERS = 0x61, CCID_PC_POWER_ON = 0x62, CCID_PC_POWER_OFF = 0x63,
	CCID_PC_GET_SLOT_STATUS = 0x65, CCID_PC_SECURE = 0x69, CCID_PC_T0APDU = 0x6A,
	CCID_PC_ESCAPE = 0x6B, CCID_PC_GET_PARAMETERS = 0x6C, CCID_PC_RESET_PARAMETERS = 0x6D,
	CCID_PC_ICC_CLOCK = 0x6E, CCID_PC_XFR_BLOCK = 0x6F, CCID_PC_MECHANICAL = 0x71,
	CCID_PC_ABORT = 0x72, CCID_PC_SET_RATE_CLOCK = 0x73,
	CCID_RDR_DATA_BLOCK = 0x80, CCID_RDR_SLOT_STATUS = 0x81, CCID_RDR_PARAMETERS = 0x82,
	CCID_RDR_ESCAPE = 0x83, CCID_RDR_RATE_CLOCK = 0x84,
	CCID_RDR_NOTIFY_SLOT_CHANGE = 0x50,
};
/* bError values (CCID table 6.2-2); 1..127 name the offending byte. */
enum {
	CCID_ERR_CMD_NOT_SUPPORTED = 0x00, CCID_ERR_ICC_MUTE = 0xFE,
	CCID_ERR_HW = 0xFB, CCID_ERR_PROTOCOL_NOT_SUPPORTED = 0xF6,
};
/* bmICCStatus */
enum { CCID_ICC_ACTIVE = 0, CCID_ICC_INACTIVE = 1, CCID_ICC_ABSENT = 2 };
#define CCID_CMD_FAILED	0x40

/* --- the card's persistent state (docs/ccid.md section 5) --------------- */

#define CCID_PIN_MAX		8
#define CCID_SERIAL_MAX		16
#define CCID_STATE_MAGIC	"BVCCIDC1"
#define CCID_STATE_VERSION	1
#define CCID_STATE_SIZE		(8 + 4 + 1 + CCID_PIN_MAX + 1 + 1 + CCID_SERIAL_MAX + 4)
#define CCID_DEFAULT_PIN	"123456"
#define CCID_DEFAULT_TRIES	3
#define CCID_DEFAULT_SERIAL	"BVCARD000001"

struct ccid_card_state {
	u8 pin_len;
	u8 pin[CCID_PIN_MAX];
	u8 tries, tries_max;
	char serial[CCID_SERIAL_MAX + 1];	/* NUL-terminated */
};

/* serial NULL: CCID_DEFAULT_SERIAL.  -EINVAL for a bad serial. */
int ccid_state_factory(struct ccid_card_state *st, const char *serial);
void ccid_state_encode(const struct ccid_card_state *st, u8 buf[CCID_STATE_SIZE]);
/* -EINVAL with *why a short phrase ("bad magic", "CRC mismatch", ...) */
int ccid_state_decode(struct ccid_card_state *st, const u8 *buf, size_t len, const char **why);

struct ccid_env {
	/* Make the state image durable; 0 once it is.  May be NULL. */
	int (*persist)(void *ctx, const u8 *image, size_t len);
	void *ctx;
};

/* --- the card ----------------------------------------------------------- */

#define CCID_APDU_MAX		261	/* short APDU: 5 + 255 + Le */
#define CCID_RAPDU_MAX		258	/* 256 + SW1 SW2 */
#define CCID_T1_INF_MAX		254
#define CCID_T1_BLOCK_MAX	(3 + CCID_T1_INF_MAX + 1)

struct ccid_file;

struct ccid_card {
	struct ccid_card_state st;
	struct ccid_env env;
	bool present, powered;
	u8 protocol;			/* 0: T=0, 1: T=1 */
	u8 fidi;			/* bmFindexDindex in force */
	const struct ccid_file *df, *ef;	/* current DF, current EF (or NULL) */
	bool verified;
	u8 pending[256];		/* response bytes GET RESPONSE returns */
	u16 pending_len;
	/* T=1 (section 4) */
	u8 t1_host_ns;			/* N(S) expected from the host */
	u8 t1_card_ns;			/* N(S) of the card's next I-block */
	u8 ifsd, ifsc;
	u8 t1_rx[CCID_APDU_MAX];	/* a chained command being assembled */
	u16 t1_rx_len;
	bool t1_rx_overflow;
	u8 t1_tx[CCID_RAPDU_MAX];	/* the response being sent in blocks */
	u16 t1_tx_len, t1_tx_off;
	u8 t1_last[CCID_T1_BLOCK_MAX];	/* the card's last block, for R-block repeats */
	u16 t1_last_len;
	u64 persists;
};

extern const u8 ccid_card_atr[];
extern const size_t ccid_card_atr_len;
/* The application's DF name (AID). */
extern const u8 ccid_card_aid[7];

void ccid_card_init(struct ccid_card *c, const struct ccid_card_state *st,
		    const struct ccid_env *env);
/* Cold or warm reset: copies the ATR, returns its length. */
size_t ccid_card_power_on(struct ccid_card *c, u8 *atr);
void ccid_card_power_off(struct ccid_card *c);
/* Switch to T=0 (0) or T=1 (1) with these parameters; 0 or -EINVAL. */
int ccid_card_set_protocol(struct ccid_card *c, u8 protocol, u8 fidi, u8 ifsc);
/* One ISO 7816-4 command APDU (short cases 1-4) to its response (data
 * and SW1 SW2); returns the response length.  T=1 semantics: Le honoured. */
size_t ccid_card_apdu(struct ccid_card *c, const u8 *apdu, size_t len, u8 *resp);
/* One T=0 TPDU (section 4): returns the response length (<= 258). */
size_t ccid_card_t0(struct ccid_card *c, const u8 *tpdu, size_t len, u8 *resp);
/* One T=1 block in, the card's block out (<= CCID_T1_BLOCK_MAX). */
size_t ccid_card_t1(struct ccid_card *c, const u8 *block, size_t len, u8 *out);
/* Exchange under the current protocol. */
size_t ccid_card_xfr(struct ccid_card *c, const u8 *in, size_t len, u8 *out);

/* --- the reader ---------------------------------------------------------- */

#define CCID_QUEUE		4

struct ccid_reader {
	struct usb_model model;
	struct ccid_card card;
	struct usb_ch9 usb;		/* address, configuration, halts */
	/* a PC_to_RDR message arriving in bulk OUT transfers */
	u8 rx[CCID_MAX_MSG];
	size_t rx_len;
	size_t rx_skip;			/* bytes of an oversized message still to drop */
	/* RDR_to_PC responses waiting for bulk IN */
	u8 q[CCID_QUEUE][CCID_MAX_RESP];
	u16 q_len[CCID_QUEUE];
	u16 q_off;			/* bytes of q[q_head] already sent */
	u8 q_head, q_count;
	/* NotifySlotChange waiting for interrupt IN */
	bool notify, notify_changed;
	u64 messages;
};

void ccid_reader_init(struct ccid_reader *r, const struct ccid_card_state *st,
		      const struct ccid_env *env, bool card_present);
/* Insert (true) or remove the card; queues a NotifySlotChange. */
void ccid_reader_set_card(struct ccid_reader *r, bool present);
/* One complete PC_to_RDR message (header + dwLength bytes) to its
 * RDR_to_PC response; returns the response length (>= 10). */
size_t ccid_reader_message(struct ccid_reader *r, const u8 *msg, size_t len, u8 *resp);

/* --- shared with the VMM's `card` shell ----------------------------------- */

/* ISO 7816-4 meaning of SW1 SW2 ("normal processing", "wrong length;
 * 12 bytes available", ...), into buf. */
const char *iso7816_sw_text(u16 sw, char *buf, size_t size);

struct atr_info {
	bool valid;
	const char *error;		/* why not valid */
	bool inverse;			/* TS 3F */
	u16 protocols;			/* bit N: T=N offered */
	int first_protocol;		/* the default: the first offered (T=0 if none) */
	bool has_ta1;
	u8 ta1;
	u16 fi, fmax_khz;		/* from TA1 (defaults: 372, 5000) */
	u8 di;
	bool specific;			/* TA2 present: specific mode */
	u8 ifsc;			/* TA for T=1 (default 32) */
	u8 hist_off, hist_len;
	bool tck_present, tck_ok;
};

/* Parse an ATR (ISO 7816-3 section 8). */
void atr_parse(const u8 *atr, size_t len, struct atr_info *out);

#endif
