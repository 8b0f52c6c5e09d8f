/* The local APIC, used for one thing: the blob watchdog, a one-shot timer
 * armed only while a blob runs.  Its interrupt (PC_VEC_WATCHDOG) arrives in
 * whatever context runs, on its own interrupt stack, and goes to the core's
 * fault handler as VEC_WATCHDOG, which unwinds the blob like any fault.
 *
 * Under the hypervisor the local APIC belongs to the guest, so this timer
 * cannot be the watchdog there: blobs will run in host mode while the guest
 * is stopped, bounded by a TSC deadline that a host-owned timer checks (VT-x:
 * the VMX-preemption timer; SVM: the host keeps the physical APIC timer and
 * virtualises the guest's timer registers, reinjecting the guest's ticks),
 * behind the same plat_watchdog_arm interface.
 */
#include <core/platform.h>
#include "pc.h"

#define APIC_TPR	0x080
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_ERROR	0x370
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DIV	0x3e0
#define LVT_MASKED	(1u << 16)
#define DIV_128		0x0a

static volatile u32 *apic;
u64 pc_apic_mmio;	/* the same, for smp_asm.S's wake stub */
static u64 timer_hz;

static u32
rd(u32 reg)
{
	return apic[reg / 4];
}

static void
wr(u32 reg, u32 v)
{
	apic[reg / 4] = v;
}

void
pc_apic_eoi(void)
{
	wr(APIC_EOI, 0);
}

u64
pc_apic_timer_hz(void)
{
	return timer_hz;
}

/* The timer's rate against the (already calibrated) TSC: count down for
 * about 5 ms of TSC time. */
static void
calibrate(void)
{
	u64 t0, t1, tsc_hz = pc_tsc_hz();
	u32 c1;

	wr(APIC_LVT_TIMER, LVT_MASKED | PC_VEC_WATCHDOG);
	wr(APIC_TIMER_DIV, DIV_128);
	wr(APIC_TIMER_INIT, 0xffffffff);
	t0 = rdtsc();
	while (rdtsc() - t0 < tsc_hz / 200)
		__builtin_ia32_pause();
	c1 = rd(APIC_TIMER_CUR);
	t1 = rdtsc();
	wr(APIC_TIMER_INIT, 0);
	timer_hz = (u64)((unsigned __int128)(0xffffffffu - c1) * tsc_hz / (t1 - t0));
	if (!timer_hz)
		timer_hz = 1;
}

#define APIC_BASE_X2	(1ULL << 10)	/* x2APIC mode */
#define APIC_BASE_EN	(1ULL << 11)

/* The VMM's setup: xAPIC mode at the address it mapped, timer idle. */
static void
setup(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	/* x2APIC mode (a guest may have switched to it) is left only by
	 * disabling the APIC first. */
	if (base & APIC_BASE_X2)
		wrmsr(MSR_APIC_BASE, base & ~(APIC_BASE_X2 | APIC_BASE_EN));
	wrmsr(MSR_APIC_BASE, ((base & 0xfffULL) & ~APIC_BASE_X2) | APIC_BASE_EN | (u64)apic);
	wr(APIC_SVR, 0x100 | PC_VEC_SPURIOUS);
	wr(APIC_TPR, 0);
	wr(APIC_LVT_LINT0, LVT_MASKED);
	wr(APIC_LVT_ERROR, LVT_MASKED | PC_VEC_SPURIOUS);
	wr(APIC_TIMER_INIT, 0);
	wr(APIC_LVT_TIMER, LVT_MASKED | PC_VEC_WATCHDOG);
}

/* With the firmware as the guest, its local APIC setup is its own: OVMF's
 * timer interrupt reaches the CPU through the 8259 and LINT0 in ExtINT
 * mode, which the VMM's setup masks.  Saved before the VMM touches the APIC,
 * given back whenever the guest gets the APIC (pc_apic_lend). */
static const u16 fw_regs[] = {
	APIC_TPR, 0x0d0 /* LDR */, 0x0e0 /* DFR */, 0x320 /* LVT timer */, 0x330 /* thermal */,
	0x340 /* perf */, APIC_LVT_LINT0, 0x360 /* LINT1 */, APIC_LVT_ERROR, APIC_TIMER_DIV,
	APIC_TIMER_INIT, APIC_SVR,	/* SVR last: it enables the rest */
};
static u32 fw_vals[sizeof(fw_regs) / sizeof(fw_regs[0])];

void
pc_apic_init(void)
{
	u64 base = rdmsr(MSR_APIC_BASE) & 0xfffff000ULL;

	pc_paging_map_mmio(base);
	apic = (volatile u32 *)base;
	pc_apic_mmio = base;
	if (pc_efi_fw)
		for (unsigned i = 0; i < ARRAY_SIZE(fw_regs); i++)
			fw_vals[i] = rd(fw_regs[i]);
	setup();
	calibrate();
}

#define APIC_ID		0x020
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310
#define ICR_PENDING	(1u << 12)

u32
pc_apic_read(u32 reg)
{
	return rd(reg);
}

void
pc_apic_write(u32 reg, u32 v)
{
	wr(reg, v);
}

void
pc_apic_init_ap(void)
{
	setup();
}

void
pc_apic_reset_local(void)
{
	setup();
}

u32
pc_apic_id(void)
{
	return rd(APIC_ID) >> 24;
}

/* xAPIC: the destination in ICR high, then the command; wait for the
 * previous one to leave first. */
void
pc_apic_send_ipi(u32 apic_id, u32 icr_low)
{
	while (rd(APIC_ICR_LO) & ICR_PENDING)
		__builtin_ia32_pause();
	wr(APIC_ICR_HI, apic_id << 24);
	wr(APIC_ICR_LO, icr_low);
}

/* Set only here: while a guest owns the APIC the VMM leaves its registers
 * alone (plat_watchdog_arm does nothing). */
static bool lent;

void
pc_apic_lend(void)
{
	if (lent)
		return;
	wr(APIC_TIMER_INIT, 0);
	wr(APIC_LVT_TIMER, LVT_MASKED | PC_VEC_WATCHDOG);
	if (pc_efi_fw)
		for (unsigned i = 0; i < ARRAY_SIZE(fw_regs); i++)
			wr(fw_regs[i], fw_vals[i]);
	lent = true;
}

void
pc_apic_reclaim(void)
{
	if (!lent)
		return;
	setup();
	lent = false;
}

bool
pc_apic_is_lent(void)
{
	return lent;
}

void
plat_watchdog_arm(u64 ns)
{
	u64 count;

	/* The guest owns the local APIC once a hypervisor guest runs: no
	 * preemptive watchdog for blobs then (docs/architecture.md). */
	if (lent)
		return;
	wr(APIC_TIMER_INIT, 0);		/* stops a running countdown */
	if (!ns) {
		wr(APIC_LVT_TIMER, LVT_MASKED | PC_VEC_WATCHDOG);
		return;
	}
	count = (u64)((unsigned __int128)ns * timer_hz / 1000000000ULL);
	count = count ? MIN(count, 0xffffffffULL) : 1;	/* ~9 minutes at most */
	wr(APIC_LVT_TIMER, PC_VEC_WATCHDOG);		/* one-shot, unmasked */
	wr(APIC_TIMER_DIV, DIV_128);
	wr(APIC_TIMER_INIT, (u32)count);
}
