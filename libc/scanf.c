/* sscanf/vsscanf with C99 semantics (also under glibc's __isoc99_ names):
 * d i u o x X p, f e g a (any case), s c [set], n, %%, `*' suppression,
 * widths, lengths hh h l ll j z t q L, and the `m' allocation modifier.
 * Numbers go through strto*, on at most `width' characters. */
#include "libc.h"

enum len { L_INT, L_HH, L_H, L_L, L_LL, L_BIG };

static void
store_int(void *p, enum len len, unsigned long long v)
{
	switch (len) {
	case L_HH: *(char *)p = (char)v; break;
	case L_H: *(short *)p = (short)v; break;
	case L_INT: *(int *)p = (int)v; break;
	default: *(long long *)p = (long long)v; break;
	}
}

/* Copy up to width characters of s into buf for strto*: returns length. */
static size_t
window(const char *s, int width, char *buf, size_t size)
{
	size_t n = 0, max = width > 0 ? (size_t)width : size - 1;

	if (max > size - 1)
		max = size - 1;
	while (n < max && s[n])
		buf[n] = s[n], n++;
	buf[n] = '\0';
	return n;
}

/* How many characters scanf reads for a float: like glibc, greedily by
 * the grammar (sign, digits, point, exponent marker and sign, hex and
 * inf/nan forms) up to the width, even when the tail ("1e+") then turns
 * out not to belong to the number; 0 if no digit was read. */
static size_t
float_extent(const char *s, size_t max)
{
	size_t n = 0;
	bool digits = false, hex = false;

#define AT(i) ((i) < max ? s[i] : '\0')
	if (AT(n) == '+' || AT(n) == '-')
		n++;
	if ((AT(n) | 32) == 'i' || (AT(n) | 32) == 'n') {
		static const char *const words[] = { "infinity", "inf", "nan" };
		for (int w = 0; w < 3; w++) {
			size_t k = 0;
			while (words[w][k] && (AT(n + k) | 32) == words[w][k])
				k++;
			if (!words[w][k])	/* glibc reads no "(payload)" */
				return n + k;
		}
		return 0;
	}
	if (AT(n) == '0' && (AT(n + 1) | 32) == 'x') {
		hex = true;
		n += 2;
	}
	for (bool point = false;; n++) {
		char c = AT(n);
		if (c == '.' && !point)
			point = true;
		else if (hex ? isxdigit((u8)c) : isdigit((u8)c))
			digits = true;
		else
			break;
	}
	if (!digits)
		return 0;
	if ((AT(n) | 32) == (hex ? 'p' : 'e')) {
		n++;
		if (AT(n) == '+' || AT(n) == '-')
			n++;
		while (isdigit((u8)AT(n)))
			n++;
	}
	return n;
#undef AT
}

static const char *
parse_set(const char *f, bool set[256])
{
	bool invert = false;

	if (*f == '^')
		invert = true, f++;
	memset(set, 0, 256);
	if (*f == ']')
		set[(u8)']'] = true, f++;
	for (; *f && *f != ']'; f++) {
		if (f[1] == '-' && f[2] && f[2] != ']') {
			for (int c = (u8)f[0]; c <= (u8)f[2]; c++)
				set[c] = true;
			f += 2;
		} else {
			set[(u8)*f] = true;
		}
	}
	if (invert)
		for (int c = 0; c < 256; c++)
			set[c] = !set[c];
	set[0] = false;
	return f;	/* at ']' (or the end of a broken format) */
}

int
vsscanf(const char *str, const char *fmt, va_list ap)
{
	const char *s = str;
	int assigned = 0;
	bool converted = false;

	for (; *fmt; fmt++) {
		bool suppress = false, alloc = false;
		int width = 0;
		enum len len = L_INT;
		char conv;

		if (isspace((u8)*fmt)) {
			while (isspace((u8)*s))
				s++;
			continue;
		}
		if (*fmt != '%' || fmt[1] == '%') {
			if (*fmt == '%') {
				fmt++;
				while (isspace((u8)*s))
					s++;
			}
			if (*s != *fmt)
				goto fail;
			s++;
			continue;
		}
		fmt++;
		if (*fmt == '*')
			suppress = true, fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == 'm')
			alloc = true, fmt++;
		for (;; fmt++) {
			if (*fmt == 'h')
				len = len == L_H ? L_HH : L_H;
			else if (*fmt == 'l')
				len = len == L_L ? L_LL : L_L;
			else if (*fmt == 'j' || *fmt == 'z' || *fmt == 't' || *fmt == 'q')
				len = L_LL;
			else if (*fmt == 'L')
				len = L_BIG;
			else
				break;
		}
		conv = *fmt;
		if (!conv)
			break;
		if (conv != 'c' && conv != '[' && conv != 'n')
			while (isspace((u8)*s))
				s++;
		if (!*s && conv != 'n')
			goto input_end;
		switch (conv) {
		case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'p': {
			char buf[128], *end;
			int base = conv == 'd' || conv == 'u' ? 10 : conv == 'i' ? 0 : conv == 'o' ? 8 : 16;
			unsigned long long v;

			window(s, width, buf, sizeof(buf));
			if (conv == 'd' || conv == 'i')
				v = (unsigned long long)strtoll(buf, &end, base);
			else
				v = strtoull(buf, &end, base);
			if (end == buf)
				goto fail;
			s += end - buf;
			if (!suppress) {
				void *p = va_arg(ap, void *);
				if (conv == 'p')
					*(void **)p = (void *)(uintptr_t)v;
				else
					store_int(p, len, v);
				assigned++;
			}
			break;
		}
		case 'f': case 'e': case 'g': case 'a': case 'E': case 'G': case 'F': case 'A': {
			char buf[512], *end;
			size_t take = float_extent(s, width > 0 ? (size_t)width : sizeof(buf) - 1);

			if (!take || take >= sizeof(buf))
				goto fail;
			memcpy(buf, s, take);
			buf[take] = '\0';
			if (len == L_BIG) {
				long double v = strtold(buf, &end);
				if (end != buf && !suppress)
					*va_arg(ap, long double *) = v;
			} else if (len == L_L) {
				double v = strtod(buf, &end);
				if (end != buf && !suppress)
					*va_arg(ap, double *) = v;
			} else {
				float v = strtof(buf, &end);
				if (end != buf && !suppress)
					*va_arg(ap, float *) = v;
			}
			if (end == buf)
				goto fail;
			s += take;	/* the whole read extent, as glibc */
			assigned += !suppress;
			break;
		}
		case 's': case 'c': case '[': {
			bool set[256];
			size_t n = 0, max;
			char *dst = NULL;
			int *wdst = NULL;

			if (conv == '[') {
				fmt = parse_set(fmt + 1, set);
				if (!*fmt)
					goto fail;
			} else {
				for (int c = 0; c < 256; c++)
					set[c] = conv == 'c' ? c != 0 : !isspace(c) && c != 0;
			}
			max = width > 0 ? (size_t)width : conv == 'c' ? 1 : SIZE_MAX;
			while (n < max && set[(u8)s[n]])
				n++;
			if (!n || (conv == 'c' && n < max))
				goto fail;
			if (!suppress) {
				size_t cells = n + (conv != 'c');
				void *p = va_arg(ap, void *);

				if (alloc) {
					void *buf = malloc(cells * (len == L_L ? 4 : 1));
					if (!buf)
						goto fail;
					*(void **)p = buf;
					p = buf;
				}
				if (len == L_L)
					wdst = p;
				else
					dst = p;
				for (size_t i = 0; i < n; i++) {
					if (wdst)
						wdst[i] = (u8)s[i];
					else
						dst[i] = s[i];
				}
				if (conv != 'c') {
					if (wdst)
						wdst[n] = 0;
					else
						dst[n] = '\0';
				}
				assigned++;
			}
			s += n;
			break;
		}
		case 'n':
			if (!suppress)
				store_int(va_arg(ap, void *), len, s - str);
			continue;	/* does not count, does not need input */
		default:
			goto fail;
		}
		converted = true;
	}
	return assigned;
input_end:
	return converted || assigned ? assigned : EOF;
fail:
	return assigned;
}
EXPORT(vsscanf, LIBC);

LIBC_VARIADIC(sscanf, (const char *s, const char *fmt, ...), fmt, vsscanf(s, fmt, ap))
EXPORT(sscanf, LIBC);

int
__isoc99_vsscanf(const char *s, const char *fmt, va_list ap)
{
	return vsscanf(s, fmt, ap);
}
EXPORT(__isoc99_vsscanf, LIBC);

LIBC_VARIADIC(__isoc99_sscanf, (const char *s, const char *fmt, ...), fmt, vsscanf(s, fmt, ap))
EXPORT(__isoc99_sscanf, LIBC);
