/* Loader internals shared by its files (not an interface for others). */
#ifndef LOADER_INTERNAL_H
#define LOADER_INTERNAL_H

#include <core/export.h>
#include <core/platform.h>
#include <loader/blob.h>
#include <domain/domain.h>
#include <loader/elf.h>

#define ERRSZ 256
#define PLT_STUB 16
#define TRAP_STUB 32

/* A global symbol in a blob's namespace. */
struct nsym {
	const char *name;
	u64 addr;
	u64 size;
	struct blob_obj *obj;
	u8 bind;		/* STB_GLOBAL / STB_WEAK */
	u8 type;		/* STT_* */
	bool common;		/* COMMON: storage allocated at layout */
	u64 common_align;
	u32 symidx;		/* in obj's symbol table */
	struct nsym *next;	/* hash chain */
};

/* Per-symbol flags of an ET_REL object, filled by the count pass. */
enum { SF_GOT = 1, SF_PLT = 2, SF_MISSING = 4, SF_REPORTED = 8, SF_EXTERNAL = 16, SF_TLSGD = 32,
       SF_TLSDESC = 64, SF_IFUNC = 128 };

struct region {
	u64 start, len;
	int prot;
};

/* One ELF file in a blob: an ET_REL object (maybe an archive member) or a
 * shared object. */
struct blob_obj {
	char *name;			/* "libz.a(inflate.o)" */
	void *copy;			/* 8-aligned copy of the file */
	size_t copy_len;
	struct elf_file elf;
	bool dyn;
	/* ET_REL (all arrays live in one heap block, `arrays') */
	void *arrays;
	u64 *secaddr;			/* run-time address per section, 0: not loaded */
	u64 *symaddr;			/* value per symbol after resolution */
	u64 *symsize;
	u32 *got;			/* GOT slot per symbol (index) */
	u32 *plt;			/* PLT stub per symbol */
	u32 *tlsgd;			/* TLSGD GOT pair per symbol; an IFUNC's target slot */
	s64 *tlsoff;			/* TLS sections: offset from the thread pointer */
	u8 *sflags;
	u8 *secclass;			/* layout class per section */
	/* ET_DYN */
	struct plat_image img;		/* its own pages */
	u8 *map;			/* = img.run */
	size_t map_pages;
	u64 bias;
	const Elf64_Dyn *dynamic;
	const char *soname;
	struct region *runs;		/* its page runs of one protection each */
	unsigned nruns;
	struct blob_obj *next;
};

/* A word of an ET_DYN image that holds an IFUNC's target once its
 * resolver ran (IRELATIVE, or GLOB_DAT/JUMP_SLOT/64 against an IFUNC). */
struct ifunc_fix {
	u64 where, resolver;
	s64 addend;
	const char *name;
};

struct blob {
	char name[64];
	unsigned flags;
	struct blob_obj *objs;		/* load order */
	unsigned nobjs, nsections;
	struct plat_image img;		/* ET_REL objects share one image */
	u8 *image;			/* = img.run */
	size_t image_pages;
	struct plat_image trap_img;
	struct region regions[8];
	unsigned nregions;
	u64 got, plt, traps;		/* addresses of the synthesised tables */
	unsigned ngot, nplt, ntraps;
	int tlsld_got;			/* GOT pair for TLSLD, -1: none */
	s64 tls_base;			/* its static TLS block (offset from TP), 0: none */
	u64 tls_mark;
	u8 *tls_image;			/* a domain's: its own block's initial image, -tls_base
					 * bytes ending at TP (the shared area is ring 0's) */
	size_t trap_pages;
	char **trap_names;
	size_t trap_cap;
	/* IFUNCs: definitions (ET_REL ones get a stub and a slot) and ET_DYN
	 * words to fill once resolvers ran */
	unsigned nifunc;
	struct ifunc_fix *ifix;
	size_t nifix, ifix_cap;
	/* constructors already run, destructors to run at unload */
	u64 *fini;
	size_t nfini, fini_cap;
	bool ctors_done;
	bool failed;
	struct heap *heap;		/* its malloc arena (arena.c), made on first use */
	struct domain *domain;		/* BLOB_DOMAIN: its protection domain */
	struct domain_limits domain_lim;	/* its limits, 0: the defaults */
	/* namespace */
	struct nsym **hash;
	unsigned nhash;
	struct nsym_chunk *chunks;
	struct blob **deps;		/* blobs this one resolved symbols in */
	unsigned ndeps;
	/* import statistics for the summary */
	unsigned imports[EXPORT_NCLASSES], imports_blob, imports_weak, imports_missing;
	struct blob *next;
};

/* namespace.c */
int ns_init(struct blob *b, unsigned nbuckets);
void ns_free(struct blob *b);
struct nsym *ns_find(const struct blob *b, const char *name);
/* Add a definition; reports duplicates (both files) and returns -1. */
int ns_define(struct blob *b, const char *name, u64 addr, u64 size, struct blob_obj *o,
	      u32 symidx, unsigned bind, unsigned type, bool common, u64 align);
/* Resolve an undefined name as ld would after the load's own files: earlier
 * blobs, then the core's exports.  Returns true with *addr and *size set. */
bool ns_resolve_outside(struct blob *self, const char *name, u64 *addr, u64 *size,
			int *cls);
void blob_list_add(struct blob *b);
void blob_depend(struct blob *self, struct blob *dep);
struct blob *blob_user_of(const struct blob *dep);
void blob_list_remove(struct blob *b);

/* rel.c */
int rel_define(struct blob *b, struct blob_obj *o);
int rel_link(struct blob *b);
int rel_collect_inits(struct blob *b, u64 **list, size_t *n, size_t *cap);
/* dyn.c */
int dyn_map(struct blob *b, struct blob_obj *o);
int dyn_define(struct blob *b, struct blob_obj *o);
int dyn_relocate(struct blob *b, struct blob_obj *o, unsigned *nmissing);
int dyn_check_needed(struct blob *b, struct blob_obj *o);
int dyn_reserve_traps(struct blob *b, struct blob_obj *o);
int dyn_inits(struct blob *b, struct blob_obj *o, u64 **list, size_t *n, size_t *cap);

/* ifunc.c: a word to fill with a resolver's answer; run every resolver
 * (as ld.so does: no arguments on x86-64; <sys/platform/x86.h>'s
 * __x86_get_cpuid_feature_leaf is exported), fill slots and words through
 * plat_image_write (the images are sealed by then). */
int blob_ifunc_defer(struct blob *b, u64 where, u64 resolver, s64 addend, const char *name);
int blob_ifunc_resolve(struct blob *b);
void blob_ifunc_free(struct blob *b);

/* reloc_x86_64.c */
struct reloc_site {
	const struct blob_obj *o;
	unsigned sec;			/* the relocated section */
	u64 off;			/* r_offset */
	u8 *where;
	u64 P;
	u64 S, Z, G, GOT, L;		/* symbol, size, GOT slot, GOT base, PLT/direct */
	s64 A;
	bool has_got, has_plt;
	const char *sym;
	char *err;
	size_t errsz;
};
int reloc_apply(struct reloc_site *s, u32 type);
bool reloc_needs_got(u32 type);
bool reloc_wants_plt(u32 type);
bool reloc_is_tls(u32 type);
bool reloc_tls_supported(u32 type);

/* grow.c: room for element n of *v (capacity *cap, doubling from 16).
 * 0, or -1 with *v unchanged when the heap is exhausted. */
int grow_array(void **v, size_t *cap, size_t n, size_t elem);
#define ARRAY_GROW(v, n, cap) grow_array((void **)&(v), &(cap), (n), sizeof(*(v)))

/* Where the loader reads or writes run-time address a of an image: its
 * staging view until sealed, then a itself (read-only use; writes after
 * sealing go through blob_image_put). */
static inline void *
img_at(const struct plat_image *im, u64 a)
{
	/* integers: a may be any value a file names (checked after) */
	return im->w ? (void *)((u64)im->w + (a - (u64)im->run)) : (void *)a;
}
/* Where the loader reads run-time address a of an image during the load:
 * the staging copy, also after sealing until released (hosted: a run page
 * nothing touched yet costs a fault, ~5-9 us on the project's host), else
 * a itself.  plat_image_write keeps the staging copy current. */
static inline const void *
img_rd(const struct plat_image *im, u64 a)
{
	const u8 *v = im->w ? im->w : im->stage;

	return v ? (const void *)((u64)v + (a - (u64)im->run)) : (const void *)a;
}
/* load.c: seal an image with prot[page], or every page with `all' when
 * prot is NULL (0, or -1 and a line) */
int blob_image_seal(struct blob *b, struct plat_image *im, const u8 *prot, int all);
/* load.c: the image of b holding [addr, addr + len), or NULL */
struct plat_image *blob_image_of(const struct blob *b, u64 addr, size_t len);
/* load.c: write into a sealed image of b (the one holding addr); 0 or -1 */
int blob_image_put(struct blob *b, u64 addr, const void *src, size_t len);

/* load.c helpers */
void blob_err(const char *fmt, ...) __printf(1, 2);
/* Missing imports (--allow-missing): reserve a trap for a name while
 * counting (-1 and a line when out of memory), then its address once
 * blob_traps_alloc placed them (0 for a name never reserved). */
int blob_missing_trap_reserve(struct blob *b, const char *name);
u64 blob_missing_trap_addr(struct blob *b, const char *name);
int blob_fini_push(struct blob *b, u64 fn);
int blob_traps_alloc(struct blob *b);
int blob_run_ctors(struct blob *b, u64 *list, size_t n);

/* arena.c */
struct heap *blob_heap(struct blob *b);
void blob_heap_destroy(struct blob *b);
void blob_heap_init(void);

/* exec.c */
int exec_blob_call(struct blob *b, u64 fn, const u64 *args, int nargs, u64 *ret);
int exec_blob_call_bufs(struct blob *b, u64 fn, const u64 *args, int nargs,
			const struct blob_buf *bufs, unsigned nbufs, u64 *ret);
void blob_missing_called(const char *name, const void *caller) __noreturn;
u64 exec_tcb_address(void);
/* Static TLS below the TCB: returns the block's offset from the thread
 * pointer (negative) or 0 if the area is full (EXEC_TLS_BYTES in all). */
#define EXEC_TLS_BYTES 0x10000
s64 exec_tls_alloc(u64 size, u64 align, u64 *mark);
void exec_tls_free(s64 base, u64 mark);
u8 *exec_tls_base(void);
void exec_tls_template_save(s64 base, u64 mark);
/* cmd_threads.c: a blob's unfinished threads (listed when print); stop
 * them all (cancel, wait 100 ms, terminate) and free finished ones. */
int blob_threads_running(struct blob *b, bool print);
void blob_threads_stop(struct blob *b);
void blob_tlsdesc_static(void);
u64 exec_canary(void);

/* filecache.c: input files as read-only views kept while unchanged */
int file_cache_get(const char *path, const void **buf, size_t *len);
void file_cache_put(const void *buf, size_t len);

#endif
