/* The seed's transport member: libusb-0.1 including the usb_busses list. */
#include <usb.h>

void *
seed_transport_find(void)
{
	usb_init();
	usb_find_busses();
	usb_find_devices();
	for (struct usb_bus *b = usb_busses; b; b = b->next)
		for (struct usb_device *d = b->devices; d; d = d->next)
			if (d->descriptor.idVendor == 0x096e)
				return usb_open(d);
	return 0;
}

int
seed_transport_xfer(void *dev, unsigned char *buf, int len)
{
	char tmp[64];

	if (usb_interrupt_write(dev, 0x02, (char *)buf, len, 1000) != len)
		return -1;
	return usb_interrupt_read(dev, 0x81, tmp, sizeof(tmp), 1000);
}
