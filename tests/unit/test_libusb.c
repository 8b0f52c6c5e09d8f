/* libusb-0.1 semantics as blobs see them, with echo devices on in-process
 * controllers: change counts, usb_busses is the head, names, the
 * descriptor tree, errors as negative errno with usb_strerror text,
 * timeouts, unplug.  Expected values are those of libusb 0.1.12 on Linux. */
#include <time.h>
#include "tap.h"
#include "unit/host_plat.h"
#include <core/errno.h>
#include <core/init.h>
#include <core/pages.h>
#include <usb/core.h>
#include <usb/usb.h>

static u64
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static struct usb_device *
find(u16 vid, u16 pid, int busnum)
{
	for (struct usb_bus *b = usb_busses; b; b = b->next)
		for (struct usb_device *d = b->devices; d; d = d->next)
			if (d->descriptor.idVendor == vid && d->descriptor.idProduct == pid &&
			    (!busnum || (int)b->location == busnum))
				return d;
	return NULL;
}

static int
count_busses(void)
{
	int n = 0;

	for (struct usb_bus *b = usb_busses; b; b = b->next)
		n++;
	return n;
}

int
main(void)
{
	struct usb_hc *hc1, *hc2;
	struct usb_model *m1, *m2, *m3, *mbad;
	struct usb_device *dev, *dev2;
	usb_dev_handle *h, *h2, *hgone;
	char buf[256];
	void *base;
	size_t len;
	u64 t;
	int n;

	plat_memory_region(&base, &len);
	pages_init(base, len);
	initfuncs_run();

	usb_init();
	TAP_CHECK(usb_busses == NULL && usb_get_busses() == NULL, "after usb_init the lists are empty");
	hc1 = usb_virt_create("one");
	hc2 = usb_virt_create("two");
	m1 = usb_echo_create(NULL);
	m2 = usb_echo_create(NULL);
	mbad = usb_echo_create("numif");
	usb_virt_plug(hc1, m1);
	usb_virt_plug(hc2, m2);
	usb_virt_plug(hc2, mbad);
	TAP_CHECK(usb_busses == NULL, "the core's enumeration does not fill the blob's lists");
	TAP_CHECK(usb_find_busses() == 2, "first usb_find_busses: 2 changes");
	TAP_CHECK(usb_find_busses() == 0, "second usb_find_busses: 0 changes");
	TAP_CHECK(usb_find_devices() == 2, "first usb_find_devices: 2 new devices (the disabled one is not)");
	TAP_CHECK(usb_find_devices() == 0, "second usb_find_devices: 0 changes");
	TAP_CHECK(usb_busses && usb_busses->prev == NULL && usb_get_busses() == usb_busses,
		  "usb_busses is the head of the list (prev NULL)");
	TAP_CHECK(count_busses() == 2 && usb_busses->next->prev == usb_busses,
		  "both busses are reachable from usb_busses, links consistent");
	dev = find(0xf055, 0xe0c0, 1);
	dev2 = find(0xf055, 0xe0c0, 2);
	TAP_CHECK(dev && dev2, "each echo device is found walking from usb_busses");
	TAP_CHECK(!strcmp(dev->bus->dirname, "001") && !strcmp(dev2->bus->dirname, "002") &&
		  dev->bus->location == 1, "dirname is the three-digit bus number");
	TAP_CHECK(!strcmp(dev->filename, "002") && dev->devnum == 2, "filename is the three-digit device number");
	TAP_CHECK(dev->descriptor.bLength == 18 && dev->descriptor.bNumConfigurations == 1,
		  "the device descriptor is copied in");
	TAP_CHECK(dev->config && dev->config[0].bNumInterfaces == 2 &&
		  dev->config[0].interface[0].num_altsetting == 1 &&
		  dev->config[0].interface[0].altsetting[0].bNumEndpoints == 2 &&
		  dev->config[0].interface[0].altsetting[0].endpoint[0].bEndpointAddress == 0x81 &&
		  dev->config[0].interface[1].altsetting[0].endpoint[1].bEndpointAddress == 0x02,
		  "config -> interface -> altsetting -> endpoint tree");
	TAP_CHECK(dev->config[0].interface[0].altsetting[0].extralen == 9 &&
		  dev->config[0].interface[0].altsetting[0].extra[1] == USB_DT_HID &&
		  dev->config[0].extralen == 0, "the HID descriptor is the altsetting's extra");
	TAP_CHECK(dev->num_children == 0 && dev->children == NULL, "no children");

	h = usb_open(dev);
	TAP_CHECK(h && usb_device(h) == dev, "usb_open; usb_device(handle) gives the device back");
	n = usb_get_string_simple(h, dev->descriptor.iProduct, buf, sizeof(buf));
	TAP_CHECK(n == 8 && !strcmp(buf, "Echo HID"), "usb_get_string_simple: \"%s\"", buf);
	n = usb_get_string_simple(h, 2, buf, 4);
	TAP_CHECK(n == 3 && !strcmp(buf, "Ech"), "usb_get_string_simple truncates to the buffer");
	n = usb_get_string(h, 1, 0x0409, buf, sizeof(buf));
	TAP_CHECK(n == 20 && buf[1] == USB_DT_STRING, "usb_get_string returns the raw descriptor");
	n = usb_get_descriptor(h, USB_DT_DEVICE, 0, buf, sizeof(buf));
	TAP_CHECK(n == 18 && !memcmp(buf, &dev->descriptor, 18), "usb_get_descriptor(DEVICE)");
	n = usb_get_descriptor_by_endpoint(h, 0, USB_DT_CONFIG, 0, buf, 9);
	TAP_CHECK(n == 9 && buf[1] == USB_DT_CONFIG, "usb_get_descriptor_by_endpoint");
	n = usb_control_msg(h, USB_TYPE_VENDOR | USB_ENDPOINT_IN, 0x01, 0, 0, buf, 8, 100);
	TAP_CHECK(n == 4 && !memcmp(buf, "echo", 4), "usb_control_msg vendor IN");
	n = usb_control_msg(h, USB_TYPE_VENDOR | USB_ENDPOINT_IN, 0x02, 0, 0, buf, 8, 100);
	TAP_CHECK(n == -EPIPE, "a stalled control request: -EPIPE");
	TAP_CHECK(!strcmp(usb_strerror(), "error sending control message: Broken pipe"),
		  "usb_strerror: %s", usb_strerror());
	TAP_CHECK(usb_control_msg(h, 0x80, 6, 0x100, 0, buf, -1, 100) == -EINVAL,
		  "rejected: a negative size");

	TAP_CHECK(usb_set_configuration(h, 1) == 0, "usb_set_configuration(1)");
	TAP_CHECK(usb_set_configuration(h, 7) == -EINVAL, "rejected: configuration 7");
	TAP_CHECK(usb_claim_interface(h, 0) == 0, "usb_claim_interface(0)");
	TAP_CHECK(usb_claim_interface(h, 5) == -ENOENT, "rejected: claiming interface 5 (none)");
	h2 = usb_open(dev);
	TAP_CHECK(usb_claim_interface(h2, 0) == -EBUSY, "a second handle cannot claim interface 0: -EBUSY");
	TAP_CHECK(!strcmp(usb_strerror(), "could not claim interface 0: Device or resource busy"),
		  "usb_strerror: %s", usb_strerror());
	TAP_CHECK(usb_release_interface(h2, 0) == -EINVAL, "rejected: releasing what it did not claim");
	TAP_CHECK(usb_set_altinterface(h2, 0) == -EINVAL, "rejected: set_altinterface without a claimed interface");
	usb_close(h2);
	TAP_CHECK(usb_set_altinterface(h, 0) == 0, "usb_set_altinterface(0)");
	TAP_CHECK(usb_set_altinterface(h, 3) == -EINVAL, "rejected: alternate setting 3");
	TAP_CHECK(usb_get_driver_np(h, 0, buf, sizeof(buf)) == 0 && !strcmp(buf, "usbfs"),
		  "usb_get_driver_np: a claimed interface is bound to usbfs (as on Linux)");
	TAP_CHECK(usb_get_driver_np(h, 1, buf, sizeof(buf)) == -ENODATA, "usb_get_driver_np: -ENODATA for an unbound one");
	TAP_CHECK(usb_detach_kernel_driver_np(h, 0) == -ENODATA, "usb_detach_kernel_driver_np: -ENODATA");

	TAP_CHECK(usb_interrupt_write(h, 0x01, "ping", 4, 100) == 4, "usb_interrupt_write");
	n = usb_interrupt_read(h, 0x01, buf, 64, 100);	/* direction bit added by the call */
	TAP_CHECK(n == 4 && !memcmp(buf, "ping", 4), "usb_interrupt_read echoes (ep 0x01 read as 0x81)");
	TAP_CHECK(usb_bulk_write(h, 0x82, "bulk", 4, 100) == 4, "usb_bulk_write (ep 0x82 written as 0x02)");
	TAP_CHECK(usb_get_driver_np(h, 1, buf, sizeof(buf)) == 0, "a transfer claimed interface 1 for this handle (usbfs does)");
	h2 = usb_open(dev);
	TAP_CHECK(usb_bulk_write(h2, 0x02, "x", 1, 100) == -EBUSY, "rejected: another handle's transfer on it is -EBUSY");
	usb_close(h2);
	n = usb_bulk_read(h, 0x82, buf, 64, 100);
	TAP_CHECK(n == 4 && !memcmp(buf, "bulk", 4), "usb_bulk_read echoes");
	t = now_ms();
	n = usb_interrupt_read(h, 0x81, buf, 64, 200);
	t = now_ms() - t;
	TAP_CHECK(n == -ETIMEDOUT, "nothing to read: -ETIMEDOUT (%d)", n);
	TAP_CHECK(t >= 200 && t < 450, "the 200 ms timeout is honoured (%llu ms)", (unsigned long long)t);
	TAP_CHECK(!strstr(usb_strerror(), "timed out"),
		  "a timeout leaves usb_strerror as it was, as real libusb does: %s", usb_strerror());
	usb_interrupt_write(h, 0x01, "\xff", 1, 100);
	TAP_CHECK(usb_interrupt_read(h, 0x81, buf, 64, 100) == -EPIPE, "a halted endpoint: -EPIPE");
	TAP_CHECK(usb_clear_halt(h, 0x81) == 0, "usb_clear_halt(0x81)");
	TAP_CHECK(usb_clear_halt(h, 0x85) == -ENOENT, "rejected: clear_halt on an endpoint that does not exist");
	TAP_CHECK(usb_interrupt_write(h, 0x01, "x", 1, 100) == 1 && usb_interrupt_read(h, 0x81, buf, 64, 100) == 1,
		  "the endpoint works again");
	TAP_CHECK(usb_resetep(h, 0x81) == 0 && usb_resetep(h, 0x07) == -ENOENT, "usb_resetep");
	TAP_CHECK(usb_reset(h) == 0 && usb_interrupt_write(h, 0x01, "r", 1, 100) == 1,
		  "usb_reset; the handle still works (as on Linux)");

	/* Unplug with a handle open. */
	hgone = usb_open(dev2);
	usb_virt_unplug(hc2, 1);
	TAP_CHECK(usb_interrupt_write(hgone, 0x01, "x", 1, 100) == -ENODEV, "after unplug: -ENODEV");
	TAP_CHECK(!strcmp(usb_strerror(), "error submitting URB: No such device"),
		  "usb_strerror: %s", usb_strerror());
	TAP_CHECK(find(0xf055, 0xe0c0, 2) == dev2, "the blob's list is unchanged until it asks");
	TAP_CHECK(usb_find_devices() == 1, "usb_find_devices: 1 change (the unplug)");
	TAP_CHECK(find(0xf055, 0xe0c0, 2) == NULL, "the device left bus 002");
	TAP_CHECK(usb_device(hgone)->descriptor.idVendor == 0xf055, "the open handle's device stays readable");
	TAP_CHECK(usb_open(dev2) == NULL && strstr(usb_strerror(), "No such device"),
		  "rejected: usb_open of the unplugged device (%s)", usb_strerror());
	usb_close(hgone);
	m3 = usb_echo_create(NULL);
	usb_virt_plug(hc2, m3);
	TAP_CHECK(usb_find_devices() == 1, "replug: usb_find_devices: 1 change");
	dev2 = find(0xf055, 0xe0c0, 2);
	TAP_CHECK(dev2 && !strcmp(dev2->filename, "004"), "it came back as 004 (new address): %s",
		  dev2 ? dev2->filename : "-");
	usb_hc_unregister(hc2);
	TAP_CHECK(usb_find_busses() == 1 && count_busses() == 1 && usb_busses->location == 1,
		  "a removed controller: usb_find_busses 1 change, bus 001 left");
	TAP_CHECK(usb_find_devices() == 0, "its devices went with it");
	usb_close(h);
	usb_set_debug(0);
	TAP_CHECK(host_console_len == 0 || !strstr(host_console, "usb_set_debug"), "usb_set_debug(0) when off says nothing");
	usb_set_debug(1);
	TAP_CHECK(strstr(host_console, "usb_set_debug: Setting debugging level to 1 (on)") != NULL,
		  "usb_set_debug(1) says so, as libusb does");
	usb_echo_destroy(m1);
	usb_echo_destroy(m2);
	usb_echo_destroy(m3);
	usb_echo_destroy(mbad);
	return tap_done();
}
