/* The USB core with in-process device models: enumeration, the descriptor
 * tree, URBs (timeouts, cancellation, stall, unplug) and hostile
 * descriptors, each of which must disable the device with one line. */
#include <time.h>
#include "tap.h"
#include "unit/host_plat.h"
#include <core/errno.h>
#include <core/init.h>
#include <core/pages.h>
#include <usb/core.h>

static u64
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static struct usb_dev *
dev_on(struct usb_hc *hc, int port)
{
	for (struct usb_dev *d = usb_dev_first(); d; d = usb_dev_next(d))
		if (d->hc == hc && d->port == port)
			return d;
	return NULL;
}

static int
lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void
test_enumeration(void)
{
	struct usb_hc *hc = usb_virt_create("test");
	struct usb_model *m = usb_echo_create(NULL), *m2 = usb_echo_create("ok");
	struct usb_dev *d, *d2;
	struct usb_config_descriptor *c;
	u8 buf[8];
	int port;

	host_console_clear();
	port = usb_virt_plug(hc, m);
	d = dev_on(hc, port);
	TAP_CHECK(port == 1 && d, "the echo device is enumerated on port 1");
	TAP_CHECK(d->state == USB_DEV_CONFIGURED, "it ends configured");
	TAP_CHECK(host_console_len == 0, "a good device logs nothing");
	TAP_CHECK(d->addr == 2 && usb_dev_find(hc->busnum, 2) == d, "it got address 2 (1 is the root hub's)");
	TAP_CHECK(d->desc.idVendor == 0xf055 && d->desc.idProduct == 0xe0c0, "VID:PID f055:e0c0");
	TAP_CHECK(!strcmp(d->manufacturer, "blobvisor") && !strcmp(d->product, "Echo HID") &&
		  !strcmp(d->serialstr, "0001"), "strings read with the device's language");
	TAP_CHECK(d->cur_config == 1, "SET_CONFIGURATION 1 was sent");
	TAP_CHECK(usb_dev_control(d, 0x80, USB_REQ_GET_CONFIGURATION, 0, 0, buf, 1, 100) == 1 &&
		  buf[0] == 1, "the device itself reports configuration 1");
	c = &d->config[0];
	TAP_CHECK(c->bNumInterfaces == 2 && c->wTotalLength == 64, "config: 2 interfaces, 64 bytes");
	TAP_CHECK(c->interface[0].num_altsetting == 1 &&
		  c->interface[0].altsetting[0].bInterfaceClass == USB_CLASS_HID, "interface 0 is HID");
	TAP_CHECK(c->interface[0].altsetting[0].extralen == 9 &&
		  c->interface[0].altsetting[0].extra[1] == USB_DT_HID,
		  "the HID descriptor is the interface's extra");
	TAP_CHECK(c->interface[0].altsetting[0].endpoint[0].bEndpointAddress == 0x81 &&
		  c->interface[0].altsetting[0].endpoint[1].bEndpointAddress == 0x01 &&
		  c->interface[0].altsetting[0].endpoint[0].wMaxPacketSize == 64,
		  "endpoints 0x81 and 0x01, 64 bytes");
	TAP_CHECK(c->interface[1].altsetting[0].endpoint[0].bmAttributes == USB_ENDPOINT_TYPE_BULK,
		  "interface 1 has bulk endpoints");
	port = usb_virt_plug(hc, m2);
	d2 = dev_on(hc, port);
	TAP_CHECK(d2 && d2->addr == 3, "a second device gets address 3");
	usb_virt_unplug(hc, 2);
	TAP_CHECK(!dev_on(hc, 2) && usb_dev_first() == d, "unplugged: gone from the list");
	port = usb_virt_plug(hc, m2);
	TAP_CHECK(dev_on(hc, port) && dev_on(hc, port)->addr == 4, "replugged: a new address");
	TAP_CHECK(usb_dev_parse_id("1:4") == dev_on(hc, port) && usb_dev_parse_id("1-2") == dev_on(hc, port),
		  "ids B:A and B-P find the device");
	TAP_CHECK(!usb_dev_parse_id("1:") && !usb_dev_parse_id("x") && !usb_dev_parse_id("1:2:3") &&
		  !usb_dev_parse_id("1:99"), "bad ids are rejected");
	usb_hc_unregister(hc);
	TAP_CHECK(!usb_dev_first() && !usb_hc_first(), "unregistering the controller removes everything");
	usb_echo_destroy(m);
	usb_echo_destroy(m2);
}

static void
test_urbs(void)
{
	struct usb_hc *hc = usb_virt_create("test");
	struct usb_model *m = usb_echo_create(NULL);
	struct usb_dev *d;
	char in[64];
	u64 t0;
	int n;

	usb_virt_plug(hc, m);
	d = dev_on(hc, 1);
	n = usb_dev_transfer(d, URB_INTERRUPT, 0x01, "hello", 5, 100);
	TAP_CHECK(n == 5, "interrupt OUT of 5 bytes");
	n = usb_dev_transfer(d, URB_INTERRUPT, 0x81, in, sizeof(in), 100);
	TAP_CHECK(n == 5 && !memcmp(in, "hello", 5), "interrupt IN echoes them");
	n = usb_dev_transfer(d, URB_BULK, 0x02, "bulk!", 5, 100);
	TAP_CHECK(n == 5 && usb_dev_transfer(d, URB_BULK, 0x82, in, sizeof(in), 100) == 5 &&
		  !memcmp(in, "bulk!", 5), "bulk OUT and IN echo");

	t0 = now_ms();
	n = usb_dev_transfer(d, URB_INTERRUPT, 0x81, in, sizeof(in), 150);
	t0 = now_ms() - t0;
	TAP_CHECK(n == -ETIMEDOUT, "IN with nothing to read times out (%d)", n);
	TAP_CHECK(t0 >= 150 && t0 < 400, "after the 150 ms asked (%llu ms)", (unsigned long long)t0);

	usb_echo_set_delay_ms(m, 50);
	usb_dev_transfer(d, URB_INTERRUPT, 0x01, "late", 4, 100);
	t0 = now_ms();
	n = usb_dev_transfer(d, URB_INTERRUPT, 0x81, in, sizeof(in), 500);
	t0 = now_ms() - t0;
	TAP_CHECK(n == 4 && t0 >= 45, "a NAKed IN completes when data comes (%llu ms)", (unsigned long long)t0);
	usb_echo_set_delay_ms(m, 0);

	{
		struct urb u = { .dev = d, .type = URB_INTERRUPT, .ep = 0x81, .buf = (u8 *)in, .len = 64 };

		TAP_CHECK(usb_urb_submit(&u) == 0 && !u.done, "an async IN stays pending");
		usb_urb_cancel(&u, -ECANCELED);
		TAP_CHECK(u.done && u.status == -ECANCELED && !d->pending, "cancel completes it with -ECANCELED");
		usb_dev_transfer(d, URB_INTERRUPT, 0x01, "after", 5, 100);
		TAP_CHECK(usb_dev_transfer(d, URB_INTERRUPT, 0x81, in, sizeof(in), 100) == 5,
			  "the cancelled URB does not steal the next reply");
	}

	n = usb_dev_control(d, 0xc0, 0x01, 0, 0, in, 4, 100);
	TAP_CHECK(n == 4 && !memcmp(in, "echo", 4), "vendor control IN");
	TAP_CHECK(usb_dev_control(d, 0xc0, 0x02, 0, 0, in, 4, 100) == -EPIPE, "a stalled control request is -EPIPE");
	usb_dev_transfer(d, URB_INTERRUPT, 0x01, "\xff", 1, 100);
	TAP_CHECK(usb_dev_transfer(d, URB_INTERRUPT, 0x81, in, sizeof(in), 100) == -EPIPE,
		  "a halted IN endpoint is -EPIPE");
	TAP_CHECK(usb_dev_control(d, USB_RECIP_ENDPOINT, USB_REQ_CLEAR_FEATURE, 0, 0x81, NULL, 0, 100) == 0,
		  "CLEAR_FEATURE(ENDPOINT_HALT)");
	usb_dev_transfer(d, URB_INTERRUPT, 0x01, "ok", 2, 100);
	TAP_CHECK(usb_dev_transfer(d, URB_INTERRUPT, 0x81, in, sizeof(in), 100) == 2, "and it works again");

	TAP_CHECK(usb_dev_transfer(d, URB_CONTROL, 0x81, in, 1, 100) == -EINVAL,
		  "rejected: a control transfer through the data path");
	{
		struct urb u = { .dev = d, .type = URB_CONTROL, .setup = { 0x80, 6, 0x100, 0, 18 },
				 .buf = (u8 *)in, .len = 8 };

		TAP_CHECK(usb_urb_submit(&u) == -EINVAL, "rejected: wLength larger than the buffer");
	}
	TAP_CHECK(usb_dev_set_config(d, 9) == -EINVAL, "rejected: an unknown configuration value");
	TAP_CHECK(usb_dev_reset(d) == 0 && d->cur_config == 1 && d->addr == 2,
		  "reset: same address, configured again");

	{
		struct urb u = { .dev = d, .type = URB_INTERRUPT, .ep = 0x81, .buf = (u8 *)in, .len = 64 };

		usb_dev_get(d);
		usb_urb_submit(&u);
		usb_virt_unplug(hc, 1);
		TAP_CHECK(u.done && u.status == -ENODEV, "unplug completes a pending URB with -ENODEV");
		TAP_CHECK(usb_dev_transfer(d, URB_INTERRUPT, 0x01, "x", 1, 100) == -ENODEV,
			  "a transfer to the unplugged device is -ENODEV");
		TAP_CHECK(d->state == USB_DEV_GONE && !usb_dev_first(), "it stays allocated, unlisted, while referenced");
		usb_dev_put(d);
	}
	usb_hc_unregister(hc);
	usb_echo_destroy(m);
}

static const struct {
	const char *variant, *line;
} bad[] = {
	{ "numif", "usb 1-1: config descriptor: bNumInterfaces 3 but 2 interface descriptors; device disabled\n" },
	{ "numep", "usb 1-1: interface 1 alt 0: bNumEndpoints 3 but 2 endpoint descriptors; device disabled\n" },
	{ "overrun", "usb 1-1: config descriptor: descriptor at offset 57 (bLength 20) overruns wTotalLength 64; device disabled\n" },
	{ "zerolen", "usb 1-1: config descriptor: descriptor at offset 18 has bLength 0; device disabled\n" },
	{ "short", "usb 1-1: config descriptor: wTotalLength 64 but 40 bytes read; device disabled\n" },
	{ "total", "usb 1-1: config descriptor: wTotalLength 5 shorter than bLength 9; device disabled\n" },
	{ "mps0", "usb 1-1: device descriptor: bMaxPacketSize0 7 not 8, 16, 32 or 64; device disabled\n" },
	{ "noconf", "usb 1-1: device descriptor: bNumConfigurations 0; device disabled\n" },
	{ "manyconf", "usb 1-1: device descriptor: bNumConfigurations 9 above 8; device disabled\n" },
	{ "manyep", "usb 1-1: interface 0 alt 0: bNumEndpoints 200 above 32; device disabled\n" },
	{ "strayep", "usb 1-1: config descriptor: bNumInterfaces 2 but 1 interface descriptors; device disabled\n" },
	{ "dupep", "usb 1-1: interface 0 alt 0: endpoint 0x81 described twice; device disabled\n" },
	{ "stall", "usb 1-1: device descriptor read/8: Broken pipe (-32); device disabled\n" },
};

static void
test_hostile_devices(void)
{
	struct heap_stats before, after;

	TAP_CHECK(usb_echo_create("nonsense") == NULL, "rejected: an unknown model variant");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct usb_hc *hc;
		struct usb_model *m = usb_echo_create(bad[i].variant);
		struct usb_dev *d;

		heap_stats(&before);
		hc = usb_virt_create("bad");
		host_console_clear();
		usb_virt_plug(hc, m);
		d = dev_on(hc, 1);
		TAP_CHECK(d && d->state == USB_DEV_DISABLED, "%s: device disabled", bad[i].variant);
		TAP_CHECK(lines(host_console) == 1 && !strcmp(host_console, bad[i].line),
			  "%s: one line: %.*s", bad[i].variant, (int)strcspn(host_console, "\n"), host_console);
		TAP_CHECK(usb_dev_transfer(d, URB_INTERRUPT, 0x01, "x", 1, 10) == -ENODEV,
			  "%s: a disabled device takes no transfers", bad[i].variant);
		usb_hc_unregister(hc);
		heap_stats(&after);
		TAP_CHECK(after.live_blocks == before.live_blocks, "%s: nothing left allocated",
			  bad[i].variant);
		usb_echo_destroy(m);
	}
}

/* The parser alone, on buffers made here. */
static void
test_parser(void)
{
	static const u8 alt_cfg[] = {
		9, 2, 52, 0, 1, 1, 0, 0x80, 50,
		5, 0x24, 1, 2, 3,				/* before any interface: config extra */
		9, 4, 0, 0, 1, 0xff, 0, 0, 0,
		7, 5, 0x81, 3, 8, 0, 10,
		4, 0x25, 9, 9,					/* after the endpoint: its extra */
		9, 4, 0, 1, 1, 0xff, 0, 0, 0,			/* alternate setting 1 */
		9, 5, 0x81, 1, 0, 2, 1, 7, 0x82,		/* audio-style endpoint */
	};
	struct usb_config_descriptor c;
	char why[128];
	int bad_all = 1;

	TAP_CHECK(usb_desc_parse_config(alt_cfg, sizeof(alt_cfg), &c, why, sizeof(why)) == 0,
		  "alternate settings parse (%s)", why);
	TAP_CHECK(c.extralen == 5 && c.extra[1] == 0x24, "a descriptor before the first interface is the config's extra");
	TAP_CHECK(c.interface[0].num_altsetting == 2, "alt 1 is grouped with interface 0");
	TAP_CHECK(c.interface[0].altsetting[0].endpoint[0].extralen == 4, "a descriptor after an endpoint is its extra");
	TAP_CHECK(c.interface[0].altsetting[1].endpoint[0].bRefresh == 7 &&
		  c.interface[0].altsetting[1].endpoint[0].bSynchAddress == 0x82, "9-byte endpoints keep bRefresh/bSynchAddress");
	usb_desc_free_config(&c);
	for (size_t len = 0; len < sizeof(alt_cfg); len++)
		bad_all &= usb_desc_parse_config(alt_cfg, len, &c, why, sizeof(why)) == -EINVAL;
	TAP_CHECK(bad_all, "every truncation of the buffer is rejected");
	{
		/* QEMU's usb-storage on xHCI: a USB 3.0 device, bMaxPacketSize0 9 (2^9 bytes) */
		u8 dev[18] = { 18, 1, 0x00, 0x03, 0, 0, 0, 9, 0x27, 0x06, 0x01, 0x00, 0, 1, 1, 2, 3, 1 };
		struct usb_device_descriptor dd;

		TAP_CHECK(usb_desc_parse_device(dev, sizeof(dev), &dd, why, sizeof(why)) == 0 &&
			  dd.bMaxPacketSize0 == 9, "USB 3: bMaxPacketSize0 9 is 512 bytes");
		dev[2] = 0x10;
		dev[3] = 0x02;
		TAP_CHECK(usb_desc_parse_device(dev, sizeof(dev), &dd, why, sizeof(why)) == -EINVAL &&
			  !strcmp(why, "device descriptor: bMaxPacketSize0 9 not 8, 16, 32 or 64"),
			  "rejected: bMaxPacketSize0 9 on a USB 2.1 device (%s)", why);
		dev[3] = 0x03;
		dev[7] = 10;
		TAP_CHECK(usb_desc_parse_device(dev, sizeof(dev), &dd, why, sizeof(why)) == -EINVAL &&
			  strstr(why, "bMaxPacketSize0 10 not 8, 16, 32 or 64 (nor 9 for USB 3)"),
			  "rejected: bMaxPacketSize0 10 on a USB 3 device (%s)", why);
	}
	{
		u8 b[sizeof(alt_cfg)];

		static const u8 ep6[] = { 9, 2, 24, 0, 1, 1, 0, 0x80, 50, 9, 4, 0, 0, 1, 0xff, 0, 0, 0,
					  6, 5, 0x81, 3, 8, 0 };

		TAP_CHECK(usb_desc_parse_config(ep6, sizeof(ep6), &c, why, sizeof(why)) == -EINVAL &&
			  strstr(why, "endpoint descriptor bLength 6"), "rejected: a 6-byte endpoint (%s)", why);
		memcpy(b, alt_cfg, sizeof(b));
		b[4] = 40;
		TAP_CHECK(usb_desc_parse_config(b, sizeof(b), &c, why, sizeof(why)) == -EINVAL &&
			  strstr(why, "bNumInterfaces 40 above 32"), "rejected: 40 interfaces (%s)", why);
		memcpy(b, alt_cfg, sizeof(b));
		b[9 + 5 + 9 + 2] = 0x80;
		TAP_CHECK(usb_desc_parse_config(b, sizeof(b), &c, why, sizeof(why)) == -EINVAL &&
			  strstr(why, "bad endpoint address 0x80"), "rejected: endpoint 0 in an interface (%s)", why);
	}
	{
		static const u8 s[] = { 8, 3, 'A', 0, 0xe9, 0, 'z', 0x30 };
		char out[16];

		TAP_CHECK(usb_desc_string_ascii(s, sizeof(s), out, sizeof(out)) == 3 && !strcmp(out, "A??"),
			  "string descriptor to ASCII");
		TAP_CHECK(usb_desc_string_ascii(s, 5, out, sizeof(out)) == -EINVAL,
			  "rejected: a string descriptor longer than what was read");
	}
}

int
main(void)
{
	void *base;
	size_t len;

	plat_memory_region(&base, &len);
	pages_init(base, len);
	initfuncs_run();
	test_enumeration();
	test_urbs();
	test_hostile_devices();
	test_parser();
	return tap_done();
}
