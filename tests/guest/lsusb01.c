/*
 * lsusb01: list USB busses and devices through the libusb-0.1 API, with the
 * whole descriptor tree libusb builds (config -> interface -> altsetting ->
 * endpoint, with `extra'), the strings, the driver bound to each interface,
 * and whether each interface can be claimed.
 *
 * Built against Debian's real libusb-0.1 (libusb-dev's /usr/include/usb.h and
 * libusb.a) and run in the test guest, it shows what the real library reports
 * for a device; the same source built for blobvisor must print the same.
 *
 * Usage: lsusb01 [-d VID:PID] [VID:PID...]
 *   VID:PID      exit 1 if that device is absent
 *   -d VID:PID   print only that device's part (no bus lines, no counts, no
 *                root hub): what a differential run compares
 * Output is deterministic for a given set of devices (no pointers, no times).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <usb.h>

static void
print_extra(const char *indent, const unsigned char *extra, int len)
{
	int i;

	if (len <= 0)
		return;
	printf("%sextra (%d bytes):", indent, len);
	for (i = 0; i < len; i++)
		printf(" %02x", extra[i]);
	printf("\n");
}

static void
print_string(usb_dev_handle *h, const char *what, int index)
{
	char buf[256];
	int n;

	if (index == 0)
		return;
	n = usb_get_string_simple(h, index, buf, sizeof(buf));
	if (n < 0)
		printf("      %s (%d): error %d\n", what, index, n);
	else
		printf("      %s (%d): \"%s\"\n", what, index, buf);
}

static void
print_endpoint(const struct usb_endpoint_descriptor *e)
{
	printf("          endpoint 0x%02x: bmAttributes 0x%02x wMaxPacketSize %u bInterval %u\n",
	       e->bEndpointAddress, e->bmAttributes, e->wMaxPacketSize, e->bInterval);
	print_extra("            ", e->extra, e->extralen);
}

static void
print_altsetting(const struct usb_interface_descriptor *a)
{
	int i;

	printf("        interface %u alt %u: class %u subclass %u protocol %u endpoints %u iInterface %u\n",
	       a->bInterfaceNumber, a->bAlternateSetting, a->bInterfaceClass,
	       a->bInterfaceSubClass, a->bInterfaceProtocol, a->bNumEndpoints,
	       a->iInterface);
	print_extra("          ", a->extra, a->extralen);
	for (i = 0; i < a->bNumEndpoints; i++)
		print_endpoint(&a->endpoint[i]);
}

static void
print_config(const struct usb_config_descriptor *c)
{
	int i, j;

	printf("      config %u: wTotalLength %u bNumInterfaces %u bmAttributes 0x%02x MaxPower %u\n",
	       c->bConfigurationValue, c->wTotalLength, c->bNumInterfaces,
	       c->bmAttributes, c->MaxPower);
	print_extra("        ", c->extra, c->extralen);
	for (i = 0; i < c->bNumInterfaces; i++)
		for (j = 0; j < c->interface[i].num_altsetting; j++)
			print_altsetting(&c->interface[i].altsetting[j]);
}

/* Open the device: strings, the kernel driver on each interface, and a
 * claim/release of each (a HID interface must be claimable: no usbhid). */
static void
print_opened(struct usb_device *dev)
{
	const struct usb_device_descriptor *d = &dev->descriptor;
	usb_dev_handle *h;
	char name[64];
	int i, n, r;

	h = usb_open(dev);
	if (h == NULL) {
		printf("      open: failed: %s\n", usb_strerror());
		return;
	}
	print_string(h, "iManufacturer", d->iManufacturer);
	print_string(h, "iProduct", d->iProduct);
	print_string(h, "iSerialNumber", d->iSerialNumber);
	n = dev->config != NULL ? dev->config[0].bNumInterfaces : 0;
	if (d->bDeviceClass == USB_CLASS_HUB)
		n = 0;		/* the hub driver owns a hub; leave it alone */
	for (i = 0; i < n; i++) {
		r = usb_get_driver_np(h, i, name, sizeof(name));
		if (r == 0)
			printf("      interface %d driver: %s\n", i, name);
		else
			printf("      interface %d driver: none (%d)\n", i, r);
		r = usb_claim_interface(h, i);
		printf("      interface %d claim: %s\n", i, r == 0 ? "ok" : usb_strerror());
		if (r == 0)
			usb_release_interface(h, i);
	}
	usb_close(h);
}

static void
print_device(struct usb_device *dev)
{
	const struct usb_device_descriptor *d = &dev->descriptor;
	int i;

	printf("  device %s: %04x:%04x devnum %u\n", dev->filename, d->idVendor,
	       d->idProduct, dev->devnum);
	printf("      bcdUSB 0x%04x class %u subclass %u protocol %u bMaxPacketSize0 %u"
	       " bcdDevice 0x%04x strings %u/%u/%u bNumConfigurations %u\n",
	       d->bcdUSB, d->bDeviceClass, d->bDeviceSubClass, d->bDeviceProtocol,
	       d->bMaxPacketSize0, d->bcdDevice, d->iManufacturer, d->iProduct,
	       d->iSerialNumber, d->bNumConfigurations);
	if (dev->config == NULL)
		printf("      no configuration descriptors\n");
	else
		for (i = 0; i < d->bNumConfigurations; i++)
			print_config(&dev->config[i]);
	print_opened(dev);
}

static int
parse_id(const char *s, unsigned int *vid, unsigned int *pid)
{
	char end;

	if (sscanf(s, "%4x:%4x%c", vid, pid, &end) != 2) {
		fprintf(stderr, "lsusb01: %s: not VID:PID\n", s);
		return 0;
	}
	return 1;
}

static int
find(const char *want)
{
	unsigned int vid, pid;
	struct usb_bus *bus;
	struct usb_device *dev;

	if (!parse_id(want, &vid, &pid))
		return 0;
	for (bus = usb_busses; bus != NULL; bus = bus->next)
		for (dev = bus->devices; dev != NULL; dev = dev->next)
			if (dev->descriptor.idVendor == vid && dev->descriptor.idProduct == pid)
				return 1;
	fprintf(stderr, "lsusb01: %04x:%04x: not found\n", vid, pid);
	return 0;
}

int
main(int argc, char **argv)
{
	struct usb_bus *bus;
	struct usb_device *dev;
	int nb, nd, i, ok = 1, n;
	unsigned int vid, pid;

	usb_init();
	nb = usb_find_busses();
	nd = usb_find_devices();
	if (argc >= 3 && strcmp(argv[1], "-d") == 0) {
		if (!parse_id(argv[2], &vid, &pid))
			return 2;
		n = 0;
		for (bus = usb_busses; bus != NULL; bus = bus->next)
			for (dev = bus->devices; dev != NULL; dev = dev->next)
				if (dev->descriptor.idVendor == vid && dev->descriptor.idProduct == pid) {
					print_device(dev);
					n++;
				}
		for (i = 3; i < argc; i++)
			ok &= find(argv[i]);
		if (n == 0)
			fprintf(stderr, "lsusb01: %04x:%04x: not found\n", vid, pid);
		return n > 0 && ok ? 0 : 1;
	}
	printf("usb_find_busses: %d\nusb_find_devices: %d\n", nb, nd);
	/* libusb-0.1 returns the number of *changes*: a second call finds none */
	printf("again: usb_find_busses: %d usb_find_devices: %d\n",
	       usb_find_busses(), usb_find_devices());
	printf("usb_get_busses() == usb_busses: %s\n",
	       usb_get_busses() == usb_busses ? "yes" : "no");
	for (bus = usb_busses; bus != NULL; bus = bus->next) {
		printf("bus %s: location 0x%x\n", bus->dirname, bus->location);
		for (dev = bus->devices; dev != NULL; dev = dev->next)
			print_device(dev);
	}
	if (usb_busses == NULL) {
		printf("no USB busses\n");
		ok = 0;
	}
	for (i = 1; i < argc; i++)
		ok &= find(argv[i]);
	return ok ? 0 : 1;
}
