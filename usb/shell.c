/* The shell's view of USB: `usb list`, `usb desc`, `usb attach`, `usb
 * detach`, `usb capture`. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/string.h>
#include <core/time.h>
#include <usb/core.h>

extern const struct usb_model_entry __start_usb_models[] __attribute__((weak));
extern const struct usb_model_entry __stop_usb_models[] __attribute__((weak));

const struct usb_model_entry *
usb_model_lookup(const char *name)
{
	for (const struct usb_model_entry *e = __start_usb_models; e < __stop_usb_models; e++)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

static const char *const speed_names[] = { "low", "full", "high", "super" };
static const char *const ep_types[] = { "Control", "Isochronous", "Bulk", "Interrupt" };

static const char *
speed_name(u8 s)
{
	return s < ARRAY_SIZE(speed_names) ? speed_names[s] : "?";
}

/* --- usb list ----------------------------------------------------------------- */

static void
list_interfaces(const struct usb_config_descriptor *c)
{
	for (int i = 0; i < c->bNumInterfaces; i++) {
		const struct usb_interface *ifc = &c->interface[i];

		for (int a = 0; a < ifc->num_altsetting; a++) {
			const struct usb_interface_descriptor *alt = &ifc->altsetting[a];

			kprintf("      If %u Alt %u: Class %02x %s, %u endpoint%s",
				alt->bInterfaceNumber, alt->bAlternateSetting, alt->bInterfaceClass,
				usb_class_name(alt->bInterfaceClass), alt->bNumEndpoints,
				alt->bNumEndpoints == 1 ? "" : "s");
			for (int e = 0; e < alt->bNumEndpoints; e++) {
				const struct usb_endpoint_descriptor *ep = &alt->endpoint[e];

				kprintf("%s %02x %s %s %u", e ? "," : ":", ep->bEndpointAddress,
					ep_types[ep->bmAttributes & 3],
					ep->bEndpointAddress & USB_ENDPOINT_IN ? "IN" : "OUT",
					ep->wMaxPacketSize);
			}
			kprintf("\n");
		}
	}
}

static int
cmd_usb_list(int argc, char **argv)
{
	int n = 0;

	usb_poll_all(0);
	for (struct usb_hc *hc = usb_hc_first(); hc; hc = hc->next) {
		kprintf("Bus %03d: %s controller, %s\n", hc->busnum, hc->ops->kind, hc->name);
		for (struct usb_dev *d = usb_dev_first(); d; d = usb_dev_next(d)) {
			if (d->hc != hc)
				continue;
			n++;
			if (d->state != USB_DEV_CONFIGURED) {
				kprintf("  Port %d: Dev %03u, %s speed, disabled: %s\n", d->port, d->addr,
					speed_name(d->speed), d->why[0] ? d->why : "not configured");
				continue;
			}
			kprintf("  Port %d: Dev %03u, ID %04x:%04x, Class %02x %s, %s speed, config %u\n",
				d->port, d->addr, d->desc.idVendor, d->desc.idProduct,
				d->desc.bDeviceClass, usb_class_name(d->desc.bDeviceClass),
				speed_name(d->speed), d->cur_config);
			kprintf("    Manufacturer \"%s\", Product \"%s\", Serial \"%s\"\n",
				d->manufacturer, d->product, d->serialstr);
			for (int c = 0; c < d->desc.bNumConfigurations; c++)
				if (d->config[c].bConfigurationValue == d->cur_config)
					list_interfaces(&d->config[c]);
		}
	}
	if (!usb_hc_first())
		kprintf("no USB controllers (usb attach ADDR)\n");
	else if (!n)
		kprintf("no USB devices\n");
	return 0;
}
DBGSH_GUEST_COMMAND("usb list", cmd_usb_list, "USB busses and devices as a tree");

/* --- usb desc ----------------------------------------------------------------- */

static void
field(int indent, const char *name, unsigned v, const char *note)
{
	kprintf("%*s%-19s%5u%s%s\n", indent, "", name, v, note ? " " : "", note ? note : "");
}

static void
bcd(int indent, const char *name, u16 v)
{
	kprintf("%*s%-19s%2x.%02x\n", indent, "", name, v >> 8, v & 0xff);
}

static void
hexdump_extra(int indent, const u8 *p, int len)
{
	for (int off = 0; off + 2 <= len && p[off] >= 2 && off + p[off] <= len; off += p[off]) {
		const u8 *d = p + off;

		if (d[1] == USB_DT_HID && d[0] >= 9) {
			kprintf("%*sHID Device Descriptor:\n", indent, "");
			field(indent + 2, "bLength", d[0], NULL);
			field(indent + 2, "bDescriptorType", d[1], NULL);
			bcd(indent + 2, "bcdHID", d[2] | d[3] << 8);
			field(indent + 2, "bCountryCode", d[4], NULL);
			field(indent + 2, "bNumDescriptors", d[5], NULL);
			field(indent + 2, "bDescriptorType", d[6], d[6] == USB_DT_REPORT ? "Report" : NULL);
			field(indent + 2, "wDescriptorLength", d[7] | d[8] << 8, NULL);
			continue;
		}
		kprintf("%*s** UNRECOGNIZED: ", indent, "");
		for (int i = 0; i < d[0]; i++)
			kprintf(" %02x", d[i]);
		kprintf("\n");
	}
}

static void
desc_endpoint(const struct usb_endpoint_descriptor *ep)
{
	char note[32];

	kprintf("      Endpoint Descriptor:\n");
	field(8, "bLength", ep->bLength, NULL);
	field(8, "bDescriptorType", ep->bDescriptorType, NULL);
	snprintf(note, sizeof(note), " EP %u %s", ep->bEndpointAddress & 0x0f,
		 ep->bEndpointAddress & USB_ENDPOINT_IN ? "IN" : "OUT");
	kprintf("        %-19s  0x%02x %s\n", "bEndpointAddress", ep->bEndpointAddress, note);
	field(8, "bmAttributes", ep->bmAttributes, NULL);
	kprintf("          Transfer Type            %s\n", ep_types[ep->bmAttributes & 3]);
	kprintf("        %-19s0x%04x  1x %u bytes\n", "wMaxPacketSize", ep->wMaxPacketSize,
		ep->wMaxPacketSize & 0x7ff);
	field(8, "bInterval", ep->bInterval, NULL);
	if (ep->bLength >= USB_DT_ENDPOINT_AUDIO_SIZE) {
		field(8, "bRefresh", ep->bRefresh, NULL);
		field(8, "bSynchAddress", ep->bSynchAddress, NULL);
	}
	hexdump_extra(8, ep->extra, ep->extralen);
}

static void
desc_interface(const struct usb_interface_descriptor *alt)
{
	kprintf("    Interface Descriptor:\n");
	field(6, "bLength", alt->bLength, NULL);
	field(6, "bDescriptorType", alt->bDescriptorType, NULL);
	field(6, "bInterfaceNumber", alt->bInterfaceNumber, NULL);
	field(6, "bAlternateSetting", alt->bAlternateSetting, NULL);
	field(6, "bNumEndpoints", alt->bNumEndpoints, NULL);
	field(6, "bInterfaceClass", alt->bInterfaceClass, usb_class_name(alt->bInterfaceClass));
	field(6, "bInterfaceSubClass", alt->bInterfaceSubClass, NULL);
	field(6, "bInterfaceProtocol", alt->bInterfaceProtocol, NULL);
	field(6, "iInterface", alt->iInterface, NULL);
	hexdump_extra(6, alt->extra, alt->extralen);
	for (int e = 0; e < alt->bNumEndpoints; e++)
		desc_endpoint(&alt->endpoint[e]);
}

static void
desc_config(const struct usb_config_descriptor *c)
{
	kprintf("  Configuration Descriptor:\n");
	field(4, "bLength", c->bLength, NULL);
	field(4, "bDescriptorType", c->bDescriptorType, NULL);
	field(4, "wTotalLength", c->wTotalLength, NULL);
	field(4, "bNumInterfaces", c->bNumInterfaces, NULL);
	field(4, "bConfigurationValue", c->bConfigurationValue, NULL);
	field(4, "iConfiguration", c->iConfiguration, NULL);
	kprintf("    %-19s 0x%02x\n", "bmAttributes", c->bmAttributes);
	if (c->bmAttributes & 0x40)
		kprintf("      Self Powered\n");
	if (c->bmAttributes & 0x20)
		kprintf("      Remote Wakeup\n");
	kprintf("    %-19s%5umA\n", "MaxPower", c->MaxPower * 2);
	hexdump_extra(4, c->extra, c->extralen);
	for (int i = 0; i < c->bNumInterfaces; i++)
		for (int a = 0; a < c->interface[i].num_altsetting; a++)
			desc_interface(&c->interface[i].altsetting[a]);
}

static int
cmd_usb_desc(int argc, char **argv)
{
	struct usb_dev *d;
	const struct usb_device_descriptor *dd;

	if (argc != 2) {
		kprintf("usage: usb desc BUS:ADDR | BUS-PORT\n");
		return 1;
	}
	d = usb_dev_parse_id(argv[1]);
	if (!d) {
		kprintf("usb desc: %s: no such device\n", argv[1]);
		return 1;
	}
	if (d->state != USB_DEV_CONFIGURED) {
		kprintf("usb %s: disabled: %s\n", d->id, d->why);
		return 1;
	}
	dd = &d->desc;
	kprintf("Bus %03d Device %03u: ID %04x:%04x %s %s\n", d->hc->busnum, d->addr,
		dd->idVendor, dd->idProduct, d->manufacturer, d->product);
	kprintf("Device Descriptor:\n");
	field(2, "bLength", dd->bLength, NULL);
	field(2, "bDescriptorType", dd->bDescriptorType, NULL);
	bcd(2, "bcdUSB", dd->bcdUSB);
	field(2, "bDeviceClass", dd->bDeviceClass, usb_class_name(dd->bDeviceClass));
	field(2, "bDeviceSubClass", dd->bDeviceSubClass, NULL);
	field(2, "bDeviceProtocol", dd->bDeviceProtocol, NULL);
	field(2, "bMaxPacketSize0", dd->bMaxPacketSize0, NULL);
	kprintf("  %-19s0x%04x %s\n", "idVendor", dd->idVendor, d->manufacturer);
	kprintf("  %-19s0x%04x %s\n", "idProduct", dd->idProduct, d->product);
	bcd(2, "bcdDevice", dd->bcdDevice);
	field(2, "iManufacturer", dd->iManufacturer, d->manufacturer);
	field(2, "iProduct", dd->iProduct, d->product);
	field(2, "iSerial", dd->iSerialNumber, d->serialstr);
	field(2, "bNumConfigurations", dd->bNumConfigurations, NULL);
	for (int c = 0; c < dd->bNumConfigurations; c++)
		desc_config(&d->config[c]);
	return 0;
}
DBGSH_GUEST_COMMAND("usb desc", cmd_usb_desc, "all descriptors of a device, lsusb -v style: usb desc BUS:ADDR");

/* --- usb attach / detach ------------------------------------------------------ */

struct model_hc {
	struct usb_model *m;
	const struct usb_model_entry *e;
	struct usb_hc *hc;
	struct model_hc *next;
};
static struct model_hc *model_hcs;

/* model:NAME[:ARG] attaches an in-process device model on its own bus. */
static int
attach_model(const char *spec)
{
	char name[32];
	const char *arg = strchr(spec, ':');
	const struct usb_model_entry *e;
	struct model_hc *mh;
	struct usb_dev *d;
	int port;

	snprintf(name, sizeof(name), "%.*s", arg ? (int)(arg - spec) : (int)strlen(spec), spec);
	e = usb_model_lookup(name);
	if (!e) {
		kprintf("usb attach: model:%s: no such device model\n", spec);
		return 1;
	}
	mh = heap_zalloc(sizeof(*mh));
	if (!mh || !(mh->m = e->create(arg ? arg + 1 : NULL))) {
		kprintf("usb attach: model:%s: %s\n", spec,
			mh ? "bad model argument" : "out of memory");
		heap_free(mh);
		return 1;
	}
	mh->e = e;
	mh->hc = usb_virt_create("model:");
	if (!mh->hc) {
		e->destroy(mh->m);
		heap_free(mh);
		kprintf("usb attach: out of memory\n");
		return 1;
	}
	snprintf(mh->hc->name, sizeof(mh->hc->name), "model:%s", spec);
	mh->next = model_hcs;
	model_hcs = mh;
	port = usb_virt_plug(mh->hc, mh->m);
	for (d = usb_dev_first(); d; d = usb_dev_next(d))
		if (d->hc == mh->hc && d->port == port)
			break;
	/* A disabled device has said why in its one line already. */
	return d && d->state == USB_DEV_CONFIGURED ? 0 : 1;
}

static int
cmd_usb_attach(int argc, char **argv)
{
	if (argc != 2) {
		kprintf("usage: usb attach HOST:PORT | unix:PATH | model:NAME[:ARG]\n");
		return 1;
	}
	if (str_starts_with(argv[1], "model:"))
		return attach_model(argv[1] + 6);
	return usb_redir_attach(argv[1]) > 0 ? 0 : 1;
}
DBGSH_COMMAND("usb attach", cmd_usb_attach,
	      "attach a USB device: usb attach HOST:PORT | unix:PATH | model:NAME[:ARG]");

static int
cmd_usb_detach(int argc, char **argv)
{
	struct usb_hc *hc = NULL;
	u64 bus;

	if (argc > 2 || (argc == 2 && !dbgsh_parse_u64(argv[1], &bus))) {
		kprintf("usage: usb detach [BUS]\n");
		return 1;
	}
	if (argc == 2) {
		hc = usb_hc_by_bus((int)bus);
	} else {
		for (struct usb_hc *h = usb_hc_first(); h; h = h->next)
			hc = h;	/* the highest bus */
	}
	if (!hc) {
		kprintf("usb detach: %s\n", argc == 2 ? "no such bus" : "nothing attached");
		return 1;
	}
	for (struct model_hc **pp = &model_hcs; *pp; pp = &(*pp)->next) {
		struct model_hc *mh = *pp;

		if (mh->hc != hc)
			continue;
		*pp = mh->next;
		usb_hc_unregister(hc);
		mh->e->destroy(mh->m);
		heap_free(mh);
		return 0;
	}
	usb_hc_unregister(hc);
	return 0;
}
DBGSH_COMMAND("usb detach", cmd_usb_detach, "detach a bus and its devices: usb detach [BUS]");

/* --- usb capture -------------------------------------------------------------- */

static int
cmd_usb_capture_start(int argc, char **argv)
{
	int err;

	if (argc != 2) {
		kprintf("usage: usb capture start FILE\n");
		return 1;
	}
	err = usb_capture_start(argv[1]);
	if (err) {
		kprintf("usb capture: %s: %s\n", argv[1],
			err == -EBUSY ? "a capture is already running" : usb_errno_text(-err));
		return 1;
	}
	kprintf("usb capture: writing usbmon records to %s\n", argv[1]);
	return 0;
}
DBGSH_COMMAND("usb capture start", cmd_usb_capture_start,
	      "record every USB transfer as pcap (usbmon): usb capture start FILE");

static int
cmd_usb_capture_stop(int argc, char **argv)
{
	int n = usb_capture_stop();

	if (n < 0) {
		kprintf("usb capture: not running\n");
		return 1;
	}
	kprintf("usb capture: %d records\n", n);
	return 0;
}
DBGSH_COMMAND("usb capture stop", cmd_usb_capture_stop, "end the USB capture");

/* --- usb out / usb in: one transfer by hand ----------------------------------- */

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static u8
endpoint_type(struct usb_dev *d, u8 ep)
{
	for (int c = 0; c < d->desc.bNumConfigurations; c++) {
		struct usb_config_descriptor *cfg = &d->config[c];

		if (cfg->bConfigurationValue != d->cur_config)
			continue;
		for (int i = 0; i < cfg->bNumInterfaces; i++)
			for (int a = 0; a < cfg->interface[i].num_altsetting; a++) {
				struct usb_interface_descriptor *alt = &cfg->interface[i].altsetting[a];

				for (int e = 0; e < alt->bNumEndpoints; e++)
					if (alt->endpoint[e].bEndpointAddress == ep)
						return alt->endpoint[e].bmAttributes & 3;
			}
	}
	return 0xff;
}

/* usb out ID EP HEX / usb in ID EP LEN [MS] */
static int
cmd_usb_xfer(int argc, char **argv)
{
	bool in = !strcmp(argv[0], "usb in");
	struct usb_dev *d;
	u64 ep, n = 0, ms = 1000;
	u8 buf[512], type;
	int r;

	if (argc < 4 || argc > 5 || !dbgsh_parse_u64(argv[2], &ep) || ep > 0xff ||
	    (in && (!dbgsh_parse_u64(argv[3], &n) || n > sizeof(buf))) ||
	    (argc == 5 && (!in || !dbgsh_parse_u64(argv[4], &ms)))) {
		kprintf("usage: usb out BUS:ADDR EP HEXBYTES | usb in BUS:ADDR EP LEN [TIMEOUT_MS]\n");
		return 1;
	}
	d = usb_dev_parse_id(argv[1]);
	if (!d || d->state != USB_DEV_CONFIGURED) {
		kprintf("%s: %s: no such device\n", argv[0], argv[1]);
		return 1;
	}
	ep = in ? ep | USB_ENDPOINT_IN : ep & ~USB_ENDPOINT_IN;
	type = endpoint_type(d, (u8)ep);
	if (type != USB_ENDPOINT_TYPE_INTERRUPT && type != USB_ENDPOINT_TYPE_BULK) {
		kprintf("%s: endpoint 0x%02x: no interrupt or bulk endpoint there\n", argv[0], (u8)ep);
		return 1;
	}
	if (!in) {
		const char *h = argv[3];

		for (; h[0] && n < sizeof(buf); h += 2, n++) {
			if (hexval(h[0]) < 0 || hexval(h[1]) < 0) {
				kprintf("usb out: %s: not hex bytes\n", argv[3]);
				return 1;
			}
			buf[n] = hexval(h[0]) << 4 | hexval(h[1]);
		}
	}
	r = usb_dev_transfer(d, type == USB_ENDPOINT_TYPE_BULK ? URB_BULK : URB_INTERRUPT, (u8)ep,
			     buf, n, (u32)ms);
	if (r < 0) {
		kprintf("%s: endpoint 0x%02x: %s (%d)\n", argv[0], (u8)ep, usb_errno_text(-r), r);
		return 1;
	}
	kprintf("%d bytes", r);
	if (in) {
		kprintf(":");
		for (int i = 0; i < r; i++)
			kprintf(" %02x", buf[i]);
	}
	kprintf("\n");
	return 0;
}
DBGSH_COMMAND("usb out", cmd_usb_xfer, "write to an endpoint: usb out BUS:ADDR EP HEXBYTES");
DBGSH_COMMAND("usb in", cmd_usb_xfer, "read from an endpoint: usb in BUS:ADDR EP LEN [TIMEOUT_MS]");

/* --- usb wait: hot-plug from a script ----------------------------------------- */

static struct usb_dev *
find_configured(u16 vid, u16 pid)
{
	for (struct usb_dev *d = usb_dev_first(); d; d = usb_dev_next(d))
		if (d->state == USB_DEV_CONFIGURED && d->desc.idVendor == vid && d->desc.idProduct == pid)
			return d;
	return NULL;
}

/* usb wait VID:PID [MS]: poll the controllers until such a device is
 * configured (a script's way to wait for a plug-in). */
static int
cmd_usb_wait(int argc, char **argv)
{
	u64 ms = 5000, start = time_now_ns();
	unsigned long vid = 0, pid = 0;
	char *end = NULL;
	struct usb_dev *d;

	if (argc >= 2) {
		vid = strtoul(argv[1], &end, 16);
		if (*end == ':' && end != argv[1] && hexval(end[1]) >= 0)
			pid = strtoul(end + 1, &end, 16);
		else
			end = argv[1];	/* not VID:PID */
	}
	if (argc < 2 || argc > 3 || *end || vid > 0xffff || pid > 0xffff ||
	    (argc == 3 && !dbgsh_parse_u64(argv[2], &ms))) {
		kprintf("usage: usb wait VID:PID [TIMEOUT_MS]\n");
		return 1;
	}
	while (!(d = find_configured((u16)vid, (u16)pid))) {
		if (time_now_ns() - start >= ms * NSEC_PER_MSEC) {
			kprintf("usb wait: %04lx:%04lx: not there after %llu ms\n", vid, pid,
				(unsigned long long)ms);
			return 1;
		}
		usb_poll_all(NSEC_PER_MSEC);
	}
	kprintf("usb wait: %04lx:%04lx is %d:%d on port %d\n", vid, pid, d->hc->busnum, d->addr,
		d->port);
	return 0;
}
DBGSH_COMMAND("usb wait", cmd_usb_wait, "wait for a device to be configured: usb wait VID:PID [MS]");
