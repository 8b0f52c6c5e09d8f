/* libusb-1.0's library-level calls: version, capabilities, locale, options
 * and logging.  Values are what Debian's libusb 1.0.26 answers on Linux
 * (read from the real library on the build machine). */
#include <core/console.h>
#include <core/export.h>
#include <core/string.h>
#include "libusb1_priv.h"

static const struct libusb_version version = {
	1, 0, 26, 11724, "", "http://libusb.info",
};

const struct libusb_version *
libusb_get_version(void)
{
	return &version;
}
EXPORT(libusb_get_version, LIBUSB1);

/* Linux's values: hot-plug yes; HID access and kernel-driver detach as the
 * backend's capability bits (0x10000, 0x20000). */
int
libusb_has_capability(uint32_t cap)
{
	switch (cap) {
	case LIBUSB_CAP_HAS_CAPABILITY:			return 1;
	case LIBUSB_CAP_HAS_HOTPLUG:			return 1;
	case LIBUSB_CAP_HAS_HID_ACCESS:			return 0x10000;
	case LIBUSB_CAP_SUPPORTS_DETACH_KERNEL_DRIVER:	return 0x20000;
	default:					return 0;
	}
}
EXPORT(libusb_has_capability, LIBUSB1);

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The languages libusb 1.0.26 knows, by the first two letters ("de",
 * "de_DE.UTF-8", "EN"); others are NOT_FOUND.  The messages stay English:
 * blobvisor carries no translations. */
int
libusb_setlocale(const char *locale)
{
	static const char *const known[] = { "en", "nl", "fr", "ru", "de", "hu" };

	if (!locale || !locale[0] || !locale[1] ||
	    (locale[2] && locale[2] != '_' && locale[2] != '-' && locale[2] != '.'))
		return LIBUSB_ERROR_INVALID_PARAM;
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (lower(locale[0]) == known[i][0] && lower(locale[1]) == known[i][1])
			return 0;
	return LIBUSB_ERROR_NOT_FOUND;
}
EXPORT(libusb_setlocale, LIBUSB1);

int lu1_default_log_level;

/* LOG_LEVEL 0..4; USE_USBDK is Windows-only (NOT_SUPPORTED);
 * NO_DEVICE_DISCOVERY is accepted (nothing here scans sysfs anyway).  With
 * ctx NULL the level also applies to contexts made later. */
int
libusb_set_option(libusb_context *ctx, enum libusb_option option, ...)
{
	struct libusb_context *c = ctx ? ctx : lu1_default_ctx();
	va_list ap;
	int level;

	switch (option) {
	case LIBUSB_OPTION_LOG_LEVEL:
		va_start(ap, option);
		level = va_arg(ap, int);
		va_end(ap);
		if (level < LIBUSB_LOG_LEVEL_NONE || level > LIBUSB_LOG_LEVEL_DEBUG)
			return LIBUSB_ERROR_INVALID_PARAM;
		if (!ctx)
			lu1_default_log_level = level;
		if (c)
			c->log_level = level;
		return 0;
	case LIBUSB_OPTION_USE_USBDK:
		return LIBUSB_ERROR_NOT_SUPPORTED;
	case LIBUSB_OPTION_NO_DEVICE_DISCOVERY:
		return 0;
	default:
		return LIBUSB_ERROR_INVALID_PARAM;
	}
}
EXPORT(libusb_set_option, LIBUSB1);

void
libusb_set_debug(libusb_context *ctx, int level)
{
	if (level < LIBUSB_LOG_LEVEL_NONE)
		level = LIBUSB_LOG_LEVEL_NONE;
	if (level > LIBUSB_LOG_LEVEL_DEBUG)
		level = LIBUSB_LOG_LEVEL_DEBUG;
	libusb_set_option(ctx, LIBUSB_OPTION_LOG_LEVEL, level);
}
EXPORT(libusb_set_debug, LIBUSB1);

libusb_log_cb lu1_global_log_cb;

/* GLOBAL: every message goes to cb; CONTEXT: this context's do. */
void
libusb_set_log_cb(libusb_context *ctx, libusb_log_cb cb, int mode)
{
	struct libusb_context *c = ctx ? ctx : lu1_default_ctx();

	if (mode & LIBUSB_LOG_CB_GLOBAL)
		lu1_global_log_cb = cb;
	if ((mode & LIBUSB_LOG_CB_CONTEXT) && c)
		c->log_cb = cb;
}
EXPORT(libusb_set_log_cb, LIBUSB1);
