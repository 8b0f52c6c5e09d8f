/* Private to domain/: the domain record shared by domain.c (memory, entry,
 * faults) and syscall.c (the dispatcher). */
#ifndef DOMAIN_INTERNAL_H
#define DOMAIN_INTERNAL_H

#include <domain/domain.h>

#define DOMAIN_RANGES 64
#define DOMAIN_STACK_PAGES 64	/* 256 KiB as a ring-0 blob call's (libccid puts 64 KiB on it),
				 * a no-access guard page each side */

/* Memory the domain may name in a system call, with what it may do there. */
struct domain_range {
	u64 start, len;
	int prot;		/* PROT_R|W|X */
	const char *what;	/* "text", "stack", "heap" ... */
};

/* A thread the domain created (domain/threads.c). */
struct domain_thread {
	struct domain_thread *next;
	struct domain *d;
	struct sched_thread *t;		/* the VMM's thread while it runs, else NULL */
	int tid;
	u8 *stack;			/* guard, stack_pages, guard */
	size_t stack_pages;
	u8 *tls, *tcb;			/* d->tls_pages, then the TCB page */
	u64 value;			/* what it ended with */
	bool busy, exited, detached, joining;
};

struct domain {
	struct blob *blob;
	const char *name;		/* the blob's */
	struct domain_limits lim;
	struct domain_range range[DOMAIN_RANGES];
	unsigned nranges;
	size_t pages;			/* owned now, counted against lim.pages */
	size_t image_pages, heap_pages;
	u8 *stack;			/* guard, DOMAIN_STACK_PAGES, guard */
	u8 *tcb;			/* one page, tcbhead_t at its start */
	u8 *tls;			/* tls_pages below the TCB: static TLS (variant II) */
	size_t tls_pages, tls_len;
	u8 *tls_image;			/* tls_len bytes: each TCB's initial TLS (VMM heap) */
	u64 ret;			/* __bv_domain_return in the runtime */
	bool busy;			/* a domain_call runs on the main stack */
	struct domain_urb *urbs;	/* BV_USB_URBS, allocated on first submit */
	struct domain_thread *threads;
	unsigned nthreads, thread_limit_seen;
	int last_tid;
	u64 nsyscalls;
	void *space;			/* plat_user->space_new's (hosted), else NULL */
	u8 *debug_page;			/* domain_debug_page's, else NULL */
	bool strace;			/* `strace BLOB': print each system call */
	bool traced;			/* `trace on': each system call to the debugger */
	u8 *trace_code;			/* domain_trace_code's, else NULL */
	size_t trace_code_pages;
};

struct domain *domain_current(void);
/* Is [addr, addr+len) inside the domain's memory with prot allowed? */
bool domain_range_ok(const struct domain *d, u64 addr, u64 len, int prot);
/* Copies between the domain and the VMM, after domain_range_ok. */
int domain_copy_in(const struct domain *d, void *dst, u64 src, size_t len);
int domain_copy_out(const struct domain *d, u64 dst, const void *src, size_t len);
/* Fresh zeroed rw- pages for the domain (BV_SYS_MEM_GROW). */
s64 domain_grow(struct domain *d, u64 pages);
int domain_range_add(struct domain *d, u64 start, u64 len, int prot, const char *what);
void domain_range_remove(struct domain *d, u64 start);
/* Fill a TCB page and the static TLS below it (tls .. tcb). */
void domain_tcb_fill(struct domain *d, u8 *tls, u8 *tcb);

/* domain/threads.c */
struct domain_thread *domain_thread_current(struct domain *d);
void domain_threads_free(struct domain *d);
s64 sys_thread_create(struct domain *d, u64 entry, u64 arg, u64 stack_size, u64 out_tcb);
s64 sys_thread_exit(struct domain *d, u64 value, u64 flags);
s64 sys_thread_join(struct domain *d, u64 tid, u64 out, u64 rip);
s64 sys_thread_detach(struct domain *d, u64 tid);
s64 sys_thread_interrupt(struct domain *d, u64 tid);
s64 sys_futex_wait(struct domain *d, u64 addr, u64 expected, u64 deadline, u64 flags, u64 rip);
s64 sys_futex_wake(struct domain *d, u64 addr, u64 n);

/* domain/sys_usb.c */
s64 sys_usb_list(struct domain *d, u64 buf, u64 len);
s64 sys_usb_claim(struct domain *d, u64 serial, u64 ifnum, bool claim);
s64 sys_usb_control(struct domain *d, u64 serial, u64 creq);
s64 sys_usb_transfer(struct domain *d, u64 serial, u64 type_ep, u64 buf, u64 len, u64 timeout);
s64 sys_usb_set_config(struct domain *d, u64 serial, u64 value);
s64 sys_usb_reset(struct domain *d, u64 serial);
void domain_usb_release(struct domain *d);
s64 sys_usb_submit(struct domain *d, u64 serial, u64 req);
s64 sys_usb_reap(struct domain *d, u64 handle, u64 deadline, u64 out, u64 rip);
s64 sys_usb_cancel(struct domain *d, u64 handle, u64 status);
s64 sys_usb_wait(struct domain *d, u64 deadline, u64 rip);

/* domain/strace.c: true when it printed the call (one that does not come
 * back); else strace_after prints it with its result */
bool strace_before(const struct domain *d, u64 nr, const u64 *a);
void strace_after(const struct domain *d, u64 nr, const u64 *a, s64 r);

/* domain/sys_files.c */
s64 sys_file_list(struct domain *d, u64 buf, u64 len);
s64 sys_file_read(struct domain *d, u64 path, u64 pathlen, u64 off, u64 buf, u64 len);
const char *domain_describe(const struct domain *d, u64 addr, char *buf, size_t size);

#endif
