/* Times are CPU time of this process (CLOCK_PROCESS_CPUTIME_ID): the build
 * machine is shared, and wall time would mostly measure the neighbours.
 * The dongle in-process: one GET_INFO / HMAC request through the model
 * (dongle_process), and DIC_Command through the shipped SDK archive with a
 * stand-in libusb that calls the model directly (tests/vendor/fake_libusb.c).
 * The blobvisor path (blob -> our libusb -> usb core) is measured elsewhere. */
#include <stdio.h>
#include <time.h>
#include "dic.h"
#include "vendor/fake_libusb.h"
#include "bench.h"

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int
main(void)
{
	struct dongle_state st;
	u8 req[DONGLE_REPORT], resp[DONGLE_REPORT];
	u8 msg[2 + 32] = { 0, 32 };
	unsigned char out[64];
	DIC_HANDLE h;
	const int n = bench_quick() ? 100 : 200000;
	double t0, t1;
	int len;

	dongle_state_factory(&st, NULL);
	dongle_init(&fake_dongle, &st, NULL);

	t0 = now_ns();
	for (int i = 0; i < n; i++) {
		dongle_frame(req, DONGLE_MAGIC_REQ, (u8)i, DCMD_GET_INFO, 0, NULL, 0);
		dongle_process(&fake_dongle, req, sizeof(req), resp);
	}
	t1 = now_ns();
	printf("dongle model: GET_INFO request->response      %7.3f us\n", (t1 - t0) / 1e3 / n);

	if (DIC_Find() != 1 || DIC_Open(0, &h) != DIC_SUCCESS ||
	    DIC_Login(h, DIC_ROLE_USER, "12345678", NULL) != DIC_SUCCESS) {
		fprintf(stderr, "bench/dongle: cannot open the in-process dongle\n");
		return 1;
	}
	t0 = now_ns();
	for (int i = 0; i < n; i++) {
		len = sizeof(out);
		if (DIC_Command(h, DIC_CMD_GET_INFO, NULL, 0, out, &len) != DIC_SUCCESS)
			return 1;
	}
	t1 = now_ns();
	printf("SDK DIC_Command GET_INFO, in-process model     %7.3f us\n", (t1 - t0) / 1e3 / n);
	t0 = now_ns();
	for (int i = 0; i < n / 4; i++) {
		len = sizeof(out);
		if (DIC_Command(h, DIC_CMD_HMAC, msg, sizeof(msg), out, &len) != DIC_SUCCESS)
			return 1;
	}
	t1 = now_ns();
	printf("SDK DIC_Command HMAC(32 bytes), in-process     %7.3f us\n", (t1 - t0) / 1e3 / (n / 4));
	DIC_Close(h);
	return 0;
}
