/* The read-only part of the blob file namespace for readers outside libc
 * (include/libc/files.h): the protection-domain dispatcher.  Not in the
 * domain build of libc: there, the namespace is the VMM's, read through
 * the system calls that end here. */
#include "vfs.h"
#include <libc/files.h>

int
libc_files_each(int (*fn)(void *arg, const char *path, size_t size, u64 mtime), void *arg)
{
	for (struct vfs_node *n = vfs_first(); n; n = n->next) {
		int r;

		if (n->tmp || n->unlinked)
			continue;
		if ((r = fn(arg, n->path, n->len, n->mtime)))
			return r;
	}
	return 0;
}

s64
libc_file_pread(const char *path, u64 off, void *buf, size_t len)
{
	struct vfs_node *n = vfs_find(path);

	if (!n || n->tmp)
		return -ENOENT;
	if (off >= n->len)
		return 0;
	if (len > n->len - off)
		len = n->len - off;
	memcpy(buf, n->data + off, len);
	return (s64)len;
}
