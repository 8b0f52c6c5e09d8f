/* A reader thread blocked in a libusb-0.1 interrupt read while the calling
 * thread writes what it will read: the read's wait goes through the
 * scheduler, so the writer runs (single-threaded, the read could only time
 * out).  Run against the echo device (usb/echo.c: IN 0x81 returns what was
 * written to OUT 0x01); built like a vendor object. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <usb.h>

static usb_dev_handle *h;
static char got[64];
static int got_n;
static long read_ms;

static long
ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void *
reader(void *arg)
{
	long t0 = ms();

	got_n = usb_interrupt_read(h, 0x81, got, sizeof(got), 3000);
	read_ms = ms() - t0;
	return NULL;
}

int usb_thread_test(void);
int
usb_thread_test(void)
{
	struct usb_device *echo = NULL;
	pthread_t t;

	usb_init();
	usb_find_busses();
	usb_find_devices();
	for (struct usb_bus *b = usb_busses; b; b = b->next)
		for (struct usb_device *d = b->devices; d; d = d->next)
			if (d->descriptor.idVendor == 0xf055 && d->descriptor.idProduct == 0xe0c0)
				echo = d;
	if (!echo || !(h = usb_open(echo))) {
		printf("no echo device\n");
		return -1;
	}
	usb_claim_interface(h, 0);
	pthread_create(&t, NULL, reader, NULL);
	usleep(100000);		/* the reader is waiting in its transfer now */
	printf("write %d\n", usb_interrupt_write(h, 0x01, "ping", 4, 1000));
	pthread_join(t, NULL);
	printf("reader got %d \"%.*s\" after the write, before its timeout: %s\n", got_n,
	       got_n > 0 ? got_n : 0, got, read_ms >= 90 && read_ms < 3000 ? "yes" : "no");
	usb_release_interface(h, 0);
	usb_close(h);
	return 0;
}
