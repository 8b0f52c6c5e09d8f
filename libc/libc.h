/* Private header of the blob-facing libc: glibc's names, prototypes and ABI
 * types (x86-64), written from the ABI facts; never glibc's headers.  The
 * core sees the subset it uses through <core/string.h>. */
#ifndef LIBC_LIBC_H
#define LIBC_LIBC_H

#include <core/types.h>
#include <core/string.h>
#include <core/export.h>
#include <core/errno.h>

/* A second name for an exported function (fopen64 for fopen). */
#define EXPORT_ALIAS(sym, alias, cls_) \
	static const struct export __export_##alias __used \
	__section("exports") __attribute__((aligned(8))) = \
	{ #alias, (void *)&(sym), EXPORT_##cls_ }

int *__errno_location(void);
#define errno (*__errno_location())

/* Host unit tests build libc/ with ASan; the vector string functions read
 * whole aligned 16-byte blocks, which never cross a page but may pass the
 * end of an object. */
#define LIBC_NO_ASAN __attribute__((no_sanitize_address))
/* The calling instruction, for reports: return address - 1, because a
 * noreturn call (__stack_chk_fail, abort) is often a function's last
 * instruction, and its return address already belongs to the next one. */
#define CALLER ((const void *)((const char *)__builtin_return_address(0) - 1))

/* string */
void *mempcpy(void *dst, const void *src, size_t n);
void *memrchr(const void *s, int c, size_t n);
void *memmem(const void *hay, size_t hn, const void *needle, size_t nn);
char *strcat(char *dst, const char *src);
char *strncat(char *dst, const char *src, size_t n);
char *stpcpy(char *dst, const char *src);
char *stpncpy(char *dst, const char *src, size_t n);
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
char *strpbrk(const char *s, const char *accept);
char *strtok(char *s, const char *delim);
char *strtok_r(char *s, const char *delim, char **save);
char *strdup(const char *s);
char *strndup(const char *s, size_t n);
char *strerror(int err);
char *strchrnul(const char *s, int c);
char *strcasestr(const char *hay, const char *needle);
void bzero(void *p, size_t n);
void explicit_bzero(void *p, size_t n);
int bcmp(const void *a, const void *b, size_t n);
char *index(const char *s, int c);
char *rindex(const char *s, int c);

/* ctype */
const unsigned short **__ctype_b_loc(void);
const int **__ctype_tolower_loc(void);
const int **__ctype_toupper_loc(void);
int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int isascii(int c);
int toascii(int c);
int tolower(int c);
int toupper(int c);

/* stdlib */
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void *reallocarray(void *p, size_t n, size_t size);
void free(void *p);
void *aligned_alloc(size_t align, size_t n);
void *memalign(size_t align, size_t n);
int posix_memalign(void **out, size_t align, size_t n);
size_t malloc_usable_size(void *p);
int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);
long long strtoll(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
long long strtoimax(const char *s, char **end, int base);
unsigned long long strtoumax(const char *s, char **end, int base);
double strtod(const char *s, char **end);
float strtof(const char *s, char **end);
long double strtold(const char *s, char **end);
double atof(const char *s);
int abs(int x);
long labs(long x);
long long llabs(long long x);
typedef struct { int quot, rem; } div_t;
typedef struct { long quot, rem; } ldiv_t;
div_t div(int a, int b);
ldiv_t ldiv(long a, long b);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void qsort_r(void *base, size_t n, size_t size,
	     int (*cmp)(const void *, const void *, void *), void *arg);
void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *));
void abort(void) __noreturn;
void exit(int status) __noreturn;
char *getenv(const char *name);
char *secure_getenv(const char *name);
int rand(void);
int rand_r(unsigned *seed);
void srand(unsigned seed);
long random(void);
void srandom(unsigned seed);

/* stdio: FILE has the size and leading fields of glibc's struct _IO_FILE,
 * so glibc's inline putc_unlocked/getc_unlocked fall through to
 * __overflow/__uflow (the buffer pointers stay NULL). */
typedef struct libc_file {
	int flags;		/* 0xfbad0000 | ... like glibc's _flags */
	int pad0;
	char *read_ptr, *read_end, *read_base;
	char *write_base, *write_ptr, *write_end;
	char *buf_base, *buf_end;
	char *glibc_private[3];
	void *markers;
	struct libc_file *chain;
	int fd;			/* _fileno, offset 112 */
	int flags2;
	u8 rest[96];		/* up to 216 bytes */
} FILE;
_Static_assert(sizeof(FILE) == 216, "FILE is glibc's struct _IO_FILE size");
_Static_assert(__builtin_offsetof(FILE, fd) == 112, "_fileno offset");

extern FILE *stdin, *stdout, *stderr;
#define EOF (-1)

int vsprintf(char *buf, const char *fmt, va_list ap);
int sprintf(char *buf, const char *fmt, ...) __printf(2, 3);
int vasprintf(char **out, const char *fmt, va_list ap);
int asprintf(char **out, const char *fmt, ...) __printf(2, 3);
int vfprintf(FILE *f, const char *fmt, va_list ap);
int fprintf(FILE *f, const char *fmt, ...) __printf(2, 3);
int vprintf(const char *fmt, va_list ap);
int printf(const char *fmt, ...) __printf(1, 2);
int vdprintf(int fd, const char *fmt, va_list ap);
int dprintf(int fd, const char *fmt, ...) __printf(2, 3);
int puts(const char *s);
int putchar(int c);
int fputs(const char *s, FILE *f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
char *fgets(char *s, int n, FILE *f);
/* wide output (wstdio.c; wchar_t is int, wint_t unsigned) */
FILE *open_wmemstream(int **bufp, size_t *sizep);
int fwide(FILE *f, int mode);
size_t libc_put_wide(FILE *f, const int *w, size_t n);	/* stdio.c, for wstdio.c */
unsigned fputwc(int wc, FILE *f);
unsigned putwc(int wc, FILE *f);
unsigned putwchar(int wc);
int fputws(const int *ws, FILE *f);
int vfwprintf(FILE *f, const int *fmt, va_list ap);
int fwprintf(FILE *f, const int *fmt, ...);
int vwprintf(const int *fmt, va_list ap);
int wprintf(const int *fmt, ...);
int vswprintf(int *buf, size_t size, const int *fmt, va_list ap);
int swprintf(int *buf, size_t size, const int *fmt, ...);
int ungetc(int c, FILE *f);
size_t fwrite(const void *p, size_t size, size_t n, FILE *f);
size_t fread(void *p, size_t size, size_t n, FILE *f);
int fflush(FILE *f);
int fclose(FILE *f);
FILE *fopen(const char *path, const char *mode);
FILE *fopen64(const char *path, const char *mode);
FILE *fdopen(int fd, const char *mode);
FILE *open_memstream(char **bufp, size_t *sizep);
FILE *fmemopen(void *buf, size_t size, const char *mode);
int fileno(FILE *f);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);
int fseek(FILE *f, long off, int whence);
long ftell(FILE *f);
void rewind(FILE *f);
int setvbuf(FILE *f, char *buf, int mode, size_t size);
void setbuf(FILE *f, char *buf);
void perror(const char *s);
int __overflow(FILE *f, int c);
int __uflow(FILE *f);
int sscanf(const char *s, const char *fmt, ...);
int vsscanf(const char *s, const char *fmt, va_list ap);
int __isoc99_sscanf(const char *s, const char *fmt, ...);
int __isoc99_vsscanf(const char *s, const char *fmt, va_list ap);
/* Shared by printf-to-stream callers: format and write to a console fd. */
int libc_vfdprintf(int fd, const char *fmt, va_list ap);

/* fileio */
typedef long off_t;
int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int close(int fd);
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
off_t lseek(int fd, off_t off, int whence);
off_t lseek64(int fd, off_t off, int whence);
int isatty(int fd);

/* time (x86-64 glibc layouts) */
typedef long time_t;
struct timespec { long tv_sec, tv_nsec; };
#ifndef BV_STRUCT_TIMEVAL	/* include/usb/libusb1.h declares it too */
#define BV_STRUCT_TIMEVAL
struct timeval { long tv_sec, tv_usec; };
#endif
time_t time(time_t *t);
int clock_gettime(int clk, struct timespec *ts);
int gettimeofday(struct timeval *tv, void *tz);
int nanosleep(const struct timespec *req, struct timespec *rem);
int usleep(unsigned usec);
unsigned sleep(unsigned sec);
long clock(void);

/* assert, ssp, runtime */
void __assert_fail(const char *expr, const char *file, unsigned line,
		   const char *func) __noreturn;
void __stack_chk_fail(void) __noreturn;
void __stack_chk_fail_local(void) __noreturn;

/* Exact decimal conversion of binary floating point (libc/fpconv.c). */
struct fp_parts {
	u64 mant;	/* value = mant * 2^exp2, mant may be 0 */
	int exp2;
	int hexbits;	/* 53: implicit-bit double, 64: x87 long double */
	bool neg, inf, nan;
};
void fp_from_double(double d, struct fp_parts *p);
void fp_from_long_double(long double d, struct fp_parts *p);

#endif
