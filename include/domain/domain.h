/* Protection domains, the VMM side (docs/domains.md): a blob namespace
 * loaded with `blob load --domain' runs in ring 3 and reaches only its own
 * pages and the system calls of <domain/abi.h>.  The loader creates the
 * domain once the blob is linked and calls into it through domain_call. */
#ifndef DOMAIN_DOMAIN_H
#define DOMAIN_DOMAIN_H

#include <core/types.h>

struct blob;
struct domain;

struct domain_limits {
	size_t pages;		/* every page the domain owns (image, stack, TCB, heap) */
	unsigned threads;
};
#define DOMAIN_DEFAULT_PAGES	4096	/* 16 MiB */
#define DOMAIN_DEFAULT_THREADS	16	/* the caller's thread counts */

/* Whether this platform can run domains; if not, why (one line's text). */
const char *domain_unsupported(void);
/* Whether `blob load' makes a domain unless told --in-vmm: where ring 3 is
 * the VMM's own (bare metal, the hypervisor), not hosted. */
bool domain_by_default(void);
/* The domain runtime linked into every domain (an ET_REL object). */
void domain_runtime(const void **buf, size_t *len);
/* Make b (linked, not yet listed) a domain: its pages become ring-3
 * accessible, a stack and a TCB are made, with the static TLS block below
 * the TCB filled from tls_image (tls_len bytes ending at the thread
 * pointer; the domain keeps its own copy for the TCBs of its threads).
 * NULL and one line on failure. */
struct domain *domain_attach(struct blob *b, const struct domain_limits *lim,
			     const void *tls_image, size_t tls_len);
void domain_detach(struct domain *d);
/* Run fn(args[0..5]) in ring 3 (from the loader's blob call, under its
 * recovery point) and store its value in *ret.  -EBUSY, with one line, when
 * a call into d is already running; a fault does not return here (the
 * caller then says domain_call_unwound). */
int domain_call(struct domain *d, u64 fn, const u64 *args, u64 *ret);
/* The same with args[0..7] (the 7th and 8th on the domain's stack, as the
 * x86-64 ABI passes them) and the VMM buffers bufs names copied onto the
 * domain's stack for the call and back (struct blob_buf).  -E2BIG, with
 * one line, when they would leave the domain less than half its stack. */
struct blob_buf;
int domain_call_bufs(struct domain *d, u64 fn, const u64 *args, const struct blob_buf *bufs,
		     unsigned nbufs, u64 *ret);
void domain_call_unwound(struct domain *d);
u64 domain_tcb(struct domain *d);
/* Open (true) or close the VMM's window onto every domain's pages (SMAP):
 * for code that reads a domain's image on purpose, e.g. the debugger. */
void domain_window(bool open);
void domain_print_info(const struct domain *d);
/* The VMM reading or writing d's memory on its own account (the debugger,
 * `card log'): the same checks and copies as a system call's (readable,
 * resp. writable domain memory).  0, or -1 when [addr, addr+len) is not. */
int domain_read(struct domain *d, u64 addr, void *dst, size_t len);
int domain_write(struct domain *d, u64 addr, const void *src, size_t len);
/* The debugger's page in d (probe slots: breakpoints' out-of-line copies,
 * hooks' trampolines), made on first use: r-x and a user page for the
 * domain, not counted against its page limit.  NULL with one line on why
 * (hosted domains have none yet). */
u8 *domain_debug_page(struct domain *d, const char *who);
/* The domain whose memory holds addr, else NULL. */
struct domain *domain_at(u64 addr);
/* What the debugger's hook trampolines in a domain report through
 * BV_SYS_DEBUG_HOOK: the slot they were made for, and the words they saved
 * (r11 r10 rax r9 r8 rcx rdx rsi rdi, the return address, then the
 * caller's stack as far as it is readable, n words in all, at least 10).
 * Set by the debugger; -EINVAL when slot is none of d's hooks. */
extern s64 (*domain_hook_hit)(struct domain *d, u64 slot, const u64 *words, unsigned n);
#define DOMAIN_HOOK_WORDS 42

/* The debugger's import trace in a domain (debug/trace_domain.c): its
 * thunks on the domain's trace page report each call and return through
 * BV_SYS_DEBUG_TRACE (op, a, b) from rip; set by the debugger, -ENOSYS without it. */
extern s64 (*domain_trace_hit)(struct domain *d, u64 op, u64 a, u64 b, u64 rip);
/* Each system call of a domain with domain_set_traced on (except the
 * debugger's own): before it runs (the result is a token, 0 for none) and,
 * unless it does not come back, after, with its result. */
extern u64 (*domain_trace_sys_before)(struct domain *d, u64 nr, const u64 *args);
extern void (*domain_trace_sys_after)(struct domain *d, u64 token, s64 result);
void domain_set_traced(struct domain *d, bool on);
const char *domain_name(const struct domain *d);
/* The running thread's id in d: 0 for the thread that called into d, else
 * the tid BV_SYS_THREAD_CREATE returned. */
int domain_thread_id(struct domain *d);
/* Is tid one of d's threads that has not ended (0, the calling thread: yes)? */
bool domain_thread_alive(struct domain *d, int tid);
/* A code page range for the debugger in d, made once and filled with
 * len bytes of code: r-x user pages ("trace code"), not counted against
 * the page limit, freed with the domain.  NULL with one line on failure. */
u8 *domain_trace_code(struct domain *d, const void *code, size_t len, const char *who);
/* strace's spelling of a system call: "write(1, 0x65ae40, 25" (no closing
 * parenthesis) into buf; whether the call comes back; its result " = 25"
 * or " = -14 (Bad address)". */
void domain_syscall_format(char *buf, size_t size, u64 nr, const u64 *args);
bool domain_syscall_noreturn(u64 nr);
void domain_syscall_result(char *buf, size_t size, s64 r);

#endif
