/* The dongle as a USB device: descriptors parsed field by field against the
 * USB 2.0 / HID 1.11 layouts, standard and class requests, stalls, the
 * interrupt endpoints and reset. */
#include <stdio.h>
#include "tap.h"
#include "unit/dongle_harness.h"
#include <core/errno.h>

static struct th T;
static struct usb_model *M;
static bool pending_at_persist, persist_seen;

static int
ctl(u8 type, u8 req, u16 value, u16 index, u16 length, u8 *data)
{
	struct usb_setup s = { type, req, value, index, length };

	return M->ops->control(M, &s, data);
}

static int
persist_probe(void *ctx, const u8 *image, size_t len)
{
	persist_seen = true;
	pending_at_persist = T.d.resp_pending;
	return 0;
}

static void
setup(void)
{
	struct dongle_state st;
	struct dongle_env env = { .persist = persist_probe };

	dongle_state_factory(&st, "USB-7");
	dongle_init(&T.d, &st, &env);
	M = &T.d.model;
}

static void
test_device_descriptor(void)
{
	u8 d[256];
	int n = ctl(0x80, 6, 0x0100, 0, 255, d);

	TAP_CHECK(n == 18 && d[0] == 18 && d[1] == 1, "device descriptor: 18 bytes, type 1");
	TAP_CHECK(d[2] == 0x10 && d[3] == 0x01, "bcdUSB 1.10");
	TAP_CHECK(d[4] == 0 && d[7] == 64, "class in the interface, EP0 max packet 64");
	TAP_CHECK((d[8] | d[9] << 8) == 0x1209 && (d[10] | d[11] << 8) == 0x000D, "VID:PID 1209:000d");
	TAP_CHECK(d[14] == 1 && d[15] == 2 && d[16] == 3 && d[17] == 1, "strings 1,2,3 and one configuration");
	TAP_CHECK(ctl(0x80, 6, 0x0100, 0, 8, d) == 8, "wLength 8 returns the first 8 bytes");
	TAP_CHECK(M->speed == USB_MODEL_SPEED_FULL, "full speed");
}

static void
test_config_descriptor(void)
{
	u8 d[256], *p, *end;
	int n = ctl(0x80, 6, 0x0200, 0, 255, d), eps = 0, ok_eps = 0;
	u16 hid_report_len = 0;

	TAP_CHECK(n == 41 && (d[2] | d[3] << 8) == 41, "configuration set: 41 bytes, wTotalLength 41");
	TAP_CHECK(d[4] == 1 && d[5] == 1 && d[7] == 0x80 && d[8] == 50, "1 interface, value 1, bus powered, 100 mA");
	/* walk the descriptors by their bLength, as a host does */
	for (p = d + d[0], end = d + n; p < end && p[0] >= 2; p += p[0]) {
		if (p[1] == 4)
			TAP_CHECK(p[2] == 0 && p[3] == 0 && p[4] == 2 && p[5] == 3 && p[6] == 0 && p[7] == 0,
				  "interface 0: 2 endpoints, class HID, no boot protocol");
		if (p[1] == 0x21) {
			hid_report_len = (u16)(p[7] | p[8] << 8);
			TAP_CHECK(p[0] == 9 && p[2] == 0x11 && p[3] == 0x01 && p[5] == 1 && p[6] == 0x22,
				  "HID descriptor 1.11 naming one report descriptor");
		}
		if (p[1] == 5) {
			eps++;
			ok_eps += (p[2] == 0x81 || p[2] == 0x01) && p[3] == 3 &&
				  (p[4] | p[5] << 8) == 64 && p[6] == 1;
		}
	}
	TAP_CHECK(p == end, "the descriptors tile the set exactly");
	TAP_CHECK(eps == 2 && ok_eps == 2, "endpoints 0x81 and 0x01: interrupt, 64 bytes, 1 ms");
	n = ctl(0x81, 6, 0x2200, 0, 255, d);
	TAP_CHECK(n == hid_report_len && n == 25, "report descriptor is as long as the HID descriptor says (%d)", n);
	TAP_CHECK(d[0] == 0x06 && d[1] == 0x00 && d[2] == 0xFF && d[n - 1] == 0xC0,
		  "vendor usage page 0xFF00, collection closed");
	TAP_CHECK(ctl(0x81, 6, 0x2100, 0, 255, d) == 9 && d[1] == 0x21, "HID descriptor by itself");
	TAP_CHECK(ctl(0x81, 6, 0x2200, 1, 255, d) == -EPIPE, "interface 1 stalls");
	TAP_CHECK(ctl(0x80, 6, 0x0201, 0, 255, d) == -EPIPE, "configuration index 1 stalls");
}

static void
test_strings(void)
{
	u8 d[256];
	char s[64];
	const char *want[] = { NULL, "blobvisor", "BV Smart Dongle", "USB-7" };

	TAP_CHECK(ctl(0x80, 6, 0x0300, 0, 255, d) == 4 && d[2] == 0x09 && d[3] == 0x04, "LANGID 0x0409");
	for (int i = 1; i <= 3; i++) {
		int n = ctl(0x80, 6, (u16)(0x0300 | i), 0x0409, 255, d), k;

		for (k = 0; 2 + 2 * k < n; k++)
			s[k] = (char)d[2 + 2 * k];
		s[k] = 0;
		TAP_CHECK(n == d[0] && d[1] == 3 && strcmp(s, want[i]) == 0, "string %d is \"%s\" in UTF-16LE", i, s);
	}
	TAP_CHECK(ctl(0x80, 6, 0x0304, 0x0409, 255, d) == -EPIPE, "string 4 stalls");
	TAP_CHECK(ctl(0x80, 6, 0x0700, 0, 255, d) == -EPIPE, "descriptor type 7 stalls");
}

static void
test_standard_requests(void)
{
	u8 d[64];

	TAP_CHECK(ctl(0x00, 5, 12, 0, 0, d) == 0 && T.d.usb.address == 12, "SET_ADDRESS 12");
	TAP_CHECK(ctl(0x00, 5, 128, 0, 0, d) == -EPIPE, "SET_ADDRESS 128 stalls");
	TAP_CHECK(ctl(0x80, 8, 0, 0, 1, d) == 1 && d[0] == 0, "GET_CONFIGURATION 0 before configuring");
	TAP_CHECK(M->ops->data_out(M, 1, d, 64) == -EPIPE, "interrupt OUT before SET_CONFIGURATION stalls");
	TAP_CHECK(ctl(0x81, 10, 0, 0, 1, d) == -EPIPE, "GET_INTERFACE unconfigured stalls");
	TAP_CHECK(ctl(0x00, 9, 2, 0, 0, d) == -EPIPE, "SET_CONFIGURATION 2 stalls");
	TAP_CHECK(ctl(0x00, 9, 1, 0, 0, d) == 0, "SET_CONFIGURATION 1");
	TAP_CHECK(ctl(0x80, 8, 0, 0, 1, d) == 1 && d[0] == 1, "GET_CONFIGURATION 1");
	TAP_CHECK(ctl(0x81, 10, 0, 0, 1, d) == 1 && d[0] == 0, "GET_INTERFACE 0");
	TAP_CHECK(ctl(0x01, 11, 0, 0, 0, d) == 0 && ctl(0x01, 11, 1, 0, 0, d) == -EPIPE,
		  "SET_INTERFACE alt 0 works, alt 1 stalls");
	TAP_CHECK(ctl(0x80, 0, 0, 0, 2, d) == 2 && d[0] == 0, "GET_STATUS device: bus powered");
	TAP_CHECK(ctl(0x02, 3, 0, 0x81, 0, d) == 0 && ctl(0x82, 0, 0, 0x81, 2, d) == 2 && d[0] == 1,
		  "SET_FEATURE halt on 0x81 shows in GET_STATUS");
	TAP_CHECK(M->ops->data_in(M, 1, d, 64) == -EPIPE, "a halted IN endpoint stalls");
	TAP_CHECK(ctl(0x02, 1, 0, 0x81, 0, d) == 0 && ctl(0x82, 0, 0, 0x81, 2, d) == 2 && d[0] == 0,
		  "CLEAR_FEATURE halt clears it");
	TAP_CHECK(ctl(0x02, 1, 0, 0x82, 0, d) == -EPIPE, "CLEAR_FEATURE on endpoint 0x82 stalls");
	TAP_CHECK(ctl(0x80, 0x33, 0, 0, 0, d) == -EPIPE, "unknown standard request stalls");
	TAP_CHECK(ctl(0xC0, 1, 0, 0, 8, d) == -EPIPE, "vendor requests stall");
}

static void
test_interrupt_round_trip(void)
{
	u8 req[64], resp[64];

	TAP_CHECK(M->ops->data_in(M, 1, resp, 64) == -EAGAIN, "IN with nothing queued NAKs");
	dongle_frame(req, DONGLE_MAGIC_REQ, 0, DCMD_GET_INFO, 0, NULL, 0);
	TAP_CHECK(M->ops->data_out(M, 2, req, 64) == -EPIPE, "OUT to endpoint 2 stalls");
	TAP_CHECK(M->ops->data_out(M, 1, req, 64) == 64, "interrupt OUT takes a request");
	TAP_CHECK(M->ops->data_in(M, 1, resp, 64) == 64 && dongle_frame_check_response(resp) == 0 &&
		  resp[3] == DST_OK && memcmp(resp + 8 + 16, "USB-7", 5) == 0, "interrupt IN returns GET_INFO");
	TAP_CHECK(M->ops->data_in(M, 1, resp, 64) == -EAGAIN, "exactly one response per request");

	/* persistence happens before the response exists */
	dongle_frame(req, DONGLE_MAGIC_REQ, 1, DCMD_OPEN, 0, "\1\5wrong", 7);
	M->ops->data_out(M, 1, req, 64);
	TAP_CHECK(persist_seen && !pending_at_persist, "persist ran while no response was queued yet");
	M->ops->data_in(M, 1, resp, 64);
	TAP_CHECK(resp[3] == DST_E_PIN, "then the response (E_PIN) was queued");

	/* HID class path */
	dongle_frame(req, DONGLE_MAGIC_REQ, 2, DCMD_SYNC, 0, NULL, 0);
	TAP_CHECK(ctl(0x21, 9, 0x0200, 0, 64, req) == 0, "SET_REPORT(output) takes a request");
	memset(resp, 0xEE, 64);
	TAP_CHECK(ctl(0xA1, 1, 0x0100, 0, 64, resp) == 64 && resp[0] == DONGLE_MAGIC_RESP && resp[2] == DCMD_SYNC,
		  "GET_REPORT(input) returns its response");
	TAP_CHECK(ctl(0xA1, 1, 0x0100, 0, 64, resp) == 64 && resp[0] == 0, "a second GET_REPORT gets zeros");
	TAP_CHECK(ctl(0xA1, 1, 0x0300, 0, 64, resp) == -EPIPE, "GET_REPORT(feature) stalls");
	TAP_CHECK(ctl(0x21, 10, 0x0400, 0, 0, resp) == 0 && ctl(0xA1, 2, 0, 0, 1, resp) == 1 && resp[0] == 4,
		  "SET_IDLE 4 then GET_IDLE 4");
	TAP_CHECK(ctl(0x21, 11, 0, 0, 0, resp) == -EPIPE, "SET_PROTOCOL stalls (no boot protocol)");
	TAP_CHECK(M->ops->data_out(M, 1, req, 10) == 10 && M->ops->data_in(M, 1, resp, 64) == 64 &&
		  resp[3] == DST_E_LENGTH, "a 10-byte OUT report gets E_LENGTH");
}

static void
test_reset(void)
{
	u8 req[64], resp[64];

	dongle_frame(req, DONGLE_MAGIC_REQ, 3, DCMD_OPEN, 0, "\1\0101234567" "8", 10);
	M->ops->data_out(M, 1, req, 64);
	M->ops->data_in(M, 1, resp, 64);
	TAP_CHECK(resp[3] == DST_OK && T.d.session == DROLE_USER, "a user session is open");
	M->ops->data_out(M, 1, req, 64);	/* queue a response, never read */
	M->ops->reset(M);
	TAP_CHECK(T.d.usb.config == 0 && T.d.usb.address == 0 && T.d.session == DROLE_NONE && !T.d.resp_pending,
		  "reset: unconfigured, address 0, no session, nothing queued");
	ctl(0x00, 9, 1, 0, 0, req);
	dongle_frame(req, DONGLE_MAGIC_REQ, 0, DCMD_GET_INFO, 0, NULL, 0);
	M->ops->data_out(M, 1, req, 64);
	M->ops->data_in(M, 1, resp, 64);
	TAP_CHECK(resp[3] == DST_OK, "and expects sequence number 0 again");
	TAP_CHECK(T.d.st.user_tries == 5, "the persistent state survived");
}

int
main(void)
{
	setup();
	test_device_descriptor();
	test_config_descriptor();
	test_strings();
	test_standard_requests();
	test_interrupt_round_trip();
	test_reset();
	return tap_done();
}
