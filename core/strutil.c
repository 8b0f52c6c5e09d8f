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

/* s for a message: control bytes and DEL as \xNN, so input echoed back
 * cannot drive the terminal (escape sequences) or hide itself; cut to fit
 * buf with "..." at the end. */
const char *
str_printable(const char *s, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	if (!size)
		return "";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t need = (c < 0x20 || c == 0x7f) ? 4 : 1;

		if (n + need + 4 > size) {
			if (n + 4 <= size)
				memcpy(buf + n, "...", 3), n += 3;
			break;
		}
		if (need == 4) {
			buf[n++] = '\\';
			buf[n++] = 'x';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 15];
		} else {
			buf[n++] = (char)c;
		}
	}
	buf[n] = '\0';
	return buf;
}
