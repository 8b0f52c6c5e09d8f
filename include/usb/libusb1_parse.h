/* libusb-1.0's parsers of bytes a device sent (usb/libusb1_desc.c), public
 * for fuzz/fuzz_usb1_desc.c.  0 and a heap copy the caller frees with the
 * matching libusb_free_*, or LIBUSB_ERROR_NOT_FOUND / _IO / _NO_MEM. */
#ifndef USB_LIBUSB1_PARSE_H
#define USB_LIBUSB1_PARSE_H

#include <core/types.h>
#include <usb/libusb1.h>

/* The first SuperSpeed endpoint companion in an endpoint's extra bytes. */
int lu1_parse_ss_companion(const u8 *extra, int len,
			   struct libusb_ss_endpoint_companion_descriptor **out);
/* A BOS descriptor and the capability descriptors within it. */
int lu1_parse_bos(const u8 *p, int len, struct libusb_bos_descriptor **out);

#endif
