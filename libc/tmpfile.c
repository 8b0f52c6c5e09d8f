/* mkstemp and tmpfile on the in-memory /tmp (vfs.c): glibc's contract
 * (six trailing X's replaced by letters and digits, O_EXCL, mode 0600);
 * tmpfile's file is unlinked at once and lives until its stream closes. */
#include "vfs.h"
#include <core/platform.h>

int mkostemps(char *tmpl, int suffixlen, int flags);
int mkstemps(char *tmpl, int suffixlen);
int mkostemp(char *tmpl, int flags);
int mkstemp(char *tmpl);
FILE *tmpfile(void);

static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

int
mkostemps(char *tmpl, int suffixlen, int flags)
{
	size_t len = strlen(tmpl);
	char *x;

	if (suffixlen < 0 || len < (size_t)suffixlen + 6 ||
	    memcmp(tmpl + len - suffixlen - 6, "XXXXXX", 6)) {
		errno = EINVAL;
		return -1;
	}
	x = tmpl + len - suffixlen - 6;
	for (int attempt = 0; attempt < 100; attempt++) {
		u64 r = plat_random_u64();
		int fd;

		for (int i = 0; i < 6; i++, r /= 62)
			x[i] = letters[r % 62];
		fd = libc_open(tmpl, (flags & ~O_ACCMODE) | O_RDWR | O_CREAT | O_EXCL, 0600, CALLER);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}
EXPORT(mkostemps, LIBC);

int
mkstemps(char *tmpl, int suffixlen)
{
	return mkostemps(tmpl, suffixlen, 0);
}
EXPORT(mkstemps, LIBC);

int
mkostemp(char *tmpl, int flags)
{
	return mkostemps(tmpl, 0, flags);
}
EXPORT(mkostemp, LIBC);
EXPORT_ALIAS(mkostemp, mkostemp64, LIBC);

int
mkstemp(char *tmpl)
{
	return mkostemps(tmpl, 0, 0);
}
EXPORT(mkstemp, LIBC);
EXPORT_ALIAS(mkstemp, mkstemp64, LIBC);

FILE *
tmpfile(void)
{
	char path[] = "/tmp/tmpf.XXXXXX";
	int fd = mkstemp(path), saved;
	FILE *f;

	if (fd < 0)
		return NULL;
	unlink(path);
	f = fdopen(fd, "w+");
	if (!f) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return f;
}
EXPORT(tmpfile, LIBC);
EXPORT_ALIAS(tmpfile, tmpfile64, LIBC);
