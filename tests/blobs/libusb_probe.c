/* A libusb-0.1 program built the way a vendor builds its SDK (-fPIC,
 * -fstack-protector-strong, _FORTIFY_SOURCE, against Debian's
 * /usr/include/usb.h) and run as a blob: the exports, the ABI of the
 * structs and the semantics as a real program sees them.  The same source
 * runs natively in the Linux test guest against Debian's real libusb, and
 * the two outputs are compared (tests/e2e/usb_differential.sh).  Linux has
 * a root hub (1d6b:*) on every bus and blobvisor does not: the counts and
 * the listing leave root hubs out. */
#include <stdio.h>
#include <string.h>
#include <usb.h>

int probe(void);

static int
root_hubs(void)
{
	int n = 0;

	for (struct usb_bus *b = usb_busses; b; b = b->next)
		for (struct usb_device *d = b->devices; d; d = d->next)
			n += d->descriptor.idVendor == 0x1d6b;
	return n;
}

int
probe(void)
{
	struct usb_bus *bus;
	struct usb_device *dev, *echo = NULL;
	usb_dev_handle *h;
	char buf[256];
	int n;

	usb_init();
	n = usb_find_busses();
	printf("find_busses %d\n", n);
	n = usb_find_devices() - root_hubs();
	printf("find_devices %d\n", n);
	n = usb_find_busses();
	printf("again %d %d\n", n, usb_find_devices());
	printf("head %s\n", usb_busses && !usb_busses->prev && usb_get_busses() == usb_busses ? "yes" : "no");
	for (bus = usb_busses; bus; bus = bus->next)
		for (dev = bus->devices; dev; dev = dev->next) {
			if (dev->descriptor.idVendor == 0x1d6b)
				continue;
			printf("%s/%s %04x:%04x cfg %d if %d ep0 %02x extra %d\n", bus->dirname,
			       dev->filename, dev->descriptor.idVendor, dev->descriptor.idProduct,
			       dev->config[0].bConfigurationValue, dev->config[0].bNumInterfaces,
			       dev->config[0].interface[0].altsetting[0].endpoint[0].bEndpointAddress,
			       dev->config[0].interface[0].altsetting[0].extralen);
			if (dev->descriptor.idVendor == 0xf055)
				echo = dev;
		}
	if (!echo)
		return 1;
	h = usb_open(echo);
	n = usb_get_string_simple(h, echo->descriptor.iProduct, buf, sizeof(buf));
	printf("product %d \"%s\"\n", n, buf);
	printf("claim %d\n", usb_claim_interface(h, 0));
	printf("write %d\n", usb_interrupt_write(h, 1, "hello", 5, 500));
	memset(buf, 0, sizeof(buf));
	n = usb_interrupt_read(h, 0x81, buf, 64, 500);
	printf("read %d \"%s\"\n", n, buf);
	n = usb_interrupt_read(h, 0x81, buf, 64, 100);
	printf("read again %d (%s)\n", n, usb_strerror());
	n = usb_control_msg(h, USB_TYPE_VENDOR | USB_ENDPOINT_IN, 2, 0, 0, buf, 8, 500);
	printf("stall %d (%s)\n", n, usb_strerror());
	printf("bulk write %d\n", usb_bulk_write(h, 2, "bulk", 4, 500));
	memset(buf, 0, sizeof(buf));
	n = usb_bulk_read(h, 0x82, buf, 64, 500);
	printf("bulk read %d \"%s\"\n", n, buf);
	printf("halt %d\n", usb_bulk_write(h, 2, "\xff", 1, 500));
	n = usb_bulk_read(h, 0x82, buf, 64, 500);
	printf("read halted %d (%s)\n", n, usb_strerror());
	printf("clear_halt %d\n", usb_clear_halt(h, 0x82));
	printf("bulk write %d\n", usb_bulk_write(h, 2, "again", 5, 500));
	memset(buf, 0, sizeof(buf));
	n = usb_bulk_read(h, 0x82, buf, 64, 500);
	printf("bulk read %d \"%s\"\n", n, buf);
	memset(buf, 0, sizeof(buf));
	n = usb_get_driver_np(h, 1, buf, sizeof(buf));
	printf("driver 1 %d \"%s\" (%s)\n", n, buf, usb_strerror());
	printf("claim other %d\n", usb_claim_interface(h, 1));
	n = usb_set_altinterface(h, 0);
	printf("altinterface %d\n", n);
	memset(buf, 0, sizeof(buf));
	n = usb_get_driver_np(h, 0, buf, sizeof(buf));
	printf("driver 0 %d \"%s\"\n", n, buf);
	n = usb_claim_interface(h, 7);
	printf("claim 7 %d (%s)\n", n, usb_strerror());
	n = usb_release_interface(h, 1);
	printf("release 1 %d\n", n);
	n = usb_release_interface(h, 0);
	printf("release %d\n", n);
	printf("close %d\n", usb_close(h));
	return 0;
}
