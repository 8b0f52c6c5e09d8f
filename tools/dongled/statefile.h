/* dongled's state file: one owner, load with one-line errors, save
 * atomically. */
#ifndef DONGLED_STATEFILE_H
#define DONGLED_STATEFILE_H

#include <dongle/dongle.h>

struct statefile {
	const char *path;
	char *tmp;		/* path + ".tmp": the next contents, until renamed */
	char *lock;		/* path + ".lock": flock'd while we own the state */
	int dirfd;		/* the directory, for fsync after rename */
	int lockfd;
	bool stale_tmp;		/* open removed a .tmp an interrupted save left */
};

/* Refuse a PATH that exists and is not a regular file (symbolic links
 * included: a save would replace the link, not its target), take the lock
 * (refused while another dongled holds it) and remove a leftover .tmp.
 * 0, or negative with one line in *err. */
int statefile_open(struct statefile *sf, const char *path, char *err, size_t errlen);
/* Read up to cap bytes of the file into buf (*len: how many; ask for one
 * more than the format's size to catch a longer file).  0 ok, -ENOENT
 * missing, other negative: *err filled with one line. */
int statefile_read(struct statefile *sf, u8 *buf, size_t cap, size_t *len, char *err, size_t errlen);
/* The dongle's state: read and decoded.  Errors as statefile_read, and
 * -EINVAL naming what is wrong with the contents. */
int statefile_load(struct statefile *sf, struct dongle_state *st, char *err, size_t errlen);
/* Write temp, fsync, rename over, fsync the directory. */
int statefile_save(struct statefile *sf, const u8 *image, size_t len);
/* Release the lock (the lock file stays: removing it would race). */
void statefile_close(struct statefile *sf);

#endif
