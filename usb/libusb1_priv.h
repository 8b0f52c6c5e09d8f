/* libusb-1.0 over the USB core: what the layer's files share (private to
 * usb/libusb1*.c).  Contexts own the device objects they handed out and the
 * transfers in flight; devices and handles point at the core's usb_dev,
 * which stays allocated while referenced. */
#ifndef USB_LIBUSB1_PRIV_H
#define USB_LIBUSB1_PRIV_H

#include <core/types.h>
#include <usb/core.h>
#include <usb/libusb1.h>
#include <usb/libusb1_parse.h>

/* A sleeping lock for blob threads (libusb's event and waiter locks):
 * the holder's thread id, 0 when free. */
struct lu1_lock {
	int holder;
};

struct libusb_context {
	int refs;			/* libusb_init calls not yet matched by exit */
	int log_level;
	struct libusb_device *devs;	/* every device object still referenced */
	struct lu1_xfer *xfers;		/* submitted, callback not yet run */
	struct lu1_lock events, waiters;
	u64 event_seq;			/* bumped when events were handled */
	bool interrupted;		/* libusb_interrupt_event_handler */
	libusb_log_cb log_cb;		/* LIBUSB_LOG_CB_CONTEXT */
	struct lu1_hotplug *hotplugs;	/* libusb1_hotplug.c */
	struct usb_dev **seen;		/* devices the callbacks know (referenced) */
	int nseen, seen_cap, hp_firing;
	struct libusb_context *next;	/* every context */
};

struct libusb_device {
	struct libusb_context *ctx;
	struct usb_dev *core;
	int refs;
	struct libusb_device *next;	/* the context's */
};

#define LU1_HANDLE_MAGIC 0x6c753168	/* "lu1h": cleared on close */

struct libusb_device_handle {
	u32 magic;
	struct libusb_device *dev;
	u32 claimed;			/* interfaces this handle claimed */
	bool auto_detach;
};

enum lu1_xfer_state { XS_IDLE, XS_FLIGHT, XS_ZLP, XS_DONE };

/* A transfer as the layer keeps it: the blob sees only `t' (it must be
 * last: the isochronous descriptors follow it). */
struct lu1_xfer {
	struct libusb_context *ctx;
	struct urb urb;
	u64 deadline;			/* monotonic ns, 0: none */
	u8 state;			/* enum lu1_xfer_state */
	bool cancelling;
	int result;			/* enum libusb_transfer_status once XS_DONE */
	size_t actual;
	struct lu1_xfer *next;		/* the context's in-flight list */
	struct libusb_transfer t;
};

/* libusb1.c */
struct libusb_context *lu1_ctx(struct libusb_context *ctx);	/* NULL: the default */
struct libusb_context *lu1_default_ctx(void);	/* NULL before libusb_init(NULL), quietly */
struct libusb_device *lu1_device_for(struct libusb_context *c, struct usb_dev *core);	/* referenced */
int lu1_err(int neg_errno);	/* a core errno as a LIBUSB_ERROR_* */
bool lu1_dev_gone(const struct usb_dev *d);
void lu1_log(struct libusb_context *ctx, int level, const char *fmt, ...) __printf(3, 4);

/* libusb1_events.c */
void lu1_lock_take(struct lu1_lock *l, const char *what);
bool lu1_lock_try(struct lu1_lock *l);
void lu1_lock_drop(struct lu1_lock *l);
/* Wait (other blob threads run, controllers are polled) until pred(arg)
 * or the monotonic deadline. */
void lu1_wait(u64 deadline, bool (*pred)(void *), void *arg, const char *what);
void lu1_signal_waiters(struct libusb_context *ctx);

/* libusb1_io.c */
void lu1_cancel_handle(struct libusb_device_handle *h);	/* at close */
int lu1_process(struct libusb_context *ctx);	/* callbacks run */
bool lu1_any_done(void *ctx);
u64 lu1_next_deadline(struct libusb_context *ctx);

/* libusb1_misc.c */
extern int lu1_default_log_level;
extern libusb_log_cb lu1_global_log_cb;

/* libusb1_hotplug.c */
bool lu1_hotplug_changed(struct libusb_context *c);
int lu1_hotplug_scan(struct libusb_context *c);	/* callbacks run */
void lu1_hotplug_exit(struct libusb_context *c);

#endif
