/* A USB device implemented in software (the dongle, test devices).  The same
 * model is served over usbredir by tools/dongled, attached in-process to the
 * VMM's USB core by tests and benchmarks, and never contains platform code.
 * All calls are synchronous. */
#ifndef USB_MODEL_H
#define USB_MODEL_H

#include <core/types.h>

struct usb_setup {
	u8 bmRequestType;
	u8 bRequest;
	u16 wValue;
	u16 wIndex;
	u16 wLength;
} __attribute__((packed));

struct usb_model;

struct usb_model_ops {
	/* A control transfer on endpoint 0, standard requests included (the
	 * model owns its descriptors).  For IN, fill up to wLength bytes of
	 * data and return the count; for OUT, data holds wLength bytes.
	 * Return a negative errno on failure: -EPIPE for a stall. */
	int (*control)(struct usb_model *m, const struct usb_setup *setup, u8 *data);
	/* Interrupt or bulk OUT on endpoint ep (without the direction bit). */
	int (*data_out)(struct usb_model *m, u8 ep, const u8 *data, size_t len);
	/* Interrupt or bulk IN: copy up to len bytes, return the count;
	 * return -EAGAIN when nothing is ready (a NAK), -EPIPE to stall. */
	int (*data_in)(struct usb_model *m, u8 ep, u8 *data, size_t len);
	/* Port reset: back to the default state (address 0, unconfigured). */
	void (*reset)(struct usb_model *m);
};

struct usb_model {
	const struct usb_model_ops *ops;
	const char *name;
	u8 speed;		/* USB_MODEL_SPEED_* */
	void *priv;
};

enum { USB_MODEL_SPEED_LOW, USB_MODEL_SPEED_FULL, USB_MODEL_SPEED_HIGH, USB_MODEL_SPEED_SUPER };

/* Chapter 9 of USB 2.0 for a model with one configuration (value 1) and one
 * interface without alternate settings (usb/model_ch9.c): the standard
 * requests on endpoint 0 and the state they change.  The model keeps one
 * in its state, answers class requests itself and asks usb_ch9_request
 * for the standard ones. */
struct usb_ch9 {
	const u8 *device_desc;		/* 18 bytes */
	const u8 *config_desc;		/* wTotalLength bytes */
	const char *strings[4];		/* string descriptors 1..3; [0] unused */
	u32 endpoints;			/* USB_CH9_EP_BIT of each endpoint */
	u32 halted;			/* the same bits, for halted endpoints */
	u8 address, config;
};

#define USB_CH9_EP_BIT(ep)	(1u << (((ep) & 0x80 ? 16 : 0) | ((ep) & 0x0F)))

/* Set up c for the given descriptors (endpoints found in config_desc),
 * address 0, unconfigured; strings[1..3] as given (NULL: absent). */
void usb_ch9_init(struct usb_ch9 *c, const u8 *device_desc, const u8 *config_desc,
		  const char *manufacturer, const char *product, const char *serial);
/* Back to the default state after a bus reset. */
void usb_ch9_reset(struct usb_ch9 *c);
/* A standard request (bmRequestType type bits 0): as usb_model_ops.control.
 * A SET_CONFIGURATION clears every halt; the model resets its own
 * per-configuration state when it sees one succeed. */
int usb_ch9_request(struct usb_ch9 *c, const struct usb_setup *s, u8 *data);
static inline bool
usb_ch9_halted(const struct usb_ch9 *c, u8 ep)
{
	return c->halted & USB_CH9_EP_BIT(ep);
}
/* Copy at most wlength of n bytes from src; returns the count. */
int usb_ch9_reply(u8 *data, u16 wlength, const void *src, size_t n);

#endif
