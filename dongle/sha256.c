/* SHA-256 from FIPS 180-4 section 6.2, HMAC from RFC 2104. */
#include <core/string.h>
#include <dongle/sha256.h>

static const u32 sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline u32
ror32(u32 x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void
sha256_block(u32 h[8], const u8 *p)
{
	u32 w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 |
		       (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 64; i++) {
		u32 s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		u32 s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
		     ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void
sha256_init(struct sha256 *s)
{
	static const u32 iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, iv, sizeof(iv));
	s->total = 0;
	s->fill = 0;
}

void
sha256_update(struct sha256 *s, const void *data, size_t len)
{
	const u8 *p = data;

	s->total += len;
	if (s->fill) {
		size_t take = MIN(len, SHA256_BLOCK - s->fill);

		memcpy(s->buf + s->fill, p, take);
		s->fill += take;
		p += take;
		len -= take;
		if (s->fill < SHA256_BLOCK)
			return;
		sha256_block(s->h, s->buf);
		s->fill = 0;
	}
	for (; len >= SHA256_BLOCK; p += SHA256_BLOCK, len -= SHA256_BLOCK)
		sha256_block(s->h, p);
	if (len) {
		memcpy(s->buf, p, len);
		s->fill = len;
	}
}

void
sha256_final(struct sha256 *s, u8 out[SHA256_DIGEST])
{
	u64 bits = s->total * 8;
	u8 pad[SHA256_BLOCK + 8] = { 0x80 };
	/* pad to 56 mod 64, then the 64-bit big-endian bit count */
	size_t padlen = (s->fill < 56 ? 56 : 120) - s->fill;

	for (int i = 0; i < 8; i++)
		pad[padlen + i] = (u8)(bits >> (56 - 8 * i));
	sha256_update(s, pad, padlen + 8);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (u8)(s->h[i] >> 24);
		out[4 * i + 1] = (u8)(s->h[i] >> 16);
		out[4 * i + 2] = (u8)(s->h[i] >> 8);
		out[4 * i + 3] = (u8)s->h[i];
	}
	memset(s, 0, sizeof(*s));
}

void
sha256(const void *data, size_t len, u8 out[SHA256_DIGEST])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final(&s, out);
}

void
hmac_sha256_init(struct hmac_sha256 *h, const void *key, size_t keylen)
{
	u8 k[SHA256_BLOCK] = { 0 }, pad[SHA256_BLOCK];

	if (keylen > SHA256_BLOCK)	/* long keys are hashed first */
		sha256(key, keylen, k);
	else
		memcpy(k, key, keylen);
	for (int i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	sha256_init(&h->inner);
	sha256_update(&h->inner, pad, SHA256_BLOCK);
	for (int i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	sha256_init(&h->outer);
	sha256_update(&h->outer, pad, SHA256_BLOCK);
	memset(k, 0, sizeof(k));
	memset(pad, 0, sizeof(pad));
}

void
hmac_sha256_update(struct hmac_sha256 *h, const void *data, size_t len)
{
	sha256_update(&h->inner, data, len);
}

void
hmac_sha256_final(struct hmac_sha256 *h, u8 out[SHA256_DIGEST])
{
	u8 ih[SHA256_DIGEST];

	sha256_final(&h->inner, ih);
	sha256_update(&h->outer, ih, sizeof(ih));
	sha256_final(&h->outer, out);
	memset(ih, 0, sizeof(ih));
}

void
hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
	    u8 out[SHA256_DIGEST])
{
	struct hmac_sha256 h;

	hmac_sha256_init(&h, key, keylen);
	hmac_sha256_update(&h, data, len);
	hmac_sha256_final(&h, out);
}

/* Table-driven, eight bytes per step ("slicing by 8"): every report is
 * checked twice per command and the 2 KiB state image is checksummed on
 * every change.  crc_table[0] is the classic byte table; crc_table[k][b] is
 * the CRC of byte b followed by k zero bytes, so eight lookups advance the
 * CRC over eight bytes at once. */
static u32 crc_table[8][256];
static bool crc_table_ready;

static void
crc_table_fill(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320 & -(c & 1));
		crc_table[0][i] = c;
	}
	for (int k = 1; k < 8; k++)
		for (u32 i = 0; i < 256; i++)
			crc_table[k][i] = (crc_table[k - 1][i] >> 8) ^ crc_table[0][crc_table[k - 1][i] & 0xFF];
	crc_table_ready = true;
}

static u32
le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

u32
dongle_crc32(const void *data, size_t len)
{
	const u8 *p = data;
	u32 crc = 0xFFFFFFFF;

	if (unlikely(!crc_table_ready))
		crc_table_fill();	/* idempotent: a race fills it twice, same values */
	for (; len >= 8; p += 8, len -= 8) {
		u32 lo = crc ^ le32(p), hi = le32(p + 4);

		crc = crc_table[7][lo & 0xFF] ^ crc_table[6][lo >> 8 & 0xFF] ^
		      crc_table[5][lo >> 16 & 0xFF] ^ crc_table[4][lo >> 24] ^
		      crc_table[3][hi & 0xFF] ^ crc_table[2][hi >> 8 & 0xFF] ^
		      crc_table[1][hi >> 16 & 0xFF] ^ crc_table[0][hi >> 24];
	}
	while (len--)
		crc = crc_table[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}
