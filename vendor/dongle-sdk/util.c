/* BV Smart Dongle SDK - utilities: CRC, framing, formatting, parsing. */
#include <stdio.h>
#include <string.h>
#include "dic_int.h"

/* our own prototypes: this file does not need the rest of <stdlib.h> */
extern int atoi(const char *s);
extern long atol(const char *s);

static unsigned int crc_table[256];
static int crc_ready;

static void
crc_init(void)
{
	unsigned int c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = (unsigned int)i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
	crc_ready = 1;
}

unsigned int
dic_crc32(const unsigned char *p, int n)
{
	unsigned int c = 0xFFFFFFFFu;

	if (!crc_ready)
		crc_init();
	while (n-- > 0)
		c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

void
dic_put32(unsigned char *p, unsigned int v)
{
	p[0] = v & 0xFF;
	p[1] = (v >> 8) & 0xFF;
	p[2] = (v >> 16) & 0xFF;
	p[3] = (v >> 24) & 0xFF;
}

unsigned int
dic_get32(const unsigned char *p)
{
	return p[0] | (p[1] << 8) | (p[2] << 16) | ((unsigned int)p[3] << 24);
}

void
dic_frame(unsigned char *out, unsigned char seq, int cmd, const void *payload, int len)
{
	memset(out, 0, DIC_REPORT);
	out[0] = DIC_MAGIC_REQ;
	out[1] = seq;
	out[2] = (unsigned char)cmd;
	out[4] = (unsigned char)len;
	if (len > 0)
		memcpy(out + 8, payload, len);
	dic_put32(out + 60, dic_crc32(out, 60));
}

int
dic_same(const void *a, const void *b, int n)
{
	return memcmp(a, b, n) == 0;
}

/* 0: the answer to req; 1: a stale answer (other seq/cmd); <0: garbage */
int
dic_check_response(const unsigned char *resp, const unsigned char *req)
{
	unsigned char crc[4];

	if (resp[0] != DIC_MAGIC_RESP || resp[4] > DIC_MAX_PAYLOAD)
		return DIC_ERR_PROTOCOL;
	dic_put32(crc, dic_crc32(resp, 60));
	if (!dic_same(crc, resp + 60, 4))
		return DIC_ERR_PROTOCOL;
	if (!dic_same(resp + 1, req + 1, 2))
		return 1;
	return 0;
}

/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
void
dic_format_time(unsigned int t, char *out)
{
	long days = t / 86400, rem = t % 86400;
	long era, doe, yoe, doy, mp, y, m, d;

	days += 719468;
	era = days / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	sprintf(out, "%04ld-%02ld-%02ld %02ld:%02ld:%02ld", y, m, d,
		rem / 3600, rem / 60 % 60, rem % 60);
}

void
dic_format_version(unsigned int v, char *out)
{
	sprintf(out, "%u.%u", (v >> 8) & 0xFF, v & 0xFF);
}

long
dic_parse_long(const char *s)
{
	return atol(s);
}

int
dic_parse_int(const char *s)
{
	return atoi(s);
}

static const struct {
	int code;
	const char *text;
} dic_errors[] = {
	{ DIC_SUCCESS, "success" },
	{ DIC_ERR_NOT_FOUND, "dongle not found" },
	{ DIC_ERR_USB, "USB error" },
	{ DIC_ERR_TIMEOUT, "dongle does not answer" },
	{ DIC_ERR_PROTOCOL, "protocol error" },
	{ DIC_ERR_PARAM, "invalid parameter" },
	{ DIC_ERR_HANDLE, "invalid handle" },
	{ DIC_ERR_BUFFER, "buffer too small" },
	{ DIC_ERR_DEVICE_BASE - 0x01, "device: bad frame" },
	{ DIC_ERR_DEVICE_BASE - 0x02, "device: CRC error" },
	{ DIC_ERR_DEVICE_BASE - 0x03, "device: bad length" },
	{ DIC_ERR_DEVICE_BASE - 0x04, "device: sequence error" },
	{ DIC_ERR_DEVICE_BASE - 0x05, "device: unknown command" },
	{ DIC_ERR_DEVICE_BASE - 0x06, "device: bad parameter" },
	{ DIC_ERR_ACCESS, "device: access denied" },
	{ DIC_ERR_PIN, "device: wrong PIN" },
	{ DIC_ERR_LOCKED, "device: PIN locked" },
	{ DIC_ERR_RANGE, "device: out of range" },
	{ DIC_ERR_LIMIT, "device: licence limit reached" },
	{ DIC_ERR_DEVICE_BASE - 0x0C, "device: storage failure" },
	{ DIC_ERR_EMPTY, "device: algorithm slot empty" },
	{ DIC_ERR_DEVICE_BASE - 0x10, "device: algorithm: bad instruction" },
	{ DIC_ERR_DEVICE_BASE - 0x11, "device: algorithm: bad memory access" },
	{ DIC_ERR_DEVICE_BASE - 0x12, "device: algorithm: bad jump" },
	{ DIC_ERR_DEVICE_BASE - 0x13, "device: algorithm: step limit" },
	{ DIC_ERR_DEVICE_BASE - 0x14, "device: algorithm: division by zero" },
};

void
dic_error_string(int err, char *buf)
{
	unsigned int i;

	for (i = 0; i < sizeof(dic_errors) / sizeof(dic_errors[0]); i++) {
		if (dic_errors[i].code == err) {
			strcpy(buf, dic_errors[i].text);
			return;
		}
	}
	sprintf(buf, "unknown error %d", err);
}
