/* Chapter 9 of USB 2.0 for software device models (include/usb/model.h):
 * the standard requests of a device with one configuration and one
 * interface, shared by the dongle and the CCID reader so that both answer
 * a host's enumeration the same strict way. */
#include <core/errno.h>
#include <core/string.h>
#include <usb/model.h>
#include <usb/usb.h>

enum { RECIP_DEVICE = 0, RECIP_INTERFACE = 1, RECIP_ENDPOINT = 2 };

int
usb_ch9_reply(u8 *data, u16 wlength, const void *src, size_t n)
{
	n = MIN(n, (size_t)wlength);
	memcpy(data, src, n);
	return (int)n;
}

void
usb_ch9_init(struct usb_ch9 *c, const u8 *device_desc, const u8 *config_desc,
	     const char *manufacturer, const char *product, const char *serial)
{
	size_t total = config_desc[2] | (size_t)config_desc[3] << 8;

	memset(c, 0, sizeof(*c));
	c->device_desc = device_desc;
	c->config_desc = config_desc;
	c->strings[1] = manufacturer;
	c->strings[2] = product;
	c->strings[3] = serial;
	for (size_t off = 0; off + 2 <= total && config_desc[off] >= 2; off += config_desc[off])
		if (config_desc[off + 1] == USB_DT_ENDPOINT)
			c->endpoints |= USB_CH9_EP_BIT(config_desc[off + 2]);
}

void
usb_ch9_reset(struct usb_ch9 *c)
{
	c->address = c->config = 0;
	c->halted = 0;
}

static int
string_desc(const struct usb_ch9 *c, u8 index, u8 *data, u16 wlength)
{
	u8 buf[2 + 2 * 32];
	const char *s;
	size_t n;

	if (index == 0) {
		static const u8 langs[] = { 4, USB_DT_STRING, 0x09, 0x04 };	/* en-US */

		return usb_ch9_reply(data, wlength, langs, sizeof(langs));
	}
	if (index >= ARRAY_SIZE(c->strings) || !(s = c->strings[index]))
		return -EPIPE;
	n = strnlen(s, 32);
	buf[0] = (u8)(2 + 2 * n);
	buf[1] = USB_DT_STRING;
	for (size_t i = 0; i < n; i++) {	/* ASCII to UTF-16LE */
		buf[2 + 2 * i] = (u8)s[i];
		buf[3 + 2 * i] = 0;
	}
	return usb_ch9_reply(data, wlength, buf, buf[0]);
}

static int
get_descriptor(const struct usb_ch9 *c, const struct usb_setup *s, u8 *data)
{
	u8 type = (u8)(s->wValue >> 8), index = (u8)s->wValue;

	if ((s->bmRequestType & 0x1F) != RECIP_DEVICE)
		return -EPIPE;
	switch (type) {
	case USB_DT_DEVICE:
		return index ? -EPIPE : usb_ch9_reply(data, s->wLength, c->device_desc, 18);
	case USB_DT_CONFIG:
		return index ? -EPIPE : usb_ch9_reply(data, s->wLength, c->config_desc,
						      c->config_desc[2] | (size_t)c->config_desc[3] << 8);
	case USB_DT_STRING:
		return string_desc(c, index, data, s->wLength);
	default:
		return -EPIPE;
	}
}

/* An endpoint named by wIndex, as a bit; 0 when the model has no such endpoint. */
static u32
endpoint_bit(const struct usb_ch9 *c, u16 windex)
{
	return windex & ~0x8Fu ? 0 : USB_CH9_EP_BIT(windex) & c->endpoints;
}

int
usb_ch9_request(struct usb_ch9 *c, const struct usb_setup *s, u8 *data)
{
	u8 recipient = s->bmRequestType & 0x1F;
	bool in = s->bmRequestType & 0x80;
	u32 ep;

	switch (s->bRequest) {
	case USB_REQ_GET_DESCRIPTOR:
		return in ? get_descriptor(c, s, data) : -EPIPE;
	case USB_REQ_SET_ADDRESS:
		if (in || recipient || s->wValue > 127 || s->wIndex || s->wLength)
			return -EPIPE;
		c->address = (u8)s->wValue;
		return 0;
	case USB_REQ_SET_CONFIGURATION:
		if (in || recipient || s->wValue > 1 || s->wLength)
			return -EPIPE;
		c->config = (u8)s->wValue;
		c->halted = 0;
		return 0;
	case USB_REQ_GET_CONFIGURATION:
		if (!in || recipient || s->wLength < 1)
			return -EPIPE;
		data[0] = c->config;
		return 1;
	case USB_REQ_GET_STATUS:
		if (!in || s->wLength < 2)
			return -EPIPE;
		data[0] = data[1] = 0;	/* bus powered, no remote wakeup, not halted */
		if (recipient == RECIP_DEVICE || (recipient == RECIP_INTERFACE && s->wIndex == 0) ||
		    (recipient == RECIP_ENDPOINT && s->wIndex == 0))
			return 2;
		if (recipient != RECIP_ENDPOINT || !(ep = endpoint_bit(c, s->wIndex)))
			return -EPIPE;
		data[0] = (c->halted & ep) != 0;
		return 2;
	case USB_REQ_CLEAR_FEATURE:
	case USB_REQ_SET_FEATURE:
		/* only ENDPOINT_HALT (feature 0) */
		if (in || recipient != RECIP_ENDPOINT || s->wValue != 0 || s->wLength)
			return -EPIPE;
		if (!(ep = endpoint_bit(c, s->wIndex)))
			return -EPIPE;
		if (s->bRequest == USB_REQ_SET_FEATURE)
			c->halted |= ep;
		else
			c->halted &= ~ep;
		return 0;
	case USB_REQ_GET_INTERFACE:
		if (!in || recipient != RECIP_INTERFACE || s->wIndex != 0 || s->wLength < 1 || !c->config)
			return -EPIPE;
		data[0] = 0;
		return 1;
	case USB_REQ_SET_INTERFACE:
		if (in || recipient != RECIP_INTERFACE || s->wIndex != 0 || s->wValue != 0 || !c->config)
			return -EPIPE;
		return 0;
	default:
		return -EPIPE;
	}
}
