/* Memory streams with glibc 2.36's observable rules, as the differential
 * test (tests/libc/test_memstream.c) found them.
 *
 * open_memstream: a growing buffer (blob heap, so the blob frees it) that
 * fflush and fclose publish through the caller's pointers; the size
 * published is the current position, not the end of what was written
 * (seeking back and flushing shortens it, the bytes beyond stay in the
 * buffer; SEEK_END counts from the position too).  fclose cuts the buffer
 * at the position and ends it with a NUL.  Bytes never written read as 0.
 *
 * fmemopen: a buffer of fixed size (the caller's, or one of our own for a
 * NULL buffer), with an end of data ("maxpos") that reads stop at and that
 * SEEK_END counts from.  A write that does not fit writes what fits and is
 * short (the stream's error flag); one that finds the buffer full fails
 * ENOSPC.  A write that moves the end of data NUL-terminates it when there
 * is room and the data did not end in a NUL; one that reaches the end of
 * the buffer puts the NUL in the last byte instead (except in append mode).
 * glibc puts fmemopen's memory behind a FILE buffer of BUFSIZ bytes, and
 * these rules apply to each write of that buffer, not to each fputs: so
 * the writes here are collected the way glibc's buffer collects them
 * (`pend'), and the buffer is written at fflush, fseek, a read, fclose, or
 * when full -- the same chunks at the same moments, hence the same bytes,
 * return values and error flags.  open_memstream needs no such buffer:
 * its writes cannot fail and nothing shows before fflush. */
#include "memstream.h"

#define STREAM_BUF	8192	/* glibc's BUFSIZ: a cookie stream's buffer */

struct memfile {
	bool dynamic;		/* open_memstream, open_wmemstream */
	size_t unit;		/* bytes a position counts: 1, or 4 for open_wmemstream */
	bool readable, writable, append, own;
	bool err;		/* a short write since memfile_error() */
	char *buf;
	size_t size;		/* fmemopen: the buffer; open_memstream: allocated */
	size_t pos;		/* open_memstream: the write pointer */
	size_t maxpos;		/* fmemopen: end of data */
	size_t rpos, rend;	/* open_memstream: read pointer and end */
	char **bufp;		/* open_memstream: published at flush/close */
	size_t *sizep;
	char *pend;		/* fmemopen: glibc's FILE buffer */
	size_t npend;
	bool putting;		/* that buffer is open for writing */
};

/* --- open_memstream: glibc's string stream, pointer for pointer ---
 *
 * Read pointer `rpos', read end `rend' and write pointer `pos' are
 * independent offsets: writes go at pos, reads take bytes from rpos up to
 * rend, and rend only catches up with pos when a read runs out or the
 * buffer grows.  Any seek or ftell while pos > 0 first moves rpos and rend
 * to pos ("switch to get mode"), so SEEK_END then means the position, and
 * ftell answers pos; with pos 0 it answers rpos and SEEK_END reaches rend.
 * Capacity grows as glibc's does (BUFSIZ, then 2n + 100, or to a seek
 * target + 100), since rend moves when it grows. */

#define DYN_START	8192

static bool
dyn_grow(struct memfile *m, size_t cap)
{
	char *nb;

	if (cap <= m->size)
		return true;
	nb = realloc(m->buf, cap);
	if (!nb)
		return false;
	memset(nb + m->size, 0, cap - m->size);	/* bytes never written read 0 */
	m->buf = nb;
	m->size = cap;
	return true;
}

/* glibc's string overflow: one byte when the buffer is full (wide: its
 * wide string overflow, the same in units of wchar_t). */
static bool
dyn_overflow(struct memfile *m, char c)
{
	if (m->pos >= m->size && !dyn_grow(m, 2 * m->size + 100 * m->unit))
		return false;
	m->buf[m->pos++] = c;
	if (m->pos > m->rend)
		m->rend = m->pos;
	return true;
}

static size_t
dyn_write(struct memfile *m, const char *p, size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t room = m->size - m->pos, k = n - done < room ? n - done : room;

		memcpy(m->buf + m->pos, p + done, k);
		m->pos += k;
		done += k;
		if (done < n && !dyn_overflow(m, p[done++])) {
			errno = ENOMEM;
			return done - 1;
		}
	}
	return n;
}

static size_t
dyn_avail(struct memfile *m)
{
	return m->rpos < m->rend ? m->rend - m->rpos : 0;
}

static ssize_t
dyn_read(struct memfile *m, char *p, size_t n)
{
	size_t k;

	if (n > dyn_avail(m) && m->pos > m->rend)
		m->rend = m->pos;	/* ran out: the read end catches up */
	k = dyn_avail(m) < n ? dyn_avail(m) : n;
	memcpy(p, m->buf + m->rpos, k);
	m->rpos += k;
	return k;
}

static void
dyn_to_get_mode(struct memfile *m)
{
	if (m->pos > 0)
		m->rpos = m->rend = m->pos;
}

/* One pointer's target for dyn_seek: off from the pointer at `here' (or
 * the start or the end `cur'), the buffer grown if it lies past both.
 * 0 with *to, or -1 with errno. */
static int
dyn_seek_one(struct memfile *m, s64 off, int whence, size_t here, size_t cur, size_t *to)
{
	size_t base = whence == 0 ? 0 : whence == 1 ? here : cur;

	if ((off < 0 && (u64)-off > base) || (off > 0 && (u64)off > (u64)INT64_MAX - base)) {
		errno = EINVAL;
		return -1;
	}
	base += off;
	if (base > cur && base > m->size && !dyn_grow(m, base + 100 * m->unit))
		return -1;
	*to = base;
	return 0;
}

static s64
dyn_seek(struct memfile *m, s64 off, int whence)
{
	size_t cur, to;

	dyn_to_get_mode(m);
	cur = m->pos > m->rend ? m->pos : m->rend;
	/* the read pointer moves first, then the write pointer */
	if (dyn_seek_one(m, off, whence, m->rpos, cur, &to) < 0)
		return -1;
	m->rpos = to;
	m->rend = cur;
	if (dyn_seek_one(m, off, whence, m->pos, cur, &to) < 0)
		return -1;
	m->pos = to;
	return to;
}

static int
dyn_flush(struct memfile *m)
{
	if (m->pos == m->size) {	/* full: glibc writes a NUL past it, then steps back */
		for (size_t i = 0; i < m->unit; i++)
			if (!dyn_overflow(m, 0))
				return EOF;
		m->pos -= m->unit;
	}
	*m->bufp = m->buf;
	*m->sizep = m->pos / m->unit;
	return 0;
}

struct memfile *
memfile_dynamic(char **bufp, size_t *sizep)
{
	struct memfile *m;

	if (!bufp || !sizep) {	/* POSIX's EINVAL; glibc would crash at fflush */
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	*m = (struct memfile){ .dynamic = true, .unit = 1, .readable = true, .writable = true,
			       .bufp = bufp, .sizep = sizep };
	if (!dyn_grow(m, DYN_START)) {
		free(m);
		return NULL;
	}
	return m;
}

/* open_wmemstream: the same stream counting in wchar_t (glibc's wide
 * string stream: BUFSIZ bytes at first, growth and seeks in wide units);
 * stdio.c writes wchar_t values into it, and only wide functions. */
struct memfile *
memfile_dynamic_wide(int **bufp, size_t *sizep)
{
	struct memfile *m = memfile_dynamic((char **)bufp, sizep);

	if (m)
		m->unit = sizeof(int);
	return m;
}

bool
memfile_wide(struct memfile *m)
{
	return m->unit > 1;
}

/* --- fmemopen: glibc's cookie functions' rules, one chunk at a time --- */

static size_t
fixed_put(struct memfile *m, const char *p, size_t n)
{
	size_t at = m->append ? m->maxpos : m->pos;
	bool nul = n == 0 || p[n - 1] != '\0';

	if (at + n > m->size) {
		if (m->pos + nul >= m->size) {	/* glibc tests the cookie position, even when appending */
			errno = ENOSPC;
			m->err = true;
			return 0;
		}
		n = m->size - at;
		m->err = true;		/* short: glibc's cookie layer flags it */
	}
	memcpy(m->buf + at, p, n);
	m->pos = at + n;
	if (m->pos > m->maxpos) {
		m->maxpos = m->pos;
		if (m->maxpos < m->size && nul)
			m->buf[m->maxpos] = '\0';
		else if (!m->append && nul)
			m->buf[m->size - 1] = '\0';
	}
	return n;
}

/* Give the collected bytes to the buffer: 0, or EOF if not all fitted.
 * They are gone either way, as from glibc's FILE buffer. */
static int
fixed_drain(struct memfile *m)
{
	size_t n = m->npend;

	m->npend = 0;
	return !n || fixed_put(m, m->pend, n) == n ? 0 : EOF;
}

/* glibc's _IO_file_xsputn on a buffered stream: fill the buffer's room,
 * write it out when more comes, write whole buffer-sized blocks directly,
 * keep the rest.  Returns the bytes taken. */
static size_t
fixed_write(struct memfile *m, const char *p, size_t n)
{
	size_t room = m->putting ? STREAM_BUF - m->npend : 0, todo = n, direct;

	if (!m->pend) {
		m->pend = malloc(STREAM_BUF);
		if (!m->pend)
			return 0;
	}
	if (room) {
		size_t k = room < todo ? room : todo;

		memcpy(m->pend + m->npend, p, k);
		m->npend += k;
		p += k;
		todo -= k;
	}
	if (!todo)
		return n;
	m->putting = true;
	if (fixed_drain(m))
		return n - todo;
	direct = todo - todo % STREAM_BUF;
	if (direct) {
		size_t w = fixed_put(m, p, direct);

		todo -= w;
		if (w < direct)
			return n - todo;
		p += direct;
	}
	memcpy(m->pend, p, todo);
	m->npend = todo;
	return n;
}

struct memfile *
memfile_fixed(void *buf, size_t size, const char *mode)
{
	struct memfile *m;
	char kind = mode ? mode[0] : 0;

	if ((kind != 'r' && kind != 'w' && kind != 'a') ||
	    (buf && size > -(uintptr_t)buf)) {		/* the buffer wraps */
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->size = size;
	m->buf = buf;
	if (!buf) {
		m->buf = calloc(1, size ? size : 1);
		if (!m->buf) {
			free(m);
			return NULL;
		}
		m->own = true;
	} else if (kind == 'w' && mode[1] == '+') {	/* "w+" empties it; "wb+" does not */
		m->buf[0] = '\0';
	} else if (kind == 'a') {
		m->maxpos = strnlen(buf, size);
	}
	if (kind == 'r')
		m->maxpos = size;
	m->append = kind == 'a';
	if (m->append)
		m->pos = m->maxpos;
	/* glibc's fopencookie: '+' counts as the second or third character */
	m->readable = kind == 'r' || mode[1] == '+' || (mode[1] && mode[2] == '+');
	m->writable = kind != 'r' || mode[1] == '+' || (mode[1] && mode[2] == '+');
	return m;
}

/* --- the stream operations --- */

ssize_t
memfile_read(struct memfile *m, void *buf, size_t n)
{
	size_t left;

	if (m->dynamic)
		return dyn_read(m, buf, n);
	/* glibc leaves put mode first, writing what it holds; only then
	 * does it find the stream not readable */
	m->putting = false;
	if (fixed_drain(m))
		return -1;
	if (!m->readable) {
		errno = EBADF;
		return -1;
	}
	if (m->pos >= m->maxpos)
		return 0;
	left = m->maxpos - m->pos;
	if (n > left)
		n = left;
	memcpy(buf, m->buf + m->pos, n);
	m->pos += n;
	return n;
}

bool
memfile_reads_nothing(struct memfile *m)
{
	return m->dynamic;	/* glibc's string underflow sets no flag */
}

size_t
memfile_write(struct memfile *m, const void *p, size_t n)
{
	return m->dynamic ? dyn_write(m, p, n) : fixed_write(m, p, n);
}

bool
memfile_error(struct memfile *m)
{
	bool e = m->err;

	m->err = false;
	return e;
}

int
memfile_flush(struct memfile *m)
{
	return m->dynamic ? dyn_flush(m) : fixed_drain(m);
}

s64
memfile_seek(struct memfile *m, s64 off, int whence)
{
	s64 base;

	if (whence < 0 || whence > 2) {
		errno = EINVAL;
		return -1;
	}
	if (m->dynamic) {
		s64 r;

		if (off > INT64_MAX / 4 || off < -INT64_MAX / 4) {
			errno = EINVAL;
			return -1;
		}
		r = dyn_seek(m, off * (s64)m->unit, whence);
		return r < 0 ? r : r / (s64)m->unit;
	}
	m->putting = false;
	if (fixed_drain(m))
		return -1;
	base = whence == 0 ? 0 : whence == 1 ? (s64)m->pos : (s64)m->maxpos;
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0 ||
	    (u64)(base + off) > m->size) {
		errno = EINVAL;
		return -1;
	}
	m->pos = base + off;
	return m->pos;
}

s64
memfile_tell(struct memfile *m)
{
	if (m->dynamic) {
		dyn_to_get_mode(m);
		return m->rpos / m->unit;
	}
	if (m->append && m->npend)	/* glibc's ftell seeks to the end here */
		m->pos = m->maxpos;
	return m->pos + m->npend;
}

int
memfile_close(struct memfile *m)
{
	int r = 0;

	if (m->dynamic) {
		char *nb = realloc(m->buf, m->pos + m->unit);

		if (nb)
			m->buf = nb;
		memset(m->buf + m->pos, 0, m->unit);	/* the terminating NUL (L'\0') */
		*m->bufp = m->buf;
		*m->sizep = m->pos / m->unit;
	} else {
		r = fixed_drain(m);
		if (m->own)
			free(m->buf);
		free(m->pend);
	}
	free(m);
	return r;
}

bool
memfile_writable(struct memfile *m)
{
	return m->writable;
}

bool
memfile_readable(struct memfile *m)
{
	return m->readable;
}
