#ifndef CORE_PLATFORM_H
#define CORE_PLATFORM_H

#include <core/types.h>

/* The only interface between the core and where it runs.  platform/hosted
 * implements it with Linux system calls, platform/pc on bare x86-64. */

const char *plat_name(void);

/* Console */
void plat_console_write(const char *buf, size_t len);
int plat_console_getc(void);		/* blocking; -1 at end of input */
int plat_console_wait(u64 wait_ns);	/* 1: a byte (or the end) is there */
bool plat_console_is_tty(void);
void plat_console_raw(bool raw);	/* no echo, no line buffering */

/* Memory: one region for the page allocator, placed below 2 GiB near the
 * core so that blob images can reach core code and data with 32-bit
 * PC-relative relocations. */
void plat_memory_region(void **base, size_t *len);
enum { PROT_R = 1, PROT_W = 2, PROT_X = 4 };
int plat_protect(void *addr, size_t len, int prot);

/* Blob images: pages the loader fills, then seals with their final
 * protections.  Until plat_image_seal the loader writes through w (the byte
 * that runs at run + k is w + k); after it, plat_image_write is the only way
 * to change the image (IFUNC answers, debugger patches), and w is NULL.
 * Each platform does the cheap thing: bare metal writes the pages in place
 * and changes page-table entries it owns; hosted fills a staging buffer and
 * maps the pages from a memfd with their final protections, because a
 * protection change of a page already written is a TLB flush, ~13 us per
 * page on a virtualised host.  The blob never sees a view that is both
 * writable and executable.  run lies in the page allocator's region.
 * seal: prot[i] is the protection (PROT_*) of page i; 0 or -errno.
 * alloc: 0 or -ENOMEM.  free: also frees an image never sealed. */
struct plat_image {
	u8 *run;		/* where it runs */
	u8 *w;			/* where the loader writes until sealed */
	size_t pages;
	u8 *stage;		/* hosted: the staging copy, kept until released */
	u8 *prot;		/* after sealing: each page's protection */
	bool sealed;
	bool own_stage;		/* hosted: w is pages of its own, not the pool */
};
int plat_image_alloc(struct plat_image *im, size_t pages);
int plat_image_seal(struct plat_image *im, const u8 *prot);
int plat_image_write(struct plat_image *im, u64 addr, const void *src, size_t len);
/* Copy bytes out of an image without touching its run pages (hosted:
 * from the staging copy until released, then from the memfd: a run page
 * nothing touched yet costs a fault, ~5 us, the first time). */
int plat_image_read(const struct plat_image *im, u64 addr, void *dst, size_t len);
/* The load is over: the staging copy may go (after sealing). */
void plat_image_release(struct plat_image *im);
void plat_image_free(struct plat_image *im);

/* Time */
u64 plat_time_ns(void);		/* monotonic */
u64 plat_wall_seconds(void);
u64 plat_random_u64(void);	/* boot entropy for canaries */

/* The FS base the blobs' %fs-relative code uses (TCB). */
void plat_set_fs_base(u64 base);
u64 plat_get_fs_base(void);
/* How plat_set_fs_base changes it, for `threads': every switch between
 * blob threads does, and the ways differ a hundredfold (one instruction or
 * a system call). */
const char *plat_fs_base_how(void);

/* Whether a debugger's software breakpoints are bytes in our memory
 * (hosted: ptrace writes int3), so that one watching an address can be seen
 * there; false where a debugger may break without writing memory (bare
 * metal under QEMU's gdb stub).  debug/gdb_jit.c builds symbol files only
 * for a debugger it sees, or always where it cannot see one. */
bool plat_breakpoints_in_memory(void);

/* Blob watchdog: raise VEC_WATCHDOG in the running context after ns; 0 disarms. */
void plat_watchdog_arm(u64 ns);

/* Files (hosted: the host's files; bare metal: multiboot modules).  The
 * buffer is owned by the caller and freed with heap_free.  Only regular
 * files are read (never blocking on a FIFO or device): a directory gives
 * -EISDIR, anything else -PLAT_ENOTREG; otherwise negative errno. */
#define PLAT_ENOTREG	4000
int plat_file_read(const char *path, void **buf, size_t *len);
/* A read-only view of a whole file without copying it (hosted: the file
 * mapped; bare metal: the module where it lies), valid until
 * plat_file_unview.  *id names this version of the file (hosted: device,
 * inode, size, modification and change times; bare metal: the module's
 * address and length): a cache may keep a view while plat_file_id returns
 * the same id.  Regular files only, as plat_file_read (-EISDIR,
 * -PLAT_ENOTREG); negative errno on failure. */
struct plat_file_id {
	u64 dev, ino, size, mtime_ns, ctime_ns;
};
int plat_file_view(const char *path, const void **buf, size_t *len, struct plat_file_id *id);
void plat_file_unview(const void *buf, size_t len);
int plat_file_id(const char *path, struct plat_file_id *id);
/* Files the core writes (USB captures): create or truncate path and return
 * a handle >= 0; write all of buf; close.  Negative errno on failure
 * (bare metal without a file system: -ENOSYS). */
int plat_file_create(const char *path);
int plat_file_write(int handle, const void *buf, size_t len);
void plat_file_close(int handle);

/* Byte streams to USB device servers (hosted: TCP to HOST:PORT on loopback
 * with TCP_NODELAY, or unix:PATH).  connect retries refused connections
 * until timeout_ns; wait returns 1 when data (or the end) can be read, 0
 * after wait_ns without; read never blocks: bytes, 0 if nothing is there,
 * -EPIPE at the end of the stream.  Negative errno on failure (bare metal:
 * -ENOSYS). */
int plat_stream_connect(const char *addr, u64 timeout_ns);
int plat_stream_wait(int handle, u64 wait_ns);
int plat_stream_read(int handle, void *buf, size_t len);
int plat_stream_write(int handle, const void *buf, size_t len);
void plat_stream_close(int handle);

void plat_exit(int status) __noreturn;

/* Ring 3 for protection domains (docs/domains.md).  A platform that can run
 * code unprivileged sets plat_user at start-up (bare metal: platform/pc/
 * user.c; hosted: platform/hosted/hdomain.c, a child process per domain);
 * NULL means it cannot, and `blob load --domain' is refused.  The core
 * registers the system-call dispatcher.
 *   map:    give (user) or take back (!user) ring-3 access to pages of the
 *           page allocator's region; their protection stays plat_protect's.
 *   call:   run rip(args[0..5]) in ring 3 on stack rsp; returns the value the
 *           domain passes to plat_user->ret (from a system call) and never
 *           returns when a fault moves the context to a recovery point.
 *   ret:    from the dispatcher: end the innermost call with value.
 *   access: open (true) or close the VMM's window onto user pages (SMAP's
 *           AC flag); only copy-in/out and the fault diagnosis open it.
 * A platform where each domain has an address space of its own (hosted)
 * sets space_new, and the domain code then uses the space_* forms, which
 * also say the pages' protection and give the TCB (FS base):
 *   space_new:  a new empty space for the domain called name, or NULL;
 *   space_free: end it (after every page was taken back).
 * The dispatcher gets the call number, six arguments and the address after
 * the SYSCALL instruction, and returns the result (negative errno on failure), which ring 3 receives in rax. */
struct plat_user_ops {
	int (*map)(void *addr, size_t len, bool user);
	u64 (*call)(u64 rip, u64 rsp, const u64 *args);
	void (*ret)(u64 value) __noreturn;
	void (*access)(bool open);
	const char *features;		/* "SMEP SMAP" as enabled */
	void *(*space_new)(const char *name);
	void (*space_free)(void *space);
	int (*space_map)(void *space, void *addr, size_t len, int prot, bool user);
	u64 (*space_call)(void *space, u64 rip, u64 rsp, const u64 *args, u64 tcb);
};
extern const struct plat_user_ops *plat_user;
extern s64 (*plat_user_syscall)(u64 nr, const u64 *args, u64 rip);

#endif
