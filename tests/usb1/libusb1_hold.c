/* A libusb-1.0 blob that holds interface 0 of the echo device across
 * calls (lu1_hold / lu1_release), so a libusb-0.1 blob loaded beside it
 * (tests/threads/usbthread.c) meets the claim: one USB core, one set of
 * claims.  lu1_hotplug counts hot-plug events through
 * libusb_handle_events while the shell attaches and detaches devices. */
#include <libusb.h>
#include <stdio.h>

static libusb_context *ctx;
static libusb_device_handle *h;

int lu1_hold(void);
int
lu1_hold(void)
{
	int r;

	libusb_init(&ctx);
	h = libusb_open_device_with_vid_pid(ctx, 0xf055, 0xe0c0);
	if (!h) {
		printf("hold: no echo device\n");
		return 1;
	}
	r = libusb_claim_interface(h, 0);
	printf("hold: claim 0 %s\n", r ? libusb_error_name(r) : "OK");
	return r;
}

int lu1_release(void);
int
lu1_release(void)
{
	int r = libusb_release_interface(h, 0);

	printf("release: %s\n", r ? libusb_error_name(r) : "OK");
	libusb_close(h);
	libusb_exit(ctx);
	return r;
}

static int arrived, left;

static int LIBUSB_CALL
hp(libusb_context *c, libusb_device *dev, libusb_hotplug_event ev, void *user)
{
	struct libusb_device_descriptor dd;

	(void)c;
	(void)user;
	libusb_get_device_descriptor(dev, &dd);
	printf("hotplug: %s %04x:%04x\n", ev == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? "arrived" : "left",
	       dd.idVendor, dd.idProduct);
	if (ev == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
		arrived++;
	else
		left++;
	return 0;
}

static libusb_context *hctx;
static libusb_hotplug_callback_handle hh;

int lu1_hotplug_start(int enumerate);
int
lu1_hotplug_start(int enumerate)
{
	int r;

	libusb_init(&hctx);
	r = libusb_hotplug_register_callback(hctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
					     LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
					     enumerate ? LIBUSB_HOTPLUG_ENUMERATE : 0, 0xf055,
					     LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, hp, NULL, &hh);
	printf("hotplug register %d, capability %d\n", r, libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG));
	return r;
}

int lu1_hotplug_poll(void);
int
lu1_hotplug_poll(void)
{
	struct timeval tv = { 0, 200000 };

	libusb_handle_events_timeout_completed(hctx, &tv, NULL);
	printf("hotplug so far: arrived %d left %d\n", arrived, left);
	return 0;
}

int lu1_hotplug_stop(void);
int
lu1_hotplug_stop(void)
{
	libusb_hotplug_deregister_callback(hctx, hh);
	libusb_exit(hctx);
	return 0;
}

/* A synchronous read and an event wait of s seconds each, longer than the
 * watchdog (usb1_blob.sh sets 1 s), with no other thread: both are blocked
 * waits, not spinning. */
int lu1_long_waits(int s);
int
lu1_long_waits(int s)
{
	libusb_context *c;
	libusb_device_handle *dh;
	struct timeval tv = { s, 0 };
	unsigned char b[64];
	int n = -1, r;

	libusb_init(&c);
	dh = libusb_open_device_with_vid_pid(c, 0xf055, 0xe0c0);
	r = libusb_interrupt_transfer(dh, 0x81, b, sizeof(b), &n, s * 1000);
	printf("long read: %s %d\n", libusb_error_name(r), n);
	r = libusb_handle_events_timeout(c, &tv);
	printf("long event wait: %d\n", r);
	libusb_close(dh);
	libusb_exit(c);
	return 0;
}
