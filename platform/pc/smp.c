/* The other processors.  The ACPI MADT lists the local APICs; each enabled
 * one other than ours gets INIT-SIPI-SIPI (smp_asm.S's trampoline), its own
 * stack, GDT and TSS with interrupt stacks, and the shared IDT, then waits
 * halted in pc_ap_main for work the BSP hands it (pc_smp_call), woken by an
 * IPI.  An AP only runs what is given to it, one call at a time; once a
 * hypervisor guest starts, each AP waits for the guest's INIT/SIPI and then
 * runs that guest CPU under the VMM (pc_smp_start_guest_cpu).  `pc cpus' lists them and
 * proves each one answers (it reads its own APIC ID). */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/init.h>
#include <core/options.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include <pc/smp.h>
#include <pc/xsave.h>
#include "pc.h"

#define TRAMPOLINE	0x8000ULL	/* below 1 MiB, 4 KiB-aligned: the SIPI vector is its page */
#define AP_STACK_PAGES	8		/* 32 KiB above a guard page */
#define ICR_INIT	0x4500		/* INIT, level assert */
#define ICR_SIPI	0x4600		/* start-up, level assert, | vector */

extern const u8 ap_tramp_start[], ap_tramp_end[], ap_tramp_gdtr[], ap_tramp_jmp32[];
extern const u32 ap_tramp_gdt_off, ap_tramp_prot32_off;

/* Read by ap_start64 while the AP has no stack: its stack top, the VMM's
 * CR3, its struct pc_cpu.  APs start one at a time. */
struct {
	u64 stack_top, cr3, cpu;
} pc_ap_boot;

static struct pc_cpu cpus[PC_MAX_CPUS];
static int ncpus, nmadt;
static bool no_smp, given;

static const char *
set_nosmp(struct boot_options *opt, const char *val)
{
	no_smp = true;
	return NULL;
}
OPTION("nosmp", NULL, set_nosmp, "leave the other processors alone (waiting for INIT/SIPI)");

static void
delay_us(u64 us)
{
	u64 t0 = rdtsc(), n = pc_tsc_hz() / 1000000 * us;

	while (rdtsc() - t0 < n)
		__builtin_ia32_pause();
}

/* The MADT's enabled local APICs, BSP first; more than PC_MAX_CPUS or an
 * x2APIC-only ID (above 254, which xAPIC mode cannot address) is left out
 * with one line. */
static void
read_madt(u32 bsp_id)
{
	u32 len;
	u64 pa = pc_acpi_table("APIC", &len);
	const u8 *t, *e;

	cpus[0] = (struct pc_cpu){ .index = 0, .apic_id = bsp_id, .state = PC_CPU_ONLINE,
				   .seen_apic_id = bsp_id };
	ncpus = 1;
	if (!pa) {
		kprintf("pc: no ACPI MADT: one CPU\n");
		return;
	}
	t = pc_acpi_map(pa, len);
	for (e = t + 44; e + 2 <= t + len && e[1] >= 2; e += e[1]) {
		u32 id, flags;

		if (e[0] == 0 && e[1] >= 8) {
			id = e[3];
			flags = *(const u32 *)(e + 4);
		} else if (e[0] == 9 && e[1] >= 16) {
			id = *(const u32 *)(e + 4);
			flags = *(const u32 *)(e + 8);
		} else {
			continue;
		}
		if (!(flags & 1))
			continue;
		nmadt++;
		if (id == bsp_id)
			continue;
		if (id > 254) {
			kprintf("pc: CPU with x2APIC ID %u: not started (xAPIC mode only)\n", id);
			continue;
		}
		if (ncpus == PC_MAX_CPUS) {
			kprintf("pc: CPU with APIC ID %u: not started (more than %d CPUs)\n", id, PC_MAX_CPUS);
			continue;
		}
		cpus[ncpus] = (struct pc_cpu){ .index = ncpus, .apic_id = id };
		ncpus++;
	}
}

/* The trampoline's page must be RAM nobody else uses at this point: the
 * VMM keeps its own memory above 1 MiB, and a guest starts later. */
static bool
trampoline_page_ok(void)
{
	const struct pc_e820 *e;

	for (int i = 0; (e = pc_e820_at(i)); i++)
		if (e->type == 1 && e->base <= TRAMPOLINE && e->base + e->len >= TRAMPOLINE + PAGE_SIZE)
			return true;
	return false;
}

static void
place_trampoline(void)
{
	u8 *p = (u8 *)TRAMPOLINE;
	u32 gdt = (u32)TRAMPOLINE + ap_tramp_gdt_off, prot32 = (u32)TRAMPOLINE + ap_tramp_prot32_off;

	memcpy(p, ap_tramp_start, ap_tramp_end - ap_tramp_start);
	memcpy(p + (ap_tramp_gdtr - ap_tramp_start) + 2, &gdt, 4);
	memcpy(p + (ap_tramp_jmp32 - ap_tramp_start), &prot32, 4);
}

static bool
start_one(struct pc_cpu *c)
{
	u8 *stack = pages_alloc(AP_STACK_PAGES + 1);
	u64 cr3;

	if (!stack) {
		kprintf("pc: cpu %d (APIC %u): no memory for its stack\n", c->index, c->apic_id);
		return false;
	}
	plat_protect(stack, PAGE_SIZE, 0);	/* guard page */
	c->stack = stack;
	if (pc_cpu_alloc_ist(c))
		return false;
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pc_ap_boot.stack_top = (u64)(stack + (AP_STACK_PAGES + 1) * PAGE_SIZE);
	pc_ap_boot.cr3 = cr3;
	pc_ap_boot.cpu = (u64)c;
	c->state = PC_CPU_STARTING;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	pc_apic_send_ipi(c->apic_id, ICR_INIT);
	delay_us(10000);
	for (int sipi = 0; sipi < 2; sipi++) {
		pc_apic_send_ipi(c->apic_id, ICR_SIPI | (u32)(TRAMPOLINE >> 12));
		/* 200 us, then up to 5 s: far more than hardware needs, but an
		 * emulator's vCPU thread on a busy host may wait that long */
		for (int i = 0; i < (sipi ? 25000 : 2); i++) {
			if (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) == PC_CPU_ONLINE)
				return true;
			delay_us(200);
		}
	}
	c->state = PC_CPU_FAILED;
	kprintf("pc: cpu %d (APIC %u) did not start within 5 s of its SIPI\n", c->index, c->apic_id);
	return false;
}

static void
smp_init(void)
{
	read_madt(pc_apic_id());
	if (ncpus == 1 || no_smp)
		return;
	if (!trampoline_page_ok()) {
		kprintf("pc: %#llx is not free RAM for the AP trampoline: one CPU\n",
			(unsigned long long)TRAMPOLINE);
		return;
	}
	place_trampoline();
	for (int i = 1; i < ncpus; i++)
		start_one(&cpus[i]);
}
INITFUNC("30pc-smp", smp_init);

/* On the AP, from ap_start64: its own tables, its local APIC, then it waits
 * halted for work; the BSP's IPI (PC_VEC_WAKE) ends each hlt. */
void pc_ap_main(struct pc_cpu *c) __noreturn;

void
pc_ap_main(struct pc_cpu *c)
{
	pc_xsave_init_ap();
	pc_cpu_init_ap(c);
	pc_user_init_ap(&c->user, c->tss);
	pc_apic_init_ap();
	c->seen_apic_id = pc_apic_id();
	__atomic_store_n(&c->state, PC_CPU_ONLINE, __ATOMIC_RELEASE);
	for (;;) {
		void (*fn)(struct pc_cpu *);

		__asm__ volatile("cli" ::: "memory");
		fn = __atomic_load_n(&c->work, __ATOMIC_ACQUIRE);
		if (fn) {
			fn(c);
			c->calls++;
			__atomic_store_n(&c->work, NULL, __ATOMIC_RELEASE);
			continue;
		}
		/* sti takes effect after hlt: an IPI sent after the check still ends the hlt */
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}

int
pc_smp_call(int cpu, void (*fn)(struct pc_cpu *), u64 timeout_us)
{
	struct pc_cpu *c = &cpus[cpu];
	u64 t0, limit = pc_tsc_hz() / 1000000 * timeout_us;

	if (cpu <= 0 || cpu >= ncpus || c->state != PC_CPU_ONLINE)
		return -1;
	if (__atomic_load_n(&c->work, __ATOMIC_ACQUIRE))
		return -1;	/* still busy with an earlier call that timed out */
	__atomic_store_n(&c->work, fn, __ATOMIC_RELEASE);
	pc_apic_send_ipi(c->apic_id, PC_VEC_WAKE);
	t0 = rdtsc();
	while (__atomic_load_n(&c->work, __ATOMIC_ACQUIRE)) {
		if (rdtsc() - t0 > limit)
			return -1;
		__builtin_ia32_pause();
	}
	return 0;
}

void
pc_smp_give_to_guest(bool virtualized)
{
	int n = 0;

	if (given)
		return;
	given = true;
	for (int i = 1; i < ncpus; i++)
		if (cpus[i].state == PC_CPU_ONLINE) {
			cpus[i].state = virtualized ? PC_CPU_RESERVED : PC_CPU_GUEST;
			n++;
		}
	if (n && !virtualized)
		kprintf("pc: %d AP%s left to the guest: it may start %s with INIT/SIPI, "
			"outside the VMM (not virtualized by this backend)\n", n, n > 1 ? "s" : "",
			n > 1 ? "them" : "it");
}

/* The AP's side: the guest CPU's loop until it stops, then idle again
 * (not callable any more: the guest may still address it). */
static void
run_guest_cpu(struct pc_cpu *c)
{
	c->guest_fn(c->guest_arg);
	c->state = PC_CPU_RESERVED;
}

int
pc_smp_start_guest_cpu(int cpu, void (*fn)(void *), void *arg)
{
	struct pc_cpu *c = &cpus[cpu];

	if (cpu <= 0 || cpu >= ncpus || c->state != PC_CPU_RESERVED ||
	    __atomic_load_n(&c->work, __ATOMIC_ACQUIRE))
		return -1;
	c->guest_fn = fn;
	c->guest_arg = arg;
	c->state = PC_CPU_VCPU;
	__atomic_store_n(&c->work, run_guest_cpu, __ATOMIC_RELEASE);
	pc_apic_send_ipi(c->apic_id, PC_VEC_WAKE);
	return 0;
}

int
pc_ncpus(void)
{
	return ncpus;
}

int
pc_smp_this_cpu(void)
{
	int i = pc_smp_cpu_by_apic(pc_apic_id());

	return i < 0 ? 0 : i;
}

struct pc_percpu *
pc_smp_percpu(int cpu)
{
	return &cpus[cpu].user;
}

u32
pc_smp_apic_id(int cpu)
{
	return cpu >= 0 && cpu < ncpus ? cpus[cpu].apic_id : ~0u;
}

int
pc_smp_cpu_by_apic(u32 apic_id)
{
	for (int i = 0; i < ncpus; i++)
		if (cpus[i].apic_id == apic_id && cpus[i].state != PC_CPU_ABSENT &&
		    cpus[i].state != PC_CPU_FAILED)
			return i;
	return -1;
}

static void
ping(struct pc_cpu *c)
{
	c->seen_apic_id = pc_apic_id();
	c->answer_tsc = rdtsc();
}

static const char *const state_names[] = {
	[PC_CPU_ABSENT] = "absent", [PC_CPU_STARTING] = "starting",
	[PC_CPU_ONLINE] = "online", [PC_CPU_FAILED] = "failed to start",
	[PC_CPU_GUEST] = "left to the guest",
	[PC_CPU_RESERVED] = "waiting for the guest's INIT/SIPI",
	[PC_CPU_VCPU] = "runs a guest CPU under the VMM",
};

static int
cmd_pc_cpus(int argc, char **argv)
{
	int online = 0, answered = 0, started = 0;

	for (int i = 0; i < ncpus; i++) {
		struct pc_cpu *c = &cpus[i];

		if (c->state == PC_CPU_ONLINE)
			online++;
		if (c->state != PC_CPU_ABSENT)
			started++;
		if (i == 0) {
			kprintf("cpu 0: APIC %u, bootstrap processor (runs the VMM)\n", c->apic_id);
			answered++;
			continue;
		}
		if (c->state != PC_CPU_ONLINE) {
			kprintf("cpu %d: APIC %u, %s\n", i, c->apic_id, state_names[c->state]);
			continue;
		}
		c->seen_apic_id = ~0u;
		u64 t0 = rdtsc();
		if (pc_smp_call(i, ping, 2000000)) {
			kprintf("cpu %d: APIC %u, online, no answer within 2 s\n", i, c->apic_id);
			continue;
		}
		answered++;
		kprintf("cpu %d: APIC %u, online, answered in %llu us (reads APIC ID %u there; %llu calls)\n",
			i, c->apic_id,
			(unsigned long long)((c->answer_tsc - t0) / (pc_tsc_hz() / 1000000)),
			c->seen_apic_id, (unsigned long long)c->calls);
	}
	kprintf("%d CPUs in the MADT, %d started, %d online, %d answered%s\n", nmadt ? nmadt : 1,
		started, online, answered, no_smp ? " (nosmp)" : "");
	return answered == online ? 0 : 1;
}
DBGSH_COMMAND("pc cpus", cmd_pc_cpus, "list the processors; each AP answers a call");
