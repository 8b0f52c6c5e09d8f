/* bvhostile [SECONDS]: a hostile guest program for the hypervisor tests.
 * For SECONDS (default: bv.hostile=S on the kernel command line, else 10)
 * it mixes, at random:
 *   - VMMCALL with random function numbers and arguments: pointers that are
 *     unmapped, the kernel's, the VMM's own memory (a /dev/mem mapping of
 *     the range the VMM keeps: needs iomem=relaxed), mapped but not present,
 *     read-only, crossing from a good page into a bad one, and lengths
 *     around every limit; command lines that are garbage or hostile
 *     arguments to the commands a guest may run;
 *   - the configuration space of every function the VMM keeps, through
 *     0xCF8/0xCFC at every offset and width, reads and random writes;
 *   - the I/O ports of every controller the VMM keeps, every offset and
 *     width (also straddling its ends), IN/OUT and string I/O.
 * Each answer that can be predicted is checked: a bad pointer gets -EFAULT,
 * a bad size -E2BIG, an unknown function -ENOSYS, HC_CARDWAIT (with no
 * card reader here, whatever its timeout and forged deadline) -ENODEV at
 * once, or -EINVAL for a reader beyond 7; the VMM writes no byte of
 * an output buffer past the length it reports; every read of a hidden
 * function or port gives all ones (string input leaves the buffer as it
 * was); a visible function (the host bridge) still reads its IDs.  The
 * VMM's answers to `pci list' and `usb list' say what it keeps.  Prints a
 * summary and each violation (at most 20); exits 1 if there was any.
 * `dis' for the guest disassembles the VMM's or a blob's code, nothing else. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <cpuid.h>

#define HC_STATS	1	/* vmm/svm/svm.h */
#define HC_DBGSH	2
#define HC_CARDWAIT	3	/* no CCID reader in this test: -ENODEV, or -EINVAL (RSI) */
#define CARD_READERS	8
#define LINE_MAX_VMM	1023
#define OUT_MAX_VMM	65536
#define PAGE		4096UL
#define VMM_PHYS	0x200000UL	/* where the VMM keeps itself ("VMM keeps 0x200000..") */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	/* xorshift64*: reproducible from the seed printed at the start */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t
pick(const uint64_t *v, size_t n)
{
	return v[rnd() % n];
}
#define PICK(a) pick(a, sizeof(a) / sizeof(a[0]))

static unsigned long violations;

static void __attribute__((format(printf, 1, 2)))
violation(const char *fmt, ...)
{
	va_list ap;

	if (++violations > 20)
		return;
	printf("bvhostile: VIOLATION: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* --- VMMCALL ------------------------------------------------------------- */

struct hc {
	uint64_t rax, rbx, rcx, rdx, rsi;
};

static void
vmmcall(struct hc *r)
{
	__asm__ volatile("vmmcall" : "+a"(r->rax), "+b"(r->rbx), "+c"(r->rcx), "+d"(r->rdx), "+S"(r->rsi)
			 : : "memory");
}

/* Run one allowed command for this program (to learn what is hidden). */
static int
vmm_command(const char *line, char *out, size_t size)
{
	struct hc r = { HC_DBGSH, (uintptr_t)line, strlen(line), (uintptr_t)out, size - 1 };

	memset(out, 0, size);
	vmmcall(&r);
	if ((int64_t)r.rax < 0)
		return (int)r.rax;
	out[r.rcx < size ? r.rcx : size - 1] = 0;
	return 0;
}

/* Pointer kinds.  GOOD and RO are ours; the others must never be read or
 * written by the VMM. */
enum ptr_kind { P_GOOD, P_RO, P_UNMAPPED, P_NOTPRESENT, P_KERNEL, P_VMM, P_CROSS_ABSENT,
		P_CROSS_VMM, P_RANDOM, P_KINDS };
static const char *const kind_name[P_KINDS] = {
	"good", "read-only", "unmapped", "not present", "kernel", "VMM memory",
	"crossing into a page not present", "crossing into VMM memory", "random" };

static uint8_t *good;		/* 2 pages, touched: line and output buffers */
static uint8_t *ro;		/* 1 page, touched, read-only */
static uint8_t *absent;		/* 2 pages: the first touched, the second never */
static uint8_t *vmm_map;	/* 4 pages of the VMM's own memory (never touched!) */
static uint8_t *cross_vmm;	/* a touched page, then the VMM's first page */
static size_t vmm_pages;

static uint64_t
pointer(enum ptr_kind k, uint64_t len)
{
	static const uint64_t unmapped[] = { 0, 1, 0xfff, 0x1000, 0xdead0000, 0x7ffffffff000,
		0x7fffffffffff, 0x0000800000000000ULL, 0x00007ffffffff001ULL };
	static const uint64_t kernel[] = { 0xffffffff81000000ULL, 0xffff888000000000ULL,
		0xffff888000200000ULL, 0xffffffffff600000ULL, 0xfffffe0000000000ULL,
		0xffffffffffffffffULL, 0xfffffffffffff000ULL };
	uint64_t span = len > PAGE ? PAGE : len;

	switch (k) {
	case P_GOOD:
		return (uintptr_t)good + rnd() % (2 * PAGE - span + 1);
	case P_RO:
		return (uintptr_t)ro + rnd() % (PAGE - span + 1);
	case P_UNMAPPED:
		return PICK(unmapped);
	case P_NOTPRESENT:
		return (uintptr_t)absent + PAGE + rnd() % PAGE;
	case P_KERNEL:
		return PICK(kernel) + (rnd() & 1 ? rnd() % PAGE : 0);
	case P_VMM:
		return vmm_map ? (uintptr_t)vmm_map + rnd() % (vmm_pages * PAGE) : 0;
	case P_CROSS_ABSENT:
		return (uintptr_t)absent + PAGE - 1 - rnd() % (len > 1 ? (len - 1 < PAGE ? len - 1 : PAGE - 1) : 1);
	case P_CROSS_VMM:
		return cross_vmm ? (uintptr_t)cross_vmm + PAGE - 1 - rnd() % 16 : 0;
	default:
		return rnd();
	}
}

/* Whether len bytes at p, of kind k, are all ours (readable; writable if
 * w).  Random pointers are not judged. */
static int
pointer_ok(enum ptr_kind k, uint64_t p, uint64_t len, int w)
{
	if (!len)
		return 1;
	switch (k) {
	case P_GOOD:		/* a guard page follows the two */
		return p + len <= (uintptr_t)good + 2 * PAGE;
	case P_RO:
		return !w;
	case P_CROSS_ABSENT:
		return p + len <= (uintptr_t)absent + PAGE;
	case P_CROSS_VMM:
		return cross_vmm && p + len <= (uintptr_t)cross_vmm + PAGE;
	case P_VMM:
		return 0;
	case P_RANDOM:
		return -1;
	default:
		return 0;
	}
}

/* Lines a guest may send: garbage, and the allowed commands with hostile
 * arguments (the VMM must answer each and go on). */
static const char *const lines[] = {
	"version", "mem", "help", "help --names", "pci list", "usb list", "guest info", "blob list",
	"exports", "exports *", "blob info", "blob info nonesuch", "blob info rockey.o",
	"blob syms rockey.o", "blob syms rockey.o *[", "blob syms libdongle.a \\", "usb desc",
	"usb desc 0:0", "usb desc 255:255", "usb desc 1:1", "usb desc 99999999999999999999:1",
	"dis", "dis 0", "dis 0 4096", "dis 0xffffffffffffffff 4096", "dis 0xfffffffffffffff0 16",
	"dis 0x1000 5000", "dis rockey_testcase5 4096", "dis nonesuch", "dis rockey.o:nonesuch",
	"dis 0x200000 16", "dis dis_print+99999999", "rockey", "rockey 0", "rockey 10", "rockey -1",
	"rockey 99999999999999999999", "\"unbalanced", "'", "\\", "pci", "usb",
	"version\001\033[2J", "  version  ", "\t\tmem", "version extra args here",
};
/* Commands the default policy refuses: -EPERM, whatever the arguments. */
static const char *const forbidden_lines[] = {
	"blob load /etc/passwd", "exit 3", "watchdog 0", "patch 0 90", "guest stop", "rockey",
	"blob unload rockey.o", "bp rockey_testcase5", "usb detach 1",
};
#define NLINES (sizeof(lines) / sizeof(lines[0]))
#define NFORBIDDEN (sizeof(forbidden_lines) / sizeof(forbidden_lines[0]))

enum { RES_OK, RES_EPERM, RES_EFAULT, RES_E2BIG, RES_ENOSYS, RES_EINVAL, RES_ENOMEM, RES_ENODEV, RES_OTHER };
static uint64_t hc_calls, hc_by_result[RES_OTHER + 1];

static int
result_index(int64_t r)
{
	switch (r) {
	case 0: return RES_OK;
	case -EPERM: return RES_EPERM;
	case -EFAULT: return RES_EFAULT;
	case -E2BIG: return RES_E2BIG;
	case -ENOSYS: return RES_ENOSYS;
	case -EINVAL: return RES_EINVAL;
	case -ENOMEM: return RES_ENOMEM;
	case -ENODEV: return RES_ENODEV;
	default: return RES_OTHER;
	}
}

static void
fuzz_vmmcall(void)
{
	static const uint64_t funcs[] = { 0, 1, 2, 2, 2, 2, 2, 3, 4, 0xff, 0x100, 0x80000002ULL,
		0x100000002ULL, 0xffffffffffffffffULL, 0xfffffffffffffffeULL };
	static const uint64_t lens[] = { 0, 1, 2, 7, 100, 1022, 1023, 1024, 1025, 4095, 4096, 4097,
		65535, 65536, 65537, 0x100000000ULL, 0xffffffffffffffffULL, 0x8000000000000000ULL };
	struct hc r;
	/* half of them HC_DBGSH, where the pointers are used */
	uint64_t func = rnd() % 2 ? HC_DBGSH : rnd() % 4 ? PICK(funcs) : rnd();
	enum ptr_kind lk = rnd() % P_KINDS, ok = rnd() % P_KINDS;
	uint64_t llen = rnd() % 3 ? PICK(lens) : rnd() % 2048;
	uint64_t osize = rnd() % 3 ? PICK(lens) : rnd() % 70000;
	uint64_t lp, op;
	int chosen = rnd() % 2;		/* a real command line, else garbage */
	int forbidden = 0;
	int64_t ret;

	if (rnd() % 2)
		lk = P_GOOD;
	if (rnd() % 2)
		ok = P_GOOD;
	if (lk == P_GOOD && chosen) {
		size_t li = rnd() % (NLINES + NFORBIDDEN);
		const char *l = li < NLINES ? lines[li] : forbidden_lines[li - NLINES];

		forbidden = li >= NLINES;
		llen = strlen(l);
		lp = (uintptr_t)good + rnd() % (PAGE - llen);
		memcpy((void *)(uintptr_t)lp, l, llen);
	} else {
		lp = pointer(lk, llen);
		if (lk == P_GOOD)
			for (uint64_t i = 0; i < (llen < 2 * PAGE ? llen : 0); i += 8) {
				uint64_t v = rnd();

				if (lp + i + 8 <= (uintptr_t)good + 2 * PAGE)
					memcpy((void *)(uintptr_t)(lp + i), &v, 8);
			}
	}
	op = pointer(ok, osize);
	if (ok == P_GOOD) {	/* a canary fills the output buffer's page pair */
		if (lk == P_GOOD) {	/* keep the line apart from the output */
			lp = (uintptr_t)good + (lp - (uintptr_t)good) % PAGE;
			op = (uintptr_t)good + PAGE + rnd() % PAGE;
		}
	}
	if (ok == P_GOOD)
		memset((void *)(uintptr_t)op, 0xa5, (uintptr_t)good + 2 * PAGE - op);
	r = (struct hc){ func, lp, llen, op, osize };
	vmmcall(&r);
	ret = (int64_t)r.rax;
	hc_calls++;
	hc_by_result[result_index(ret)]++;

	if (func == HC_CARDWAIT) {
		/* RSI the reader, RDX a forged deadline: answered at once here */
		if (ret != (osize < CARD_READERS ? -ENODEV : -EINVAL))
			violation("HC_CARDWAIT for reader %#" PRIx64 " returned %" PRId64, osize, ret);
		return;
	}
	if (func != HC_STATS && func != HC_DBGSH) {
		if (ret != -ENOSYS)
			violation("function %#" PRIx64 " returned %" PRId64 ", not -ENOSYS", func, ret);
		return;
	}
	if (func == HC_STATS) {
		if (ret != 0)
			violation("HC_STATS returned %" PRId64, ret);
		return;
	}
	if (result_index(ret) == RES_OTHER || ret == -ENOSYS)
		violation("HC_DBGSH returned %" PRId64 " (line %s, out %s)", ret, kind_name[lk], kind_name[ok]);
	if (llen > LINE_MAX_VMM || osize > OUT_MAX_VMM) {
		if (ret != -E2BIG)
			violation("HC_DBGSH with line length %#" PRIx64 ", output size %#" PRIx64
				  " returned %" PRId64 ", not -E2BIG", llen, osize, ret);
		return;
	}
	if (pointer_ok(lk, lp, llen, 0) == 0) {
		if (ret != -EFAULT)
			violation("HC_DBGSH read a line from %#" PRIx64 " (%s, %" PRIu64 " bytes): returned %"
				  PRId64 ", not -EFAULT", lp, kind_name[lk], llen, ret);
		return;
	}
	if (forbidden && ret != -EPERM && ret != -EFAULT)
		violation("the forbidden line `%s' returned %" PRId64 ", not -EPERM",
			  (const char *)(uintptr_t)lp, ret);
	if (ret == 0 || ret == -EPERM) {
		if (r.rcx > osize)
			violation("HC_DBGSH reports %" PRIu64 " output bytes for a %" PRIu64 "-byte buffer", r.rcx, osize);
		if (r.rcx && pointer_ok(ok, op, r.rcx, 1) == 0)
			violation("HC_DBGSH wrote %" PRIu64 " bytes to %#" PRIx64 " (%s) and returned %" PRId64,
				  r.rcx, op, kind_name[ok], ret);
	}
	if (ok == P_GOOD && ret != -EFAULT) {
		const uint8_t *b = (const uint8_t *)(uintptr_t)op;
		uint64_t n = (ret == 0 || ret == -EPERM) ? r.rcx : 0;

		for (uint64_t i = n; i < (uintptr_t)good + 2 * PAGE - op; i++)
			if (b[i] != 0xa5) {
				violation("HC_DBGSH (%" PRId64 ") wrote byte %" PRIu64 " of an output buffer past the %"
					  PRIu64 " it reported", ret, i, n);
				break;
			}
	}
}

/* --- what the VMM keeps ---------------------------------------------------- */

struct hidden_fn {
	unsigned bus, dev, fn;
};
static struct hidden_fn hidden[8];
static int nhidden;
struct hidden_io {
	unsigned base, len;
};
static struct hidden_io hio[8];
static int nhio;

static void
learn_hidden(void)
{
	static char out[65536];
	char *l, *save;

	if (vmm_command("pci list", out, sizeof(out)) < 0) {
		violation("the VMM would not run `pci list'");
		return;
	}
	for (l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		unsigned b, d, f;

		if (strstr(l, "kept by the VMM") && sscanf(l, "%x:%x.%x", &b, &d, &f) == 3 && nhidden < 8)
			hidden[nhidden++] = (struct hidden_fn){ b, d, f };
	}
	if (vmm_command("usb list", out, sizeof(out)) < 0) {
		violation("the VMM would not run `usb list'");
		return;
	}
	for (l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *u = strstr(l, "UHCI ");
		unsigned b, d, f, io;

		/* a UHCI controller decodes 32 ports */
		if (u && sscanf(u, "UHCI %x:%x.%x io %x", &b, &d, &f, &io) == 4 && nhio < 8)
			hio[nhio++] = (struct hidden_io){ io, 32 };
	}
}

/* --- PCI configuration space ---------------------------------------------- */

#define CFG_ADDR(b, d, f, off) (0x80000000u | (b) << 16 | (d) << 11 | (f) << 8 | ((off) & 0xfc))

static uint64_t cfg_reads, cfg_writes, io_reads, io_writes, str_ios;

static uint32_t
in_w(uint16_t port, int w)
{
	return w == 4 ? inl(port) : w == 2 ? inw(port) : inb(port);
}

static void
out_w(uint16_t port, int w, uint32_t v)
{
	if (w == 4)
		outl(v, port);
	else if (w == 2)
		outw((uint16_t)v, port);
	else
		outb((uint8_t)v, port);
}

static uint32_t
ones(int w)
{
	return w == 4 ? 0xffffffffu : w == 2 ? 0xffff : 0xff;
}

static uint32_t host_bridge_id;

static void
check_host_bridge(void)
{
	uint32_t v;

	outl(CFG_ADDR(0, 0, 0, 0), 0xcf8);
	v = inl(0xcfc);
	if (v != host_bridge_id)
		violation("the host bridge (visible) reads %08x, not %08x", v, host_bridge_id);
}

/* One random access to a hidden function's configuration space: the
 * address (with junk in the reserved and low bits) through 0xCF8, then a
 * read or write at 0xCFC-0xCFF at width 1, 2 or 4. */
static void
fuzz_config(void)
{
	const struct hidden_fn *h = &hidden[rnd() % nhidden];
	unsigned fn = rnd() % 4 ? h->fn : (h->fn == 0 ? rnd() % 8 : h->fn);	/* fn 0 hides the slot */
	unsigned off = rnd() % 256, w = 1u << (rnd() % 3), k;
	uint32_t addr = CFG_ADDR(h->bus, h->dev, fn, off);

	if (rnd() % 4 == 0)
		addr |= (uint32_t)(rnd() & 0x7f000003);	/* reserved bits 30-24, low bits */
	k = off & 3;
	if (k + w > 4)
		k = 4 - w;
	outl(addr, 0xcf8);
	if (rnd() % 8 == 0) {	/* narrow writes to the address port itself (not 0xCF9: reset) */
		static const uint16_t p[] = { 0xcf8, 0xcfa, 0xcfb };
		uint16_t port = p[rnd() % 3];
		int ww = port == 0xcfa && rnd() % 2 ? 2 : 1;

		out_w(port, ww, (uint32_t)rnd());
		cfg_writes++;
	}
	if (rnd() % 3 == 0) {
		out_w(0xcfc + k, w, (uint32_t)rnd());
		cfg_writes++;
	}
	{
		uint32_t v = in_w(0xcfc + k, w);

		cfg_reads++;
		/* after a narrow write to 0xCF8 the hardware address may be
		 * anything visible; the VMM's shadow still names the hidden one */
		if (v != ones(w))
			violation("hidden %02x:%02x.%x offset %#x width %u read %#x (CF8 %08x)",
				  h->bus, h->dev, fn, off, w, v, addr);
	}
	if (rnd() % 16 == 0) {
		uint32_t a = inl(0xcf8);

		if (a != addr)
			violation("0xCF8 reads back %08x after %08x was written", a, addr);
	}
}

/* Every offset and width of every hidden function once, reads and writes. */
static void
sweep_config(void)
{
	for (int i = 0; i < nhidden; i++)
		for (unsigned off = 0; off < 256; off++)
			for (unsigned w = 1; w <= 4; w <<= 1) {
				uint32_t v;

				if ((off & 3) + w > 4)
					continue;
				outl(CFG_ADDR(hidden[i].bus, hidden[i].dev, hidden[i].fn, off), 0xcf8);
				out_w(0xcfc + (off & 3), w, (uint32_t)rnd());
				cfg_writes++;
				v = in_w(0xcfc + (off & 3), w);
				cfg_reads++;
				if (v != ones(w))
					violation("sweep: hidden %02x:%02x.%x offset %#x width %u read %#x",
						  hidden[i].bus, hidden[i].dev, hidden[i].fn, off, w, v);
			}
}

/* --- the hidden controllers' I/O ports ------------------------------------ */

static void
fuzz_io(void)
{
	const struct hidden_io *h = &hio[rnd() % nhio];
	unsigned w = 1u << (rnd() % 3);
	/* any access that touches the range, straddling either end too */
	uint16_t port = (uint16_t)(h->base - (w - 1) + rnd() % (h->len + w - 1));

	if (rnd() % 8 == 0) {	/* string I/O: the VMM drops it */
		uint8_t buf[64];
		unsigned long n = 1 + rnd() % 4;
		void *p = buf;

		memset(buf, 0x5a, sizeof(buf));
		if (rnd() % 2) {
			if (w == 1)
				__asm__ volatile("rep insb" : "+D"(p), "+c"(n) : "d"(port) : "memory");
			else if (w == 2)
				__asm__ volatile("rep insw" : "+D"(p), "+c"(n) : "d"(port) : "memory");
			else
				__asm__ volatile("rep insl" : "+D"(p), "+c"(n) : "d"(port) : "memory");
			for (size_t i = 0; i < sizeof(buf); i++)
				if (buf[i] != 0x5a) {
					violation("string input from hidden port %#x (width %u) stored %#x", port, w, buf[i]);
					break;
				}
		} else {
			const void *q = buf;

			if (w == 1)
				__asm__ volatile("rep outsb" : "+S"(q), "+c"(n) : "d"(port) : "memory");
			else if (w == 2)
				__asm__ volatile("rep outsw" : "+S"(q), "+c"(n) : "d"(port) : "memory");
			else
				__asm__ volatile("rep outsl" : "+S"(q), "+c"(n) : "d"(port) : "memory");
		}
		str_ios++;
		return;
	}
	if (rnd() % 3 == 0) {
		out_w(port, (int)w, (uint32_t)rnd());
		io_writes++;
	}
	{
		uint32_t v = in_w(port, (int)w);

		io_reads++;
		if (v != ones((int)w))
			violation("hidden port %#x width %u read %#x", port, w, v);
	}
}

static void
sweep_io(void)
{
	for (int i = 0; i < nhio; i++)
		for (unsigned w = 1; w <= 4; w <<= 1)
			for (unsigned port = hio[i].base - (w - 1); port < hio[i].base + hio[i].len; port++) {
				uint32_t v;

				out_w((uint16_t)port, (int)w, (uint32_t)rnd());
				io_writes++;
				v = in_w((uint16_t)port, (int)w);
				io_reads++;
				if (v != ones((int)w))
					violation("sweep: hidden port %#x width %u read %#x", port, w, v);
			}
}

/* --- setup ------------------------------------------------------------------ */

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static long
cmdline_opt(const char *name, long dflt)
{
	char buf[4096] = "", key[64], *p;
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	snprintf(key, sizeof(key), "%s=", name);
	p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 0) : dflt;
}

static void
map_buffers(void)
{
	int fd;

	good = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ro = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	absent = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (good == MAP_FAILED || ro == MAP_FAILED || absent == MAP_FAILED) {
		perror("bvhostile: mmap");
		exit(2);
	}
	mprotect(good + 2 * PAGE, PAGE, PROT_NONE);	/* the guard: output past it is -EFAULT */
	memset(ro, 'r', PAGE);
	mprotect(ro, PAGE, PROT_READ);
	absent[0] = 1;			/* the first page present, the second not */
	/* The VMM's own memory, reserved in the guest's e820 map: mapped
	 * through /dev/mem (the page tables then point there), never touched
	 * (that would be a nested page fault that stops the guest). */
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd >= 0) {
		vmm_pages = 4;
		vmm_map = mmap(NULL, vmm_pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, VMM_PHYS);
		if (vmm_map == MAP_FAILED)
			vmm_map = NULL;
		cross_vmm = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (cross_vmm != MAP_FAILED) {
			cross_vmm[0] = 1;
			if (mmap(cross_vmm + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
				 VMM_PHYS) == MAP_FAILED)
				cross_vmm = NULL;
		} else {
			cross_vmm = NULL;
		}
		close(fd);
	}
	printf("bvhostile: VMM memory at %#lx %s through /dev/mem\n", VMM_PHYS,
	       vmm_map ? "mapped" : "not mappable (boot the guest with iomem=relaxed)");
}

int
main(int argc, char **argv)
{
	unsigned a, b, c, d;
	char sig[13] = { 0 };
	double t0, secs;
	uint64_t seed, mix[3] = { 0 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	secs = argc > 1 ? atof(argv[1]) : (double)cmdline_opt("bv.hostile", 10);
	seed = (uint64_t)cmdline_opt("bv.hostile_seed", 0);
	if (!seed)
		seed = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	rng_state = seed | 1;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4), memcpy(sig + 4, &c, 4), memcpy(sig + 8, &d, 4);
	if (strcmp(sig, "blobvisor-hv")) {
		fprintf(stderr, "bvhostile: not running under blobvisor (signature \"%s\")\n", sig);
		return 2;
	}
	if (iopl(3) < 0) {
		perror("bvhostile: iopl");
		return 2;
	}
	map_buffers();
	learn_hidden();
	outl(CFG_ADDR(0, 0, 0, 0), 0xcf8);
	host_bridge_id = inl(0xcfc);
	printf("bvhostile: seed %#" PRIx64 ", %.0f s; the VMM keeps %d PCI functions, %d I/O ranges; host bridge %08x\n",
	       seed, secs, nhidden, nhio, host_bridge_id);
	for (int i = 0; i < nhidden; i++)
		printf("bvhostile: hidden function %02x:%02x.%x\n", hidden[i].bus, hidden[i].dev, hidden[i].fn);
	for (int i = 0; i < nhio; i++)
		printf("bvhostile: hidden ports %#x-%#x\n", hio[i].base, hio[i].base + hio[i].len - 1);
	if (!nhidden || !nhio)
		violation("the VMM's `pci list' / `usb list' named no hidden function or port range");
	{	/* dis reads code only for the guest: not the local APIC's registers */
		static char out[65536];

		if (vmm_command("dis 0xfee00000 4", out, sizeof(out)) < 0 ||
		    !strstr(out, "not code of the VMM or of a blob"))
			violation("`dis 0xfee00000 4' was not refused: %.200s", out);
		/* (without Zydis as a module it cannot decode, but it may try) */
		if (vmm_command("dis cmd_version 2", out, sizeof(out)) < 0 || strstr(out, "not code of"))
			violation("`dis cmd_version 2' (the VMM's code) was refused: %.200s", out);
		else
			printf("bvhostile: dis: the VMM's code yes, the local APIC's registers no\n");
	}
	sweep_config();
	sweep_io();
	t0 = now();
	while (now() - t0 < secs) {
		for (int i = 0; i < 64; i++) {
			unsigned what = rnd() % 3;

			if (what == 0 || (what == 1 && !nhidden) || (what == 2 && !nhio))
				fuzz_vmmcall(), mix[0]++;
			else if (what == 1)
				fuzz_config(), mix[1]++;
			else
				fuzz_io(), mix[2]++;
		}
		check_host_bridge();
	}
	sweep_config();
	sweep_io();
	check_host_bridge();
	printf("bvhostile: %" PRIu64 " VMMCALLs: %" PRIu64 " ok, %" PRIu64 " -EPERM, %" PRIu64 " -EFAULT, %" PRIu64
	       " -E2BIG, %" PRIu64 " -ENOSYS, %" PRIu64 " -EINVAL, %" PRIu64 " -ENOMEM, %" PRIu64
	       " -ENODEV, %" PRIu64 " other\n",
	       hc_calls, hc_by_result[RES_OK], hc_by_result[RES_EPERM], hc_by_result[RES_EFAULT], hc_by_result[RES_E2BIG],
	       hc_by_result[RES_ENOSYS], hc_by_result[RES_EINVAL], hc_by_result[RES_ENOMEM], hc_by_result[RES_ENODEV],
	       hc_by_result[RES_OTHER]);
	printf("bvhostile: hidden configuration space: %" PRIu64 " reads (all ones), %" PRIu64 " writes\n",
	       cfg_reads, cfg_writes);
	printf("bvhostile: hidden ports: %" PRIu64 " reads (all ones), %" PRIu64 " writes, %" PRIu64 " string I/O\n",
	       io_reads, io_writes, str_ios);
	printf("bvhostile: %.1f s, %lu violations\n", now() - t0, violations);
	return violations ? 1 : 0;
}
