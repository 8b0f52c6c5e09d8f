/* The blob file namespace (vfs.h): lookup, open, stat, access, unlink. */
#include "vfs.h"
#include <core/console.h>
#include <core/context.h>
#include <core/heap.h>
#include <core/time.h>

#define R_OK 4
#define W_OK 2
#define X_OK 1

static struct vfs_node *nodes;
static u64 next_ino = 2;
static size_t tmp_bytes;

bool
vfs_normalise(const char *path, char *out)
{
	size_t o = 0;

	out[o++] = '/';
	while (*path) {
		const char *c = path;
		size_t n;

		while (*c == '/')
			c++;
		n = strcspn(c, "/");
		path = c + n;
		if (!n || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			continue;
		}
		if (o + n + 2 > VFS_PATH_MAX)
			return false;
		if (o > 1)
			out[o++] = '/';
		memcpy(out + o, c, n);
		o += n;
	}
	out[o] = '\0';
	return true;
}

struct vfs_node *
vfs_find(const char *norm)
{
	vfs_domain_sync();
	for (struct vfs_node *n = nodes; n; n = n->next)
		if (!n->unlinked && !strcmp(n->path, norm))
			return n;
	return NULL;
}

struct vfs_node *
vfs_first(void)
{
	vfs_domain_sync();
	return nodes;
}

bool
vfs_in_tmp(const char *norm)
{
	return !strncmp(norm, "/tmp/", 5) && !strchr(norm + 5, '/');
}

bool
vfs_is_dir(const char *norm)
{
	size_t len = strlen(norm);

	vfs_domain_sync();
	if (!strcmp(norm, "/") || !strcmp(norm, "/tmp"))
		return true;
	for (struct vfs_node *n = nodes; n; n = n->next)
		if (!n->unlinked && !strncmp(n->path, norm, len) && n->path[len] == '/')
			return true;
	return false;
}

void
vfs_list_dir(const char *norm, void (*fn)(void *arg, const char *name, bool dir), void *arg)
{
	size_t len = strcmp(norm, "/") ? strlen(norm) : 0;
	char name[VFS_PATH_MAX];

	vfs_domain_sync();
	if (!len)
		fn(arg, "tmp", true);
	for (struct vfs_node *n = nodes; n; n = n->next) {
		const char *rest;
		size_t k;
		bool dup = false;

		if (n->unlinked || strncmp(n->path, norm, len) || n->path[len] != '/')
			continue;
		rest = n->path + len + 1;
		k = strcspn(rest, "/");
		memcpy(name, rest, k);
		name[k] = '\0';
		if (!len && !strcmp(name, "tmp"))
			continue;
		/* a directory is listed once: at its first file */
		for (struct vfs_node *m = nodes; m != n && !dup; m = m->next)
			dup = !m->unlinked && !strncmp(m->path, n->path, len + 1 + k) &&
			      (m->path[len + 1 + k] == '/' || !m->path[len + 1 + k]);
		if (!dup)
			fn(arg, name, rest[k] == '/');
	}
}

/* The namespace is the VMM's, not a blob's: its strings live on the core
 * heap whoever's call creates them. */
static char *
core_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = heap_alloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

static struct vfs_node *
node_new(const char *norm, const char *source, void *data, size_t len, bool tmp)
{
	struct vfs_node *n = heap_alloc(sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->path = core_strdup(norm);
	n->source = source ? core_strdup(source) : NULL;
	if (!n->path || (source && !n->source)) {
		heap_free(n->path);
		heap_free(n->source);
		heap_free(n);
		return NULL;
	}
	n->data = data;
	n->len = n->cap = len;
	n->tmp = tmp;
	n->ino = next_ino++;
	n->mtime = time_wall_seconds();
	n->next = nodes;
	nodes = n;
	return n;
}

static void
node_free(struct vfs_node *n)
{
	for (struct vfs_node **p = &nodes; *p; p = &(*p)->next)
		if (*p == n) {
			*p = n->next;
			break;
		}
	if (n->tmp)
		tmp_bytes -= n->cap;
	heap_free(n->data);
	heap_free(n->path);
	heap_free(n->source);
	heap_free(n);
}

int
vfs_add(const char *blobpath, const char *source, void *data, size_t len)
{
	char norm[VFS_PATH_MAX];
	struct vfs_node *old;

	if (!vfs_normalise(blobpath, norm))
		return -ENAMETOOLONG;
	if (!strcmp(norm, "/") || !strncmp(norm, "/tmp/", 5) || !strcmp(norm, "/tmp") ||
	    vfs_is_dir(norm))
		return -EISDIR;
	old = vfs_find(norm);
	if (old && old->opens)
		return -EBUSY;
	if (old)
		node_free(old);
	return node_new(norm, source, data, len, false) ? 0 : -ENOMEM;
}

void
vfs_node_stat(const struct vfs_node *n, struct libc_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 0x2a;
	st->st_ino = n->ino;
	st->st_nlink = !n->unlinked;
	st->st_mode = S_IFREG | (n->tmp ? 0600 : 0444);
	st->st_size = n->len;
	st->st_blksize = 4096;
	st->st_blocks = (n->len + 511) / 512;
	st->st_atim.tv_sec = st->st_mtim.tv_sec = st->st_ctim.tv_sec = n->mtime;
}

void
vfs_dir_stat(const char *norm, struct libc_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 0x2a;
	st->st_ino = 1;
	st->st_nlink = 2;
	st->st_mode = S_IFDIR | (strcmp(norm, "/tmp") ? 0555 : 01777);
	st->st_blksize = 4096;
}

/* Each path refused once per namespace, like strace's line. */
void
vfs_refused(const char *path, const char *what, int err, const void *caller)
{
	static char *seen[64];
	static int nseen;
	char where[160];

	for (int i = 0; i < nseen; i++)
		if (!strcmp(seen[i], path))
			return;
	if (nseen < (int)(sizeof(seen) / sizeof(*seen)))
		seen[nseen++] = core_strdup(path);
	kprintf("libc: %s(\"%s\"): %s, not in the blob file namespace (from %s)\n",
		what, path, err == EROFS ? "EROFS" : "ENOENT", ctx_describe((u64)caller, where, sizeof(where)));
}

static int
refuse(const char *path, const char *what, int err, const void *caller)
{
	vfs_refused(path, what, err, caller);
	errno = err;
	return -1;
}

/* --- open files ---------------------------------------------------------- */

struct open_file {
	struct fd_obj base;
	struct vfs_node *n;
};

static ssize_t
file_read(struct fd_obj *o, void *buf, size_t len, u64 *pos, int flags)
{
	struct vfs_node *n = ((struct open_file *)o)->n;
	size_t k;

	if (*pos >= n->len)
		return 0;
	k = n->len - *pos < len ? n->len - *pos : len;
	memcpy(buf, n->data + *pos, k);
	*pos += k;
	return k;
}

static bool
tmp_reserve(struct vfs_node *n, size_t end)
{
	size_t cap = n->cap ? n->cap : 256;
	u8 *d;

	if (end <= n->cap)
		return true;
	while (cap < end)
		cap *= 2;
	if (tmp_bytes - n->cap + cap > VFS_TMP_LIMIT)
		cap = end;
	if (tmp_bytes - n->cap + cap > VFS_TMP_LIMIT)
		return false;
	d = heap_alloc(cap);
	if (!d)
		return false;
	memcpy(d, n->data, n->len);
	heap_free(n->data);
	tmp_bytes += cap - n->cap;
	n->data = d;
	n->cap = cap;
	return true;
}

static ssize_t
file_write(struct fd_obj *o, const void *buf, size_t len, u64 *pos, int flags)
{
	struct vfs_node *n = ((struct open_file *)o)->n;

	if (!n->tmp) {
		errno = EBADF;
		return -1;
	}
	if (!len)
		return 0;
	if (!tmp_reserve(n, *pos + len)) {
		errno = ENOSPC;
		return -1;
	}
	if (*pos > n->len)
		memset(n->data + n->len, 0, *pos - n->len);
	memcpy(n->data + *pos, buf, len);
	*pos += len;
	if (*pos > n->len)
		n->len = *pos;
	n->mtime = time_wall_seconds();
	return len;
}

static int
file_poll(struct fd_obj *o)
{
	return POLLIN | POLLOUT;	/* regular files are always ready */
}

static s64
file_size(struct fd_obj *o)
{
	return ((struct open_file *)o)->n->len;
}

static int
file_stat(struct fd_obj *o, void *st)
{
	vfs_node_stat(((struct open_file *)o)->n, st);
	return 0;
}

static void
file_release(struct fd_obj *o)
{
	struct vfs_node *n = ((struct open_file *)o)->n;

	if (!--n->opens && n->unlinked)
		node_free(n);
	heap_free(o);
}

static const struct fd_ops file_ops = {
	.kind = "file", .read = file_read, .write = file_write, .poll = file_poll,
	.size = file_size, .stat = file_stat, .release = file_release,
};

/* A directory opened with open(2): fstat works, read is EISDIR. */
struct open_dir {
	struct fd_obj base;
	char path[VFS_PATH_MAX];
};

static ssize_t
dir_read(struct fd_obj *o, void *buf, size_t len, u64 *pos, int flags)
{
	errno = EISDIR;
	return -1;
}

static int
dir_stat(struct fd_obj *o, void *st)
{
	vfs_dir_stat(((struct open_dir *)o)->path, st);
	return 0;
}

static void
dir_release(struct fd_obj *o)
{
	heap_free(o);
}

static const struct fd_ops dir_ops = {
	.kind = "dir", .read = dir_read, .poll = file_poll, .stat = dir_stat,
	.release = dir_release,
};

static int
install(struct fd_obj *o, int flags)
{
	int fd = fd_install(o, flags, 0);

	if (fd < 0)
		o->ops->release(o);
	return fd;
}

static int
open_dir(const char *norm, int flags)
{
	struct open_dir *d;

	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)) {
		errno = EISDIR;
		return -1;
	}
	d = heap_alloc(sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return -1;
	}
	d->base = (struct fd_obj){ &dir_ops, 0 };
	strcpy(d->path, norm);
	return install(&d->base, flags);
}

int
libc_open(const char *path, int flags, int mode, const void *caller)
{
	char norm[VFS_PATH_MAX];
	bool wr = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	struct vfs_node *n;
	struct open_file *of;

	if (!path) {
		errno = EFAULT;
		return -1;
	}
	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	if (!vfs_normalise(path, norm)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((flags & O_ACCMODE) == O_ACCMODE) {
		errno = EINVAL;
		return -1;
	}
	n = vfs_find(norm);
	if (!n && vfs_is_dir(norm)) {
		if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
			errno = EEXIST;
			return -1;
		}
		return open_dir(norm, flags);
	}
	if (n && (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
		errno = EEXIST;
		return -1;
	}
	if (n && (flags & O_DIRECTORY)) {
		errno = ENOTDIR;
		return -1;
	}
	if (n && wr && !n->tmp)
		return refuse(path, "open", EROFS, caller);
	if (n && vfs_domain_fetch(n)) {
		errno = EIO;
		return -1;
	}
	if (!n) {
		if (!(flags & O_CREAT))
			return refuse(path, "open", ENOENT, caller);
		if (!vfs_in_tmp(norm))
			return refuse(path, "open", EROFS, caller);
		n = node_new(norm, NULL, NULL, 0, true);
		if (!n) {
			errno = ENOMEM;
			return -1;
		}
	}
	of = heap_alloc(sizeof(*of));
	if (!of) {
		errno = ENOMEM;
		return -1;
	}
	if ((flags & O_TRUNC) && n->tmp)
		n->len = 0;
	of->base = (struct fd_obj){ &file_ops, 0 };
	of->n = n;
	n->opens++;
	return install(&of->base, flags);
}

int
open(const char *path, int flags, ...)
{
	return libc_open(path, flags, 0, CALLER);
}
EXPORT(open, LIBC);
EXPORT_ALIAS(open, open64, LIBC);

int
__open_2(const char *path, int flags)
{
	if (flags & O_CREAT)
		ctx_abort("*** invalid open call: O_CREAT or O_TMPFILE without mode ***: terminated",
			   CALLER);
	return libc_open(path, flags, 0, CALLER);
}
EXPORT(__open_2, FORTIFY);
EXPORT_ALIAS(__open_2, __open64_2, FORTIFY);

int
openat(int dirfd, const char *path, int flags, ...)
{
	if (path && *path != '/' && dirfd != -100) {	/* AT_FDCWD */
		errno = fd_get(dirfd) ? ENOTDIR : EBADF;
		return -1;
	}
	return libc_open(path, flags, 0, CALLER);
}
EXPORT(openat, LIBC);
EXPORT_ALIAS(openat, openat64, LIBC);

int
creat(const char *path, int mode)
{
	return libc_open(path, O_WRONLY | O_CREAT | O_TRUNC, mode, CALLER);
}
EXPORT(creat, LIBC);

static int
path_stat(const char *path, void *st, const char *what, const void *caller)
{
	char norm[VFS_PATH_MAX];
	struct vfs_node *n;

	if (!path || !st) {
		errno = EFAULT;
		return -1;
	}
	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	if (!vfs_normalise(path, norm)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	n = vfs_find(norm);
	if (n) {
		vfs_node_stat(n, st);
		return 0;
	}
	if (vfs_is_dir(norm)) {
		vfs_dir_stat(norm, st);
		return 0;
	}
	return refuse(path, what, ENOENT, caller);
}

int
stat(const char *path, void *st)
{
	return path_stat(path, st, "stat", CALLER);
}
EXPORT(stat, LIBC);
EXPORT_ALIAS(stat, stat64, LIBC);

/* There are no symbolic links here: lstat is stat. */
int
lstat(const char *path, void *st)
{
	return path_stat(path, st, "lstat", CALLER);
}
EXPORT(lstat, LIBC);
EXPORT_ALIAS(lstat, lstat64, LIBC);

int
__xstat(int ver, const char *path, void *st)
{
	return path_stat(path, st, "stat", CALLER);
}
EXPORT(__xstat, LIBC);
EXPORT_ALIAS(__xstat, __xstat64, LIBC);

int
__lxstat(int ver, const char *path, void *st)
{
	return path_stat(path, st, "lstat", CALLER);
}
EXPORT(__lxstat, LIBC);
EXPORT_ALIAS(__lxstat, __lxstat64, LIBC);

int
access(const char *path, int mode)
{
	char norm[VFS_PATH_MAX];
	struct vfs_node *n;

	if (!path) {
		errno = EFAULT;
		return -1;
	}
	if (mode & ~7) {
		errno = EINVAL;
		return -1;
	}
	if (!*path || !vfs_normalise(path, norm)) {
		errno = *path ? ENAMETOOLONG : ENOENT;
		return -1;
	}
	n = vfs_find(norm);
	if (!n && !vfs_is_dir(norm))
		return refuse(path, "access", ENOENT, CALLER);
	if ((mode & W_OK) && !(n ? n->tmp : !strcmp(norm, "/tmp"))) {
		errno = EROFS;
		return -1;
	}
	if ((mode & X_OK) && n) {
		errno = EACCES;
		return -1;
	}
	return 0;
}
EXPORT(access, LIBC);

/* No symbolic links: an existing path is EINVAL, as readlink on a file. */
ssize_t
readlink(const char *path, char *buf, size_t size)
{
	char norm[VFS_PATH_MAX];

	if (!path || !buf) {
		errno = EFAULT;
		return -1;
	}
	if (!*path || !vfs_normalise(path, norm)) {
		errno = *path ? ENAMETOOLONG : ENOENT;
		return -1;
	}
	if (vfs_find(norm) || vfs_is_dir(norm)) {
		errno = EINVAL;
		return -1;
	}
	return refuse(path, "readlink", ENOENT, CALLER);
}
EXPORT(readlink, LIBC);

int
unlink(const char *path)
{
	char norm[VFS_PATH_MAX];
	struct vfs_node *n;

	if (!path) {
		errno = EFAULT;
		return -1;
	}
	if (!*path || !vfs_normalise(path, norm)) {
		errno = *path ? ENAMETOOLONG : ENOENT;
		return -1;
	}
	n = vfs_find(norm);
	if (n && n->tmp) {
		n->unlinked = true;
		if (!n->opens)
			node_free(n);
		return 0;
	}
	if (vfs_is_dir(norm)) {
		errno = EISDIR;
		return -1;
	}
	return refuse(path, "unlink", n ? EROFS : ENOENT, CALLER);
}
EXPORT(unlink, LIBC);
EXPORT_ALIAS(unlink, remove, LIBC);

/* struct statfs: tmpfs's magic for every directory here; read-only outside /tmp. */
int
statfs(const char *path, void *buf)
{
	char norm[VFS_PATH_MAX];
	u64 *f = buf;

	if (!path || !buf) {
		errno = EFAULT;
		return -1;
	}
	if (!*path || !vfs_normalise(path, norm)) {
		errno = *path ? ENAMETOOLONG : ENOENT;
		return -1;
	}
	if (!vfs_find(norm) && !vfs_is_dir(norm))
		return refuse(path, "statfs", ENOENT, CALLER);
	memset(buf, 0, 120);
	f[0] = 0x01021994;		/* f_type TMPFS_MAGIC */
	f[1] = 4096;			/* f_bsize */
	f[2] = VFS_TMP_LIMIT / 4096;	/* f_blocks */
	f[3] = f[4] = (VFS_TMP_LIMIT - tmp_bytes) / 4096;
	f[8] = VFS_PATH_MAX - 1;	/* f_namelen */
	f[9] = 4096;			/* f_frsize */
	f[10] = vfs_in_tmp(norm) || !strcmp(norm, "/tmp") ? 0 : 1;	/* f_flags ST_RDONLY */
	return 0;
}
EXPORT(statfs, LIBC);
EXPORT_ALIAS(statfs, statfs64, LIBC);
