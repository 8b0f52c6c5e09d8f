/* iconv against glibc's: every pair of the supported encodings over random
 * valid text and random byte strings (invalid and truncated sequences
 * included), with small output buffers so E2BIG happens; return value,
 * errno and both pointers' positions compared after every call. */
#include "bv.h"
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void *bv_iconv_open(const char *to, const char *from);
size_t bv_iconv(void *cd, char **in, size_t *inleft, char **out, size_t *outleft);
int bv_iconv_close(void *cd);

static const char *const encs[] = {
	"UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "UTF-32LE", "UTF-32BE",
	"WCHAR_T", "ASCII", "ISO-8859-1",
};
#define NENC (sizeof(encs) / sizeof(*encs))

/* Random code point: mostly ASCII, some Latin-1, BMP and astral. */
static unsigned
rnd_cp(void)
{
	switch (rnd() % 4) {
	case 0: return rnd() % 0x80;
	case 1: return rnd() % 0x100;
	case 2: { unsigned c = rnd() % 0x10000; return c >= 0xd800 && c < 0xe000 ? c - 0x800 : c; }
	default: return 0x10000 + rnd() % 0x100000;
	}
}

/* Text in enc made by glibc from random code points (so it is valid). */
static size_t
make_valid(const char *enc, char *buf, size_t cap)
{
	unsigned cps[64];
	size_t n = 1 + rnd() % 40, inleft, outleft = cap;
	char *in = (char *)cps, *out = buf;
	iconv_t cd = iconv_open(enc, "UTF-32LE//IGNORE");

	for (size_t i = 0; i < n; i++)
		cps[i] = rnd_cp();
	inleft = n * 4;
	iconv(cd, &in, &inleft, &out, &outleft);
	iconv_close(cd);
	return cap - outleft;
}

static size_t
make_random(char *buf, size_t cap)
{
	size_t n = rnd() % 48;

	for (size_t i = 0; i < n; i++) {
		unsigned r = rnd();
		/* bias toward bytes that start or continue sequences and BOMs */
		buf[i] = r % 3 == 0 ? (char)(0x80 + r / 3 % 0x80) : r % 5 == 0 ? (char)(0xfe + r / 5 % 2) : (char)(r >> 8);
	}
	return n < cap ? n : cap;
}

static int bad_shown;

/* Runs the same conversion through both, chunked by output size. */
static int
compare(const char *to, const char *from, const char *src, size_t len, size_t outcap)
{
	iconv_t g = iconv_open(to, from);
	void *o = bv_iconv_open(to, from);
	char gout[1024], oout[1024];
	char *gi = (char *)src, *oi = (char *)src, *go = gout, *oo = oout;
	size_t gil = len, oil = len;
	int bad = 0;

	if ((g == (iconv_t)-1) != (o == (void *)-1)) {
		if (bad_shown++ < 10)
			printf("# iconv_open(%s, %s): glibc %s, ours %s\n", to, from,
			       g == (iconv_t)-1 ? "fails" : "works", o == (void *)-1 ? "fails" : "works");
		return 1;
	}
	if (g == (iconv_t)-1)
		return 0;
	for (int round = 0; round < 200; round++) {
		size_t gol = outcap, ool = outcap, gr, orr;
		char *go0 = go, *oo0 = oo;
		int ge, oe;

		errno = 0; shim_errno = 0;
		gr = iconv(g, &gi, &gil, &go, &gol);
		ge = gr == (size_t)-1 ? errno : 0;
		orr = bv_iconv(o, &oi, &oil, &oo, &ool);
		oe = orr == (size_t)-1 ? shim_errno : 0;
		if (gr != orr || ge != oe || gi - src != oi - src || go - go0 != oo - oo0 ||
		    memcmp(go0, oo0, go - go0)) {
			bad = 1;
			if (bad_shown++ < 10) {
				printf("# %s -> %s (%zu bytes, out %zu):", from, to, len, outcap);
				for (size_t i = 0; i < len && i < 24; i++)
					printf(" %02x", (unsigned char)src[i]);
				printf("\n#   glibc ret %zd errno %d in+%td out+%td; ours ret %zd errno %d in+%td out+%td\n",
				       gr, ge, gi - src, go - go0, orr, oe, oi - src, oo - oo0);
			}
			break;
		}
		if (ge != E2BIG || go == go0)
			break;	/* done, or stopped on the input */
		if (go - gout > 900)
			break;
	}
	iconv_close(g);
	bv_iconv_close(o);
	return bad;
}

static void
test_pairs_valid(void)
{
	int bad = 0, n = 0;

	for (int iter = 0; iter < 30; iter++)
	for (size_t f = 0; f < NENC; f++)
	for (size_t t = 0; t < NENC; t++) {
		char src[512];
		size_t len = make_valid(encs[f], src, sizeof(src));

		bad += compare(encs[t], encs[f], src, len, 1 + rnd() % 64);
		bad += compare(encs[t], encs[f], src, len, 1000);
		n += 2;
	}
	TAP_CHECK(!bad, "iconv: %d conversions of random valid text between all %zu x %zu encodings, "
		  "chunked output: results, errno, positions and bytes match glibc (%d differ)",
		  n, NENC, NENC, bad);
}

static void
test_pairs_random_bytes(void)
{
	int bad = 0, n = 0;

	for (int iter = 0; iter < 200; iter++)
	for (size_t f = 0; f < NENC; f++)
	for (size_t t = 0; t < NENC; t++) {
		char src[64];
		size_t len = make_random(src, sizeof(src));

		bad += compare(encs[t], encs[f], src, len, 1000);
		n++;
	}
	TAP_CHECK(!bad, "iconv: %d conversions of random bytes (invalid, truncated, BOMs): EILSEQ/EINVAL "
		  "and stopping points match glibc (%d differ)", n, bad);
}

/* Unconvertible characters are dropped as glibc drops them.  (Invalid
 * input under //IGNORE is skipped a byte at a time here; glibc's skipping
 * of malformed sequences differs in corner cases and is not compared.) */
static void
test_ignore(void)
{
	static const char *const tos[] = { "ASCII//IGNORE", "UTF-8//IGNORE", "ISO-8859-1//IGNORE",
					   "UTF-16//IGNORE" };
	int bad = 0, n = 0;

	for (int iter = 0; iter < 300; iter++)
	for (size_t t = 0; t < sizeof(tos) / sizeof(*tos); t++) {
		char src[512];
		size_t len = make_valid("UTF-8", src, sizeof(src));

		bad += compare(tos[t], "UTF-8", src, len, 1 + rnd() % 200);
		n++;
	}
	TAP_CHECK(!bad, "iconv //IGNORE: %d conversions of valid text with unconvertible characters "
		  "match glibc, including the final EILSEQ (%d differ)", n, bad);
}

/* glibc transliterates some characters through tables (U+00AB to "<<");
 * this libc writes '?' for every character it cannot convert.  Compared on
 * characters glibc has no rule for (CJK, astral), where both write '?'. */
static void
test_translit(void)
{
	int bad = 0, n = 0;

	for (int iter = 0; iter < 500; iter++) {
		unsigned cps[32];
		char src[256], *in = (char *)cps, *out = src;
		size_t k = 1 + rnd() % 30, inleft, outleft = sizeof(src);
		iconv_t cd = iconv_open("UTF-8", "UTF-32LE");

		for (size_t i = 0; i < k; i++)
			cps[i] = rnd() % 3 == 0 ? 0x20 + rnd() % 0x5f : rnd() % 2 ? 0x4e00 + rnd() % 0x5000
				 : 0x20000 + rnd() % 0x1000;
		inleft = k * 4;
		iconv(cd, &in, &inleft, &out, &outleft);
		iconv_close(cd);
		bad += compare(iter % 2 ? "ASCII//TRANSLIT" : "ISO-8859-1//TRANSLIT", "UTF-8", src,
			       sizeof(src) - outleft, 1 + rnd() % 100);
		n++;
	}
	TAP_CHECK(!bad, "iconv //TRANSLIT: %d conversions of text with characters glibc has no "
		  "rule for: '?' and the irreversible count match glibc (%d differ)", n, bad);
}

static void
test_names(void)
{
	static const char *const names[] = { "utf-8", "UTF8", "utf16le", "ucs-4", "UCS-4LE", "latin1",
		"L1", "US-ASCII", "ANSI_X3.4-1968", "", "EBCDIC-US", "KOI8-R", "UTF-7", "bogus", "UTF_8",
		"wchar_t", "ISO_8859-1", "CP819", "utf-16//translit" };
	int bad = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		iconv_t g = iconv_open(names[i], "UTF-8");
		void *o = bv_iconv_open(names[i], "UTF-8");
		bool gok = g != (iconv_t)-1, ook = o != (void *)-1;

		/* only names this libc supports may differ: glibc knows more charsets */
		if (ook != gok && (ook || !strcmp(names[i], "utf-8") || !strcmp(names[i], "latin1"))) {
			bad++;
			printf("# iconv_open(\"%s\"): glibc %d ours %d\n", names[i], gok, ook);
		}
		if (gok && !ook)
			printf("# iconv_open(\"%s\"): refused here (glibc has it)\n", names[i]);
		if (gok)
			iconv_close(g);
		if (ook)
			bv_iconv_close(o);
	}
	errno = 0;
	shim_errno = 0;
	bad += bv_iconv_open("bogus", "UTF-8") != (void *)-1 || shim_errno != EINVAL;
	TAP_CHECK(!bad, "iconv_open: the supported names and aliases open as in glibc; unknown ones fail EINVAL");
}

int
main(void)
{
	test_names();
	test_pairs_valid();
	test_pairs_random_bytes();
	test_ignore();
	test_translit();
	return tap_done();
}
