/* libusb-1.0 over the core with echo devices on in-process controllers:
 * what a blob cannot easily provoke — unplug with a transfer in flight,
 * close and free with transfers in flight, exit with transfers pending,
 * reference counts, the event lock, interrupting the event handler, the
 * default context before libusb_init, and libusb-0.1 and libusb-1.0
 * handles sharing one device's claims.  Expected values are libusb
 * 1.0.26's on Linux. */
#include "tap.h"
#include "unit/host_plat.h"
#include <core/errno.h>
#include <core/init.h>
#include <core/pages.h>
#include <usb/core.h>
#include <usb/usb.h>
#include <usb/libusb1.h>

struct got {
	int done, status, actual;
};

static void
cb(struct libusb_transfer *t)
{
	struct got *g = t->user_data;

	g->status = t->status;
	g->actual = t->actual_length;
	g->done++;
}

static void
run_events(libusb_context *ctx, struct got *g)
{
	struct timeval tv = { 1, 0 };

	for (int i = 0; i < 20 && !g->done; i++)
		libusb_handle_events_timeout_completed(ctx, &tv, &g->done);
}

static int hp_arrived, hp_left, hp_ret;

static int
hpcb(libusb_context *c, libusb_device *d, libusb_hotplug_event ev, void *user)
{
	struct libusb_device_descriptor dd;

	libusb_get_device_descriptor(d, &dd);
	if (dd.idVendor != 0xf055)
		__builtin_trap();
	if (ev == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
		hp_arrived++;
	else
		hp_left++;
	return hp_ret;
}

static libusb_device *
find_on_bus(libusb_device **list, ssize_t n, int bus)
{
	for (ssize_t i = 0; i < n; i++)
		if (libusb_get_bus_number(list[i]) == bus)
			return list[i];
	return NULL;
}

static struct libusb_transfer *
read_xfer(libusb_device_handle *h, unsigned char *buf, struct got *g, unsigned int timeout)
{
	struct libusb_transfer *t = libusb_alloc_transfer(0);

	t->dev_handle = h;
	t->endpoint = 0x81;
	t->type = LIBUSB_TRANSFER_TYPE_INTERRUPT;
	t->timeout = timeout;
	t->buffer = buf;
	t->length = 64;
	t->callback = cb;
	t->user_data = g;
	return t;
}

int
main(void)
{
	struct usb_hc *hc1, *hc2;
	struct usb_model *m1, *m2;
	libusb_context *ctx;
	libusb_device **list, *d1, *d2;
	libusb_device_handle *h1, *h2, *hx;
	struct libusb_transfer *t;
	struct libusb_device_descriptor dd;
	struct usb_device *u01 = NULL;
	usb_dev_handle *h01;
	unsigned char buf[64];
	struct got g = { 0 };
	struct timeval tv;
	void *base;
	size_t len;
	ssize_t n;

	plat_memory_region(&base, &len);
	pages_init(base, len);
	initfuncs_run();

	TAP_CHECK(libusb_get_device_list(NULL, &list) == LIBUSB_ERROR_INVALID_PARAM,
		  "rejected: the default context before libusb_init(NULL)");
	TAP_CHECK(strstr(host_console, "libusb: the default context is used before libusb_init(NULL)") != NULL,
		  "...with one line saying so");
	hc1 = usb_virt_create("one");
	hc2 = usb_virt_create("two");
	m1 = usb_echo_create(NULL);
	m2 = usb_echo_create(NULL);
	usb_virt_plug(hc1, m1);
	usb_virt_plug(hc2, m2);

	TAP_CHECK(libusb_init(&ctx) == 0, "libusb_init(&ctx)");
	n = libusb_get_device_list(ctx, &list);
	TAP_CHECK(n == 2 && list[2] == NULL, "two devices, NULL-terminated list (%zd)", n);
	TAP_CHECK(libusb_get_bus_number(list[0]) == 1 && libusb_get_bus_number(list[1]) == 2,
		  "in bus order");
	d1 = libusb_ref_device(find_on_bus(list, n, 1));
	d2 = libusb_ref_device(find_on_bus(list, n, 2));
	libusb_free_device_list(list, 1);
	TAP_CHECK(libusb_open(d1, &h1) == 0 && libusb_open(d2, &h2) == 0, "open both");

	/* libusb-0.1 and libusb-1.0 on one device: one set of claims. */
	usb_init();
	usb_find_busses();
	usb_find_devices();
	for (struct usb_bus *b = usb_busses; b; b = b->next)
		if (b->location == 1)
			u01 = b->devices;
	h01 = u01 ? usb_open(u01) : NULL;
	TAP_CHECK(h01 && usb_claim_interface(h01, 0) == 0, "libusb-0.1 claims interface 0 of bus 1's device");
	TAP_CHECK(libusb_claim_interface(h1, 0) == LIBUSB_ERROR_BUSY,
		  "libusb-1.0 cannot claim it: LIBUSB_ERROR_BUSY");
	TAP_CHECK(libusb_interrupt_transfer(h1, 0x01, (unsigned char *)"x", 1, NULL, 100) == LIBUSB_ERROR_IO,
		  "nor transfer on its endpoints (usbfs refuses the URB: IO)");
	TAP_CHECK(usb_release_interface(h01, 0) == 0 && libusb_claim_interface(h1, 0) == 0,
		  "released by 0.1, claimed by 1.0");
	TAP_CHECK(usb_claim_interface(h01, 0) == -EBUSY, "now libusb-0.1 gets -EBUSY");
	TAP_CHECK(usb_interrupt_write(h01, 0x01, "x", 1, 100) == -EBUSY,
		  "and its transfers on interface 0 too");
	usb_close(h01);

	/* Unplug with a transfer in flight. */
	t = read_xfer(h2, buf, &g, 0);
	TAP_CHECK(libusb_submit_transfer(t) == 0, "an interrupt read in flight on bus 2");
	usb_virt_unplug(hc2, 1);
	run_events(ctx, &g);
	TAP_CHECK(g.done == 1 && g.status == LIBUSB_TRANSFER_NO_DEVICE, "unplug: its callback says NO_DEVICE (%d)", g.status);
	TAP_CHECK(libusb_submit_transfer(t) == LIBUSB_ERROR_NO_DEVICE, "resubmitting: LIBUSB_ERROR_NO_DEVICE");
	TAP_CHECK(libusb_interrupt_transfer(h2, 0x01, (unsigned char *)"x", 1, NULL, 100) == LIBUSB_ERROR_NO_DEVICE,
		  "a sync transfer: LIBUSB_ERROR_NO_DEVICE");
	TAP_CHECK(libusb_claim_interface(h2, 1) == LIBUSB_ERROR_NO_DEVICE, "claim: LIBUSB_ERROR_NO_DEVICE");
	TAP_CHECK(libusb_open(d2, &hx) == LIBUSB_ERROR_NO_DEVICE, "opening it again: LIBUSB_ERROR_NO_DEVICE");
	TAP_CHECK(libusb_get_device_descriptor(d2, &dd) == 0 && dd.idVendor == 0xf055,
		  "the referenced device object stays readable");
	n = libusb_get_device_list(ctx, &list);
	TAP_CHECK(n == 1 && list[0] == d1, "the list has only bus 1's device now");
	libusb_free_device_list(list, 1);
	libusb_free_transfer(t);
	libusb_close(h2);
	libusb_unref_device(d2);

	/* Close with a transfer in flight: cancelled, the callback still runs. */
	memset(&g, 0, sizeof(g));
	libusb_open(d1, &hx);
	t = read_xfer(hx, buf, &g, 0);
	TAP_CHECK(libusb_submit_transfer(t) == LIBUSB_ERROR_IO,
		  "rejected: a second handle's read on h1's interface (IO, as usbfs refuses it)");
	libusb_release_interface(h1, 0);
	TAP_CHECK(libusb_submit_transfer(t) == 0, "released: the second handle's read is in flight");
	libusb_close(hx);
	run_events(ctx, &g);
	TAP_CHECK(g.done == 1 && g.status == LIBUSB_TRANSFER_CANCELLED, "close: the callback says CANCELLED");
	libusb_free_transfer(t);

	/* Freeing a transfer in flight cancels it first. */
	t = read_xfer(h1, buf, &g, 0);
	TAP_CHECK(libusb_submit_transfer(t) == 0, "another read in flight");
	host_console_len = 0;
	host_console[0] = 0;
	libusb_free_transfer(t);
	TAP_CHECK(strstr(host_console, "libusb_free_transfer: transfer to endpoint 0x81 still in flight; cancelled") != NULL,
		  "freeing it in flight: cancelled, one line");
	TAP_CHECK(libusb_interrupt_transfer(h1, 0x01, (unsigned char *)"ok", 2, NULL, 100) == 0 &&
		  libusb_interrupt_transfer(h1, 0x81, buf, 64, NULL, 100) == 0 && !memcmp(buf, "ok", 2),
		  "the endpoint works afterwards");

	/* The event lock and waiters. */
	TAP_CHECK(libusb_try_lock_events(ctx) == 0 && libusb_try_lock_events(ctx) == 1,
		  "try_lock_events: 0, then 1 while held");
	TAP_CHECK(libusb_event_handler_active(ctx) == 1 && libusb_event_handling_ok(ctx) == 1,
		  "event_handler_active, event_handling_ok while held");
	libusb_unlock_events(ctx);
	TAP_CHECK(libusb_event_handler_active(ctx) == 0, "released");
	libusb_interrupt_event_handler(ctx);
	tv.tv_sec = 1;
	tv.tv_usec = 0;
	TAP_CHECK(libusb_handle_events_timeout(ctx, &tv) == LIBUSB_ERROR_INTERRUPTED,
		  "interrupt_event_handler: handle_events returns LIBUSB_ERROR_INTERRUPTED");
	tv.tv_usec = -1;
	TAP_CHECK(libusb_handle_events_timeout(ctx, &tv) == LIBUSB_ERROR_INVALID_PARAM,
		  "rejected: a negative timeval");
	tv.tv_sec = 0;
	tv.tv_usec = 50000;
	TAP_CHECK(libusb_wait_for_event(ctx, &tv) == 1, "wait_for_event with nothing happening: 1 (timeout)");

	/* Exit with a transfer pending: cancelled; the device object outlives
	 * the context's last reference until unreferenced. */
	memset(&g, 0, sizeof(g));
	t = read_xfer(h1, buf, &g, 0);
	libusb_submit_transfer(t);
	libusb_close(h1);
	libusb_exit(ctx);
	usb_poll_all(0);
	TAP_CHECK(libusb_get_device_descriptor(d1, &dd) == 0 && dd.idProduct == 0xe0c0,
		  "after libusb_exit a referenced device is still readable");
	libusb_unref_device(d1);
	libusb_free_transfer(t);
	TAP_CHECK(g.done == 0, "no callback ran after exit");

	/* Hot-plug. */
	{
		static int marker;
		libusb_hotplug_callback_handle hh;
		struct usb_model *m3 = usb_echo_create(NULL), *m4 = usb_echo_create(NULL);
		int port;

		libusb_init(&ctx);
		TAP_CHECK(libusb_hotplug_register_callback(ctx, 0, 0, -1, -1, -1, hpcb, NULL, &hh) ==
			  LIBUSB_ERROR_INVALID_PARAM, "rejected: hot-plug with no events");
		TAP_CHECK(libusb_hotplug_register_callback(ctx, 1, 0, 0x10000, -1, -1, hpcb, NULL, &hh) ==
			  LIBUSB_ERROR_INVALID_PARAM, "rejected: vendor id 0x10000");
		TAP_CHECK(libusb_hotplug_register_callback(ctx, 1, 4, -1, -1, -1, hpcb, NULL, &hh) ==
			  LIBUSB_ERROR_INVALID_PARAM, "rejected: unknown flags");
		TAP_CHECK(libusb_hotplug_register_callback(ctx, 3, LIBUSB_HOTPLUG_ENUMERATE, 0xf055, -1, -1,
							   hpcb, &marker, &hh) == 0 && hp_arrived == 1,
			  "ENUMERATE: the device present arrives at registration (%d)", hp_arrived);
		TAP_CHECK(libusb_hotplug_get_user_data(ctx, hh) == &marker, "get_user_data");
		port = usb_virt_plug(hc2, m3);
		tv.tv_sec = 0;
		tv.tv_usec = 0;
		libusb_handle_events_timeout(ctx, &tv);
		TAP_CHECK(hp_arrived == 2 && hp_left == 0, "a plugged device arrives in handle_events");
		usb_virt_unplug(hc2, port);
		libusb_handle_events_timeout(ctx, &tv);
		TAP_CHECK(hp_left == 1, "an unplugged one leaves");
		hp_ret = 1;
		port = usb_virt_plug(hc2, m4);
		libusb_handle_events_timeout(ctx, &tv);
		TAP_CHECK(hp_arrived == 3 && libusb_hotplug_get_user_data(ctx, hh) == NULL,
			  "a callback returning 1 is deregistered");
		usb_virt_unplug(hc2, port);
		libusb_handle_events_timeout(ctx, &tv);
		TAP_CHECK(hp_left == 1, "...and hears nothing more");
		libusb_exit(ctx);
		usb_echo_destroy(m3);
		usb_echo_destroy(m4);
	}

	TAP_CHECK(libusb_init(NULL) == 0 && libusb_init(NULL) == 0, "libusb_init(NULL) twice");
	libusb_exit(NULL);
	n = libusb_get_device_list(NULL, &list);
	TAP_CHECK(n == 1, "the default context lives until the second exit");
	libusb_free_device_list(list, 1);
	libusb_exit(NULL);
	usb_echo_destroy(m1);
	usb_echo_destroy(m2);
	return tap_done();
}
