/* `blob gdb': the add-symbol-file lines that give a gdb without the JIT
 * interface (or a reader of a serial log) every loaded blob's symbols at
 * their run-time addresses, one line per object.  An archive member is named
 * `ARCHIVE(MEMBER)' as the loader names it; scripts/gdb/blobvisor.py
 * extracts it with ar and runs the line (make qemu-gdb sources it). */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/string.h>
#include <loader/blob.h>
#include <loader/introspect.h>
#include "gdb_jit.h"

/* Was a section of this name already printed for the object?  (gdb takes
 * one address per section name.) */
static bool
printed_before(const struct blob *b, const struct blob_section *cur)
{
	struct blob_section_iter it;
	struct blob_section s;

	for (blob_object_sections_begin(&it, b, cur->obj_index); blob_sections_next(&it, &s);) {
		if (s.index == cur->index)
			return false;
		if (!strcmp(s.name, cur->name))
			return true;
	}
	return false;
}

static void
print_object(const struct blob *b, unsigned idx, const struct blob_object *o)
{
	struct blob_section_iter it;
	struct blob_section s;

	kprintf("add-symbol-file %s", o->name);
	if (o->shared) {
		/* a shared object's sections keep their offsets: one bias for all */
		kprintf(" -o %#llx\n", (unsigned long long)o->bias);
		return;
	}
	for (blob_object_sections_begin(&it, b, idx); blob_sections_next(&it, &s);)
		if (!printed_before(b, &s))
			kprintf(" -s %s %#llx", s.name, (unsigned long long)s.addr);
	kprintf("\n");
}

static int
cmd_blob_gdb(int argc, char **argv)
{
	unsigned n = 0;

	if (argc != 1) {
		kprintf("usage: blob gdb\n");
		return 1;
	}
	gdb_jit_sync();		/* a gdb attached since the loads sees them too */
	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		struct blob_object o;

		if (blob_flags(b) & BLOB_STATIC)
			continue;	/* linked in: the image's own symbols */
		for (unsigned i = 0; blob_object_at(b, i, &o); i++, n++)
			print_object(b, i, &o);
	}
	if (!n)
		kprintf("# blob gdb: no loaded blob (linked-in code is in the image's symbols)\n");
	return 0;
}
DBGSH_COMMAND("blob gdb", cmd_blob_gdb,
	      "gdb add-symbol-file lines for every loaded blob object (scripts/gdb/blobvisor.py runs them)");
