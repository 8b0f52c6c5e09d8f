/*
 * echo01: interrupt transfers through Debian's real libusb-0.1 to the
 * loopback-server device (1209:0001): claim interface 0, write N reports to
 * endpoint 0x02 and read each back from 0x81, compare.  Exit 0 when all came
 * back intact.  Timeouts are 5 s: a loaded host can stall TCG for a second.
 * A report that comes back twice (loopback-server resends its last report when
 * QEMU stops polling, see loopback-server.c), even one from an earlier run, is
 * skipped by its run (pid) and sequence number;
 * how many were skipped goes to stderr, so stdout is the same every run.
 * Must-fail cases: a read with nothing queued times out, and an endpoint the
 * device lacks is refused.
 * Usage: echo01 [N [MS]]  N reports (default 16), MS milliseconds between
 * each write and its read (default 0; 100 makes QEMU stop polling).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <usb.h>

static struct usb_device *
find_device(unsigned vid, unsigned pid)
{
	struct usb_bus *bus;
	struct usb_device *dev;

	for (bus = usb_busses; bus != NULL; bus = bus->next)
		for (dev = bus->devices; dev != NULL; dev = dev->next)
			if (dev->descriptor.idVendor == vid && dev->descriptor.idProduct == pid)
				return dev;
	return NULL;
}

int
main(int argc, char **argv)
{
	int run = getpid(), their_run;
	int n = argc > 1 ? atoi(argv[1]) : 16, ms = argc > 2 ? atoi(argv[2]) : 0, i, r, good = 0, seq, stale = 0, tries;
	char out[64], in[64];
	struct usb_device *dev;
	struct timeval t0, t1;
	usb_dev_handle *h;
	double us;

	usb_init();
	usb_find_busses();
	usb_find_devices();
	dev = find_device(0x1209, 0x0001);
	if (dev == NULL) {
		printf("echo01: 1209:0001 not found\n");
		return 1;
	}
	h = usb_open(dev);
	if (h == NULL || usb_claim_interface(h, 0) != 0) {
		printf("echo01: open/claim: %s\n", usb_strerror());
		return 1;
	}
	printf("echo01: %s/%s claimed\n", dev->bus->dirname, dev->filename);
	gettimeofday(&t0, NULL);
	for (i = 0; i < n; i++) {
		memset(out, 0, sizeof(out));
		snprintf(out, sizeof(out), "run %d report %d of %d", run, i + 1, n);
		r = usb_interrupt_write(h, 0x02, out, sizeof(out), 5000);
		if (r != sizeof(out)) {
			printf("echo01: write %d: %d (%s)\n", i + 1, r, usb_strerror());
			continue;
		}
		if (ms > 0)
			usleep(ms * 1000);
		for (tries = 0; tries < 4; tries++) {
			memset(in, 0xaa, sizeof(in));
			r = usb_interrupt_read(h, 0x81, in, sizeof(in), 5000);
			if (r == sizeof(in) && memcmp(in, out, sizeof(in)) != 0 &&
			    sscanf(in, "run %d report %d of", &their_run, &seq) == 2 &&
			    (their_run != run || seq <= i)) {
				stale++;	/* an earlier report, sent again */
				continue;
			}
			break;
		}
		if (r != sizeof(in) || memcmp(in, out, sizeof(in)) != 0)
			printf("echo01: read %d: %d (%s)\n", i + 1, r, r < 0 ? usb_strerror() : "data differs");
		else
			good++;
	}
	gettimeofday(&t1, NULL);
	us = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_usec - t0.tv_usec);
	printf("echo01: %d/%d reports echoed\n", good, n);
	fprintf(stderr, "echo01: %.0f us per OUT+IN, %d duplicate reports skipped\n",
		n ? us / n : 0.0, stale);
	/* must fail: nothing new queued, so the read times out (after any
	 * resent old report) */
	for (tries = 0; tries < 4; tries++) {
		r = usb_interrupt_read(h, 0x81, in, sizeof(in), 100);
		if (r == sizeof(in) && sscanf(in, "run %d report %d of", &their_run, &seq) == 2)
			continue;	/* an old report, sent again */
		break;
	}
	printf("echo01: read with nothing queued: %s\n", r < 0 ? "error (ok)" : "data (wrong)");
	/* must fail: the device has no endpoint 0x05 */
	r = usb_interrupt_write(h, 0x05, out, sizeof(out), 100);
	printf("echo01: write to a missing endpoint: %s\n", r < 0 ? "error (ok)" : "accepted (wrong)");
	usb_release_interface(h, 0);
	usb_close(h);
	return good == n ? 0 : 1;
}
