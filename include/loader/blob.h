/* The blob loader's C API: load unmodified Linux x86-64 objects (.o),
 * archives (.a) and shared objects (.so) into one link namespace, look up
 * their symbols and call them in the blob execution context (TCB at %fs,
 * own stack with a guard page, watchdog, fault containment). */
#ifndef LOADER_BLOB_H
#define LOADER_BLOB_H

#include <core/types.h>

struct blob;

enum {
	BLOB_WHOLE_ARCHIVE = 1 << 0,	/* every archive member, not only the needed ones */
	BLOB_NO_TCB = 1 << 1,		/* calls run without FS base (reproduces the seed's fault) */
	BLOB_ALLOW_MISSING = 1 << 2,	/* unresolved symbols bind to a trap that names them */
	BLOB_NORUN = 1 << 3,		/* link only: run no constructors (fuzzing) */
	BLOB_QUIET = 1 << 4,		/* no summary lines */
	BLOB_STATIC = 1 << 5,		/* linked into the image: cannot be unloaded */
	BLOB_DOMAIN = 1 << 6,		/* a protection domain: ring 3, own runtime (docs/domains.md) */
};

/* One file given to the loader: its name (for messages) and bytes.  The
 * loader copies what it keeps. */
struct blob_input {
	const char *name;
	const void *buf;
	size_t len;
};

/* Load files (read-only views kept while the files are unchanged, see
 * loader/filecache.c) into a new blob named after the
 * first file.  On failure prints one line per problem ("blob: ...") and
 * returns NULL, leaving nothing behind. */
struct blob *blob_load_files(const char *const *paths, int n, unsigned flags);
struct blob *blob_load_inputs(const struct blob_input *in, int n, unsigned flags);
/* The same with limits for BLOB_DOMAIN (NULL or 0 fields: the defaults). */
struct domain_limits;
struct blob *blob_load_files_limited(const char *const *paths, int n, unsigned flags,
				     const struct domain_limits *lim);
/* The protection domain b runs in (BLOB_DOMAIN), else NULL. */
struct domain *blob_domain(const struct blob *b);
/* Runs destructors and frees everything; refused (-1, one line) while a
 * later blob still uses its symbols. */
int blob_unload(struct blob *b);

/* Code linked into the image at build time (build/blobvisor-static): a
 * table of the global symbols its files define and its text range.
 * Registered as a blob, it is listed, looked up and called (blob_call: TCB
 * at %fs, own stack, watchdog, fault containment) like a loaded one. */
struct blob_static_sym {
	const char *name;
	u64 addr;
	u64 size;
	u64 type;			/* STT_FUNC, STT_OBJECT */
};
struct blob *blob_register_static(const char *name, const struct blob_static_sym *syms,
				  size_t nsyms, u64 text_start, u64 text_end, unsigned nfiles);

struct blob *blob_find(const char *name);
struct blob *blob_first(void);
struct blob *blob_next(struct blob *b);
const char *blob_name(const struct blob *b);

/* A global symbol defined by blob b (NULL: any loaded blob, in load order).
 * Returns its address or 0 (sets *found when given). */
u64 blob_lookup(struct blob *b, const char *name, bool *found);

/* Call fn(args...) with up to 8 integer/pointer arguments (the 7th and
 * 8th on the stack, as the x86-64 ABI passes them) in b's execution
 * context.  Returns 0 and the result in *ret, or -1 if the call faulted,
 * aborted (ctx_abort) or timed out; the blob is then marked failed and a
 * line saying why has been printed. */
int blob_call(struct blob *b, u64 fn, const u64 *args, int nargs, u64 *ret);
/* A pointer argument of a call into a blob: args[arg] points at len bytes
 * of VMM memory.  A protection domain cannot read the VMM's memory, so for
 * a domain the bytes are copied onto its stack for the call (BLOB_BUF_IN)
 * and back into the VMM's buffer when it returns (BLOB_BUF_OUT), and the
 * argument points at the copy; a ring-0 blob gets the VMM's pointer. */
enum { BLOB_BUF_IN = 1, BLOB_BUF_OUT = 2 };
struct blob_buf {
	unsigned arg;		/* index into args */
	unsigned dir;		/* BLOB_BUF_IN | BLOB_BUF_OUT */
	size_t len;
};
int blob_call_bufs(struct blob *b, u64 fn, const u64 *args, int nargs,
		   const struct blob_buf *bufs, unsigned nbufs, u64 *ret);
/* Watchdog for blob calls, nanoseconds (default 5 s; 0 = off). */
void blob_set_watchdog(u64 ns);

/* For the debugger: the blob whose call is running (NULL outside blob
 * calls), the blob call stack [lo, hi) (lo is the guard page below it; a
 * second guard page lies at [hi, hi + PAGE_SIZE)) and the watchdog setting. */
struct blob *blob_current(void);
/* Subscribers called by blob_unload after the destructors, while b is still
 * listed, so records pointing into it can be dropped (the debugger, gdb's
 * JIT registration); in order, lower first. */
struct blob_unload_hook {
	int order;
	void (*fn)(struct blob *b);
	struct blob_unload_hook *next;
};
void blob_unload_hook_register(struct blob_unload_hook *h);
/* Subscribers called once a load has linked b and listed it, before its
 * constructors run (so a debugger can break in them).  If a constructor
 * then fails, the unload hooks run before b goes. */
struct blob_load_hook {
	int order;
	void (*fn)(struct blob *b);
	struct blob_load_hook *next;
};
void blob_load_hook_register(struct blob_load_hook *h);
void blob_stack_range(u64 *lo, u64 *hi);
u64 blob_get_watchdog(void);

/* "libz.a(inflate.o):inflate+0x1c" for an address inside a blob, else NULL. */
const char *blob_describe_addr(u64 addr, char *buf, size_t size);

#endif
