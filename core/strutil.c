#include <core/string.h>

/* Shell-style glob with * and ?; used by `exports`, `blob syms`, `trace`. */
bool
str_glob_match(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*p == '?' || *p == *s) {
			p++, s++;
		} else if (*p == '*') {
			star = p++;
			resume = s;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}

bool
str_starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

bool
str_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The length of the well-formed UTF-8 sequence at s that is not a control
 * character, or 0: C1 controls (U+0080-U+009F) are terminal escapes too
 * (U+009B is CSI), and a malformed byte is shown as a byte. */
static size_t
utf8_printable_len(const unsigned char *s)
{
	size_t len;
	u32 cp, min;

	if (s[0] < 0xC2 || s[0] > 0xF4)
		return 0;
	len = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	cp = s[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp <= 0x9F)
		return 0;
	return len;
}

/* s for a message: control bytes (C0, DEL, C1) and bytes that are not
 * well-formed UTF-8 as \xNN, so input echoed back cannot drive the terminal
 * (escape sequences) or hide itself; cut to fit buf with "..." at the end. */
const char *
str_printable(const char *s, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	if (!size)
		return "";
	while (*s) {
		unsigned char c = (unsigned char)*s;
		size_t len = c < 0x80 ? (c >= 0x20 && c != 0x7f) : utf8_printable_len((const unsigned char *)s);
		size_t need = len ? len : 4;

		if (n + need + 4 > size) {
			if (n + 4 <= size)
				memcpy(buf + n, "...", 3), n += 3;
			break;
		}
		if (!len) {
			buf[n++] = '\\';
			buf[n++] = 'x';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 15];
			s++;
		} else {
			memcpy(buf + n, s, len);
			n += len;
			s += len;
		}
	}
	buf[n] = '\0';
	return buf;
}
