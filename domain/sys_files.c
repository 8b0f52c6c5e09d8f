/* The file calls of the domain ABI (docs/domains.md): a domain reads the
 * read-only files of the blob file namespace (`blob file add`) through
 * BV_SYS_FILE_LIST and BV_SYS_FILE_READ; its libc keeps its own /tmp.
 * Paths and buffers are copied, never dereferenced. */
#include <core/errno.h>
#include <core/platform.h>
#include <core/string.h>
#include <domain/abi.h>
#include <libc/files.h>
#include "internal.h"

struct list_out {
	struct domain *d;
	u64 buf, len, used;
	bool fault;
};

static int
list_one(void *arg, const char *path, size_t size, u64 mtime)
{
	struct list_out *o = arg;
	size_t plen = strlen(path) + 1;
	u64 reclen = ALIGN_UP(sizeof(struct bv_file) + plen, 8);
	union {
		struct bv_file f;
		u8 raw[sizeof(struct bv_file) + BV_PATH_MAX + 8];
	} rec;

	if (plen > BV_PATH_MAX + 1)	/* vfs paths are shorter; never copy more */
		return 0;
	if (o->used + reclen <= o->len) {
		memset(&rec, 0, reclen);
		rec.f.size = size;
		rec.f.mtime = mtime;
		rec.f.reclen = reclen;
		memcpy(rec.f.path, path, plen);
		if (domain_copy_out(o->d, o->buf + o->used, &rec, reclen)) {
			o->fault = true;
			return 1;
		}
	}
	o->used += reclen;
	return 0;
}

/* The whole list or nothing: a list that does not fit is not copied, and
 * the domain asks again with the size returned. */
s64
sys_file_list(struct domain *d, u64 buf, u64 len)
{
	struct list_out o = { d, buf, 0, 0, false };

	if (!domain_range_ok(d, buf, len, PROT_W))
		return -EFAULT;
	libc_files_each(list_one, &o);	/* measure */
	if (o.used > len)
		return (s64)o.used;
	o.len = len;
	o.used = 0;
	libc_files_each(list_one, &o);
	return o.fault ? -EFAULT : (s64)o.used;
}

s64
sys_file_read(struct domain *d, u64 path, u64 pathlen, u64 off, u64 buf, u64 len)
{
	char name[BV_PATH_MAX + 1], chunk[512];
	u64 done = 0;

	if (!pathlen || pathlen > BV_PATH_MAX || len > BV_READ_MAX)
		return -EINVAL;
	if (domain_copy_in(d, name, path, pathlen))
		return -EFAULT;
	name[pathlen] = '\0';
	if (strlen(name) != pathlen)
		return -EINVAL;		/* a NUL inside the path */
	if (!domain_range_ok(d, buf, len, PROT_W))
		return -EFAULT;
	while (done < len) {
		s64 n = libc_file_pread(name, off + done, chunk,
					len - done < sizeof(chunk) ? len - done : sizeof(chunk));

		if (n < 0)
			return n;
		if (!n)
			break;
		if (domain_copy_out(d, buf + done, chunk, (size_t)n))
			return -EFAULT;
		done += (u64)n;
	}
	return (s64)done;
}
