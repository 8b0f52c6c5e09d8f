/* The dongle's DIC_Command(GET_INFO) round trip through Debian's real
 * libusb-1.0, for a Linux guest (bench/rockey.sh runs it in the test guest
 * on QEMU's qemu-xhci or UHCI with usb-redir to dongled):
 *
 *   guest_dic1 N
 *
 * It does on the wire what the vendor SDK's DIC_Command does through
 * libusb-0.1 (vendor/dongle-sdk/api.c, transport.c): one 64-byte request
 * report on the interrupt OUT endpoint, its 64-byte answer from interrupt
 * IN, stale answers (another sequence number) skipped, the same request
 * sent again after a 1 s timeout (twice at most: the dongle answers a
 * repeat from its cache), the sequence number resynchronised once if the
 * dongle says E_SEQ.  Prints the mean, median and fastest of N round trips
 * (after 5 untimed ones) and how many needed a repeat: QEMU's usb-redir
 * drops a report it buffered when it stops interrupt receiving after ~32
 * idle frames (../shared/FACTS.md), which a loaded host makes happen.
 * Linux built, glibc and libusb-1.0's headers: this is a native program,
 * not a blob. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <libusb.h>
#include <dongle/dongle.h>

static libusb_device_handle *h;
static u8 seq;
static int repeats;

static void __attribute__((noreturn))
fail(const char *what, int r)
{
	fprintf(stderr, "guest_dic1: %s: %s\n", what, r < 0 ? libusb_error_name(r) : "bad answer");
	exit(1);
}

/* One request, its answer (stale ones skipped), repeated after a timeout
 * as the SDK does; 0, or a libusb error. */
static int
xfer(const u8 req[DONGLE_REPORT], u8 resp[DONGLE_REPORT])
{
	int r, n;

	for (int attempt = 0; attempt <= 2; attempt++) {
		if (attempt)
			repeats++;
		r = libusb_interrupt_transfer(h, DONGLE_EP_OUT, (u8 *)req, DONGLE_REPORT, &n, 1000);
		if (r == LIBUSB_ERROR_TIMEOUT)
			continue;
		if (r < 0 || n != DONGLE_REPORT)
			fail("interrupt OUT", r);
		for (;;) {
			r = libusb_interrupt_transfer(h, DONGLE_EP_IN, resp, DONGLE_REPORT, &n, 1000);
			if (r == LIBUSB_ERROR_TIMEOUT)
				break;
			if (r < 0 || n != DONGLE_REPORT || dongle_frame_check_response(resp))
				fail("interrupt IN", r);
			if (resp[DONGLE_OFF_SEQ] == req[DONGLE_OFF_SEQ] && resp[DONGLE_OFF_CMD] == req[DONGLE_OFF_CMD])
				return 0;
		}
	}
	return LIBUSB_ERROR_TIMEOUT;
}

/* One GET_INFO; the answer's status byte. */
static int
get_info(u8 resp[DONGLE_REPORT])
{
	u8 req[DONGLE_REPORT];
	int r;

	for (int again = 0; again < 2; again++) {
		dongle_frame(req, DONGLE_MAGIC_REQ, seq, DCMD_GET_INFO, 0, NULL, 0);
		if ((r = xfer(req, resp)) < 0)
			fail("GET_INFO (3 attempts)", r);
		if (resp[DONGLE_OFF_STATUS] != DST_E_SEQ)
			break;
		seq = resp[8];	/* what the dongle expects, as the SDK does */
	}
	seq++;
	return resp[DONGLE_OFF_STATUS];
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int
main(int argc, char **argv)
{
	u8 resp[DONGLE_REPORT];
	int n = argc > 1 ? atoi(argv[1]) : 200, r;
	double sum = 0, *t;

	if (n < 1) {
		fprintf(stderr, "guest_dic1: N must be a positive count, not '%s'\n", argv[1]);
		return 2;
	}
	if ((r = libusb_init(NULL)) < 0)
		fail("libusb_init", r);
	h = libusb_open_device_with_vid_pid(NULL, DONGLE_VID, DONGLE_PID);
	if (!h) {
		fprintf(stderr, "guest_dic1: no %04x:%04x device\n", DONGLE_VID, DONGLE_PID);
		return 1;
	}
	libusb_set_auto_detach_kernel_driver(h, 1);
	if ((r = libusb_claim_interface(h, 0)) < 0)
		fail("claim interface 0", r);
	if (!(t = malloc(n * sizeof(*t))))
		return 1;
	for (int i = 0; i < 5; i++)
		if (get_info(resp) != DST_OK)
			fail("GET_INFO", 0);
	repeats = 0;
	for (int i = 0; i < n; i++) {
		double t0 = now_us();

		if (get_info(resp) != DST_OK)
			fail("GET_INFO", 0);
		t[i] = now_us() - t0;
		sum += t[i];
	}
	qsort(t, n, sizeof(*t), cmp_double);
	printf("guest_dic1: DIC_Command round trip %.0f us (median of %d; mean %.0f us, fastest %.0f us, "
	       "%d repeated after a timeout), HardSerial %.16s\n",
	       t[n / 2], n, sum / n, t[0], repeats, (char *)resp + 24);
	libusb_release_interface(h, 0);
	libusb_close(h);
	libusb_exit(NULL);
	return 0;
}
