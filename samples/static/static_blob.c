/* build/blobvisor-static only: the vendor archive's members and the sample
 * cases are linked into the image (samples/static.ld); this registers them
 * with the loader as the blob `static', so the shell's `rockey' finds
 * rockey_case & co. with blob_lookup and runs them with blob_call in the
 * blob execution context (their stack-protector code reads %fs:0x28, which
 * the core leaves without a base).  The symbol table is generated at build
 * time from the objects (samples/static/gen-syms.sh). */
#include <core/init.h>
#include <core/panic.h>
#include <loader/blob.h>

extern const struct blob_static_sym static_blob_syms[];
extern const u64 static_blob_nsyms, static_blob_nfiles;
extern const u8 __static_blob_text_start[], __static_blob_text_end[];

static void
static_blob_init(void)
{
	if (!blob_register_static("static", static_blob_syms, static_blob_nsyms,
				  (u64)__static_blob_text_start, (u64)__static_blob_text_end,
				  (unsigned)static_blob_nfiles))
		panic("the linked-in blob could not be registered");
}
INITFUNC("35static-blob", static_blob_init);
