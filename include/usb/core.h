/* The VMM's USB core: host controllers, devices, enumeration and URBs.
 *
 * A host controller (the in-process one for device models, usbredir on the
 * hosted platform, UHCI on bare metal) implements struct usb_hc_ops and
 * registers itself as one bus.  It reports devices arriving and leaving on
 * its ports; the core enumerates them (descriptors, address, configuration)
 * and treats everything a device sends as hostile.  Transfers are URBs:
 * submitted, completed by the controller (at once or from its poll), waited
 * for with a timeout, cancelled.  Everything runs on one CPU, polled. */
#ifndef USB_CORE_H
#define USB_CORE_H

#include <core/types.h>
#include <usb/model.h>
#include <usb/usb.h>

struct usb_hc;
struct usb_dev;

enum urb_type { URB_ISO = 0, URB_INTERRUPT = 1, URB_CONTROL = 2, URB_BULK = 3 };	/* usbmon's codes */

struct urb {
	struct usb_dev *dev;
	u8 type;		/* enum urb_type */
	u8 ep;			/* endpoint address, 0x80 set for IN */
	struct usb_setup setup;	/* control transfers */
	u8 *buf;
	size_t len;		/* requested */
	size_t actual;		/* transferred */
	int status;		/* 0, or -EPIPE (stall), -ETIMEDOUT, -ECANCELED, -ENODEV, -EOVERFLOW, -EPROTO */
	bool done;
	bool pending;		/* owned by the controller */
	u64 id;			/* for the capture: pairs submit and complete */
	u64 submit_ns;
	struct urb *next;	/* the device's list of pending URBs */
	void *hcpriv;		/* the controller's */
};

struct usb_hc_ops {
	const char *kind;	/* "virt", "usbredir", "uhci" */
	/* Take the URB; complete it with usb_urb_complete() now or later (from
	 * poll).  Return a negative errno if it cannot be queued at all. */
	int (*submit)(struct usb_hc *hc, struct urb *urb);
	/* Forget a pending URB: after this returns the controller will not
	 * touch it again.  The core completes it with the reason. */
	void (*cancel)(struct usb_hc *hc, struct urb *urb);
	/* Make progress (receive, retry NAKed transfers); may wait up to
	 * max_wait_ns for something to happen. */
	void (*poll)(struct usb_hc *hc, u64 max_wait_ns);
	/* Reset the device on a port (back to address 0, unconfigured). */
	int (*port_reset)(struct usb_hc *hc, struct usb_dev *d);
	/* Release the controller's resources after its devices are gone. */
	void (*close)(struct usb_hc *hc);
};

struct usb_hc {
	const struct usb_hc_ops *ops;
	char name[64];		/* what it is attached to, for `usb list` */
	void *priv;
	int busnum;		/* given by usb_hc_register, from 1 */
	u8 next_addr;
	struct usb_hc *next;
};

enum usb_dev_state {
	USB_DEV_NEW,		/* being enumerated */
	USB_DEV_CONFIGURED,
	USB_DEV_DISABLED,	/* bad descriptors or a failed request */
	USB_DEV_GONE,		/* unplugged; kept while referenced */
};

struct usb_dev {
	struct usb_hc *hc;
	int port;		/* on the controller, from 1 */
	u8 speed;		/* USB_MODEL_SPEED_* */
	u8 addr;		/* 0 until SET_ADDRESS */
	u8 state;		/* enum usb_dev_state */
	u8 cur_config;		/* bConfigurationValue, 0 unconfigured */
	u64 serial;		/* unique over the VMM's life */
	char id[16];		/* "1-2": bus-port, for messages */
	struct usb_device_descriptor desc;
	struct usb_config_descriptor *config;	/* desc.bNumConfigurations */
	u8 **raw_config;	/* as read, for `usb desc` */
	u16 langid;
	char manufacturer[64], product[64], serialstr[64];
	char why[160];		/* why it is disabled */
	struct urb *pending;
	const void *claim[USB_MAXINTERFACES];	/* owner handle per interface (usb/claim.c) */
	int refs;
	struct usb_dev *next;
	void *hcpriv;
};

/* Still usable for requests: configured and on a live controller.  A
 * device that is gone (unplugged, or its controller detached: hc NULL),
 * disabled or being enumerated again is not; its memory stays while a
 * handle references it. */
static inline bool
usb_dev_usable(const struct usb_dev *d)
{
	return d->hc && d->state == USB_DEV_CONFIGURED;
}

/* Controllers */
int usb_hc_register(struct usb_hc *hc);
void usb_hc_unregister(struct usb_hc *hc);	/* disconnects its devices, closes it */
struct usb_hc *usb_hc_by_bus(int busnum);
struct usb_hc *usb_hc_first(void);

/* A device appeared on a port: enumerate it.  Returns the device (also
 * when it ended up disabled: check ->state) or NULL without memory. */
struct usb_dev *usb_port_connect(struct usb_hc *hc, int port, u8 speed, void *hcpriv);
/* The device on the port is gone: its URBs complete with -ENODEV. */
void usb_port_disconnect(struct usb_hc *hc, int port);

/* Devices (those not GONE), in bus then port order */
struct usb_dev *usb_dev_first(void);
struct usb_dev *usb_dev_next(struct usb_dev *d);
struct usb_dev *usb_dev_find(int busnum, int addr);
struct usb_dev *usb_dev_parse_id(const char *s);	/* "B:A" or "B-P" */
void usb_dev_get(struct usb_dev *d);
void usb_dev_put(struct usb_dev *d);

/* URBs */
int usb_urb_submit(struct urb *urb);
void usb_urb_complete(struct urb *urb, int status);	/* for controllers */
/* Wait until done or timeout_ms passed (0: forever); on timeout the URB is
 * cancelled and fails with -ETIMEDOUT. */
int usb_urb_wait(struct urb *urb, u32 timeout_ms);
void usb_urb_cancel(struct urb *urb, int status);
/* Synchronous helpers: bytes transferred or a negative errno. */
int usb_dev_control(struct usb_dev *d, u8 reqtype, u8 req, u16 value, u16 index,
		    void *data, u16 len, u32 timeout_ms);
int usb_dev_transfer(struct usb_dev *d, u8 type, u8 ep, void *data, size_t len, u32 timeout_ms);
int usb_dev_set_config(struct usb_dev *d, u8 value);
/* Port reset, then the same address and configuration again. */
int usb_dev_reset(struct usb_dev *d);
/* Interface claims (usb/claim.c), shared by every libusb layer's handles
 * (owner: the handle).  usb_dev_claim: 0, -ENODEV, -EINVAL (number out of
 * range), -ENOENT (not in the current configuration), -EBUSY (another
 * owner's).  usb_dev_claim_for_ep claims the interface of an endpoint, as
 * usbfs does on a transfer. */
struct usb_config_descriptor *usb_dev_current_config(struct usb_dev *d);
struct usb_interface *usb_dev_find_interface(struct usb_dev *d, int ifnum);
int usb_dev_ep_interface(struct usb_dev *d, unsigned int ep);	/* -1: none */
int usb_dev_claim(struct usb_dev *d, int ifnum, const void *owner);
int usb_dev_claim_for_ep(struct usb_dev *d, unsigned int ep, const void *owner);
int usb_dev_release(struct usb_dev *d, int ifnum, const void *owner);	/* 0 or -ENOENT */
void usb_dev_release_all(struct usb_dev *d, const void *owner);
const void *usb_dev_claimer(const struct usb_dev *d, int ifnum);
/* Drive every controller once (the shell calls it between commands). */
void usb_poll_all(u64 max_wait_ns);

/* Descriptors (usb/desc.c): every length, count and nesting checked.  On
 * failure return -EINVAL with one phrase in why ("config descriptor: ..."). */
int usb_desc_parse_device(const u8 *raw, size_t len, struct usb_device_descriptor *out,
			  char *why, size_t whylen);
int usb_desc_parse_config(const u8 *raw, size_t len, struct usb_config_descriptor *out,
			  char *why, size_t whylen);
void usb_desc_free_config(struct usb_config_descriptor *cfg);
/* A string descriptor to ASCII ('?' for the rest); length or -EINVAL. */
int usb_desc_string_ascii(const u8 *raw, size_t len, char *out, size_t outlen);
const char *usb_class_name(u8 cls);

/* The in-process controller (usb/virt.c): software models on ports. */
struct usb_hc *usb_virt_create(const char *name);
int usb_virt_plug(struct usb_hc *hc, struct usb_model *m);	/* port or -errno */
void usb_virt_unplug(struct usb_hc *hc, int port);

/* The usbredir controller (usb/usbredir.c, hosted): connect to HOST:PORT
 * or unix:PATH and enumerate its device within 5 s.  Returns the bus
 * number, or a negative errno after one line saying why. */
int usb_redir_attach(const char *addr);

/* Models the shell can attach in-process (`usb attach model:NAME`). */
struct usb_model_entry {
	const char *name;
	struct usb_model *(*create)(const char *arg);	/* NULL: bad arg */
	void (*destroy)(struct usb_model *m);
	const char *help;
};
#define USB_MODEL(name_, create_, destroy_, help_) \
	static const struct usb_model_entry __usb_model_##create_ __used \
	__section("usb_models") __attribute__((aligned(8))) = { name_, create_, destroy_, help_ }
const struct usb_model_entry *usb_model_lookup(const char *name);

/* The echo test device (usb/echo.c): a HID device whose interrupt IN
 * endpoint returns what was written to its OUT endpoint.  Variants with
 * broken descriptors exercise the parser. */
struct usb_model *usb_echo_create(const char *variant);
void usb_echo_destroy(struct usb_model *m);
/* Hold back IN data for this long after each OUT (tests timeouts). */
void usb_echo_set_delay_ms(struct usb_model *m, u32 ms);

/* Capture (usb/capture.c): usbmon records into a pcap file. */
int usb_capture_start(const char *path);
int usb_capture_stop(void);
bool usb_capture_active(void);
void usb_capture_urb(const struct urb *urb, char event);	/* 'S' or 'C' */

/* Errno text as glibc's strerror gives it (for usb_strerror and messages). */
const char *usb_errno_text(int err);

#endif
