/* The printf formatter shared by the core's kprintf and the blobs' printf
 * family.  glibc's output for the same format and arguments is the
 * reference (tests/libc compares them). */
#include <core/string.h>
#include <core/export.h>

struct out {
	char *buf;
	size_t size;
	size_t len;	/* would-be length, may exceed size */
};

static void
out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void
out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void
out_mem(struct out *o, const char *s, size_t n)
{
	while (n--)
		out_char(o, *s++);
}

enum {
	F_MINUS = 1, F_PLUS = 2, F_SPACE = 4, F_HASH = 8, F_ZERO = 16,
};

static void
format_integer(struct out *o, unsigned long long v, bool negative, int base,
	       bool upper, int flags, int width, int prec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	const char *prefix = "";
	int zeros, pad;

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (prec < 0)
		prec = 1;
	else
		flags &= ~F_ZERO;
	zeros = prec > n ? prec - n : 0;
	if (negative)
		prefix = "-";
	else if (flags & F_PLUS)
		prefix = "+";
	else if (flags & F_SPACE)
		prefix = " ";
	if ((flags & F_HASH) && base == 8 && zeros == 0 && (n == 0 || tmp[n - 1] != '0'))
		zeros = 1;
	if ((flags & F_HASH) && base == 16 && n > 0)
		prefix = upper ? "0X" : "0x";
	pad = width - (int)strlen(prefix) - zeros - n;
	if (!(flags & (F_MINUS | F_ZERO)))
		out_pad(o, ' ', pad);
	out_mem(o, prefix, strlen(prefix));
	if (flags & F_ZERO)
		out_pad(o, '0', pad);
	out_pad(o, '0', zeros);
	while (n)
		out_char(o, tmp[--n]);
	if (flags & F_MINUS)
		out_pad(o, ' ', pad);
}

static void
format_string(struct out *o, const char *s, int flags, int width, int prec)
{
	size_t n;

	if (!s)
		s = prec < 0 || prec >= 6 ? "(null)" : "";
	n = prec < 0 ? strlen(s) : strnlen(s, prec);
	if (!(flags & F_MINUS))
		out_pad(o, ' ', width - (int)n);
	out_mem(o, s, n);
	if (flags & F_MINUS)
		out_pad(o, ' ', width - (int)n);
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int flags = 0, width = 0, prec = -1, len = 0;
		unsigned long long u;
		long long s;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		for (;; fmt++) {
			switch (fmt[1]) {
			case '-': flags |= F_MINUS; continue;
			case '+': flags |= F_PLUS; continue;
			case ' ': flags |= F_SPACE; continue;
			case '#': flags |= F_HASH; continue;
			case '0': flags |= F_ZERO; continue;
			}
			break;
		}
		fmt++;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_MINUS;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		if (flags & F_MINUS)
			flags &= ~F_ZERO;
		/* length: 1 = h, 2 = hh, 3 = l, 4 = ll (and j, z, t) */
		for (;; fmt++) {
			if (*fmt == 'h')
				len = len == 1 ? 2 : 1;
			else if (*fmt == 'l')
				len = len == 3 ? 4 : 3;
			else if (*fmt == 'j' || *fmt == 'z' || *fmt == 't' || *fmt == 'q' || *fmt == 'L')
				len = 4;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			s = len >= 3 ? va_arg(ap, long long) : va_arg(ap, int);
			if (len == 1)
				s = (short)s;
			else if (len == 2)
				s = (signed char)s;
			u = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
			format_integer(&o, u, s < 0, 10, false, flags, width, prec);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = len >= 3 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			if (len == 1)
				u = (unsigned short)u;
			else if (len == 2)
				u = (unsigned char)u;
			format_integer(&o, u, false,
				       *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
				       *fmt == 'X', flags & ~(F_PLUS | F_SPACE), width, prec);
			break;
		case 'p':
			u = (unsigned long)va_arg(ap, void *);
			if (!u)
				format_string(&o, "(nil)", flags, width, -1);
			else
				format_integer(&o, u, false, 16, false, flags | F_HASH, width, prec);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			if (!(flags & F_MINUS))
				out_pad(&o, ' ', width - 1);
			out_char(&o, c);
			if (flags & F_MINUS)
				out_pad(&o, ' ', width - 1);
			break;
		}
		case 's':
			format_string(&o, va_arg(ap, const char *), flags, width, prec);
			break;
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			/* unknown conversion: print it as written, like glibc */
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > 0x7fffffff ? -1 : (int)o.len;
}
EXPORT(vsnprintf, LIBC);

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
EXPORT(snprintf, LIBC);
