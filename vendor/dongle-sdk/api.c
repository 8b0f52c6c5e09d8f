/* BV Smart Dongle SDK - the DIC_* API. */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include "dic_int.h"

#define DIC_HANDLE_MAGIC	0x44494331u	/* "DIC1" */

struct dic_handle {
	unsigned int magic;
	struct dic_link *link;
	pthread_mutex_t lock;
	unsigned char seq;
	int timeout_ms;
	int retries;
	time_t opened_at;
};

static struct dic_handle handles[DIC_MAX_DEVICES];
static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;

static struct dic_handle *
get(DIC_HANDLE h)
{
	struct dic_handle *d = h;

	if (d < handles || d >= handles + DIC_MAX_DEVICES || d->magic != DIC_HANDLE_MAGIC)
		return NULL;
	return d;
}

int
DIC_Find(void)
{
	return dic_link_scan();
}

/* One transaction; the caller holds d->lock. */
static int
transact(struct dic_handle *d, int cmd, const void *in, int inlen,
	 unsigned char *resp)
{
	unsigned char req[DIC_REPORT];
	int r;

	dic_frame(req, d->seq, cmd, in, inlen);
	r = dic_link_xfer(d->link, req, resp, d->timeout_ms, d->retries);
	if (r != DIC_SUCCESS)
		return r;
	if (resp[3] == DIC_STATUS_SEQ && cmd != DIC_CMD_SYNC) {
		/* the dongle was reset or replugged: resynchronise once */
		d->seq = resp[8];
		dic_frame(req, d->seq, cmd, in, inlen);
		r = dic_link_xfer(d->link, req, resp, d->timeout_ms, d->retries);
		if (r != DIC_SUCCESS)
			return r;
	}
	d->seq++;
	return resp[3] ? DIC_ERR_DEVICE_BASE - resp[3] : DIC_SUCCESS;
}

int
DIC_Open(int index, DIC_HANDLE *handle)
{
	struct dic_handle *d = NULL;
	unsigned char resp[DIC_REPORT];
	int i, r;

	if (!handle)
		return DIC_ERR_PARAM;
	*handle = NULL;
	pthread_mutex_lock(&handles_lock);
	for (i = 0; i < DIC_MAX_DEVICES; i++) {
		if (handles[i].magic != DIC_HANDLE_MAGIC) {
			d = &handles[i];
			break;
		}
	}
	if (!d) {
		pthread_mutex_unlock(&handles_lock);
		return DIC_ERR_HANDLE;
	}
	r = dic_link_open(index, &d->link);
	if (r != DIC_SUCCESS) {
		pthread_mutex_unlock(&handles_lock);
		return r;
	}
	pthread_mutex_init(&d->lock, NULL);
	d->opened_at = time(NULL);
	d->seq = (unsigned char)d->opened_at;
	d->timeout_ms = 1000;
	d->retries = 2;
	d->magic = DIC_HANDLE_MAGIC;
	pthread_mutex_unlock(&handles_lock);

	pthread_mutex_lock(&d->lock);
	r = transact(d, DIC_CMD_SYNC, NULL, 0, resp);
	pthread_mutex_unlock(&d->lock);
	if (r != DIC_SUCCESS) {
		DIC_Close(d);
		return r;
	}
	*handle = d;
	return DIC_SUCCESS;
}

int
DIC_Close(DIC_HANDLE handle)
{
	struct dic_handle *d = get(handle);
	unsigned char resp[DIC_REPORT];

	if (!d)
		return DIC_ERR_HANDLE;
	pthread_mutex_lock(&d->lock);
	transact(d, DIC_CMD_CLOSE, NULL, 0, resp);	/* end any session */
	pthread_mutex_unlock(&d->lock);
	pthread_mutex_lock(&handles_lock);
	dic_link_close(d->link);
	d->magic = 0;
	d->link = NULL;
	pthread_mutex_destroy(&d->lock);
	pthread_mutex_unlock(&handles_lock);
	return DIC_SUCCESS;
}

int
DIC_Command(DIC_HANDLE handle, int cmd, const void *in, int inlen, void *out, int *outlen)
{
	struct dic_handle *d = get(handle);
	unsigned char resp[DIC_REPORT];
	int r, n;

	if (!d)
		return DIC_ERR_HANDLE;
	if (inlen < 0 || inlen > DIC_MAX_PAYLOAD || (inlen && !in) || cmd < 0 || cmd > 255)
		return DIC_ERR_PARAM;
	pthread_mutex_lock(&d->lock);
	r = transact(d, cmd, in, inlen, resp);
	pthread_mutex_unlock(&d->lock);
	if (r != DIC_SUCCESS && r > DIC_ERR_DEVICE_BASE)
		return r;		/* transport failure: no payload */
	n = resp[4];
	if (outlen) {
		if (n > *outlen)
			return DIC_ERR_BUFFER;
		if (n)
			memcpy(out, resp + 8, n);
		*outlen = n;
	}
	return r;
}

static int
pin_payload(unsigned char *p, int role, const char *pin)
{
	int n = pin ? (int)strlen(pin) : 0;

	if (n < 1 || n > 16)
		return -1;
	p[0] = (unsigned char)role;
	p[1] = (unsigned char)n;
	memcpy(p + 2, pin, n);
	return 2 + n;
}

int
DIC_Set(DIC_HANDLE handle, int item, const char *value)
{
	struct dic_handle *d = get(handle);
	unsigned char p[20], out[DIC_MAX_PAYLOAD];
	int n = sizeof(out), len;
	long v;

	if (!d)
		return DIC_ERR_HANDLE;
	if (!value)
		return DIC_ERR_PARAM;
	switch (item) {
	case DIC_SET_TIMEOUT:
		v = dic_parse_long(value);
		if (v < 10 || v > 60000)
			return DIC_ERR_PARAM;
		d->timeout_ms = (int)v;
		return DIC_SUCCESS;
	case DIC_SET_RETRIES:
		v = dic_parse_int(value);
		if (v < 0 || v > 10)
			return DIC_ERR_PARAM;
		d->retries = (int)v;
		return DIC_SUCCESS;
	case DIC_SET_USER_PIN:
	case DIC_SET_ADMIN_PIN:
		len = pin_payload(p, item == DIC_SET_USER_PIN ? DIC_ROLE_USER : DIC_ROLE_ADMIN, value);
		if (len < 0)
			return DIC_ERR_PARAM;
		return DIC_Command(d, DIC_CMD_SET_PIN, p, len, out, &n);
	case DIC_SET_COUNTER_LIMIT:
		dic_put32(p, (unsigned int)dic_parse_long(value));
		return DIC_Command(d, DIC_CMD_COUNTER_LIMIT, p, 4, out, &n);
	default:
		return DIC_ERR_PARAM;
	}
}

int
DIC_Login(DIC_HANDLE handle, int role, const char *pin, int *tries_left)
{
	unsigned char p[20], out[DIC_MAX_PAYLOAD];
	int n = sizeof(out), len, r;

	if (role != DIC_ROLE_USER && role != DIC_ROLE_ADMIN)
		return DIC_ERR_PARAM;
	len = pin_payload(p, role, pin);
	if (len < 0)
		return DIC_ERR_PARAM;
	r = DIC_Command(handle, DIC_CMD_OPEN, p, len, out, &n);
	if (tries_left)
		*tries_left = (r == DIC_ERR_PIN || r == DIC_ERR_LOCKED) && n >= 1 ? out[0] : -1;
	return r;
}

int
DIC_Logout(DIC_HANDLE handle)
{
	return DIC_Command(handle, DIC_CMD_CLOSE, NULL, 0, NULL, NULL);
}

int
DIC_GetHardwareInfo(DIC_HANDLE handle, DIC_HWINFO *info)
{
	unsigned char out[DIC_MAX_PAYLOAD];
	int n = sizeof(out), r;

	if (!info)
		return DIC_ERR_PARAM;
	r = DIC_Command(handle, DIC_CMD_GET_INFO, NULL, 0, out, &n);
	if (r != DIC_SUCCESS)
		return r;
	if (n < 32)
		return DIC_ERR_PROTOCOL;
	memset(info, 0, sizeof(*info));
	info->FactoryTimeRaw = dic_get32(out);
	info->ShipTimeRaw = dic_get32(out + 4);
	dic_format_time(info->FactoryTimeRaw, info->FactoryTime);
	dic_format_time(info->ShipTimeRaw, info->ShipTime);
	dic_format_version(out[8] | out[9] << 8, info->COSVersion);
	memcpy(info->HardSerial, out + 16, 16);
	info->HardSerial[16] = 0;
	info->Zones = out[11];
	info->ZoneSize = out[12] | out[13] << 8;
	info->AlgoSlots = out[14];
	return DIC_SUCCESS;
}

int
DIC_ReadZone(DIC_HANDLE handle, int zone, int offset, void *buf, int len)
{
	unsigned char p[4], out[DIC_MAX_PAYLOAD];
	int done = 0, chunk, n, r;

	if (zone < 0 || zone > 255 || offset < 0 || len < 0 || (len && !buf))
		return DIC_ERR_PARAM;
	while (done < len) {
		chunk = len - done > 48 ? 48 : len - done;
		p[0] = (unsigned char)zone;
		p[1] = (offset + done) & 0xFF;
		p[2] = ((offset + done) >> 8) & 0xFF;
		p[3] = (unsigned char)chunk;
		n = sizeof(out);
		r = DIC_Command(handle, DIC_CMD_ZONE_READ, p, 4, out, &n);
		if (r != DIC_SUCCESS)
			return r;
		if (n != chunk)
			return DIC_ERR_PROTOCOL;
		memcpy((unsigned char *)buf + done, out, chunk);
		done += chunk;
	}
	return DIC_SUCCESS;
}

int
DIC_WriteZone(DIC_HANDLE handle, int zone, int offset, const void *buf, int len)
{
	unsigned char p[DIC_MAX_PAYLOAD];
	int done = 0, chunk, r;

	if (zone < 0 || zone > 255 || offset < 0 || len < 0 || (len && !buf))
		return DIC_ERR_PARAM;
	while (done < len) {
		chunk = len - done > 48 ? 48 : len - done;
		p[0] = (unsigned char)zone;
		p[1] = (offset + done) & 0xFF;
		p[2] = ((offset + done) >> 8) & 0xFF;
		p[3] = (unsigned char)chunk;
		memcpy(p + 4, (const unsigned char *)buf + done, chunk);
		r = DIC_Command(handle, DIC_CMD_ZONE_WRITE, p, 4 + chunk, NULL, NULL);
		if (r != DIC_SUCCESS)
			return r;
		done += chunk;
	}
	return DIC_SUCCESS;
}

int
DIC_Random(DIC_HANDLE handle, void *buf, int len)
{
	unsigned char p[1], out[DIC_MAX_PAYLOAD];
	int done = 0, chunk, n, r;

	if (len < 0 || (len && !buf))
		return DIC_ERR_PARAM;
	while (done < len) {
		chunk = len - done > DIC_MAX_PAYLOAD ? DIC_MAX_PAYLOAD : len - done;
		p[0] = (unsigned char)chunk;
		n = sizeof(out);
		r = DIC_Command(handle, DIC_CMD_RANDOM, p, 1, out, &n);
		if (r != DIC_SUCCESS)
			return r;
		if (n != chunk)
			return DIC_ERR_PROTOCOL;
		memcpy((unsigned char *)buf + done, out, chunk);
		done += chunk;
	}
	return DIC_SUCCESS;
}

int
DIC_HMAC(DIC_HANDLE handle, int slot, const void *msg, int len, unsigned char mac[32])
{
	unsigned char p[DIC_MAX_PAYLOAD], out[DIC_MAX_PAYLOAD];
	int n = sizeof(out), r;

	if (slot < 0 || slot > 255 || len < 0 || len > 50 || (len && !msg) || !mac)
		return DIC_ERR_PARAM;
	p[0] = (unsigned char)slot;
	p[1] = (unsigned char)len;
	if (len)
		memcpy(p + 2, msg, len);
	r = DIC_Command(handle, DIC_CMD_HMAC, p, 2 + len, out, &n);
	if (r != DIC_SUCCESS)
		return r;
	if (n != 32)
		return DIC_ERR_PROTOCOL;
	memcpy(mac, out, 32);
	return DIC_SUCCESS;
}

int
DIC_CounterGet(DIC_HANDLE handle, unsigned int *value, unsigned int *limit)
{
	unsigned char out[DIC_MAX_PAYLOAD];
	int n = sizeof(out), r;

	r = DIC_Command(handle, DIC_CMD_COUNTER_GET, NULL, 0, out, &n);
	if (r != DIC_SUCCESS)
		return r;
	if (n != 8)
		return DIC_ERR_PROTOCOL;
	if (value)
		*value = dic_get32(out);
	if (limit)
		*limit = dic_get32(out + 4);
	return DIC_SUCCESS;
}

int
DIC_CounterInc(DIC_HANDLE handle, unsigned int amount, unsigned int *value)
{
	unsigned char p[4], out[DIC_MAX_PAYLOAD];
	int n = sizeof(out), r;

	dic_put32(p, amount);
	r = DIC_Command(handle, DIC_CMD_COUNTER_INC, p, 4, out, &n);
	if (r == DIC_SUCCESS && n != 8)
		return DIC_ERR_PROTOCOL;
	if (value && n >= 4)
		*value = dic_get32(out);
	return r;
}

int
DIC_AlgoStore(DIC_HANDLE handle, int slot, const void *code, int len)
{
	unsigned char p[DIC_MAX_PAYLOAD];
	int done = 0, chunk, r;

	if (slot < 0 || slot > 255 || len < 0 || len > 128 || (len && !code))
		return DIC_ERR_PARAM;
	do {
		chunk = len - done > 48 ? 48 : len - done;
		p[0] = (unsigned char)slot;
		p[1] = (unsigned char)done;
		p[2] = (unsigned char)chunk;
		if (chunk)
			memcpy(p + 3, (const unsigned char *)code + done, chunk);
		r = DIC_Command(handle, DIC_CMD_ALGO_WRITE, p, 3 + chunk, NULL, NULL);
		if (r != DIC_SUCCESS)
			return r;
		done += chunk;
	} while (done < len);
	return DIC_SUCCESS;
}

int
DIC_AlgoInfo(DIC_HANDLE handle, int slot, int *len, unsigned int *crc)
{
	unsigned char p[1], out[DIC_MAX_PAYLOAD];
	int n = sizeof(out), r;

	if (slot < 0 || slot > 255)
		return DIC_ERR_PARAM;
	p[0] = (unsigned char)slot;
	r = DIC_Command(handle, DIC_CMD_ALGO_INFO, p, 1, out, &n);
	if (r != DIC_SUCCESS)
		return r;
	if (n != 5)
		return DIC_ERR_PROTOCOL;
	if (len)
		*len = out[0];
	if (crc)
		*crc = dic_get32(out + 1);
	return DIC_SUCCESS;
}

int
DIC_AlgoRun(DIC_HANDLE handle, int slot, const unsigned int *in, int nin,
	    unsigned int out[8], unsigned int *steps)
{
	unsigned char p[DIC_MAX_PAYLOAD], o[DIC_MAX_PAYLOAD];
	int n = sizeof(o), r, i;

	if (slot < 0 || slot > 255 || nin < 0 || nin > 8 || (nin && !in))
		return DIC_ERR_PARAM;
	p[0] = (unsigned char)slot;
	for (i = 0; i < nin; i++)
		dic_put32(p + 1 + 4 * i, in[i]);
	r = DIC_Command(handle, DIC_CMD_ALGO_RUN, p, 1 + 4 * nin, o, &n);
	if (r != DIC_SUCCESS)
		return r;
	if (n != 36)
		return DIC_ERR_PROTOCOL;
	if (steps)
		*steps = dic_get32(o);
	for (i = 0; out && i < 8; i++)
		out[i] = dic_get32(o + 4 + 4 * i);
	return DIC_SUCCESS;
}

void
DIC_GetErrorString(int err, char *buf)
{
	if (buf)
		dic_error_string(err, buf);
}
