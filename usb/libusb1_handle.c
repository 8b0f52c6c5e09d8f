/* libusb-1.0 device handles: open/close, claims (shared with libusb-0.1
 * through the core, usb/claim.c), configuration, alternate settings,
 * halts, reset, and the kernel-driver calls of a system on which no kernel
 * driver is bound to anything.  Errors as Linux's libusb maps usbfs's. */
#include <core/console.h>
#include <core/errno.h>
#include <core/export.h>
#include <core/heap.h>
#include <core/string.h>
#include "libusb1_priv.h"

#define CTRL_TIMEOUT 1000	/* ms */

static bool
handle_ok(libusb_device_handle *h)
{
	return h && h->magic == LU1_HANDLE_MAGIC;
}

static struct usb_dev *
core_of(libusb_device_handle *h)
{
	return h->dev->core;
}

int
libusb_open(libusb_device *dev, libusb_device_handle **out)
{
	libusb_device_handle *h;

	if (!dev || !out)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (lu1_dev_gone(dev->core) || dev->core->state != USB_DEV_CONFIGURED)
		return LIBUSB_ERROR_NO_DEVICE;
	h = heap_zalloc(sizeof(*h));
	if (!h)
		return LIBUSB_ERROR_NO_MEM;
	h->magic = LU1_HANDLE_MAGIC;
	h->dev = libusb_ref_device(dev);
	*out = h;
	return 0;
}
EXPORT(libusb_open, LIBUSB1);

/* Linux's libusb opens /dev/bus/usb/BBB/DDD from a file descriptor; there
 * are none here. */
int
libusb_wrap_sys_device(libusb_context *ctx, intptr_t sys_dev, libusb_device_handle **out)
{
	(void)ctx;
	(void)sys_dev;
	(void)out;
	return LIBUSB_ERROR_NOT_SUPPORTED;
}
EXPORT(libusb_wrap_sys_device, LIBUSB1);

libusb_device_handle *
libusb_open_device_with_vid_pid(libusb_context *ctx, uint16_t vid, uint16_t pid)
{
	libusb_device **list;
	libusb_device_handle *h = NULL;
	ssize_t n = libusb_get_device_list(ctx, &list);

	if (n < 0)
		return NULL;
	for (ssize_t i = 0; i < n; i++)
		if (list[i]->core->desc.idVendor == vid && list[i]->core->desc.idProduct == pid) {
			if (libusb_open(list[i], &h))
				h = NULL;
			break;
		}
	libusb_free_device_list(list, 1);
	return h;
}
EXPORT(libusb_open_device_with_vid_pid, LIBUSB1);

/* Transfers still in flight are cancelled; their callbacks still run (with
 * LIBUSB_TRANSFER_CANCELLED) from the next event handling. */
void
libusb_close(libusb_device_handle *h)
{
	if (!handle_ok(h))
		return;
	lu1_cancel_handle(h);
	usb_dev_release_all(core_of(h), h);
	h->magic = 0;
	libusb_unref_device(h->dev);
	heap_free(h);
}
EXPORT(libusb_close, LIBUSB1);

libusb_device *
libusb_get_device(libusb_device_handle *h)
{
	return h->dev;
}
EXPORT(libusb_get_device, LIBUSB1);

/* Linux's libusb reads bConfigurationValue from sysfs: no request. */
int
libusb_get_configuration(libusb_device_handle *h, int *config)
{
	if (!handle_ok(h) || !config)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (lu1_dev_gone(core_of(h)))
		return LIBUSB_ERROR_NO_DEVICE;
	*config = core_of(h)->cur_config;
	return 0;
}
EXPORT(libusb_get_configuration, LIBUSB1);

/* -1 unconfigures (value 0).  usbfs refuses while any interface is
 * claimed, by this handle too; an unknown value is EINVAL, which libusb
 * reports as LIBUSB_ERROR_NOT_FOUND. */
int
libusb_set_configuration(libusb_device_handle *h, int configuration)
{
	struct usb_dev *d;
	int err;

	if (!handle_ok(h) || configuration < -1 || configuration > 255)
		return LIBUSB_ERROR_INVALID_PARAM;
	d = core_of(h);
	if (lu1_dev_gone(d))
		return LIBUSB_ERROR_NO_DEVICE;
	for (int i = 0; i < USB_MAXINTERFACES; i++)
		if (usb_dev_claimer(d, i))
			return LIBUSB_ERROR_BUSY;
	err = usb_dev_set_config(d, configuration < 0 ? 0 : configuration);
	if (err == -EINVAL)
		return LIBUSB_ERROR_NOT_FOUND;
	return lu1_err(err);
}
EXPORT(libusb_set_configuration, LIBUSB1);

int
libusb_claim_interface(libusb_device_handle *h, int ifnum)
{
	int err;

	if (!handle_ok(h) || ifnum < 0 || ifnum >= USB_MAXINTERFACES)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (h->claimed & 1u << ifnum)
		return 0;
	err = usb_dev_claim(core_of(h), ifnum, h);
	if (err < 0)
		return lu1_err(err);
	h->claimed |= 1u << ifnum;
	return 0;
}
EXPORT(libusb_claim_interface, LIBUSB1);

int
libusb_release_interface(libusb_device_handle *h, int ifnum)
{
	if (!handle_ok(h) || ifnum < 0 || ifnum >= USB_MAXINTERFACES)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (!(h->claimed & 1u << ifnum))
		return LIBUSB_ERROR_NOT_FOUND;
	h->claimed &= ~(1u << ifnum);
	usb_dev_release(core_of(h), ifnum, h);
	if (lu1_dev_gone(core_of(h)))
		return LIBUSB_ERROR_NO_DEVICE;
	return 0;
}
EXPORT(libusb_release_interface, LIBUSB1);

int
libusb_set_interface_alt_setting(libusb_device_handle *h, int ifnum, int alt)
{
	struct usb_interface *ifc;
	bool known = false;
	int err;

	if (!handle_ok(h) || ifnum < 0 || ifnum >= USB_MAXINTERFACES)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (!(h->claimed & 1u << ifnum))
		return LIBUSB_ERROR_NOT_FOUND;
	if (lu1_dev_gone(core_of(h)))
		return LIBUSB_ERROR_NO_DEVICE;
	ifc = usb_dev_find_interface(core_of(h), ifnum);
	for (int a = 0; ifc && a < ifc->num_altsetting; a++)
		known |= ifc->altsetting[a].bAlternateSetting == alt;
	if (!known)
		return LIBUSB_ERROR_NOT_FOUND;
	err = usb_dev_control(core_of(h), LIBUSB_RECIPIENT_INTERFACE,
			      LIBUSB_REQUEST_SET_INTERFACE, alt, ifnum, NULL, 0, CTRL_TIMEOUT);
	return err < 0 ? lu1_err(err) : 0;
}
EXPORT(libusb_set_interface_alt_setting, LIBUSB1);

int
libusb_clear_halt(libusb_device_handle *h, unsigned char endpoint)
{
	int err;

	if (!handle_ok(h))
		return LIBUSB_ERROR_INVALID_PARAM;
	if (lu1_dev_gone(core_of(h)))
		return LIBUSB_ERROR_NO_DEVICE;
	if (usb_dev_ep_interface(core_of(h), endpoint) < 0)
		return LIBUSB_ERROR_NOT_FOUND;
	err = usb_dev_control(core_of(h), LIBUSB_RECIPIENT_ENDPOINT, LIBUSB_REQUEST_CLEAR_FEATURE,
			      0 /* ENDPOINT_HALT */, endpoint, NULL, 0, CTRL_TIMEOUT);
	return err < 0 ? lu1_err(err) : 0;
}
EXPORT(libusb_clear_halt, LIBUSB1);

/* The device keeps its address and configuration, and the handle its
 * claims (Linux's libusb claims them again after USBDEVFS_RESET). */
int
libusb_reset_device(libusb_device_handle *h)
{
	int err;

	if (!handle_ok(h))
		return LIBUSB_ERROR_INVALID_PARAM;
	err = usb_dev_reset(core_of(h));	/* its URBs end CANCELLED, as the kernel's do */
	if (err == -ENODEV)
		return LIBUSB_ERROR_NOT_FOUND;
	return lu1_err(err);
}
EXPORT(libusb_reset_device, LIBUSB1);

/* No kernel drivers: an interface is either unbound or libusb's own
 * ("usbfs", which libusb does not count as a kernel driver). */
int
libusb_kernel_driver_active(libusb_device_handle *h, int ifnum)
{
	if (!handle_ok(h) || ifnum < 0 || ifnum >= USB_MAXINTERFACES)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (lu1_dev_gone(core_of(h)))
		return LIBUSB_ERROR_NO_DEVICE;
	return 0;
}
EXPORT(libusb_kernel_driver_active, LIBUSB1);

int
libusb_detach_kernel_driver(libusb_device_handle *h, int ifnum)
{
	if (!handle_ok(h) || ifnum < 0 || ifnum >= USB_MAXINTERFACES)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (lu1_dev_gone(core_of(h)))
		return LIBUSB_ERROR_NO_DEVICE;
	return LIBUSB_ERROR_NOT_FOUND;
}
EXPORT(libusb_detach_kernel_driver, LIBUSB1);

/* An interface claimed through libusb is usbfs's: BUSY, as Linux answers;
 * otherwise there is no driver to attach. */
int
libusb_attach_kernel_driver(libusb_device_handle *h, int ifnum)
{
	int r = libusb_detach_kernel_driver(h, ifnum);

	if (r == LIBUSB_ERROR_NOT_FOUND && usb_dev_claimer(core_of(h), ifnum))
		return LIBUSB_ERROR_BUSY;
	return r;
}
EXPORT(libusb_attach_kernel_driver, LIBUSB1);

int
libusb_set_auto_detach_kernel_driver(libusb_device_handle *h, int enable)
{
	if (!handle_ok(h))
		return LIBUSB_ERROR_INVALID_PARAM;
	h->auto_detach = enable != 0;
	return 0;
}
EXPORT(libusb_set_auto_detach_kernel_driver, LIBUSB1);

/* Streams (USB 3 bulk) and device memory (usbfs mmap) do not exist here. */
int
libusb_alloc_streams(libusb_device_handle *h, uint32_t n, unsigned char *eps, int neps)
{
	(void)h; (void)n; (void)eps; (void)neps;
	return LIBUSB_ERROR_NOT_SUPPORTED;
}
EXPORT(libusb_alloc_streams, LIBUSB1);

int
libusb_free_streams(libusb_device_handle *h, unsigned char *eps, int neps)
{
	(void)h; (void)eps; (void)neps;
	return LIBUSB_ERROR_NOT_SUPPORTED;
}
EXPORT(libusb_free_streams, LIBUSB1);

unsigned char *
libusb_dev_mem_alloc(libusb_device_handle *h, size_t len)
{
	(void)h; (void)len;
	return NULL;
}
EXPORT(libusb_dev_mem_alloc, LIBUSB1);

int
libusb_dev_mem_free(libusb_device_handle *h, unsigned char *buf, size_t len)
{
	(void)h; (void)buf; (void)len;
	return LIBUSB_ERROR_NOT_SUPPORTED;
}
EXPORT(libusb_dev_mem_free, LIBUSB1);
