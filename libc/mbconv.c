/* Multibyte <-> wide conversions (mbrtowc, wcrtomb and the string forms)
 * in the current LC_CTYPE; restartable state in glibc's 8-byte mbstate_t
 * (the pending bytes of an incomplete character). */
#include "wide.h"

#define MBSTATE_INCOMPLETE	((size_t)-2)
#define MB_ERR			((size_t)-1)

/* glibc's UTF-8 reader: the lead byte gives the length (up to the old
 * 6-byte forms); a short sequence whose bytes so far are continuations is
 * incomplete (EINVAL) even when it could never be valid, and a complete one
 * is then checked for overlong forms, surrogates and the U+10FFFF limit. */
int
libc_utf8_decode(const u8 *p, size_t n, u32 *cp, bool strict)
{
	u32 c = p[0];
	int len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xc2 || c > 0xfd)	/* 0xc0 and 0xc1 only start overlong forms */
		return -EILSEQ;
	len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : c < 0xfc ? 5 : 6;
	c &= 0x7f >> len;
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return -EINVAL;
		if ((p[i] & 0xc0) != 0x80)
			return -EILSEQ;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < (len == 2 ? 0x80u : len == 3 ? 0x800u : len == 4 ? 0x10000u : len == 5 ? 0x200000u :
		 0x4000000u))
		return -EILSEQ;		/* overlong */
	if ((c >= 0xd800 && c < 0xe000) || (strict && (len > 4 || c > 0x10ffff)))
		return -EILSEQ;
	*cp = c;
	return len;
}

/* Up to 0x7fffffff, beyond U+10FFFF in the old 5- and 6-byte forms, as
 * glibc's converter writes them. */
int
libc_utf8_len(u32 c)
{
	return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : c < 0x200000 ? 4 : c < 0x4000000 ? 5 : 6;
}

void
libc_utf8_encode(u32 c, u8 *o)
{
	int len = libc_utf8_len(c);

	if (len == 1) {
		o[0] = c;
		return;
	}
	for (int i = len - 1; i > 0; i--, c >>= 6)
		o[i] = 0x80 | (c & 0x3f);
	o[0] = (u8)(0xff00 >> len) | c;
}

int
libc_wc_encode(char *s, u32 c)
{
	if (!libc_ctype_utf8) {
		if (c < 0x80) {
			s[0] = c;
			return 1;
		}
		/* glibc drops Unicode's tag characters it cannot encode */
		return (c >> 7) == (0xe0000 >> 7) ? 0 : -1;
	}
	if (c > 0x7fffffff || (c >= 0xd800 && c < 0xe000))
		return -1;
	libc_utf8_encode(c, (u8 *)s);
	return libc_utf8_len(c);
}

int
libc_mb_decode(u32 *wc, const u8 *s, size_t n)
{
	int r;

	if (s[0] < 0x80) {
		*wc = s[0];
		return s[0] ? 1 : 0;
	}
	if (!libc_ctype_utf8)
		return -1;
	r = libc_utf8_decode(s, n, wc, false);
	return r == -EILSEQ ? -1 : r == -EINVAL ? -2 : r;
}

static mbstate_ internal_mbrtowc, internal_mbrlen, internal_wcrtomb, internal_mbsrtowcs,
	internal_wcsrtombs;

size_t mbrtowc(int *pwc, const char *s, size_t n, mbstate_ *st);
size_t
mbrtowc(int *pwc, const char *s, size_t n, mbstate_ *st)
{
	u8 buf[8];
	size_t have, take;
	u32 wc;
	int r;

	if (!st)
		st = &internal_mbrtowc;
	if (!s) {
		pwc = NULL;
		s = "";
		n = 1;
	}
	if (!n)
		return MBSTATE_INCOMPLETE;
	have = st->count > 0 && st->count < 6 ? st->count : 0;
	memcpy(buf, st->bytes, have);
	/* no further than a character needs, nor past a NUL */
	for (take = 0; take < n && have + take < 6; take++) {
		buf[have + take] = s[take];
		if (!s[take]) {
			take++;
			break;
		}
	}
	r = libc_mb_decode(&wc, buf, have + take);
	if (r == -1) {
		st->count = 0;
		errno = EILSEQ;
		return MB_ERR;
	}
	if (r == -2) {
		memcpy(st->bytes, buf, have + take);
		st->count = have + take;
		return MBSTATE_INCOMPLETE;
	}
	st->count = 0;
	if (pwc)
		*pwc = wc;
	return r ? (size_t)r - have : 0;
}
EXPORT(mbrtowc, LIBC);

size_t mbrlen(const char *s, size_t n, mbstate_ *st);
size_t
mbrlen(const char *s, size_t n, mbstate_ *st)
{
	return mbrtowc(NULL, s, n, st ? st : &internal_mbrlen);
}
EXPORT(mbrlen, LIBC);

int mbtowc(int *pwc, const char *s, size_t n);
int
mbtowc(int *pwc, const char *s, size_t n)
{
	mbstate_ st = { 0 };
	size_t r;

	if (!s)
		return 0;	/* stateless encodings */
	r = mbrtowc(pwc, s, n, &st);
	if (r == MB_ERR || r == MBSTATE_INCOMPLETE) {
		errno = EILSEQ;
		return -1;
	}
	return r;
}
EXPORT(mbtowc, LIBC);

int mblen(const char *s, size_t n);
int
mblen(const char *s, size_t n)
{
	return mbtowc(NULL, s, n);
}
EXPORT(mblen, LIBC);

size_t wcrtomb(char *s, int wc, mbstate_ *st);
size_t
wcrtomb(char *s, int wc, mbstate_ *st)
{
	char buf[6];
	int r;

	if (!st)
		st = &internal_wcrtomb;
	if (!s) {
		st->count = 0;
		return 1;
	}
	r = libc_wc_encode(buf, (u32)wc);
	if (r < 0) {
		errno = EILSEQ;
		return MB_ERR;
	}
	memcpy(s, buf, r);
	return r;
}
EXPORT(wcrtomb, LIBC);

int wctomb(char *s, int wc);
int
wctomb(char *s, int wc)
{
	size_t r;

	if (!s)
		return 0;
	r = wcrtomb(s, wc, NULL);
	return r == MB_ERR ? -1 : (int)r;
}
EXPORT(wctomb, LIBC);

int mbsinit(const mbstate_ *st);
int
mbsinit(const mbstate_ *st)
{
	return !st || !st->count;
}
EXPORT(mbsinit, LIBC);

int btowc(int c);
int
btowc(int c)
{
	u8 b = c;
	u32 wc;

	if (c == -1 || (c & ~0xff) || libc_mb_decode(&wc, &b, 1) < 0)
		return -1;	/* WEOF */
	return wc;
}
EXPORT(btowc, LIBC);

int wctob(int wc);
int
wctob(int wc)
{
	return wc >= 0 && wc < 0x80 ? wc : -1;
}
EXPORT(wctob, LIBC);

size_t mbsnrtowcs(int *dst, const char **src, size_t nms, size_t len, mbstate_ *st);
size_t
mbsnrtowcs(int *dst, const char **src, size_t nms, size_t len, mbstate_ *st)
{
	const char *s = *src;
	size_t n = 0;

	if (!st)
		st = &internal_mbsrtowcs;
	while (!dst || n < len) {
		int wc;
		size_t r = mbrtowc(&wc, s, nms, st);

		if (r == MB_ERR) {
			if (dst)
				*src = s;
			return MB_ERR;
		}
		if (r == MBSTATE_INCOMPLETE) {
			if (dst)
				*src = s + nms;
			return n;
		}
		if (dst)
			dst[n] = wc;
		if (!r) {
			if (dst)
				*src = NULL;
			return n;
		}
		s += r;
		nms -= r;
		n++;
	}
	*src = s;
	return n;
}
EXPORT(mbsnrtowcs, LIBC);

size_t mbsrtowcs(int *dst, const char **src, size_t len, mbstate_ *st);
size_t
mbsrtowcs(int *dst, const char **src, size_t len, mbstate_ *st)
{
	return mbsnrtowcs(dst, src, (size_t)-1 / 2, len, st);
}
EXPORT(mbsrtowcs, LIBC);

size_t mbstowcs(int *dst, const char *src, size_t len);
size_t
mbstowcs(int *dst, const char *src, size_t len)
{
	mbstate_ st = { 0 };

	return mbsrtowcs(dst, &src, len, &st);
}
EXPORT(mbstowcs, LIBC);

size_t wcsnrtombs(char *dst, const int **src, size_t nwc, size_t len, mbstate_ *st);
size_t
wcsnrtombs(char *dst, const int **src, size_t nwc, size_t len, mbstate_ *st)
{
	const int *w = *src;
	size_t n = 0;

	for (; nwc; nwc--, w++) {
		char buf[6];
		int r;

		if (dst && n == len) {	/* full: what follows is not looked at */
			*src = w;
			return n;
		}
		r = libc_wc_encode(buf, (u32)*w);

		if (r < 0) {
			if (dst)
				*src = w;
			errno = EILSEQ;
			return MB_ERR;
		}
		if (dst && n + r > len) {
			*src = w;
			return n;
		}
		if (!*w) {
			if (dst) {
				dst[n] = '\0';
				*src = NULL;
			}
			return n;
		}
		if (dst)
			memcpy(dst + n, buf, r);
		n += r;
	}
	if (dst)
		*src = w;
	return n;
}
EXPORT(wcsnrtombs, LIBC);

size_t wcsrtombs(char *dst, const int **src, size_t len, mbstate_ *st);
size_t
wcsrtombs(char *dst, const int **src, size_t len, mbstate_ *st)
{
	return wcsnrtombs(dst, src, (size_t)-1 / 4, len, st ? st : &internal_wcsrtombs);
}
EXPORT(wcsrtombs, LIBC);

size_t wcstombs(char *dst, const int *src, size_t len);
size_t
wcstombs(char *dst, const int *src, size_t len)
{
	mbstate_ st = { 0 };

	return wcsrtombs(dst, &src, len, &st);
}
EXPORT(wcstombs, LIBC);
