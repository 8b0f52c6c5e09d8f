/* The IFD handler ABI gate: compiled once against pcsc-lite's own headers
 * (libpcsclite-dev: ifdhandler.h, pcsclite.h, debuglog.h) and once against
 * include/card/ifdh.h (-DOURS); tests/e2e/card_abi.sh requires the two to
 * print the same lines.  What the VMM relies on when it calls libccid:
 * the sizes that decide how arguments travel (DWORD, RESPONSECODE, the
 * by-value SCARD_IO_HEADER: two registers), the header's layout, every
 * tag, action and response code, the IFDHControl codes of reader.h (PC/SC
 * part 10 features and properties), and log_msg/log_xxd's prototypes. */
#include <stddef.h>
#include <stdio.h>
#ifdef OURS
#include <card/ifdh.h>
#else
#include <PCSC/ifdhandler.h>
#include <PCSC/pcsclite.h>
#include <PCSC/debuglog.h>
#include <PCSC/reader.h>
#endif

#define C(x)	printf("%s = %lld\n", #x, (long long)(x))

_Static_assert(__builtin_types_compatible_p(__typeof__(&log_msg), void (*)(const int, const char *, ...)),
	       "log_msg's prototype");
_Static_assert(__builtin_types_compatible_p(__typeof__(&log_xxd),
					    void (*)(const int, const char *, const unsigned char *, const int)),
	       "log_xxd's prototype");

int
main(void)
{
	printf("sizeof(DWORD) = %zu\n", sizeof(DWORD));
	printf("sizeof(RESPONSECODE) = %zu\n", sizeof(RESPONSECODE));
	printf("sizeof(SCARD_IO_HEADER) = %zu\n", sizeof(SCARD_IO_HEADER));
	printf("offsetof(SCARD_IO_HEADER, Protocol) = %zu\n", offsetof(SCARD_IO_HEADER, Protocol));
	printf("offsetof(SCARD_IO_HEADER, Length) = %zu\n", offsetof(SCARD_IO_HEADER, Length));
	printf("DWORD signed = %d\n", (DWORD)-1 < 0);
	printf("RESPONSECODE signed = %d\n", (RESPONSECODE)-1 < 0);
	C(TAG_IFD_ATR); C(TAG_IFD_SLOTNUM); C(TAG_IFD_SLOT_THREAD_SAFE); C(TAG_IFD_THREAD_SAFE);
	C(TAG_IFD_SLOTS_NUMBER); C(TAG_IFD_SIMULTANEOUS_ACCESS); C(TAG_IFD_POLLING_THREAD);
	C(TAG_IFD_POLLING_THREAD_KILLABLE); C(TAG_IFD_STOP_POLLING_THREAD);
	C(TAG_IFD_POLLING_THREAD_WITH_TIMEOUT); C(TAG_IFD_DEVICE_REMOVED);
	C(IFD_POWER_UP); C(IFD_POWER_DOWN); C(IFD_RESET);
	C(IFD_NEGOTIATE_PTS1); C(IFD_NEGOTIATE_PTS2); C(IFD_NEGOTIATE_PTS3);
	C(IFD_SUCCESS); C(IFD_ERROR_TAG); C(IFD_ERROR_SET_FAILURE); C(IFD_ERROR_VALUE_READ_ONLY);
	C(IFD_ERROR_PTS_FAILURE); C(IFD_ERROR_NOT_SUPPORTED); C(IFD_PROTOCOL_NOT_SUPPORTED);
	C(IFD_ERROR_POWER_ACTION); C(IFD_ERROR_SWALLOW); C(IFD_ERROR_EJECT); C(IFD_ERROR_CONFISCATE);
	C(IFD_COMMUNICATION_ERROR); C(IFD_RESPONSE_TIMEOUT); C(IFD_NOT_SUPPORTED); C(IFD_ICC_PRESENT);
	C(IFD_ICC_NOT_PRESENT); C(IFD_NO_SUCH_DEVICE); C(IFD_ERROR_INSUFFICIENT_BUFFER);
	C(SCARD_PROTOCOL_T0); C(SCARD_PROTOCOL_T1); C(SCARD_PROTOCOL_RAW); C(MAX_ATR_SIZE);
	C(CM_IOCTL_GET_FEATURE_REQUEST); C(SCARD_CTL_CODE(1));
	C(FEATURE_VERIFY_PIN_START); C(FEATURE_VERIFY_PIN_FINISH); C(FEATURE_MODIFY_PIN_START);
	C(FEATURE_MODIFY_PIN_FINISH); C(FEATURE_GET_KEY_PRESSED); C(FEATURE_VERIFY_PIN_DIRECT);
	C(FEATURE_MODIFY_PIN_DIRECT); C(FEATURE_MCT_READER_DIRECT); C(FEATURE_MCT_UNIVERSAL);
	C(FEATURE_IFD_PIN_PROPERTIES); C(FEATURE_ABORT); C(FEATURE_SET_SPE_MESSAGE);
	C(FEATURE_VERIFY_PIN_DIRECT_APP_ID); C(FEATURE_MODIFY_PIN_DIRECT_APP_ID); C(FEATURE_WRITE_DISPLAY);
	C(FEATURE_GET_KEY); C(FEATURE_IFD_DISPLAY_PROPERTIES); C(FEATURE_GET_TLV_PROPERTIES);
	C(FEATURE_CCID_ESC_COMMAND); C(FEATURE_EXECUTE_PACE);
	C(PCSCv2_PART10_PROPERTY_wLcdLayout); C(PCSCv2_PART10_PROPERTY_bEntryValidationCondition);
	C(PCSCv2_PART10_PROPERTY_bTimeOut2); C(PCSCv2_PART10_PROPERTY_wLcdMaxCharacters);
	C(PCSCv2_PART10_PROPERTY_wLcdMaxLines); C(PCSCv2_PART10_PROPERTY_bMinPINSize);
	C(PCSCv2_PART10_PROPERTY_bMaxPINSize); C(PCSCv2_PART10_PROPERTY_sFirmwareID);
	C(PCSCv2_PART10_PROPERTY_bPPDUSupport); C(PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize);
	C(PCSCv2_PART10_PROPERTY_wIdVendor); C(PCSCv2_PART10_PROPERTY_wIdProduct);
	C(PCSC_LOG_DEBUG); C(PCSC_LOG_INFO); C(PCSC_LOG_ERROR); C(PCSC_LOG_CRITICAL);
	return 0;
}
