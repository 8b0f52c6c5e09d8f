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

#endif
