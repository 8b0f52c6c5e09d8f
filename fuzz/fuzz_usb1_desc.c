/* libFuzzer: libusb-1.0's own parsers of device bytes (usb/libusb1_desc.c).
 * The first byte picks what the rest is:
 *  0: a BOS as read from a device; every capability it accepts must lie
 *     within the bytes and its typed getters may read only what the
 *     capability's bLength covers (each copy is exactly that long);
 *  1: an endpoint's `extra' bytes, searched for a SuperSpeed companion;
 *  2: a configuration: when the core's parser accepts it, every
 *     endpoint's extra is searched as in 1.
 * Each input runs on a private copy, so ASan sees any overread; the heap
 * must hold no more blocks afterwards than before. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "unit/host_plat.h"
#include <core/heap.h>
#include <core/init.h>
#include <core/pages.h>
#include <usb/core.h>
#include <usb/libusb1.h>
#include <usb/libusb1_parse.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
companion(const u8 *extra, int len)
{
	struct libusb_ss_endpoint_companion_descriptor *c = NULL;
	int r = lu1_parse_ss_companion(extra, len, &c);

	if (r == 0) {
		if (c->bLength < LIBUSB_DT_SS_ENDPOINT_COMPANION_SIZE ||
		    c->bDescriptorType != LIBUSB_DT_SS_ENDPOINT_COMPANION)
			__builtin_trap();
		libusb_free_ss_endpoint_companion_descriptor(c);
	} else if (r != LIBUSB_ERROR_NOT_FOUND && r != LIBUSB_ERROR_IO) {
		__builtin_trap();
	}
}

static void
bos(const u8 *p, int len)
{
	struct libusb_bos_descriptor *b = NULL;
	int used;

	if (lu1_parse_bos(p, len, &b))
		return;
	used = p[0];
	for (int i = 0; i < b->bNumDeviceCaps; i++) {
		struct libusb_bos_dev_capability_descriptor *cap = b->dev_capability[i];
		struct libusb_usb_2_0_extension_descriptor *u2;
		struct libusb_ss_usb_device_capability_descriptor *ss;
		struct libusb_container_id_descriptor *id;

		used += cap->bLength;
		if (cap->bLength < LIBUSB_DT_DEVICE_CAPABILITY_SIZE || used > len)
			__builtin_trap();
		if (libusb_get_usb_2_0_extension_descriptor(NULL, cap, &u2) == 0)
			libusb_free_usb_2_0_extension_descriptor(u2);
		if (libusb_get_ss_usb_device_capability_descriptor(NULL, cap, &ss) == 0)
			libusb_free_ss_usb_device_capability_descriptor(ss);
		if (libusb_get_container_id_descriptor(NULL, cap, &id) == 0)
			libusb_free_container_id_descriptor(id);
	}
	libusb_free_bos_descriptor(b);
}

static void
config(const u8 *p, size_t len)
{
	struct usb_config_descriptor cfg;
	char why[160];

	if (usb_desc_parse_config(p, len, &cfg, why, sizeof(why)))
		return;
	for (int i = 0; i < cfg.bNumInterfaces; i++)
		for (int a = 0; a < cfg.interface[i].num_altsetting; a++) {
			const struct usb_interface_descriptor *alt = &cfg.interface[i].altsetting[a];

			for (int e = 0; e < alt->bNumEndpoints; e++)
				companion(alt->endpoint[e].extra, alt->endpoint[e].extralen);
		}
	usb_desc_free_config(&cfg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct heap_stats before, after;
	u8 *copy;

	if (!ready) {
		void *base;
		size_t len;

		plat_memory_region(&base, &len);
		pages_init(base, len);
		initfuncs_run();
		ready = true;
	}
	if (size < 1 || size > 4096)
		return 0;
	copy = malloc(size - 1 ? size - 1 : 1);
	memcpy(copy, data + 1, size - 1);
	heap_stats(&before);
	switch (data[0] % 3) {
	case 0:
		bos(copy, (int)size - 1);
		break;
	case 1:
		companion(copy, (int)size - 1);
		break;
	default:
		config(copy, size - 1);
		break;
	}
	heap_stats(&after);
	if (after.live_blocks > before.live_blocks)
		__builtin_trap();
	free(copy);
	return 0;
}
