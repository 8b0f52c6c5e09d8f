/* A stand-in for libusb-0.1 with the real ABI (Debian's usb.h), whose one
 * dongle is the device model in-process.  Bus 001 carries an unrelated
 * device first, so the SDK must walk usb_busses -> devices -> next. */
#include <errno.h>
#include <string.h>
#include <usb.h>
#undef MIN		/* <sys/param.h>'s, via usb.h; core/types.h has its own */
#undef MAX
#include "fake_libusb.h"

struct usb_bus *usb_busses;
static struct usb_bus bus1, bus2;
static struct usb_device other, dongle_dev;
static int handle_token;

struct dongle fake_dongle;
int fake_drop_in;		/* IN reads to swallow (simulated timeouts) */
int fake_writes, fake_reads;

void
usb_init(void)
{
	memset(&bus1, 0, sizeof(bus1));
	memset(&bus2, 0, sizeof(bus2));
	strcpy(bus1.dirname, "001");
	strcpy(bus2.dirname, "002");
	bus1.next = &bus2;
	bus2.prev = &bus1;
	strcpy(other.filename, "001");
	other.descriptor.idVendor = 0x1d6b;
	other.descriptor.idProduct = 0x0001;
	other.bus = &bus1;
	strcpy(dongle_dev.filename, "003");
	dongle_dev.descriptor.idVendor = DONGLE_VID;
	dongle_dev.descriptor.idProduct = DONGLE_PID;
	dongle_dev.bus = &bus2;
	bus1.devices = &other;
	bus2.devices = &dongle_dev;
	usb_busses = &bus1;
}

int usb_find_busses(void) { return 0; }
int usb_find_devices(void) { return 0; }

usb_dev_handle *
usb_open(struct usb_device *dev)
{
	struct usb_setup cfg = { 0x00, 9, 1, 0, 0 };

	if (dev != &dongle_dev)
		return NULL;
	fake_dongle.model.ops->control(&fake_dongle.model, &cfg, NULL);
	return (usb_dev_handle *)&handle_token;
}

int usb_close(usb_dev_handle *h) { return 0; }
int usb_claim_interface(usb_dev_handle *h, int i) { return i == 0 ? 0 : -EINVAL; }
int usb_release_interface(usb_dev_handle *h, int i) { return 0; }
int usb_detach_kernel_driver_np(usb_dev_handle *h, int i) { return -ENODATA; }

int
usb_interrupt_write(usb_dev_handle *h, int ep, const char *bytes, int size, int timeout)
{
	fake_writes++;
	if (ep != DONGLE_EP_OUT)
		return -EPIPE;
	return fake_dongle.model.ops->data_out(&fake_dongle.model, 1, (u8 *)bytes, (size_t)size);
}

int
usb_interrupt_read(usb_dev_handle *h, int ep, char *bytes, int size, int timeout)
{
	int r;

	fake_reads++;
	if (ep != DONGLE_EP_IN)
		return -EPIPE;
	if (fake_drop_in > 0) {		/* the response is lost on the wire */
		u8 junk[64];

		fake_drop_in--;
		fake_dongle.model.ops->data_in(&fake_dongle.model, 1, junk, sizeof(junk));
		return -ETIMEDOUT;
	}
	r = fake_dongle.model.ops->data_in(&fake_dongle.model, 1, (u8 *)bytes, (size_t)size);
	return r == -EAGAIN ? -ETIMEDOUT : r;
}
