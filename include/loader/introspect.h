/* Looking inside loaded blobs without knowing how the loader stores them:
 * sections at their run-time addresses, the GOT/PLT the loader made,
 * symbols both ways, the bindings of imports to core exports, the blob
 * execution context's fixed places, and which relocation types the loader
 * applies.  The debugger (debug/), gdb's JIT interface and blobscan use
 * only this; loader/internal.h stays the loader's own. */
#ifndef LOADER_INTROSPECT_H
#define LOADER_INTROSPECT_H

#include <core/types.h>
#include <loader/blob.h>

/* One placed section.  A blob linked into the image (BLOB_STATIC) has no
 * objects: its text range is reported as one section ".text" of an object
 * named after the blob. */
struct blob_section {
	const char *obj;		/* "libz.a(inflate.o)" */
	const char *name;		/* ".text" */
	u64 addr, size;			/* run-time address and size */
	int prot;			/* PROT_R|W|X from the section flags */
	u32 type;			/* SHT_* (SHT_PROGBITS for a static blob's text) */
	u64 align;
	unsigned obj_index;		/* which object of the blob, in load order */
	unsigned index;			/* section index in that object */
	bool shared;			/* the object is a shared object (ET_DYN) */
};

/* Iterate b's placed sections (those with a run-time address), object by
 * object:  for (blob_sections_begin(&it, b); blob_sections_next(&it, &s);) */
struct blob_section_iter {
	const struct blob *b;
	const void *obj;
	unsigned obj_index, index;
	bool one;			/* only the object it started at */
};
void blob_sections_begin(struct blob_section_iter *it, const struct blob *b);
/* The same for object `obj' of b alone (nothing if there is none). */
void blob_object_sections_begin(struct blob_section_iter *it, const struct blob *b, unsigned obj);
bool blob_sections_next(struct blob_section_iter *it, struct blob_section *s);

/* The section of any loaded blob that holds addr (sets *b when given). */
bool blob_section_at(u64 addr, struct blob **b, struct blob_section *s);
/* Is addr in memory blob b mapped (its image or a shared object's pages,
 * between sections too, or a static blob's text)?  Returns the object's
 * name, else NULL. */
const char *blob_mapping_at(const struct blob *b, u64 addr);

/* The page runs of b's ET_REL image with one protection each (what
 * `blob info' lists as regions), then each shared object's; returns how
 * many, at most max filled. */
struct blob_region {
	u64 start, len;
	int prot;
};
unsigned blob_regions(const struct blob *b, struct blob_region *out, unsigned max);

/* The tables the loader synthesised for ET_REL objects: the GOT (8-byte
 * slots) and the PLT (stubs of plt_stub bytes: movabs $target, %r11 at +0,
 * the target's 8 bytes at +2; jmp *%r11).  Shared objects keep their own
 * .got/.got.plt/.plt, found as sections. */
struct blob_tables {
	u64 got;
	unsigned ngot;
	u64 plt;
	unsigned nplt;
	unsigned plt_stub;
};
void blob_tables(const struct blob *b, struct blob_tables *t);
/* The symbol GOT slot `slot' of b was made for, NULL if unknown. */
const char *blob_got_slot_symbol(const struct blob *b, unsigned slot);

unsigned blob_flags(const struct blob *b);	/* BLOB_* */
bool blob_failed(const struct blob *b);

/* A symbol at its run-time address. */
struct blob_symbol {
	const char *name;
	const char *obj;		/* the defining object ("" for a static blob) */
	u64 addr, size;
	unsigned type;			/* STT_* */
	bool global;			/* in the blob's namespace (not a local) */
};
/* A global definition of blob b (NULL: every blob in load order). */
bool blob_symbol_lookup(const struct blob *b, const char *name, struct blob_symbol *s);
/* The nearest function/object symbol at or below addr inside the object that
 * holds addr; *off = addr - s->addr.  False outside every blob object. */
bool blob_symbol_at(u64 addr, struct blob_symbol *s, u64 *off);
/* Iterate every named function/object symbol of b's objects (locals too),
 * each with its run-time address. */
struct blob_symbol_iter {
	const struct blob *b;
	const void *obj;
	size_t index;
	bool one;			/* only the object it started at */
};
void blob_symbols_begin(struct blob_symbol_iter *it, const struct blob *b);
void blob_object_symbols_begin(struct blob_symbol_iter *it, const struct blob *b, unsigned obj);
bool blob_symbols_next(struct blob_symbol_iter *it, struct blob_symbol *s);

/* The object files of b, in load order: name, bytes as loaded (the loader's
 * copy, for DWARF), and whether it is a shared object. */
struct blob_object {
	const char *name;
	const void *buf;
	size_t len;
	bool shared;
	u64 bias;			/* shared object: load bias */
};
/* Bytes of b's image at run-time address addr (hosted: without touching
 * run pages; a static blob: its text in place).  0 or -1. */
int blob_image_read(const struct blob *b, u64 addr, void *dst, size_t len);
/* Write into a loaded blob's image without a writable view of it
 * (plat_image_write): 0, -1 on failure, 1 when no blob image holds
 * [addr, addr + len). */
int blob_image_write(u64 addr, const void *src, size_t len);
bool blob_object_at(const struct blob *b, unsigned index, struct blob_object *o);

/* Where the loader bound an import of b to a core function: a rel32 call
 * site against an undefined symbol, a PLT stub's target, a GOT slot, a
 * shared object's .got/.got.plt entry.  The value stored there is `target'
 * (width 8) or target + addend - addr (width 4). */
struct blob_binding {
	u64 addr;
	u64 target;
	unsigned width;			/* 4 or 8 */
	s64 addend;
	int prot;			/* the page protection to restore after a write */
};
void blob_bindings(const struct blob *b, void (*fn)(const struct blob_binding *bd, void *arg),
		   void *arg);

/* The blob execution context: the TCB address (0 before the first call) and
 * whether pc lies in the entry of a blob call (where backtraces stop). */
u64 blob_tcb_address(void);
bool blob_call_entry_at(u64 pc, u64 *off);

/* Relocation types the loader applies in relocatable objects and in shared
 * objects (the loader's own code answers; blobscan asks before loading). */
bool reloc_supported(u32 type);
bool dyn_reloc_supported(u32 type);

#endif
