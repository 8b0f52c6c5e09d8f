/* The vendor's sample test cases, written as a customer writes them: plain
 * C against dic.h, through struct dic_api.  Each case prints facts that do
 * not change from run to run (properties of random numbers and MACs, never
 * their values) and leaves the dongle as it found it, except the licence
 * counter, which can only grow. */
#include "rockey.h"

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

const char *const rockey_dic_symbols[] = {
	"DIC_Find", "DIC_Open", "DIC_Close", "DIC_Command", "DIC_Set", "DIC_Login",
	"DIC_Logout", "DIC_GetHardwareInfo", "DIC_ReadZone", "DIC_WriteZone",
	"DIC_Random", "DIC_HMAC", "DIC_CounterGet", "DIC_CounterInc", "DIC_AlgoStore",
	"DIC_AlgoInfo", "DIC_AlgoRun", "DIC_GetErrorString", NULL,
};

#define USER_PIN	"12345678"
#define ADMIN_PIN	"87654321"

/* r = (r0 * 3 + r1) ^ 0x5A5A; docs/dongle-protocol.md section 7 */
static const unsigned char sample_algo[] = {
	0x01, 2, 3, 0,  0x12, 0, 0, 2,  0x10, 0, 0, 1,
	0x01, 3, 0x5A, 0x5A,  0x17, 0, 0, 3,  0x00, 0, 0, 0,
};
#define SAMPLE_SLOT	7

/* CRC-32 as ALGO_INFO reports it (IEEE 802.3) */
static unsigned int
crc32_of(const unsigned char *p, int n)
{
	unsigned int c = 0xFFFFFFFFu;
	int k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return ~c;
}

static int
report(const struct dic_api *a, const char *what, int r)
{
	char text[64];

	a->GetErrorString(r, text);
	a->print("%s: %s\n", what, text);
	return r;
}

static int
yes(const struct dic_api *a, const char *what, int cond)
{
	a->print("%s: %s\n", what, cond ? "yes" : "NO");
	return cond ? 0 : 1;
}

static int
open_first(const struct dic_api *a, DIC_HANDLE *h)
{
	int n = a->Find();

	if (n < 1) {
		a->print("DIC_Find: no dongle\n");
		return 1;
	}
	return report(a, "DIC_Open", a->Open(0, h)) != DIC_SUCCESS;
}

static int
close_it(const struct dic_api *a, DIC_HANDLE h)
{
	return report(a, "DIC_Close", a->Close(h)) != DIC_SUCCESS;
}

static int
case_find(const struct dic_api *a)
{
	int n = a->Find();

	return yes(a, "DIC_Find finds at least one dongle", n >= 1);
}

static int
case_open_close(const struct dic_api *a)
{
	DIC_HANDLE h;
	int fail = open_first(a, &h);

	if (fail)
		return 1;
	fail |= report(a, "DIC_Login user", a->Login(h, DIC_ROLE_USER, USER_PIN, NULL)) != 0;
	fail |= report(a, "DIC_Logout", a->Logout(h)) != 0;
	fail |= close_it(a, h);
	fail |= report(a, "DIC_Close again (must fail)", a->Close(h)) != DIC_ERR_HANDLE;
	fail |= report(a, "DIC_Open index 7 (must fail)", a->Open(7, &h)) != DIC_ERR_NOT_FOUND;
	return fail;
}

static int
case_data(const struct dic_api *a)
{
	unsigned char saved[64], pattern[64], back[64];
	DIC_HANDLE h;
	int fail, i;

	if (open_first(a, &h))
		return 1;
	for (i = 0; i < 64; i++)
		pattern[i] = (unsigned char)(0xA5 ^ (i * 7));
	fail = report(a, "DIC_ReadZone zone 1 without login (must fail)",
		      a->ReadZone(h, 1, 0, back, 4)) != DIC_ERR_ACCESS;
	fail |= report(a, "DIC_Login user", a->Login(h, DIC_ROLE_USER, USER_PIN, NULL)) != 0;
	fail |= report(a, "DIC_ReadZone zone 1 +192, 64 bytes (save)", a->ReadZone(h, 1, 192, saved, 64)) != 0;
	fail |= report(a, "DIC_WriteZone zone 1 +192, 64 bytes", a->WriteZone(h, 1, 192, pattern, 64)) != 0;
	fail |= report(a, "DIC_ReadZone zone 1 +192, 64 bytes", a->ReadZone(h, 1, 192, back, 64)) != 0;
	fail |= yes(a, "read back equals what was written", memcmp(back, pattern, 64) == 0);
	fail |= report(a, "DIC_WriteZone zone 1 +250, 8 bytes (must fail)",
		       a->WriteZone(h, 1, 250, pattern, 8)) != DIC_ERR_RANGE;
	fail |= report(a, "DIC_WriteZone zone 2 as user (must fail)",
		       a->WriteZone(h, 2, 0, pattern, 4)) != DIC_ERR_ACCESS;
	fail |= report(a, "DIC_WriteZone restore the saved bytes", a->WriteZone(h, 1, 192, saved, 64)) != 0;
	a->ReadZone(h, 1, 192, back, 64);
	fail |= yes(a, "zone restored", memcmp(back, saved, 64) == 0);
	a->Logout(h);
	return fail | close_it(a, h);
}

static int
case_random(const struct dic_api *a)
{
	unsigned char r1[32], r2[32], big[100];
	DIC_HANDLE h;
	int fail, i, zeros = 0;

	if (open_first(a, &h))
		return 1;
	memset(r1, 0, sizeof(r1));
	memset(r2, 0, sizeof(r2));
	fail = report(a, "DIC_Random 32 bytes", a->Random(h, r1, 32)) != 0;
	fail |= report(a, "DIC_Random 32 bytes again", a->Random(h, r2, 32)) != 0;
	fail |= yes(a, "the two draws differ", memcmp(r1, r2, 32) != 0);
	for (i = 0; i < 32; i++)
		zeros += r1[i] == 0;
	fail |= yes(a, "the first draw is not mostly zero bytes", zeros < 8);
	fail |= report(a, "DIC_Random 100 bytes (two transfers)", a->Random(h, big, 100)) != 0;
	fail |= yes(a, "its two halves differ", memcmp(big, big + 50, 50) != 0);
	return fail | close_it(a, h);
}

static int
case_hwinfo(const struct dic_api *a)
{
	DIC_HWINFO info;
	DIC_HANDLE h;
	int fail;

	if (open_first(a, &h))
		return 1;
	fail = report(a, "DIC_GetHardwareInfo", a->GetHardwareInfo(h, &info)) != 0;
	if (!fail) {
		a->print("FactoryTime: %s\n", info.FactoryTime);
		a->print("HardSerial:  %s\n", info.HardSerial);
		a->print("ShipTime:    %s\n", info.ShipTime);
		a->print("COSVersion:  %s\n", info.COSVersion);
		a->print("Zones: %d x %d bytes, algorithm slots: %d\n", info.Zones, info.ZoneSize,
			 info.AlgoSlots);
		fail |= yes(a, "shipped after it was made", info.ShipTimeRaw >= info.FactoryTimeRaw);
	}
	return fail | close_it(a, h);
}

static int
case_hmac(const struct dic_api *a)
{
	unsigned char m1[32], m2[32], m3[32], m4[32];
	DIC_HANDLE h;
	int fail;

	if (open_first(a, &h))
		return 1;
	fail = report(a, "DIC_HMAC without login (must fail)",
		      a->HMAC(h, 0, "blobvisor", 9, m1)) != DIC_ERR_ACCESS;
	fail |= report(a, "DIC_Login user", a->Login(h, DIC_ROLE_USER, USER_PIN, NULL)) != 0;
	fail |= report(a, "DIC_HMAC key 0 \"blobvisor\"", a->HMAC(h, 0, "blobvisor", 9, m1)) != 0;
	fail |= report(a, "DIC_HMAC key 0 \"blobvisor\" again", a->HMAC(h, 0, "blobvisor", 9, m2)) != 0;
	fail |= report(a, "DIC_HMAC key 0 \"blobvisoR\"", a->HMAC(h, 0, "blobvisoR", 9, m3)) != 0;
	fail |= report(a, "DIC_HMAC key 1 \"blobvisor\"", a->HMAC(h, 1, "blobvisor", 9, m4)) != 0;
	fail |= yes(a, "same key and message give the same MAC", memcmp(m1, m2, 32) == 0);
	fail |= yes(a, "one changed letter changes the MAC", memcmp(m1, m3, 32) != 0);
	fail |= yes(a, "another key changes the MAC", memcmp(m1, m4, 32) != 0);
	fail |= report(a, "DIC_HMAC key 9 (must fail)", a->HMAC(h, 9, "x", 1, m1)) == DIC_SUCCESS;
	a->Logout(h);
	return fail | close_it(a, h);
}

static int
case_algorithm(const struct dic_api *a)
{
	static const unsigned int in1[2] = { 10, 20 }, in2[2] = { 1000, 7 };
	unsigned int out[8], steps = 0, crc = 0;
	unsigned int want_crc = crc32_of(sample_algo, sizeof(sample_algo));
	DIC_HANDLE h;
	int fail, len = -1, stored = 0;

	if (open_first(a, &h))
		return 1;
	fail = report(a, "DIC_Login admin", a->Login(h, DIC_ROLE_ADMIN, ADMIN_PIN, NULL)) != 0;
	fail |= report(a, "DIC_AlgoInfo slot 7", a->AlgoInfo(h, SAMPLE_SLOT, &len, &crc)) != 0;
	if (len == 0) {
		fail |= report(a, "DIC_AlgoStore slot 7, 24 bytes",
			       a->AlgoStore(h, SAMPLE_SLOT, sample_algo, sizeof(sample_algo))) != 0;
		stored = 1;
	}
	a->AlgoInfo(h, SAMPLE_SLOT, &len, &crc);
	fail |= yes(a, "slot 7 holds the sample algorithm", len == (int)sizeof(sample_algo) && crc == want_crc);
	fail |= report(a, "DIC_AlgoRun (10, 20)", a->AlgoRun(h, SAMPLE_SLOT, in1, 2, out, &steps)) != 0;
	a->print("result 0x%x in %u steps\n", out[0], steps);
	fail |= yes(a, "equals (10*3 + 20) ^ 0x5a5a", out[0] == ((10u * 3 + 20) ^ 0x5A5A));
	fail |= report(a, "DIC_AlgoRun (1000, 7)", a->AlgoRun(h, SAMPLE_SLOT, in2, 2, out, &steps)) != 0;
	fail |= yes(a, "equals (1000*3 + 7) ^ 0x5a5a", out[0] == ((1000u * 3 + 7) ^ 0x5A5A));
	fail |= report(a, "DIC_AlgoRun empty slot 6 (must fail)",
		       a->AlgoRun(h, 6, in1, 2, out, &steps)) != DIC_ERR_EMPTY;
	if (stored)
		fail |= report(a, "DIC_AlgoStore slot 7 emptied again", a->AlgoStore(h, SAMPLE_SLOT, NULL, 0)) != 0;
	a->Logout(h);
	return fail | close_it(a, h);
}

static int
case_counter(const struct dic_api *a)
{
	unsigned int v0 = 0, v1 = 0, v2 = 0, limit = 0;
	DIC_HANDLE h;
	int fail;

	if (open_first(a, &h))
		return 1;
	fail = report(a, "DIC_CounterInc without login (must fail)", a->CounterInc(h, 1, &v1)) != DIC_ERR_ACCESS;
	fail |= report(a, "DIC_Login user", a->Login(h, DIC_ROLE_USER, USER_PIN, NULL)) != 0;
	fail |= report(a, "DIC_CounterGet", a->CounterGet(h, &v0, &limit)) != 0;
	fail |= report(a, "DIC_CounterInc 1", a->CounterInc(h, 1, &v1)) != 0;
	fail |= report(a, "DIC_CounterGet", a->CounterGet(h, &v2, NULL)) != 0;
	fail |= yes(a, "the counter grew by exactly 1", v1 == v0 + 1 && v2 == v1);
	fail |= report(a, "DIC_CounterInc 0 (must fail)", a->CounterInc(h, 0, &v1)) == DIC_SUCCESS;
	fail |= yes(a, "below its limit", v2 <= limit);
	a->Logout(h);
	return fail | close_it(a, h);
}

static int
case_lockout(const struct dic_api *a)
{
	DIC_HANDLE h;
	int fail, i, tries = -1, r;
	char what[48];

	if (open_first(a, &h))
		return 1;
	fail = report(a, "DIC_Login user", a->Login(h, DIC_ROLE_USER, USER_PIN, NULL)) != 0;
	a->Logout(h);
	for (i = 1; i <= 5; i++) {
		r = a->Login(h, DIC_ROLE_USER, "00000000", &tries);
		memcpy(what, "wrong PIN, try ", 15);
		what[15] = (char)('0' + i);
		what[16] = 0;
		report(a, what, r);
		a->print("tries left: %d\n", tries);
		fail |= r != (i < 5 ? DIC_ERR_PIN : DIC_ERR_LOCKED) || tries != 5 - i;
	}
	fail |= report(a, "right PIN while locked", a->Login(h, DIC_ROLE_USER, USER_PIN, NULL)) != DIC_ERR_LOCKED;
	fail |= report(a, "DIC_Login admin (clears the lockout)",
		       a->Login(h, DIC_ROLE_ADMIN, ADMIN_PIN, NULL)) != 0;
	a->Logout(h);
	fail |= report(a, "DIC_Login user", a->Login(h, DIC_ROLE_USER, USER_PIN, NULL)) != 0;
	a->Logout(h);
	return fail | close_it(a, h);
}

static const struct {
	const char *name;
	int (*run)(const struct dic_api *a);
} cases[ROCKEY_CASES] = {
	{ "find", case_find },
	{ "open/close", case_open_close },
	{ "data zones read/write", case_data },
	{ "random numbers", case_random },
	{ "hardware info", case_hwinfo },
	{ "keyed hash (HMAC-SHA-256)", case_hmac },
	{ "user algorithm", case_algorithm },
	{ "licence counter", case_counter },
	{ "wrong-PIN lockout", case_lockout },
};

const char *
rockey_case_name(int n)
{
	return n >= 1 && n <= ROCKEY_CASES ? cases[n - 1].name : NULL;
}

int
rockey_run_case(const struct dic_api *a, int n)
{
	int fail;

	if (n < 1 || n > ROCKEY_CASES)
		return -1;
	a->print("=== rockey_testcase%d ===\n", n);
	fail = cases[n - 1].run(a) ? 1 : 0;
	a->print("--- rockey_testcase%d: %s\n", n, fail ? "FAILED" : "passed");
	return fail;
}
