/* Descriptor parsing.  Every device is hostile: each length, count and
 * nesting level is checked against what was actually read before anything
 * is trusted, and the tree is the one libusb-0.1 builds (config ->
 * interface -> altsetting -> endpoint, class/vendor descriptors kept in
 * `extra' of whatever they follow). */
#include <core/errno.h>
#include <core/heap.h>
#include <core/string.h>
#include <usb/core.h>

#define FAIL(...) do { snprintf(why, whylen, __VA_ARGS__); goto fail; } while (0)

static u16
le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

int
usb_desc_parse_device(const u8 *raw, size_t len, struct usb_device_descriptor *d,
		      char *why, size_t whylen)
{
	if (len < USB_DT_DEVICE_SIZE)
		FAIL("device descriptor: %zu bytes, need %d", len, USB_DT_DEVICE_SIZE);
	if (raw[1] != USB_DT_DEVICE)
		FAIL("device descriptor: bDescriptorType 0x%02x, expected 0x01", raw[1]);
	if (raw[0] < USB_DT_DEVICE_SIZE)
		FAIL("device descriptor: bLength %u, expected 18", raw[0]);
	memcpy(d, raw, USB_DT_DEVICE_SIZE);
	d->bLength = USB_DT_DEVICE_SIZE;
	switch (d->bMaxPacketSize0) {
	case 8: case 16: case 32: case 64:
		break;
	case 9:		/* USB 3: an exponent, 2^9 = 512 bytes */
		if (d->bcdUSB >= 0x0300)
			break;
		/* fall through */
	default:
		FAIL("device descriptor: bMaxPacketSize0 %u not 8, 16, 32 or 64%s",
		     d->bMaxPacketSize0, d->bcdUSB >= 0x0300 ? " (nor 9 for USB 3)" : "");
	}
	if (d->bNumConfigurations == 0)
		FAIL("device descriptor: bNumConfigurations 0");
	if (d->bNumConfigurations > USB_MAXCONFIG)
		FAIL("device descriptor: bNumConfigurations %u above %d", d->bNumConfigurations,
		     USB_MAXCONFIG);
	return 0;
fail:
	return -EINVAL;
}

/* The parse state: the configuration's bytes, already checked to be a
 * chain of descriptors that each fit. */
struct walk {
	const u8 *raw;
	size_t pos, end;
};

static u8
type_at(const struct walk *w)
{
	return w->pos < w->end ? w->raw[w->pos + 1] : 0;
}

static bool
ends_extra(u8 type)
{
	return type == USB_DT_ENDPOINT || type == USB_DT_INTERFACE || type == USB_DT_CONFIG ||
	       type == USB_DT_DEVICE || type == 0;
}

/* Collect the descriptors up to the next structural one into extra. */
static int
take_extra(struct walk *w, unsigned char **extra, int *extralen)
{
	size_t start = w->pos;

	while (!ends_extra(type_at(w)))
		w->pos += w->raw[w->pos];
	*extra = NULL;
	*extralen = 0;
	if (w->pos == start)
		return 0;
	*extra = heap_alloc(w->pos - start);
	if (!*extra)
		return -ENOMEM;
	memcpy(*extra, w->raw + start, w->pos - start);
	*extralen = (int)(w->pos - start);
	return 0;
}

static void
free_alt(struct usb_interface_descriptor *alt)
{
	if (alt->endpoint)
		for (int e = 0; e < alt->bNumEndpoints; e++)
			heap_free(alt->endpoint[e].extra);
	heap_free(alt->endpoint);
	heap_free(alt->extra);
}

void
usb_desc_free_config(struct usb_config_descriptor *cfg)
{
	if (cfg->interface) {
		for (int i = 0; i < cfg->bNumInterfaces; i++) {
			struct usb_interface *ifc = &cfg->interface[i];

			for (int a = 0; a < ifc->num_altsetting; a++)
				free_alt(&ifc->altsetting[a]);
			heap_free(ifc->altsetting);
		}
	}
	heap_free(cfg->interface);
	heap_free(cfg->extra);
	cfg->interface = NULL;
	cfg->extra = NULL;
	cfg->extralen = 0;
}

/* Count interfaces the way the parser will group them: an interface
 * descriptor starts a new interface unless it is a non-zero alternate
 * setting of the one before. */
static unsigned
count_interfaces(const struct walk *w0)
{
	struct walk w = *w0;
	unsigned n = 0;
	int last = -1;

	for (; w.pos < w.end; w.pos += w.raw[w.pos]) {
		const u8 *d = w.raw + w.pos;

		if (d[1] != USB_DT_INTERFACE || d[0] < USB_DT_INTERFACE_SIZE)
			continue;
		if (last < 0 || d[3] == 0 || d[2] != last)
			n++;
		last = d[2];
	}
	return n;
}

static int
parse_endpoints(struct walk *w, struct usb_interface_descriptor *alt, char *why, size_t whylen)
{
	int n = alt->bNumEndpoints;

	alt->bNumEndpoints = 0;	/* counts what is allocated, for free_alt */
	if (!n)
		return 0;
	alt->endpoint = heap_zalloc(n * sizeof(*alt->endpoint));
	if (!alt->endpoint)
		FAIL("out of memory");
	for (int e = 0; e < n; e++) {
		struct usb_endpoint_descriptor *ep = &alt->endpoint[e];
		const u8 *d = w->raw + w->pos;

		if (type_at(w) != USB_DT_ENDPOINT)
			FAIL("interface %u alt %u: bNumEndpoints %d but %d endpoint descriptors",
			     alt->bInterfaceNumber, alt->bAlternateSetting, n, e);
		if (d[0] < USB_DT_ENDPOINT_SIZE)
			FAIL("interface %u alt %u: endpoint descriptor bLength %u < 7",
			     alt->bInterfaceNumber, alt->bAlternateSetting, d[0]);
		if ((d[2] & USB_ENDPOINT_ADDRESS_MASK) == 0 || (d[2] & 0x70))
			FAIL("interface %u alt %u: bad endpoint address 0x%02x",
			     alt->bInterfaceNumber, alt->bAlternateSetting, d[2]);
		for (int k = 0; k < e; k++)
			if (alt->endpoint[k].bEndpointAddress == d[2])
				FAIL("interface %u alt %u: endpoint 0x%02x described twice",
				     alt->bInterfaceNumber, alt->bAlternateSetting, d[2]);
		ep->bLength = d[0];
		ep->bDescriptorType = d[1];
		ep->bEndpointAddress = d[2];
		ep->bmAttributes = d[3];
		ep->wMaxPacketSize = le16(d + 4);
		ep->bInterval = d[6];
		if (d[0] >= USB_DT_ENDPOINT_AUDIO_SIZE) {
			ep->bRefresh = d[7];
			ep->bSynchAddress = d[8];
		}
		alt->bNumEndpoints = e + 1;
		w->pos += d[0];
		if (take_extra(w, &ep->extra, &ep->extralen))
			FAIL("out of memory");
	}
	return 0;
fail:
	return -EINVAL;
}

static int
parse_interface(struct walk *w, struct usb_interface *ifc, char *why, size_t whylen)
{
	int ifnum = w->raw[w->pos + 2];

	do {
		const u8 *d = w->raw + w->pos;
		struct usb_interface_descriptor *alt, *grown;

		if (d[0] < USB_DT_INTERFACE_SIZE)
			FAIL("interface descriptor: bLength %u < 9", d[0]);
		if (ifc->num_altsetting == USB_MAXALTSETTING)
			FAIL("interface %d: more than %d alternate settings", ifnum, USB_MAXALTSETTING);
		if (d[4] > USB_MAXENDPOINTS)
			FAIL("interface %d alt %u: bNumEndpoints %u above %d", ifnum, d[3], d[4],
			     USB_MAXENDPOINTS);
		grown = heap_realloc(ifc->altsetting, (ifc->num_altsetting + 1) * sizeof(*alt));
		if (!grown)
			FAIL("out of memory");
		ifc->altsetting = grown;
		alt = &ifc->altsetting[ifc->num_altsetting++];
		memset(alt, 0, sizeof(*alt));
		memcpy(alt, d, USB_DT_INTERFACE_SIZE);
		alt->bLength = d[0];
		w->pos += d[0];
		if (take_extra(w, &alt->extra, &alt->extralen))
			FAIL("out of memory");
		if (parse_endpoints(w, alt, why, whylen))
			return -EINVAL;
	} while (type_at(w) == USB_DT_INTERFACE && w->raw[w->pos] >= USB_DT_INTERFACE_SIZE &&
		 w->raw[w->pos + 3] != 0 && w->raw[w->pos + 2] == ifnum);
	return 0;
fail:
	return -EINVAL;
}

int
usb_desc_parse_config(const u8 *raw, size_t len, struct usb_config_descriptor *cfg,
		      char *why, size_t whylen)
{
	struct walk w = { raw, 0, 0 };
	unsigned nifs;
	u16 total;

	memset(cfg, 0, sizeof(*cfg));
	if (len < USB_DT_CONFIG_SIZE)
		FAIL("config descriptor: %zu bytes, need %d", len, USB_DT_CONFIG_SIZE);
	if (raw[1] != USB_DT_CONFIG)
		FAIL("config descriptor: bDescriptorType 0x%02x, expected 0x02", raw[1]);
	if (raw[0] < USB_DT_CONFIG_SIZE)
		FAIL("config descriptor: bLength %u < 9", raw[0]);
	total = le16(raw + 2);
	if (total < raw[0])
		FAIL("config descriptor: wTotalLength %u shorter than bLength %u", total, raw[0]);
	if (total > len)
		FAIL("config descriptor: wTotalLength %u but %zu bytes read", total, len);
	if (raw[4] > USB_MAXINTERFACES)
		FAIL("config descriptor: bNumInterfaces %u above %d", raw[4], USB_MAXINTERFACES);
	/* The chain must tile wTotalLength exactly before anything walks it. */
	for (size_t p = raw[0]; p < total; p += raw[p]) {
		if (total - p < 2)
			FAIL("config descriptor: 1 stray byte at offset %zu", p);
		if (raw[p] < 2)
			FAIL("config descriptor: descriptor at offset %zu has bLength %u", p, raw[p]);
		if (raw[p] > total - p)
			FAIL("config descriptor: descriptor at offset %zu (bLength %u) overruns wTotalLength %u",
			     p, raw[p], total);
	}
	memcpy(cfg, raw, USB_DT_CONFIG_SIZE);
	cfg->bLength = raw[0];
	cfg->wTotalLength = total;
	w.pos = raw[0];
	w.end = total;
	nifs = count_interfaces(&w);
	if (nifs != cfg->bNumInterfaces)
		FAIL("config descriptor: bNumInterfaces %u but %u interface descriptors",
		     cfg->bNumInterfaces, nifs);
	if (take_extra(&w, &cfg->extra, &cfg->extralen))
		FAIL("out of memory");
	if (type_at(&w) == USB_DT_ENDPOINT)
		FAIL("config descriptor: endpoint descriptor at offset %zu outside any interface", w.pos);
	if (cfg->bNumInterfaces) {
		cfg->interface = heap_zalloc(cfg->bNumInterfaces * sizeof(*cfg->interface));
		if (!cfg->interface)
			FAIL("out of memory");
	}
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		/* Descriptors between interfaces that are not interfaces
		 * (a stray endpoint, a device descriptor) are errors. */
		if (type_at(&w) != USB_DT_INTERFACE)
			FAIL("config descriptor: descriptor type 0x%02x at offset %zu where interface %d should start",
			     type_at(&w), w.pos, i);
		if (parse_interface(&w, &cfg->interface[i], why, whylen))
			goto fail;
	}
	if (w.pos != w.end)
		FAIL("config descriptor: descriptor type 0x%02x at offset %zu after the last interface",
		     type_at(&w), w.pos);
	return 0;
fail:
	usb_desc_free_config(cfg);
	return -EINVAL;
}

int
usb_desc_string_ascii(const u8 *raw, size_t len, char *out, size_t outlen)
{
	size_t n = 0;

	if (!outlen)
		return -EINVAL;
	out[0] = 0;
	if (len < 2 || raw[1] != USB_DT_STRING || raw[0] < 2 || raw[0] > len)
		return -EINVAL;
	for (size_t i = 2; i + 1 < raw[0] && n + 1 < outlen; i += 2) {
		u16 c = le16(raw + i);

		out[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[n] = 0;
	return (int)n;
}

const char *
usb_class_name(u8 cls)
{
	switch (cls) {
	case USB_CLASS_PER_INTERFACE: return "(Defined at Interface level)";
	case USB_CLASS_AUDIO: return "(Audio)";
	case USB_CLASS_COMM: return "(Communications)";
	case USB_CLASS_HID: return "(Human Interface Device)";
	case USB_CLASS_PTP: return "(Imaging)";
	case USB_CLASS_PRINTER: return "(Printer)";
	case USB_CLASS_MASS_STORAGE: return "(Mass Storage)";
	case USB_CLASS_HUB: return "(Hub)";
	case USB_CLASS_DATA: return "(CDC Data)";
	case 0x0B: return "(Chip/SmartCard)";	/* no libusb-0.1 name; lsusb's text */
	case USB_CLASS_VENDOR_SPEC: return "(Vendor Specific Class)";
	default: return "(unknown)";
	}
}
