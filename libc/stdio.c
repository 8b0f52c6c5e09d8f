/* stdio: glibc-ABI FILE objects (blobs import the pointer variables
 * `stdout'...), unbuffered, reading and writing through the descriptor
 * table (read(2)/write(2)): stdin, stdout and stderr on the console, and
 * fopen/fdopen on whatever a descriptor can reach (the operator's files,
 * /tmp). */
#include "libc.h"
#include "fd.h"

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
	if (f < files || f >= files + NFILES || !used[f - files] || f->fd < 0) {
		errno = EBADF;
		return false;
	}
	return true;
}

static int
put(FILE *f, const void *p, size_t n)
{
	if (!valid(f))
		return -1;
	if (n && write(f->fd, p, n) < 0) {
		f->flags |= F_ERR;
		return -1;
	}
	return 0;
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
	return put(f, p, size * n) ? 0 : n;
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
	r = read(f->fd, &c, 1);
	if (r <= 0) {
		f->flags |= r ? F_ERR : F_EOF;
		return EOF;
	}
	return c;
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
	if (c == EOF || !valid(f) || pushback[f - files] != EOF)
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
		r = read(f->fd, d + got, want - got);
		if (r <= 0) {
			f->flags |= r ? F_ERR : F_EOF;
			break;
		}
		got += r;
	}
	return got / size;
}
EXPORT(fread, LIBC);

int
fflush(FILE *f)
{
	if (f && !valid(f))
		return EOF;
	return 0;	/* unbuffered: nothing is pending */
}
EXPORT(fflush, LIBC);

int
fclose(FILE *f)
{
	if (!valid(f))
		return EOF;
	close(f->fd);
	f->fd = -1;
	if (f - files >= 3)
		used[f - files] = false;
	return 0;
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

static FILE *
stream_for(int fd)
{
	for (int i = 3; i < NFILES; i++) {
		if (used[i])
			continue;
		used[i] = true;
		pushback[i] = EOF;
		files[i] = (FILE){ .flags = FILE_MAGIC, .fd = fd };
		return &files[i];
	}
	errno = EMFILE;
	return NULL;
}

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
	return valid(f) ? f->fd : -1;
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
	if (lseek(f->fd, off, whence) < 0)
		return -1;
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
	pos = lseek(f->fd, 0, 1);
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
