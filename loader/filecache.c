/* The files blobs are loaded from, kept as read-only views (plat_file_view:
 * a mapping on a host, the module itself on bare metal) while they are
 * unchanged: loading the same libdongle.a again costs one stat, not an
 * open, a read of the whole archive and a close.  A slot is validated by
 * the file's identity (device, inode, size, modification and change times)
 * on every use, and pinned while a load reads it. */
#include <core/errno.h>
#include <core/heap.h>
#include <core/platform.h>
#include <core/string.h>
#include "internal.h"

#define FILECACHE_SLOTS 8

struct slot {
	char *path;
	struct plat_file_id id;
	const void *buf;
	size_t len;
	unsigned pins;
};

static struct slot slots[FILECACHE_SLOTS];
static unsigned next_victim;

static bool
same_id(const struct plat_file_id *a, const struct plat_file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

static void
slot_drop(struct slot *s)
{
	plat_file_unview(s->buf, s->len);
	heap_free(s->path);
	*s = (struct slot){ 0 };
}

/* An unpinned slot to reuse (round robin), or NULL when all are pinned. */
static struct slot *
victim(void)
{
	for (unsigned k = 0; k < FILECACHE_SLOTS; k++) {
		struct slot *s = &slots[(next_victim + k) % FILECACHE_SLOTS];

		if (!s->pins) {
			next_victim = (unsigned)(s - slots + 1) % FILECACHE_SLOTS;
			if (s->path)
				slot_drop(s);
			return s;
		}
	}
	return NULL;
}

/* The file's contents, pinned until file_cache_put; negative errno. */
int
file_cache_get(const char *path, const void **buf, size_t *len)
{
	struct plat_file_id id;
	struct slot *s;
	int rc;

	for (s = slots; s < slots + FILECACHE_SLOTS; s++)
		if (s->path && !strcmp(s->path, path))
			break;
	if (s < slots + FILECACHE_SLOTS) {
		rc = plat_file_id(path, &id);
		if (rc < 0)
			return rc;
		if (same_id(&id, &s->id))
			goto hit;
		if (s->pins)	/* changed under a running load */
			goto uncached;
		slot_drop(s);
	} else if (!(s = victim())) {
		goto uncached;	/* every slot pinned */
	}
	rc = plat_file_view(path, &s->buf, &s->len, &s->id);
	if (rc < 0) {
		*s = (struct slot){ 0 };
		return rc;
	}
	s->path = heap_strdup(path);
	if (!s->path) {
		plat_file_unview(s->buf, s->len);
		*s = (struct slot){ 0 };
		return -ENOMEM;
	}
hit:
	s->pins++;
	*buf = s->buf;
	*len = s->len;
	return 0;
uncached:
	rc = plat_file_view(path, buf, len, &id);
	return rc < 0 ? rc : 0;
}

void
file_cache_put(const void *buf, size_t len)
{
	for (struct slot *s = slots; s < slots + FILECACHE_SLOTS; s++)
		if (s->path && s->buf == buf && s->pins) {
			s->pins--;
			return;
		}
	plat_file_unview(buf, len);	/* an uncached view */
}
