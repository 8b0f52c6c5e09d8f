/* SVM bring-up and the run loop.  One CPU, one guest: the VMCB intercepts
 * only what the VMM must see (VMRUN, SHUTDOWN, CPUID, VMMCALL, the EFER and
 * SVM MSRs, the VMM's serial port, and — through the nested page tables —
 * the VMM's memory); everything else runs natively. */
#include <core/console.h>
#include <core/pages.h>
#include <core/string.h>
#include <core/time.h>
#include <pc/apic.h>
#include <pc/io.h>
#include <pc/memmap.h>
#include <pc/xsave.h>
#include "svm.h"

#define EFER_SVME		(1ULL << 12)
#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117
#define VM_CR_SVMDIS		(1ULL << 4)
#define COM1			0x3f8

extern const u8 __executable_start[];

bool
svm_supported(const char **why)
{
	u32 r[4];

	cpuid(0x80000000, 0, r);
	if (r[0] < 0x8000000a) {
		*why = "no extended CPUID leaf 0x8000000a";
		return false;
	}
	cpuid(0x80000001, 0, r);
	if (!(r[2] & (1u << 2))) {
		*why = "the CPU has no SVM (QEMU: -cpu max under TCG)";
		return false;
	}
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		*why = "SVM is disabled by the firmware (VM_CR.SVMDIS)";
		return false;
	}
	cpuid(0x8000000a, 0, r);
	if (!(r[3] & 1)) {
		*why = "the CPU has no nested paging";
		return false;
	}
	return true;
}

static void *
zeroed_pages(size_t n)
{
	void *p = pages_alloc(n);

	if (p)
		memset(p, 0, n * PAGE_SIZE);
	return p;
}

static void
msrpm_intercept(u8 *msrpm, u32 msr)
{
	u32 base;

	if (msr < 0x2000)
		base = 0;
	else if (msr >= 0xc0000000 && msr < 0xc0002000)
		base = 0x800, msr -= 0xc0000000;
	else
		base = 0x1000, msr -= 0xc0010000;
	/* two bits per MSR: read, then write */
	msrpm[base + msr / 4] |= 3 << (msr % 4 * 2);
}

static void
iopm_intercept(u8 *iopm, u16 first, u16 last)
{
	for (u32 port = first; port <= last; port++)
		iopm[port / 8] |= 1 << (port % 8);
}

int
svm_vcpu_init(struct svm_vcpu *v)
{
	struct vmcb *vmcb;

	memset(v, 0, sizeof(*v));
	v->vmcb = vmcb = zeroed_pages(1);
	v->host_save = zeroed_pages(1);
	v->host_vmcb = zeroed_pages(1);
	v->iopm = zeroed_pages(3);	/* 12 KiB: one bit per port */
	v->msrpm = zeroed_pages(2);	/* 8 KiB */
	/* XSAVE areas, page-aligned and zeroed (XRSTOR wants the header's
	 * reserved bytes zero, and XSAVE never writes them) */
	v->guest_xs = zeroed_pages((MAX(pc_xsave_max, PC_XSAVE_AREA) + PAGE_SIZE - 1) / PAGE_SIZE);
	v->host_xs = zeroed_pages(1);
	if (!vmcb || !v->host_save || !v->host_vmcb || !v->iopm || !v->msrpm || !v->guest_xs ||
	    !v->host_xs)
		return -1;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (u64)v->host_save);
	v->vmcb_pa = (u64)vmcb;
	v->host_vmcb_pa = (u64)v->host_vmcb;

	msrpm_intercept(v->msrpm, MSR_EFER);
	msrpm_intercept(v->msrpm, MSR_VM_CR);
	msrpm_intercept(v->msrpm, MSR_VM_HSAVE_PA);
	iopm_intercept(v->iopm, COM1, COM1 + 7);
	pci_hide_setup(v->iopm);

	vmcb->c.intercept_misc1 = INTERCEPT_CPUID | INTERCEPT_IOIO | INTERCEPT_MSR |
				  INTERCEPT_SHUTDOWN;
	vmcb->c.intercept_misc2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL;
	vmcb->c.iopm_base_pa = (u64)v->iopm;
	vmcb->c.msrpm_base_pa = (u64)v->msrpm;
	vmcb->c.asid = 1;	/* QEMU refuses ASID 0 */
	vmcb->c.np_enable = 1;
	vmcb->c.n_cr3 = npt_build((u64)__executable_start, pc_vmm_end(),
				  MAX(pc_ram_top(), 4ULL << 30));
	conceal_setup(vmcb->c.n_cr3);
	/* The guest's first entry: reset x87/SSE state, MXCSR with every
	 * exception masked, XCR0 at its reset value (x87 only) */
	pc_fpu_clean_image(v->guest_xs);
	v->guest_xcr0 = XCR0_X87;
	v->union_xcr0 = XCR0_X87 | pc_xcr0;
	return 0;
}

void
svm_dump_guest(const struct svm_vcpu *v)
{
	const struct vmcb_save *s = &v->vmcb->s;
	const struct svm_gprs *g = &v->g;

	kprintf("  rip %016llx rsp %016llx rflags %08llx cpl %u\n",
		(unsigned long long)s->rip, (unsigned long long)s->rsp,
		(unsigned long long)s->rflags, s->cpl);
	kprintf("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
		(unsigned long long)s->rax, (unsigned long long)g->rbx,
		(unsigned long long)g->rcx, (unsigned long long)g->rdx);
	kprintf("  rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n",
		(unsigned long long)g->rsi, (unsigned long long)g->rdi,
		(unsigned long long)g->rbp, (unsigned long long)g->r8);
	kprintf("  cr0 %016llx cr2 %016llx cr3 %016llx cr4 %016llx\n",
		(unsigned long long)s->cr0, (unsigned long long)s->cr2,
		(unsigned long long)s->cr3, (unsigned long long)s->cr4);
	kprintf("  efer %llx cs %04x/%llx ss %04x fs_base %llx gs_base %llx\n",
		(unsigned long long)s->efer, s->cs.selector, (unsigned long long)s->cs.base,
		s->ss.selector, (unsigned long long)s->fs.base, (unsigned long long)s->gs.base);
}

void
svm_run_guest(struct svm_vcpu *v)
{
	u64 flags;

	/* IF=0 while the guest owns the machine: its interrupts wait for the
	 * next VMRUN instead of landing in the VMM's IDT. */
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	pc_apic_lend();
	v->running = true;
	v->stop_reason = NULL;
	while (v->running) {
		u64 t0 = time_now_ns();

		svm_vmrun(v);
		v->run_ns += time_now_ns() - t0;
		v->exits++;
		if (!svm_handle_exit(v))
			v->running = false;
	}
	pc_apic_reclaim();	/* the guest is done with it: the watchdog works again */
	__asm__ volatile("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}
