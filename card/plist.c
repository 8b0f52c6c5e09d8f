/* libccid's reader list, Info.plist, read where libccid reads it: the blob
 * file namespace.  The three arrays ifdVendorID, ifdProductID and
 * ifdFriendlyName run in parallel; `card list` names a reader from them
 * as pcscd would.  A plain scan for <key>, <array> and <string>: the file
 * is Apple's plist XML as Debian ships it, no entities in these arrays. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/heap.h>
#include <core/string.h>
#include "card.h"

/* the blobs' libc, called from the core (libc/vfs.c, libc/fileio.c) */
int open(const char *path, int flags, ...);
ssize_t read(int fd, void *buf, size_t n);
int close(int fd);

#define PLIST_MAX	(512 * 1024)

/* The file's bytes, NUL-terminated, from the heap; NULL if absent. */
static char *
slurp(const char *path, size_t *len)
{
	int fd = open(path, 0);
	char *buf;
	size_t n = 0;

	if (fd < 0)
		return NULL;
	buf = heap_alloc(PLIST_MAX + 1);
	if (!buf) {
		close(fd);
		return NULL;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, PLIST_MAX - n);

		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = 0;
	*len = n;
	return buf;
}

/* The idx-th <string> of the array after <key>key</key>, into out. */
static bool
array_item(const char *xml, const char *key, int idx, char *out, size_t size)
{
	char tag[64];
	const char *p, *end;

	snprintf(tag, sizeof(tag), "<key>%s</key>", key);
	p = strstr(xml, tag);
	if (!p)
		return false;
	p = strstr(p, "<array>");
	end = p ? strstr(p, "</array>") : NULL;
	if (!p || !end)
		return false;
	for (int i = 0;; i++) {
		const char *s = strstr(p, "<string>"), *e;

		if (!s || s > end)
			return false;
		s += 8;
		e = strstr(s, "</string>");
		if (!e || e > end)
			return false;
		if (i == idx) {
			size_t n = MIN((size_t)(e - s), size - 1);

			memcpy(out, s, n);
			out[n] = 0;
			return true;
		}
		p = e;
	}
}

const char *
card_plist_name(u16 vid, u16 pid, char *buf, size_t size)
{
	size_t len;
	char *xml = slurp(CARD_PLIST, &len);
	char v[16], p[16];
	const char *found = NULL;

	if (!xml)
		return NULL;
	for (int i = 0; array_item(xml, "ifdVendorID", i, v, sizeof(v)) &&
			array_item(xml, "ifdProductID", i, p, sizeof(p)); i++) {
		if (strtoul(v, NULL, 16) == vid && strtoul(p, NULL, 16) == pid &&
		    array_item(xml, "ifdFriendlyName", i, buf, size)) {
			found = buf;
			break;
		}
	}
	heap_free(xml);
	return found;
}

/* libccid opens the file at its hard-coded path and refuses to work
 * without it: if the namespace lacks it, add the host's (hosted: Debian's
 * /etc/libccid_Info.plist behind the package's symlink; bare metal: a
 * module of that name). */
int
card_plist_ensure(void)
{
	size_t len;
	char *xml = slurp(CARD_PLIST, &len);

	if (xml) {
		heap_free(xml);
		return 0;
	}
	kprintf("card: %s not in the blob file namespace; adding the host's copy\n", CARD_PLIST);
	if (dbgsh_exec("blob file add " CARD_PLIST) != 0) {
		kprintf("card: no Info.plist: libccid will find no reader (blob file add HOST %s)\n",
			CARD_PLIST);
		return -1;
	}
	return 0;
}
