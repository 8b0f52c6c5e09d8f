/* stdio: glibc-ABI FILE objects (blobs import the pointer variables
 * `stdout'...), unbuffered, reading and writing through the descriptor
 * table (read(2)/write(2)): stdin, stdout and stderr on the console, and
 * fopen/fdopen on whatever a descriptor can reach (the operator's files,
 * /tmp); or, for open_memstream and fmemopen, through memory
 * (memstream.c: no descriptor, fileno -1 as in glibc). */
#include "libc.h"
#include "fd.h"
#include "memstream.h"
#include "wide.h"

#define FILE_MAGIC	0xfbad0000
#define F_EOF		0x10	/* glibc's _IO_EOF_SEEN */
#define F_ERR		0x20	/* glibc's _IO_ERR_SEEN */

#define NFILES	64	/* stdin, stdout, stderr and FOPEN_MAX-ish opened streams */
static FILE files[NFILES] = {
	{ .flags = FILE_MAGIC, .fd = 0 },
	{ .flags = FILE_MAGIC, .fd = 1 },
	{ .flags = FILE_MAGIC, .fd = 2 },
};
static int pushback[NFILES] = { EOF, EOF, EOF };
static bool used[NFILES] = { true, true, true };
static struct memfile *mem[NFILES];	/* memory streams (fd -1) */
/* fwide's orientation: 0 not yet, -1 bytes (set by the first byte
 * function), 1 wide (the first wide function, or open_wmemstream).  A
 * byte function on a wide stream fails, as glibc's fputs does; C leaves
 * mixing them undefined. */
static signed char orient[NFILES];

FILE *stdin = &files[0];
FILE *stdout = &files[1];
FILE *stderr = &files[2];
EXPORT(stdin, LIBC);
EXPORT(stdout, LIBC);
EXPORT(stderr, LIBC);

/* One of ours and still open? */
static bool
valid(FILE *f)
{
	if (f < files || f >= files + NFILES || !used[f - files] ||
	    (f->fd < 0 && !mem[f - files])) {
		errno = EBADF;
		return false;
	}
	return true;
}

/* A write after ungetc goes where the pushed-back byte was read from
 * (the byte is dropped), as in glibc. */
static void
drop_pushback(FILE *f)
{
	struct memfile *m = mem[f - files];

	if (pushback[f - files] == EOF)
		return;
	pushback[f - files] = EOF;
	if (m)
		memfile_seek(m, -1, 1);
	else
		lseek(f->fd, -1, 1);
}

/* The first byte function orients a stream to bytes; none works on a
 * wide one. */
static bool
bytes_ok(FILE *f)
{
	if (orient[f - files] > 0)
		return false;
	orient[f - files] = -1;
	return true;
}

/* Bytes of p written: n, or fewer with the error flag set. */
static size_t
put_raw(FILE *f, const void *p, size_t n)
{
	struct memfile *m;
	size_t w;

	if (!n)
		return 0;
	drop_pushback(f);
	m = mem[f - files];
	if (!m) {
		if (n && write(f->fd, p, n) < 0) {
			f->flags |= F_ERR;
			return 0;
		}
		return n;
	}
	if (!memfile_writable(m)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return 0;
	}
	w = memfile_write(m, p, n);
	if (memfile_error(m))
		f->flags |= F_ERR;
	return w;
}

static size_t
put_some(FILE *f, const void *p, size_t n)
{
	if (!valid(f) || !bytes_ok(f))
		return 0;
	return put_raw(f, p, n);
}

static int
put(FILE *f, const void *p, size_t n)
{
	return valid(f) && put_some(f, p, n) == n ? 0 : -1;	/* n == 0: nothing to refuse, as glibc */
}

/* One read: bytes, 0 at the end (F_EOF), -1 on error (F_ERR). */
static ssize_t
get_some(FILE *f, void *p, size_t n)
{
	struct memfile *m = mem[f - files];
	ssize_t r;

	if (!bytes_ok(f))
		return -1;
	if (!m) {
		r = read(f->fd, p, n);
	} else {
		r = memfile_read(m, p, n);
		if (memfile_error(m))	/* pending writes that did not fit */
			f->flags |= F_ERR;
		if (!r && memfile_reads_nothing(m))
			return 0;	/* glibc: an end, no flag */
	}
	if (r <= 0)
		f->flags |= r ? F_ERR : F_EOF;
	return r;
}

struct fd_sink {
	int fd;
	bool failed;
};

static void
fd_sink(void *ctx, const char *p, size_t n)
{
	struct fd_sink *s = ctx;

	if (!s->failed && write(s->fd, p, n) < 0)
		s->failed = true;
}

int
libc_vfdprintf(int fd, const char *fmt, va_list ap)
{
	struct fd_sink s = { fd, false };
	int n = vformat(fd_sink, &s, fmt, ap);

	return s.failed ? -1 : n;
}

int
vfprintf(FILE *f, const char *fmt, va_list ap)
{
	int n;

	if (!valid(f))
		return -1;
	if (!bytes_ok(f))
		return -1;
	if (mem[f - files]) {
		/* one write, as glibc's buffer would give the memory */
		char *s;

		n = vasprintf(&s, fmt, ap);
		if (n < 0)
			return -1;
		if (put(f, s, n))
			n = -1;
		free(s);
		return n;
	}
	n = libc_vfdprintf(f->fd, fmt, ap);
	if (n < 0)
		f->flags |= F_ERR;
	return n;
}
EXPORT(vfprintf, LIBC);

int
fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}
EXPORT(fprintf, LIBC);

int
vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}
EXPORT(vprintf, LIBC);

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}
EXPORT(printf, LIBC);

int
vdprintf(int fd, const char *fmt, va_list ap)
{
	return libc_vfdprintf(fd, fmt, ap);
}
EXPORT(vdprintf, LIBC);

int
dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = libc_vfdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}
EXPORT(dprintf, LIBC);

int
fputs(const char *s, FILE *f)
{
	return put(f, s, strlen(s)) ? EOF : 1;
}
EXPORT(fputs, LIBC);

int
puts(const char *s)
{
	size_t n = strlen(s);

	if (put(stdout, s, n) || put(stdout, "\n", 1))
		return EOF;
	return n + 1 > 0x7fffffff ? 0x7fffffff : (int)n + 1;	/* as glibc */
}
EXPORT(puts, LIBC);

int
fputc(int c, FILE *f)
{
	u8 ch = (u8)c;

	return put(f, &ch, 1) ? EOF : ch;
}
EXPORT(fputc, LIBC);

int
putc(int c, FILE *f)
{
	return fputc(c, f);
}
EXPORT(putc, LIBC);

int
putchar(int c)
{
	return fputc(c, stdout);
}
EXPORT(putchar, LIBC);

/* glibc's inline putc_unlocked calls this when its (always empty) buffer
 * is full. */
int
__overflow(FILE *f, int c)
{
	return c == EOF ? 0 : fputc(c, f);
}
EXPORT(__overflow, LIBC);

size_t
fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	if (!size || !n)
		return 0;
	if (n > SIZE_MAX / size) {
		errno = EINVAL;
		return 0;
	}
	return put_some(f, p, size * n) / size;
}
EXPORT(fwrite, LIBC);

int
fgetc(FILE *f)
{
	u8 c;
	ssize_t r;

	if (!valid(f))
		return EOF;
	if (pushback[f - files] != EOF) {
		int pc = pushback[f - files];
		pushback[f - files] = EOF;
		return pc;
	}
	r = get_some(f, &c, 1);
	return r <= 0 ? EOF : c;
}
EXPORT(fgetc, LIBC);

int
getc(FILE *f)
{
	return fgetc(f);
}
EXPORT(getc, LIBC);

int
getchar(void)
{
	return fgetc(stdin);
}
EXPORT(getchar, LIBC);

int
__uflow(FILE *f)
{
	return fgetc(f);
}
EXPORT(__uflow, LIBC);

int
ungetc(int c, FILE *f)
{
	if (c == EOF || !valid(f) || pushback[f - files] != EOF || !bytes_ok(f))
		return EOF;
	pushback[f - files] = (u8)c;
	f->flags &= ~F_EOF;
	return (u8)c;
}
EXPORT(ungetc, LIBC);

char *
fgets(char *s, int n, FILE *f)
{
	int i = 0;

	if (n <= 0)
		return NULL;
	while (i < n - 1) {
		int c = fgetc(f);

		if (c == EOF)
			break;
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (!i)
		return NULL;
	s[i] = '\0';
	return s;
}
EXPORT(fgets, LIBC);

size_t
fread(void *p, size_t size, size_t n, FILE *f)
{
	u8 *d = p;
	size_t want, got = 0;

	if (!size || !n)
		return 0;
	if (n > SIZE_MAX / size) {
		errno = EINVAL;
		return 0;
	}
	want = size * n;
	if (want && pushback[f - files] != EOF) {
		int c = fgetc(f);

		if (c == EOF)
			return 0;
		d[got++] = (u8)c;
	}
	while (got < want) {
		ssize_t r;

		if (!valid(f))
			return 0;
		r = get_some(f, d + got, want - got);
		if (r <= 0)
			break;
		got += r;
	}
	return got / size;
}
EXPORT(fread, LIBC);

/* Descriptor streams are unbuffered; memory streams publish their buffer
 * (open_memstream) or write what glibc's buffer would hold (fmemopen). */
static int
flush_mem(FILE *f)
{
	struct memfile *m = mem[f - files];
	int r = memfile_flush(m);

	if (memfile_error(m))
		f->flags |= F_ERR;
	return r;
}

int
fflush(FILE *f)
{
	int r = 0;

	if (!f) {
		for (int i = 3; i < NFILES; i++)
			if (used[i] && mem[i] && flush_mem(&files[i]))
				r = EOF;
		return r;
	}
	if (!valid(f))
		return EOF;
	return mem[f - files] ? flush_mem(f) : 0;
}
EXPORT(fflush, LIBC);

int
fclose(FILE *f)
{
	int r = 0;

	if (!valid(f))
		return EOF;
	if (mem[f - files]) {
		r = memfile_close(mem[f - files]);
		mem[f - files] = NULL;
	} else {
		close(f->fd);
	}
	f->fd = -1;
	if (f - files >= 3)
		used[f - files] = false;
	return r;
}
EXPORT(fclose, LIBC);

/* "r", "w+", "ab", "re", "wx"...: open(2) flags, or -1 for a bad mode. */
static int
mode_flags(const char *mode)
{
	int flags;

	switch (*mode++) {
	case 'r': flags = O_RDONLY; break;
	case 'w': flags = O_WRONLY | O_CREAT | O_TRUNC; break;
	case 'a': flags = O_WRONLY | O_CREAT | O_APPEND; break;
	default: return -1;
	}
	for (; *mode; mode++) {
		if (*mode == '+')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		else if (*mode == 'x')
			flags |= O_EXCL;
		else if (*mode == 'e')
			flags |= O_CLOEXEC;
	}
	return flags;
}

static int
free_stream(void)
{
	for (int i = 3; i < NFILES; i++)
		if (!used[i])
			return i;
	errno = EMFILE;
	return -1;
}

static FILE *
stream_for(int fd)
{
	int i = free_stream();

	if (i < 0)
		return NULL;
	used[i] = true;
	pushback[i] = EOF;
	orient[i] = 0;
	mem[i] = NULL;
	files[i] = (FILE){ .flags = FILE_MAGIC, .fd = fd };
	return &files[i];
}

static FILE *
mem_stream(struct memfile *m)
{
	FILE *f;

	if (!m)
		return NULL;
	f = stream_for(-1);
	mem[f - files] = m;
	return f;
}

FILE *
open_memstream(char **bufp, size_t *sizep)
{
	if (free_stream() < 0)
		return NULL;
	return mem_stream(memfile_dynamic(bufp, sizep));
}
EXPORT(open_memstream, LIBC);

FILE *
open_wmemstream(int **bufp, size_t *sizep)
{
	FILE *f;

	if (free_stream() < 0)
		return NULL;
	f = mem_stream(memfile_dynamic_wide(bufp, sizep));
	if (f)
		orient[f - files] = 1;
	return f;
}
EXPORT(open_wmemstream, LIBC);

/* fwide: the orientation, set by a first non-zero MODE */
int
fwide(FILE *f, int mode)
{
	if (!valid(f))
		return 0;
	if (!orient[f - files] && mode)
		orient[f - files] = mode > 0 ? 1 : -1;
	return orient[f - files];
}
EXPORT(fwide, LIBC);

/* Wide output (wstdio.c): n wide characters, as wchar_t into a wide
 * memory stream, in the locale's multibyte encoding anywhere else.  The
 * count written; fewer with the error flag set (EILSEQ: no encoding), or
 * none on a byte stream (glibc's WEOF, no flag). */
size_t
libc_put_wide(FILE *f, const int *w, size_t n)
{
	size_t done = 0;

	if (!valid(f) || fwide(f, 1) < 0)
		return 0;
	if (mem[f - files] && memfile_wide(mem[f - files]))
		return put_raw(f, w, n * sizeof(int)) / sizeof(int);
	while (done < n) {
		char buf[256];
		size_t k = 0, i = done;

		while (i < n && k + 8 <= sizeof(buf)) {
			int b = libc_wc_encode(buf + k, (u32)w[i]);

			if (b < 0)
				break;
			k += b;
			i++;
		}
		if (k && put_raw(f, buf, k) != k)
			return done;
		done = i;
		if (i < n && !k) {		/* no encoding for w[i] */
			errno = EILSEQ;
			f->flags |= F_ERR;
			return done;
		}
	}
	return n;
}

FILE *
fmemopen(void *buf, size_t size, const char *mode)
{
	if (free_stream() < 0)
		return NULL;
	return mem_stream(memfile_fixed(buf, size, mode));
}
EXPORT(fmemopen, LIBC);

FILE *
fopen(const char *path, const char *mode)
{
	int flags = mode ? mode_flags(mode) : -1;
	int fd, saved;
	FILE *f;

	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	fd = libc_open(path, flags, 0666, CALLER);
	if (fd < 0)
		return NULL;
	f = stream_for(fd);
	if (!f) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return f;
}
EXPORT(fopen, LIBC);
EXPORT_ALIAS(fopen, fopen64, LIBC);

FILE *
fdopen(int fd, const char *mode)
{
	int flags = mode ? mode_flags(mode) : -1;
	struct fd_slot *s = fd_get(fd);

	if (!s)
		return NULL;
	if (flags < 0 || ((s->flags & O_ACCMODE) != O_RDWR &&
			  (flags & O_ACCMODE) != (s->flags & O_ACCMODE))) {
		errno = EINVAL;
		return NULL;
	}
	if (fd <= 2 && files[fd].fd == fd)
		return &files[fd];
	return stream_for(fd);
}
EXPORT(fdopen, LIBC);

int
fileno(FILE *f)
{
	if (!valid(f))
		return -1;
	if (f->fd < 0)		/* a memory stream */
		errno = EBADF;
	return f->fd;
}
EXPORT(fileno, LIBC);

int
feof(FILE *f)
{
	return valid(f) && (f->flags & F_EOF);
}
EXPORT(feof, LIBC);

int
ferror(FILE *f)
{
	return valid(f) && (f->flags & F_ERR);
}
EXPORT(ferror, LIBC);

void
clearerr(FILE *f)
{
	if (valid(f))
		f->flags &= ~(F_EOF | F_ERR);
}
EXPORT(clearerr, LIBC);

int
fseek(FILE *f, long off, int whence)
{
	if (!valid(f))
		return -1;
	if (whence == 1 && pushback[f - files] != EOF)
		off--;
	if (mem[f - files]) {
		s64 r = memfile_seek(mem[f - files], off, whence);

		if (memfile_error(mem[f - files]))
			f->flags |= F_ERR;
		if (r < 0)
			return -1;
	} else if (lseek(f->fd, off, whence) < 0) {
		return -1;
	}
	pushback[f - files] = EOF;
	f->flags &= ~F_EOF;
	return 0;
}
EXPORT(fseek, LIBC);
EXPORT_ALIAS(fseek, fseeko, LIBC);
EXPORT_ALIAS(fseek, fseeko64, LIBC);

long
ftell(FILE *f)
{
	long pos;

	if (!valid(f))
		return -1;
	pos = mem[f - files] ? memfile_tell(mem[f - files]) : lseek(f->fd, 0, 1);
	if (pos > 0 && pushback[f - files] != EOF)
		pos--;
	return pos;
}
EXPORT(ftell, LIBC);
EXPORT_ALIAS(ftell, ftello, LIBC);
EXPORT_ALIAS(ftell, ftello64, LIBC);

void
rewind(FILE *f)
{
	if (valid(f)) {
		fseek(f, 0, 0);
		clearerr(f);
	}
}
EXPORT(rewind, LIBC);

int
setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	return valid(f) && mode >= 0 && mode <= 2 ? 0 : EOF;	/* always unbuffered */
}
EXPORT(setvbuf, LIBC);

void
setbuf(FILE *f, char *buf)
{
}
EXPORT(setbuf, LIBC);

void
perror(const char *s)
{
	const char *m = strerror(errno);

	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, m);
	else
		fprintf(stderr, "%s\n", m);
}
EXPORT(perror, LIBC);
