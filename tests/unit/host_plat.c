/* The platform interface implemented on glibc, so unit tests can run core
 * code on the host under ASan/UBSan.  Console output is captured into
 * host_console (and echoed when HOST_PLAT_ECHO is set); input comes from
 * host_input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <asm/prctl.h>

#include "unit/host_plat.h"
#include <core/errno.h>
#include <core/pages.h>

char host_console[1 << 16];
size_t host_console_len;
const char *host_input;
jmp_buf *host_exit_jmp;
int host_exit_status;

const char *plat_name(void) { return "unit-test"; }

void
plat_console_write(const char *buf, size_t len)
{
	size_t room = sizeof(host_console) - 1 - host_console_len;
	size_t n = len < room ? len : room;

	memcpy(host_console + host_console_len, buf, n);
	host_console_len += n;
	host_console[host_console_len] = 0;
	if (getenv("HOST_PLAT_ECHO"))
		fwrite(buf, 1, len, stdout);
}

void
host_console_clear(void)
{
	host_console_len = 0;
	host_console[0] = 0;
}

int
plat_console_getc(void)
{
	if (!host_input || !*host_input)
		return -1;
	return (unsigned char)*host_input++;
}

int plat_console_wait(u64 wait_ns) { (void)wait_ns; return 1; }
bool plat_console_is_tty(void) { return false; }
void plat_console_raw(bool raw) { (void)raw; }

void
plat_memory_region(void **base, size_t *len)
{
	*len = 64 << 20;
	*base = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

int plat_protect(void *addr, size_t len, int prot) { (void)addr; (void)len; (void)prot; return 0; }

/* Blob images written in place (as bare metal does; protections are not
 * applied here, as plat_protect's are not). */
int
plat_image_alloc(struct plat_image *im, size_t pages)
{
	memset(im, 0, sizeof(*im));
	im->run = pages_alloc(pages);
	im->w = im->run;
	im->pages = pages;
	return im->run ? 0 : -ENOMEM;
}

int
plat_image_seal(struct plat_image *im, const u8 *prot)
{
	(void)prot;
	im->w = NULL;
	im->sealed = true;
	return 0;
}

int
plat_image_write(struct plat_image *im, u64 addr, const void *src, size_t len)
{
	if (addr < (u64)im->run || addr + len > (u64)im->run + im->pages * PAGE_SIZE)
		return -EINVAL;
	memcpy((void *)addr, src, len);
	return 0;
}

int
plat_image_read(const struct plat_image *im, u64 addr, void *dst, size_t len)
{
	if (addr < (u64)im->run || addr + len > (u64)im->run + im->pages * PAGE_SIZE)
		return -EINVAL;
	memcpy(dst, (const void *)addr, len);
	return 0;
}

void
plat_image_release(struct plat_image *im)
{
	(void)im;		/* written in place: nothing staged */
}

void
plat_image_free(struct plat_image *im)
{
	if (im->run)
		pages_free(im->run, im->pages);
	memset(im, 0, sizeof(*im));
}

u64
plat_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

u64 plat_wall_seconds(void) { return time(NULL); }
u64 plat_random_u64(void) { return ((u64)random() << 32) ^ random(); }

static u64 fake_fs;
void plat_set_fs_base(u64 base) { fake_fs = base; }
u64 plat_get_fs_base(void) { return fake_fs; }
const char *plat_fs_base_how(void) { return "a variable (unit tests)"; }
void plat_watchdog_arm(u64 ns) { (void)ns; }
bool plat_breakpoints_in_memory(void) { return false; }

int
plat_file_read(const char *path, void **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -2;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	*buf = heap_alloc(n ? n : 1);
	*len = fread(*buf, 1, n, f);
	fclose(f);
	return 0;
}

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

/* Views are plain copies here: the tests want ASan to see their ends. */
int
plat_file_id(const char *path, struct plat_file_id *id)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	*id = (struct plat_file_id){ st.st_dev, st.st_ino, st.st_size,
				     st.st_mtim.tv_sec * 1000000000ULL + st.st_mtim.tv_nsec,
				     st.st_ctim.tv_sec * 1000000000ULL + st.st_ctim.tv_nsec };
	return 0;
}

int
plat_file_view(const char *path, const void **buf, size_t *len, struct plat_file_id *id)
{
	void *b;
	int rc = plat_file_id(path, id);

	if (rc || (rc = plat_file_read(path, &b, len)))
		return rc;
	*buf = b;
	return 0;
}

void
plat_file_unview(const void *buf, size_t len)
{
	heap_free((void *)buf);
}

int
plat_file_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	return fd < 0 ? -errno : fd;
}

int
plat_file_write(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

void plat_file_close(int fd) { close(fd); }

/* Unit tests attach device models in-process; no streams. */
int plat_stream_connect(const char *addr, u64 timeout_ns) { (void)addr; (void)timeout_ns; return -ENOSYS; }
int plat_stream_wait(int h, u64 wait_ns) { (void)h; (void)wait_ns; return -ENOSYS; }
int plat_stream_read(int h, void *buf, size_t len) { (void)h; (void)buf; (void)len; return -ENOSYS; }
int plat_stream_write(int h, const void *buf, size_t len) { (void)h; (void)buf; (void)len; return -ENOSYS; }
void plat_stream_close(int h) { (void)h; }

void
plat_exit(int status)
{
	host_exit_status = status;
	if (host_exit_jmp)
		longjmp(*host_exit_jmp, 1);
	fprintf(stderr, "plat_exit(%d): %s\n", status, host_console);
	exit(status);
}

/* The core's chunked printf (libc/format.c in the VMM, which host builds
 * leave out: glibc formats here).  kprintf writes through it. */
int vformat(void (*sink)(void *, const char *, size_t), void *ctx, const char *fmt, va_list ap);
int
vformat(void (*sink)(void *, const char *, size_t), void *ctx, const char *fmt, va_list ap)
{
	va_list copy;
	char *buf;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || !(buf = malloc((size_t)n + 1)))
		return -1;
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	sink(ctx, buf, (size_t)n);
	free(buf);
	return n;
}
