/* The dongle as a USB device: descriptors, control requests on endpoint 0,
 * and the interrupt endpoints carrying the 64-byte reports
 * (docs/dongle-protocol.md section 1). */
#include <core/errno.h>
#include <core/string.h>
#include <dongle/dongle.h>
#include <usb/usb.h>

#define LO(x)	((u8)((x) & 0xFF))
#define HI(x)	((u8)((x) >> 8))

static const u8 report_desc[] = {
	0x06, 0x00, 0xFF,	/* Usage Page (vendor 0xFF00) */
	0x09, 0x01,		/* Usage (1) */
	0xA1, 0x01,		/* Collection (Application) */
	0x09, 0x02,		/*   Usage (2) */
	0x15, 0x00,		/*   Logical Minimum (0) */
	0x26, 0xFF, 0x00,	/*   Logical Maximum (255) */
	0x75, 0x08,		/*   Report Size (8) */
	0x95, DONGLE_REPORT,	/*   Report Count (64) */
	0x81, 0x02,		/*   Input (Data, Var, Abs) */
	0x09, 0x03,		/*   Usage (3) */
	0x91, 0x02,		/*   Output (Data, Var, Abs) */
	0xC0,			/* End Collection */
};

static const u8 device_desc[18] = {
	18, 1, LO(0x0110), HI(0x0110), 0, 0, 0, 64,
	LO(DONGLE_VID), HI(DONGLE_VID), LO(DONGLE_PID), HI(DONGLE_PID),
	LO(0x0100), HI(0x0100), 1, 2, 3, 1,
};

#define CONFIG_TOTAL	(9 + 9 + 9 + 7 + 7)
static const u8 config_desc[CONFIG_TOTAL] = {
	9, 2, LO(CONFIG_TOTAL), HI(CONFIG_TOTAL), 1, 1, 0, 0x80, 50,
	9, 4, 0, 0, 2, 3, 0, 0, 0,
	9, 0x21, LO(0x0111), HI(0x0111), 0, 1, 0x22,
	LO(sizeof(report_desc)), HI(sizeof(report_desc)),
	7, 5, DONGLE_EP_IN, 3, LO(DONGLE_REPORT), HI(DONGLE_REPORT), 1,
	7, 5, DONGLE_EP_OUT, 3, LO(DONGLE_REPORT), HI(DONGLE_REPORT), 1,
};
#define HID_DESC_OFFSET	18

/* HID 1.11 section 7.2 */
enum { HID_GET_REPORT = 1, HID_GET_IDLE = 2, HID_SET_REPORT = 9, HID_SET_IDLE = 10 };

/* The HID class descriptors are asked of the interface; the rest of
 * chapter 9 is the shared one, plus the session's reset on configuration. */
static int
standard_request(struct dongle *d, const struct usb_setup *s, u8 *data)
{
	int n;

	if (s->bRequest == USB_REQ_GET_DESCRIPTOR && (s->bmRequestType & 0x9F) == 0x81) {
		if (s->wIndex != 0)
			return -EPIPE;
		if (HI(s->wValue) == USB_DT_HID)
			return usb_ch9_reply(data, s->wLength, config_desc + HID_DESC_OFFSET, 9);
		if (HI(s->wValue) == USB_DT_REPORT)
			return usb_ch9_reply(data, s->wLength, report_desc, sizeof(report_desc));
		return -EPIPE;
	}
	n = usb_ch9_request(&d->usb, s, data);
	if (n == 0 && s->bRequest == USB_REQ_SET_CONFIGURATION)
		d->resp_pending = false;
	return n;
}

static void
take_report(struct dongle *d, const u8 *data, size_t len)
{
	dongle_process(d, data, len, d->resp);
	d->resp_pending = true;
}

static int
class_request(struct dongle *d, const struct usb_setup *s, u8 *data)
{
	bool in = s->bmRequestType & 0x80;

	if ((s->bmRequestType & 0x1F) != 1 || LO(s->wIndex) != 0 || HI(s->wIndex) != 0)
		return -EPIPE;
	switch (s->bRequest) {
	case HID_GET_REPORT:
		if (!in || HI(s->wValue) != 1 || LO(s->wValue) != 0)
			return -EPIPE;	/* input report, no report ID */
		if (d->resp_pending) {
			d->resp_pending = false;
			return usb_ch9_reply(data, s->wLength, d->resp, DONGLE_REPORT);
		}
		memset(data, 0, MIN((size_t)s->wLength, (size_t)DONGLE_REPORT));
		return MIN(s->wLength, DONGLE_REPORT);
	case HID_SET_REPORT:
		if (in || HI(s->wValue) != 2 || LO(s->wValue) != 0)
			return -EPIPE;	/* output report, no report ID */
		take_report(d, data, s->wLength);
		return 0;
	case HID_GET_IDLE:
		if (!in || s->wLength < 1)
			return -EPIPE;
		data[0] = d->idle;
		return 1;
	case HID_SET_IDLE:
		if (in || s->wLength)
			return -EPIPE;
		d->idle = HI(s->wValue);
		return 0;
	default:
		return -EPIPE;
	}
}

static int
dongle_control(struct usb_model *m, const struct usb_setup *s, u8 *data)
{
	struct dongle *d = m->priv;

	switch (s->bmRequestType & 0x60) {
	case 0x00:
		return standard_request(d, s, data);
	case 0x20:
		return class_request(d, s, data);
	default:
		return -EPIPE;
	}
}

static int
dongle_data_out(struct usb_model *m, u8 ep, const u8 *data, size_t len)
{
	struct dongle *d = m->priv;

	if (ep != (DONGLE_EP_OUT & 0x0F) || !d->usb.config || usb_ch9_halted(&d->usb, DONGLE_EP_OUT))
		return -EPIPE;
	take_report(d, data, len);
	return (int)len;
}

static int
dongle_data_in(struct usb_model *m, u8 ep, u8 *data, size_t len)
{
	struct dongle *d = m->priv;

	if (ep != (DONGLE_EP_IN & 0x0F) || !d->usb.config || usb_ch9_halted(&d->usb, DONGLE_EP_IN))
		return -EPIPE;
	if (!d->resp_pending)
		return -EAGAIN;
	d->resp_pending = false;
	len = MIN(len, (size_t)DONGLE_REPORT);
	memcpy(data, d->resp, len);
	return (int)len;
}

/* Bus reset: the USB state and the session go; the persistent state stays. */
static void
dongle_reset(struct usb_model *m)
{
	struct dongle *d = m->priv;

	usb_ch9_reset(&d->usb);
	d->idle = 0;
	d->resp_pending = false;
	d->session = DROLE_NONE;
	d->expect_seq = 0;
	d->have_last = false;
}

static const struct usb_model_ops dongle_ops = {
	.control = dongle_control,
	.data_out = dongle_data_out,
	.data_in = dongle_data_in,
	.reset = dongle_reset,
};

void
dongle_init(struct dongle *d, const struct dongle_state *st,
	    const struct dongle_env *env)
{
	memset(d, 0, sizeof(*d));
	d->st = *st;
	if (env)
		d->env = *env;
	d->model.ops = &dongle_ops;
	d->model.name = "dongle";
	d->model.speed = USB_MODEL_SPEED_FULL;
	d->model.priv = d;
	usb_ch9_init(&d->usb, device_desc, config_desc, "blobvisor", "BV Smart Dongle", d->st.serial);
	/* seed the pool from the (secret) keys so that outputs differ per
	 * device even without an entropy source */
	for (int i = 0; i < 32; i++)
		d->pool[i] = st->keys[0][i] ^ st->keys[1][i];
	dongle_reset(&d->model);
}
