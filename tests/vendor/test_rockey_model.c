/* The vendor SDK archive (build/vendor/libdongle.a, as shipped) and the
 * sample cases, against the device model through a stand-in libusb:
 * every case passes, a second run prints exactly the same and leaves the
 * same state (only the licence counter grows), lost responses are
 * retransmitted without executing twice, and the SDK's date formatting
 * agrees with glibc's gmtime. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tap.h"
#include "rockey.h"
#include "vendor/fake_libusb.h"

void dic_format_time(unsigned int t, char *out);	/* inside the archive */

static char outbuf[65536];
static size_t outlen;
static u8 image[DONGLE_STATE_SIZE];

static int
capture(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(outbuf + outlen, sizeof(outbuf) - outlen, fmt, ap);
	va_end(ap);
	if (n > 0)
		outlen += (size_t)n;
	return n;
}

static int
persist(void *ctx, const u8 *img, size_t len)
{
	memcpy(image, img, len);
	return 0;
}

static const struct dic_api api = DIC_API_DIRECT(capture);

static int
run_all(char *copy, size_t cap, bool tap)
{
	int passed = 0;

	outlen = 0;
	for (int n = 1; n <= ROCKEY_CASES; n++) {
		size_t start = outlen;
		int r = rockey_run_case(&api, n);

		passed += r == 0;
		if (tap)
			TAP_CHECK(r == 0, "rockey_testcase%d (%s) passes in-process", n, rockey_case_name(n));
		if (r != 0)
			printf("%s", outbuf + start);
	}
	snprintf(copy, cap, "%s", outbuf);
	return passed;
}

static void
state_now(struct dongle_state *st)
{
	*st = fake_dongle.st;
}

int
main(void)
{
	struct dongle_state st0, st1, st2;
	struct dongle_env env = { .persist = persist };
	static char first[65536], second[65536];
	DIC_HANDLE h;
	unsigned int v0, v1;

	dongle_state_factory(&st0, NULL);
	dongle_init(&fake_dongle, &st0, &env);

	run_all(first, sizeof(first), true);
	state_now(&st1);
	run_all(second, sizeof(second), false);
	state_now(&st2);
	if (getenv("ROCKEY_SHOW"))
		fputs(first, stdout);
	TAP_CHECK(strcmp(first, second) == 0, "a second run prints exactly the same (%zu bytes)", strlen(first));
	TAP_CHECK(strstr(first, "=== rockey_testcase5 ===\nDIC_Open: success\nDIC_GetHardwareInfo: success\n"
			 "FactoryTime: 2025-01-01 00:00:00\nHardSerial:  BV0000000001\n"
			 "ShipTime:    2025-06-01 00:00:00\nCOSVersion:  2.3\n") != NULL,
		  "case 5 prints FactoryTime, HardSerial, ShipTime, COSVersion");
	TAP_CHECK(st1.counter == st0.counter + 1 && st2.counter == st1.counter + 1,
		  "each run grows the licence counter by one");
	st0.counter = st1.counter = st2.counter;
	TAP_CHECK(memcmp(&st0, &st1, sizeof(st0)) == 0 && memcmp(&st1, &st2, sizeof(st1)) == 0,
		  "otherwise the cases leave the dongle exactly as they found it");
	TAP_CHECK(strstr(first, "right PIN while locked: device: PIN locked") != NULL &&
		  strstr(first, "tries left: 0") != NULL, "the lockout case saw the lock");

	/* a response lost on the wire: the SDK repeats the request, the
	 * dongle answers from its cache, the increment happens once */
	TAP_CHECK(DIC_Find() == 1 && DIC_Open(0, &h) == DIC_SUCCESS, "DIC_Find/DIC_Open directly");
	DIC_Set(h, DIC_SET_TIMEOUT, "50");
	DIC_Login(h, DIC_ROLE_USER, "12345678", NULL);
	DIC_CounterGet(h, &v0, NULL);
	fake_drop_in = 1;
	int w0 = fake_writes;
	TAP_CHECK(DIC_CounterInc(h, 1, &v1) == DIC_SUCCESS && fake_writes == w0 + 2,
		  "a lost response is retransmitted (2 OUT reports)");
	TAP_CHECK(v1 == v0 + 1 && fake_dongle.st.counter == v0 + 1, "and the counter grew once (%u -> %u)", v0, v1);
	fake_drop_in = 10;
	TAP_CHECK(DIC_CounterGet(h, &v0, NULL) == DIC_ERR_TIMEOUT, "a dongle that never answers gives DIC_ERR_TIMEOUT");
	fake_drop_in = 0;
	/* a replugged dongle expects sequence 0 again: the SDK resynchronises */
	fake_dongle.model.ops->reset(&fake_dongle.model);
	struct usb_setup cfg = { 0x00, 9, 1, 0, 0 };
	fake_dongle.model.ops->control(&fake_dongle.model, &cfg, NULL);
	DIC_HWINFO info;
	TAP_CHECK(DIC_GetHardwareInfo(h, &info) == DIC_SUCCESS, "after a device reset the SDK resynchronises");
	TAP_CHECK(DIC_Set(h, DIC_SET_TIMEOUT, "5") == DIC_ERR_PARAM, "DIC_Set rejects a 5 ms timeout");
	TAP_CHECK(DIC_Set(h, 99, "1") == DIC_ERR_PARAM, "DIC_Set rejects an unknown item");
	TAP_CHECK(DIC_Command(h, 0x77, NULL, 0, NULL, NULL) == DIC_ERR_DEVICE_BASE - 5,
		  "an unknown raw command comes back as device status E_CMD");
	TAP_CHECK(DIC_Command(h, 1, "x", 53, NULL, NULL) == DIC_ERR_PARAM, "a 53-byte payload is refused by the SDK");
	TAP_CHECK(DIC_Close(h) == DIC_SUCCESS && DIC_Close(h) == DIC_ERR_HANDLE, "close, and close again fails");

	/* the SDK's date formatting against glibc */
	int good = 0, total = 0;
	for (unsigned long long t = 0; t < 0x100000000ull; t += 7777777ull + (t % 86400)) {
		char ours[32], ref[32];
		time_t tt = (time_t)t;
		struct tm tm;

		gmtime_r(&tt, &tm);
		strftime(ref, sizeof(ref), "%Y-%m-%d %H:%M:%S", &tm);
		dic_format_time((unsigned int)t, ours);
		total++;
		good += strcmp(ours, ref) == 0;
	}
	TAP_CHECK(good == total, "dic_format_time agrees with gmtime on %d/%d times up to 2106", good, total);
	return tap_done();
}
