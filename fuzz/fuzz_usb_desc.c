/* libFuzzer: descriptor parsing and the descriptor tree, two ways.
 *  1. The input as a configuration for the parser alone: a tree it accepts
 *     must account for every byte of wTotalLength exactly once.
 *  2. The input as a device (18 bytes of device descriptor, then what it
 *     answers to every GET_DESCRIPTOR(CONFIG)) enumerated by the core on
 *     the in-process controller, then listed through libusb-0.1 and
 *     unplugged: nothing may crash, leak or read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "unit/host_plat.h"
#include <core/errno.h>
#include <core/init.h>
#include <core/pages.h>
#include <usb/core.h>
#include <usb/usb.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
tree_bytes(const struct usb_config_descriptor *c)
{
	size_t n = c->bLength + c->extralen;

	for (int i = 0; i < c->bNumInterfaces; i++) {
		const struct usb_interface *ifc = &c->interface[i];

		if (ifc->num_altsetting < 1)
			__builtin_trap();
		for (int a = 0; a < ifc->num_altsetting; a++) {
			const struct usb_interface_descriptor *alt = &ifc->altsetting[a];

			n += alt->bLength + alt->extralen;
			for (int e = 0; e < alt->bNumEndpoints; e++)
				n += alt->endpoint[e].bLength + alt->endpoint[e].extralen;
		}
	}
	return n;
}

struct fuzz_dev {
	struct usb_model m;
	const u8 *data;
	size_t size;
};

static int
fd_control(struct usb_model *m, const struct usb_setup *s, u8 *out)
{
	struct fuzz_dev *f = (struct fuzz_dev *)m;
	size_t n;

	if (s->bRequest != USB_REQ_GET_DESCRIPTOR)
		return s->bRequest == USB_REQ_SET_ADDRESS || s->bRequest == USB_REQ_SET_CONFIGURATION ? 0 : -EPIPE;
	switch (s->wValue >> 8) {
	case USB_DT_DEVICE:
		n = MIN(f->size, 18);
		n = MIN(n, s->wLength);
		memcpy(out, f->data, n);
		return (int)n;
	case USB_DT_CONFIG:
		if (f->size <= 18)
			return -EPIPE;
		n = MIN(f->size - 18, s->wLength);
		memcpy(out, f->data + 18, n);
		return (int)n;
	case USB_DT_STRING:	/* the configuration bytes double as strings */
		if (f->size <= 18)
			return -EPIPE;
		n = MIN(f->size - 18, s->wLength);
		memcpy(out, f->data + 18, n);
		return (int)n;
	default:
		return -EPIPE;
	}
}

static int fd_out(struct usb_model *m, u8 ep, const u8 *d, size_t len) { return -EPIPE; }
static int fd_in(struct usb_model *m, u8 ep, u8 *d, size_t len) { return -EPIPE; }
static const struct usb_model_ops fd_ops = { fd_control, fd_out, fd_in, NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct usb_config_descriptor cfg;
	char why[160];

	if (!ready) {
		void *base;
		size_t len;

		plat_memory_region(&base, &len);
		pages_init(base, len);
		initfuncs_run();
		usb_init();
		ready = true;
	}
	if (size > 4096)
		return 0;

	/* 1: the parser alone, on a private copy so ASan sees overreads. */
	{
		u8 *copy = malloc(size ? size : 1);

		memcpy(copy, data, size);
		if (usb_desc_parse_config(copy, size, &cfg, why, sizeof(why)) == 0) {
			if (tree_bytes(&cfg) != cfg.wTotalLength)
				__builtin_trap();
			usb_desc_free_config(&cfg);
		} else if (!why[0] || strchr(why, '\n')) {
			__builtin_trap();	/* a rejection says why, on one line */
		}
		free(copy);
	}

	/* 2: enumeration and the libusb view. */
	{
		struct fuzz_dev f = { { &fd_ops, "fuzz", USB_MODEL_SPEED_FULL, NULL }, data, size };
		struct usb_hc *hc = usb_virt_create("fuzz");
		struct heap_stats before, after;

		heap_stats(&before);
		host_console_clear();
		usb_virt_plug(hc, &f.m);
		usb_find_busses();
		usb_find_devices();
		for (struct usb_bus *b = usb_busses; b; b = b->next)
			for (struct usb_device *d = b->devices; d; d = d->next)
				for (int c = 0; c < d->descriptor.bNumConfigurations; c++)
					if (tree_bytes(&d->config[c]) != d->config[c].wTotalLength)
						__builtin_trap();
		usb_hc_unregister(hc);
		usb_find_busses();
		usb_find_devices();
		heap_stats(&after);
		if (usb_busses || after.live_blocks > before.live_blocks)
			__builtin_trap();
	}
	return 0;
}
