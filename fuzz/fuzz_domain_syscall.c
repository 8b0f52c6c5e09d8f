/* libFuzzer: the protection-domain system-call ABI (docs/domains.md) as a
 * domain sees it.  Each input is a run of system calls with random numbers
 * and random arguments drawn from the pointer and length classes that
 * matter (the domain's own ranges and their edges, page-crossing spans,
 * guard pages, VMM text/data/heap/stack, the kernel half, non-canonical
 * and wrapping values, huge lengths), fed to the real dispatcher
 * (domain/syscall.c) and the real pointer checks and copies
 * (domain/domain.c) of a domain the real loader made from
 * build/domain-tests/hello.o plus the domain runtime.
 *
 * What stands in for the platform is the user-memory layer (plat_user):
 *   - map() is the page tables' U bit: it records the domain's pages (the
 *     model every result is checked against, built from what the VMM asked
 *     the platform to map, not from the domain's own range table) and makes
 *     them PROT_NONE, so that the VMM touching one outside a copy crashes,
 *     as SMAP makes it fault on bare metal;
 *     (for one input in 16: the emulation costs a signal and two system
 *     calls per copy);
 *   - access(true) is SMAP's window: a SIGSEGV on a domain page while it is
 *     open makes that page readable (writable only if the domain may write
 *     it: a copy-out into the domain's text crashes, as CR0.WP makes it
 *     fault), and access(false) closes it again;
 *   - call() "runs the domain": it issues the input's system calls; ret()
 *     (BV_SYS_RETURN) ends it.
 * Every call's result is checked against the model (EFAULT exactly when a
 * span is not wholly the domain's with the needed protection, what WRITE
 * prints, what LIMITS writes, what MEM_GROW hands out and that it is
 * zeroed, EXIT's line), a VMM canary must stay unchanged, and unloading
 * must unmap every domain page and free every heap block and page.
 * Not exercised: SLEEP's longest legal waits (its argument is cut to 20 us
 * unless it is over the 1-hour limit, so an input cannot sleep an hour). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sanitizer/asan_interface.h>
#include <unistd.h>
#include "unit/host_plat.h"
#include <core/errno.h>
#include <core/pages.h>
#include <core/sched.h>
#include <domain/abi.h>
#include <domain/domain.h>
#include <loader/blob.h>
#include <loader/introspect.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
bool domain_range_ok(const struct domain *d, u64 addr, u64 len, int prot);

#define PG 4096UL
#define MAXREC 128
#define HEAP_QUOTA 256		/* pages the domain may grow by */
#define MAXOPS 24

/* --- the model: what the VMM asked the platform to make user pages --- */
struct rec { u64 start, len; int prot; };
static struct rec rec[MAXREC];
static unsigned nrec;
static struct blob_region regs[32];
static unsigned nregs;
static size_t quota, used;		/* pages: the limit, and what the records hold */

static void
recount(void)
{
	used = 0;
	for (unsigned i = 0; i < nrec; i++)
		used += rec[i].len / PG;
}

static int
prot_of(u64 a)
{
	for (unsigned i = 0; i < nregs; i++)
		if (a >= regs[i].start && a - regs[i].start < ALIGN_UP(regs[i].len, PG))
			return regs[i].prot;
	return PROT_R | PROT_W;		/* stack, TCB, heap */
}

static const struct rec *
rec_at(u64 a)
{
	for (unsigned i = 0; i < nrec; i++)
		if (a >= rec[i].start && a - rec[i].start < rec[i].len)
			return &rec[i];
	return NULL;
}

static bool
model_ok(u64 a, u64 len, int prot)
{
	if (a + len < a)
		return false;
	for (u64 p = a & ~(PG - 1); len && p < a + len; p += PG)
		if (!rec_at(p) || (prot_of(p) & prot) != prot)
			return false;
	return true;
}

/* --- SMAP's window, emulated with page protections --- */
static volatile bool window;
static bool smap;		/* the emulation is on (one input in 16) */
static u64 opened[64];
static unsigned nopened;
static struct sigaction old_segv;

static void
close_window(void)
{
	for (unsigned i = 0; i < nopened; i++)
		mprotect((void *)opened[i], PG, PROT_NONE);
	nopened = 0;
	window = false;
}

static void
segv(int sig, siginfo_t *si, void *uc)
{
	u64 a = (u64)si->si_addr & ~(PG - 1);

	if (window && rec_at(a) && nopened < 64) {
		bool seen = false;

		for (unsigned i = 0; i < nopened; i++)
			seen |= opened[i] == a;
		if (!seen) {
			opened[nopened++] = a;
			mprotect((void *)a, PG, PROT_READ | (prot_of(a) & PROT_W ? PROT_WRITE : 0));
			return;
		}
	}
	/* the VMM touched a domain page outside a window, wrote one the domain
	 * may not write, or touched something unmapped: ASan's report */
	sigaction(SIGSEGV, &old_segv, NULL);
	if (old_segv.sa_flags & SA_SIGINFO)
		old_segv.sa_sigaction(sig, si, uc);
}

static int
fake_map(void *addr, size_t len, bool user)
{
	u64 a = (u64)addr;

	if (user) {
		if (nrec == MAXREC || (a | len) & (PG - 1) || !len)
			__builtin_trap();	/* the VMM maps whole pages */
		for (u64 p = a; p < a + len; p += PG)
			if (rec_at(p))
				__builtin_trap();	/* mapped twice */
		rec[nrec++] = (struct rec){ a, len, 0 };
		if (smap)
			mprotect(addr, len, PROT_NONE);
		return 0;
	}
	/* the page-table bits go over the span: every page of it must have
	 * been mapped (adjacent heap grants come back as one range) */
	for (u64 p = a; p < a + len; p += PG)
		if (!rec_at(p)) {
			fprintf(stderr, "unmap of %#lx+%#zx: %#lx was never mapped\n",
				(unsigned long)a, len, (unsigned long)p);
			__builtin_trap();
		}
	for (unsigned i = 0; i < nrec;)
		if (rec[i].start >= a && rec[i].start + rec[i].len <= a + len)
			rec[i] = rec[--nrec];
		else if (rec[i].start < a + len && a < rec[i].start + rec[i].len)
			__builtin_trap();	/* half a mapping */
		else
			i++;
	mprotect(addr, len, PROT_READ | PROT_WRITE);
	return 0;
}

static void
fake_access(bool open)
{
	if (open)
		window = true;
	else
		close_window();
}

static jmp_buf ret_jmp;
static u64 ret_value;

static __attribute__((noreturn)) void
fake_ret(u64 value)
{
	ret_value = value;
	longjmp(ret_jmp, 1);
}

static u64 fake_call(u64 rip, u64 rsp, const u64 *args);
static const struct plat_user_ops fake_ops = {
	.map = fake_map, .call = fake_call, .ret = fake_ret, .access = fake_access,
	.features = "fuzz",
};

static void
peek(u64 a, void *out, size_t len)
{
	if (!len)
		return;
	fake_access(true);
	memcpy(out, (const void *)a, len);
	fake_access(false);
}

/* --- the input --- */
static const uint8_t *in;
static size_t in_len;

static u64
take(unsigned n)
{
	u64 v = 0;

	for (unsigned i = 0; i < n && in_len; i++, in_len--)
		v |= (u64)*in++ << (8 * i);
	return v;
}

static char vmm_secret[2 * PG] __attribute__((aligned(4096))), vmm_pattern[2 * PG];
static u64 last_grow;
static struct blob *blob;

static u64
rec_pick(unsigned sel, bool end)
{
	const struct rec *r;

	if (!nrec)
		return 0;
	r = &rec[sel % nrec];
	return end ? r->start + r->len : r->start;
}

static u64
arg(void)
{
	unsigned c = (unsigned)take(1);
	s64 off = (int16_t)take(2);
	static const u64 lens[] = { 0, 1, 39, 40, 41, 255, 256, 257, PG - 1, PG, PG + 1,
				    BV_WRITE_MAX, BV_WRITE_MAX + 1, ~0ULL, 1ULL << 63,
				    (1ULL << 63) - 1, 0xffffffffULL, 0x100000000ULL };
	static const u64 high[] = { 0xffff800000000000ULL, 0xffffffff80000000ULL,
				    0xfffffffffffff000ULL, 0x00007ffffffff000ULL,
				    0x0000800000000000ULL, 0x00007fffffffffffULL };
	u64 vmm[] = { (u64)vmm_secret, (u64)vmm_secret + PG - 8, (u64)&domain_range_ok,
		      (u64)blob_domain(blob), (u64)&c, (u64)rec, (u64)blob };

	switch (c % 11) {
	case 0:
		return c >> 4;
	case 1:
		return take(8);
	case 2:		/* the domain's own memory and its edges */
	case 3:
		return rec_pick((unsigned)take(1), c & 16) + (u64)off;
	case 4:		/* a length, or the rest of a range from an offset */
		if (c & 16)
			return (u64)rec_pick((unsigned)take(1), true) -
			       rec_pick((unsigned)take(1), false) + (u64)(off % 64);
		return lens[(c >> 5) % (sizeof(lens) / sizeof(lens[0]))] + (u64)(off % 3);
	case 5:		/* the VMM's data, text, heap, stack, the domain record */
		return vmm[(c >> 4) % (sizeof(vmm) / sizeof(vmm[0]))] + (u64)(off % 64);
	case 6:		/* the kernel half, non-canonical, the top of user space */
		return high[(c >> 4) % (sizeof(high) / sizeof(high[0]))] + (u64)off;
	case 7:		/* the NULL page and low addresses */
		return (u64)(off & 0x7fff);
	case 8:		/* just below or above a range: guard pages, neighbours */
		return rec_pick((unsigned)take(1), c & 16) + (c & 32 ? PG : -PG) + (u64)(off % 64);
	case 9:
		return last_grow + (u64)off;
	default:	/* a small page count or a sleep */
		return (u64)(c >> 4);
	}
}

/* A number the ABI lacks ends the domain (domain/syscall.c), which costs
 * a reload: such numbers are drawn as rarely as EXIT. */
static bool
abi_has(u64 nr)
{
	return nr <= 10 || (nr >= 16 && nr <= 22) || (nr >= 32 && nr <= 42) || nr == 48 || nr == 49;
}

static u64
pick_nr(void)
{
	static const u64 common[] = { BV_SYS_WRITE, BV_SYS_WRITE, BV_SYS_LIMITS, BV_SYS_MEM_GROW,
				      BV_SYS_CLOCK, BV_SYS_FILE_READ };
	unsigned b = (unsigned)take(1);

	switch (b & 15) {
	case 9:
		return 9 + (b >> 4);
	case 10: {
		u64 nr = 16 + (u64)take(1) % 48;	/* the reserved ranges and beyond */

		return abi_has(nr) || b == 10 ? nr : BV_SYS_LIMITS;
	}
	case 11:
		return b == 11 ? take(8) : BV_SYS_CLOCK;
	case 12: case 13: case 14: case 15:
		return common[(b >> 4) % (sizeof(common) / sizeof(common[0]))];
	case BV_SYS_EXIT:	/* ends the domain: a reload, so rarer */
		return b == BV_SYS_EXIT ? BV_SYS_EXIT : BV_SYS_WRITE;
	default:
		return b & 15;
	}
}

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "fuzz_domain_syscall: " __VA_ARGS__); \
	fputc('\n', stderr); __builtin_trap(); } } while (0)

static void
check_write(const u64 *a, s64 r)
{
	if (a[0] != 1 && a[0] != 2) {
		CHECK(r == -EBADF, "write fd %llu: %lld", (unsigned long long)a[0], (long long)r);
		return;
	}
	if (a[2] > BV_WRITE_MAX) {
		CHECK(r == -EINVAL, "write len %#llx: %lld", (unsigned long long)a[2], (long long)r);
		return;
	}
	if (!model_ok(a[1], a[2], PROT_R)) {
		CHECK(r == -EFAULT, "write %#llx+%#llx (not the domain's): %lld",
		      (unsigned long long)a[1], (unsigned long long)a[2], (long long)r);
		CHECK(host_console_len == 0, "write that failed printed something");
		return;
	}
	CHECK(r == (s64)a[2], "write %#llx+%#llx: %lld", (unsigned long long)a[1],
	      (unsigned long long)a[2], (long long)r);
	{
		size_t n = a[2] < host_console_len ? a[2] : host_console_len;
		static char buf[1 << 16];

		CHECK(n == a[2] || host_console_len >= (1 << 16) - 1, "write printed %zu of %llu",
		      n, (unsigned long long)a[2]);
		peek(a[1], buf, n);
		CHECK(!memcmp(buf, host_console, n), "write printed other bytes");
	}
}

static void
check_limits(const u64 *a, s64 r, const u8 *before, bool snap)
{
	struct bv_limits l;

	if (!model_ok(a[0], sizeof(l), PROT_W)) {
		u8 after[sizeof(l)];

		CHECK(r == -EFAULT, "limits to %#llx: %lld", (unsigned long long)a[0], (long long)r);
		if (snap) {
			peek(a[0], after, sizeof(after));
			CHECK(!memcmp(before, after, sizeof(after)), "a failed limits wrote");
		}
		return;
	}
	CHECK(r == 0, "limits to %#llx: %lld", (unsigned long long)a[0], (long long)r);
	peek(a[0], &l, sizeof(l));
	CHECK(l.pages_max == quota && l.pages_used == used && l.threads_max >= 1 &&
	      l.threads_used >= 1 && l.threads_used <= l.threads_max,
	      "limits: pages %lu of %lu (model %zu of %zu), threads %lu of %lu",
	      l.pages_used, l.pages_max, used, quota, l.threads_used, l.threads_max);
}

static void
check_grow(u64 n, s64 r, unsigned nrec0)
{
	static u8 page[PG], zero[PG];

	if (!n || n > quota - used) {
		CHECK(r == -EDQUOT, "grow %llu with %zu of %zu used: %lld", (unsigned long long)n,
		      used, quota, (long long)r);
		return;
	}
	if (r == -ENOMEM) {
		CHECK(nrec == nrec0, "a failed grow mapped pages");
		return;
	}
	CHECK(r > 0 && !((u64)r & (PG - 1)), "grow %llu: %lld", (unsigned long long)n, (long long)r);
	CHECK(nrec == nrec0 + 1 && rec[nrec - 1].start == (u64)r && rec[nrec - 1].len == n * PG,
	      "grow %llu: %#llx is not what was mapped", (unsigned long long)n, (long long)r);
	for (u64 i = 0; i < n; i++) {
		peek((u64)r + i * PG, page, PG);
		CHECK(!memcmp(page, zero, PG), "grown page %llu not zeroed", (unsigned long long)i);
	}
	last_grow = (u64)r;
}

/* What EXIT must print: the message as far as the domain may read it,
 * control characters as spaces; else the address it could not read. */
static void
exit_expect(const u64 *a, char *want, size_t size)
{
	char text[160] = "";
	u64 len = a[2] < 159 ? a[2] : 159;

	if (len && model_ok(a[1], len, PROT_R))
		peek(a[1], text, len);
	else if (len)
		snprintf(text, sizeof(text), "(message at %#llx not readable)", (unsigned long long)a[1]);
	for (char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	snprintf(want, size, "domain hello.o: exit(%lld)%s%s", (long long)a[0], *text ? ": " : "", text);
}

/* The blob file namespace the dispatcher's file calls read (libc/, where
 * it lives, is glibc's in this host build): one file. */
int libc_files_each(int (*fn)(void *arg, const char *path, size_t size, u64 mtime), void *arg);
s64 libc_file_pread(const char *path, u64 off, void *buf, size_t len);
static const char fuzz_file[] = "[dongle]\nvid=0x096e\n";

int
libc_files_each(int (*fn)(void *arg, const char *path, size_t size, u64 mtime), void *arg)
{
	return fn(arg, "/etc/fuzz.conf", sizeof(fuzz_file) - 1, 1);
}

s64
libc_file_pread(const char *path, u64 off, void *buf, size_t len)
{
	if (strcmp(path, "/etc/fuzz.conf"))
		return -ENOENT;
	if (off >= sizeof(fuzz_file) - 1)
		return 0;
	if (len > sizeof(fuzz_file) - 1 - off)
		len = sizeof(fuzz_file) - 1 - off;
	memcpy(buf, fuzz_file + off, len);
	return (s64)len;
}

static char exit_want[256];
static u64 text_rip;

static u64
fake_call(u64 rip, u64 rsp, const u64 *args)
{
	(void)rip; (void)rsp; (void)args;
	if (sched_current() != sched_main())
		return 0;	/* a domain thread's entry (the calls are the main one's) */
	if (setjmp(ret_jmp))
		return ret_value;
	for (int op = 0; op < MAXOPS && in_len; op++) {
		u64 a[6], nr = pick_nr(), t0;
		u8 before[sizeof(struct bv_limits)];
		bool snap = false;
		unsigned nrec0 = nrec;
		s64 r;

		for (int i = 0; i < 6; i++)
			a[i] = arg();
		if (nr == BV_SYS_SLEEP && a[0] <= 3600ULL * 1000000000ULL)
			a[0] %= 20000;
		/* waits end within 20 us (or, with no deadline, by the
		 * scheduler's deadlock verdict): an input cannot sleep for long */
#ifdef BV_SYS_FUTEX_WAIT
		if (nr == BV_SYS_FUTEX_WAIT)
			a[2] = a[2] & 1 ? 0 : plat_time_ns() + a[2] % 20000;
#endif
#ifdef BV_SYS_USB_WAIT
		if (nr == BV_SYS_USB_WAIT)
			a[0] = a[0] & 1 ? 0 : plat_time_ns() + a[0] % 20000;
		if (nr == BV_SYS_USB_REAP)
			a[1] = a[1] & 1 ? 0 : plat_time_ns() + a[1] % 20000;
		if (nr == BV_SYS_USB_TRANSFER)
			a[4] %= 2;
#endif
		if (nr == BV_SYS_MEM_GROW && a[0] > quota && !(a[0] & 1))
			a[0] %= 8;	/* mostly counts that fit */
		if (nr == BV_SYS_LIMITS && model_ok(a[0] & ~(PG - 1), PG, PROT_R)) {
			snap = a[0] + sizeof(before) <= (a[0] | (PG - 1)) + 1 &&
			       model_ok(a[0], sizeof(before), PROT_R);
			if (snap)
				peek(a[0], before, sizeof(before));
		}
		if (nr == BV_SYS_EXIT)
			exit_expect(a, exit_want, sizeof(exit_want));
		host_console_clear();
		t0 = plat_time_ns();
		recount();
		r = plat_user_syscall(nr, a, text_rip);
		switch (nr) {
		case BV_SYS_WRITE:
			check_write(a, r);
			break;
		case BV_SYS_CLOCK:
			if (a[0] == BV_CLOCK_MONOTONIC)
				CHECK(r >= (s64)t0 && r <= (s64)plat_time_ns(), "clock: %lld", (long long)r);
			else if (a[0] == BV_CLOCK_REALTIME)
				CHECK(r > 0, "realtime clock: %lld", (long long)r);
			else
				CHECK(r == -EINVAL, "clock %llu: %lld", (unsigned long long)a[0], (long long)r);
			break;
		case BV_SYS_SLEEP:
			CHECK(r == (a[0] > 3600ULL * 1000000000ULL ? -EINVAL : 0), "sleep: %lld",
			      (long long)r);
			break;
		case BV_SYS_YIELD:
			CHECK(r == 0, "yield: %lld", (long long)r);
			break;
		case BV_SYS_MEM_GROW:
			check_grow(a[0], r, nrec0);
			recount();
			break;
		case BV_SYS_LIMITS:
			check_limits(a, r, before, snap);
			break;
		case BV_SYS_RETURN:
		case BV_SYS_EXIT:
			CHECK(0, "system call %llu returned %lld", (unsigned long long)nr, (long long)r);
			break;
		default:
			/* calls the harness has no model of (file reads, random
			 * bytes, threads, USB, whatever the ABI gains) only have to
			 * answer a value or an errno; a number the ABI lacks ends
			 * the domain (the abort line is checked below) */
			CHECK(abi_has(nr), "system call %llu is not in the ABI but returned %lld",
			      (unsigned long long)nr, (long long)r);
			CHECK(r >= -4095, "system call %llu: %lld", (unsigned long long)nr,
			      (long long)r);
			recount();
		}
		CHECK(nr > BV_SYS_LIMITS || nr == BV_SYS_MEM_GROW || nr == BV_SYS_FILE_READ ||
		      nrec == nrec0, "system call %llu mapped pages", (unsigned long long)nr);
	}
	{
		u64 a[6] = { 0x5eed };

		plat_user_syscall(BV_SYS_RETURN, a, text_rip);	/* __bv_domain_return */
	}
	CHECK(0, "BV_SYS_RETURN returned");
	return 0;
}

static void
load(void)
{
	const char *path = FUZZ_DOMAIN_BLOB;

#ifdef BV_SYS_THREAD_CREATE	/* the loader takes struct domain_limits since the thread calls */
	struct domain_limits lim = { .pages = quota, .threads = 4 };

	blob = blob_load_files_limited(&path, 1, BLOB_DOMAIN | BLOB_NORUN | BLOB_QUIET,
				       quota ? &lim : NULL);
#else
	blob = blob_load_files_limited(&path, 1, BLOB_DOMAIN | BLOB_NORUN | BLOB_QUIET, quota);
#endif
	if (!blob) {
		fprintf(stderr, "fuzz_domain_syscall: cannot load %s as a domain:\n%s", path,
			host_console);
		__builtin_trap();
	}
	nregs = blob_regions(blob, regs, 32);
	recount();
	text_rip = 0;
	for (unsigned i = 0; i < nregs && !text_rip; i++)
		if (regs[i].prot & PROT_X)
			text_rip = regs[i].start + 2;
}

/* Loading the domain costs far more than an input's calls, so one domain
 * serves inputs until an EXIT ends it or its heap quota is nearly used up;
 * then it is unloaded, which must give back every page, heap block and
 * user mapping, and loaded anew. */
static struct heap_stats h0;
static void *region;
static size_t region_len;
static struct pages_stats p0;
static u64 fn;

static void
unload_check(void)
{
	struct heap_stats h1;
	struct pages_stats p1;

	CHECK(!blob_unload(blob), "unload refused: %s", host_console);
	blob = NULL;
	CHECK(nrec == 0, "%u domain ranges still mapped after unload", nrec);
	heap_stats(&h1);
	pages_stats(&p1);
	CHECK(h1.live_blocks == h0.live_blocks, "heap blocks leaked: %zu -> %zu", h0.live_blocks,
	      h1.live_blocks);
	CHECK(p1.used == p0.used, "pages leaked: %zu -> %zu", p0.used, p1.used);
}

static void
fresh(void)
{
	bool found;

	load();
	fn = blob_lookup(blob, "hello", &found);
	CHECK(found && nrec, "hello.o has no `hello' / no user pages");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	u64 ret = 0;
	int rc;

	if (!ready) {
		struct sigaction sa = { .sa_sigaction = segv, .sa_flags = SA_SIGINFO | SA_NODEFER };
		void *base;
		size_t len;

		plat_memory_region(&base, &len);
		pages_init(base, len);
		region = base;
		region_len = len;
		heap_free(heap_alloc(16));
		plat_user = &fake_ops;
		sigaction(SIGSEGV, &sa, &old_segv);
		memset(vmm_secret, 0xa5, sizeof(vmm_secret));
		memset(vmm_pattern, 0xa5, sizeof(vmm_pattern));
		load();		/* once with the default limit, to learn the image's size */
		quota = used + HEAP_QUOTA;
		/* the first blob call sets up the loader's own context (stack,
		 * TCB), which stays: not a leak of the inputs' */
		fn = blob_lookup(blob, "hello", NULL);
		blob_call(blob, fn, (u64[]){ 1 }, 1, &ret);
		blob_unload(blob);
		heap_stats(&h0);
		pages_stats(&p0);
		fresh();
		ready = true;
	}
	/* the emulation costs a signal and two mprotects (TLB shootdowns) per
	 * copy: one input in 16 runs with it, chosen by its first byte */
	if (smap != (size && !(data[0] & 15))) {
		smap = !smap;
		for (unsigned i = 0; i < nrec; i++)
			mprotect((void *)rec[i].start, rec[i].len,
				 smap ? PROT_NONE : PROT_READ | PROT_WRITE);
	}
	in = data;
	in_len = size;
	exit_want[0] = 0;
	host_console_clear();
	rc = blob_call(blob, fn, (u64[]){ 1 }, 1, &ret);
	if (rc) {	/* EXIT (or another call that ends the domain) ended it, saying so */
		CHECK(*exit_want ? strstr(host_console, exit_want) != NULL :
				   strstr(host_console, "abort: ") != NULL,
		      "the call ended early; console: %s (wanted %s)", host_console,
		      *exit_want ? exit_want : "an abort line");
	} else {
		CHECK(ret == 0x5eed || ret == ret_value, "call returned %#llx",
		      (unsigned long long)ret);
	}
	/* threads the input created run their (empty) entries and end; their
	 * stacks held ASan's stack poison, which pages_free does not clear */
	if (sched_thread_count()) {
		for (int i = 0; i < 64 && sched_thread_count(); i++)
			sched_yield_cpu();
		__asan_unpoison_memory_region(region, region_len);
	}
	CHECK(!window, "a system call left SMAP's window open");
	CHECK(!memcmp(vmm_secret, vmm_pattern, sizeof(vmm_secret)), "VMM data changed");
	if (rc || used + 8 > quota) {
		unload_check();
		fresh();
		last_grow = 0;
	}
	host_console_clear();
	return 0;
}
