/* The vendor's sample programs ("rockey" test cases) as a library of cases
 * that call the SDK only through struct dic_api, so one source serves:
 *   - natively (glibc + real libusb): the table holds DIC_* themselves
 *     (DIC_API_DIRECT below, see native_main.c);
 *   - inside blobvisor: the caller fills the table with the addresses the
 *     loader resolved in the loaded blob, by name (rockey_dic_symbols[]
 *     lists the names in field order).
 * The cases need only memcmp/memset/memcpy and the table's print. */
#ifndef ROCKEY_H
#define ROCKEY_H

#include <stddef.h>
#include "dic.h"

struct dic_api {
	int (*Find)(void);
	int (*Open)(int index, DIC_HANDLE *handle);
	int (*Close)(DIC_HANDLE handle);
	int (*Command)(DIC_HANDLE handle, int cmd, const void *in, int inlen, void *out, int *outlen);
	int (*Set)(DIC_HANDLE handle, int item, const char *value);
	int (*Login)(DIC_HANDLE handle, int role, const char *pin, int *tries_left);
	int (*Logout)(DIC_HANDLE handle);
	int (*GetHardwareInfo)(DIC_HANDLE handle, DIC_HWINFO *info);
	int (*ReadZone)(DIC_HANDLE handle, int zone, int offset, void *buf, int len);
	int (*WriteZone)(DIC_HANDLE handle, int zone, int offset, const void *buf, int len);
	int (*Random)(DIC_HANDLE handle, void *buf, int len);
	int (*HMAC)(DIC_HANDLE handle, int slot, const void *msg, int len, unsigned char mac[32]);
	int (*CounterGet)(DIC_HANDLE handle, unsigned int *value, unsigned int *limit);
	int (*CounterInc)(DIC_HANDLE handle, unsigned int amount, unsigned int *value);
	int (*AlgoStore)(DIC_HANDLE handle, int slot, const void *code, int len);
	int (*AlgoInfo)(DIC_HANDLE handle, int slot, int *len, unsigned int *crc);
	int (*AlgoRun)(DIC_HANDLE handle, int slot, const unsigned int *in, int nin,
		       unsigned int out[8], unsigned int *steps);
	void (*GetErrorString)(int err, char *buf);
	/* not from the SDK: where the cases print */
	int (*print)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
};

/* The SDK symbol names, in struct dic_api field order (print excluded). */
extern const char *const rockey_dic_symbols[];
#define ROCKEY_DIC_SYMBOLS	18

#define DIC_API_DIRECT(printfn) { \
	DIC_Find, DIC_Open, DIC_Close, DIC_Command, DIC_Set, DIC_Login, DIC_Logout, \
	DIC_GetHardwareInfo, DIC_ReadZone, DIC_WriteZone, DIC_Random, DIC_HMAC, \
	DIC_CounterGet, DIC_CounterInc, DIC_AlgoStore, DIC_AlgoInfo, DIC_AlgoRun, \
	DIC_GetErrorString, printfn }

#define ROCKEY_CASES	9

/* Run case n (1..ROCKEY_CASES): prints "=== rockey_testcaseN ===" and its
 * findings; returns 0 when it passed, 1 when it failed, -1 for no such case. */
int rockey_run_case(const struct dic_api *api, int n);
const char *rockey_case_name(int n);

#endif
