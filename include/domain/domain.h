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

#endif
