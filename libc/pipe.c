/* pipe/pipe2: a read end and a write end over 64 KiB of page buffers;
 * POLLHUP on the read end once every writer is gone, EPIPE writing with no
 * reader. */
#include "fd.h"
#include <core/heap.h>

#define PIPE_SLOTS	16	/* Linux's default: 16 page buffers */
#define PIPE_PAGE	4096

/* Linux's pipe shape, because a non-blocking writer sees it: a ring of 16
 * page buffers; a write's tail shorter than a page is merged into the last
 * buffer when the pipe is not empty and it fits, everything else takes
 * new pages; writable while a slot is free, readable while one holds
 * data.  So up to PIPE_BUF bytes go in whole or not at all. */
struct pipe_slot {
	u16 off, len;
};

struct pipe_buf {
	u8 *pages;		/* PIPE_SLOTS pages */
	struct pipe_slot slot[PIPE_SLOTS];
	unsigned head, tail;	/* slots in use: head - tail */
	int readers, writers;
};

struct pipe_end {
	struct fd_obj base;
	struct pipe_buf *p;
	bool writer;
};

static bool
pipe_empty(const struct pipe_buf *p)
{
	return p->head == p->tail;
}

static bool
pipe_full(const struct pipe_buf *p)
{
	return p->head - p->tail >= PIPE_SLOTS;
}

static bool
pipe_has_data_or_eof(void *arg)
{
	struct pipe_buf *p = arg;

	return !pipe_empty(p) || !p->writers;
}

static ssize_t
pipe_read(struct fd_obj *o, void *buf, size_t n, u64 *pos, int flags)
{
	struct pipe_buf *p = ((struct pipe_end *)o)->p;
	size_t k = 0;

	if (!n)
		return 0;
	if (pipe_empty(p) && p->writers) {
		int err = flags & O_NONBLOCK ? EAGAIN : libc_wait(pipe_has_data_or_eof, p, 0, "pipe read");

		if (err) {
			errno = err;
			return -1;
		}
	}
	while (k < n && !pipe_empty(p)) {
		unsigned i = p->tail % PIPE_SLOTS;
		struct pipe_slot *s = &p->slot[i];
		size_t take = s->len < n - k ? s->len : n - k;

		memcpy((u8 *)buf + k, p->pages + i * PIPE_PAGE + s->off, take);
		k += take;
		s->off += take;
		s->len -= take;
		if (!s->len)
			p->tail++;
	}
	fd_changed();
	return k;
}

static bool
pipe_room_or_no_reader(void *arg)
{
	struct pipe_buf *p = arg;

	return !pipe_full(p) || !p->readers;
}

/* One pass: merge the tail into the last page, then fill free pages. */
static size_t
pipe_put(struct pipe_buf *p, const u8 *src, size_t n)
{
	size_t done = 0, tail = n % PIPE_PAGE;

	if (tail && !pipe_empty(p)) {
		unsigned i = (p->head - 1) % PIPE_SLOTS;
		struct pipe_slot *s = &p->slot[i];

		if (s->off + s->len + tail <= PIPE_PAGE) {
			memcpy(p->pages + i * PIPE_PAGE + s->off + s->len, src, tail);
			s->len += tail;
			done = tail;
		}
	}
	while (done < n && !pipe_full(p)) {
		unsigned i = p->head % PIPE_SLOTS;
		size_t take = n - done < PIPE_PAGE ? n - done : PIPE_PAGE;

		memcpy(p->pages + i * PIPE_PAGE, src + done, take);
		p->slot[i] = (struct pipe_slot){ 0, take };
		p->head++;
		done += take;
	}
	return done;
}

/* A blocking write waits for readers to make room until all of it is in,
 * as Linux's does; a non-blocking one takes what fits. */
static ssize_t
pipe_write(struct fd_obj *o, const void *buf, size_t n, u64 *pos, int flags)
{
	struct pipe_buf *p = ((struct pipe_end *)o)->p;
	size_t done = 0;

	if (!n)
		return 0;
	for (;;) {
		int err;

		if (!p->readers) {
			errno = EPIPE;	/* no SIGPIPE: no signals here */
			return done ? (ssize_t)done : -1;
		}
		done += pipe_put(p, (const u8 *)buf + done, n - done);
		if (done)
			fd_changed();
		if (done == n || (flags & O_NONBLOCK))
			break;
		err = libc_wait(pipe_room_or_no_reader, p, 0, "pipe write");
		if (err) {
			errno = err;
			return done ? (ssize_t)done : -1;
		}
	}
	if (!done) {
		errno = EAGAIN;
		return -1;
	}
	return done;
}

static int
pipe_poll(struct fd_obj *o)
{
	struct pipe_end *e = (struct pipe_end *)o;
	struct pipe_buf *p = e->p;

	if (e->writer)
		return (p->readers ? 0 : POLLERR) | (pipe_full(p) ? 0 : POLLOUT);
	return (pipe_empty(p) ? 0 : POLLIN) | (p->writers ? 0 : POLLHUP);
}

static int
pipe_stat(struct fd_obj *o, void *st)
{
	struct libc_stat *s = st;

	memset(s, 0, sizeof(*s));
	s->st_mode = S_IFIFO | 0600;
	s->st_nlink = 1;
	s->st_blksize = 4096;
	return 0;
}

static void
pipe_release(struct fd_obj *o)
{
	struct pipe_end *e = (struct pipe_end *)o;
	struct pipe_buf *p = e->p;

	if (e->writer)
		p->writers--;
	else
		p->readers--;
	fd_changed();
	if (!p->readers && !p->writers) {
		heap_free(p->pages);
		heap_free(p);
	}
	heap_free(e);
}

static const struct fd_ops pipe_ops = {
	.kind = "pipe", .read = pipe_read, .write = pipe_write, .poll = pipe_poll,
	.stat = pipe_stat, .release = pipe_release,
};

int pipe2(int fds[2], int flags);
int
pipe2(int fds[2], int flags)
{
	struct pipe_buf *p;
	struct pipe_end *r, *w;

	if (flags & ~(O_NONBLOCK | O_CLOEXEC)) {
		errno = EINVAL;
		return -1;
	}
	p = heap_alloc(sizeof(*p));
	r = heap_alloc(sizeof(*r));
	w = heap_alloc(sizeof(*w));
	if (p)
		p->pages = heap_alloc(PIPE_SLOTS * PIPE_PAGE);
	if (!p || !p->pages || !r || !w) {
		if (p)
			heap_free(p->pages);
		heap_free(p);
		heap_free(r);
		heap_free(w);
		errno = ENOMEM;
		return -1;
	}
	*p = (struct pipe_buf){ .pages = p->pages, .readers = 1, .writers = 1 };
	*r = (struct pipe_end){ { &pipe_ops, 0 }, p, false };
	*w = (struct pipe_end){ { &pipe_ops, 0 }, p, true };
	fds[0] = fd_install(&r->base, O_RDONLY | flags, 0);
	if (fds[0] < 0) {
		p->writers = 0;
		pipe_release(&w->base);
		pipe_release(&r->base);
		return -1;
	}
	fds[1] = fd_install(&w->base, O_WRONLY | flags, 0);
	if (fds[1] < 0) {
		pipe_release(&w->base);
		close(fds[0]);
		errno = EMFILE;
		return -1;
	}
	return 0;
}
EXPORT(pipe2, LIBC);

int pipe(int fds[2]);
int
pipe(int fds[2])
{
	return pipe2(fds, 0);
}
EXPORT(pipe, LIBC);
