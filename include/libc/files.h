/* The blob file namespace (libc/vfs.c) as code outside libc reads it: the
 * protection-domain dispatcher hands its read-only files to domains
 * (docs/domains.md, BV_SYS_FILE_LIST/BV_SYS_FILE_READ).  /tmp is not
 * included: each domain has its own. */
#ifndef LIBC_FILES_H
#define LIBC_FILES_H

#include <core/types.h>

/* fn(arg, path, size, mtime) for each read-only file, newest first; stops
 * when fn returns non-zero and returns that value. */
int libc_files_each(int (*fn)(void *arg, const char *path, size_t size, u64 mtime), void *arg);
/* Up to len bytes of the file at the normalised path from off (0 at or
 * past its end); -ENOENT when no read-only file has that path. */
s64 libc_file_pread(const char *path, u64 off, void *buf, size_t len);

#endif
