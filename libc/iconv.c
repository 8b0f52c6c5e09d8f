/* iconv between the encodings USB drivers use: UTF-8, UTF-16 and UTF-32
 * (with a byte-order mark, or LE/BE without), WCHAR_T (UCS-4 in host
 * order), ASCII and ISO-8859-1.  glibc's contract: *inbuf stops at the
 * offending input; EILSEQ for an invalid or unconvertible character, EINVAL
 * for an incomplete one at the end, E2BIG for a full output buffer; the
 * return value counts irreversible conversions (//TRANSLIT writes '?');
 * //IGNORE skips, then reports EILSEQ once the input is used up. */
#include "wide.h"
#include <core/heap.h>

enum enc { ENC_UTF8, ENC_UTF16, ENC_UTF16LE, ENC_UTF16BE, ENC_UTF32, ENC_UTF32LE, ENC_UTF32BE,
	   ENC_WCHAR, ENC_ASCII, ENC_LATIN1 };

static const struct { const char *name; enum enc enc; } names[] = {
	{ "UTF-8", ENC_UTF8 }, { "UTF8", ENC_UTF8 },
	{ "UTF-16", ENC_UTF16 }, { "UTF16", ENC_UTF16 },
	{ "UTF-16LE", ENC_UTF16LE }, { "UTF16LE", ENC_UTF16LE },
	{ "UTF-16BE", ENC_UTF16BE }, { "UTF16BE", ENC_UTF16BE },
	{ "UTF-32", ENC_UTF32 }, { "UTF32", ENC_UTF32 },
	{ "UTF-32LE", ENC_UTF32LE }, { "UTF32LE", ENC_UTF32LE },
	{ "UTF-32BE", ENC_UTF32BE }, { "UTF32BE", ENC_UTF32BE },
	{ "UCS-4", ENC_UTF32BE }, { "UCS4", ENC_UTF32BE }, { "UCS-4BE", ENC_UTF32BE },
	{ "UCS-4LE", ENC_UTF32LE },
	{ "WCHAR_T", ENC_WCHAR },
	{ "ASCII", ENC_ASCII }, { "US-ASCII", ENC_ASCII }, { "ANSI_X3.4-1968", ENC_ASCII },
	{ "646", ENC_ASCII }, { "", ENC_ASCII },	/* "": the C locale's charset */
	{ "ISO-8859-1", ENC_LATIN1 }, { "ISO8859-1", ENC_LATIN1 }, { "ISO_8859-1", ENC_LATIN1 },
	{ "LATIN1", ENC_LATIN1 }, { "L1", ENC_LATIN1 }, { "CP819", ENC_LATIN1 },
};

enum { IC_TRANSLIT = 1, IC_IGNORE = 2 };

struct iconv_cd {
	enum enc from, to;
	int flags;
	bool in_started, out_started;
	bool in_be;		/* UTF-16/32 input: big-endian BOM seen (default: host order) */
};

/* "utf-8//TRANSLIT//IGNORE" -> encoding and flags; false if unknown. */
static bool
parse_name(const char *s, enum enc *enc, int *flags)
{
	char base[32];
	const char *suffix = strstr(s, "//");
	size_t n = suffix ? (size_t)(suffix - s) : strlen(s);

	if (n >= sizeof(base))
		return false;
	memcpy(base, s, n);
	base[n] = '\0';
	while (suffix && *suffix) {
		const char *next;

		suffix += 2;
		next = strstr(suffix, "//");
		n = next ? (size_t)(next - suffix) : strlen(suffix);
		if (n == 8 && !strncasecmp(suffix, "TRANSLIT", 8))
			*flags |= IC_TRANSLIT;
		else if (n == 6 && !strncasecmp(suffix, "IGNORE", 6))
			*flags |= IC_IGNORE;
		suffix = next;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcasecmp(base, names[i].name)) {
			*enc = names[i].enc;
			return true;
		}
	return false;
}

void *iconv_open(const char *to, const char *from);
void *
iconv_open(const char *to, const char *from)
{
	struct iconv_cd *cd;
	enum enc ef, et;
	int ff = 0, ft = 0;

	if (!to || !from || !parse_name(to, &et, &ft) || !parse_name(from, &ef, &ff)) {
		errno = EINVAL;
		return (void *)-1;
	}
	if (ef == ENC_WCHAR && et == ENC_WCHAR) {
		errno = EINVAL;	/* glibc finds no conversion from WCHAR_T to itself */
		return (void *)-1;
	}
	cd = heap_alloc(sizeof(*cd));
	if (!cd) {
		errno = ENOMEM;
		return (void *)-1;
	}
	memset(cd, 0, sizeof(*cd));
	cd->from = ef;
	cd->to = et;
	cd->flags = ft;		/* glibc reads the suffixes of the target name */
	return cd;
}
EXPORT(iconv_open, LIBC);

int iconv_close(void *cdp);
int
iconv_close(void *cdp)
{
	if (!cdp || cdp == (void *)-1) {
		errno = EBADF;
		return -1;
	}
	heap_free(cdp);
	return 0;
}
EXPORT(iconv_close, LIBC);

#define NONE	0xffffffffu	/* a byte-order mark consumed, no character */

static u32
get16(const u8 *p, bool le)
{
	return le ? p[0] | p[1] << 8 : p[0] << 8 | p[1];
}

static u32
get32(const u8 *p, bool le)
{
	return le ? (u32)p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24
		  : (u32)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static int
decode(struct iconv_cd *cd, const u8 *p, size_t n, u32 *cp)
{
	bool le = !cd->in_be, first = !cd->in_started;
	u32 c, c2;

	switch (cd->from) {
	case ENC_UTF8:
		return libc_utf8_decode(p, n, cp, true);
	case ENC_ASCII:
		if (p[0] >= 0x80)
			return -EILSEQ;
		*cp = p[0];
		return 1;
	case ENC_LATIN1:
		*cp = p[0];
		return 1;
	case ENC_UTF16LE:
	case ENC_UTF16BE:
	case ENC_UTF16:
		if (n < 2)
			return -EINVAL;
		if (cd->from != ENC_UTF16)
			le = cd->from == ENC_UTF16LE;
		c = get16(p, le);
		if (first && cd->from == ENC_UTF16 && (c == 0xfeff || c == 0xfffe)) {
			cd->in_be = c == 0xfffe;
			*cp = NONE;
			return 2;
		}
		if (c >= 0xdc00 && c < 0xe000)
			return -EILSEQ;
		if (c < 0xd800 || c >= 0xe000) {
			*cp = c;
			return 2;
		}
		if (n < 4)
			return -EINVAL;
		c2 = get16(p + 2, le);
		if (c2 < 0xdc00 || c2 >= 0xe000)
			return -EILSEQ;
		*cp = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
		return 4;
	default:	/* UTF-32 and WCHAR_T */
		if (n < 4)
			return -EINVAL;
		if (cd->from == ENC_WCHAR || cd->from == ENC_UTF32LE)
			le = true;
		else if (cd->from == ENC_UTF32BE)
			le = false;
		c = get32(p, le);
		if (cd->from == ENC_WCHAR) {
			/* glibc's internal UCS-4 takes any 31-bit value */
			if (c > 0x7fffffff)
				return -EILSEQ;
			*cp = c;
			return 4;
		}
		if (first && cd->from == ENC_UTF32 && (c == 0xfeff || c == 0xfffe0000)) {
			cd->in_be = c == 0xfffe0000;
			*cp = NONE;
			return 4;
		}
		if (c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
			return -EILSEQ;
		*cp = c;
		return 4;
	}
}

static void
put16(u8 *o, u32 c, bool le)
{
	o[le ? 0 : 1] = c & 0xff;
	o[le ? 1 : 0] = c >> 8;
}

static void
put32(u8 *o, u32 c, bool le)
{
	for (int i = 0; i < 4; i++)
		o[le ? i : 3 - i] = c >> (8 * i);
}

/* UTF-16 and UTF-32 output starts with a byte-order mark (host order),
 * written on its own: glibc leaves it in the buffer even when the first
 * character then does not fit. */
static int
write_bom(struct iconv_cd *cd, char **out, size_t *left)
{
	int len = cd->to == ENC_UTF16 ? 2 : cd->to == ENC_UTF32 ? 4 : 0;

	if (!len || cd->out_started)
		return 0;
	if (*left < (size_t)len)
		return -E2BIG;
	if (len == 2)
		put16((u8 *)*out, 0xfeff, true);
	else
		put32((u8 *)*out, 0xfeff, true);
	*out += len;
	*left -= len;
	cd->out_started = true;
	return 0;
}

/* Bytes written, -E2BIG or -EILSEQ (not representable). */
static int
encode(struct iconv_cd *cd, u32 c, u8 *o, size_t left)
{
	int bom = 0, len;
	bool le;

	if (cd->to != ENC_UTF8 && cd->to != ENC_WCHAR && (c > 0x10ffff || (c >= 0xd800 && c < 0xe000)))
		return -EILSEQ;
	switch (cd->to) {
	case ENC_UTF8:
		len = libc_utf8_len(c);
		if (left < (size_t)len)
			return -E2BIG;
		libc_utf8_encode(c, o);
		return len;
	case ENC_ASCII:
	case ENC_LATIN1:
		if (!left)		/* glibc looks for room first */
			return -E2BIG;
		if (c > (cd->to == ENC_ASCII ? 0x7fu : 0xffu))
			return (c >> 7) == (0xe0000 >> 7) ? 0 : -EILSEQ;	/* tag characters vanish */
		o[0] = c;
		return 1;
	case ENC_UTF16:
	case ENC_UTF16LE:
	case ENC_UTF16BE:
		le = cd->to != ENC_UTF16BE;
		len = c >= 0x10000 ? 4 : 2;
		if (left < (size_t)(bom + len))
			return -E2BIG;
		if (len == 2) {
			put16(o + bom, c, le);
		} else {
			put16(o + bom, 0xd800 + ((c - 0x10000) >> 10), le);
			put16(o + bom + 2, 0xdc00 + ((c - 0x10000) & 0x3ff), le);
		}
		return bom + len;
	default:
		le = cd->to != ENC_UTF32BE;
		if (left < (size_t)(bom + 4))
			return -E2BIG;
		put32(o + bom, c, le);
		return bom + 4;
	}
}

size_t iconv(void *cdp, char **inbuf, size_t *inleft, char **outbuf, size_t *outleft);
size_t
iconv(void *cdp, char **inbuf, size_t *inleft, char **outbuf, size_t *outleft)
{
	struct iconv_cd *cd = cdp;
	size_t irreversible = 0;
	bool skipped = false;	/* //IGNORE dropped something in this call */

	if (!cd || cdp == (void *)-1) {
		errno = EBADF;
		return (size_t)-1;
	}
	if (!inbuf || !*inbuf) {	/* back to the initial state */
		cd->in_started = false;
		cd->in_be = false;
		cd->out_started = false;
		return 0;
	}
	/* glibc converts through UCS-4 in two steps; the output step (and
	 * its BOM) runs only on decoded characters, except from WCHAR_T,
	 * which is that step alone and starts with the BOM. */
	if (cd->from == ENC_WCHAR && outbuf && *outbuf && write_bom(cd, outbuf, outleft) < 0) {
		errno = E2BIG;
		return (size_t)-1;
	}
	while (*inleft) {
		const u8 *in = (const u8 *)*inbuf;
		u32 c;
		int used, wrote;

		used = decode(cd, in, *inleft, &c);

		if (used == -EILSEQ && (cd->flags & IC_IGNORE)) {
			skipped = true;
			used = 1;
			c = NONE;
		} else if (used < 0) {
			/* after //IGNORE skipped something, glibc reports that */
			errno = skipped ? EILSEQ : -used;
			return (size_t)-1;
		}
		if (c != NONE) {
			u8 q = '?';

			wrote = outbuf && *outbuf ? write_bom(cd, outbuf, outleft) : -E2BIG;
			if (!wrote)
				wrote = encode(cd, c, (u8 *)*outbuf, *outleft);
			if (wrote == -EILSEQ && (cd->flags & IC_TRANSLIT)) {
				if (!*outleft) {
					errno = E2BIG;
					return (size_t)-1;
				}
				**outbuf = q;
				wrote = 1;
				irreversible++;
			} else if (wrote == -EILSEQ && (cd->flags & IC_IGNORE)) {
				skipped = true;
				wrote = 0;
			}
			if (wrote < 0) {
				errno = -wrote;
				return (size_t)-1;
			}
			if (wrote)
				cd->out_started = true;
			*outbuf += wrote;
			*outleft -= wrote;
		}
		cd->in_started = true;
		*inbuf += used;
		*inleft -= used;
	}
	if (skipped) {
		errno = EILSEQ;
		return (size_t)-1;
	}
	return irreversible;
}
EXPORT(iconv, LIBC);
