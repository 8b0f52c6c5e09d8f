/* The dongle as a USB device: descriptors, control requests on endpoint 0,
 * and the interrupt endpoints carrying the 64-byte reports
 * (docs/dongle-protocol.md section 1). */
#include <core/errno.h>
#include <core/string.h>
#include <dongle/dongle.h>

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

static const char *const strings[] = { NULL, "blobvisor", "BV Smart Dongle" };

/* Setup request codes (USB 2.0 table 9-4, HID 1.11 section 7.2). */
enum {
	GET_STATUS = 0, CLEAR_FEATURE = 1, SET_FEATURE = 3, SET_ADDRESS = 5,
	GET_DESCRIPTOR = 6, GET_CONFIGURATION = 8, SET_CONFIGURATION = 9,
	GET_INTERFACE = 10, SET_INTERFACE = 11,
	HID_GET_REPORT = 1, HID_GET_IDLE = 2, HID_SET_REPORT = 9, HID_SET_IDLE = 10,
};

static int
reply(u8 *data, u16 wlength, const void *src, size_t n)
{
	n = MIN(n, (size_t)wlength);
	memcpy(data, src, n);
	return (int)n;
}

static int
string_desc(struct dongle *d, u8 index, u8 *data, u16 wlength)
{
	u8 buf[2 + 2 * 32];
	const char *s;
	size_t n;

	if (index == 0) {
		static const u8 langs[] = { 4, 3, 0x09, 0x04 };

		return reply(data, wlength, langs, sizeof(langs));
	}
	if (index == 3)
		s = d->st.serial;
	else if (index < ARRAY_SIZE(strings))
		s = strings[index];
	else
		return -EPIPE;
	n = strnlen(s, 32);
	buf[0] = (u8)(2 + 2 * n);
	buf[1] = 3;
	for (size_t i = 0; i < n; i++) {	/* ASCII to UTF-16LE */
		buf[2 + 2 * i] = (u8)s[i];
		buf[3 + 2 * i] = 0;
	}
	return reply(data, wlength, buf, buf[0]);
}

static int
get_descriptor(struct dongle *d, const struct usb_setup *s, u8 *data)
{
	u8 type = HI(s->wValue), index = LO(s->wValue);
	u8 recipient = s->bmRequestType & 0x1F;

	if (recipient == 1) {	/* interface: the HID class descriptors */
		if (s->wIndex != 0)
			return -EPIPE;
		if (type == 0x21)
			return reply(data, s->wLength, config_desc + HID_DESC_OFFSET, 9);
		if (type == 0x22)
			return reply(data, s->wLength, report_desc, sizeof(report_desc));
		return -EPIPE;
	}
	if (recipient != 0)
		return -EPIPE;
	switch (type) {
	case 1:
		return index ? -EPIPE : reply(data, s->wLength, device_desc, sizeof(device_desc));
	case 2:
		return index ? -EPIPE : reply(data, s->wLength, config_desc, sizeof(config_desc));
	case 3:
		return string_desc(d, index, data, s->wLength);
	default:
		return -EPIPE;
	}
}

static bool *
halt_flag(struct dongle *d, u16 ep)
{
	if (ep == DONGLE_EP_IN)
		return &d->halt_in;
	if (ep == DONGLE_EP_OUT)
		return &d->halt_out;
	return NULL;
}

static int
standard_request(struct dongle *d, const struct usb_setup *s, u8 *data)
{
	u8 recipient = s->bmRequestType & 0x1F;
	bool in = s->bmRequestType & 0x80;
	bool *halt;

	switch (s->bRequest) {
	case GET_DESCRIPTOR:
		return in ? get_descriptor(d, s, data) : -EPIPE;
	case SET_ADDRESS:
		if (in || recipient || s->wValue > 127 || s->wIndex || s->wLength)
			return -EPIPE;
		d->address = (u8)s->wValue;
		return 0;
	case SET_CONFIGURATION:
		if (in || recipient || s->wValue > 1 || s->wLength)
			return -EPIPE;
		d->config = (u8)s->wValue;
		d->halt_in = d->halt_out = false;
		d->resp_pending = false;
		return 0;
	case GET_CONFIGURATION:
		if (!in || recipient || s->wLength < 1)
			return -EPIPE;
		data[0] = d->config;
		return 1;
	case GET_STATUS:
		if (!in || s->wLength < 2)
			return -EPIPE;
		data[0] = data[1] = 0;
		if (recipient == 0)
			return 2;	/* bus powered, no remote wakeup */
		if (recipient == 1)
			return s->wIndex == 0 ? 2 : -EPIPE;
		if (recipient == 2) {
			if (s->wIndex == 0)
				return 2;
			halt = halt_flag(d, s->wIndex);
			if (!halt)
				return -EPIPE;
			data[0] = *halt;
			return 2;
		}
		return -EPIPE;
	case CLEAR_FEATURE:
	case SET_FEATURE:
		/* only ENDPOINT_HALT (feature 0) on our two endpoints */
		if (in || recipient != 2 || s->wValue != 0 || s->wLength)
			return -EPIPE;
		halt = halt_flag(d, s->wIndex);
		if (!halt)
			return -EPIPE;
		*halt = s->bRequest == SET_FEATURE;
		return 0;
	case GET_INTERFACE:
		if (!in || recipient != 1 || s->wIndex != 0 || s->wLength < 1 || !d->config)
			return -EPIPE;
		data[0] = 0;
		return 1;
	case SET_INTERFACE:
		if (in || recipient != 1 || s->wIndex != 0 || s->wValue != 0 || !d->config)
			return -EPIPE;
		return 0;
	default:
		return -EPIPE;
	}
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
			return reply(data, s->wLength, d->resp, DONGLE_REPORT);
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

	if (ep != (DONGLE_EP_OUT & 0x0F) || !d->config || d->halt_out)
		return -EPIPE;
	take_report(d, data, len);
	return (int)len;
}

static int
dongle_data_in(struct usb_model *m, u8 ep, u8 *data, size_t len)
{
	struct dongle *d = m->priv;

	if (ep != (DONGLE_EP_IN & 0x0F) || !d->config || d->halt_in)
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

	d->address = 0;
	d->config = 0;
	d->idle = 0;
	d->halt_in = d->halt_out = false;
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
	/* seed the pool from the (secret) keys so that outputs differ per
	 * device even without an entropy source */
	for (int i = 0; i < 32; i++)
		d->pool[i] = st->keys[0][i] ^ st->keys[1][i];
	dongle_reset(&d->model);
}
