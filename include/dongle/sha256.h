/* SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104, FIPS 198-1), written for
 * the dongle model: freestanding, no allocation. */
#ifndef DONGLE_SHA256_H
#define DONGLE_SHA256_H

#include <core/types.h>

#define SHA256_BLOCK	64
#define SHA256_DIGEST	32

struct sha256 {
	u32 h[8];
	u64 total;		/* bytes hashed so far */
	u8 buf[SHA256_BLOCK];
	size_t fill;
};

struct hmac_sha256 {
	struct sha256 inner, outer;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, u8 out[SHA256_DIGEST]);
void sha256(const void *data, size_t len, u8 out[SHA256_DIGEST]);

void hmac_sha256_init(struct hmac_sha256 *h, const void *key, size_t keylen);
void hmac_sha256_update(struct hmac_sha256 *h, const void *data, size_t len);
void hmac_sha256_final(struct hmac_sha256 *h, u8 out[SHA256_DIGEST]);
void hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
		 u8 out[SHA256_DIGEST]);

/* CRC-32 of IEEE 802.3 (reflected 0xEDB88320, init and final xor ~0). */
u32 dongle_crc32(const void *data, size_t len);

#endif
