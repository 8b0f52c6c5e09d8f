/* blobscan: what a vendor blob needs before it is loaded.  The scan runs
 * over a namespace of files (as `blob load` would build it) and fills one
 * struct bs_scan; the text, JSON, dot and stub writers only read it. */
#ifndef BLOBSCAN_H
#define BLOBSCAN_H

#include <stdio.h>

#include "input.h"

enum bs_class {
	CL_LIBC, CL_FORTIFY, CL_PTHREAD, CL_LIBUSB, CL_LIBUSB1, CL_SSP, CL_GOT, CL_TLS, CL_RUNTIME,
	CL_PCSC, CL_UNKNOWN, CL_N
};
enum bs_kind { KIND_UNKNOWN, KIND_FUNCTION, KIND_OBJECT };

struct bs_export {
	char *name;
	enum bs_class cls;
	enum bs_kind kind;
};

struct bs_exports {
	const char *path;
	size_t n;
	struct bs_export *e;		/* sorted by name */
};

int bs_exports_read(const char *path, struct bs_exports *x, char *err, size_t errlen);
void bs_exports_free(struct bs_exports *x);
const struct bs_export *bs_exports_find(const struct bs_exports *x, const char *name);

const char *bs_class_name(enum bs_class c);	/* "libc", "stack protector", ... */
const char *bs_class_key(enum bs_class c);	/* "libc", "ssp", ... (JSON, dot) */
enum bs_class bs_class_guess(const char *name);	/* from the name alone */

/* Known prototypes for the stub writer (protos.c). */
struct bs_proto {
	const char *name;
	enum bs_class cls;
	const char *decl;		/* "void *memcpy(void *d, const void *s, size_t n)" */
	const char *ret;		/* "return 0;", "" for void; NULL for objects */
};
const struct bs_proto *bs_proto_find(const char *name);

/* One reference kind per relocation family. */
enum bs_via { VIA_PLT, VIA_GOT, VIA_PC, VIA_ABS, VIA_TLS, VIA_OTHER, VIA_N };

struct bs_import {
	const char *name;
	enum bs_class cls;
	enum bs_kind kind;
	bool provided;			/* the export table (or the loader) has it */
	bool weak;			/* every reference is weak */
	bool data;			/* referenced as data: needs ±2 GiB or a GOT slot */
	unsigned via[VIA_N];		/* relocations against it, by family */
	size_t nrefs;			/* objects that import it */
	size_t *refs;
};

struct bs_where {			/* first evidence for a property */
	size_t obj;
	const char *sec;
	uint64_t off;
	bool set;
};

struct bs_count {
	unsigned n;
	struct bs_where at;
};

struct bs_props {
	/* position independence, counted in objects */
	unsigned obj_pic;		/* GOT-relative access to its own global symbols */
	unsigned obj_pie;		/* PC-relative only */
	unsigned obj_nonpic;		/* absolute 32-bit relocations (R_X86_64_32/32S) */
	unsigned obj_shared;		/* ET_DYN */
	struct bs_where pic_at, nonpic_at;
	const char *pic_sym, *nonpic_sym;
	/* stack protector */
	bool imports_stack_chk_fail;
	struct bs_count fs28;		/* %fs:0x28 reads */
	/* CET */
	struct bs_count endbr64;
	unsigned note_ibt, note_shstk, note_any; /* objects with .note.gnu.property bits */
	/* TLS */
	unsigned tls_syms, tls_sections, tls_relocs;
	struct bs_count fs_other;	/* other %fs-relative accesses */
	/* init/fini */
	unsigned init_array, fini_array, ctors, dtors, init_frag, fini_frag, preinit_array;
	/* IFUNC, COMMON */
	unsigned ifunc_syms, irelative;
	struct bs_where ifunc_at;
	const char *ifunc_name;
	unsigned common;
	const char *common_name;
	/* SSE/AVX */
	struct bs_count sse, avx, avx512, x87;
	unsigned undecodable;		/* bytes skipped by the disassembler */
	/* weak undefined */
	unsigned weak_undef;
};

struct bs_reason {
	char *text;
};

struct bs_want {
	const char *sym;
	long def;			/* object index, -1 if not defined */
	size_t nclosure;
	size_t *closure;
};

struct bs_scan {
	size_t nfile;
	struct bs_file *file;
	size_t nobj;
	struct bs_object **obj;		/* every object of every file, in order */
	size_t *obj_file;		/* which file each came from */
	bool *loaded;			/* what `blob load FILE...` would load */
	bool whole;			/* only archives given: every member */
	const struct bs_exports *exports;

	size_t nimp;
	struct bs_import *imp;		/* sorted by class, then name */

	unsigned reloc_count[256];	/* by type, loaded objects */
	unsigned reloc_other;		/* types >= 256 */
	struct bs_where reloc_first[256];
	bool reloc_bad[256];		/* the loader refuses it where it occurs */
	struct bs_where bad_first[256];

	struct bs_props p;

	size_t nwant;
	struct bs_want *want;

	size_t nreason;
	char **reason;
};

int bs_scan_run(struct bs_scan *s, char *err, size_t errlen);
void bs_scan_free(struct bs_scan *s);	/* what bs_scan_run and the files hold */
void bs_props_scan(struct bs_scan *s);
void bs_reason_add(struct bs_scan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *bs_obj_name(const struct bs_scan *s, size_t i);	/* static buffer ring */
const char *bs_obj_short(const struct bs_scan *s, size_t i);	/* member or file name */

void bs_write_text(const struct bs_scan *s, FILE *out);
void bs_write_json(const struct bs_scan *s, FILE *out);
void bs_write_dot(const struct bs_scan *s, FILE *out);
int bs_write_stubs(const struct bs_scan *s, const char *path, char *err, size_t errlen);

#endif
