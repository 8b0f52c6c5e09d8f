/* Interface claims, kept on the core's device as usbfs keeps them per
 * device: every handle of every libusb layer (0.1 and 1.0) claims through
 * here, so a libusb-0.1 blob and a libusb-1.0 blob driving the same device
 * see each other's claims.  An owner is the layer's handle pointer. */
#include <core/errno.h>
#include <usb/core.h>

struct usb_config_descriptor *
usb_dev_current_config(struct usb_dev *d)
{
	for (int i = 0; d->config && i < d->desc.bNumConfigurations; i++)
		if (d->config[i].bConfigurationValue == d->cur_config)
			return &d->config[i];
	return NULL;
}

struct usb_interface *
usb_dev_find_interface(struct usb_dev *d, int ifnum)
{
	struct usb_config_descriptor *c = usb_dev_current_config(d);

	for (int i = 0; c && i < c->bNumInterfaces; i++)
		if (c->interface[i].num_altsetting &&
		    c->interface[i].altsetting[0].bInterfaceNumber == ifnum)
			return &c->interface[i];
	return NULL;
}

int
usb_dev_ep_interface(struct usb_dev *d, unsigned int ep)
{
	struct usb_config_descriptor *c = usb_dev_current_config(d);

	for (int i = 0; c && i < c->bNumInterfaces; i++)
		for (int a = 0; a < c->interface[i].num_altsetting; a++) {
			struct usb_interface_descriptor *alt = &c->interface[i].altsetting[a];

			for (int e = 0; e < alt->bNumEndpoints; e++)
				if (alt->endpoint[e].bEndpointAddress == ep)
					return alt->bInterfaceNumber < USB_MAXINTERFACES ?
					       alt->bInterfaceNumber : -1;
		}
	return -1;
}

int
usb_dev_claim(struct usb_dev *d, int ifnum, const void *owner)
{
	if (!usb_dev_usable(d))
		return -ENODEV;
	if (ifnum < 0 || ifnum >= USB_MAXINTERFACES)
		return -EINVAL;
	if (!usb_dev_find_interface(d, ifnum))
		return -ENOENT;
	if (d->claim[ifnum] && d->claim[ifnum] != owner)
		return -EBUSY;
	d->claim[ifnum] = owner;
	return 0;
}

int
usb_dev_claim_for_ep(struct usb_dev *d, unsigned int ep, const void *owner)
{
	int ifnum = usb_dev_ep_interface(d, ep);

	if (ifnum < 0)
		return -ENOENT;
	if (d->claim[ifnum] && d->claim[ifnum] != owner)
		return -EBUSY;
	d->claim[ifnum] = owner;
	return 0;
}

int
usb_dev_release(struct usb_dev *d, int ifnum, const void *owner)
{
	if (ifnum < 0 || ifnum >= USB_MAXINTERFACES || d->claim[ifnum] != owner)
		return -ENOENT;
	d->claim[ifnum] = NULL;
	return 0;
}

void
usb_dev_release_all(struct usb_dev *d, const void *owner)
{
	for (int i = 0; i < USB_MAXINTERFACES; i++)
		if (d->claim[i] == owner)
			d->claim[i] = NULL;
}

const void *
usb_dev_claimer(const struct usb_dev *d, int ifnum)
{
	return ifnum >= 0 && ifnum < USB_MAXINTERFACES ? d->claim[ifnum] : NULL;
}
