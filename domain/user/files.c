/* The blob file namespace inside a protection domain (libc/vfs.h): the
 * read-only files are the VMM's.  On the first look at the namespace the
 * domain's libc copies the list (BV_SYS_FILE_LIST: paths, sizes, times)
 * into its own table, with no bytes; a file's bytes are read into the
 * domain's heap when it is first opened (BV_SYS_FILE_READ).  /tmp is the
 * domain's own.  Files the operator adds after that first look are not
 * seen by this domain (docs/domains.md). */
#include "vfs.h"
#include <core/heap.h>
#include <domain/abi.h>

long bv_syscall(long nr, long a1, long a2, long a3, long a4, long a5);

static bool synced;

void
vfs_domain_sync(void)
{
	long need, got;
	u8 *buf;

	if (synced)
		return;
	synced = true;		/* vfs_add below looks at the table too */
	need = bv_syscall(BV_SYS_FILE_LIST, 0, 0, 0, 0, 0);
	if (need <= 0 || !(buf = heap_alloc((size_t)need)))
		return;
	got = bv_syscall(BV_SYS_FILE_LIST, (long)buf, need, 0, 0, 0);
	for (long off = 0; got == need && off < got;) {
		struct bv_file *f = (struct bv_file *)(buf + off);
		struct vfs_node *n;

		if (f->reclen < sizeof(*f) + 1 || f->reclen > (unsigned long)(got - off))
			break;
		if (!vfs_add(f->path, "vmm", NULL, f->size) && (n = vfs_find(f->path)))
			n->mtime = f->mtime;
		off += (long)f->reclen;
	}
	heap_free(buf);
}

int
vfs_domain_fetch(struct vfs_node *n)
{
	size_t plen = strlen(n->path);
	u8 *data;

	if (n->tmp || n->data || !n->len)
		return 0;
	if (!(data = heap_alloc(n->len)))
		return -1;
	for (size_t done = 0; done < n->len;) {
		size_t want = n->len - done < BV_READ_MAX ? n->len - done : BV_READ_MAX;
		long r = bv_syscall(BV_SYS_FILE_READ, (long)n->path, (long)plen, (long)done,
				    (long)(data + done), (long)want);

		if (r <= 0) {
			heap_free(data);
			return -1;
		}
		done += (size_t)r;
	}
	n->data = data;
	return 0;
}
