/* BV Smart Dongle SDK - USB transport over libusb 0.1. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <usb.h>
#include "dic_int.h"

struct dic_link {
	struct usb_device *dev;
	usb_dev_handle *uh;
	char path[32];
};

static struct usb_device *found[DIC_MAX_DEVICES];
static char found_path[DIC_MAX_DEVICES][32];
static int nfound;
static int usb_ready;
static struct dic_link links[DIC_MAX_DEVICES];
static pthread_mutex_t scan_lock = PTHREAD_MUTEX_INITIALIZER;

/* Walk the busses the way libusb publishes them and keep every dongle,
 * ordered by bus and device number so indexes are stable. */
int
dic_link_scan(void)
{
	struct usb_bus *bus;
	struct usb_device *dev;
	char path[32];
	int i, j;

	pthread_mutex_lock(&scan_lock);
	if (!usb_ready) {
		usb_init();
		usb_ready = 1;
	}
	usb_find_busses();
	usb_find_devices();
	nfound = 0;
	for (bus = usb_busses; bus; bus = bus->next) {
		for (dev = bus->devices; dev; dev = dev->next) {
			if (dev->descriptor.idVendor != DIC_VID ||
			    dev->descriptor.idProduct != DIC_PID)
				continue;
			if (nfound == DIC_MAX_DEVICES)
				break;
			sprintf(path, "%03d/%03d", dic_parse_int(bus->dirname),
				dic_parse_int(dev->filename));
			for (i = nfound; i > 0 && strcmp(found_path[i - 1], path) > 0; i--) {
				found[i] = found[i - 1];
				strcpy(found_path[i], found_path[i - 1]);
			}
			found[i] = dev;
			strcpy(found_path[i], path);
			nfound++;
		}
	}
	j = nfound;
	pthread_mutex_unlock(&scan_lock);
	return j;
}

int
dic_link_open(int index, struct dic_link **out)
{
	int i, r = DIC_ERR_NOT_FOUND;

	*out = NULL;
	pthread_mutex_lock(&scan_lock);
	if (index < 0 || index >= nfound)
		goto out;
	r = DIC_ERR_USB;
	for (i = 0; i < DIC_MAX_DEVICES; i++)
		if (!links[i].uh)
			break;
	if (i == DIC_MAX_DEVICES)
		goto out;
	links[i].uh = usb_open(found[index]);
	if (!links[i].uh)
		goto out;
#ifdef LIBUSB_HAS_DETACH_KERNEL_DRIVER_NP
	usb_detach_kernel_driver_np(links[i].uh, 0);	/* usbhid, if bound */
#endif
	if (usb_claim_interface(links[i].uh, 0) < 0) {
		usb_close(links[i].uh);
		links[i].uh = NULL;
		goto out;
	}
	links[i].dev = found[index];
	strcpy(links[i].path, found_path[index]);
	*out = &links[i];
	r = DIC_SUCCESS;
out:
	pthread_mutex_unlock(&scan_lock);
	return r;
}

void
dic_link_close(struct dic_link *l)
{
	pthread_mutex_lock(&scan_lock);
	if (l->uh) {
		usb_release_interface(l->uh, 0);
		usb_close(l->uh);
	}
	l->uh = NULL;
	l->dev = NULL;
	pthread_mutex_unlock(&scan_lock);
}

/* Send req, wait for its answer.  On a timeout the same request is sent
 * again: the dongle answers a repeated request from its cache. */
int
dic_link_xfer(struct dic_link *l, const unsigned char *req, unsigned char *resp,
	      int timeout_ms, int retries)
{
	int attempt, r, c;
	time_t deadline;

	for (attempt = 0; attempt <= retries; attempt++) {
		r = usb_interrupt_write(l->uh, DIC_EP_OUT, (char *)req, DIC_REPORT, timeout_ms);
		if (r == -ETIMEDOUT)
			continue;
		if (r != DIC_REPORT)
			return DIC_ERR_USB;
		deadline = time(NULL) + timeout_ms / 1000 + 2;
		for (;;) {
			r = usb_interrupt_read(l->uh, DIC_EP_IN, (char *)resp, DIC_REPORT, timeout_ms);
			if (r == -ETIMEDOUT)
				break;
			if (r != DIC_REPORT)
				return r < 0 ? DIC_ERR_USB : DIC_ERR_PROTOCOL;
			c = dic_check_response(resp, req);
			if (c == 0)
				return DIC_SUCCESS;
			if (c < 0)
				return c;
			if (time(NULL) > deadline)	/* only stale answers */
				break;
		}
	}
	return DIC_ERR_TIMEOUT;
}
