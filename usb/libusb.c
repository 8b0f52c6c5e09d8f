/* libusb-0.1 for blobs, with the semantics of libusb 0.1.12 on Linux: the
 * bus and device lists change only when the blob calls usb_find_busses()
 * and usb_find_devices(), which return the number of changes since their
 * last call; dirname/filename are three-digit numbers; errors are negative
 * errno values and usb_strerror() says what failed.  The lists are the
 * blob's own view: the core's enumeration does not consume its changes. */
#include <core/console.h>
#include <core/errno.h>
#include <core/export.h>
#include <core/heap.h>
#include <core/string.h>
#include <usb/core.h>

#define CTRL_TIMEOUT	1000	/* ms, libusb's for its own descriptor reads */
#define CTRL_MAX	4096	/* usbfs refuses larger control transfers */

/* A blob's struct usb_device, with what the layer needs behind it.  The
 * object outlives its unplug while a handle is open, so that a blob's
 * usb_device(handle) stays readable; the core device is kept as well. */
struct lu_device {
	struct usb_device d;	/* first: blobs get &lu->d */
	struct usb_dev *core;	/* claims live there (usb/claim.c) */
	int opens;
	bool unlinked;
};

struct usb_dev_handle {
	struct lu_device *lu;
	int config, interface, altsetting;
};

struct usb_bus *usb_busses;
EXPORT(usb_busses, LIBUSB);

static int debug_level;
static char error_str[256] = "No error";

static int __printf(2, 3)
fail(int err, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vsnprintf(error_str, sizeof(error_str), fmt, ap);
	va_end(ap);
	if (n < sizeof(error_str))
		snprintf(error_str + n, sizeof(error_str) - n, ": %s", usb_errno_text(-err));
	if (debug_level >= 2)
		kprintf("USB error: %s\n", error_str);
	return err;
}

static struct lu_device *
lu_of(struct usb_device *d)
{
	return container_of(d, struct lu_device, d);
}

void
usb_init(void)
{
	/* Linux's libusb-0.1 only locates usbfs here; the lists start empty
	 * and fill on the first usb_find_busses/usb_find_devices. */
}
EXPORT(usb_init, LIBUSB);

void
usb_set_debug(int level)
{
	if (debug_level || level)
		kprintf("usb_set_debug: Setting debugging level to %d (%s)\n", level,
			level ? "on" : "off");
	debug_level = level;
}
EXPORT(usb_set_debug, LIBUSB);

char *
usb_strerror(void)
{
	return error_str;
}
EXPORT(usb_strerror, LIBUSB);

struct usb_bus *
usb_get_busses(void)
{
	return usb_busses;
}
EXPORT(usb_get_busses, LIBUSB);

/* --- the lists --------------------------------------------------------------- */

#define LIST_ADD_HEAD(head, e) do {			\
		(e)->prev = NULL;			\
		(e)->next = (head);			\
		if (head)				\
			(head)->prev = (e);		\
		(head) = (e);				\
	} while (0)

#define LIST_UNLINK(head, e) do {			\
		if ((e)->prev)				\
			(e)->prev->next = (e)->next;	\
		else					\
			(head) = (e)->next;		\
		if ((e)->next)				\
			(e)->next->prev = (e)->prev;	\
		(e)->next = (e)->prev = NULL;		\
	} while (0)

static void
device_release(struct lu_device *lu)
{
	lu->unlinked = true;
	if (lu->opens)
		return;	/* freed by the last usb_close */
	usb_dev_put(lu->core);
	heap_free(lu);
}

static void
device_remove(struct usb_bus *bus, struct usb_device *dev)
{
	LIST_UNLINK(bus->devices, dev);
	if (bus->root_dev == dev)
		bus->root_dev = NULL;
	device_release(lu_of(dev));
}

int
usb_find_busses(void)
{
	int changes = 0;
	struct usb_bus *bus, *next;

	usb_poll_all(0);
	for (bus = usb_busses; bus; bus = next) {
		next = bus->next;
		if (usb_hc_by_bus(bus->location))
			continue;
		while (bus->devices)
			device_remove(bus, bus->devices);
		LIST_UNLINK(usb_busses, bus);
		heap_free(bus);
		changes++;
	}
	for (struct usb_hc *hc = usb_hc_first(); hc; hc = hc->next) {
		for (bus = usb_busses; bus; bus = bus->next)
			if (bus->location == (u32)hc->busnum)
				break;
		if (bus)
			continue;
		bus = heap_zalloc(sizeof(*bus));
		if (!bus)
			return fail(-ENOMEM, "usb_find_busses");
		snprintf(bus->dirname, sizeof(bus->dirname), "%03d", hc->busnum);
		bus->location = hc->busnum;
		LIST_ADD_HEAD(usb_busses, bus);
		changes++;
	}
	return changes;
}
EXPORT(usb_find_busses, LIBUSB);

static bool
core_present(const struct usb_bus *bus, const struct usb_dev *core)
{
	return usb_dev_usable(core) && (u32)core->hc->busnum == bus->location;
}

static int
device_add(struct usb_bus *bus, struct usb_dev *core)
{
	struct lu_device *lu = heap_zalloc(sizeof(*lu));

	if (!lu)
		return -ENOMEM;
	usb_dev_get(core);
	lu->core = core;
	snprintf(lu->d.filename, sizeof(lu->d.filename), "%03d", core->addr);
	lu->d.bus = bus;
	lu->d.descriptor = core->desc;
	/* The tree the core parsed and checked; it lives as long as the
	 * reference taken above. */
	lu->d.config = core->config;
	lu->d.devnum = core->addr;
	LIST_ADD_HEAD(bus->devices, &lu->d);
	return 0;
}

int
usb_find_devices(void)
{
	int changes = 0;

	usb_poll_all(0);
	for (struct usb_bus *bus = usb_busses; bus; bus = bus->next) {
		struct usb_device *dev, *next;

		for (dev = bus->devices; dev; dev = next) {
			next = dev->next;
			if (!core_present(bus, lu_of(dev)->core)) {
				device_remove(bus, dev);
				changes++;
			}
		}
		for (struct usb_dev *core = usb_dev_first(); core; core = usb_dev_next(core)) {
			if (!core_present(bus, core))
				continue;
			for (dev = bus->devices; dev; dev = dev->next)
				if (lu_of(dev)->core == core)
					break;
			if (dev)
				continue;
			if (device_add(bus, core))
				return fail(-ENOMEM, "usb_find_devices");
			changes++;
		}
	}
	return changes;
}
EXPORT(usb_find_devices, LIBUSB);

/* --- handles ----------------------------------------------------------------- */

usb_dev_handle *
usb_open(struct usb_device *dev)
{
	struct lu_device *lu;
	usb_dev_handle *h;

	if (!dev) {
		fail(-EINVAL, "usb_open: no device");
		return NULL;
	}
	lu = lu_of(dev);
	if (lu->unlinked || !usb_dev_usable(lu->core)) {
		fail(-ENODEV, "failed to open /dev/bus/usb/%s/%s",
		     dev->bus ? dev->bus->dirname : "?", dev->filename);
		return NULL;
	}
	h = heap_zalloc(sizeof(*h));
	if (!h) {
		fail(-ENOMEM, "usb_open");
		return NULL;
	}
	h->lu = lu;
	h->config = h->interface = h->altsetting = -1;
	lu->opens++;
	return h;
}
EXPORT(usb_open, LIBUSB);

int
usb_close(usb_dev_handle *h)
{
	struct lu_device *lu;

	if (!h)
		return -EINVAL;
	lu = h->lu;
	usb_dev_release_all(lu->core, h);
	heap_free(h);
	if (--lu->opens == 0 && lu->unlinked)
		device_release(lu);
	return 0;
}
EXPORT(usb_close, LIBUSB);

struct usb_device *
usb_device(usb_dev_handle *h)
{
	return &h->lu->d;
}
EXPORT(usb_device, LIBUSB);

static struct usb_dev *
core_of(usb_dev_handle *h)
{
	return h->lu->core;
}

/* --- transfers --------------------------------------------------------------- */

int
usb_control_msg(usb_dev_handle *h, int requesttype, int request, int value, int index,
		char *bytes, int size, int timeout)
{
	int n;

	if (size < 0 || size > CTRL_MAX || (size && !bytes))
		return fail(-EINVAL, "error sending control message");
	n = usb_dev_control(core_of(h), requesttype, request, value, index, bytes, size,
			    timeout < 0 ? 0 : timeout);
	if (n < 0)
		return fail(n, "error sending control message");
	return n;
}
EXPORT(usb_control_msg, LIBUSB);

/* usbfs claims the interface of an endpoint on the first transfer to it,
 * for the file that does it; another file's claim makes it busy. */
static int
auto_claim(usb_dev_handle *h, unsigned int ep)
{
	return usb_dev_claim_for_ep(core_of(h), ep, h);
}

/* Linux's libusb submits an URB and reaps it: a failure to submit (the
 * device is gone, a bad argument, an endpoint it does not have) and a
 * failed transfer read differently. */
static int
transfer(usb_dev_handle *h, u8 type, int ep, char *bytes, int size, int timeout)
{
	struct usb_dev *d = core_of(h);
	int n;

	if (size < 0 || (size && !bytes))
		return fail(-EINVAL, "error submitting URB");
	if (!usb_dev_usable(d))
		return fail(-ENODEV, "error submitting URB");
	n = auto_claim(h, ep);
	if (n < 0)
		return fail(n, "error submitting URB");
	n = usb_dev_transfer(d, type, ep, bytes, size, timeout < 0 ? 0 : timeout);
	/* Linux's libusb sets no error text for a transfer that completed
	 * with an error or timed out (measured in the test guest): the
	 * return value says it, usb_strerror() keeps its last text.  Where it
	 * returns the URB's length after a stall, blobvisor returns -EPIPE. */
	return n;
}

/* Linux's libusb forces the direction bit from the call, not the caller. */
int
usb_bulk_write(usb_dev_handle *h, int ep, const char *bytes, int size, int timeout)
{
	return transfer(h, URB_BULK, ep & ~USB_ENDPOINT_IN, (char *)bytes, size, timeout);
}
EXPORT(usb_bulk_write, LIBUSB);

int
usb_bulk_read(usb_dev_handle *h, int ep, char *bytes, int size, int timeout)
{
	return transfer(h, URB_BULK, ep | USB_ENDPOINT_IN, bytes, size, timeout);
}
EXPORT(usb_bulk_read, LIBUSB);

int
usb_interrupt_write(usb_dev_handle *h, int ep, const char *bytes, int size, int timeout)
{
	return transfer(h, URB_INTERRUPT, ep & ~USB_ENDPOINT_IN, (char *)bytes, size, timeout);
}
EXPORT(usb_interrupt_write, LIBUSB);

int
usb_interrupt_read(usb_dev_handle *h, int ep, char *bytes, int size, int timeout)
{
	return transfer(h, URB_INTERRUPT, ep | USB_ENDPOINT_IN, bytes, size, timeout);
}
EXPORT(usb_interrupt_read, LIBUSB);

/* --- descriptors and strings ------------------------------------------------- */

int
usb_get_string(usb_dev_handle *h, int index, int langid, char *buf, size_t buflen)
{
	return usb_control_msg(h, USB_ENDPOINT_IN, USB_REQ_GET_DESCRIPTOR,
			       (USB_DT_STRING << 8) + index, langid, buf,
			       (int)MIN(buflen, (size_t)255), CTRL_TIMEOUT);
}
EXPORT(usb_get_string, LIBUSB);

int
usb_get_string_simple(usb_dev_handle *h, int index, char *buf, size_t buflen)
{
	u8 t[255];
	int n, langid, out = 0;

	if (!buflen)
		return fail(-EINVAL, "usb_get_string_simple");
	n = usb_get_string(h, 0, 0, (char *)t, sizeof(t));
	if (n < 0)
		return n;
	if (n < 4)
		return fail(-EIO, "usb_get_string_simple: no language IDs");
	langid = t[2] | t[3] << 8;
	n = usb_get_string(h, index, langid, (char *)t, sizeof(t));
	if (n < 0)
		return n;
	if (n < 2 || t[1] != USB_DT_STRING)
		return fail(-EIO, "usb_get_string_simple: not a string descriptor");
	if (t[0] > n)
		return fail(-EFBIG, "usb_get_string_simple: descriptor longer than read");
	/* UTF-16LE to bytes: what is not Latin-1 low half becomes '?'. */
	for (int i = 2; i + 1 < t[0] && (size_t)out < buflen - 1; i += 2)
		buf[out++] = t[i + 1] ? '?' : (char)t[i];
	buf[out] = 0;
	return out;
}
EXPORT(usb_get_string_simple, LIBUSB);

int
usb_get_descriptor(usb_dev_handle *h, unsigned char type, unsigned char index, void *buf,
		   int size)
{
	return usb_control_msg(h, USB_ENDPOINT_IN, USB_REQ_GET_DESCRIPTOR, (type << 8) + index,
			       0, buf, size, CTRL_TIMEOUT);
}
EXPORT(usb_get_descriptor, LIBUSB);

int
usb_get_descriptor_by_endpoint(usb_dev_handle *h, int ep, unsigned char type,
			       unsigned char index, void *buf, int size)
{
	return usb_control_msg(h, ep | USB_ENDPOINT_IN, USB_REQ_GET_DESCRIPTOR,
			       (type << 8) + index, 0, buf, size, CTRL_TIMEOUT);
}
EXPORT(usb_get_descriptor_by_endpoint, LIBUSB);

/* --- configuration, interfaces, endpoints -------------------------------------- */

int
usb_set_configuration(usb_dev_handle *h, int configuration)
{
	int err;

	if (configuration < 0 || configuration > 255)
		return fail(-EINVAL, "could not set config %d", configuration);
	err = usb_dev_set_config(core_of(h), configuration);
	if (err < 0)
		return fail(err, "could not set config %d", configuration);
	h->config = configuration;
	return 0;
}
EXPORT(usb_set_configuration, LIBUSB);

int
usb_claim_interface(usb_dev_handle *h, int interface)
{
	int err = usb_dev_claim(core_of(h), interface, h);

	if (err < 0)
		return fail(err, "could not claim interface %d", interface);
	h->interface = interface;
	return 0;
}
EXPORT(usb_claim_interface, LIBUSB);

int
usb_release_interface(usb_dev_handle *h, int interface)
{
	if (usb_dev_release(core_of(h), interface, h) < 0)
		return fail(-EINVAL, "could not release intf %d", interface);
	h->interface = -1;
	return 0;
}
EXPORT(usb_release_interface, LIBUSB);

int
usb_set_altinterface(usb_dev_handle *h, int alternate)
{
	struct usb_interface *ifc;
	bool known = false;
	int err;

	if (h->interface < 0)
		return fail(-EINVAL, "could not set alt intf %d/%d", h->interface, alternate);
	ifc = usb_dev_find_interface(core_of(h), h->interface);
	for (int a = 0; ifc && a < ifc->num_altsetting; a++)
		known |= ifc->altsetting[a].bAlternateSetting == alternate;
	if (!known)
		return fail(-EINVAL, "could not set alt intf %d/%d", h->interface, alternate);
	err = usb_dev_control(core_of(h), USB_RECIP_INTERFACE, USB_REQ_SET_INTERFACE, alternate,
			      h->interface, NULL, 0, CTRL_TIMEOUT);
	if (err < 0)
		return fail(err, "could not set alt intf %d/%d", h->interface, alternate);
	h->altsetting = alternate;
	return 0;
}
EXPORT(usb_set_altinterface, LIBUSB);

static bool
endpoint_known(struct usb_dev *d, unsigned int ep)
{
	return usb_dev_ep_interface(d, ep) >= 0;
}

int
usb_resetep(usb_dev_handle *h, unsigned int ep)
{
	/* Resets the host's data toggle only; the device is not asked. */
	if (!usb_dev_usable(core_of(h)))
		return fail(-ENODEV, "could not reset ep %d", ep);
	if (!endpoint_known(core_of(h), ep))
		return fail(-ENOENT, "could not reset ep %d", ep);
	return 0;
}
EXPORT(usb_resetep, LIBUSB);

int
usb_clear_halt(usb_dev_handle *h, unsigned int ep)
{
	int err;

	if (usb_dev_usable(core_of(h)) && !endpoint_known(core_of(h), ep))
		return fail(-ENOENT, "could not clear/halt ep %d", ep);
	err = usb_dev_control(core_of(h), USB_RECIP_ENDPOINT, USB_REQ_CLEAR_FEATURE,
			      0 /* ENDPOINT_HALT */, ep, NULL, 0, CTRL_TIMEOUT);
	if (err < 0)
		return fail(err, "could not clear/halt ep %d", ep);
	return 0;
}
EXPORT(usb_clear_halt, LIBUSB);

int
usb_reset(usb_dev_handle *h)
{
	int err = usb_dev_reset(core_of(h));

	if (err < 0)
		return fail(err, "could not reset");
	return 0;
}
EXPORT(usb_reset, LIBUSB);

/* No kernel drivers here.  As on Linux, an interface claimed through
 * libusb is bound to "usbfs"; any other is unbound. */
int
usb_get_driver_np(usb_dev_handle *h, int interface, char *name, unsigned int namelen)
{
	if (!usb_dev_claimer(core_of(h), interface))
		return fail(-ENODATA, "could not get bound driver");
	if (namelen) {
		strncpy(name, "usbfs", namelen - 1);
		name[namelen - 1] = 0;
	}
	return 0;
}
EXPORT(usb_get_driver_np, LIBUSB);

int
usb_detach_kernel_driver_np(usb_dev_handle *h, int interface)
{
	return fail(-ENODATA, "could not detach kernel driver from interface %d", interface);
}
EXPORT(usb_detach_kernel_driver_np, LIBUSB);
