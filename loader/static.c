/* Blobs linked into the image at build time (the BitVisor way,
 * build/blobvisor-static): no file to parse and nothing to relocate, the
 * linker did that; the loader only gives the code a namespace (its global
 * symbols, for blob_lookup and for blobs loaded later) and a name in the
 * blob list, so that blob_call runs it in the blob execution context like
 * any loaded blob.  Its text range is its one region (the debugger's
 * patches, hooks and breakpoints accept addresses in it). */
#include <core/console.h>
#include <core/heap.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include "internal.h"

struct blob *
blob_register_static(const char *name, const struct blob_static_sym *syms, size_t nsyms,
		     u64 text_start, u64 text_end, unsigned nfiles)
{
	struct blob *b;

	if (blob_find(name)) {
		kprintf("blob: %s: already registered\n", name);
		return NULL;
	}
	b = heap_zalloc(sizeof(*b));
	if (!b || ns_init(b, (unsigned)nsyms * 2)) {
		heap_free(b);
		kprintf("blob: %s: out of memory\n", name);
		return NULL;
	}
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->flags = BLOB_STATIC;
	b->nobjs = nfiles;
	b->image = (u8 *)text_start;
	b->image_pages = (ALIGN_UP(text_end, PAGE_SIZE) - ALIGN_DOWN(text_start, PAGE_SIZE)) /
			 PAGE_SIZE;
	b->regions[0] = (struct region){ text_start, text_end - text_start, PROT_R | PROT_X };
	b->nregions = 1;
	b->tlsld_got = -1;
	b->ctors_done = true;	/* the link refuses constructors (samples/static.ld) */
	for (size_t i = 0; i < nsyms; i++)
		if (ns_define(b, syms[i].name, syms[i].addr, syms[i].size, NULL, 0, STB_GLOBAL,
			      (unsigned)syms[i].type, false, 0)) {
			ns_free(b);
			heap_free(b);
			return NULL;
		}
	blob_list_add(b);
	return b;
}
