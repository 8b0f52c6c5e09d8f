/* A libusb-1.0 program compiled like a vendor blob against Debian's
 * /usr/include/libusb-1.0/libusb.h, run against the echo device
 * (usb/echo.c: f055:e0c0; interrupt IN 0x81 / OUT 0x01 and bulk IN 0x82 /
 * OUT 0x02 echo what was written; an OUT packet starting with 0xff halts
 * the IN endpoint; vendor request 0x01 IN answers "echo", 0x02 stalls).
 * Every line it prints is a fact a test compares (tests/e2e/usb1_blob.sh);
 * bus and address numbers are on lines starting "where". */
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
E(int r)
{
	return r >= 0 ? "OK" : libusb_error_name(r);
}

struct result {
	int done, status, actual;
	unsigned char data[64];
};

static void LIBUSB_CALL
record(struct libusb_transfer *t)
{
	struct result *r = t->user_data;

	r->status = t->status;
	r->actual = t->actual_length;
	if (t->actual_length > 0 && t->buffer)
		memcpy(r->data, t->type == LIBUSB_TRANSFER_TYPE_CONTROL ?
		       libusb_control_transfer_get_data(t) : t->buffer,
		       t->actual_length > 64 ? 64 : t->actual_length);
	r->done = 1;
}

static int freed_cb;

static void LIBUSB_CALL
count_free(struct libusb_transfer *t)
{
	freed_cb = t->status == LIBUSB_TRANSFER_COMPLETED ? 1 : -1;
}

/* Run events until the callback said done (or 3 s). */
static void
wait_done(libusb_context *ctx, struct result *r)
{
	struct timeval tv = { 3, 0 };

	while (!r->done)
		if (libusb_handle_events_timeout_completed(ctx, &tv, &r->done) < 0)
			break;
}

static const char *
status_name(int s)
{
	static const char *const n[] = { "COMPLETED", "ERROR", "TIMED_OUT", "CANCELLED", "STALL",
					 "NO_DEVICE", "OVERFLOW" };

	return s >= 0 && s <= 6 ? n[s] : "?";
}

static void
async_read(libusb_context *ctx, libusb_device_handle *h, const char *label, unsigned char ep,
	   int len, unsigned int timeout, int flags, const char *write_first)
{
	struct libusb_transfer *t = libusb_alloc_transfer(0);
	unsigned char buf[64];
	struct result r = { 0 };
	int n, rc;

	libusb_fill_interrupt_transfer(t, h, ep, buf, len, record, &r, timeout);
	if (ep == 0x82)
		t->type = LIBUSB_TRANSFER_TYPE_BULK;
	t->flags = flags;
	rc = libusb_submit_transfer(t);
	if (write_first)
		libusb_interrupt_transfer(h, ep & 0x0f, (unsigned char *)write_first,
					  (int)strlen(write_first), &n, 1000);
	wait_done(ctx, &r);
	printf("async %s: submit %s status %s actual %d \"%.*s\"\n", label, E(rc),
	       status_name(r.status), r.actual, r.actual > 0 ? r.actual : 0, r.data);
	libusb_free_transfer(t);
}

static void
descriptors(libusb_context *ctx, libusb_device *dev)
{
	struct libusb_device_descriptor dd;
	struct libusb_config_descriptor *c = NULL, *c2 = NULL;
	struct libusb_ss_endpoint_companion_descriptor *comp = NULL;
	int r;

	libusb_get_device_descriptor(dev, &dd);
	printf("device %04x:%04x bcdUSB %04x class %d mps0 %d configs %d speed %d\n", dd.idVendor,
	       dd.idProduct, dd.bcdUSB, dd.bDeviceClass, dd.bMaxPacketSize0, dd.bNumConfigurations,
	       libusb_get_device_speed(dev));
	r = libusb_get_active_config_descriptor(dev, &c);
	printf("active config: %s", E(r));
	if (r == 0) {
		const struct libusb_interface_descriptor *a0 = &c->interface[0].altsetting[0];
		const struct libusb_interface_descriptor *a1 = &c->interface[1].altsetting[0];

		printf(" value %d interfaces %d total %d extra %d; if0 class %d alts %d eps %d extra %d "
		       "[%02x %02x]; ep 0x%02x attr %d mps %d interval %d extra %d; if1 ep 0x%02x 0x%02x\n",
		       c->bConfigurationValue, c->bNumInterfaces, c->wTotalLength, c->extra_length,
		       a0->bInterfaceClass, c->interface[0].num_altsetting, a0->bNumEndpoints,
		       a0->extra_length, a0->extra[0], a0->extra[1], a0->endpoint[0].bEndpointAddress,
		       a0->endpoint[0].bmAttributes, a0->endpoint[0].wMaxPacketSize,
		       a0->endpoint[0].bInterval, a0->endpoint[0].extra_length,
		       a1->endpoint[0].bEndpointAddress, a1->endpoint[1].bEndpointAddress);
		r = libusb_get_ss_endpoint_companion_descriptor(ctx, &a0->endpoint[0], &comp);
		printf("ss companion of 0x81: %s\n", E(r));
	} else {
		printf("\n");
	}
	r = libusb_get_config_descriptor(dev, 0, &c2);
	printf("config 0: %s same %s\n", E(r),
	       r == 0 && c && c2 != c && c2->wTotalLength == c->wTotalLength ? "yes" : "no");
	libusb_free_config_descriptor(c2);
	c2 = NULL;
	printf("config 1: %s\n", E(libusb_get_config_descriptor(dev, 1, &c2)));
	r = libusb_get_config_descriptor_by_value(dev, 1, &c2);
	printf("config value 1: %s; value 7: %s\n", E(r),
	       E(libusb_get_config_descriptor_by_value(dev, 7, &c)));
	libusb_free_config_descriptor(c2);
	printf("max packet 0x81: %d, 0x02: %d, 0x85: %s; iso 0x81: %d\n",
	       libusb_get_max_packet_size(dev, 0x81), libusb_get_max_packet_size(dev, 0x02),
	       E(libusb_get_max_packet_size(dev, 0x85)), libusb_get_max_iso_packet_size(dev, 0x81));
}

static void
handles(libusb_context *ctx, libusb_device *dev, libusb_device_handle *h)
{
	libusb_device_handle *h2 = NULL;
	unsigned char s[64];
	int r, cfg = -1;
	struct libusb_bos_descriptor *bos = NULL;

	r = libusb_get_string_descriptor_ascii(h, 2, s, sizeof(s));
	printf("product %d \"%s\"\n", r, r > 0 ? (char *)s : "");
	r = libusb_get_string_descriptor_ascii(h, 1, s, 4);
	printf("manufacturer in 4 bytes %d \"%s\"\n", r, r > 0 ? (char *)s : "");
	printf("string 0: %s; string 9: %s\n", E(libusb_get_string_descriptor_ascii(h, 0, s, 64)),
	       E(libusb_get_string_descriptor_ascii(h, 9, s, 64)));
	printf("bos: %s\n", E(libusb_get_bos_descriptor(h, &bos)));
	r = libusb_get_configuration(h, &cfg);
	printf("get configuration %s %d; set 1 %s; set 5 %s\n", E(r), cfg,
	       E(libusb_set_configuration(h, 1)), E(libusb_set_configuration(h, 5)));
	printf("claim 0 %s again %s; claim 5 %s; claim 40 %s\n", E(libusb_claim_interface(h, 0)),
	       E(libusb_claim_interface(h, 0)), E(libusb_claim_interface(h, 5)),
	       E(libusb_claim_interface(h, 40)));
	printf("set configuration while claimed: %s\n", E(libusb_set_configuration(h, 1)));
	libusb_open(dev, &h2);
	printf("second handle: claim 0 %s, release 0 %s, alt 0/0 %s\n",
	       E(libusb_claim_interface(h2, 0)), E(libusb_release_interface(h2, 0)),
	       E(libusb_set_interface_alt_setting(h2, 0, 0)));
	libusb_close(h2);
	printf("alt 0/0 %s; alt 0/3 %s; alt 1/0 unclaimed %s\n",
	       E(libusb_set_interface_alt_setting(h, 0, 0)),
	       E(libusb_set_interface_alt_setting(h, 0, 3)),
	       E(libusb_set_interface_alt_setting(h, 1, 0)));
	printf("kernel driver active %d; detach %s; attach %s; auto detach %s\n",
	       libusb_kernel_driver_active(h, 0), E(libusb_detach_kernel_driver(h, 0)),
	       E(libusb_attach_kernel_driver(h, 0)), E(libusb_set_auto_detach_kernel_driver(h, 1)));
	(void)ctx;
}

static void
sync_io(libusb_device_handle *h)
{
	unsigned char buf[64];
	int n = -1, r;

	r = libusb_interrupt_transfer(h, 0x01, (unsigned char *)"hello", 5, &n, 1000);
	printf("interrupt out %s %d\n", E(r), n);
	r = libusb_interrupt_transfer(h, 0x81, buf, sizeof(buf), &n, 1000);
	printf("interrupt in %s %d \"%.*s\"\n", E(r), n, n > 0 ? n : 0, buf);
	n = -1;
	r = libusb_interrupt_transfer(h, 0x81, buf, sizeof(buf), &n, 100);
	printf("interrupt in, nothing there: %s %d\n", E(r), n);
	r = libusb_bulk_transfer(h, 0x02, (unsigned char *)"bulk!", 5, &n, 1000);
	printf("bulk out %s %d\n", E(r), n);
	r = libusb_bulk_transfer(h, 0x82, buf, sizeof(buf), &n, 1000);
	printf("bulk in %s %d \"%.*s\"\n", E(r), n, n > 0 ? n : 0, buf);
	r = libusb_bulk_transfer(h, 0x01, (unsigned char *)"ib", 2, &n, 1000);
	printf("bulk call on the interrupt endpoint %s %d\n", E(r), n);
	libusb_interrupt_transfer(h, 0x81, buf, sizeof(buf), &n, 1000);
	r = libusb_bulk_transfer(h, 0x85, buf, sizeof(buf), &n, 100);
	printf("bulk in 0x85 (no such endpoint) %s\n", E(r));
	r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_VENDOR, 1, 0, 0,
				    buf, 8, 1000);
	printf("control vendor in %s %d \"%.*s\"\n", E(r), r, r > 0 ? r : 0, buf);
	r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_VENDOR, 2, 0, 0,
				    buf, 8, 1000);
	printf("control stall %s\n", E(r));
	r = libusb_get_descriptor(h, LIBUSB_DT_DEVICE, 0, buf, 18);
	printf("get_descriptor(device) %d bLength %d type %d\n", r, buf[0], buf[1]);
	/* Halts on the bulk pair: over usbredir an interrupt IN endpoint is a
	 * stream the server stops on a stall. */
	libusb_bulk_transfer(h, 0x02, (unsigned char *)"\xff", 1, &n, 1000);
	r = libusb_bulk_transfer(h, 0x82, buf, sizeof(buf), &n, 1000);
	printf("halted in %s; clear halt %s; 0x85 %s\n", E(r), E(libusb_clear_halt(h, 0x82)),
	       E(libusb_clear_halt(h, 0x85)));
	libusb_bulk_transfer(h, 0x02, (unsigned char *)"x", 1, &n, 1000);
	r = libusb_bulk_transfer(h, 0x82, buf, sizeof(buf), &n, 1000);
	printf("after clear halt %s %d\n", E(r), n);
}

static void
async_io(libusb_context *ctx, libusb_device_handle *h)
{
	struct libusb_transfer *t;
	struct result r = { 0 };
	unsigned char ctl[8 + 8], *big;
	struct timeval tv;
	const struct libusb_pollfd **fds;
	int rc, rc2, n;

	async_read(ctx, h, "read", 0x81, 64, 1000, 0, "async");
	async_read(ctx, h, "timeout", 0x81, 64, 150, 0, NULL);
	async_read(ctx, h, "short not ok", 0x81, 64, 1000, LIBUSB_TRANSFER_SHORT_NOT_OK, "abc");
	/* Halted before the read is submitted: a read already waiting when the
	 * halt happens is not failed by every host (QEMU's UHCI lets it time
	 * out). */
	libusb_bulk_transfer(h, 0x02, (unsigned char *)"\xff", 1, &n, 1000);
	async_read(ctx, h, "stall", 0x82, 64, 1000, 0, NULL);
	libusb_clear_halt(h, 0x82);

	t = libusb_alloc_transfer(0);
	libusb_fill_interrupt_transfer(t, h, 0x81, ctl, 8, record, &r, 0);
	rc = libusb_submit_transfer(t);
	rc2 = libusb_submit_transfer(t);
	printf("next timeout with none pending: %d\n", libusb_get_next_timeout(ctx, &tv));
	printf("cancel %s", E(rc));
	printf(" resubmit %s", E(rc2));
	printf(" cancel %s", E(libusb_cancel_transfer(t)));
	printf(" again %s", E(libusb_cancel_transfer(t)));
	wait_done(ctx, &r);
	printf(" status %s; cancel after %s\n", status_name(r.status), E(libusb_cancel_transfer(t)));

	memset(&r, 0, sizeof(r));
	libusb_fill_control_setup(ctl, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_VENDOR, 1, 0, 0, 8);
	libusb_fill_control_transfer(t, h, ctl, record, &r, 1000);
	rc = libusb_submit_transfer(t);
	wait_done(ctx, &r);
	printf("async control: %s status %s actual %d \"%.*s\"\n", E(rc), status_name(r.status),
	       r.actual, r.actual, r.data);
	memset(&r, 0, sizeof(r));
	libusb_fill_control_setup(ctl, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_VENDOR, 2, 0, 0, 8);
	libusb_fill_control_transfer(t, h, ctl, record, &r, 1000);
	rc = libusb_submit_transfer(t);
	wait_done(ctx, &r);
	printf("async control stall: %s status %s\n", E(rc), status_name(r.status));
	libusb_fill_control_transfer(t, h, ctl, record, &r, 1000);
	t->length = 4;
	printf("control shorter than its setup: %s\n", E(libusb_submit_transfer(t)));

	memset(&r, 0, sizeof(r));
	libusb_fill_interrupt_transfer(t, h, 0x81, ctl, 8, record, &r, 700);
	libusb_submit_transfer(t);
	rc = libusb_get_next_timeout(ctx, &tv);
	printf("next timeout: %d within 700 ms: %s\n", rc,
	       rc == 1 && tv.tv_sec == 0 && tv.tv_usec > 500000 && tv.tv_usec <= 700000 ? "yes" : "no");
	libusb_cancel_transfer(t);
	wait_done(ctx, &r);
	libusb_free_transfer(t);

	t = libusb_alloc_transfer(4);
	libusb_fill_iso_transfer(t, h, 0x81, ctl, 8, 4, record, &r, 100);
	printf("isochronous: %s\n", E(libusb_submit_transfer(t)));
	libusb_free_transfer(t);

	/* FREE_BUFFER | FREE_TRANSFER: both go after the callback. */
	t = libusb_alloc_transfer(0);
	big = malloc(64);
	memcpy(big, "freed", 5);
	libusb_fill_bulk_transfer(t, h, 0x02, big, 5, count_free, NULL, 1000);
	t->flags = LIBUSB_TRANSFER_FREE_BUFFER | LIBUSB_TRANSFER_FREE_TRANSFER;
	rc = libusb_submit_transfer(t);
	while (!freed_cb)
		libusb_handle_events(ctx);
	printf("free flags: %s callback %d\n", E(rc), freed_cb);
	libusb_bulk_transfer(h, 0x82, ctl, 8, &n, 1000);
	printf("bulk in after it \"%.*s\"\n", n, ctl);

	/* ADD_ZERO_PACKET: 64 bytes (one full packet) to bulk OUT 0x02. */
	t = libusb_alloc_transfer(0);
	big = calloc(1, 64);
	memset(&r, 0, sizeof(r));
	libusb_fill_bulk_transfer(t, h, 0x02, big, 64, record, &r, 1000);
	t->flags = LIBUSB_TRANSFER_ADD_ZERO_PACKET;
	rc = libusb_submit_transfer(t);
	wait_done(ctx, &r);
	printf("zero packet: %s status %s actual %d\n", E(rc), status_name(r.status), r.actual);
	libusb_bulk_transfer(h, 0x82, big, 64, &n, 1000);
	libusb_free_transfer(t);
	free(big);

	fds = libusb_get_pollfds(ctx);
	printf("pollfds: %s empty %s; handle timeouts %d\n", fds ? "list" : "NULL",
	       fds && !fds[0] ? "yes" : "no", libusb_pollfds_handle_timeouts(ctx));
	libusb_free_pollfds(fds);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	printf("handle events with nothing to do: %s\n", E(libusb_handle_events_timeout(ctx, &tv)));
}

int probe1(void);
int
probe1(void)
{
	libusb_context *ctx = NULL, *ctx2 = NULL;
	libusb_device **list, **list2, *dev = NULL;
	libusb_device_handle *h = NULL, *hv;
	ssize_t n, n2;
	int r;
	uint8_t ports[8];

	printf("init default %s, explicit %s\n", E(libusb_init(NULL)), E(libusb_init(&ctx)));
	libusb_init(&ctx2);
	n = libusb_get_device_list(ctx, &list);
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor dd;

		libusb_get_device_descriptor(list[i], &dd);
		if (dd.idVendor == 0xf055 && dd.idProduct == 0xe0c0)
			dev = list[i];
	}
	printf("device list: %s\n", dev ? "has the echo device" : "no echo device");
	if (!dev) {
		libusb_free_device_list(list, 1);
		libusb_exit(ctx);
		libusb_exit(ctx2);
		libusb_exit(NULL);
		return 1;
	}
	n2 = libusb_get_device_list(ctx, &list2);
	r = 0;
	for (ssize_t i = 0; i < n2; i++)
		r |= list2[i] == dev;
	printf("second list: the same object %s\n", r ? "yes" : "no");
	libusb_free_device_list(list2, 1);
	n2 = libusb_get_device_list(ctx2, &list2);
	r = 0;
	for (ssize_t i = 0; i < n2; i++)
		r |= list2[i] == dev;
	printf("another context: the same object %s\n", r ? "yes" : "no");
	libusb_free_device_list(list2, 1);
	libusb_ref_device(dev);
	libusb_free_device_list(list, 1);
	printf("where bus %d address %d port %d ports %d parent %s\n", libusb_get_bus_number(dev),
	       libusb_get_device_address(dev), libusb_get_port_number(dev),
	       libusb_get_port_numbers(dev, ports, sizeof(ports)),
	       libusb_get_parent(dev) ? "set" : "none");
	descriptors(ctx, dev);
	r = libusb_open(dev, &h);
	printf("open %s; get_device gives it back %s\n", E(r),
	       h && libusb_get_device(h) == dev ? "yes" : "no");
	if (r == 0) {
		handles(ctx, dev, h);
		sync_io(h);
		async_io(ctx, h);
		libusb_release_interface(h, 0);
		printf("release 0 %s, again %s\n", E(libusb_release_interface(h, 1)),
		       E(libusb_release_interface(h, 1)));
		libusb_close(h);
	}
	hv = libusb_open_device_with_vid_pid(ctx, 0xf055, 0xe0c0);
	printf("open with vid/pid: %s; 1234:5678: %s\n", hv ? "yes" : "no",
	       libusb_open_device_with_vid_pid(ctx, 0x1234, 0x5678) ? "yes" : "no");
	libusb_close(hv);
	printf("wrap_sys_device: %s\n", E(libusb_wrap_sys_device(ctx, 3, &hv)));
	printf("error names: %s %s %s \"%s\"\n", libusb_error_name(LIBUSB_ERROR_PIPE),
	       libusb_error_name(LIBUSB_TRANSFER_STALL), libusb_error_name(12345),
	       libusb_strerror(LIBUSB_ERROR_NO_DEVICE));
	libusb_unref_device(dev);
	libusb_exit(ctx2);
	libusb_exit(ctx);
	libusb_exit(NULL);
	return 0;
}
