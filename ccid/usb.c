/* The reader as a USB device (docs/ccid.md section 1): descriptors with the
 * CCID class descriptor, standard and CCID class requests on endpoint 0,
 * PC_to_RDR messages assembled from bulk OUT, RDR_to_PC responses queued
 * for bulk IN, NotifySlotChange on interrupt IN. */
#include <core/errno.h>
#include <core/string.h>
#include <usb/usb.h>
#include "internal.h"

#define LO(x)	((u8)((x) & 0xFF))
#define HI(x)	((u8)(((x) >> 8) & 0xFF))
#define DW(x)	LO(x), HI(x), LO((x) >> 16), LO((x) >> 24)

static const u8 device_desc[18] = {
	18, 1, LO(0x0110), HI(0x0110), 0, 0, 0, 64,
	LO(CCID_VID), HI(CCID_VID), LO(CCID_PID), HI(CCID_PID),
	LO(0x0100), HI(0x0100), 1, 2, 3, 1,
};

#define CONFIG_TOTAL	(9 + 9 + 54 + 7 + 7 + 7)
static const u8 config_desc[CONFIG_TOTAL] = {
	9, 2, LO(CONFIG_TOTAL), HI(CONFIG_TOTAL), 1, 1, 0, 0x80, 50,
	9, 4, 0, 0, 3, 0x0B, 0, 0, 0,
	/* CCID class descriptor (CCID 1.1 section 5.1) */
	54, 0x21, LO(0x0110), HI(0x0110),
	0,				/* bMaxSlotIndex */
	0x07,				/* bVoltageSupport: 5 V, 3 V, 1.8 V */
	DW(0x00000003),			/* dwProtocols: T=0, T=1 */
	DW(CCID_CLOCK_KHZ), DW(CCID_CLOCK_KHZ),
	0,				/* bNumClockSupported */
	DW(CCID_RATE_DEFAULT), DW(CCID_RATE_MAX),
	0,				/* bNumDataRatesSupported */
	DW(CCID_MAX_IFSD),
	DW(0),				/* dwSynchProtocols */
	DW(0),				/* dwMechanical */
	DW(CCID_FEATURES),
	DW(CCID_MAX_MSG),
	0xFF, 0xFF,			/* bClassGetResponse, bClassEnvelope: echo */
	0, 0,				/* wLcdLayout */
	0,				/* bPINSupport */
	1,				/* bMaxCCIDBusySlots */
	7, 5, CCID_EP_OUT, 2, LO(CCID_MAX_PACKET), HI(CCID_MAX_PACKET), 0,
	7, 5, CCID_EP_IN, 2, LO(CCID_MAX_PACKET), HI(CCID_MAX_PACKET), 0,
	7, 5, CCID_EP_INT, 3, LO(CCID_INT_PACKET), HI(CCID_INT_PACKET), 16,
};

enum { CCID_ABORT = 1, CCID_GET_CLOCK_FREQUENCIES = 2, CCID_GET_DATA_RATES = 3 };

static void
drop_queues(struct ccid_reader *r)
{
	r->rx_len = r->rx_skip = 0;
	r->q_head = r->q_count = 0;
	r->q_off = 0;
}

static int
standard_request(struct ccid_reader *r, const struct usb_setup *s, u8 *data)
{
	int n = usb_ch9_request(&r->usb, s, data);

	if (n == 0 && s->bRequest == USB_REQ_SET_CONFIGURATION) {
		drop_queues(r);
		/* a new host learns the slot's state at once (section 2) */
		r->notify = r->usb.config != 0;
		r->notify_changed = r->card.present;
	}
	return n;
}

static int
class_request(struct ccid_reader *r, const struct usb_setup *s, u8 *data)
{
	static const u8 clocks[] = { DW(CCID_CLOCK_KHZ) };
	static const u8 rates[] = { DW(CCID_RATE_DEFAULT), DW(CCID_RATE_MAX) };
	bool in = s->bmRequestType & 0x80;

	if ((s->bmRequestType & 0x1F) != 1 || s->wIndex != 0)
		return -EPIPE;
	switch (s->bRequest) {
	case CCID_ABORT:	/* nothing is ever in progress: accepted */
		return in || s->wLength || LO(s->wValue) != 0 ? -EPIPE : 0;
	case CCID_GET_CLOCK_FREQUENCIES:
		return in && !s->wValue ? usb_ch9_reply(data, s->wLength, clocks, sizeof(clocks)) : -EPIPE;
	case CCID_GET_DATA_RATES:
		return in && !s->wValue ? usb_ch9_reply(data, s->wLength, rates, sizeof(rates)) : -EPIPE;
	default:
		return -EPIPE;
	}
}

static int
ccid_control(struct usb_model *m, const struct usb_setup *s, u8 *data)
{
	struct ccid_reader *r = m->priv;

	switch (s->bmRequestType & 0x60) {
	case 0x00:
		return standard_request(r, s, data);
	case 0x20:
		return class_request(r, s, data);
	default:
		return -EPIPE;
	}
}

static void
queue_response(struct ccid_reader *r, const u8 *msg, size_t len)
{
	u8 slot;

	if (r->q_count == CCID_QUEUE)	/* the host sent more than it reads: drop the oldest */
		r->q_head = (u8)((r->q_head + 1) % CCID_QUEUE), r->q_count--, r->q_off = 0;
	slot = (u8)((r->q_head + r->q_count) % CCID_QUEUE);
	r->q_len[slot] = (u16)ccid_reader_message(r, msg, len, r->q[slot]);
	r->q_count++;
}

static size_t
rx_dlen(const struct ccid_reader *r)
{
	return r->rx[1] | (size_t)r->rx[2] << 8 | (size_t)r->rx[3] << 16 | (size_t)r->rx[4] << 24;
}

/* An oversized message: answered from its header (dwLength beyond the
 * maximum: bError 1), its bytes dropped as they come. */
static void
refuse_oversized(struct ccid_reader *r)
{
	queue_response(r, r->rx, CCID_HDR);
	r->rx_skip = rx_dlen(r);
	r->rx_len = 0;
}

static int
ccid_data_out(struct usb_model *m, u8 ep, const u8 *data, size_t len)
{
	struct ccid_reader *r = m->priv;

	if (ep != (CCID_EP_OUT & 0x0F) || !r->usb.config || usb_ch9_halted(&r->usb, CCID_EP_OUT))
		return -EPIPE;
	for (size_t done = 0; done < len;) {
		size_t n, need;

		if (r->rx_skip) {
			n = MIN(r->rx_skip, len - done);
			r->rx_skip -= n;
			done += n;
			continue;
		}
		/* never past this message: a transfer may hold the next one */
		need = r->rx_len < CCID_HDR ? CCID_HDR - r->rx_len : CCID_HDR + rx_dlen(r) - r->rx_len;
		n = MIN(need, len - done);
		memcpy(r->rx + r->rx_len, data + done, n);
		r->rx_len += n;
		done += n;
		if (r->rx_len < CCID_HDR)
			continue;
		if (rx_dlen(r) > CCID_MAX_MSG - CCID_HDR) {
			refuse_oversized(r);
		} else if (r->rx_len == CCID_HDR + rx_dlen(r)) {
			queue_response(r, r->rx, r->rx_len);
			r->rx_len = 0;
		}
	}
	return (int)len;
}

static int
ccid_data_in(struct usb_model *m, u8 ep, u8 *data, size_t len)
{
	struct ccid_reader *r = m->priv;

	if (!r->usb.config)
		return -EPIPE;
	if (ep == (CCID_EP_INT & 0x0F)) {
		if (usb_ch9_halted(&r->usb, CCID_EP_INT))
			return -EPIPE;
		if (!r->notify)
			return -EAGAIN;
		if (len < 2)
			return -EPIPE;
		data[0] = CCID_RDR_NOTIFY_SLOT_CHANGE;
		data[1] = (u8)((r->card.present ? 1 : 0) | (r->notify_changed ? 2 : 0));
		r->notify = r->notify_changed = false;
		return 2;
	}
	if (ep != (CCID_EP_IN & 0x0F))
		return -EPIPE;
	if (usb_ch9_halted(&r->usb, CCID_EP_IN))
		return -EPIPE;
	if (!r->q_count)
		return -EAGAIN;
	size_t left = r->q_len[r->q_head] - r->q_off;
	size_t n = MIN(left, len);

	memcpy(data, r->q[r->q_head] + r->q_off, n);
	r->q_off = (u16)(r->q_off + n);
	if (r->q_off == r->q_len[r->q_head]) {
		r->q_head = (u8)((r->q_head + 1) % CCID_QUEUE);
		r->q_count--;
		r->q_off = 0;
	}
	return (int)n;
}

static void
ccid_reset(struct usb_model *m)
{
	struct ccid_reader *r = m->priv;

	usb_ch9_reset(&r->usb);
	drop_queues(r);
	r->notify = r->notify_changed = false;
	ccid_card_power_off(&r->card);
}

static const struct usb_model_ops ccid_ops = {
	.control = ccid_control,
	.data_out = ccid_data_out,
	.data_in = ccid_data_in,
	.reset = ccid_reset,
};

void
ccid_reader_init(struct ccid_reader *r, const struct ccid_card_state *st,
		 const struct ccid_env *env, bool card_present)
{
	memset(r, 0, sizeof(*r));
	ccid_card_init(&r->card, st, env);
	r->card.present = card_present;
	r->model.ops = &ccid_ops;
	r->model.name = "ccid";
	r->model.speed = USB_MODEL_SPEED_FULL;
	r->model.priv = r;
	usb_ch9_init(&r->usb, device_desc, config_desc, "blobvisor", "BV CCID Reader", r->card.st.serial);
}

void
ccid_reader_set_card(struct ccid_reader *r, bool present)
{
	if (r->card.present == present)
		return;
	if (!present)
		ccid_card_power_off(&r->card);
	r->card.present = present;
	r->notify = true;
	r->notify_changed = true;
}
