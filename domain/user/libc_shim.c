/* The domain build of libc (docs/domains.md, "The domain runtime"): the
 * core's libc sources compiled a second time, position-independent, for
 * ring 3.  Where those sources reach the core, this file answers inside
 * the domain instead, through the system calls:
 *   errno          one per domain thread, in the domain's static TLS
 *   ctx_abort, panic   BV_SYS_EXIT with the message
 *   ctx_heap       NULL: malloc uses the heap.c instance compiled into the
 *                  domain, whose pages (pages_alloc) come from BV_SYS_MEM_GROW
 *   libc_wc_encode the "C" locale's (ASCII) until locale.c comes along
 *   stdio          printf & co. on the console descriptors through
 *                  vformat and BV_SYS_WRITE (no files yet: fd.c is next)
 * Nothing here is called by the VMM; every name is weak in the runtime
 * object (objcopy --weaken), so a blob's own definitions win. */
#include <core/types.h>
#include <core/errno.h>
#include <core/string.h>
#include <domain/abi.h>

long bv_syscall(long nr, long a1, long a2, long a3, long a4, long a5);
void bv_exit(int status, const char *msg) __noreturn;

int *__errno_location(void);
void ctx_abort(const char *why, const void *caller) __noreturn;
void panic(const char *fmt, ...) __noreturn;
struct heap *ctx_heap(void);
void *pages_alloc(size_t npages);
void pages_free(void *p, size_t npages);
int libc_wc_encode(char *s, u32 wc);

/* In the domain's static TLS (below its TCB; module.mk builds this file
 * with the local-exec model): one errno per domain thread. */
static __thread int domain_errno;

int *
__errno_location(void)
{
	return &domain_errno;
}

void
ctx_abort(const char *why, const void *caller)
{
	bv_exit(134, why);
}

void
panic(const char *fmt, ...)
{
	static char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bv_exit(134, msg);
}

struct heap *
ctx_heap(void)
{
	return NULL;
}

void *
pages_alloc(size_t npages)
{
	long r = bv_syscall(BV_SYS_MEM_GROW, (long)npages, 0, 0, 0, 0);

	return r < 0 ? NULL : (void *)r;
}

/* Pages go back to the VMM when the domain is unloaded, not before. */
void
pages_free(void *p, size_t npages)
{
}

int
libc_wc_encode(char *s, u32 wc)
{
	if (wc >= 0x80)
		return -1;
	*s = (char)wc;
	return 1;
}

/* --- stdio on the console ------------------------------------------------ */

/* glibc's FILE is 216 bytes; code compiled against its headers only takes
 * the address of stdout/stderr and passes it back. */
static char stdin_file[216], stdout_file[216], stderr_file[216];
void *stdin = stdin_file, *stdout = stdout_file, *stderr = stderr_file;

int printf(const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
int fprintf(void *f, const char *fmt, ...);
int vfprintf(void *f, const char *fmt, va_list ap);
int fputs(const char *s, void *f);
int fputc(int c, void *f);
int putc(int c, void *f);
int putchar(int c);
int puts(const char *s);
size_t fwrite(const void *p, size_t size, size_t n, void *f);
int fflush(void *f);

static int
fd_of(void *f)
{
	return f == stdout ? 1 : f == stderr ? 2 : -1;
}

static void
sink(void *ctx, const char *s, size_t n)
{
	bv_syscall(BV_SYS_WRITE, (long)ctx, (long)s, (long)n, 0, 0);
}

int
vfprintf(void *f, const char *fmt, va_list ap)
{
	int fd = fd_of(f);

	if (fd < 0) {
		*__errno_location() = EBADF;
		return -1;
	}
	return vformat(sink, (void *)(long)fd, fmt, ap);
}

int
fprintf(void *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

int
vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}


size_t
fwrite(const void *p, size_t size, size_t n, void *f)
{
	int fd = fd_of(f);

	if (fd < 0 || !size || !n)
		return 0;
	return bv_syscall(BV_SYS_WRITE, fd, (long)p, (long)(size * n), 0, 0) < 0 ? 0 : n;
}

int
fputs(const char *s, void *f)
{
	return fwrite(s, 1, strlen(s), f) || !*s ? 1 : -1;
}

int
fputc(int c, void *f)
{
	unsigned char b = (unsigned char)c;

	return fwrite(&b, 1, 1, f) ? b : -1;
}

int putc(int c, void *f) { return fputc(c, f); }
int putchar(int c) { return fputc(c, stdout); }
int fflush(void *f) { return 0; }

int
puts(const char *s)
{
	return fputs(s, stdout) < 0 || fputc('\n', stdout) < 0 ? -1 : 1;
}

/* No input reaches a domain yet (descriptors and files come with fd.c and
 * BV_SYS_FILE_READ): reads fail EBADF. */
long read(int fd, void *buf, size_t n);
char *fgets(char *s, int n, void *f);
size_t fread(void *p, size_t size, size_t n, void *f);

long
read(int fd, void *buf, size_t n)
{
	*__errno_location() = EBADF;
	return -1;
}

char *
fgets(char *s, int n, void *f)
{
	*__errno_location() = EBADF;
	return NULL;
}

size_t
fread(void *p, size_t size, size_t n, void *f)
{
	*__errno_location() = EBADF;
	return 0;
}

void __assert_fail(const char *expr, const char *file, unsigned line, const char *fn) __noreturn;

void
__assert_fail(const char *expr, const char *file, unsigned line, const char *fn)
{
	panic("%s:%u: %s: assertion `%s' failed", file, line, fn, expr);
}
