/* opendir/readdir over the blob file namespace: a directory is read as a
 * snapshot taken at opendir (as getdents' buffer would hold it), with "."
 * and ".." first. */
#include "vfs.h"
#include <core/heap.h>

#define DT_DIR	4
#define DT_REG	8

/* struct dirent64 (struct dirent has the same layout on x86-64) */
struct libc_dirent {
	u64 d_ino;
	s64 d_off;
	u16 d_reclen;
	u8 d_type;
	char d_name[256];
};

struct libc_dir {
	int fd;
	int n, next, cap;
	struct libc_dirent *ents;
};

static void
add_entry(void *arg, const char *name, bool dir)
{
	struct libc_dir *d = arg;
	struct libc_dirent *e;

	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 8;
		struct libc_dirent *grown = heap_alloc(cap * sizeof(*grown));

		if (!grown)
			return;
		memcpy(grown, d->ents, d->n * sizeof(*grown));
		heap_free(d->ents);
		d->ents = grown;
		d->cap = cap;
	}
	e = &d->ents[d->n++];
	memset(e, 0, sizeof(*e));
	e->d_ino = d->n + 1;
	e->d_off = d->n;
	e->d_reclen = (offsetof(struct libc_dirent, d_name) + strlen(name) + 1 + 7) & ~7;
	e->d_type = dir ? DT_DIR : DT_REG;
	strncpy(e->d_name, name, sizeof(e->d_name) - 1);
}

static void *
dir_open(const char *path, const void *caller)
{
	char norm[VFS_PATH_MAX];
	struct libc_dir *d;

	if (!path) {
		errno = EFAULT;
		return NULL;
	}
	if (!*path || !vfs_normalise(path, norm)) {
		errno = *path ? ENAMETOOLONG : ENOENT;
		return NULL;
	}
	if (!vfs_is_dir(norm)) {
		if (vfs_find(norm)) {
			errno = ENOTDIR;
			return NULL;
		}
		vfs_refused(path, "opendir", ENOENT, caller);
		errno = ENOENT;
		return NULL;
	}
	d = heap_alloc(sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	memset(d, 0, sizeof(*d));
	d->fd = libc_open(norm, O_RDONLY | O_DIRECTORY, 0, caller);
	if (d->fd < 0) {
		heap_free(d);
		return NULL;
	}
	add_entry(d, ".", true);
	add_entry(d, "..", true);
	vfs_list_dir(norm, add_entry, d);
	return d;
}

void *
opendir(const char *path)
{
	return dir_open(path, CALLER);
}
EXPORT(opendir, LIBC);

void *
readdir(void *dirp)
{
	struct libc_dir *d = dirp;

	if (!d) {
		errno = EBADF;
		return NULL;
	}
	return d->next < d->n ? &d->ents[d->next++] : NULL;
}
EXPORT(readdir, LIBC);
EXPORT_ALIAS(readdir, readdir64, LIBC);

int
closedir(void *dirp)
{
	struct libc_dir *d = dirp;
	int r;

	if (!d) {
		errno = EBADF;
		return -1;
	}
	r = close(d->fd);
	heap_free(d->ents);
	heap_free(d);
	return r;
}
EXPORT(closedir, LIBC);

int
dirfd(void *dirp)
{
	return ((struct libc_dir *)dirp)->fd;
}
EXPORT(dirfd, LIBC);

void
rewinddir(void *dirp)
{
	((struct libc_dir *)dirp)->next = 0;
}
EXPORT(rewinddir, LIBC);
