/* The str* functions (byte loops; the hot ones live in string.c). */
#include "libc.h"

int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}
EXPORT(strcmp, LIBC);

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			break;
	}
	return 0;
}
EXPORT(strncmp, LIBC);

static inline int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int
strcasecmp(const char *a, const char *b)
{
	int x, y;

	do {
		x = lower((u8)*a++);
		y = lower((u8)*b++);
	} while (x && x == y);
	return x - y;
}
EXPORT(strcasecmp, LIBC);

int
strncasecmp(const char *a, const char *b, size_t n)
{
	int x = 0, y = 0;

	while (n--) {
		x = lower((u8)*a++);
		y = lower((u8)*b++);
		if (!x || x != y)
			break;
	}
	return x - y;
}
EXPORT(strncasecmp, LIBC);

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
EXPORT(strchr, LIBC);

char *
index(const char *s, int c)
{
	return strchr(s, c);
}
EXPORT(index, LIBC);

char *
strchrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
}
EXPORT(strchrnul, LIBC);

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}
EXPORT(strrchr, LIBC);

char *
rindex(const char *s, int c)
{
	return strrchr(s, c);
}
EXPORT(rindex, LIBC);

void *
memmem(const void *hay, size_t hn, const void *needle, size_t nn)
{
	const u8 *h = hay, *n = needle;

	if (!nn)
		return (void *)hay;
	for (; hn >= nn; h++, hn--) {
		const u8 *p = memchr(h, n[0], hn - nn + 1);
		if (!p)
			return NULL;
		hn -= p - h;
		h = p;
		if (!memcmp(h, n, nn))
			return (void *)h;
	}
	return NULL;
}
EXPORT(memmem, LIBC);

char *
strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return (char *)hay;
	for (; (hay = strchr(hay, needle[0])); hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return NULL;
}
EXPORT(strstr, LIBC);

char *
strcasestr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return (char *)hay;
	return n ? NULL : (char *)hay;
}
EXPORT(strcasestr, LIBC);

/* Membership table for the span functions: one pass over the set. */
static void
byteset(u64 set[4], const char *chars)
{
	set[0] = set[1] = set[2] = set[3] = 0;
	for (; *chars; chars++)
		set[(u8)*chars / 64] |= 1ULL << ((u8)*chars % 64);
}

static inline bool
inset(const u64 set[4], u8 c)
{
	return set[c / 64] >> (c % 64) & 1;
}

size_t
strspn(const char *s, const char *accept)
{
	u64 set[4];
	size_t n = 0;

	byteset(set, accept);
	while (s[n] && inset(set, s[n]))
		n++;
	return n;
}
EXPORT(strspn, LIBC);

size_t
strcspn(const char *s, const char *reject)
{
	u64 set[4];
	size_t n = 0;

	byteset(set, reject);
	set[0] |= 1;	/* the terminator stops the scan */
	while (!inset(set, s[n]))
		n++;
	return n;
}
EXPORT(strcspn, LIBC);

char *
strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}
EXPORT(strpbrk, LIBC);

char *
strtok_r(char *s, const char *delim, char **save)
{
	char *end;

	if (!s)
		s = *save;
	s += strspn(s, delim);
	if (!*s) {
		*save = s;
		return NULL;
	}
	end = s + strcspn(s, delim);
	if (*end)
		*end++ = '\0';
	*save = end;
	return s;
}
EXPORT(strtok_r, LIBC);

char *
strtok(char *s, const char *delim)
{
	static char *save = "";

	return strtok_r(s, delim, &save);
}
EXPORT(strtok, LIBC);

char *
strcpy(char *dst, const char *src)
{
	memcpy(dst, src, strlen(src) + 1);
	return dst;
}
EXPORT(strcpy, LIBC);

char *
stpcpy(char *dst, const char *src)
{
	size_t n = strlen(src);

	memcpy(dst, src, n + 1);
	return dst + n;
}
EXPORT(stpcpy, LIBC);

char *
strncpy(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n);

	memcpy(dst, src, len);
	memset(dst + len, 0, n - len);
	return dst;
}
EXPORT(strncpy, LIBC);

char *
stpncpy(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n);

	memcpy(dst, src, len);
	memset(dst + len, 0, n - len);
	return dst + len;
}
EXPORT(stpncpy, LIBC);

char *
strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}
EXPORT(strcat, LIBC);

char *
strncat(char *dst, const char *src, size_t n)
{
	char *d = dst + strlen(dst);
	size_t len = strnlen(src, n);

	memcpy(d, src, len);
	d[len] = '\0';
	return dst;
}
EXPORT(strncat, LIBC);

char *
strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	return d ? memcpy(d, s, n) : NULL;
}
EXPORT(strdup, LIBC);

char *__strdup(const char *s);
char *
__strdup(const char *s)		/* what some glibc macro paths call */
{
	return strdup(s);
}
EXPORT(__strdup, LIBC);

char *
strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = malloc(len + 1);

	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}
EXPORT(strndup, LIBC);
