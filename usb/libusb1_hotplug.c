/* libusb-1.0 hot-plug callbacks.  A context with callbacks keeps the set of
 * core devices it has seen (holding a reference to each); event handling
 * compares it with the core's usable devices and reports
 * LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED for a device the core finished
 * enumerating and ..._LEFT for one unplugged or whose controller went
 * away — in the thread handling events, as libusb does.  A callback that
 * returns 1 is deregistered. */
#include <core/export.h>
#include <core/heap.h>
#include <core/string.h>
#include "libusb1_priv.h"

struct lu1_hotplug {
	int handle;
	int events, flags, vid, pid, cls;
	libusb_hotplug_callback_fn cb;
	void *user_data;
	bool dead;
	struct lu1_hotplug *next;
};

static int next_handle;

static bool
seen(struct libusb_context *c, struct usb_dev *d)
{
	for (int i = 0; i < c->nseen; i++)
		if (c->seen[i] == d)
			return true;
	return false;
}

static int
seen_add(struct libusb_context *c, struct usb_dev *d)
{
	if (c->nseen == c->seen_cap) {
		int cap = c->seen_cap ? 2 * c->seen_cap : 8;
		struct usb_dev **n = heap_zalloc(cap * sizeof(*n));

		if (!n)
			return -1;
		memcpy(n, c->seen, c->nseen * sizeof(*n));
		heap_free(c->seen);
		c->seen = n;
		c->seen_cap = cap;
	}
	usb_dev_get(d);
	c->seen[c->nseen++] = d;
	return 0;
}

static bool
matches(const struct lu1_hotplug *h, const struct usb_dev *d, int event)
{
	return !h->dead && (h->events & event) &&
	       (h->vid == LIBUSB_HOTPLUG_MATCH_ANY || h->vid == d->desc.idVendor) &&
	       (h->pid == LIBUSB_HOTPLUG_MATCH_ANY || h->pid == d->desc.idProduct) &&
	       (h->cls == LIBUSB_HOTPLUG_MATCH_ANY || h->cls == d->desc.bDeviceClass);
}

static void
purge(struct libusb_context *c)
{
	for (struct lu1_hotplug **pp = &c->hotplugs; *pp;) {
		struct lu1_hotplug *h = *pp;

		if (h->dead) {
			*pp = h->next;
			heap_free(h);
		} else {
			pp = &h->next;
		}
	}
}

/* Tell every matching callback (or only `only'); returns how many ran. */
static int
fire(struct libusb_context *c, struct usb_dev *d, int event, struct lu1_hotplug *only)
{
	struct libusb_device *dev = lu1_device_for(c, d);
	int n = 0;

	if (!dev)
		return 0;
	c->hp_firing++;
	for (struct lu1_hotplug *h = only ? only : c->hotplugs; h; h = only ? NULL : h->next) {
		if (!matches(h, d, event))
			continue;
		n++;
		if (h->cb(c, dev, (libusb_hotplug_event)event, h->user_data))
			h->dead = true;
	}
	c->hp_firing--;
	libusb_unref_device(dev);
	return n;
}

bool
lu1_hotplug_changed(struct libusb_context *c)
{
	int usable = 0;

	if (!c->hotplugs)
		return false;
	for (int i = 0; i < c->nseen; i++)
		if (!usb_dev_usable(c->seen[i]))
			return true;
	for (struct usb_dev *d = usb_dev_first(); d; d = usb_dev_next(d))
		if (usb_dev_usable(d)) {
			if (!seen(c, d))
				return true;
			usable++;
		}
	return usable != c->nseen;
}

int
lu1_hotplug_scan(struct libusb_context *c)
{
	int n = 0;

	if (!c->hotplugs)
		return 0;
	for (int i = 0; i < c->nseen;) {
		struct usb_dev *d = c->seen[i];

		if (usb_dev_usable(d)) {
			i++;
			continue;
		}
		c->seen[i] = c->seen[--c->nseen];
		n += fire(c, d, LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, NULL);
		usb_dev_put(d);
	}
	for (struct usb_dev *d = usb_dev_first(); d; d = usb_dev_next(d))
		if (usb_dev_usable(d) && !seen(c, d) && seen_add(c, d) == 0)
			n += fire(c, d, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, NULL);
	purge(c);
	return n;
}

void
lu1_hotplug_exit(struct libusb_context *c)
{
	for (struct lu1_hotplug *h = c->hotplugs; h; h = h->next)
		h->dead = true;
	purge(c);
	for (int i = 0; i < c->nseen; i++)
		usb_dev_put(c->seen[i]);
	heap_free(c->seen);
	c->seen = NULL;
	c->nseen = c->seen_cap = 0;
}

static bool
id_ok(int v, int max)
{
	return v == LIBUSB_HOTPLUG_MATCH_ANY || (v >= 0 && v <= max);
}

int
libusb_hotplug_register_callback(libusb_context *ctx, int events, int flags, int vid, int pid,
				 int cls, libusb_hotplug_callback_fn cb, void *user_data,
				 libusb_hotplug_callback_handle *handle)
{
	struct libusb_context *c = lu1_ctx(ctx);
	struct lu1_hotplug *h;

	if (!c || !cb || !events ||
	    (events & ~(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT)) ||
	    (flags & ~LIBUSB_HOTPLUG_ENUMERATE) || !id_ok(vid, 0xffff) || !id_ok(pid, 0xffff) ||
	    !id_ok(cls, 0xff))
		return LIBUSB_ERROR_INVALID_PARAM;
	h = heap_zalloc(sizeof(*h));
	if (!h)
		return LIBUSB_ERROR_NO_MEM;
	*h = (struct lu1_hotplug){ .handle = ++next_handle, .events = events, .flags = flags,
				   .vid = vid, .pid = pid, .cls = cls, .cb = cb, .user_data = user_data };
	if (!c->hotplugs) {
		/* Start watching: what is there now has not "arrived". */
		usb_poll_all(0);
		for (struct usb_dev *d = usb_dev_first(); d; d = usb_dev_next(d))
			if (usb_dev_usable(d) && !seen(c, d))
				seen_add(c, d);
	}
	h->next = c->hotplugs;
	c->hotplugs = h;
	if (handle)
		*handle = h->handle;
	if (flags & LIBUSB_HOTPLUG_ENUMERATE) {
		for (int i = 0; i < c->nseen && !h->dead; i++)
			fire(c, c->seen[i], LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, h);
		purge(c);
	}
	return 0;
}
EXPORT(libusb_hotplug_register_callback, LIBUSB1);

void
libusb_hotplug_deregister_callback(libusb_context *ctx, libusb_hotplug_callback_handle handle)
{
	struct libusb_context *c = lu1_ctx(ctx);

	if (!c)
		return;
	for (struct lu1_hotplug *h = c->hotplugs; h; h = h->next)
		if (h->handle == handle)
			h->dead = true;
	if (c->hp_firing)
		return;		/* from a callback: purged when the firing ends */
	purge(c);
	if (!c->hotplugs)
		lu1_hotplug_exit(c);	/* stop holding the devices it saw */
}
EXPORT(libusb_hotplug_deregister_callback, LIBUSB1);

void *
libusb_hotplug_get_user_data(libusb_context *ctx, libusb_hotplug_callback_handle handle)
{
	struct libusb_context *c = lu1_ctx(ctx);

	for (struct lu1_hotplug *h = c ? c->hotplugs : NULL; h; h = h->next)
		if (h->handle == handle && !h->dead)
			return h->user_data;
	return NULL;
}
EXPORT(libusb_hotplug_get_user_data, LIBUSB1);
