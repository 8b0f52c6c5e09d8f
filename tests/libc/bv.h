/* The libc under test, compiled for the host with every symbol renamed
 * bv_*, next to glibc's originals.  Helpers for differential checks. */
#ifndef TESTS_LIBC_BV_H
#define TESTS_LIBC_BV_H

#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <wchar.h>
#include <sys/types.h>
#include <time.h>
#include <sys/time.h>
#include "tap.h"
#include "libm_check.h"

/* shim.c: the execution context the libc reports into */
extern int shim_errno;
extern jmp_buf *shim_abort_jmp;
extern char shim_abort_why[512];
extern const void *shim_abort_caller;
#define EXPECT_ABORT(stmt) ({ \
	jmp_buf jb__; int aborted__ = 0; \
	shim_abort_why[0] = 0; shim_abort_jmp = &jb__; \
	if (setjmp(jb__)) aborted__ = 1; else { stmt; } \
	shim_abort_jmp = NULL; aborted__; })

/* What a blob importing NAME gets: export_lookup (libm_check.h) answers
 * NULL for a name that is not exported (refused); exported() ends the
 * test with a TAP comment instead. */
static inline void *
exported(const char *name)
{
	void *addr = export_lookup(name);

	if (!addr) {
		printf("# %s is not exported\n", name);
		__builtin_exit(1);
	}
	return addr;
}

/* Deterministic random numbers (xorshift64*). */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static inline uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

void *bv_memcpy(void *, const void *, size_t);
void *bv_mempcpy(void *, const void *, size_t);
void *bv_memmove(void *, const void *, size_t);
void *bv_memset(void *, int, size_t);
int bv_memcmp(const void *, const void *, size_t);
int bv_bcmp(const void *, const void *, size_t);
void *bv_memchr(const void *, int, size_t);
void *bv_memrchr(const void *, int, size_t);
void *bv_memmem(const void *, size_t, const void *, size_t);
size_t bv_strlen(const char *);
size_t bv_strnlen(const char *, size_t);
int bv_strcmp(const char *, const char *);
int bv_strncmp(const char *, const char *, size_t);
int bv_strcasecmp(const char *, const char *);
int bv_strncasecmp(const char *, const char *, size_t);
char *bv_strchr(const char *, int);
char *bv_strrchr(const char *, int);
char *bv_strchrnul(const char *, int);
char *bv_strstr(const char *, const char *);
char *bv_strcasestr(const char *, const char *);
size_t bv_strspn(const char *, const char *);
size_t bv_strcspn(const char *, const char *);
char *bv_strpbrk(const char *, const char *);
char *bv_strtok(char *, const char *);
char *bv_strtok_r(char *, const char *, char **);
char *bv_strcpy(char *, const char *);
char *bv_stpcpy(char *, const char *);
char *bv_strncpy(char *, const char *, size_t);
char *bv_stpncpy(char *, const char *, size_t);
char *bv_strcat(char *, const char *);
char *bv_strncat(char *, const char *, size_t);
char *bv_strdup(const char *);
char *bv_strndup(const char *, size_t);
char *bv_strerror(int);
int bv___xpg_strerror_r(int, char *, size_t);
char *bv_strerror_r(int, char *, size_t);
void bv_bzero(void *, size_t);
void bv_explicit_bzero(void *, size_t);

const unsigned short **bv___ctype_b_loc(void);
const int **bv___ctype_tolower_loc(void);
const int **bv___ctype_toupper_loc(void);
int bv_isalnum(int), bv_isalpha(int), bv_isblank(int), bv_iscntrl(int), bv_isdigit(int),
    bv_isgraph(int), bv_islower(int), bv_isprint(int), bv_ispunct(int), bv_isspace(int),
    bv_isupper(int), bv_isxdigit(int), bv_isascii(int), bv_toascii(int), bv_tolower(int),
    bv_toupper(int);

void *bv_malloc(size_t);
void *bv_calloc(size_t, size_t);
void *bv_realloc(void *, size_t);
void *bv_reallocarray(void *, size_t, size_t);
void bv_free(void *);
void *bv_aligned_alloc(size_t, size_t);
void *bv_memalign(size_t, size_t);
int bv_posix_memalign(void **, size_t, size_t);
size_t bv_malloc_usable_size(void *);
int bv_atoi(const char *);
long bv_atol(const char *);
long long bv_atoll(const char *);
long bv_strtol(const char *, char **, int);
unsigned long bv_strtoul(const char *, char **, int);
long long bv_strtoll(const char *, char **, int);
unsigned long long bv_strtoull(const char *, char **, int);
double bv_strtod(const char *, char **);
float bv_strtof(const char *, char **);
long double bv_strtold(const char *, char **);
double bv_atof(const char *);
int bv_abs(int);
long bv_labs(long);
void bv_qsort(void *, size_t, size_t, int (*)(const void *, const void *));
void *bv_bsearch(const void *, const void *, size_t, size_t, int (*)(const void *, const void *));
void bv_abort(void);
char *bv_getenv(const char *);
int bv_rand(void);
void bv_srand(unsigned);
int bv_rand_r(unsigned *);
long bv_random(void);
void bv_srandom(unsigned);

int bv_snprintf(char *, size_t, const char *, ...);
int bv_vsnprintf(char *, size_t, const char *, va_list);
int bv_sprintf(char *, const char *, ...);
int bv_asprintf(char **, const char *, ...);
int bv_printf(const char *, ...);
int bv_fprintf(void *, const char *, ...);
int bv_puts(const char *);
int bv_putchar(int);
int bv_fputs(const char *, void *);
int bv_fputc(int, void *);
size_t bv_fwrite(const void *, size_t, size_t, void *);
size_t bv_fread(void *, size_t, size_t, void *);
int bv_fflush(void *);
int bv_fclose(void *);
void *bv_fopen(const char *, const char *);
int bv_fileno(void *);
int bv___overflow(void *, int);
extern void *bv_stdin, *bv_stdout, *bv_stderr;
int bv_sscanf(const char *, const char *, ...);
int bv___isoc99_sscanf(const char *, const char *, ...);

int bv_open(const char *, int, ...);
int bv_close(int);
ssize_t bv_read(int, void *, size_t);
ssize_t bv_write(int, const void *, size_t);
off_t bv_lseek(int, off_t, int);
off_t bv_lseek64(int, off_t, int);

time_t bv_time(time_t *);
int bv_clock_gettime(int, struct timespec *);
int bv_gettimeofday(struct timeval *, void *);
int bv_nanosleep(const struct timespec *, struct timespec *);
int bv_usleep(unsigned);

int *bv___errno_location(void);
void bv___assert_fail(const char *, const char *, unsigned, const char *);
void bv___stack_chk_fail(void);

void *bv___memcpy_chk(void *, const void *, size_t, size_t);
void *bv___memmove_chk(void *, const void *, size_t, size_t);
void *bv___memset_chk(void *, int, size_t, size_t);
char *bv___strcpy_chk(char *, const char *, size_t);
char *bv___stpcpy_chk(char *, const char *, size_t);
char *bv___strcat_chk(char *, const char *, size_t);
char *bv___strncpy_chk(char *, const char *, size_t, size_t);
int bv___sprintf_chk(char *, int, size_t, const char *, ...);
int bv___snprintf_chk(char *, size_t, int, size_t, const char *, ...);
int bv___printf_chk(int, const char *, ...);
int bv___fprintf_chk(void *, int, const char *, ...);
void bv___explicit_bzero_chk(void *, size_t, size_t);
#endif
