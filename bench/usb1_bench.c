/* The figure behind docs/architecture.md's choice of design (a) for
 * libusb-1.0: a synchronous control round trip (vendor request 0x01 IN to
 * the echo device, 4 bytes back) through the VMM's libusb-1.0, through its
 * libusb-0.1, and an asynchronous libusb-1.0 control transfer completed by
 * libusb_handle_events_completed.  Built like a vendor object, run as a
 * blob by bench/usb1_rtt.sh; prints nanoseconds per round trip. */
#include <libusb.h>
#include <stdio.h>
#include <time.h>
#include <usb.h>

static long long
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void LIBUSB_CALL
done_cb(struct libusb_transfer *t)
{
	*(int *)t->user_data = 1;
}

int usb1_bench(int n);
int
usb1_bench(int n)
{
	libusb_context *ctx;
	libusb_device_handle *h;
	struct usb_device *d01 = NULL;
	usb_dev_handle *h01;
	unsigned char buf[8 + 8];
	struct libusb_transfer *t;
	long long t0, t1, t2, t3;
	int bad = 0;

	if (libusb_init(&ctx) || !(h = libusb_open_device_with_vid_pid(ctx, 0xf055, 0xe0c0))) {
		printf("no echo device\n");
		return 1;
	}
	usb_init();
	usb_find_busses();
	usb_find_devices();
	for (struct usb_bus *b = usb_busses; b; b = b->next)
		for (struct usb_device *d = b->devices; d; d = d->next)
			if (d->descriptor.idVendor == 0xf055)
				d01 = d;
	h01 = d01 ? usb_open(d01) : NULL;
	if (!h01) {
		printf("no echo device for libusb-0.1\n");
		return 1;
	}
	t0 = now_ns();
	for (int i = 0; i < n; i++)
		bad += libusb_control_transfer(h, 0xc0, 1, 0, 0, buf, 8, 1000) != 4;
	t1 = now_ns();
	for (int i = 0; i < n; i++)
		bad += usb_control_msg(h01, 0xc0, 1, 0, 0, (char *)buf, 8, 1000) != 4;
	t2 = now_ns();
	t = libusb_alloc_transfer(0);
	for (int i = 0; i < n; i++) {
		int done = 0;

		libusb_fill_control_setup(buf, 0xc0, 1, 0, 0, 8);
		libusb_fill_control_transfer(t, h, buf, done_cb, &done, 1000);
		libusb_submit_transfer(t);
		while (!done)
			libusb_handle_events_completed(ctx, &done);
		bad += t->actual_length != 4;
	}
	t3 = now_ns();
	libusb_free_transfer(t);
	printf("control round trip: libusb-1.0 sync %lld ns, libusb-0.1 %lld ns, libusb-1.0 async+events %lld ns (%d each, %d wrong)\n",
	       (t1 - t0) / n, (t2 - t1) / n, (t3 - t2) / n, n, bad);
	usb_close(h01);
	libusb_close(h);
	libusb_exit(ctx);
	return bad != 0;
}
