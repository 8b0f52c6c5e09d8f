/*
 * dic.h - BV Smart Dongle SDK for Linux, version 2.3
 *
 * Link with libdongle.a, libusb (0.1) and pthread:
 *     cc app.c libdongle.a -lusb -lpthread
 *
 * Typical use:
 *     DIC_Find()  ->  DIC_Open()  ->  DIC_Login() / DIC_Command() / DIC_Set()
 *                 ->  DIC_Logout() -> DIC_Close()
 *
 * All functions return DIC_SUCCESS (0) or a negative error code; use
 * DIC_GetErrorString() to print one.  Functions are thread safe.
 */
#ifndef DIC_H
#define DIC_H

#ifdef __cplusplus
extern "C" {
#endif

#define DIC_VERSION		"2.3.0"
#define DIC_MAX_DEVICES		8

typedef void *DIC_HANDLE;

/* Error codes.  Device status codes s map to DIC_ERR_DEVICE_BASE - s. */
#define DIC_SUCCESS		0
#define DIC_ERR_NOT_FOUND	(-1)	/* no dongle with that index */
#define DIC_ERR_USB		(-2)	/* libusb open/claim/transfer failed */
#define DIC_ERR_TIMEOUT		(-3)	/* the dongle did not answer */
#define DIC_ERR_PROTOCOL	(-4)	/* malformed answer (CRC, magic, sequence) */
#define DIC_ERR_PARAM		(-5)	/* bad argument */
#define DIC_ERR_HANDLE		(-6)	/* handle not open */
#define DIC_ERR_BUFFER		(-7)	/* output buffer too small */
#define DIC_ERR_DEVICE_BASE	(-256)
#define DIC_ERR_ACCESS		(DIC_ERR_DEVICE_BASE - 0x07)
#define DIC_ERR_PIN		(DIC_ERR_DEVICE_BASE - 0x08)
#define DIC_ERR_LOCKED		(DIC_ERR_DEVICE_BASE - 0x09)
#define DIC_ERR_RANGE		(DIC_ERR_DEVICE_BASE - 0x0A)
#define DIC_ERR_LIMIT		(DIC_ERR_DEVICE_BASE - 0x0B)
#define DIC_ERR_EMPTY		(DIC_ERR_DEVICE_BASE - 0x0D)

/* Roles for DIC_Login. */
#define DIC_ROLE_USER		1
#define DIC_ROLE_ADMIN		2

/* Raw command codes for DIC_Command (see the protocol manual). */
#define DIC_CMD_SYNC		0x01
#define DIC_CMD_GET_INFO	0x02
#define DIC_CMD_OPEN		0x03
#define DIC_CMD_CLOSE		0x04
#define DIC_CMD_SET_PIN		0x05
#define DIC_CMD_ZONE_READ	0x10
#define DIC_CMD_ZONE_WRITE	0x11
#define DIC_CMD_ZONE_INFO	0x12
#define DIC_CMD_ZONE_ACCESS	0x13
#define DIC_CMD_RANDOM		0x20
#define DIC_CMD_HMAC		0x21
#define DIC_CMD_SET_KEY		0x22
#define DIC_CMD_COUNTER_GET	0x30
#define DIC_CMD_COUNTER_INC	0x31
#define DIC_CMD_COUNTER_LIMIT	0x32
#define DIC_CMD_ALGO_WRITE	0x40
#define DIC_CMD_ALGO_RUN	0x41
#define DIC_CMD_ALGO_INFO	0x42

/* Items for DIC_Set; values are strings, as in the SDK's config files. */
#define DIC_SET_TIMEOUT		1	/* "ms", transfer timeout (default "1000") */
#define DIC_SET_USER_PIN	2	/* new user PIN (needs a user or admin login) */
#define DIC_SET_ADMIN_PIN	3	/* new admin PIN (needs an admin login) */
#define DIC_SET_COUNTER_LIMIT	4	/* decimal licence limit (admin) */
#define DIC_SET_RETRIES		5	/* "n", retransmissions on timeout (default "2") */

typedef struct {
	char FactoryTime[24];	/* "YYYY-MM-DD hh:mm:ss" UTC */
	char HardSerial[20];
	char ShipTime[24];
	char COSVersion[8];	/* "major.minor" */
	unsigned int FactoryTimeRaw, ShipTimeRaw;
	int Zones, ZoneSize, AlgoSlots;
} DIC_HWINFO;

int DIC_Find(void);
int DIC_Open(int index, DIC_HANDLE *handle);
int DIC_Close(DIC_HANDLE handle);
int DIC_Command(DIC_HANDLE handle, int cmd, const void *in, int inlen,
		void *out, int *outlen);
int DIC_Set(DIC_HANDLE handle, int item, const char *value);

int DIC_Login(DIC_HANDLE handle, int role, const char *pin, int *tries_left);
int DIC_Logout(DIC_HANDLE handle);
int DIC_GetHardwareInfo(DIC_HANDLE handle, DIC_HWINFO *info);
int DIC_ReadZone(DIC_HANDLE handle, int zone, int offset, void *buf, int len);
int DIC_WriteZone(DIC_HANDLE handle, int zone, int offset, const void *buf, int len);
int DIC_Random(DIC_HANDLE handle, void *buf, int len);
int DIC_HMAC(DIC_HANDLE handle, int slot, const void *msg, int len, unsigned char mac[32]);
int DIC_CounterGet(DIC_HANDLE handle, unsigned int *value, unsigned int *limit);
int DIC_CounterInc(DIC_HANDLE handle, unsigned int amount, unsigned int *value);
int DIC_AlgoStore(DIC_HANDLE handle, int slot, const void *code, int len);
int DIC_AlgoInfo(DIC_HANDLE handle, int slot, int *len, unsigned int *crc);
int DIC_AlgoRun(DIC_HANDLE handle, int slot, const unsigned int *in, int nin,
		unsigned int out[8], unsigned int *steps);
void DIC_GetErrorString(int err, char *buf);	/* buf: at least 64 bytes */

#ifdef __cplusplus
}
#endif

#endif
