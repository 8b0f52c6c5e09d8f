/* The echo test device: a full-speed HID device (f055:e0c0) whose
 * interrupt IN endpoint 0x81 returns what was written to OUT endpoint 0x01,
 * with a vendor interface whose bulk endpoints 0x82/0x02 do the same.  An
 * OUT packet starting with 0xff halts the matching IN endpoint until
 * CLEAR_FEATURE(ENDPOINT_HALT).  Vendor request 0x01 (IN) returns "echo",
 * 0x02 stalls.  Variants serve broken descriptors to test the parser. */
#include <core/errno.h>
#include <core/heap.h>
#include <core/string.h>
#include <core/time.h>
#include <usb/core.h>

#define ECHO_VID 0xf055
#define ECHO_PID 0xe0c0
#define QLEN 512

struct echo {
	struct usb_model m;
	u8 dev[18];
	u8 cfg[128];
	size_t cfglen;
	size_t cfg_served;	/* bytes answered for a full config read */
	bool stall_dev_desc;
	u8 addr, config, alt[2];
	bool halted[3];
	u8 q[3][QLEN];		/* per endpoint number 1 and 2 */
	size_t qlen[3];
	u64 ready_ns[3];
	u32 delay_ms;
};

static const u8 dev_desc[18] = {
	18, USB_DT_DEVICE, 0x10, 0x01, 0, 0, 0, 8,
	ECHO_VID & 0xff, ECHO_VID >> 8, ECHO_PID & 0xff, ECHO_PID >> 8, 0x00, 0x01,
	1, 2, 3, 1,
};

static const u8 report_desc[] = {
	0x06, 0x00, 0xff, 0x09, 0x01, 0xa1, 0x01, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08,
	0x95, 0x40, 0x09, 0x01, 0x81, 0x02, 0x95, 0x40, 0x09, 0x01, 0x91, 0x02, 0xc0,
};

static const u8 cfg_desc[] = {
	9, USB_DT_CONFIG, 64, 0, 2, 1, 4, 0x80, 50,
	/* interface 0: HID, interrupt in/out */
	9, USB_DT_INTERFACE, 0, 0, 2, USB_CLASS_HID, 0, 0, 5,
	9, USB_DT_HID, 0x11, 0x01, 0, 1, USB_DT_REPORT, sizeof(report_desc), 0,
	7, USB_DT_ENDPOINT, 0x81, USB_ENDPOINT_TYPE_INTERRUPT, 64, 0, 1,
	7, USB_DT_ENDPOINT, 0x01, USB_ENDPOINT_TYPE_INTERRUPT, 64, 0, 1,
	/* interface 1: vendor, bulk in/out */
	9, USB_DT_INTERFACE, 1, 0, 2, USB_CLASS_VENDOR_SPEC, 0, 0, 0,
	7, USB_DT_ENDPOINT, 0x82, USB_ENDPOINT_TYPE_BULK, 64, 0, 0,
	7, USB_DT_ENDPOINT, 0x02, USB_ENDPOINT_TYPE_BULK, 64, 0, 0,
};

static const char *const strings[] = { NULL, "blobvisor", "Echo HID", "0001", "echo" };

static int
string_desc(u8 index, u8 *out, u16 max)
{
	u8 buf[64];
	int n = 2;

	if (index == 0) {
		buf[2] = 0x09;	/* en-US */
		buf[3] = 0x04;
		n = 4;
	} else if (index < ARRAY_SIZE(strings)) {
		for (const char *s = strings[index]; *s && n < 62; s++) {
			buf[n++] = *s;
			buf[n++] = 0;
		}
	} else {
		return -EPIPE;
	}
	buf[0] = n;
	buf[1] = USB_DT_STRING;
	n = MIN(n, max);
	memcpy(out, buf, n);
	return n;
}

static int
get_descriptor(struct echo *e, const struct usb_setup *s, u8 *data)
{
	u8 type = s->wValue >> 8, index = s->wValue & 0xff;
	int n;

	switch (type) {
	case USB_DT_DEVICE:
		if (e->stall_dev_desc)
			return -EPIPE;
		n = MIN(sizeof(e->dev), s->wLength);
		memcpy(data, e->dev, n);
		return n;
	case USB_DT_CONFIG:
		if (index != 0)
			return -EPIPE;
		n = MIN(e->cfglen, s->wLength);
		if (s->wLength > USB_DT_CONFIG_SIZE && e->cfg_served)
			n = MIN((size_t)n, e->cfg_served);
		memcpy(data, e->cfg, n);
		return n;
	case USB_DT_STRING:
		return string_desc(index, data, s->wLength);
	case USB_DT_REPORT:
		n = MIN(sizeof(report_desc), s->wLength);
		memcpy(data, report_desc, n);
		return n;
	default:
		return -EPIPE;
	}
}

static int
echo_control(struct usb_model *m, const struct usb_setup *s, u8 *data)
{
	struct echo *e = m->priv;
	u8 ep = s->wIndex & 0x0f;

	if ((s->bmRequestType & 0x60) == USB_TYPE_VENDOR) {
		if (s->bRequest == 0x01 && (s->bmRequestType & USB_ENDPOINT_IN)) {
			int n = MIN(4, s->wLength);

			memcpy(data, "echo", n);
			return n;
		}
		return -EPIPE;
	}
	switch (s->bRequest) {
	case USB_REQ_GET_DESCRIPTOR:
		return get_descriptor(e, s, data);
	case USB_REQ_SET_ADDRESS:
		e->addr = s->wValue & 0x7f;
		return 0;
	case USB_REQ_SET_CONFIGURATION:
		if (s->wValue > 1)
			return -EPIPE;
		e->config = s->wValue;
		return 0;
	case USB_REQ_GET_CONFIGURATION:
		if (s->wLength < 1)
			return -EPIPE;
		data[0] = e->config;
		return 1;
	case USB_REQ_SET_INTERFACE:
		if (s->wIndex > 1 || s->wValue != 0)
			return -EPIPE;
		e->alt[s->wIndex] = s->wValue;
		return 0;
	case USB_REQ_GET_STATUS:
		if (s->wLength < 2)
			return -EPIPE;
		data[0] = (s->bmRequestType & 3) == USB_RECIP_ENDPOINT && ep < 3 && e->halted[ep];
		data[1] = 0;
		return 2;
	case USB_REQ_CLEAR_FEATURE:
		if ((s->bmRequestType & 3) != USB_RECIP_ENDPOINT || ep > 2)
			return -EPIPE;
		e->halted[ep] = false;
		return 0;
	default:
		return -EPIPE;
	}
}

static int
echo_data_out(struct usb_model *m, u8 ep, const u8 *data, size_t len)
{
	struct echo *e = m->priv;

	if (ep < 1 || ep > 2)
		return -EPIPE;
	if (len && data[0] == 0xff) {
		e->halted[ep] = true;
		return 0;
	}
	len = MIN(len, QLEN);
	memcpy(e->q[ep], data, len);
	e->qlen[ep] = len;
	e->ready_ns[ep] = time_now_ns() + e->delay_ms * NSEC_PER_MSEC;
	return 0;
}

static int
echo_data_in(struct usb_model *m, u8 ep, u8 *data, size_t len)
{
	struct echo *e = m->priv;
	size_t n;

	if (ep < 1 || ep > 2)
		return -EPIPE;
	if (e->halted[ep])
		return -EPIPE;
	if (!e->qlen[ep] || time_now_ns() < e->ready_ns[ep])
		return -EAGAIN;
	n = MIN(len, e->qlen[ep]);
	memcpy(data, e->q[ep], n);
	e->qlen[ep] = 0;
	return (int)n;
}

static void
echo_reset(struct usb_model *m)
{
	struct echo *e = m->priv;

	e->addr = e->config = 0;
	memset(e->halted, 0, sizeof(e->halted));
	memset(e->qlen, 0, sizeof(e->qlen));
}

static const struct usb_model_ops echo_ops = {
	.control = echo_control,
	.data_out = echo_data_out,
	.data_in = echo_data_in,
	.reset = echo_reset,
};

/* Broken variants: each changes one thing a hostile device might lie about. */
static bool
apply_variant(struct echo *e, const char *v)
{
	if (!v || !*v || !strcmp(v, "ok"))
		return true;
	if (!strcmp(v, "numif"))		/* bNumInterfaces 3, two present */
		e->cfg[4] = 3;
	else if (!strcmp(v, "numep"))		/* interface 1 claims 3 endpoints */
		e->cfg[45] = 3;
	else if (!strcmp(v, "overrun"))	/* last endpoint's bLength runs past the end */
		e->cfg[57] = 20;
	else if (!strcmp(v, "zerolen"))	/* a zero bLength would loop forever */
		e->cfg[18] = 0;
	else if (!strcmp(v, "short"))		/* wTotalLength 64, 40 bytes answered */
		e->cfg_served = 40;
	else if (!strcmp(v, "total"))		/* wTotalLength 5 */
		e->cfg[2] = 5;
	else if (!strcmp(v, "mps0"))
		e->dev[7] = 7;
	else if (!strcmp(v, "noconf"))
		e->dev[17] = 0;
	else if (!strcmp(v, "manyconf"))
		e->dev[17] = 9;
	else if (!strcmp(v, "manyep"))		/* bNumEndpoints 200 */
		e->cfg[9 + 4] = 200;
	else if (!strcmp(v, "strayep")) {	/* interface 0 descriptor turned into an endpoint */
		e->cfg[10] = USB_DT_ENDPOINT;
		e->cfg[9] = 9;
	} else if (!strcmp(v, "dupep"))	/* 0x01 written as 0x81 again */
		e->cfg[36] = 0x81;
	else if (!strcmp(v, "stall"))		/* never gives its device descriptor */
		e->stall_dev_desc = true;
	else
		return false;
	return true;
}

struct usb_model *
usb_echo_create(const char *variant)
{
	struct echo *e = heap_zalloc(sizeof(*e));

	if (!e)
		return NULL;
	memcpy(e->dev, dev_desc, sizeof(dev_desc));
	memcpy(e->cfg, cfg_desc, sizeof(cfg_desc));
	e->cfglen = sizeof(cfg_desc);
	if (!apply_variant(e, variant)) {
		heap_free(e);
		return NULL;
	}
	e->m.ops = &echo_ops;
	e->m.name = "echo";
	e->m.speed = USB_MODEL_SPEED_FULL;
	e->m.priv = e;
	return &e->m;
}

void
usb_echo_destroy(struct usb_model *m)
{
	heap_free(m->priv);
}

void
usb_echo_set_delay_ms(struct usb_model *m, u32 ms)
{
	((struct echo *)m->priv)->delay_ms = ms;
}

USB_MODEL("echo", usb_echo_create, usb_echo_destroy,
	  "echo HID test device; variants: numif numep overrun zerolen short total mps0 "
	  "noconf manyconf manyep strayep dupep stall");
