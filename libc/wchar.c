/* The wcs and wmem functions (wchar_t is a signed 32-bit int on x86-64
 * Linux, compared as signed, as glibc does) and the ASCII-only wide ctype
 * of the C locale. */
#include "wide.h"
#include <core/heap.h>

typedef int wchar;

/* glibc compares wchar_t values as signed ints (wchar_t is signed). */
static int
wcmp(wchar a, wchar b)
{
	return a < b ? -1 : a > b;
}

size_t wcslen(const wchar *s);
size_t
wcslen(const wchar *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
EXPORT(wcslen, LIBC);

size_t wcsnlen(const wchar *s, size_t max);
size_t
wcsnlen(const wchar *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}
EXPORT(wcsnlen, LIBC);

int wcscmp(const wchar *a, const wchar *b);
int
wcscmp(const wchar *a, const wchar *b)
{
	while (*a && *a == *b)
		a++, b++;
	return wcmp(*a, *b);
}
EXPORT(wcscmp, LIBC);

int wcsncmp(const wchar *a, const wchar *b, size_t n);
int
wcsncmp(const wchar *a, const wchar *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return wcmp(*a, *b);
	return 0;
}
EXPORT(wcsncmp, LIBC);

/* The case-blind comparisons return the difference of the two towlower
 * values as glibc does, wrapping included (so -5 sorts below 'a' but
 * above 0x7fffffff). */
static unsigned
wlower(wchar c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned)c + 32 : (unsigned)c;
}

static int
ucmp(unsigned a, unsigned b)
{
	return (int)(a - b);
}

int wcscasecmp(const wchar *a, const wchar *b);
int
wcscasecmp(const wchar *a, const wchar *b)
{
	while (*a && wlower(*a) == wlower(*b))
		a++, b++;
	return ucmp(wlower(*a), wlower(*b));
}
EXPORT(wcscasecmp, LIBC);

int wcsncasecmp(const wchar *a, const wchar *b, size_t n);
int
wcsncasecmp(const wchar *a, const wchar *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (wlower(*a) != wlower(*b) || !*a)
			return ucmp(wlower(*a), wlower(*b));
	return 0;
}
EXPORT(wcsncasecmp, LIBC);

wchar *wcscpy(wchar *d, const wchar *s);
wchar *
wcscpy(wchar *d, const wchar *s)
{
	wchar *r = d;

	while ((*d++ = *s++))
		;
	return r;
}
EXPORT(wcscpy, LIBC);

wchar *wcpcpy(wchar *d, const wchar *s);
wchar *
wcpcpy(wchar *d, const wchar *s)
{
	while ((*d = *s++))
		d++;
	return d;
}
EXPORT(wcpcpy, LIBC);

wchar *wcsncpy(wchar *d, const wchar *s, size_t n);
wchar *
wcsncpy(wchar *d, const wchar *s, size_t n)
{
	size_t i = 0;

	for (; i < n && s[i]; i++)
		d[i] = s[i];
	for (; i < n; i++)
		d[i] = 0;
	return d;
}
EXPORT(wcsncpy, LIBC);

wchar *wcscat(wchar *d, const wchar *s);
wchar *
wcscat(wchar *d, const wchar *s)
{
	wcscpy(d + wcslen(d), s);
	return d;
}
EXPORT(wcscat, LIBC);

wchar *wcsncat(wchar *d, const wchar *s, size_t n);
wchar *
wcsncat(wchar *d, const wchar *s, size_t n)
{
	wchar *e = d + wcslen(d);

	while (n-- && *s)
		*e++ = *s++;
	*e = 0;
	return d;
}
EXPORT(wcsncat, LIBC);

wchar *wcschr(const wchar *s, wchar c);
wchar *
wcschr(const wchar *s, wchar c)
{
	for (;; s++) {
		if (*s == c)
			return (wchar *)s;
		if (!*s)
			return NULL;
	}
}
EXPORT(wcschr, LIBC);

wchar *wcsrchr(const wchar *s, wchar c);
wchar *
wcsrchr(const wchar *s, wchar c)
{
	const wchar *last = NULL;

	for (;; s++) {
		if (*s == c)
			last = s;
		if (!*s)
			return (wchar *)last;
	}
}
EXPORT(wcsrchr, LIBC);

wchar *wcsdup(const wchar *s);
wchar *
wcsdup(const wchar *s)
{
	size_t n = (wcslen(s) + 1) * sizeof(wchar);
	wchar *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}
EXPORT(wcsdup, LIBC);

size_t wcsspn(const wchar *s, const wchar *accept);
size_t
wcsspn(const wchar *s, const wchar *accept)
{
	size_t n = 0;

	while (s[n] && wcschr(accept, s[n]))
		n++;
	return n;
}
EXPORT(wcsspn, LIBC);

size_t wcscspn(const wchar *s, const wchar *reject);
size_t
wcscspn(const wchar *s, const wchar *reject)
{
	size_t n = 0;

	while (s[n] && !wcschr(reject, s[n]))
		n++;
	return n;
}
EXPORT(wcscspn, LIBC);

wchar *wcspbrk(const wchar *s, const wchar *accept);
wchar *
wcspbrk(const wchar *s, const wchar *accept)
{
	s += wcscspn(s, accept);
	return *s ? (wchar *)s : NULL;
}
EXPORT(wcspbrk, LIBC);

wchar *wcsstr(const wchar *hay, const wchar *needle);
wchar *
wcsstr(const wchar *hay, const wchar *needle)
{
	size_t n = wcslen(needle);

	for (; *hay; hay++)
		if (!wcsncmp(hay, needle, n))
			return (wchar *)hay;
	return n ? NULL : (wchar *)hay;
}
EXPORT(wcsstr, LIBC);

wchar *wcstok(wchar *s, const wchar *delim, wchar **save);
wchar *
wcstok(wchar *s, const wchar *delim, wchar **save)
{
	wchar *end;

	if (!s)
		s = *save;
	s += wcsspn(s, delim);
	if (!*s) {
		*save = s;
		return NULL;
	}
	end = s + wcscspn(s, delim);
	if (*end)
		*end++ = 0;
	*save = end;
	return s;
}
EXPORT(wcstok, LIBC);

wchar *wmemcpy(wchar *d, const wchar *s, size_t n);
wchar *
wmemcpy(wchar *d, const wchar *s, size_t n)
{
	return memcpy(d, s, n * sizeof(wchar));
}
EXPORT(wmemcpy, LIBC);

wchar *wmempcpy(wchar *d, const wchar *s, size_t n);
wchar *
wmempcpy(wchar *d, const wchar *s, size_t n)
{
	return (wchar *)memcpy(d, s, n * sizeof(wchar)) + n;
}
EXPORT(wmempcpy, LIBC);

wchar *wmemmove(wchar *d, const wchar *s, size_t n);
wchar *
wmemmove(wchar *d, const wchar *s, size_t n)
{
	return memmove(d, s, n * sizeof(wchar));
}
EXPORT(wmemmove, LIBC);

wchar *wmemset(wchar *d, wchar c, size_t n);
wchar *
wmemset(wchar *d, wchar c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] = c;
	return d;
}
EXPORT(wmemset, LIBC);

int wmemcmp(const wchar *a, const wchar *b, size_t n);
int
wmemcmp(const wchar *a, const wchar *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b)
			return wcmp(*a, *b);
	return 0;
}
EXPORT(wmemcmp, LIBC);

wchar *wmemchr(const wchar *s, wchar c, size_t n);
wchar *
wmemchr(const wchar *s, wchar c, size_t n)
{
	for (; n; n--, s++)
		if (*s == c)
			return (wchar *)s;
	return NULL;
}
EXPORT(wmemchr, LIBC);

/* Wide ctype: ASCII classes, as glibc's C locale (and the ASCII range of
 * C.UTF-8). */
#define WCLASS(name, test) \
	int name(unsigned c); \
	int name(unsigned c) { return c < 0x80 && (test); } \
	EXPORT(name, LIBC)
WCLASS(iswalpha, (c | 32) - 'a' < 26);
WCLASS(iswdigit, c - '0' < 10);
WCLASS(iswalnum, (c | 32) - 'a' < 26 || c - '0' < 10);
WCLASS(iswspace, c == ' ' || c - '\t' < 5);
WCLASS(iswupper, c - 'A' < 26);
WCLASS(iswlower, c - 'a' < 26);
WCLASS(iswxdigit, c - '0' < 10 || (c | 32) - 'a' < 6);
WCLASS(iswprint, c - 0x20 < 0x5f);
WCLASS(iswpunct, c - 0x21 < 0x5e && !((c | 32) - 'a' < 26 || c - '0' < 10));
WCLASS(iswcntrl, c < 0x20 || c == 0x7f);
WCLASS(iswgraph, c - 0x21 < 0x5e);
WCLASS(iswblank, c == ' ' || c == '\t');

unsigned towlower(unsigned c);
unsigned
towlower(unsigned c)
{
	return c - 'A' < 26 ? c + 32 : c;
}
EXPORT(towlower, LIBC);

unsigned towupper(unsigned c);
unsigned
towupper(unsigned c)
{
	return c - 'a' < 26 ? c - 32 : c;
}
EXPORT(towupper, LIBC);
