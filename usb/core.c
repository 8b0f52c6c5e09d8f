/* The USB core: controllers as busses, devices on their ports, enumeration
 * and URBs with timeouts and cancellation. */
#include <core/console.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/string.h>
#include <core/time.h>
#include <core/init.h>
#include <core/sched.h>
#include <usb/core.h>

#define ENUM_TIMEOUT_MS	1000

static struct usb_hc *hcs;
static struct usb_dev *devs;		/* every device not yet freed */
static u64 next_urb_id = 1, next_serial = 1;

/* --- controllers ---------------------------------------------------------- */

int
usb_hc_register(struct usb_hc *hc)
{
	struct usb_hc **pp = &hcs;
	int bus = 1;

	/* The lowest free bus number, the list kept in bus order. */
	while (*pp && (*pp)->busnum == bus) {
		pp = &(*pp)->next;
		bus++;
	}
	hc->busnum = bus;
	hc->next_addr = 2;	/* 1 is the root hub's on Linux */
	hc->next = *pp;
	*pp = hc;
	return bus;
}

void
usb_hc_unregister(struct usb_hc *hc)
{
	struct usb_hc **pp;

	struct usb_dev *d;

	/* Disconnecting may free the device: look again from the start. */
	do {
		for (d = devs; d; d = d->next)
			if (d->hc == hc && d->state != USB_DEV_GONE)
				break;
		if (d)
			usb_port_disconnect(hc, d->port);
	} while (d);
	for (pp = &hcs; *pp; pp = &(*pp)->next) {
		if (*pp == hc) {
			*pp = hc->next;
			break;
		}
	}
	/* Devices still referenced (a blob's open handle) keep a pointer to
	 * their controller for messages; they no longer reach it. */
	for (d = devs; d; d = d->next)
		if (d->hc == hc)
			d->hc = NULL;
	if (hc->ops->close)
		hc->ops->close(hc);
}

struct usb_hc *
usb_hc_by_bus(int busnum)
{
	for (struct usb_hc *hc = hcs; hc; hc = hc->next)
		if (hc->busnum == busnum)
			return hc;
	return NULL;
}

struct usb_hc *
usb_hc_first(void)
{
	return hcs;
}

void
usb_poll_all(u64 max_wait_ns)
{
	for (struct usb_hc *hc = hcs; hc; hc = hc->next)
		if (hc->ops->poll)
			hc->ops->poll(hc, hc->next ? 0 : max_wait_ns);
}

/* --- devices -------------------------------------------------------------- */

static bool
visible(const struct usb_dev *d)
{
	return d->state != USB_DEV_GONE;
}

static int
dev_order(const struct usb_dev *a, const struct usb_dev *b)
{
	int ba = a->hc ? a->hc->busnum : 0, bb = b->hc ? b->hc->busnum : 0;

	return ba != bb ? ba - bb : a->port - b->port;
}

struct usb_dev *
usb_dev_first(void)
{
	struct usb_dev *best = NULL;

	for (struct usb_dev *d = devs; d; d = d->next)
		if (visible(d) && (!best || dev_order(d, best) < 0))
			best = d;
	return best;
}

struct usb_dev *
usb_dev_next(struct usb_dev *cur)
{
	struct usb_dev *best = NULL;

	for (struct usb_dev *d = devs; d; d = d->next)
		if (visible(d) && dev_order(d, cur) > 0 && (!best || dev_order(d, best) < 0))
			best = d;
	return best;
}

struct usb_dev *
usb_dev_find(int busnum, int addr)
{
	for (struct usb_dev *d = usb_dev_first(); d; d = usb_dev_next(d))
		if (d->hc && d->hc->busnum == busnum && d->addr == addr)
			return d;
	return NULL;
}

/* Decimal digits at *s (at most three); -1 if none. */
static int
parse_dec(const char **s)
{
	int v = -1, n = 0;

	while (**s >= '0' && **s <= '9' && n++ < 3) {
		v = (v < 0 ? 0 : v * 10) + (**s - '0');
		(*s)++;
	}
	return v;
}

struct usb_dev *
usb_dev_parse_id(const char *s)
{
	int bus = parse_dec(&s), n;
	char sep = *s;

	if (bus < 0 || (sep != ':' && sep != '-'))
		return NULL;
	s++;
	n = parse_dec(&s);
	if (n < 0 || *s)
		return NULL;
	if (sep == ':')
		return usb_dev_find(bus, n);
	for (struct usb_dev *d = usb_dev_first(); d; d = usb_dev_next(d))
		if (d->hc && d->hc->busnum == bus && d->port == n)
			return d;
	return NULL;
}

static void
dev_free(struct usb_dev *d)
{
	struct usb_dev **pp;

	for (pp = &devs; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	if (d->config) {
		for (int i = 0; i < d->desc.bNumConfigurations; i++)
			usb_desc_free_config(&d->config[i]);
		heap_free(d->config);
	}
	if (d->raw_config) {
		for (int i = 0; i < d->desc.bNumConfigurations; i++)
			heap_free(d->raw_config[i]);
		heap_free(d->raw_config);
	}
	heap_free(d);
}

void
usb_dev_get(struct usb_dev *d)
{
	d->refs++;
}

void
usb_dev_put(struct usb_dev *d)
{
	if (--d->refs == 0 && d->state == USB_DEV_GONE)
		dev_free(d);
}

/* --- URBs ----------------------------------------------------------------- */

static bool
dev_reachable(const struct usb_dev *d)
{
	return d->hc && (d->state == USB_DEV_NEW || d->state == USB_DEV_CONFIGURED);
}

static void
unlink_pending(struct urb *urb)
{
	for (struct urb **pp = &urb->dev->pending; *pp; pp = &(*pp)->next) {
		if (*pp == urb) {
			*pp = urb->next;
			break;
		}
	}
	urb->next = NULL;
	urb->pending = false;
}

int
usb_urb_submit(struct urb *urb)
{
	struct usb_dev *d = urb->dev;
	int err;

	urb->actual = 0;
	urb->status = 0;
	urb->done = false;
	urb->id = next_urb_id++;
	urb->submit_ns = time_now_ns();
	if (!dev_reachable(d))
		return -ENODEV;
	if (urb->type == URB_CONTROL && urb->len < urb->setup.wLength)
		return -EINVAL;
	urb->pending = true;
	urb->next = d->pending;
	d->pending = urb;
	if (usb_capture_active())
		usb_capture_urb(urb, 'S');
	err = d->hc->ops->submit(d->hc, urb);
	if (err < 0 && urb->pending) {
		unlink_pending(urb);
		urb->done = true;
		urb->status = err;
		if (usb_capture_active())
			usb_capture_urb(urb, 'C');
		return err;
	}
	return 0;
}

void
usb_urb_complete(struct urb *urb, int status)
{
	if (urb->done)
		return;
	if (urb->pending)
		unlink_pending(urb);
	urb->status = status;
	urb->done = true;
	if (usb_capture_active())
		usb_capture_urb(urb, 'C');
}

void
usb_urb_cancel(struct urb *urb, int status)
{
	if (urb->done)
		return;
	if (urb->pending && urb->dev->hc && urb->dev->hc->ops->cancel)
		urb->dev->hc->ops->cancel(urb->dev->hc, urb);
	usb_urb_complete(urb, status);
}

static bool
urb_done(void *u)
{
	return ((struct urb *)u)->done;
}

/* Poll the URB's controller; with other blob threads ready, the wait goes
 * through the scheduler so they run (a reader thread's transfer and this
 * wait interleave), and the scheduler's idle polls every controller. */
int
usb_urb_wait(struct urb *urb, u32 timeout_ms)
{
	u64 deadline = timeout_ms ? urb->submit_ns + timeout_ms * NSEC_PER_MSEC : ~0ULL;

	while (!urb->done) {
		u64 now = time_now_ns();
		struct usb_hc *hc = urb->dev->hc;

		if (now >= deadline) {
			usb_urb_cancel(urb, -ETIMEDOUT);
			break;
		}
		if (!hc) {
			usb_urb_complete(urb, -ENODEV);
			break;
		}
		if (sched_thread_count()) {
			if (hc->ops->poll)
				hc->ops->poll(hc, 0);
			sched_wait_until(MIN(deadline, now + NSEC_PER_MSEC), urb_done, urb, "usb",
					 (u64)__builtin_return_address(0));
			continue;
		}
		if (hc->ops->poll)
			hc->ops->poll(hc, MIN(deadline - now, NSEC_PER_MSEC));
	}
	return urb->status;
}

/* While every blob thread waits, the scheduler polls the controllers. */
static void
poll_controllers(u64 wait_ns)
{
	for (struct usb_hc *hc = hcs; hc; hc = hc->next) {
		if (hc->ops->poll)
			hc->ops->poll(hc, wait_ns);
		wait_ns = 0;
	}
}

static struct sched_poller usb_poller = { .poll = poll_controllers };

static void
usb_sched_init(void)
{
	sched_poller_register(&usb_poller);
}
INITFUNC("40usb-sched", usb_sched_init);

int
usb_dev_control(struct usb_dev *d, u8 reqtype, u8 req, u16 value, u16 index,
		void *data, u16 len, u32 timeout_ms)
{
	struct urb urb = {
		.dev = d, .type = URB_CONTROL, .ep = reqtype & USB_ENDPOINT_IN,
		.setup = { reqtype, req, value, index, len },
		.buf = data, .len = len,
	};
	int err = usb_urb_submit(&urb);

	if (err)
		return err;
	err = usb_urb_wait(&urb, timeout_ms);
	return err ? err : (int)urb.actual;
}

int
usb_dev_transfer(struct usb_dev *d, u8 type, u8 ep, void *data, size_t len, u32 timeout_ms)
{
	struct urb urb = { .dev = d, .type = type, .ep = ep, .buf = data, .len = len };
	int err;

	if (type != URB_INTERRUPT && type != URB_BULK)
		return -EINVAL;
	if (len > 0x7fffffff)
		return -EINVAL;
	err = usb_urb_submit(&urb);
	if (err)
		return err;
	err = usb_urb_wait(&urb, timeout_ms);
	return err ? err : (int)urb.actual;
}

int
usb_dev_set_config(struct usb_dev *d, u8 value)
{
	bool known = value == 0;
	int err;

	for (int i = 0; i < d->desc.bNumConfigurations && d->config; i++)
		known |= d->config[i].bConfigurationValue == value;
	if (!known)
		return -EINVAL;
	err = usb_dev_control(d, USB_ENDPOINT_OUT, USB_REQ_SET_CONFIGURATION, value, 0,
			      NULL, 0, ENUM_TIMEOUT_MS);
	if (err < 0)
		return err;
	d->cur_config = value;
	return 0;
}

/* --- enumeration ---------------------------------------------------------- */

static void
disable(struct usb_dev *d, const char *why)
{
	snprintf(d->why, sizeof(d->why), "%s", why);
	d->state = USB_DEV_DISABLED;
	kprintf("usb %s: %s; device disabled\n", d->id, why);
}

static int
get_desc(struct usb_dev *d, u8 type, u8 index, u16 lang, void *buf, u16 len)
{
	return usb_dev_control(d, USB_ENDPOINT_IN, USB_REQ_GET_DESCRIPTOR, type << 8 | index,
			       lang, buf, len, ENUM_TIMEOUT_MS);
}

static void
read_string(struct usb_dev *d, u8 index, char *out, size_t outlen)
{
	u8 buf[255];
	int n;

	out[0] = 0;
	if (!index || !d->langid)
		return;
	n = get_desc(d, USB_DT_STRING, index, d->langid, buf, sizeof(buf));
	if (n > 0)
		usb_desc_string_ascii(buf, n, out, outlen);
}

static u8
pick_address(struct usb_hc *hc)
{
	for (int tries = 0; tries < 126; tries++) {
		u8 a = hc->next_addr;

		hc->next_addr = a >= 127 ? 2 : a + 1;
		if (!usb_dev_find(hc->busnum, a))
			return a;
	}
	return 0;
}

static int
read_configs(struct usb_dev *d)
{
	int n = d->desc.bNumConfigurations;
	char why[128];

	d->config = heap_zalloc(n * sizeof(*d->config));
	d->raw_config = heap_zalloc(n * sizeof(*d->raw_config));
	if (!d->config || !d->raw_config)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		u8 head[USB_DT_CONFIG_SIZE];
		int got = get_desc(d, USB_DT_CONFIG, i, 0, head, sizeof(head));
		u16 total;

		if (got < 0) {
			snprintf(why, sizeof(why), "config descriptor %d: read failed (%d)", i, got);
			disable(d, why);
			return got;
		}
		if (got < 4) {
			snprintf(why, sizeof(why), "config descriptor %d: %d bytes, need 9", i, got);
			disable(d, why);
			return -EINVAL;
		}
		total = head[2] | head[3] << 8;
		if (total < USB_DT_CONFIG_SIZE)
			total = USB_DT_CONFIG_SIZE;	/* the parser says what is wrong */
		d->raw_config[i] = heap_alloc(total);
		if (!d->raw_config[i])
			return -ENOMEM;
		got = get_desc(d, USB_DT_CONFIG, i, 0, d->raw_config[i], total);
		if (got < 0) {
			snprintf(why, sizeof(why), "config descriptor %d: read failed (%d)", i, got);
			disable(d, why);
			return got;
		}
		if (usb_desc_parse_config(d->raw_config[i], got, &d->config[i], why, sizeof(why))) {
			disable(d, why);
			return -EINVAL;
		}
	}
	return 0;
}

static void
enumerate(struct usb_dev *d)
{
	u8 buf[USB_DT_DEVICE_SIZE];
	char why[128];
	u8 lang[4], addr;
	int n;

	/* At address 0: the first 8 bytes give bMaxPacketSize0. */
	n = get_desc(d, USB_DT_DEVICE, 0, 0, buf, 8);
	if (n < 8) {
		snprintf(why, sizeof(why), "device descriptor read/8: %s (%d)",
			 n < 0 ? usb_errno_text(-n) : "short", n);
		return disable(d, why);
	}
	addr = pick_address(d->hc);
	if (!addr)
		return disable(d, "no free address on the bus");
	if ((n = usb_dev_control(d, USB_ENDPOINT_OUT, USB_REQ_SET_ADDRESS, addr, 0, NULL, 0,
				 ENUM_TIMEOUT_MS)) < 0) {
		snprintf(why, sizeof(why), "set address: %s (%d)", usb_errno_text(-n), n);
		return disable(d, why);
	}
	d->addr = addr;
	n = get_desc(d, USB_DT_DEVICE, 0, 0, buf, sizeof(buf));
	if (n < 0) {
		snprintf(why, sizeof(why), "device descriptor read/18: %s (%d)", usb_errno_text(-n), n);
		return disable(d, why);
	}
	if (usb_desc_parse_device(buf, n, &d->desc, why, sizeof(why)))
		return disable(d, why);
	if (read_configs(d))
		return;
	/* Strings are optional: a device without them is still usable. */
	n = get_desc(d, USB_DT_STRING, 0, 0, lang, sizeof(lang));
	if (n >= 4 && lang[1] == USB_DT_STRING && lang[0] >= 4)
		d->langid = lang[2] | lang[3] << 8;
	read_string(d, d->desc.iManufacturer, d->manufacturer, sizeof(d->manufacturer));
	read_string(d, d->desc.iProduct, d->product, sizeof(d->product));
	read_string(d, d->desc.iSerialNumber, d->serialstr, sizeof(d->serialstr));
	n = usb_dev_set_config(d, d->config[0].bConfigurationValue);
	if (n < 0) {
		snprintf(why, sizeof(why), "set configuration %u: %s (%d)",
			 d->config[0].bConfigurationValue, usb_errno_text(-n), n);
		return disable(d, why);
	}
	d->state = USB_DEV_CONFIGURED;
}

struct usb_dev *
usb_port_connect(struct usb_hc *hc, int port, u8 speed, void *hcpriv)
{
	struct usb_dev *d = heap_zalloc(sizeof(*d));

	if (!d)
		return NULL;
	d->hc = hc;
	d->port = port;
	d->speed = speed;
	d->hcpriv = hcpriv;
	d->serial = next_serial++;
	d->state = USB_DEV_NEW;
	snprintf(d->id, sizeof(d->id), "%d-%d", hc->busnum, port);
	d->next = devs;
	devs = d;
	enumerate(d);
	return d;
}

void
usb_port_disconnect(struct usb_hc *hc, int port)
{
	for (struct usb_dev *d = devs; d; d = d->next) {
		if (d->hc != hc || d->port != port || d->state == USB_DEV_GONE)
			continue;
		d->state = USB_DEV_GONE;
		while (d->pending)
			usb_urb_cancel(d->pending, -ENODEV);
		if (d->refs == 0)
			dev_free(d);
		return;
	}
}

int
usb_dev_reset(struct usb_dev *d)
{
	int err;

	if (!dev_reachable(d))
		return -ENODEV;
	if (!d->hc->ops->port_reset)
		return -ENOSYS;
	while (d->pending)
		usb_urb_cancel(d->pending, -ECANCELED);
	err = d->hc->ops->port_reset(d->hc, d);
	if (err < 0)
		return err;
	err = usb_dev_control(d, USB_ENDPOINT_OUT, USB_REQ_SET_ADDRESS, d->addr, 0, NULL, 0,
			      ENUM_TIMEOUT_MS);
	if (err < 0)
		return err;
	if (d->cur_config)
		return usb_dev_set_config(d, d->cur_config);
	return 0;
}
