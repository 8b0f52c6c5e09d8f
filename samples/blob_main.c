/* The sample cases' entry points when they run inside blobvisor: built like
 * integration code a user would write (gcc -fPIC, glibc's headers) and
 * loaded with the vendor archive into one namespace, so DIC_* resolve to the
 * vendor blob's own functions (hooks and traces see every call) and the
 * cases print through blobvisor's printf.  The shell's `rockey' calls these
 * with blob_call. */
#include <stdio.h>
#include <time.h>
#include "rockey.h"

static const struct dic_api api = DIC_API_DIRECT(printf);

int rockey_case(int n);
int rockey_ncases(void);

int
rockey_case(int n)
{
	int rc = rockey_run_case(&api, n);

	fflush(stdout);
	return rc;
}

int
rockey_ncases(void)
{
	return ROCKEY_CASES;
}

/* For `rockey bench N': the mean DIC_Command(GET_INFO) round trip in
 * nanoseconds over n calls (blob -> libusb -> USB -> the dongle and back),
 * or a negative DIC error. */
long rockey_bench(int n);

long
rockey_bench(int n)
{
	DIC_HANDLE h;
	unsigned char out[64];
	struct timespec t0, t1;
	int rc, outlen;

	if (n < 1 || DIC_Find() < 1)
		return -1;
	rc = DIC_Open(0, &h);
	if (rc)
		return rc < 0 ? rc : -rc;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		outlen = sizeof(out);
		rc = DIC_Command(h, DIC_CMD_GET_INFO, NULL, 0, out, &outlen);
		if (rc)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	DIC_Close(h);
	if (rc)
		return rc < 0 ? rc : -rc;
	return ((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec)) / n;
}
