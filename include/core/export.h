#ifndef CORE_EXPORT_H
#define CORE_EXPORT_H

#include <core/types.h>

/* What a blob may import.  A function or object is marked where it is
 * defined with EXPORT(name, CLASS); the loader resolves undefined symbols
 * from these records, and the build writes the same records to
 * build/exports.txt so host tools (blobscan) judge against the same set. */
enum export_class {
	EXPORT_LIBC,
	EXPORT_FORTIFY,
	EXPORT_PTHREAD,
	EXPORT_LIBUSB,
	EXPORT_LIBUSB1,		/* libusb-1.0 (usb/libusb1*.c) */
	EXPORT_SSP,
	EXPORT_RUNTIME,
	EXPORT_PCSC,		/* what pcscd gives IFD handlers: log_msg, log_xxd */
	EXPORT_NCLASSES
};

struct export {
	const char *name;
	void *addr;
	u32 cls;
};

#define EXPORT(sym, cls_) EXPORT_AS(sym, #sym, cls_)
#define EXPORT_AS(sym, name_, cls_) \
	static const struct export __export_##sym __used \
	__section("exports") __attribute__((aligned(8))) = \
	{ name_, (void *)&(sym), EXPORT_##cls_ }

const struct export *export_lookup(const char *name);
const struct export *export_at(size_t i);	/* sorted by name */
size_t export_count(void);
const char *export_class_name(u32 cls);
/* Functions live in the core's text; everything else is an object. */
bool export_is_function(const struct export *e);

#endif
