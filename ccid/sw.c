/* ISO/IEC 7816-4 section 5.6: what SW1 SW2 mean, for the `card apdu`
 * shell command and the tests.  Shared by the VMM and host tools. */
#include <core/string.h>
#include <ccid/ccid.h>

struct sw_text {
	u16 sw, mask;
	const char *text;
};

/* First match wins: exact values before the SW1-only groups. */
static const struct sw_text table[] = {
	{ 0x9000, 0xFFFF, "normal processing" },
	{ 0x6281, 0xFFFF, "warning: part of returned data may be corrupted" },
	{ 0x6282, 0xFFFF, "warning: end of file reached before reading Le bytes" },
	{ 0x6283, 0xFFFF, "warning: selected file deactivated" },
	{ 0x6284, 0xFFFF, "warning: file control information not formatted" },
	{ 0x6300, 0xFFFF, "warning: verification failed" },
	{ 0x6581, 0xFFFF, "error: memory failure" },
	{ 0x6700, 0xFFFF, "error: wrong length" },
	{ 0x6881, 0xFFFF, "error: logical channel not supported" },
	{ 0x6882, 0xFFFF, "error: secure messaging not supported" },
	{ 0x6981, 0xFFFF, "error: command incompatible with file structure" },
	{ 0x6982, 0xFFFF, "error: security status not satisfied" },
	{ 0x6983, 0xFFFF, "error: authentication method blocked" },
	{ 0x6984, 0xFFFF, "error: reference data not usable" },
	{ 0x6985, 0xFFFF, "error: conditions of use not satisfied" },
	{ 0x6986, 0xFFFF, "error: command not allowed (no current EF)" },
	{ 0x6A80, 0xFFFF, "error: incorrect parameters in the data field" },
	{ 0x6A81, 0xFFFF, "error: function not supported" },
	{ 0x6A82, 0xFFFF, "error: file or application not found" },
	{ 0x6A83, 0xFFFF, "error: record not found" },
	{ 0x6A84, 0xFFFF, "error: not enough memory space in the file" },
	{ 0x6A86, 0xFFFF, "error: incorrect parameters P1-P2" },
	{ 0x6A88, 0xFFFF, "error: referenced data or reference data not found" },
	{ 0x6B00, 0xFFFF, "error: wrong parameters P1-P2 (offset outside the EF)" },
	{ 0x6D00, 0xFFFF, "error: instruction code not supported or invalid" },
	{ 0x6E00, 0xFFFF, "error: class not supported" },
	{ 0x6F00, 0xFFFF, "error: no precise diagnosis" },
	{ 0x6200, 0xFF00, "warning: state of non-volatile memory unchanged" },
	{ 0x6400, 0xFF00, "error: state of non-volatile memory unchanged" },
	{ 0x6500, 0xFF00, "error: state of non-volatile memory changed" },
	{ 0x6800, 0xFF00, "error: functions in CLA not supported" },
	{ 0x6900, 0xFF00, "error: command not allowed" },
	{ 0x6A00, 0xFF00, "error: wrong parameters P1-P2" },
};

const char *
iso7816_sw_text(u16 sw, char *buf, size_t size)
{
	u8 sw1 = (u8)(sw >> 8), sw2 = (u8)sw;

	if (sw1 == 0x61) {
		if (sw2)
			snprintf(buf, size, "normal processing: %u more bytes available (GET RESPONSE)", sw2);
		else
			snprintf(buf, size, "normal processing: 256 or more bytes available (GET RESPONSE)");
		return buf;
	}
	if (sw1 == 0x6C) {
		snprintf(buf, size, "error: wrong Le; %u bytes available (repeat with Le = %02X)",
			 sw2 ? sw2 : 256, sw2);
		return buf;
	}
	if (sw1 == 0x63 && (sw2 & 0xF0) == 0xC0) {
		snprintf(buf, size, "warning: verification failed, %u tries left", sw2 & 0x0F);
		return buf;
	}
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if ((sw & table[i].mask) == table[i].sw) {
			snprintf(buf, size, "%s", table[i].text);
			return buf;
		}
	if (sw1 >= 0x90 && sw1 <= 0x9F)
		snprintf(buf, size, "proprietary (SW1 9x)");
	else
		snprintf(buf, size, "not an ISO 7816-4 status word");
	return buf;
}
