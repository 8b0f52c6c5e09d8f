/* The operator's side of the blob file namespace: `blob file add HOSTPATH
 * [BLOBPATH]' (bare metal: a multiboot module's name), `blob file list'. */
#include "vfs.h"
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/heap.h>
#include <core/platform.h>
#include <core/core.h>
#include <core/options.h>

static int
cmd_blob_file_add(int argc, char **argv)
{
	const char *src, *dst;
	void *buf;
	size_t len;
	int r;

	if (argc < 2 || argc > 3) {
		kprintf("usage: blob file add HOSTPATH [BLOBPATH]\n");
		return -1;
	}
	src = argv[1];
	dst = argc == 3 ? argv[2] : src;
	if (*dst != '/') {
		kprintf("blob file add: %s: the blob's path must be absolute\n", dst);
		return -1;
	}
	r = plat_file_read(src, &buf, &len);
	if (r < 0) {
		kprintf("blob file add: %s: cannot read (%s)\n", src, strerror(-r));
		return -1;
	}
	r = vfs_add(dst, src, buf, len);
	if (r < 0) {
		heap_free(buf);
		kprintf("blob file add: %s: %s\n", dst,
			r == -EBUSY ? "open in a blob; close it first" :
			r == -EISDIR ? "is a directory (/, /tmp or a parent of a file)" : strerror(-r));
		return -1;
	}
	kprintf("blob file: %s -> %s (%zu bytes, read-only)\n", src, dst, len);
	return 0;
}
DBGSH_COMMAND("blob file add", cmd_blob_file_add,
	      "HOSTPATH [BLOBPATH]: give blobs a read-only copy of a file");

static int
cmd_blob_file_list(int argc, char **argv)
{
	int n = 0;

	kprintf("%-40s %10s  %s\n", "path", "bytes", "from");
	for (struct vfs_node *f = vfs_first(); f; f = f->next, n++)
		kprintf("%-40s %10zu  %s%s\n", f->path, f->len,
			f->tmp ? "/tmp (written by a blob)" : f->source,
			f->unlinked ? ", unlinked, still open" : "");
	kprintf("%d file%s; /tmp holds up to %u KiB\n", n, n == 1 ? "" : "s", VFS_TMP_LIMIT / 1024);
	return 0;
}
DBGSH_COMMAND("blob file list", cmd_blob_file_list, "the blobs' file namespace");

/* --file HOST[=BLOBPATH] (bare metal: a module's name for HOST) becomes
 * `blob file add HOST BLOBPATH' before the shell starts.  BLOBPATH starts
 * at the last "=/", so HOST may itself contain '='. */
static const char *
set_file(struct boot_options *opt, const char *spec)
{
	static char made[16][600];
	static int nmade;
	const char *eq = NULL;
	char *cmd;

	if (nmade == 16)
		return "too many --file options (16)";
	cmd = made[nmade++];
	for (const char *p = spec; (p = strstr(p, "=/")); p++)
		eq = p;
	if (eq)
		snprintf(cmd, sizeof(made[0]), "blob file add '%.*s' '%s'", (int)(eq - spec), spec, eq + 1);
	else
		snprintf(cmd, sizeof(made[0]), "blob file add '%s'", spec);
	return options_add(opt->required, &opt->nrequired, cmd);
}
OPTION("--file", "HOST[=BLOBPATH]", set_file,
       "give blobs a read-only copy of a host file (bare metal: a module)");
