/* libusb-1.0 for blobs, over the USB core (like usb/libusb.c for 0.1):
 * contexts, device lists with reference counts, device properties and the
 * descriptors read from the core's copies.  Handles are libusb1_handle.c,
 * transfers libusb1_io.c, event handling libusb1_events.c.  Semantics are
 * those of Debian's libusb 1.0.26 on Linux (usbfs), where a blob could
 * tell the difference. */
#include <core/console.h>
#include <core/errno.h>
#include <core/export.h>
#include <core/heap.h>
#include <core/string.h>
#include "libusb1_priv.h"

static struct libusb_context *contexts;
static struct libusb_context *default_ctx;

struct libusb_context *
lu1_default_ctx(void)
{
	return default_ctx;
}

struct libusb_context *
lu1_ctx(struct libusb_context *ctx)
{
	if (ctx)
		return ctx;
	if (!default_ctx)
		kprintf("libusb: the default context is used before libusb_init(NULL)\n");
	return default_ctx;
}

void
lu1_log(struct libusb_context *ctx, int level, const char *fmt, ...)
{
	static const char *const names[] = { "", "error", "warning", "info", "debug" };
	char msg[200];
	va_list ap;

	ctx = ctx ? ctx : default_ctx;
	if (!ctx || level > ctx->log_level || level < 1 || level > 4)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A log callback gets the line as libusb formats it; else the console. */
	if (ctx->log_cb || lu1_global_log_cb) {
		char line[240];

		snprintf(line, sizeof(line), "libusb: %s %s\n", names[level], msg);
		(ctx->log_cb ? ctx->log_cb : lu1_global_log_cb)(ctx, level, line);
		return;
	}
	kprintf("libusb: %s %s\n", names[level], msg);
}

/* usbfs's errno values as Linux's libusb reports them. */
int
lu1_err(int neg_errno)
{
	switch (-neg_errno) {
	case 0:		return LIBUSB_SUCCESS;
	case EPIPE:	return LIBUSB_ERROR_PIPE;
	case ETIMEDOUT:	return LIBUSB_ERROR_TIMEOUT;
	case ENODEV:	return LIBUSB_ERROR_NO_DEVICE;
	case EOVERFLOW:	return LIBUSB_ERROR_OVERFLOW;
	case ENOMEM:	return LIBUSB_ERROR_NO_MEM;
	case EBUSY:	return LIBUSB_ERROR_BUSY;
	case ENOENT:	return LIBUSB_ERROR_NOT_FOUND;
	case EINVAL:	return LIBUSB_ERROR_INVALID_PARAM;
	case ENOSYS:
	case ENOTSUP:	return LIBUSB_ERROR_NOT_SUPPORTED;
	case EACCES:
	case EPERM:	return LIBUSB_ERROR_ACCESS;
	case EINTR:	return LIBUSB_ERROR_INTERRUPTED;
	default:	return LIBUSB_ERROR_IO;
	}
}

bool
lu1_dev_gone(const struct usb_dev *d)
{
	return !usb_dev_usable(d);
}

/* --- contexts ---------------------------------------------------------------- */

static struct libusb_context *
ctx_new(void)
{
	struct libusb_context *c = heap_zalloc(sizeof(*c));

	if (!c)
		return NULL;
	c->refs = 1;
	c->log_level = lu1_default_log_level;
	c->next = contexts;
	contexts = c;
	return c;
}

static void
ctx_free_if_unused(struct libusb_context *c)
{
	if (c->refs || c->devs || c->xfers)
		return;
	for (struct libusb_context **pp = &contexts; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	if (c == default_ctx)
		default_ctx = NULL;
	heap_free(c);
}

/* libusb_init(NULL) counts references to the one default context; each
 * libusb_init(&ctx) makes a new one. */
int
libusb_init(libusb_context **out)
{
	struct libusb_context *c;

	usb_poll_all(0);
	if (!out) {
		if (default_ctx) {
			default_ctx->refs++;
			return 0;
		}
		default_ctx = ctx_new();
		return default_ctx ? 0 : LIBUSB_ERROR_NO_MEM;
	}
	c = ctx_new();
	if (!c)
		return LIBUSB_ERROR_NO_MEM;
	*out = c;
	return 0;
}
EXPORT(libusb_init, LIBUSB1);

/* Transfers still in flight are cancelled (the core must not keep URBs of
 * a context nobody will handle events for); the context itself stays
 * until its last device object is unreferenced. */
void
libusb_exit(libusb_context *ctx)
{
	struct libusb_context *c = ctx ? ctx : default_ctx;

	if (!c || c->refs <= 0)
		return;
	if (--c->refs)
		return;
	lu1_hotplug_exit(c);
	while (c->xfers) {
		struct lu1_xfer *x = c->xfers;

		c->xfers = x->next;
		usb_urb_cancel(&x->urb, -ECANCELED);
		x->state = XS_IDLE;
		x->next = NULL;
		x->ctx = NULL;
	}
	if (c->devs)
		lu1_log(c, LIBUSB_LOG_LEVEL_WARNING, "[libusb_exit] device list not freed");
	if (c == default_ctx)
		default_ctx = NULL;
	ctx_free_if_unused(c);
}
EXPORT(libusb_exit, LIBUSB1);

/* --- devices ----------------------------------------------------------------- */

struct libusb_device *
lu1_device_for(struct libusb_context *c, struct usb_dev *core)
{
	struct libusb_device *d;

	for (d = c->devs; d; d = d->next)
		if (d->core == core)
			return libusb_ref_device(d);
	d = heap_zalloc(sizeof(*d));
	if (!d)
		return NULL;
	usb_dev_get(core);
	d->core = core;
	d->ctx = c;
	d->refs = 1;
	d->next = c->devs;
	c->devs = d;
	return d;
}

/* Configured devices of every controller, in bus then port order.  The
 * same device keeps the same object while anyone references it. */
ssize_t
libusb_get_device_list(libusb_context *ctx, libusb_device ***list)
{
	struct libusb_context *c = lu1_ctx(ctx);
	struct libusb_device **l;
	size_t n = 0, i = 0;

	if (!c || !list)
		return LIBUSB_ERROR_INVALID_PARAM;
	usb_poll_all(0);
	for (struct usb_dev *d = usb_dev_first(); d; d = usb_dev_next(d))
		n += d->state == USB_DEV_CONFIGURED;
	l = heap_zalloc((n + 1) * sizeof(*l));
	if (!l)
		return LIBUSB_ERROR_NO_MEM;
	for (struct usb_dev *d = usb_dev_first(); d && i < n; d = usb_dev_next(d)) {
		if (d->state != USB_DEV_CONFIGURED)
			continue;
		l[i] = lu1_device_for(c, d);
		if (!l[i]) {
			libusb_free_device_list(l, 1);
			return LIBUSB_ERROR_NO_MEM;
		}
		i++;
	}
	*list = l;
	return (ssize_t)i;
}
EXPORT(libusb_get_device_list, LIBUSB1);

void
libusb_free_device_list(libusb_device **list, int unref_devices)
{
	if (!list)
		return;
	if (unref_devices)
		for (libusb_device **p = list; *p; p++)
			libusb_unref_device(*p);
	heap_free(list);
}
EXPORT(libusb_free_device_list, LIBUSB1);

libusb_device *
libusb_ref_device(libusb_device *dev)
{
	if (dev)
		dev->refs++;
	return dev;
}
EXPORT(libusb_ref_device, LIBUSB1);

void
libusb_unref_device(libusb_device *dev)
{
	struct libusb_context *c;

	if (!dev || --dev->refs > 0)
		return;
	c = dev->ctx;
	for (struct libusb_device **pp = &c->devs; *pp; pp = &(*pp)->next)
		if (*pp == dev) {
			*pp = dev->next;
			break;
		}
	usb_dev_put(dev->core);
	heap_free(dev);
	ctx_free_if_unused(c);
}
EXPORT(libusb_unref_device, LIBUSB1);

uint8_t
libusb_get_bus_number(libusb_device *dev)
{
	return dev->core->hc ? (uint8_t)dev->core->hc->busnum : 0;
}
EXPORT(libusb_get_bus_number, LIBUSB1);

uint8_t
libusb_get_device_address(libusb_device *dev)
{
	return dev->core->addr;
}
EXPORT(libusb_get_device_address, LIBUSB1);

/* Every device sits on a root port here (no hubs are enumerated). */
uint8_t
libusb_get_port_number(libusb_device *dev)
{
	return (uint8_t)dev->core->port;
}
EXPORT(libusb_get_port_number, LIBUSB1);

int
libusb_get_port_numbers(libusb_device *dev, uint8_t *ports, int len)
{
	if (len <= 0)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (!dev->core->port)
		return 0;
	ports[0] = (uint8_t)dev->core->port;
	return 1;
}
EXPORT(libusb_get_port_numbers, LIBUSB1);

int
libusb_get_port_path(libusb_context *ctx, libusb_device *dev, uint8_t *path, uint8_t len)
{
	(void)ctx;
	return libusb_get_port_numbers(dev, path, len);
}
EXPORT(libusb_get_port_path, LIBUSB1);

/* No root hubs are listed (as for libusb-0.1 here), so no device has a
 * parent object. */
libusb_device *
libusb_get_parent(libusb_device *dev)
{
	(void)dev;
	return NULL;
}
EXPORT(libusb_get_parent, LIBUSB1);

int
libusb_get_device_speed(libusb_device *dev)
{
	switch (dev->core->speed) {
	case USB_MODEL_SPEED_LOW:	return LIBUSB_SPEED_LOW;
	case USB_MODEL_SPEED_FULL:	return LIBUSB_SPEED_FULL;
	case USB_MODEL_SPEED_HIGH:	return LIBUSB_SPEED_HIGH;
	case USB_MODEL_SPEED_SUPER:	return LIBUSB_SPEED_SUPER;
	default:			return LIBUSB_SPEED_UNKNOWN;
	}
}
EXPORT(libusb_get_device_speed, LIBUSB1);

/* --- descriptors ----------------------------------------------------------------- */

int
libusb_get_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *desc)
{
	_Static_assert(sizeof(*desc) == sizeof(dev->core->desc), "device descriptor layouts");
	memcpy(desc, &dev->core->desc, sizeof(*desc));
	return 0;
}
EXPORT(libusb_get_device_descriptor, LIBUSB1);

/* A private copy of configuration i, parsed again from the bytes the core
 * read (and already accepted), so the blob may keep and free it. */
static int
config_copy(libusb_device *dev, int i, struct libusb_config_descriptor **out)
{
	struct usb_dev *d = dev->core;
	struct usb_config_descriptor *c;
	char why[128];

	_Static_assert(sizeof(struct libusb_config_descriptor) == sizeof(*c), "config layouts");
	if (i < 0 || i >= d->desc.bNumConfigurations || !d->config || !d->raw_config)
		return LIBUSB_ERROR_NOT_FOUND;
	c = heap_zalloc(sizeof(*c));
	if (!c)
		return LIBUSB_ERROR_NO_MEM;
	if (usb_desc_parse_config(d->raw_config[i], d->config[i].wTotalLength, c, why,
				  sizeof(why))) {
		heap_free(c);
		return LIBUSB_ERROR_IO;
	}
	*out = (struct libusb_config_descriptor *)c;
	return 0;
}

int
libusb_get_config_descriptor(libusb_device *dev, uint8_t index,
			     struct libusb_config_descriptor **config)
{
	return config_copy(dev, index, config);
}
EXPORT(libusb_get_config_descriptor, LIBUSB1);

int
libusb_get_config_descriptor_by_value(libusb_device *dev, uint8_t value,
				      struct libusb_config_descriptor **config)
{
	for (int i = 0; dev->core->config && i < dev->core->desc.bNumConfigurations; i++)
		if (dev->core->config[i].bConfigurationValue == value)
			return config_copy(dev, i, config);
	return LIBUSB_ERROR_NOT_FOUND;
}
EXPORT(libusb_get_config_descriptor_by_value, LIBUSB1);

/* Unconfigured: LIBUSB_ERROR_NOT_FOUND, as Linux's libusb says. */
int
libusb_get_active_config_descriptor(libusb_device *dev, struct libusb_config_descriptor **config)
{
	if (!dev->core->cur_config)
		return LIBUSB_ERROR_NOT_FOUND;
	return libusb_get_config_descriptor_by_value(dev, dev->core->cur_config, config);
}
EXPORT(libusb_get_active_config_descriptor, LIBUSB1);

void
libusb_free_config_descriptor(struct libusb_config_descriptor *config)
{
	if (!config)
		return;
	usb_desc_free_config((struct usb_config_descriptor *)config);
	heap_free(config);
}
EXPORT(libusb_free_config_descriptor, LIBUSB1);

static const struct usb_endpoint_descriptor *
find_endpoint(struct usb_config_descriptor *c, unsigned char ep)
{
	for (int i = 0; c && i < c->bNumInterfaces; i++)
		for (int a = 0; a < c->interface[i].num_altsetting; a++) {
			const struct usb_interface_descriptor *alt = &c->interface[i].altsetting[a];

			for (int e = 0; e < alt->bNumEndpoints; e++)
				if (alt->endpoint[e].bEndpointAddress == ep)
					return &alt->endpoint[e];
		}
	return NULL;
}

/* From the active configuration, as libusb 1.0.26 does: no configuration
 * is LIBUSB_ERROR_OTHER, no such endpoint LIBUSB_ERROR_NOT_FOUND. */
int
libusb_get_max_packet_size(libusb_device *dev, unsigned char endpoint)
{
	struct usb_config_descriptor *c = usb_dev_current_config(dev->core);
	const struct usb_endpoint_descriptor *ep;

	if (!c)
		return LIBUSB_ERROR_OTHER;
	ep = find_endpoint(c, endpoint);
	return ep ? ep->wMaxPacketSize : LIBUSB_ERROR_NOT_FOUND;
}
EXPORT(libusb_get_max_packet_size, LIBUSB1);

/* Bits 11-12 of wMaxPacketSize are extra transactions per microframe for
 * periodic endpoints.  (SuperSpeed burst sizes would come from the
 * endpoint companion; no SuperSpeed device offers isochronous here.) */
int
libusb_get_max_iso_packet_size(libusb_device *dev, unsigned char endpoint)
{
	struct usb_config_descriptor *c = usb_dev_current_config(dev->core);
	const struct usb_endpoint_descriptor *ep;
	int type, n;

	if (!c)
		return LIBUSB_ERROR_OTHER;
	ep = find_endpoint(c, endpoint);
	if (!ep)
		return LIBUSB_ERROR_NOT_FOUND;
	type = ep->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK;
	n = ep->wMaxPacketSize & 0x7ff;
	if (type == LIBUSB_ENDPOINT_TRANSFER_TYPE_ISOCHRONOUS ||
	    type == LIBUSB_ENDPOINT_TRANSFER_TYPE_INTERRUPT)
		n *= 1 + ((ep->wMaxPacketSize >> 11) & 3);
	return n;
}
EXPORT(libusb_get_max_iso_packet_size, LIBUSB1);

/* --- names of errors and statuses (libusb 1.0.26's texts) --------------------------- */

const char *
libusb_error_name(int code)
{
	switch (code) {
	case LIBUSB_ERROR_IO:			return "LIBUSB_ERROR_IO";
	case LIBUSB_ERROR_INVALID_PARAM:	return "LIBUSB_ERROR_INVALID_PARAM";
	case LIBUSB_ERROR_ACCESS:		return "LIBUSB_ERROR_ACCESS";
	case LIBUSB_ERROR_NO_DEVICE:		return "LIBUSB_ERROR_NO_DEVICE";
	case LIBUSB_ERROR_NOT_FOUND:		return "LIBUSB_ERROR_NOT_FOUND";
	case LIBUSB_ERROR_BUSY:			return "LIBUSB_ERROR_BUSY";
	case LIBUSB_ERROR_TIMEOUT:		return "LIBUSB_ERROR_TIMEOUT";
	case LIBUSB_ERROR_OVERFLOW:		return "LIBUSB_ERROR_OVERFLOW";
	case LIBUSB_ERROR_PIPE:			return "LIBUSB_ERROR_PIPE";
	case LIBUSB_ERROR_INTERRUPTED:		return "LIBUSB_ERROR_INTERRUPTED";
	case LIBUSB_ERROR_NO_MEM:		return "LIBUSB_ERROR_NO_MEM";
	case LIBUSB_ERROR_NOT_SUPPORTED:	return "LIBUSB_ERROR_NOT_SUPPORTED";
	case LIBUSB_ERROR_OTHER:		return "LIBUSB_ERROR_OTHER";
	case LIBUSB_TRANSFER_ERROR:		return "LIBUSB_TRANSFER_ERROR";
	case LIBUSB_TRANSFER_TIMED_OUT:		return "LIBUSB_TRANSFER_TIMED_OUT";
	case LIBUSB_TRANSFER_CANCELLED:		return "LIBUSB_TRANSFER_CANCELLED";
	case LIBUSB_TRANSFER_STALL:		return "LIBUSB_TRANSFER_STALL";
	case LIBUSB_TRANSFER_NO_DEVICE:		return "LIBUSB_TRANSFER_NO_DEVICE";
	case LIBUSB_TRANSFER_OVERFLOW:		return "LIBUSB_TRANSFER_OVERFLOW";
	case 0:					return "LIBUSB_SUCCESS / LIBUSB_TRANSFER_COMPLETED";
	default:				return "**UNKNOWN**";
	}
}
EXPORT(libusb_error_name, LIBUSB1);

const char *
libusb_strerror(int code)
{
	switch (code) {
	case LIBUSB_SUCCESS:			return "Success";
	case LIBUSB_ERROR_IO:			return "Input/Output Error";
	case LIBUSB_ERROR_INVALID_PARAM:	return "Invalid parameter";
	case LIBUSB_ERROR_ACCESS:		return "Access denied (insufficient permissions)";
	case LIBUSB_ERROR_NO_DEVICE:		return "No such device (it may have been disconnected)";
	case LIBUSB_ERROR_NOT_FOUND:		return "Entity not found";
	case LIBUSB_ERROR_BUSY:			return "Resource busy";
	case LIBUSB_ERROR_TIMEOUT:		return "Operation timed out";
	case LIBUSB_ERROR_OVERFLOW:		return "Overflow";
	case LIBUSB_ERROR_PIPE:			return "Pipe error";
	case LIBUSB_ERROR_INTERRUPTED:		return "System call interrupted (perhaps due to signal)";
	case LIBUSB_ERROR_NO_MEM:		return "Insufficient memory";
	case LIBUSB_ERROR_NOT_SUPPORTED:	return "Operation not supported or unimplemented on this platform";
	case LIBUSB_ERROR_OTHER:		return "Other error";
	default:				return "Other error";	/* as libusb maps unknown codes */
	}
}
EXPORT(libusb_strerror, LIBUSB1);
