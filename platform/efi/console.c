/* Messages of the loader, while boot services last: the firmware's console
 * (ConOut) reaches its screen and serial port alike.  A tiny formatter is
 * enough here: the loader has no libc, and the VMM's own is not linked in. */
#include <stdarg.h>
#include "loader.h"

size_t
str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int
str_ncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i])
			return (unsigned char)a[i] - (unsigned char)b[i];
		if (!a[i])
			return 0;
	}
	return 0;
}

void
mem_copy(void *dst, const void *src, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

void
mem_set(void *dst, int c, size_t n)
{
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(c) : "memory");
}

static char16 line[512];
static size_t used;

static void
flush(void)
{
	line[used] = 0;
	if (used && efi_st && efi_st->con_out)
		efi_st->con_out->output_string(efi_st->con_out, line);
	used = 0;
}

static void
put(char c)
{
	if (used + 3 >= sizeof(line) / sizeof(line[0]))
		flush();
	if (c == '\n')
		line[used++] = '\r';
	line[used++] = (unsigned char)c;
}

static void
put_num(uint64_t v, unsigned base)
{
	char buf[24];
	int n = 0;

	if (base == 16) {
		put('0');
		put('x');
	}
	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		put(buf[--n]);
}

void
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(*f);
			continue;
		}
		switch (*++f) {
		case 's':
			for (const char *s = va_arg(ap, const char *); *s; s++)
				put(*s);
			break;
		case 'u':
			put_num(va_arg(ap, uint64_t), 10);
			break;
		case 'x':
			put_num(va_arg(ap, uint64_t), 16);
			break;
		default:
			put(*f);
			break;
		}
	}
	va_end(ap);
	flush();
}
