/* dongled's state file: load with one-line errors, save atomically. */
#ifndef DONGLED_STATEFILE_H
#define DONGLED_STATEFILE_H

#include <dongle/dongle.h>

struct statefile {
	const char *path;
	char *tmp;		/* path + ".tmp" */
	int dirfd;		/* the directory, for fsync after rename */
};

/* 0 ok, -ENOENT missing, other negative: *err filled with one line. */
int statefile_open(struct statefile *sf, const char *path, char *err, size_t errlen);
int statefile_load(struct statefile *sf, struct dongle_state *st, char *err, size_t errlen);
/* Write temp, fsync, rename over, fsync the directory. */
int statefile_save(struct statefile *sf, const u8 *image, size_t len);

#endif
