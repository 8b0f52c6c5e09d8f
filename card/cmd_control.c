/* `card features' and `card control': the IFD handler's IFDHControl, as
 * pcscd passes an application's SCardControl to it.  `card features' asks
 * what PC/SC part 10 says an application asks first
 * (CM_IOCTL_GET_FEATURE_REQUEST: tag, length 4, big-endian control code
 * per feature) and then the two property features libccid offers to every
 * reader: FEATURE_GET_TLV_PROPERTIES (tag, length, little-endian value) and
 * FEATURE_IFD_PIN_PROPERTIES (PIN_PROPERTIES_STRUCTURE, 4 bytes). */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/string.h>
#include "card.h"

#define CTL_MAX	512

static const char *const feature_names[] = {
	[FEATURE_VERIFY_PIN_START] = "VERIFY_PIN_START",
	[FEATURE_VERIFY_PIN_FINISH] = "VERIFY_PIN_FINISH",
	[FEATURE_MODIFY_PIN_START] = "MODIFY_PIN_START",
	[FEATURE_MODIFY_PIN_FINISH] = "MODIFY_PIN_FINISH",
	[FEATURE_GET_KEY_PRESSED] = "GET_KEY_PRESSED",
	[FEATURE_VERIFY_PIN_DIRECT] = "VERIFY_PIN_DIRECT",
	[FEATURE_MODIFY_PIN_DIRECT] = "MODIFY_PIN_DIRECT",
	[FEATURE_MCT_READER_DIRECT] = "MCT_READER_DIRECT",
	[FEATURE_MCT_UNIVERSAL] = "MCT_UNIVERSAL",
	[FEATURE_IFD_PIN_PROPERTIES] = "IFD_PIN_PROPERTIES",
	[FEATURE_ABORT] = "ABORT",
	[FEATURE_SET_SPE_MESSAGE] = "SET_SPE_MESSAGE",
	[FEATURE_VERIFY_PIN_DIRECT_APP_ID] = "VERIFY_PIN_DIRECT_APP_ID",
	[FEATURE_MODIFY_PIN_DIRECT_APP_ID] = "MODIFY_PIN_DIRECT_APP_ID",
	[FEATURE_WRITE_DISPLAY] = "WRITE_DISPLAY",
	[FEATURE_GET_KEY] = "GET_KEY",
	[FEATURE_IFD_DISPLAY_PROPERTIES] = "IFD_DISPLAY_PROPERTIES",
	[FEATURE_GET_TLV_PROPERTIES] = "GET_TLV_PROPERTIES",
	[FEATURE_CCID_ESC_COMMAND] = "CCID_ESC_COMMAND",
	[FEATURE_EXECUTE_PACE] = "EXECUTE_PACE",
};

static const char *const property_names[] = {
	[PCSCv2_PART10_PROPERTY_wLcdLayout] = "wLcdLayout",
	[PCSCv2_PART10_PROPERTY_bEntryValidationCondition] = "bEntryValidationCondition",
	[PCSCv2_PART10_PROPERTY_bTimeOut2] = "bTimeOut2",
	[PCSCv2_PART10_PROPERTY_wLcdMaxCharacters] = "wLcdMaxCharacters",
	[PCSCv2_PART10_PROPERTY_wLcdMaxLines] = "wLcdMaxLines",
	[PCSCv2_PART10_PROPERTY_bMinPINSize] = "bMinPINSize",
	[PCSCv2_PART10_PROPERTY_bMaxPINSize] = "bMaxPINSize",
	[PCSCv2_PART10_PROPERTY_sFirmwareID] = "sFirmwareID",
	[PCSCv2_PART10_PROPERTY_bPPDUSupport] = "bPPDUSupport",
	[PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize] = "dwMaxAPDUDataSize",
	[PCSCv2_PART10_PROPERTY_wIdVendor] = "wIdVendor",
	[PCSCv2_PART10_PROPERTY_wIdProduct] = "wIdProduct",
};

static const char *
name_of(const char *const *names, size_t n, unsigned tag)
{
	return tag < n && names[tag] ? names[tag] : "unknown";
}

/* The TLV properties, one a line; false if the list is malformed. */
static bool
print_properties(const u8 *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned tag = p[i], len;

		if (i + 2 > n || i + 2 + p[i + 1] > n)
			return false;
		len = p[i + 1];
		i += 2;
		if (tag == PCSCv2_PART10_PROPERTY_sFirmwareID) {
			char s[256];

			for (unsigned k = 0; k < len; k++)
				s[k] = p[i + k] >= 0x20 && p[i + k] < 0x7f ? (char)p[i + k] : '.';
			s[len] = 0;
			kprintf("  %s (%u): \"%s\"\n", name_of(property_names, ARRAY_SIZE(property_names), tag), tag, s);
		} else {
			u64 v = 0;

			for (unsigned k = len; k-- > 0;)	/* little endian */
				v = v << 8 | p[i + k];
			kprintf("  %s (%u): %llu (%#llx)\n", name_of(property_names, ARRAY_SIZE(property_names), tag),
				tag, (unsigned long long)v, (unsigned long long)v);
		}
		i += len;
	}
	return true;
}

/* One property feature: its answer in hex, then decoded. */
static int
property(int index, unsigned tag, u32 code)
{
	u8 rx[CTL_MAX];
	size_t n;

	if (card_control(index, code, NULL, 0, rx, sizeof(rx), &n) < 0)
		return -1;
	if (tag == FEATURE_GET_TLV_PROPERTIES) {
		card_hex("tlv properties: ", rx, n);
		if (!print_properties(rx, n)) {
			kprintf("card: reader %d: the TLV properties are malformed\n", index);
			return -1;
		}
	} else {
		card_hex("pin properties: ", rx, n);
		if (n == 4)
			kprintf("  wLcdLayout %#x, bEntryValidationCondition %#x, bTimeOut2 %u\n",
				rx[0] | rx[1] << 8, rx[2], rx[3]);
	}
	return 0;
}

static int
cmd_card_features(int argc, char **argv)
{
	int argi = 1, index = card_parse_index(argc, argv, &argi);
	u8 rx[CTL_MAX];
	size_t n, i;

	if (argi != argc) {
		kprintf("card features: want [R] (a reader number)\n");
		return -1;
	}
	if (card_control(index, CM_IOCTL_GET_FEATURE_REQUEST, NULL, 0, rx, sizeof(rx), &n) < 0)
		return -1;
	card_hex("features: ", rx, n);
	for (i = 0; i + 6 <= n && rx[i + 1] == 4; i += 6)
		kprintf("  FEATURE_%s (%#04x): control code %#x\n",
			name_of(feature_names, ARRAY_SIZE(feature_names), rx[i]), rx[i],
			(u32)rx[i + 2] << 24 | (u32)rx[i + 3] << 16 | (u32)rx[i + 4] << 8 | rx[i + 5]);
	if (i != n) {
		kprintf("card: reader %d: the feature list is not 6-byte TLVs at byte %zu\n", index, i);
		return -1;
	}
	/* the property features, in the list's order (as an application walks it) */
	for (i = 0; i < n; i += 6) {
		u32 code = (u32)rx[i + 2] << 24 | (u32)rx[i + 3] << 16 | (u32)rx[i + 4] << 8 | rx[i + 5];

		if ((rx[i] == FEATURE_GET_TLV_PROPERTIES || rx[i] == FEATURE_IFD_PIN_PROPERTIES) &&
		    property(index, rx[i], code) < 0)
			return -1;
	}
	return 0;
}
DBGSH_COMMAND("card features", cmd_card_features,
	      "[R]: the reader's PC/SC part 10 features and properties (IFDHControl)");

static int
cmd_card_control(int argc, char **argv)
{
	int argi = 1, index = card_parse_index(argc, argv, &argi);
	u8 tx[CTL_MAX], rx[CTL_MAX];
	size_t txlen = 0, n;
	u64 code;

	if (argi >= argc || argi + 2 < argc || !dbgsh_parse_u64(argv[argi], &code) || code > 0xffffffffu ||
	    (argi + 1 < argc && card_parse_hex(argv[argi + 1], tx, sizeof(tx), &txlen) < 0)) {
		kprintf("card control: want [R] CODE [HEX] (an IFDHControl code, e.g. 0x42000d48 "
			"= CM_IOCTL_GET_FEATURE_REQUEST, and the bytes to send)\n");
		return -1;
	}
	if (card_control(index, code, txlen ? tx : NULL, txlen, rx, sizeof(rx), &n) < 0)
		return -1;
	if (n)
		card_hex("control: ", rx, n);
	else
		kprintf("control: no bytes returned\n");
	return 0;
}
DBGSH_COMMAND("card control", cmd_card_control, "[R] CODE [HEX]: IFDHControl with CODE, HEX sent; the answer in hex");
