/* pcsc-lite's IFD handler interface (ifdhandler.h, pcsclite.h, debuglog.h
 * of libpcsclite-dev) as the VMM calls it: the driver is a blob (Debian's
 * libccid.so) exporting the IFDH* functions, the VMM plays pcscd.  Names
 * and values are pcsc-lite's, so tests/abi/ifdh_abi.c can print both and
 * compare; on Linux a DWORD is an unsigned long (8 bytes). */
#ifndef CARD_IFDH_H
#define CARD_IFDH_H

#include <core/types.h>

typedef unsigned long DWORD;
typedef long RESPONSECODE;

typedef struct _SCARD_IO_HEADER {
	DWORD Protocol;
	DWORD Length;
} SCARD_IO_HEADER;

#define TAG_IFD_ATR			0x0303
#define TAG_IFD_SLOTNUM			0x0180
#define TAG_IFD_SLOT_THREAD_SAFE	0x0FAC
#define TAG_IFD_THREAD_SAFE		0x0FAD
#define TAG_IFD_SLOTS_NUMBER		0x0FAE
#define TAG_IFD_SIMULTANEOUS_ACCESS	0x0FAF
#define TAG_IFD_POLLING_THREAD		0x0FB0
#define TAG_IFD_POLLING_THREAD_KILLABLE	0x0FB1
#define TAG_IFD_STOP_POLLING_THREAD	0x0FB2
#define TAG_IFD_POLLING_THREAD_WITH_TIMEOUT 0x0FB3
#define TAG_IFD_DEVICE_REMOVED		0x0FB4

#define IFD_POWER_UP			500
#define IFD_POWER_DOWN			501
#define IFD_RESET			502

#define IFD_NEGOTIATE_PTS1		1
#define IFD_NEGOTIATE_PTS2		2
#define IFD_NEGOTIATE_PTS3		4

#define IFD_SUCCESS			0
#define IFD_ERROR_TAG			600
#define IFD_ERROR_SET_FAILURE		601
#define IFD_ERROR_VALUE_READ_ONLY	602
#define IFD_ERROR_PTS_FAILURE		605
#define IFD_ERROR_NOT_SUPPORTED		606
#define IFD_PROTOCOL_NOT_SUPPORTED	607
#define IFD_ERROR_POWER_ACTION		608
#define IFD_ERROR_SWALLOW		609
#define IFD_ERROR_EJECT			610
#define IFD_ERROR_CONFISCATE		611
#define IFD_COMMUNICATION_ERROR		612
#define IFD_RESPONSE_TIMEOUT		613
#define IFD_NOT_SUPPORTED		614
#define IFD_ICC_PRESENT			615
#define IFD_ICC_NOT_PRESENT		616
#define IFD_NO_SUCH_DEVICE		617
#define IFD_ERROR_INSUFFICIENT_BUFFER	618

/* pcsclite.h */
#define SCARD_PROTOCOL_T0		0x0001
#define SCARD_PROTOCOL_T1		0x0002
#define SCARD_PROTOCOL_RAW		0x0004
#define MAX_ATR_SIZE			33

/* reader.h: IFDHControl codes (PC/SC part 10), for `card features' */
#define SCARD_CTL_CODE(code)		(0x42000000 + (code))
#define CM_IOCTL_GET_FEATURE_REQUEST	SCARD_CTL_CODE(3400)
#define FEATURE_VERIFY_PIN_START	0x01
#define FEATURE_VERIFY_PIN_FINISH	0x02
#define FEATURE_MODIFY_PIN_START	0x03
#define FEATURE_MODIFY_PIN_FINISH	0x04
#define FEATURE_GET_KEY_PRESSED		0x05
#define FEATURE_VERIFY_PIN_DIRECT	0x06
#define FEATURE_MODIFY_PIN_DIRECT	0x07
#define FEATURE_MCT_READER_DIRECT	0x08
#define FEATURE_MCT_UNIVERSAL		0x09
#define FEATURE_IFD_PIN_PROPERTIES	0x0A
#define FEATURE_ABORT			0x0B
#define FEATURE_SET_SPE_MESSAGE		0x0C
#define FEATURE_VERIFY_PIN_DIRECT_APP_ID 0x0D
#define FEATURE_MODIFY_PIN_DIRECT_APP_ID 0x0E
#define FEATURE_WRITE_DISPLAY		0x0F
#define FEATURE_GET_KEY			0x10
#define FEATURE_IFD_DISPLAY_PROPERTIES	0x11
#define FEATURE_GET_TLV_PROPERTIES	0x12
#define FEATURE_CCID_ESC_COMMAND	0x13
#define FEATURE_EXECUTE_PACE		0x20
/* FEATURE_GET_TLV_PROPERTIES: tag, length, value (little endian) */
#define PCSCv2_PART10_PROPERTY_wLcdLayout		1
#define PCSCv2_PART10_PROPERTY_bEntryValidationCondition 2
#define PCSCv2_PART10_PROPERTY_bTimeOut2		3
#define PCSCv2_PART10_PROPERTY_wLcdMaxCharacters	4
#define PCSCv2_PART10_PROPERTY_wLcdMaxLines		5
#define PCSCv2_PART10_PROPERTY_bMinPINSize		6
#define PCSCv2_PART10_PROPERTY_bMaxPINSize		7
#define PCSCv2_PART10_PROPERTY_sFirmwareID		8
#define PCSCv2_PART10_PROPERTY_bPPDUSupport		9
#define PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize	10
#define PCSCv2_PART10_PROPERTY_wIdVendor		11
#define PCSCv2_PART10_PROPERTY_wIdProduct		12

/* debuglog.h: the priority log_msg and log_xxd receive */
enum { PCSC_LOG_DEBUG = 0, PCSC_LOG_INFO, PCSC_LOG_ERROR, PCSC_LOG_CRITICAL };

/* What the VMM exports to IFD handlers in pcscd's place (card/log.c). */
void log_msg(const int priority, const char *fmt, ...) __printf(2, 3);
void log_xxd(const int priority, const char *msg, const unsigned char *buffer, const int size);

#endif
