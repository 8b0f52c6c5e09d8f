/* The descriptor table and the console behind fds 0-2 (see fd.h). */
#include "fd.h"
#include <core/console.h>
#include <core/platform.h>
#include <core/sched.h>
#include <core/time.h>

static struct fd_slot table[FD_MAX];

/* Console input: up to the end of a line, like a terminal in cooked mode. */
static ssize_t
console_read(struct fd_obj *o, void *buf, size_t n, u64 *pos, int flags)
{
	char *p = buf;
	size_t got = 0;

	while (got < n) {
		int c = plat_console_getc();

		if (c < 0)
			break;
		p[got++] = (char)c;
		if (c == '\n')
			break;
	}
	return got;
}

static ssize_t
console_write_op(struct fd_obj *o, const void *buf, size_t n, u64 *pos, int flags)
{
	console_write(buf, n);
	return n;
}

/* A terminal reads as ready: a read waits for a line as it would on Linux. */
static int
console_poll(struct fd_obj *o)
{
	return POLLIN | POLLOUT;
}

static int
console_stat(struct fd_obj *o, void *st)
{
	struct libc_stat *s = st;

	memset(s, 0, sizeof(*s));
	s->st_mode = 020620;	/* character device, as a pty */
	s->st_nlink = 1;
	s->st_rdev = 0x8800;
	s->st_blksize = 1024;
	return 0;
}

static const struct fd_ops console_ops = {
	.kind = "console", .read = console_read, .write = console_write_op,
	.poll = console_poll, .stat = console_stat,
};
static struct fd_obj console = { &console_ops, 3 };

static void
fd_table_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	for (int i = 0; i < 3; i++) {
		table[i].obj = &console;
		table[i].flags = O_RDWR;
	}
}

int
fd_install(struct fd_obj *obj, int flags, int min)
{
	fd_table_init();
	for (int i = min < 0 ? 0 : min; i < FD_MAX; i++) {
		if (table[i].obj)
			continue;
		table[i] = (struct fd_slot){ obj, 0, flags & (O_ACCMODE | O_NONBLOCK | O_APPEND),
					     !!(flags & O_CLOEXEC) };
		obj->refs++;
		return i;
	}
	errno = EMFILE;
	return -1;
}

struct fd_slot *
fd_get(int fd)
{
	fd_table_init();
	if (fd < 0 || fd >= FD_MAX || !table[fd].obj) {
		errno = EBADF;
		return NULL;
	}
	return &table[fd];
}

int
fd_poll(int fd)
{
	int saved = errno;
	struct fd_slot *s = fd_get(fd);

	errno = saved;
	return s ? s->obj->ops->poll(s->obj) : POLLNVAL;
}

int
close(int fd)
{
	struct fd_slot *s = fd_get(fd);
	struct fd_obj *o;

	if (!s)
		return -1;
	o = s->obj;
	s->obj = NULL;
	if (--o->refs == 0 && o->ops->release)
		o->ops->release(o);
	fd_changed();		/* a closed end is news to the other one */
	return 0;
}
EXPORT(close, LIBC);

int
dup(int fd)
{
	struct fd_slot *s = fd_get(fd);

	return s ? fd_install(s->obj, s->flags, 0) : -1;
}
EXPORT(dup, LIBC);

int
dup3(int fd, int to, int flags)
{
	struct fd_slot *s = fd_get(fd);

	if (!s)
		return -1;
	if (to < 0 || to >= FD_MAX) {
		errno = EBADF;
		return -1;
	}
	if ((flags & ~O_CLOEXEC) || to == fd) {
		errno = EINVAL;
		return -1;
	}
	if (table[to].obj)
		close(to);
	table[to] = *s;
	table[to].cloexec = !!flags;
	s->obj->refs++;
	return to;
}
EXPORT(dup3, LIBC);

int
dup2(int fd, int to)
{
	if (fd == to)
		return fd_get(fd) ? fd : -1;
	return dup3(fd, to, 0);
}
EXPORT(dup2, LIBC);

/* The one object every descriptor wait blocks on: a change anywhere wakes
 * them all to look again (few waiters, cheap checks).  Blocking on an
 * object, not a polled predicate, lets the scheduler see a deadlock. */
static const char fd_event;
u64 fd_caller;

void
fd_changed(void)
{
	sched_wake_all(&fd_event);
}

int
libc_wait(bool (*ready)(void *arg), void *arg, u64 deadline_ns, const char *what)
{
	for (;;) {
		int r;

		if (ready(arg))
			return 0;
		if (deadline_ns && time_now_ns() >= deadline_ns)
			return ETIMEDOUT;
		r = sched_block(what, &fd_event, 0, deadline_ns, true, fd_caller);
		if (r == EDEADLK || r == ECANCELED)
			return r;
	}
}
