/* The core's view of the string functions.  They are implemented once, in
 * libc/, with glibc's names and prototypes; the core calls the same code the
 * blobs import. */
#ifndef CORE_STRING_H
#define CORE_STRING_H

#include <core/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* printf to SINK in chunks (no heap, no length limit): bytes, or -1. */
typedef void (*format_sink)(void *ctx, const char *p, size_t n);
int vformat(format_sink sink, void *ctx, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);

/* Core helpers that glibc has no name for. */
bool str_glob_match(const char *pattern, const char *s);
bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
/* s with control bytes and malformed UTF-8 as \xNN (for echoing input in messages). */
const char *str_printable(const char *s, char *buf, size_t size);

#endif
