/* BV Smart Dongle SDK - internal definitions (not installed). */
#ifndef DIC_INT_H
#define DIC_INT_H

#include "dic.h"

#define DIC_VID			0x1209
#define DIC_PID			0x000D
#define DIC_EP_OUT		0x01
#define DIC_EP_IN		0x81
#define DIC_REPORT		64
#define DIC_MAX_PAYLOAD		52
#define DIC_MAGIC_REQ		0xD5
#define DIC_MAGIC_RESP		0x5D
#define DIC_STATUS_SEQ		0x04

/* util.c */
unsigned int dic_crc32(const unsigned char *p, int n);
void dic_put32(unsigned char *p, unsigned int v);
unsigned int dic_get32(const unsigned char *p);
void dic_frame(unsigned char *out, unsigned char seq, int cmd, const void *payload, int len);
int dic_check_response(const unsigned char *resp, const unsigned char *req);
void dic_format_time(unsigned int t, char *out);
void dic_format_version(unsigned int v, char *out);
long dic_parse_long(const char *s);
int dic_parse_int(const char *s);
int dic_same(const void *a, const void *b, int n);
void dic_error_string(int err, char *buf);

/* transport.c: one opened dongle */
struct dic_link;
int dic_link_scan(void);
int dic_link_open(int index, struct dic_link **out);
void dic_link_close(struct dic_link *l);
int dic_link_xfer(struct dic_link *l, const unsigned char *req, unsigned char *resp,
		  int timeout_ms, int retries);

#endif
