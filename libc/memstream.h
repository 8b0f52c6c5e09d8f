/* Private to libc/: the memory behind open_memstream and fmemopen streams
 * (memstream.c), driven by stdio.c.  Such a stream has no descriptor
 * (fileno is -1, as in glibc), so it is a stream backend, not an fd_obj. */
#ifndef LIBC_MEMSTREAM_H
#define LIBC_MEMSTREAM_H

#include "libc.h"

struct memfile;

/* Bytes read (0 at the end), or -1 with errno.  An open_memstream stream
 * is not readable but, as in glibc, reading it is a plain end without
 * error: memfile_reads_nothing() says so and stdio sets no flag. */
ssize_t memfile_read(struct memfile *m, void *buf, size_t n);
bool memfile_reads_nothing(struct memfile *m);
/* Bytes accepted; fewer than n when a write into a fixed buffer did not
 * fit.  memfile_error() reports (and clears) a short write, which becomes
 * the stream's error flag, as glibc's cookie layer sets it. */
size_t memfile_write(struct memfile *m, const void *p, size_t n);
bool memfile_error(struct memfile *m);
int memfile_flush(struct memfile *m);		/* 0 or EOF */
s64 memfile_seek(struct memfile *m, s64 off, int whence);	/* new position or -1 */
s64 memfile_tell(struct memfile *m);
int memfile_close(struct memfile *m);		/* frees m; 0 or EOF */
bool memfile_writable(struct memfile *m);
bool memfile_readable(struct memfile *m);

struct memfile *memfile_dynamic(char **bufp, size_t *sizep);
struct memfile *memfile_fixed(void *buf, size_t size, const char *mode);
/* open_wmemstream's: positions, sizes and seeks count wchar_t (4 bytes);
 * written only in whole wchar_t values (stdio.c's wide functions). */
struct memfile *memfile_dynamic_wide(int **bufp, size_t *sizep);
bool memfile_wide(struct memfile *m);

#endif
