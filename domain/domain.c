/* Protection domains: memory, entry and faults (docs/domains.md).
 *
 * A domain is one blob namespace running in ring 3.  Its memory is exactly
 * its image (the loader's regions, each with its own protection), a stack
 * between two no-access guard pages, one TCB page (tcbhead_t, so code built
 * with the stack protector finds its canary at %fs:0x28) and the heap pages
 * it asks for; only those pages are user-accessible.  Everything the VMM
 * does on the domain's behalf goes through the system calls of syscall.c,
 * which check every pointer against these ranges.  A fault in ring 3 is
 * named here (what the address is, from the domain's point of view) and
 * then diagnosed and contained like any blob fault. */
#include <core/console.h>
#include <core/errno.h>
#include <core/fault.h>
#include <core/heap.h>
#include <core/init.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include <loader/blob.h>
#include <loader/introspect.h>
#include "internal.h"

const struct plat_user_ops *plat_user;
extern const char __executable_start[], etext[], _end[];
extern const u8 domain_runtime_start[], domain_runtime_end[];

const char *
domain_unsupported(void)
{
	if (!plat_user)
		return "protection domains need ring 3, which this platform does not "
		       "provide yet (bare metal does; docs/domains.md)";
	return NULL;
}

bool
domain_by_default(void)
{
	return plat_user && !plat_user->space_map;
}

void
domain_runtime(const void **buf, size_t *len)
{
	*buf = domain_runtime_start;
	*len = (size_t)(domain_runtime_end - domain_runtime_start);
}

struct domain *
domain_current(void)
{
	struct blob *b = blob_current();

	return b ? blob_domain(b) : NULL;
}

/* Pages in or out of the domain: the page tables' U bit (bare metal), or
 * the domain's own address space (hosted, which needs the protection). */
static int
user_map(struct domain *d, u64 start, u64 len, int prot, bool user)
{
	if (plat_user->space_map)
		return plat_user->space_map(d->space, (void *)start, len, prot, user);
	return plat_user->map((void *)start, len, user);
}

int
domain_range_add(struct domain *d, u64 start, u64 len, int prot, const char *what)
{
	if (d->nranges == DOMAIN_RANGES)
		return -1;
	d->range[d->nranges++] = (struct domain_range){ start, len, prot, what };
	return user_map(d, start, len, prot, true);
}

/* The range starting at start stops being the domain's (its pages are
 * supervisor pages again). */
void
domain_range_remove(struct domain *d, u64 start)
{
	for (unsigned i = 0; i < d->nranges; i++)
		if (d->range[i].start == start) {
			user_map(d, start, d->range[i].len, d->range[i].prot, false);
			d->range[i] = d->range[--d->nranges];
			return;
		}
}

bool
domain_range_ok(const struct domain *d, u64 addr, u64 len, int prot)
{
	if (addr + len < addr)
		return false;
	while (len) {
		const struct domain_range *r = NULL;
		u64 n;

		for (unsigned i = 0; i < d->nranges && !r; i++)
			if (addr >= d->range[i].start && addr - d->range[i].start < d->range[i].len)
				r = &d->range[i];
		if (!r || (r->prot & prot) != prot)
			return false;
		n = r->start + r->len - addr;
		n = n < len ? n : len;
		addr += n;
		len -= n;
	}
	return true;
}

int
domain_copy_in(const struct domain *d, void *dst, u64 src, size_t len)
{
	if (!domain_range_ok(d, src, len, PROT_R))
		return -1;
	plat_user->access(true);
	memcpy(dst, (const void *)src, len);
	plat_user->access(false);
	return 0;
}

int
domain_copy_out(const struct domain *d, u64 dst, const void *src, size_t len)
{
	if (!domain_range_ok(d, dst, len, PROT_W))
		return -1;
	plat_user->access(true);
	memcpy((void *)dst, src, len);
	plat_user->access(false);
	return 0;
}

int
domain_read(struct domain *d, u64 addr, void *dst, size_t len)
{
	return domain_copy_in(d, dst, addr, len);
}

int
domain_write(struct domain *d, u64 addr, const void *src, size_t len)
{
	return domain_copy_out(d, addr, src, len);
}

s64
domain_grow(struct domain *d, u64 pages)
{
	struct domain_range *last = &d->range[d->nranges - 1];
	bool merge;
	u8 *p;

	if (!pages || pages > d->lim.pages - d->pages)
		return -EDQUOT;
	if (!(p = pages_alloc(pages)))
		return -ENOMEM;
	memset(p, 0, pages * PAGE_SIZE);
	/* the page allocator often continues where it left off: one range */
	merge = !strcmp(last->what, "heap") && last->start + last->len == (u64)p;
	if ((!merge && d->nranges == DOMAIN_RANGES) ||
	    user_map(d, (u64)p, pages * PAGE_SIZE, PROT_R | PROT_W, true)) {
		pages_free(p, pages);
		return -ENOMEM;
	}
	if (merge)
		last->len += pages * PAGE_SIZE;
	else
		d->range[d->nranges++] = (struct domain_range){ (u64)p, pages * PAGE_SIZE,
								PROT_R | PROT_W, "heap" };
	d->pages += pages;
	d->heap_pages += pages;
	return (s64)(u64)p;
}

/* What addr is, seen from domain d: its own memory (and what it may do
 * there), or what of the VMM's it would have reached. */
const char *
domain_describe(const struct domain *d, u64 addr, char *buf, size_t size)
{
	static const char *const prot[8] = { "---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx" };
	struct blob_section s;
	struct blob *other;

	for (unsigned i = 0; i < d->nranges; i++) {
		const struct domain_range *r = &d->range[i];

		if (addr >= r->start && addr - r->start < r->len) {
			snprintf(buf, size, "the domain's own %s, %s", r->what, prot[r->prot & 7]);
			return buf;
		}
	}
	if (addr >= (u64)d->stack && addr < (u64)d->stack + PAGE_SIZE)
		return "the domain's stack guard page: stack overflow";
	if (addr >= (u64)d->stack + (DOMAIN_STACK_PAGES + 1) * PAGE_SIZE &&
	    addr < (u64)d->stack + (DOMAIN_STACK_PAGES + 2) * PAGE_SIZE)
		return "the guard page above the domain's stack";
	if (addr < PAGE_SIZE)
		return "the NULL page";
	if (addr >= (u64)__executable_start && addr < (u64)etext)
		return "VMM text";
	if (addr >= (u64)etext && addr < (u64)_end)
		return "VMM data";
	if (blob_section_at(addr, &other, &s)) {
		snprintf(buf, size, "blob %s's %s", blob_name(other), s.name);
		return buf;
	}
	if (pages_owns((const void *)addr))
		return "VMM memory";
	return "outside the VMM: guest memory or unmapped";
}

/* Runs before the loader's and the debugger's hooks: name the domain and
 * what it touched, then open the window onto user pages so that the
 * diagnosis can read the domain's code and stack.  The trap path closes
 * it again (pc_trap restores the VMM's or the domain's own flags). */
static bool
domain_fault_hook(struct cpu_regs *r)
{
	struct domain *d;
	char buf[96];

	if (!(r->cs & 3) || !plat_user || !(d = domain_current()))
		return false;
	plat_user->access(true);
	if (r->vector == VEC_PF && r->fault_addr_valid)
		kprintf("domain %s: %s %#llx (%s) denied\n", d->name,
			r->error_code & 16 ? "execute at" : r->error_code & 2 ? "write to" : "read from",
			(unsigned long long)r->fault_addr,
			domain_describe(d, r->fault_addr, buf, sizeof(buf)));
	else if (r->vector == VEC_GP)
		kprintf("domain %s: %s in ring 3 (a privileged instruction, an I/O port or a "
			"non-canonical address) denied\n", d->name, cpu_vector_name(r->vector));
	else if (r->vector != VEC_WATCHDOG)
		kprintf("domain %s: %s in ring 3\n", d->name, cpu_vector_name(r->vector));
	return false;
}
static struct fault_hook fault_hook = { .order = 8, .fn = domain_fault_hook };

static void
domain_init(void)
{
	fault_hook_register(&fault_hook);
}
INITFUNC("31domain", domain_init);

void
domain_tcb_fill(struct domain *d, u8 *tls, u8 *tcb)
{
	u64 *t = (u64 *)tcb;

	memset(tls, 0, (d->tls_pages + 1) * PAGE_SIZE);
	if (d->tls_len)
		memcpy(tcb - d->tls_len, d->tls_image, d->tls_len);
	t[0] = (u64)t;				/* %fs:0 */
	t[2] = (u64)t;				/* %fs:0x10 */
	t[5] = plat_random_u64() & ~0xffULL;	/* %fs:0x28, low byte 0 as glibc */
	t[6] = plat_random_u64();		/* %fs:0x30 */
}

struct domain *
domain_attach(struct blob *b, const struct domain_limits *lim, const void *tls_image,
	      size_t tls_len)
{
	struct domain *d = heap_zalloc(sizeof(*d));
	static const char *const what[8] = { "no-access pages", "rodata", "data", "data", "text",
					      "text", "text", "text" };
	struct blob_region reg[DOMAIN_RANGES / 2];
	unsigned n = blob_regions(b, reg, DOMAIN_RANGES / 2);
	bool found;

	if (!d) {
		kprintf("blob: %s: out of memory for its domain\n", blob_name(b));
		return NULL;
	}
	d->blob = b;
	d->name = blob_name(b);
	d->lim = *lim;
	if (plat_user->space_new && !(d->space = plat_user->space_new(d->name))) {
		kprintf("blob: %s: cannot make the domain's address space\n", d->name);
		goto fail;
	}
	/* half the ranges for the image (a shared object has a run per
	 * protection), the rest for stack, TCB and heap grants */
	if (n == DOMAIN_RANGES / 2) {
		kprintf("blob: %s: more than %u runs of pages with one protection in the "
			"domain's images\n", d->name, DOMAIN_RANGES / 2 - 1);
		goto fail;
	}
	d->ret = blob_lookup(b, "__bv_domain_return", &found);
	if (!found) {
		kprintf("blob: %s: the domain runtime's __bv_domain_return is missing\n", d->name);
		goto fail;
	}
	for (unsigned i = 0; i < n; i++)
		d->image_pages += ALIGN_UP(reg[i].len, PAGE_SIZE) / PAGE_SIZE;
	d->tls_len = tls_len;
	d->tls_pages = ALIGN_UP(tls_len, PAGE_SIZE) / PAGE_SIZE;
	d->pages = d->image_pages + DOMAIN_STACK_PAGES + d->tls_pages + 1;
	if (d->pages > d->lim.pages) {
		kprintf("blob: %s: the domain needs %zu pages, its limit is %zu (--pages)\n",
			d->name, d->pages, d->lim.pages);
		goto fail;
	}
	d->stack = pages_alloc(DOMAIN_STACK_PAGES + 2);
	d->tls = pages_alloc(d->tls_pages + 1);
	d->tls_image = tls_len ? heap_alloc(tls_len) : NULL;
	if (!d->stack || !d->tls || (tls_len && !d->tls_image)) {
		kprintf("blob: %s: no pages for the domain's stack, TLS and TCB\n", d->name);
		goto fail;
	}
	d->tcb = d->tls + d->tls_pages * PAGE_SIZE;
	if (tls_len)
		memcpy(d->tls_image, tls_image, tls_len);
	memset(d->stack, 0, (DOMAIN_STACK_PAGES + 2) * PAGE_SIZE);
	plat_protect(d->stack, PAGE_SIZE, 0);
	plat_protect(d->stack + (DOMAIN_STACK_PAGES + 1) * PAGE_SIZE, PAGE_SIZE, 0);
	domain_tcb_fill(d, d->tls, d->tcb);
	for (unsigned i = 0; i < n; i++)
		if (domain_range_add(d, reg[i].start, ALIGN_UP(reg[i].len, PAGE_SIZE), reg[i].prot,
			      what[reg[i].prot & 7]))
			goto map_fail;
	if (domain_range_add(d, (u64)d->stack + PAGE_SIZE, DOMAIN_STACK_PAGES * PAGE_SIZE,
		      PROT_R | PROT_W, "stack") ||
	    domain_range_add(d, (u64)d->tls, (d->tls_pages + 1) * PAGE_SIZE, PROT_R | PROT_W,
		      "TLS and TCB"))
		goto map_fail;
	return d;
map_fail:
	kprintf("blob: %s: cannot map the domain's pages for ring 3\n", d->name);
fail:
	domain_detach(d);
	return NULL;
}

/* Probe code must run in ring 3, so it lives on a page of the domain's;
 * the VMM writes it (plat_protect keeps the U bit) inside SMAP's window. */
u8 *
domain_debug_page(struct domain *d, const char *who)
{
	u8 *p;

	if (d->debug_page)
		return d->debug_page;
	/* hosted, the page becomes a range of the domain's memfd like any
	 * other (the child maps it r-x at its next call) */
	if (d->nranges == DOMAIN_RANGES || !(p = pages_alloc(1))) {
		kprintf("%s: domain %s: no page or range left for the debugger's code\n", who,
			d->name);
		return NULL;
	}
	memset(p, 0xcc, PAGE_SIZE);
	if (plat_protect(p, PAGE_SIZE, PROT_R | PROT_X) ||
	    domain_range_add(d, (u64)p, PAGE_SIZE, PROT_R | PROT_X, "debugger code")) {
		domain_range_remove(d, (u64)p);
		plat_protect(p, PAGE_SIZE, PROT_R | PROT_W);
		pages_free(p, 1);
		kprintf("%s: domain %s: cannot map the debugger's page\n", who, d->name);
		return NULL;
	}
	return d->debug_page = p;
}

u8 *
domain_trace_code(struct domain *d, const void *code, size_t len, const char *who)
{
	size_t n = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	u8 *p;

	if (d->trace_code)
		return d->trace_code;
	if (d->nranges == DOMAIN_RANGES || !len || !(p = pages_alloc(n))) {
		kprintf("%s: domain %s: no pages or range left for the trace's code\n", who,
			d->name);
		return NULL;
	}
	memset(p, 0xcc, n * PAGE_SIZE);
	memcpy(p, code, len);
	/* hosted, the range's bytes move into the domain's memfd and the
	 * child maps them r-x; the VMM's own view stays rw- */
	if ((!plat_user->space_map && plat_protect(p, n * PAGE_SIZE, PROT_R | PROT_X)) ||
	    domain_range_add(d, (u64)p, n * PAGE_SIZE, PROT_R | PROT_X, "trace code")) {
		domain_range_remove(d, (u64)p);
		plat_protect(p, n * PAGE_SIZE, PROT_R | PROT_W);
		pages_free(p, n);
		kprintf("%s: domain %s: cannot map the trace's code\n", who, d->name);
		return NULL;
	}
	d->trace_code_pages = n;
	return d->trace_code = p;
}

void
domain_set_traced(struct domain *d, bool on)
{
	d->traced = on;
}

const char *
domain_name(const struct domain *d)
{
	return d->name;
}

int
domain_thread_id(struct domain *d)
{
	struct domain_thread *t = domain_thread_current(d);

	return t ? t->tid : 0;
}

bool
domain_thread_alive(struct domain *d, int tid)
{
	if (!tid)
		return true;
	for (struct domain_thread *t = d->threads; t; t = t->next)
		if (t->tid == tid)
			return !t->exited;
	return false;
}

struct domain *
domain_at(u64 addr)
{
	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		struct domain *d = blob_domain(b);

		for (unsigned i = 0; d && i < d->nranges; i++)
			if (addr >= d->range[i].start && addr - d->range[i].start < d->range[i].len)
				return d;
	}
	return NULL;
}

void
domain_detach(struct domain *d)
{
	domain_threads_free(d);
	domain_usb_release(d);
	for (unsigned i = 0; i < d->nranges; i++) {
		struct domain_range *r = &d->range[i];

		user_map(d, r->start, r->len, r->prot, false);
		if (!strcmp(r->what, "heap"))
			pages_free((void *)r->start, r->len / PAGE_SIZE);
	}
	if (d->stack) {
		plat_protect(d->stack, (DOMAIN_STACK_PAGES + 2) * PAGE_SIZE, PROT_R | PROT_W);
		pages_free(d->stack, DOMAIN_STACK_PAGES + 2);
	}
	if (d->tls)
		pages_free(d->tls, d->tls_pages + 1);
	if (d->debug_page) {
		plat_protect(d->debug_page, PAGE_SIZE, PROT_R | PROT_W);
		pages_free(d->debug_page, 1);
	}
	if (d->trace_code) {
		plat_protect(d->trace_code, d->trace_code_pages * PAGE_SIZE, PROT_R | PROT_W);
		pages_free(d->trace_code, d->trace_code_pages);
	}
	heap_free(d->tls_image);
	if (d->space)
		plat_user->space_free(d->space);
	heap_free(d);
}

void
domain_window(bool open)
{
	if (plat_user)
		plat_user->access(open);
}

/* The TCB the running thread uses in d: its own if the domain made it. */
u64
domain_tcb(struct domain *d)
{
	struct domain_thread *t = domain_thread_current(d);

	return (u64)(t ? t->tcb : d->tcb);
}

/* The domain's functions return to __bv_domain_return, which hands the
 * value back with BV_SYS_RETURN; the stack starts empty each call.  A call
 * into a domain that is already running (from inside one of its system
 * calls, or from another VMM thread while it sleeps in one) would start on
 * the same stack top and overwrite the frames of the call in progress:
 * it is refused.
 *
 * The stack at the call, from its top down: the copies of the VMM's
 * buffers (bufs, 16-byte aligned), the 8th and 7th arguments, the return
 * address (rsp, so that rsp+8 is 16-byte aligned as the ABI wants). */
int
domain_call_bufs(struct domain *d, u64 fn, const u64 *args, const struct blob_buf *bufs,
		 unsigned nbufs, u64 *ret)
{
	struct domain_thread *t = domain_thread_current(d);
	bool *busy = t ? &t->busy : &d->busy;
	u64 base = t ? (u64)t->stack + PAGE_SIZE : (u64)d->stack + PAGE_SIZE;
	u64 top = t ? base + t->stack_pages * PAGE_SIZE : base + DOMAIN_STACK_PAGES * PAGE_SIZE;
	u64 a[8], at[8] = { 0 }, p = top, sp;

	/* taken before anything else: a guest CPU's hypercall may race the
	 * VMM's shell for the same domain */
	if (__atomic_exchange_n(busy, true, __ATOMIC_ACQ_REL)) {
		kprintf("domain %s: a call into the domain while it runs (its stack is in use); "
			"refused\n", d->name);
		return -EBUSY;
	}
	memcpy(a, args, sizeof(a));
	for (unsigned i = 0; i < nbufs; i++) {
		if (nbufs > 8 || bufs[i].arg >= 8 || bufs[i].len > (top - base) / 2 ||
		    p - ALIGN_UP(bufs[i].len, 16) < base + (top - base) / 2) {
			kprintf("domain %s: the call's buffers (%u) do not fit on half the domain's "
				"stack; refused\n", d->name, nbufs);
			__atomic_store_n(busy, false, __ATOMIC_RELEASE);
			return -E2BIG;
		}
		if (!args[bufs[i].arg])
			continue;	/* NULL stays NULL */
		p -= ALIGN_UP(bufs[i].len, 16);
		at[i] = p;
		a[bufs[i].arg] = p;
	}
	sp = p - 24;
	plat_user->access(true);
	for (unsigned i = 0; i < nbufs; i++)
		if (at[i] && (bufs[i].dir & BLOB_BUF_IN))
			memcpy((void *)at[i], (const void *)args[bufs[i].arg], bufs[i].len);
		else if (at[i])
			memset((void *)at[i], 0, bufs[i].len);
	((u64 *)sp)[0] = d->ret;
	((u64 *)sp)[1] = a[6];
	((u64 *)sp)[2] = a[7];
	plat_user->access(false);
	if (plat_user->space_call)
		*ret = plat_user->space_call(d->space, fn, sp, a, domain_tcb(d));
	else
		*ret = plat_user->call(fn, sp, a);
	/* the copies are the domain's: their fixed lengths go back, nothing
	 * else of the domain's is trusted */
	plat_user->access(true);
	for (unsigned i = 0; i < nbufs; i++)
		if (at[i] && (bufs[i].dir & BLOB_BUF_OUT))
			memcpy((void *)args[bufs[i].arg], (const void *)at[i], bufs[i].len);
	plat_user->access(false);
	__atomic_store_n(busy, false, __ATOMIC_RELEASE);
	return 0;
}

int
domain_call(struct domain *d, u64 fn, const u64 *args, u64 *ret)
{
	u64 a[8] = { 0 };

	memcpy(a, args, 6 * sizeof(*args));
	return domain_call_bufs(d, fn, a, NULL, 0, ret);
}

/* A fault or an exit moved the call to its recovery point: domain_call
 * did not return, and its stack is free again. */
void
domain_call_unwound(struct domain *d)
{
	struct domain_thread *t = domain_thread_current(d);

	__atomic_store_n(t ? &t->busy : &d->busy, false, __ATOMIC_RELEASE);
}

void
domain_print_info(const struct domain *d)
{
	static const char *const prot[8] = { "---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx" };

	kprintf("  domain: ring 3 (%s), pages %zu of %zu (image %zu, stack %u, TLS %zu, TCB 1, "
		"heap %zu), threads %u of %u, CPU per command: the watchdog (%llu ms), %llu system "
		"calls\n",
		*plat_user->features ? plat_user->features : "no SMEP/SMAP", d->pages, d->lim.pages,
		d->image_pages, DOMAIN_STACK_PAGES, d->tls_pages, d->heap_pages, d->nthreads + 1,
		d->lim.threads,
		(unsigned long long)(blob_get_watchdog() / 1000000), (unsigned long long)d->nsyscalls);
	for (unsigned i = 0; i < d->nranges; i++)
		kprintf("    user %#llx-%#llx %s %s\n", (unsigned long long)d->range[i].start,
			(unsigned long long)(d->range[i].start + d->range[i].len),
			prot[d->range[i].prot & 7], d->range[i].what);
}
