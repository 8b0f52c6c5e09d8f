/* pipe/pipe2: a 64 KiB ring (Linux's default capacity) shared by a read
 * end and a write end; POLLHUP on the read end once every writer is gone,
 * EPIPE (no SIGPIPE: no signals here) writing with no reader. */
#include "fd.h"
#include <core/heap.h>

#define PIPE_CAP	65536

struct pipe_buf {
	u8 *data;
	size_t head, len;
	int readers, writers;
};

struct pipe_end {
	struct fd_obj base;
	struct pipe_buf *p;
	bool writer;
};

static bool
pipe_has_data_or_eof(void *arg)
{
	struct pipe_buf *p = arg;

	return p->len || !p->writers;
}

static ssize_t
pipe_read(struct fd_obj *o, void *buf, size_t n, u64 *pos)
{
	struct pipe_end *e = (struct pipe_end *)o;
	struct pipe_buf *p = e->p;
	size_t k = 0;

	if (!n)
		return 0;
	if (!p->len && p->writers) {
		int err = libc_wait(pipe_has_data_or_eof, p, 0);

		if (err) {
			errno = err;
			return -1;
		}
	}
	while (k < n && p->len) {
		((u8 *)buf)[k++] = p->data[p->head];
		p->head = (p->head + 1) % PIPE_CAP;
		p->len--;
	}
	return k;
}

static ssize_t
pipe_write(struct fd_obj *o, const void *buf, size_t n, u64 *pos)
{
	struct pipe_buf *p = ((struct pipe_end *)o)->p;
	size_t k = 0;

	if (!p->readers) {
		errno = EPIPE;
		return -1;
	}
	if (p->len == PIPE_CAP && n) {
		errno = EAGAIN;	/* a blocking write would wait for a reader that cannot run */
		return -1;
	}
	while (k < n && p->len < PIPE_CAP) {
		p->data[(p->head + p->len) % PIPE_CAP] = ((const u8 *)buf)[k++];
		p->len++;
	}
	return k;
}

static int
pipe_poll(struct fd_obj *o)
{
	struct pipe_end *e = (struct pipe_end *)o;
	struct pipe_buf *p = e->p;

	if (e->writer)
		return (p->readers ? 0 : POLLERR) | (p->len < PIPE_CAP ? POLLOUT : 0);
	return (p->len ? POLLIN : 0) | (p->writers ? 0 : POLLHUP);
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
	if (!p->readers && !p->writers) {
		heap_free(p->data);
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
		p->data = heap_alloc(PIPE_CAP);
	if (!p || !p->data || !r || !w) {
		if (p)
			heap_free(p->data);
		heap_free(p);
		heap_free(r);
		heap_free(w);
		errno = ENOMEM;
		return -1;
	}
	*p = (struct pipe_buf){ p->data, 0, 0, 1, 1 };
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
