/* Wide-character output for blobs: fputwc, putwc, putwchar, fputws, the
 * fwprintf family and swprintf, enough for open_wmemstream (stdio.c) and
 * for wide output to any stream (encoded in the locale's multibyte form
 * by stdio.c's libc_put_wide).  The formatter is wformat.c's.  No wide
 * input (fgetwc...): no driver this libc serves reads wide streams. */
#include "libc.h"
#include "wformat.h"

#define WEOF	0xffffffffu

unsigned
fputwc(int wc, FILE *f)
{
	return libc_put_wide(f, &wc, 1) == 1 ? (unsigned)wc : WEOF;
}
EXPORT(fputwc, LIBC);

unsigned
putwc(int wc, FILE *f)
{
	return fputwc(wc, f);
}
EXPORT(putwc, LIBC);

unsigned
putwchar(int wc)
{
	return fputwc(wc, stdout);
}
EXPORT(putwchar, LIBC);

int
fputws(const int *ws, FILE *f)
{
	size_t n = 0;

	while (ws[n])
		n++;
	if (fwide(f, 1) <= 0)
		return EOF;
	return libc_put_wide(f, ws, n) == n ? 1 : EOF;	/* glibc's 1 */
}
EXPORT(fputws, LIBC);

struct stream_sink {
	FILE *f;
	bool failed;
};

static void
to_stream(void *ctx, const int *w, size_t n)
{
	struct stream_sink *s = ctx;

	if (!s->failed && libc_put_wide(s->f, w, n) != n)
		s->failed = true;
}

/* written as it is formatted, as glibc's buffer takes it: what came
 * before a failing conversion stays in the stream */
int
vfwprintf(FILE *f, const int *fmt, va_list ap)
{
	struct stream_sink s = { f, false };
	int n;

	if (fwide(f, 1) <= 0)
		return -1;
	n = vwformat(to_stream, &s, fmt, ap);
	return s.failed ? -1 : n;
}
EXPORT(vfwprintf, LIBC);

int
fwprintf(FILE *f, const int *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfwprintf(f, fmt, ap);
	va_end(ap);
	return n;
}
EXPORT(fwprintf, LIBC);

int
vwprintf(const int *fmt, va_list ap)
{
	return vfwprintf(stdout, fmt, ap);
}
EXPORT(vwprintf, LIBC);

int
wprintf(const int *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfwprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}
EXPORT(wprintf, LIBC);

struct buf_sink {
	int *buf;
	size_t size, len;	/* len: would-be length */
};

static void
to_buf(void *ctx, const int *w, size_t n)
{
	struct buf_sink *b = ctx;

	for (size_t i = 0; i < n; i++, b->len++)
		if (b->len + 1 < b->size)
			b->buf[b->len] = w[i];
}

/* At most size wide characters with the NUL; -1 when the output did not
 * fit (glibc's rule, unlike snprintf's). */
int
vswprintf(int *buf, size_t size, const int *fmt, va_list ap)
{
	struct buf_sink b = { buf, size, 0 };
	int n;

	if (!size)
		return -1;
	n = vwformat(to_buf, &b, fmt, ap);
	buf[b.len < size ? b.len : size - 1] = 0;
	if (n >= 0 && (size_t)n >= size)
		return -1;
	return n;
}
EXPORT(vswprintf, LIBC);

int
swprintf(int *buf, size_t size, const int *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vswprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
EXPORT(swprintf, LIBC);
