/* The wide printf formatter (fwprintf, swprintf... in wstdio.c): walks the
 * wchar_t format itself and hands each numeric conversion, rebuilt as a
 * narrow spec with its width and precision resolved, to format.c's
 * snprintf; numbers are ASCII in every locale here (C, C.UTF-8), so their
 * widths count the same in bytes and in wide characters.  Strings and
 * characters are done here, counted in wide characters as C says: %ls and
 * %lc copy wchar_t, %s and %c convert from the locale's multibyte encoding
 * first (an invalid sequence fails the call with EILSEQ, as in glibc).
 * Like format.c, %n is refused (EINVAL); positional arguments (%1$d) are
 * not supported in wide formats and fail with EINVAL. */
#include "libc.h"
#include "wide.h"
#include "wformat.h"

int snprintf(char *buf, size_t size, const char *fmt, ...);
size_t mbrtowc(int *wc, const char *s, size_t n, void *st);
unsigned btowc(int c);

struct wout {
	wformat_sink sink;
	void *ctx;
	size_t len;
	int chunk[128];
	size_t fill;
};

static void
put_w(struct wout *o, const int *p, size_t n)
{
	o->len += n;
	while (n) {
		size_t k = sizeof(o->chunk) / sizeof(o->chunk[0]) - o->fill;

		if (k > n)
			k = n;
		memcpy(o->chunk + o->fill, p, k * sizeof(int));
		o->fill += k;
		p += k;
		n -= k;
		if (o->fill == sizeof(o->chunk) / sizeof(o->chunk[0])) {
			o->sink(o->ctx, o->chunk, o->fill);
			o->fill = 0;
		}
	}
}

static void
put_wc(struct wout *o, int c)
{
	put_w(o, &c, 1);
}

static void
pad(struct wout *o, size_t n)
{
	while (n--)
		put_wc(o, ' ');
}

/* A wide string of n characters, padded to width */
static void
put_padded(struct wout *o, const int *w, size_t n, int width, bool left)
{
	size_t fill = width > 0 && (size_t)width > n ? width - n : 0;

	if (!left)
		pad(o, fill);
	put_w(o, w, n);
	if (left)
		pad(o, fill);
}

static size_t
wlen(const int *w, int prec)
{
	size_t n = 0;

	while ((prec < 0 || n < (size_t)prec) && w[n])
		n++;
	return n;
}

/* %s: up to prec wide characters from a multibyte string */
static int
put_mbs(struct wout *o, const char *s, int prec, int width, bool left)
{
	size_t n = 0, cap = 0;
	int *w = NULL;
	u64 st = 0;

	while (prec < 0 || n < (size_t)prec) {
		int wc;
		size_t r = mbrtowc(&wc, s, 16, &st);

		if (r == (size_t)-1 || r == (size_t)-2) {
			free(w);
			errno = EILSEQ;
			return -1;
		}
		if (r == 0)
			break;
		if (n == cap) {
			int *nw = realloc(w, (cap = cap ? 2 * cap : 32) * sizeof(int));

			if (!nw) {
				free(w);
				return -1;
			}
			w = nw;
		}
		w[n++] = wc;
		s += r;
	}
	put_padded(o, w, n, width, left);
	free(w);
	return 0;
}

/* The ASCII of a narrow conversion, as wide characters */
static void
put_ascii(struct wout *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_wc(o, (u8)s[i]);
}

enum len { L_NONE, L_HH, L_H, L_L, L_LL, L_J, L_Z, L_T, L_LD };

struct spec {
	char flags[8];
	int width, prec;	/* -1: none */
	enum len len;
	int conv;
};

/* The narrow spec for snprintf: % flags width .prec length conv */
static void
narrow_spec(const struct spec *s, char *out, size_t size)
{
	static const char *const lens[] = { "", "hh", "h", "l", "ll", "j", "z", "t", "L" };
	char w[16] = "", p[16] = "";

	if (s->width >= 0)
		snprintf(w, sizeof(w), "%d", s->width);
	if (s->prec >= 0)
		snprintf(p, sizeof(p), ".%d", s->prec);
	snprintf(out, size, "%%%s%s%s%s%c", s->flags, w, p, lens[s->len], s->conv);
}

/* a narrow conversion of one argument, through a buffer big enough */
#define NARROW(o, s, val) do { \
	char spec_[48], small_[128], *buf_ = small_; \
	int n_; \
	\
	narrow_spec(s, spec_, sizeof(spec_)); \
	n_ = snprintf(small_, sizeof(small_), spec_, val); \
	if (n_ < 0) \
		return -1; \
	if ((size_t)n_ >= sizeof(small_)) { \
		buf_ = malloc(n_ + 1); \
		if (!buf_) \
			return -1; \
		snprintf(buf_, n_ + 1, spec_, val); \
	} \
	put_ascii(o, buf_, n_); \
	if (buf_ != small_) \
		free(buf_); \
} while (0)

static int
convert(struct wout *o, struct spec *s, va_list *ap)
{
	bool left = strchr(s->flags, '-') != NULL;

	switch (s->conv) {
	case 'd': case 'i': {
		long long v;

		switch (s->len) {
		case L_L: v = va_arg(*ap, long); break;
		case L_LL: case L_LD: v = va_arg(*ap, long long); break;
		case L_J: v = va_arg(*ap, long long); break;
		case L_Z: case L_T: v = va_arg(*ap, long); break;
		case L_HH: v = (signed char)va_arg(*ap, int); break;
		case L_H: v = (short)va_arg(*ap, int); break;
		default: v = va_arg(*ap, int); break;
		}
		s->len = L_LL;
		NARROW(o, s, v);
		return 0;
	}
	case 'u': case 'o': case 'x': case 'X': {
		unsigned long long v;

		switch (s->len) {
		case L_L: case L_Z: case L_T: v = va_arg(*ap, unsigned long); break;
		case L_LL: case L_LD: case L_J: v = va_arg(*ap, unsigned long long); break;
		case L_HH: v = (unsigned char)va_arg(*ap, unsigned); break;
		case L_H: v = (unsigned short)va_arg(*ap, unsigned); break;
		default: v = va_arg(*ap, unsigned); break;
		}
		s->len = L_LL;
		NARROW(o, s, v);
		return 0;
	}
	case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
		if (s->len == L_LD) {
			long double v = va_arg(*ap, long double);

			NARROW(o, s, v);
		} else {
			double v = va_arg(*ap, double);

			s->len = L_NONE;
			NARROW(o, s, v);
		}
		return 0;
	case 'p': {
		void *v = va_arg(*ap, void *);

		s->len = L_NONE;
		s->prec = -1;
		NARROW(o, s, v);
		return 0;
	}
	case 'c': case 'C': {
		int c;

		if (s->conv == 'C' || s->len == L_L)
			c = (int)va_arg(*ap, unsigned);
		else {
			c = (int)btowc((u8)va_arg(*ap, int));
		}
		put_padded(o, &c, 1, s->width, left);
		return c == -1 ? -1 : 0;	/* glibc: no conversion writes WEOF and fails, errno untouched */
	}
	case 's': case 'S': case 'm': {
		static const int null_w[] = { '(', 'n', 'u', 'l', 'l', ')', 0 };

		if (s->conv == 'm')
			return put_mbs(o, strerror(errno), s->prec, s->width, left);
		if (s->conv == 'S' || s->len == L_L) {
			const int *w = va_arg(*ap, const int *);

			if (!w)		/* glibc: "(null)", or nothing if it would be cut */
				w = s->prec < 0 || s->prec >= 6 ? null_w : null_w + 6;
			put_padded(o, w, wlen(w, s->prec), s->width, left);
			return 0;
		}
		const char *p = va_arg(*ap, const char *);

		if (!p)
			p = s->prec < 0 || s->prec >= 6 ? "(null)" : "";
		return put_mbs(o, p, s->prec, s->width, left);
	}
	case 'n':
		errno = EINVAL;		/* refused, as format.c refuses it */
		return -1;
	case '%':			/* "%5%" too: glibc's wide one prints a bare % */
		put_wc(o, '%');
		return 0;
	default:
		return 1;		/* not a conversion: printed as written */
	}
}

/* flags, width, precision and length after '%' */
static const int *
parse(const int *f, struct spec *s, va_list *ap)
{
	size_t nf = 0;

	*s = (struct spec){ .width = -1, .prec = -1 };
	while (*f && strchr("-+ #0'I", *f) && *f < 128) {
		if (nf < sizeof(s->flags) - 2 && !strchr(s->flags, *f))
			s->flags[nf++] = (char)*f;
		f++;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			if (!strchr(s->flags, '-') && nf < sizeof(s->flags) - 2)
				s->flags[nf++] = '-';
			s->width = s->width == -0x7fffffff - 1 ? 0x7fffffff : -s->width;
		}
		f++;
	} else
		for (s->width = *f >= '0' && *f <= '9' ? 0 : -1; *f >= '0' && *f <= '9'; f++)
			s->width = s->width > 0x7ffffff ? 0x7fffffff : s->width * 10 + (*f - '0');
	if (*f == '.') {
		f++;
		if (*f == '*') {
			s->prec = va_arg(*ap, int);
			if (s->prec < 0)
				s->prec = -1;
			f++;
		} else
			for (s->prec = 0; *f >= '0' && *f <= '9'; f++)
				s->prec = s->prec > 0x7ffffff ? 0x7fffffff : s->prec * 10 + (*f - '0');
	}
	switch (*f) {
	case 'h': s->len = f[1] == 'h' ? L_HH : L_H; f += f[1] == 'h' ? 2 : 1; break;
	case 'l': s->len = f[1] == 'l' ? L_LL : L_L; f += f[1] == 'l' ? 2 : 1; break;
	case 'q': s->len = L_LL; f++; break;
	case 'L': s->len = L_LD; f++; break;
	case 'j': s->len = L_J; f++; break;
	case 'z': case 'Z': s->len = L_Z; f++; break;
	case 't': s->len = L_T; f++; break;
	}
	s->conv = *f;
	return f;
}

int
vwformat(wformat_sink sink, void *ctx, const int *fmt, va_list ap0)
{
	struct wout o = { .sink = sink, .ctx = ctx };
	va_list ap;
	int rc = 0;

	va_copy(ap, ap0);
	for (const int *f = fmt; *f && !rc; f++) {
		const int *start = f;
		struct spec s;
		int r;

		if (*f != '%') {
			put_wc(&o, *f);
			continue;
		}
		if (f[1] == '%') {
			put_wc(&o, '%');
			f++;
			continue;
		}
		for (const int *d = f + 1; *d >= '0' && *d <= '9'; d++)
			if (d[1] == '$') {
				errno = EINVAL;		/* positional: not supported (file comment) */
				rc = -1;
			}
		if (rc)
			break;
		f = parse(f + 1, &s, &ap);
		if (!*f) {			/* the format ends inside a spec */
			put_w(&o, start, f - start);
			f--;
			continue;
		}
		r = s.conv < 128 ? convert(&o, &s, &ap) : 1;
		if (r < 0)
			rc = -1;
		else if (r > 0)
			put_w(&o, start, f + 1 - start);
	}
	va_end(ap);
	if (o.fill)
		sink(ctx, o.chunk, o.fill);
	if (rc)
		return -1;
	if (o.len > 0x7fffffff) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)o.len;
}
