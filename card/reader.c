/* Smart-card readers are found, not configured: any configured USB device
 * on any controller with a CCID interface (class 0x0B, followed by its
 * 54-byte class descriptor) is a reader.  Readers keep their index while
 * they stay plugged in (keyed by the USB core's device serial). */
#include <core/string.h>
#include <usb/core.h>
#include "card.h"

static struct card_reader readers[CARD_READERS];

/* bMaxSlotIndex + 1 of the first CCID interface, 0 if the device has none. */
static int
ccid_slots(const struct usb_dev *d)
{
	const u8 *p, *end;
	bool in_ccid = false;

	if (!d->raw_config || !d->raw_config[0])
		return 0;
	p = d->raw_config[0];
	end = p + (p[2] | p[3] << 8);
	while (p + 2 <= end && p[0] >= 2 && p + p[0] <= end) {
		if (p[1] == 4 && p[0] >= 9)			/* interface */
			in_ccid = p[5] == 0x0B;
		else if (in_ccid && p[1] == 0x21 && p[0] >= 54)	/* CCID class descriptor */
			return p[4] + 1;
		p += p[0];
	}
	return 0;
}

void
card_scan(void)
{
	for (int i = 0; i < CARD_READERS; i++)
		readers[i].present = false;
	for (struct usb_dev *d = usb_dev_first(); d; d = usb_dev_next(d)) {
		struct card_reader *r = NULL;
		int slots;

		if (!usb_dev_usable(d) || !(slots = ccid_slots(d)))
			continue;
		for (int i = 0; i < CARD_READERS && !r; i++)
			if (readers[i].serial == d->serial)
				r = &readers[i];
		for (int i = 0; i < CARD_READERS && !r; i++)
			if (!readers[i].serial || !readers[i].present) {
				if (readers[i].serial && readers[i].channel)
					continue;	/* gone, but its channel is still to close */
				r = &readers[i];
				memset(r, 0, sizeof(*r));
				r->serial = d->serial;
				r->protocol = -1;
			}
		if (!r)
			continue;	/* more readers than the table: the first 8 */
		r->present = true;
		r->bus = d->hc->busnum;
		r->addr = d->addr;
		r->vid = d->desc.idVendor;
		r->pid = d->desc.idProduct;
		r->slots = slots;
		if (!card_plist_name(r->vid, r->pid, r->name, sizeof(r->name)))
			snprintf(r->name, sizeof(r->name), "%s", d->product[0] ? d->product : "CCID reader");
	}
}

struct card_reader *
card_reader(int index)
{
	if (index < 0 || index >= CARD_READERS || !readers[index].serial)
		return NULL;
	return &readers[index];
}
