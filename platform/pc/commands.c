/* dbgsh commands of the bare-metal platform: `pc info' (what the boot found),
 * `pc file' (a multiboot module as plat_file_read returns it), `pc check'
 * (the platform's own guarantees, each provoked and verified on the
 * machine) and `pc spin' (a runaway loop for the watchdog to stop). */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/errno.h>
#include <core/fault.h>
#include <core/heap.h>
#include <core/pages.h>
#include <core/panic.h>
#include <core/platform.h>
#include <core/recover.h>
#include <core/string.h>
#include <pc/xsave.h>
#include "pc.h"

u64 pc_fpu_probe(u64 pattern);
extern const u8 pc_fpu_probe_skip[];
void pc_fpu_clobber(void);
u64 pc_ymm_probe(u64 pattern);
extern const u8 pc_ymm_probe_skip[];
void pc_ymm_clobber(void);
u64 pc_fs_read_canary(void);
void pc_call(void *code);

static int
cmd_pc_info(int argc, char **argv)
{
	u64 boot_ns = (rdtsc() - pc_boot_tsc()) * 1000 / (pc_tsc_hz() / 1000000);

	kprintf("boot: %s; ACPI RSDP at %#llx\n", pc_efi_rsdp ? "UEFI (blobvisor.efi)" : "multiboot",
		(unsigned long long)pc_acpi_rsdp());
	kprintf("command line: %s\n", pc_cmdline());
	for (int i = 0; i < pc_nram; i++)
		kprintf("ram: %#llx-%#llx (%llu KiB)\n", (unsigned long long)pc_ram[i].base,
			(unsigned long long)(pc_ram[i].base + pc_ram[i].len - 1),
			(unsigned long long)pc_ram[i].len >> 10);
	kprintf("page allocator region: %#llx-%#llx (%llu MiB)\n",
		(unsigned long long)pc_region_base,
		(unsigned long long)(pc_region_base + pc_region_len - 1),
		(unsigned long long)pc_region_len >> 20);
	kprintf("tsc: %llu kHz; apic timer: %llu kHz; up %llu ms; wall clock %llu s\n",
		(unsigned long long)pc_tsc_hz() / 1000,
		(unsigned long long)pc_apic_timer_hz() / 1000,
		(unsigned long long)boot_ns / 1000000, (unsigned long long)plat_wall_seconds());
	if (pc_xsave_on)
		kprintf("xsave: on, XCR0 %#llx, %u-byte area (%u for every component)\n",
			(unsigned long long)pc_xcr0, pc_xsave_size, pc_xsave_max);
	else
		kprintf("xsave: off (the CPU has no XSAVE): FXSAVE\n");
	kprintf("interrupt stacks used: #PF %zu, #DF %zu, NMI/#MC %zu, watchdog %zu bytes\n",
		pc_ist_used(0), pc_ist_used(1), pc_ist_used(2), pc_ist_used(3));
	for (int i = 0; i < pc_nmodules; i++)
		kprintf("module %d: %p, %zu bytes: %s\n", i, pc_modules[i].data,
			pc_modules[i].len, pc_modules[i].name);
	return 0;
}
DBGSH_COMMAND("pc info", cmd_pc_info, "memory map, region, clocks and modules found at boot");

/* POSIX cksum (CRC-32, polynomial 0x04C11DB7, MSB first, length appended):
 * the test compares against the host's cksum(1). */
static u32
crc_byte(u32 crc, u8 b)
{
	crc ^= (u32)b << 24;
	for (int i = 0; i < 8; i++)
		crc = crc & 0x80000000u ? crc << 1 ^ 0x04c11db7u : crc << 1;
	return crc;
}

static int
cmd_pc_file(int argc, char **argv)
{
	void *buf;
	size_t len;
	u32 crc = 0;
	int err;

	if (argc != 2) {
		kprintf("pc file: usage: pc file PATH\n");
		return 1;
	}
	err = plat_file_read(argv[1], &buf, &len);
	if (err) {
		kprintf("pc file: %s: %s\n", argv[1], err == -ENOENT ? "no such module" : "cannot read");
		return 1;
	}
	for (size_t i = 0; i < len; i++)
		crc = crc_byte(crc, ((u8 *)buf)[i]);
	for (size_t n = len; n; n >>= 8)
		crc = crc_byte(crc, n & 0xff);
	kprintf("%s: %zu bytes, cksum %u\n", argv[1], len, ~crc);
	heap_free(buf);
	return 0;
}
DBGSH_COMMAND("pc file", cmd_pc_file, "read a multiboot module through plat_file_read: pc file PATH");

/* Expected faults: while a probe runs, this hook records the fault and
 * unwinds to the probe's recovery point without a report. */
static bool probing;
static u64 probe_vec, probe_err, probe_ns;

static bool
probe_hook(struct cpu_regs *r)
{
	if (!probing)
		return false;
	if (r->vector == VEC_BP && r->rip == (u64)pc_fpu_probe_skip) {
		pc_fpu_clobber();	/* pc_fpu_probe: clobber, step on */
		r->rip += 4;		/* over the pxor */
		return true;
	}
	if (r->vector == VEC_BP && r->rip == (u64)pc_ymm_probe_skip) {
		pc_ymm_clobber();
		r->rip += 4;		/* over the vpxor */
		return true;
	}
	probe_vec = r->vector;
	probe_err = r->error_code;
	probe_ns = plat_time_ns();
	recover_redirect(r);
	return true;
}

static struct fault_hook hook = { -1000, probe_hook, NULL };

/* Run fn(arg) expecting a fault; returns the vector + 1, or 0 if none. */
static int
probe(long (*fn)(void *), void *arg)
{
	long ret;
	int v;

	static bool registered;

	if (!registered)
		fault_hook_register(&hook);
	registered = true;
	probe_vec = probe_err = 0;
	probing = true;
	v = recover_call(fn, arg, &ret);
	probing = false;
	return v;
}

static long
do_write(void *p)
{
	*(volatile u8 *)p = *(volatile u8 *)p;
	return 0;
}

static long
do_read(void *p)
{
	return *(volatile u8 *)p;
}

static long
do_call(void *p)
{
	pc_call(p);
	return 0;
}

static long
do_spin(void *p)
{
	for (;;)
		__builtin_ia32_pause();
	return 0;
}

static int failures;

static void
expect(const char *what, bool ok)
{
	kprintf("pc check: %s: %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

#define PF_P 1
#define PF_W 2
#define PF_I 16

static void
check_wx(void)
{
	static u8 data_ret[16] __attribute__((aligned(16))) = { 0xc3 };
	extern const u8 __rodata_start[];
	u8 *page = pages_alloc(1);
	int v;

	v = probe(do_write, (void *)cmd_pc_info);
	expect("core text is not writable", v == VEC_PF + 1 && (probe_err & (PF_P | PF_W)) == (PF_P | PF_W));
	v = probe(do_write, (void *)__rodata_start);
	expect("core rodata is not writable", v == VEC_PF + 1 && (probe_err & PF_W));
	v = probe(do_call, data_ret);
	expect("core data is not executable", v == VEC_PF + 1 && (probe_err & PF_I));
	v = probe(do_read, (void *)16);
	expect("page 0 is not mapped", v == VEC_PF + 1 && !(probe_err & PF_P));
	v = probe(do_read, pc_stack_guard + 8);
	expect("the stack's guard page is not mapped", v == VEC_PF + 1);
	if (!page) {
		expect("a page from the allocator", false);
		return;
	}
	page[0] = 0xc3;		/* ret */
	v = probe(do_call, page);
	expect("a fresh allocator page is not executable", v == VEC_PF + 1 && (probe_err & PF_I));
	expect("plat_protect R+X", plat_protect(page, PAGE_SIZE, PROT_R | PROT_X) == 0);
	expect("  ... the page runs", probe(do_call, page) == 0);
	v = probe(do_write, page);
	expect("  ... and is not writable", v == VEC_PF + 1 && (probe_err & PF_W));
	expect("plat_protect R", plat_protect(page, PAGE_SIZE, PROT_R) == 0);
	expect("  ... the page reads", probe(do_read, page) == 0);
	v = probe(do_call, page);
	expect("  ... and does not run", v == VEC_PF + 1 && (probe_err & PF_I));
	expect("plat_protect none", plat_protect(page, PAGE_SIZE, 0) == 0);
	expect("  ... the page does not read", probe(do_read, page) == VEC_PF + 1);
	expect("plat_protect refuses core text",
	       plat_protect((void *)ALIGN_DOWN((u64)cmd_pc_info, PAGE_SIZE), PAGE_SIZE,
			    PROT_R | PROT_W) == -EINVAL);
	expect("plat_protect refuses an unaligned address",
	       plat_protect(page + 1, 16, PROT_R) == -EINVAL);
	expect("plat_protect R+W", plat_protect(page, PAGE_SIZE, PROT_R | PROT_W) == 0);
	expect("  ... the page writes again", probe(do_write, page) == 0);
	pages_free(page, 1);
}

static void
check_fs(void)
{
	u64 *tcb = heap_zalloc(64);
	u64 old = plat_get_fs_base();

	tcb[0] = (u64)tcb;
	tcb[5] = 0x5a17c0de0badf00dULL;	/* the canary slot, %fs:0x28 */
	plat_set_fs_base((u64)tcb);
	expect("FS base reads back", plat_get_fs_base() == (u64)tcb);
	expect("%fs:0x28 reads the TCB's canary", pc_fs_read_canary() == tcb[5]);
	plat_set_fs_base(old);
	heap_free(tcb);
}

static long
fpu_probe(void *arg)
{
	return pc_fpu_probe(0x1122334455667788ULL) == 0x1122334455667788ULL;
}

static void
check_fpu(void)
{
	long same = 0;

	probe(fpu_probe, NULL);		/* registers the hook */
	probing = true;
	same = fpu_probe(NULL);
	probing = false;
	expect("SSE state survives an exception whose handler clobbers it and edits RIP", same);
	if (!(pc_xcr0 & XCR0_AVX)) {
		kprintf("pc check: YMM state not checked: %s\n",
			pc_xsave_on ? "the CPU has no AVX" : "the CPU has no XSAVE");
		return;
	}
	probing = true;
	same = pc_ymm_probe(0x8877665544332211ULL) == 0x8877665544332211ULL;
	probing = false;
	expect("AVX state (YMM upper halves) survives an exception whose handler clobbers it", same);
}

static void
check_watchdog(void)
{
	u64 t0 = plat_time_ns(), ms;
	int v;

	plat_watchdog_arm(50 * 1000000ULL);
	v = probe(do_spin, NULL);
	plat_watchdog_arm(0);
	ms = (probe_ns - t0) / 1000000;
	kprintf("pc check: watchdog fired after %llu ms (armed for 50)\n", (unsigned long long)ms);
	expect("the watchdog stops a spinning loop", v == VEC_WATCHDOG + 1);
	expect("  ... not early and not much later", ms >= 50 && ms < 1000);
	t0 = plat_time_ns();
	plat_watchdog_arm(20 * 1000000ULL);
	plat_watchdog_arm(0);
	while (plat_time_ns() - t0 < 60 * 1000000ULL)
		__builtin_ia32_pause();
	expect("a disarmed watchdog stays quiet", 1);	/* else we would have been unwound */
}

static long
do_noncanonical(void *p)
{
	return *(volatile u64 *)0x8000000000000000ULL;
}

static void
check_df(void)
{
	int v = probe(do_noncanonical, NULL);

	expect("a non-canonical address raises #GP", v == VEC_GP + 1);
	/* #GP delivered through an absent gate raises #NP: two contributory
	 * exceptions make a #DF, which has its own IST stack. */
	pc_idt_gate_present(VEC_GP, false);
	v = probe(do_noncanonical, NULL);
	pc_idt_gate_present(VEC_GP, true);
	expect("#GP through an absent gate is a #DF, and it is recovered", v == VEC_DF + 1);
}

static void
check_random(void)
{
	u64 a = plat_random_u64(), b = plat_random_u64();

	expect("plat_random_u64 gives different values", a != b);
}

static void
check_time(void)
{
	u64 a = plat_time_ns(), b;

	for (volatile int i = 0; i < 1000; i++)
		;
	b = plat_time_ns();
	expect("plat_time_ns advances", b > a);
	expect("the TSC rate was measured", pc_tsc_hz() > 100000000ULL);
	/* Against the RTC: TSC time between two second flips two seconds
	 * apart (bounded by a TSC-independent count of RTC reads). */
	{
		unsigned s = pc_rtc_second(), flips = 0;
		u64 t0 = 0, t1 = 0, ms;

		for (u64 reads = 0; flips < 3 && reads < 100000000ULL; reads++) {
			unsigned now = pc_rtc_second();

			if (now == s)
				continue;
			s = now;
			if (++flips == 1)
				t0 = plat_time_ns();
			else
				t1 = plat_time_ns();
		}
		ms = (t1 - t0) / 1000000;
		kprintf("pc check: two RTC seconds took %llu ms of TSC time\n",
			(unsigned long long)ms);
		expect("TSC time agrees with the RTC within 5%", flips == 3 && ms >= 1900 && ms <= 2100);
	}
}

static int
cmd_pc_check(int argc, char **argv)
{
	static const struct { const char *name; void (*fn)(void); } checks[] = {
		{ "wx", check_wx }, { "fs", check_fs }, { "fpu", check_fpu },
		{ "time", check_time }, { "watchdog", check_watchdog },
		{ "df", check_df }, { "random", check_random },
	};
	int ran = 0;

	failures = 0;
	for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
		if (argc > 1 && strcmp(argv[1], checks[i].name))
			continue;
		checks[i].fn();
		ran++;
	}
	if (!ran) {
		kprintf("pc check: `%s': not one of wx, fs, fpu, time, watchdog, df, random\n", argv[1]);
		return 1;
	}
	kprintf("pc check: %d failed\n", failures);
	return failures != 0;
}
DBGSH_COMMAND("pc check", cmd_pc_check, "verify W^X, plat_protect, FS base, FPU isolation, time, watchdog: pc check [wx|fs|fpu|time|watchdog|df|random]");

static int
cmd_pc_spin(int argc, char **argv)
{
	u64 ms = 100;

	if (argc > 1 && !dbgsh_parse_u64(argv[1], &ms)) {
		kprintf("pc spin: `%s' is not a number of milliseconds\n", argv[1]);
		return 1;
	}
	plat_watchdog_arm(ms * 1000000ULL);
	do_spin(NULL);
	return 0;
}
DBGSH_COMMAND("pc spin", cmd_pc_spin, "spin with the blob watchdog armed for MS ms: pc spin [MS]");

static int
cmd_pc_panic(int argc, char **argv)
{
	panic("pc panic: on request");
}
DBGSH_COMMAND("pc panic", cmd_pc_panic, "panic on purpose: the message, then power off with status 99");

/* A checksum of the VMM's text and rodata (FNV-1a, 64 bits): tests take it
 * before and after a hostile blob runs, to show nothing changed. */
static int
cmd_pc_cksum(int argc, char **argv)
{
	extern const u8 __executable_start[], __data_start[];
	u64 h = 0xcbf29ce484222325ULL;

	for (const u8 *p = __executable_start; p < __data_start; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	kprintf("pc cksum: text+rodata %#llx-%#llx fnv1a %016llx\n",
		(unsigned long long)(u64)__executable_start, (unsigned long long)(u64)__data_start,
		(unsigned long long)h);
	return 0;
}
DBGSH_COMMAND("pc cksum", cmd_pc_cksum, "checksum of the VMM's text and rodata (FNV-1a)");
