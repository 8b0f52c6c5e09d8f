/* Private to domain/: the domain record shared by domain.c (memory, entry,
 * faults) and syscall.c (the dispatcher). */
#ifndef DOMAIN_INTERNAL_H
#define DOMAIN_INTERNAL_H

#include <domain/domain.h>

#define DOMAIN_RANGES 64
#define DOMAIN_STACK_PAGES 16	/* 64 KiB, a no-access guard page each side */

/* Memory the domain may name in a system call, with what it may do there. */
struct domain_range {
	u64 start, len;
	int prot;		/* PROT_R|W|X */
	const char *what;	/* "text", "stack", "heap" ... */
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
	u64 ret;			/* __bv_domain_return in the runtime */
	u64 nsyscalls;
	u64 unknown_seen;		/* bit n: unknown call n reported once */
	void *space;			/* plat_user->space_new's (hosted), else NULL */
};

struct domain *domain_current(void);
/* Is [addr, addr+len) inside the domain's memory with prot allowed? */
bool domain_range_ok(const struct domain *d, u64 addr, u64 len, int prot);
/* Copies between the domain and the VMM, after domain_range_ok. */
int domain_copy_in(const struct domain *d, void *dst, u64 src, size_t len);
int domain_copy_out(const struct domain *d, u64 dst, const void *src, size_t len);
/* Fresh zeroed rw- pages for the domain (BV_SYS_MEM_GROW). */
s64 domain_grow(struct domain *d, u64 pages);
const char *domain_describe(const struct domain *d, u64 addr, char *buf, size_t size);

#endif
