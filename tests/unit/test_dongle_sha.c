/* The dongle's own SHA-256, HMAC-SHA-256 and CRC-32 against the published
 * vectors (FIPS 180-4 examples, RFC 4231) and against python3's hashlib and
 * hmac on many lengths around the block boundaries. */
#include <stdio.h>
#include "tap.h"
#include <dongle/sha256.h>

static void
hex(const u8 *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void
check_sha(const char *name, const void *msg, size_t len, const char *want)
{
	u8 d[32];
	char h[65];

	sha256(msg, len, d);
	hex(d, 32, h);
	TAP_CHECK(strcmp(h, want) == 0, "SHA-256 %s = %s", name, h);
}

static void
test_fips_vectors(void)
{
	static char million[1000000];

	check_sha("\"abc\"", "abc", 3,
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_sha("empty", "", 0,
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_sha("448-bit", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', sizeof(million));
	check_sha("one million 'a'", million, sizeof(million),
		  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void
test_incremental_equals_oneshot(void)
{
	u8 msg[300], a[32], b[32];
	struct sha256 s;
	bool same = true;

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (u8)(i * 13 + 1);
	for (size_t split = 0; split <= sizeof(msg); split += 7) {
		sha256(msg, sizeof(msg), a);
		sha256_init(&s);
		sha256_update(&s, msg, split);
		sha256_update(&s, msg + split, sizeof(msg) - split);
		sha256_final(&s, b);
		same &= memcmp(a, b, 32) == 0;
	}
	TAP_CHECK(same, "SHA-256 fed in two pieces at any split equals one shot");
}

static void
check_hmac(const char *name, const void *key, size_t klen, const void *msg, size_t mlen,
	   const char *want)
{
	u8 d[32];
	char h[65];

	hmac_sha256(key, klen, msg, mlen, d);
	hex(d, 32, h);
	TAP_CHECK(strcmp(h, want) == 0, "HMAC-SHA-256 RFC 4231 %s = %s", name, h);
}

static void
test_rfc4231(void)
{
	u8 k20[20], k131[131], d50[50];
	static const char tc7[] = "This is a test using a larger than block-size key and a "
		"larger than block-size data. The key needs to be hashed before being used "
		"by the HMAC algorithm.";

	memset(k20, 0x0b, sizeof(k20));
	check_hmac("test case 1", k20, 20, "Hi There", 8,
		   "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	check_hmac("test case 2", "Jefe", 4, "what do ya want for nothing?", 28,
		   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(k20, 0xaa, sizeof(k20));
	memset(d50, 0xdd, sizeof(d50));
	check_hmac("test case 3", k20, 20, d50, 50,
		   "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
	memset(k131, 0xaa, sizeof(k131));
	check_hmac("test case 6", k131, 131,
		   "Test Using Larger Than Block-Size Key - Hash Key First", 54,
		   "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	check_hmac("test case 7", k131, 131, tc7, strlen(tc7),
		   "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

/* python3 computes the same messages (byte i of length n = (i*7+n) & 255)
 * and keys (byte i of length k = (i*5+k+1) & 255) independently. */
static void
test_against_python(void)
{
	static const char script[] =
		"python3 -c 'import hashlib,hmac\n"
		"for n in range(0,260):\n"
		" m=bytes((i*7+n)&255 for i in range(n)); k=bytes((i*5+n+1)&255 for i in range(n%150))\n"
		" print(hashlib.sha256(m).hexdigest(), hmac.new(k,m,hashlib.sha256).hexdigest())'";
	FILE *p = popen(script, "r");
	char want_s[80], want_h[80], got[65];
	int n = 0, sha_ok = 0, hmac_ok = 0;

	if (!TAP_CHECK(p, "python3 runs"))
		return;
	while (fscanf(p, "%79s %79s", want_s, want_h) == 2) {
		u8 m[260], k[150], d[32];

		for (int i = 0; i < n; i++)
			m[i] = (u8)((i * 7 + n) & 255);
		for (int i = 0; i < n % 150; i++)
			k[i] = (u8)((i * 5 + n + 1) & 255);
		sha256(m, (size_t)n, d);
		hex(d, 32, got);
		sha_ok += strcmp(got, want_s) == 0;
		hmac_sha256(k, (size_t)(n % 150), m, (size_t)n, d);
		hex(d, 32, got);
		hmac_ok += strcmp(got, want_h) == 0;
		n++;
	}
	pclose(p);
	TAP_CHECK(n == 260 && sha_ok == 260, "SHA-256 matches hashlib for lengths 0..259 (%d/%d)", sha_ok, n);
	TAP_CHECK(n == 260 && hmac_ok == 260, "HMAC-SHA-256 matches python hmac, keys 0..149 bytes (%d/%d)", hmac_ok, n);
}

static void
test_crc32(void)
{
	u8 one = 0;

	TAP_CHECK(dongle_crc32("123456789", 9) == 0xCBF43926, "CRC-32 check value of \"123456789\"");
	TAP_CHECK(dongle_crc32("", 0) == 0, "CRC-32 of nothing is 0");
	TAP_CHECK(dongle_crc32(&one, 1) == 0xD202EF8D, "CRC-32 of one zero byte (zlib's value)");
	TAP_CHECK(dongle_crc32("123456788", 9) != 0xCBF43926, "a changed byte changes the CRC (rejected)");
}

/* python3's zlib.crc32 over every length 0..299 at every alignment 0..7 of
 * the same bytes (byte i = (i*13+5) & 255): the eight-byte steps, the tail
 * and the joins between them. */
static void
test_crc32_against_zlib(void)
{
	static const char script[] =
		"python3 -c 'import zlib\n"
		"b=bytes((i*13+5)&255 for i in range(320))\n"
		"for a in range(8):\n"
		" for n in range(300): print(zlib.crc32(b[a:a+n]))'";
	FILE *p = popen(script, "r");
	u8 b[320];
	unsigned long want;
	int n = 0, ok = 0;

	if (!TAP_CHECK(p, "python3 runs"))
		return;
	for (int i = 0; i < 320; i++)
		b[i] = (u8)((i * 13 + 5) & 255);
	while (n < 8 * 300 && fscanf(p, "%lu", &want) == 1) {
		ok += dongle_crc32(b + n / 300, (size_t)(n % 300)) == want;
		n++;
	}
	pclose(p);
	TAP_CHECK(n == 2400 && ok == 2400, "CRC-32 matches python zlib.crc32, lengths 0..299 at 8 alignments (%d/%d)", ok, n);
}

int
main(void)
{
	test_fips_vectors();
	test_incremental_equals_oneshot();
	test_rfc4231();
	test_against_python();
	test_crc32();
	test_crc32_against_zlib();
	return tap_done();
}
