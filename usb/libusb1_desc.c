/* libusb-1.0's descriptors beyond the configuration tree: SuperSpeed
 * endpoint companions (found in an endpoint's `extra'), the BOS read from
 * the device and its capability descriptors.  All of it is bytes a device
 * sent: every length is checked against what is there before it is read
 * (fuzz/fuzz_usb1_desc.c drives these with arbitrary bytes). */
#include <core/errno.h>
#include <core/export.h>
#include <core/heap.h>
#include <core/string.h>
#include "libusb1_priv.h"

static u16
le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

/* Walk a run of descriptors for the first of `type': its offset, or
 * LIBUSB_ERROR_NOT_FOUND, or LIBUSB_ERROR_IO when a length is impossible. */
static int
find_desc(const u8 *p, int len, u8 type)
{
	int pos = 0;

	while (len - pos >= 2) {
		u8 l = p[pos];

		if (l < 2 || l > len - pos)
			return LIBUSB_ERROR_IO;
		if (p[pos + 1] == type)
			return pos;
		pos += l;
	}
	return LIBUSB_ERROR_NOT_FOUND;
}

int
lu1_parse_ss_companion(const u8 *extra, int len, struct libusb_ss_endpoint_companion_descriptor **out)
{
	struct libusb_ss_endpoint_companion_descriptor *c;
	int pos;

	if (!extra || len <= 0)
		return LIBUSB_ERROR_NOT_FOUND;
	pos = find_desc(extra, len, LIBUSB_DT_SS_ENDPOINT_COMPANION);
	if (pos < 0)
		return pos;
	if (extra[pos] < LIBUSB_DT_SS_ENDPOINT_COMPANION_SIZE)
		return LIBUSB_ERROR_IO;
	c = heap_zalloc(sizeof(*c));
	if (!c)
		return LIBUSB_ERROR_NO_MEM;
	c->bLength = extra[pos];
	c->bDescriptorType = extra[pos + 1];
	c->bMaxBurst = extra[pos + 2];
	c->bmAttributes = extra[pos + 3];
	c->wBytesPerInterval = le16(extra + pos + 4);
	*out = c;
	return 0;
}

int
libusb_get_ss_endpoint_companion_descriptor(libusb_context *ctx,
					    const struct libusb_endpoint_descriptor *ep,
					    struct libusb_ss_endpoint_companion_descriptor **out)
{
	(void)ctx;
	if (!ep || !out)
		return LIBUSB_ERROR_INVALID_PARAM;
	return lu1_parse_ss_companion(ep->extra, ep->extra_length, out);
}
EXPORT(libusb_get_ss_endpoint_companion_descriptor, LIBUSB1);

void
libusb_free_ss_endpoint_companion_descriptor(struct libusb_ss_endpoint_companion_descriptor *c)
{
	heap_free(c);
}
EXPORT(libusb_free_ss_endpoint_companion_descriptor, LIBUSB1);

/* A BOS as read: the header, then bNumDeviceCaps capability descriptors
 * within wTotalLength (fewer if the bytes end first, as libusb accepts). */
int
lu1_parse_bos(const u8 *p, int len, struct libusb_bos_descriptor **out)
{
	struct libusb_bos_descriptor *b;
	int pos, total, n;

	if (len < LIBUSB_DT_BOS_SIZE || p[0] < LIBUSB_DT_BOS_SIZE || p[1] != LIBUSB_DT_BOS)
		return LIBUSB_ERROR_IO;
	total = MIN((int)le16(p + 2), len);
	if (total < p[0])
		return LIBUSB_ERROR_IO;
	n = p[4];
	b = heap_zalloc(sizeof(*b) + (size_t)n * sizeof(b->dev_capability[0]));
	if (!b)
		return LIBUSB_ERROR_NO_MEM;
	b->bLength = LIBUSB_DT_BOS_SIZE;
	b->bDescriptorType = p[1];
	b->wTotalLength = le16(p + 2);
	pos = p[0];
	for (int i = 0; i < n && total - pos >= LIBUSB_DT_DEVICE_CAPABILITY_SIZE; i++) {
		u8 l = p[pos];
		struct libusb_bos_dev_capability_descriptor *cap;

		if (l < LIBUSB_DT_DEVICE_CAPABILITY_SIZE || l > total - pos ||
		    p[pos + 1] != LIBUSB_DT_DEVICE_CAPABILITY) {
			libusb_free_bos_descriptor(b);
			return LIBUSB_ERROR_IO;
		}
		cap = heap_alloc(l);
		if (!cap) {
			libusb_free_bos_descriptor(b);
			return LIBUSB_ERROR_NO_MEM;
		}
		memcpy(cap, p + pos, l);
		b->dev_capability[b->bNumDeviceCaps++] = cap;
		pos += l;
	}
	*out = b;
	return 0;
}

/* Header first, then all of wTotalLength.  A device without a BOS stalls
 * the request: LIBUSB_ERROR_PIPE, what libusb 1.0.26 returns then. */
int
libusb_get_bos_descriptor(libusb_device_handle *h, struct libusb_bos_descriptor **out)
{
	u8 head[LIBUSB_DT_BOS_SIZE], *all;
	int r, total;

	if (!h || !out)
		return LIBUSB_ERROR_INVALID_PARAM;
	r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
				    LIBUSB_DT_BOS << 8, 0, head, sizeof(head), 1000);
	if (r < 0)
		return r;
	if (r < LIBUSB_DT_BOS_SIZE)
		return LIBUSB_ERROR_IO;
	total = le16(head + 2);
	if (total < LIBUSB_DT_BOS_SIZE)
		return LIBUSB_ERROR_IO;
	all = heap_alloc(total);
	if (!all)
		return LIBUSB_ERROR_NO_MEM;
	r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
				    LIBUSB_DT_BOS << 8, 0, all, (u16)total, 1000);
	if (r >= 0)
		r = lu1_parse_bos(all, r, out);
	heap_free(all);
	return r;
}
EXPORT(libusb_get_bos_descriptor, LIBUSB1);

void
libusb_free_bos_descriptor(struct libusb_bos_descriptor *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->bNumDeviceCaps; i++)
		heap_free(b->dev_capability[i]);
	heap_free(b);
}
EXPORT(libusb_free_bos_descriptor, LIBUSB1);

/* A capability of the wanted type and at least `size' bytes: 0, or
 * LIBUSB_ERROR_INVALID_PARAM (another type) / LIBUSB_ERROR_IO (short). */
static int
cap_check(const struct libusb_bos_dev_capability_descriptor *cap, u8 type, u8 size)
{
	if (!cap || cap->bDevCapabilityType != type)
		return LIBUSB_ERROR_INVALID_PARAM;
	if (cap->bLength < size)
		return LIBUSB_ERROR_IO;
	return 0;
}

int
libusb_get_usb_2_0_extension_descriptor(libusb_context *ctx,
					struct libusb_bos_dev_capability_descriptor *cap,
					struct libusb_usb_2_0_extension_descriptor **out)
{
	struct libusb_usb_2_0_extension_descriptor *d;
	const u8 *p = (const u8 *)cap;
	int r = cap_check(cap, LIBUSB_BT_USB_2_0_EXTENSION, LIBUSB_BT_USB_2_0_EXTENSION_SIZE);

	(void)ctx;
	if (r || !out)
		return r ? r : LIBUSB_ERROR_INVALID_PARAM;
	d = heap_zalloc(sizeof(*d));
	if (!d)
		return LIBUSB_ERROR_NO_MEM;
	d->bLength = p[0];
	d->bDescriptorType = p[1];
	d->bDevCapabilityType = p[2];
	d->bmAttributes = (u32)p[3] | (u32)p[4] << 8 | (u32)p[5] << 16 | (u32)p[6] << 24;
	*out = d;
	return 0;
}
EXPORT(libusb_get_usb_2_0_extension_descriptor, LIBUSB1);

void
libusb_free_usb_2_0_extension_descriptor(struct libusb_usb_2_0_extension_descriptor *d)
{
	heap_free(d);
}
EXPORT(libusb_free_usb_2_0_extension_descriptor, LIBUSB1);

int
libusb_get_ss_usb_device_capability_descriptor(libusb_context *ctx,
					       struct libusb_bos_dev_capability_descriptor *cap,
					       struct libusb_ss_usb_device_capability_descriptor **out)
{
	struct libusb_ss_usb_device_capability_descriptor *d;
	const u8 *p = (const u8 *)cap;
	int r = cap_check(cap, LIBUSB_BT_SS_USB_DEVICE_CAPABILITY,
			  LIBUSB_BT_SS_USB_DEVICE_CAPABILITY_SIZE);

	(void)ctx;
	if (r || !out)
		return r ? r : LIBUSB_ERROR_INVALID_PARAM;
	d = heap_zalloc(sizeof(*d));
	if (!d)
		return LIBUSB_ERROR_NO_MEM;
	d->bLength = p[0];
	d->bDescriptorType = p[1];
	d->bDevCapabilityType = p[2];
	d->bmAttributes = p[3];
	d->wSpeedSupported = le16(p + 4);
	d->bFunctionalitySupport = p[6];
	d->bU1DevExitLat = p[7];
	d->bU2DevExitLat = le16(p + 8);
	*out = d;
	return 0;
}
EXPORT(libusb_get_ss_usb_device_capability_descriptor, LIBUSB1);

void
libusb_free_ss_usb_device_capability_descriptor(struct libusb_ss_usb_device_capability_descriptor *d)
{
	heap_free(d);
}
EXPORT(libusb_free_ss_usb_device_capability_descriptor, LIBUSB1);

int
libusb_get_container_id_descriptor(libusb_context *ctx,
				   struct libusb_bos_dev_capability_descriptor *cap,
				   struct libusb_container_id_descriptor **out)
{
	struct libusb_container_id_descriptor *d;
	int r = cap_check(cap, LIBUSB_BT_CONTAINER_ID, LIBUSB_BT_CONTAINER_ID_SIZE);

	(void)ctx;
	if (r || !out)
		return r ? r : LIBUSB_ERROR_INVALID_PARAM;
	d = heap_zalloc(sizeof(*d));
	if (!d)
		return LIBUSB_ERROR_NO_MEM;
	memcpy(d, cap, sizeof(*d));
	*out = d;
	return 0;
}
EXPORT(libusb_get_container_id_descriptor, LIBUSB1);

void
libusb_free_container_id_descriptor(struct libusb_container_id_descriptor *d)
{
	heap_free(d);
}
EXPORT(libusb_free_container_id_descriptor, LIBUSB1);
