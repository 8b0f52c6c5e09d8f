/* A libusb-0.1 program built the way a vendor builds its SDK (-fPIC,
 * -fstack-protector-strong, _FORTIFY_SOURCE, against Debian's
 * /usr/include/usb.h) and run as a blob: the exports, the ABI of the
 * structs and the semantics as a real program sees them. */
#include <stdio.h>
#include <string.h>
#include <usb.h>

int probe(void);

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
	n = usb_find_devices();
	printf("find_devices %d\n", n);
	printf("again %d %d\n", usb_find_busses(), usb_find_devices());
	printf("head %s\n", usb_busses && !usb_busses->prev && usb_get_busses() == usb_busses ? "yes" : "no");
	for (bus = usb_busses; bus; bus = bus->next)
		for (dev = bus->devices; dev; dev = dev->next) {
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
	n = usb_release_interface(h, 0);
	printf("release %d\n", n);
	printf("close %d\n", usb_close(h));
	return 0;
}
