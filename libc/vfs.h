/* Private to libc/: the blobs' file namespace.  Read-only files the
 * operator named (`blob file add`, --file), directories implied by their
 * paths, and /tmp: a small writable in-memory directory. */
#ifndef LIBC_VFS_H
#define LIBC_VFS_H

#include "fd.h"

#define VFS_PATH_MAX	256
#define VFS_TMP_LIMIT	(1u << 20)	/* bytes all /tmp files may hold */

struct vfs_node {
	struct vfs_node *next;
	char *path;		/* normalised, absolute */
	char *source;		/* host path or module it came from; NULL in /tmp */
	u8 *data;
	size_t len, cap;
	u64 ino, mtime;
	int opens;
	bool tmp, unlinked;
};

/* Absolute, without "//", "." or ".." (resolved lexically; the blob's
 * working directory is "/").  false: too long. */
bool vfs_normalise(const char *path, char *out);
struct vfs_node *vfs_find(const char *norm);
struct vfs_node *vfs_first(void);
bool vfs_is_dir(const char *norm);
bool vfs_in_tmp(const char *norm);
int vfs_add(const char *blobpath, const char *source, void *data, size_t len);
void vfs_node_stat(const struct vfs_node *n, struct libc_stat *st);
void vfs_dir_stat(const char *norm, struct libc_stat *st);
/* Calls fn for each entry directly inside the directory norm. */
void vfs_list_dir(const char *norm, void (*fn)(void *arg, const char *name, bool dir), void *arg);

/* In a protection domain (the domain build, -DBV_DOMAIN) the read-only
 * files are the VMM's: the table is filled from BV_SYS_FILE_LIST on first
 * use and a file's bytes are read (BV_SYS_FILE_READ) when it is first
 * opened (domain/user/files.c).  In the VMM both are nothing. */
#ifdef BV_DOMAIN
void vfs_domain_sync(void);
int vfs_domain_fetch(struct vfs_node *n);
#else
static inline void vfs_domain_sync(void) { }
static inline int vfs_domain_fetch(struct vfs_node *n) { return 0; }
#endif

#endif
