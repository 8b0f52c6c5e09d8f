/* _FORTIFY_SOURCE entry points: the compiler passes the destination
 * object's size; an operation that would overflow it is reported with the
 * caller and both sizes, and the blob call is stopped before any byte is
 * written (ctx_abort unwinds to the call's recovery point). */
#include "libc.h"
#include <core/context.h>

static char why[160];

static void __noreturn
overflow(const char *fn, size_t need, size_t room, const void *caller)
{
	snprintf(why, sizeof(why), "%s: buffer overflow: %zu bytes into a %zu-byte object",
		 fn, need, room);
	ctx_abort(why, caller);
}

void __chk_fail(void) __noreturn;
void
__chk_fail(void)
{
	ctx_abort("__chk_fail: buffer overflow detected", CALLER);
}
EXPORT(__chk_fail, FORTIFY);

#define CHECK(fn, need, room) \
	do { if ((need) > (room)) overflow(fn, need, room, CALLER); } while (0)

void *__memcpy_chk(void *d, const void *s, size_t n, size_t room);
void *
__memcpy_chk(void *d, const void *s, size_t n, size_t room)
{
	CHECK("__memcpy_chk", n, room);
	return memcpy(d, s, n);
}
EXPORT(__memcpy_chk, FORTIFY);

void *__memmove_chk(void *d, const void *s, size_t n, size_t room);
void *
__memmove_chk(void *d, const void *s, size_t n, size_t room)
{
	CHECK("__memmove_chk", n, room);
	return memmove(d, s, n);
}
EXPORT(__memmove_chk, FORTIFY);

void *__mempcpy_chk(void *d, const void *s, size_t n, size_t room);
void *
__mempcpy_chk(void *d, const void *s, size_t n, size_t room)
{
	CHECK("__mempcpy_chk", n, room);
	return mempcpy(d, s, n);
}
EXPORT(__mempcpy_chk, FORTIFY);

void *__memset_chk(void *d, int c, size_t n, size_t room);
void *
__memset_chk(void *d, int c, size_t n, size_t room)
{
	CHECK("__memset_chk", n, room);
	return memset(d, c, n);
}
EXPORT(__memset_chk, FORTIFY);

void __explicit_bzero_chk(void *d, size_t n, size_t room);
void
__explicit_bzero_chk(void *d, size_t n, size_t room)
{
	CHECK("__explicit_bzero_chk", n, room);
	explicit_bzero(d, n);
}
EXPORT(__explicit_bzero_chk, FORTIFY);

char *__strcpy_chk(char *d, const char *s, size_t room);
char *
__strcpy_chk(char *d, const char *s, size_t room)
{
	CHECK("__strcpy_chk", strlen(s) + 1, room);
	return strcpy(d, s);
}
EXPORT(__strcpy_chk, FORTIFY);

char *__stpcpy_chk(char *d, const char *s, size_t room);
char *
__stpcpy_chk(char *d, const char *s, size_t room)
{
	CHECK("__stpcpy_chk", strlen(s) + 1, room);
	return stpcpy(d, s);
}
EXPORT(__stpcpy_chk, FORTIFY);

char *__strncpy_chk(char *d, const char *s, size_t n, size_t room);
char *
__strncpy_chk(char *d, const char *s, size_t n, size_t room)
{
	CHECK("__strncpy_chk", n, room);
	return strncpy(d, s, n);
}
EXPORT(__strncpy_chk, FORTIFY);

char *__stpncpy_chk(char *d, const char *s, size_t n, size_t room);
char *
__stpncpy_chk(char *d, const char *s, size_t n, size_t room)
{
	CHECK("__stpncpy_chk", n, room);
	return stpncpy(d, s, n);
}
EXPORT(__stpncpy_chk, FORTIFY);

char *__strcat_chk(char *d, const char *s, size_t room);
char *
__strcat_chk(char *d, const char *s, size_t room)
{
	size_t have = strnlen(d, room);

	if (have == room)	/* the destination is not even terminated */
		overflow("__strcat_chk", room + 1, room, CALLER);
	CHECK("__strcat_chk", have + strlen(s) + 1, room);
	return strcat(d, s);
}
EXPORT(__strcat_chk, FORTIFY);

char *__strncat_chk(char *d, const char *s, size_t n, size_t room);
char *
__strncat_chk(char *d, const char *s, size_t n, size_t room)
{
	size_t have = strnlen(d, room);

	if (have == room)
		overflow("__strncat_chk", room + 1, room, CALLER);
	CHECK("__strncat_chk", have + strnlen(s, n) + 1, room);
	return strncat(d, s, n);
}
EXPORT(__strncat_chk, FORTIFY);

/* The printf family: format into the object (bounded), then judge the
 * length; glibc's flag argument (refuse %n in writable formats) is moot
 * since %n is always refused. */
int __vsnprintf_chk(char *s, size_t n, int flag, size_t room, const char *fmt, va_list ap);
int
__vsnprintf_chk(char *s, size_t n, int flag, size_t room, const char *fmt, va_list ap)
{
	CHECK("__vsnprintf_chk", n, room);
	return vsnprintf(s, n, fmt, ap);
}
EXPORT(__vsnprintf_chk, FORTIFY);

int __snprintf_chk(char *s, size_t n, int flag, size_t room, const char *fmt, ...);
int
__snprintf_chk(char *s, size_t n, int flag, size_t room, const char *fmt, ...)
{
	va_list ap;
	int r;

	CHECK("__snprintf_chk", n, room);
	va_start(ap, fmt);
	r = vsnprintf(s, n, fmt, ap);
	va_end(ap);
	return r;
}
EXPORT(__snprintf_chk, FORTIFY);

static int
sprintf_checked(char *s, size_t room, const char *fmt, va_list ap, const char *fn,
		const void *caller)
{
	int r;

	if (room == 0)
		overflow(fn, 1, 0, caller);
	r = vsnprintf(s, room > 0x7fffffff ? 0x7fffffff : room, fmt, ap);
	if (r >= 0 && (size_t)r >= room)
		overflow(fn, (size_t)r + 1, room, caller);
	return r;
}

int __vsprintf_chk(char *s, int flag, size_t room, const char *fmt, va_list ap);
int
__vsprintf_chk(char *s, int flag, size_t room, const char *fmt, va_list ap)
{
	return sprintf_checked(s, room, fmt, ap, "__vsprintf_chk", CALLER);
}
EXPORT(__vsprintf_chk, FORTIFY);

int __sprintf_chk(char *s, int flag, size_t room, const char *fmt, ...);
int
__sprintf_chk(char *s, int flag, size_t room, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sprintf_checked(s, room, fmt, ap, "__sprintf_chk", CALLER);
	va_end(ap);
	return r;
}
EXPORT(__sprintf_chk, FORTIFY);

int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap);
int
__vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap)
{
	return vfprintf(f, fmt, ap);
}
EXPORT(__vfprintf_chk, FORTIFY);

int __fprintf_chk(FILE *f, int flag, const char *fmt, ...);
int
__fprintf_chk(FILE *f, int flag, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}
EXPORT(__fprintf_chk, FORTIFY);

int __vprintf_chk(int flag, const char *fmt, va_list ap);
int
__vprintf_chk(int flag, const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}
EXPORT(__vprintf_chk, FORTIFY);

int __printf_chk(int flag, const char *fmt, ...);
int
__printf_chk(int flag, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}
EXPORT(__printf_chk, FORTIFY);

int __vasprintf_chk(char **out, int flag, const char *fmt, va_list ap);
int
__vasprintf_chk(char **out, int flag, const char *fmt, va_list ap)
{
	return vasprintf(out, fmt, ap);
}
EXPORT(__vasprintf_chk, FORTIFY);

int __asprintf_chk(char **out, int flag, const char *fmt, ...);
int
__asprintf_chk(char **out, int flag, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(out, fmt, ap);
	va_end(ap);
	return r;
}
EXPORT(__asprintf_chk, FORTIFY);

size_t __fread_chk(void *p, size_t room, size_t size, size_t n, FILE *f);
size_t
__fread_chk(void *p, size_t room, size_t size, size_t n, FILE *f)
{
	if (size && n > SIZE_MAX / size)
		overflow("__fread_chk", SIZE_MAX, room, CALLER);
	CHECK("__fread_chk", size * n, room);
	return fread(p, size, n, f);
}
EXPORT(__fread_chk, FORTIFY);

ssize_t __read_chk(int fd, void *p, size_t n, size_t room);
ssize_t
__read_chk(int fd, void *p, size_t n, size_t room)
{
	CHECK("__read_chk", n, room);
	return read(fd, p, n);
}
EXPORT(__read_chk, FORTIFY);

char *__fgets_chk(char *s, size_t room, int n, FILE *f);
char *
__fgets_chk(char *s, size_t room, int n, FILE *f)
{
	if (n > 0)
		CHECK("__fgets_chk", (size_t)n, room);
	return fgets(s, n, f);
}
EXPORT(__fgets_chk, FORTIFY);

/* The wide printf family (wstdio.c); swprintf's sizes count wchar_t, as
 * glibc's headers pass them. */
int __vfwprintf_chk(FILE *f, int flag, const int *fmt, va_list ap);
int
__vfwprintf_chk(FILE *f, int flag, const int *fmt, va_list ap)
{
	return vfwprintf(f, fmt, ap);
}
EXPORT(__vfwprintf_chk, FORTIFY);

int __fwprintf_chk(FILE *f, int flag, const int *fmt, ...);
int
__fwprintf_chk(FILE *f, int flag, const int *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfwprintf(f, fmt, ap);
	va_end(ap);
	return r;
}
EXPORT(__fwprintf_chk, FORTIFY);

int __vwprintf_chk(int flag, const int *fmt, va_list ap);
int
__vwprintf_chk(int flag, const int *fmt, va_list ap)
{
	return vfwprintf(stdout, fmt, ap);
}
EXPORT(__vwprintf_chk, FORTIFY);

int __wprintf_chk(int flag, const int *fmt, ...);
int
__wprintf_chk(int flag, const int *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfwprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}
EXPORT(__wprintf_chk, FORTIFY);

int __vswprintf_chk(int *s, size_t n, int flag, size_t room, const int *fmt, va_list ap);
int
__vswprintf_chk(int *s, size_t n, int flag, size_t room, const int *fmt, va_list ap)
{
	CHECK("__vswprintf_chk", n, room);
	return vswprintf(s, n, fmt, ap);
}
EXPORT(__vswprintf_chk, FORTIFY);

int __swprintf_chk(int *s, size_t n, int flag, size_t room, const int *fmt, ...);
int
__swprintf_chk(int *s, size_t n, int flag, size_t room, const int *fmt, ...)
{
	va_list ap;
	int r;

	CHECK("__swprintf_chk", n, room);
	va_start(ap, fmt);
	r = vswprintf(s, n, fmt, ap);
	va_end(ap);
	return r;
}
EXPORT(__swprintf_chk, FORTIFY);
