/* The SVM backend: bring-up, the VMCBs, entering the guest.  One guest, a
 * VMCB per processor: it intercepts only what the VMM must see (VMRUN,
 * SHUTDOWN, CPUID, VMMCALL, the EFER, APIC base and SVM MSRs, the VMM's
 * serial port, and — through the nested page tables — the VMM's memory and
 * the local APIC page); everything else runs natively. */
#include <core/console.h>
#include <core/pages.h>
#include <core/string.h>
#include <pc/fwguest.h>
#include <pc/io.h>
#include <pc/memmap.h>
#include <pc/xsave.h>
#include "svm.h"

#define EFER_SVME		(1ULL << 12)
#define MSR_VM_CR		0xc0010114
#define MSR_VM_HSAVE_PA		0xc0010117
#define VM_CR_SVMDIS		(1ULL << 4)

#define NPT_P	(1ULL << 0)
#define NPT_RW	(1ULL << 1)
#define NPT_US	(1ULL << 2)	/* nested walks are user accesses */
#define NPT_PS	(1ULL << 7)

/* Nested page tables are ordinary long-mode tables. */
static const struct gpmap_format npt_format = {
	.table = NPT_P | NPT_RW | NPT_US,
	.leaf_4k = NPT_P | NPT_RW | NPT_US,
	.leaf_2m = NPT_P | NPT_RW | NPT_US | NPT_PS,
	.write = NPT_RW,
	.present = NPT_P,
};

static bool
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
		*why = "the CPU has neither SVM nor VMX (QEMU: -cpu max under TCG; Bochs: a VMX model)";
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

/* What every vCPU has of its own: the VMCB, the host save area, the VMSAVE
 * area for the VMM's state, the XSAVE areas. */
static int
alloc_areas(struct vcpu *v)
{
	struct svm_vcpu *hw = zeroed_pages(1);

	_Static_assert(sizeof(struct svm_vcpu) <= PAGE_SIZE, "one page");
	if (!hw)
		return -1;
	v->hw = hw;
	hw->vmcb = zeroed_pages(1);
	hw->host_save = zeroed_pages(1);
	hw->host_vmcb = zeroed_pages(1);
	/* XSAVE areas, page-aligned and zeroed (XRSTOR wants the header's
	 * reserved bytes zero, and XSAVE never writes them) */
	hw->guest_xs = zeroed_pages((MAX(pc_xsave_max, PC_XSAVE_AREA) + PAGE_SIZE - 1) / PAGE_SIZE);
	hw->host_xs = zeroed_pages(1);
	if (!hw->vmcb || !hw->host_save || !hw->host_vmcb || !hw->guest_xs || !hw->host_xs)
		return -1;
	hw->vmcb_pa = (u64)hw->vmcb;
	hw->host_vmcb_pa = (u64)hw->host_vmcb;
	/* The guest's first entry: reset x87/SSE state, MXCSR with every
	 * exception masked, XCR0 at its reset value (x87 only) */
	pc_fpu_clean_image(hw->guest_xs);
	hw->guest_xcr0 = XCR0_X87;
	hw->union_xcr0 = XCR0_X87 | pc_xcr0;
	v->xcr0 = hw->guest_xcr0;
	return 0;
}

static void
setup_control(struct vmcb *vmcb, u64 iopm, u64 msrpm, u64 n_cr3)
{
	vmcb->c.intercept_misc1 = INTERCEPT_CPUID | INTERCEPT_IOIO | INTERCEPT_MSR |
				  INTERCEPT_SHUTDOWN;
	vmcb->c.intercept_misc2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL;
	vmcb->c.iopm_base_pa = iopm;
	vmcb->c.msrpm_base_pa = msrpm;
	vmcb->c.asid = 1;	/* QEMU refuses ASID 0; one guest, the same on every CPU */
	vmcb->c.np_enable = 1;
	vmcb->c.n_cr3 = n_cr3;
}

/* Per processor: SVM on, and where VMRUN keeps the host's state. */
static int
svm_cpu_enable(struct vcpu *v)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (u64)svm_hw(v)->host_save);
	return 0;
}

static int
svm_vcpu_init(struct vcpu *v)
{
	struct svm_vcpu *hw;

	if (alloc_areas(v))
		return -1;
	hw = svm_hw(v);
	v->io_bitmap = zeroed_pages(3);	/* the IOPM, 12 KiB: one bit per port */
	hw->msrpm = zeroed_pages(2);	/* 8 KiB */
	if (!v->io_bitmap || !hw->msrpm)
		return -1;
	svm_cpu_enable(v);

	msrpm_intercept(hw->msrpm, MSR_EFER);
	msrpm_intercept(hw->msrpm, MSR_VM_CR);
	msrpm_intercept(hw->msrpm, MSR_VM_HSAVE_PA);
	msrpm_intercept(hw->msrpm, MSR_APIC_BASE);
	io_intercept(v->io_bitmap, pc_console_port(), pc_console_port() + 7);
	setup_control(hw->vmcb, (u64)v->io_bitmap, (u64)hw->msrpm,
		      gpmap_build(&npt_format, MAX(pc_ram_top(), 4ULL << 30)));
	return 0;
}

/* An AP's vCPU: its own VMCB and areas; the BSP's nested page tables,
 * IOPM and MSRPM (the same guest, the same policy). */
static int
svm_vcpu_init_ap(struct vcpu *v, const struct vcpu *bsp)
{
	const struct svm_vcpu *b = svm_hw(bsp);

	if (alloc_areas(v))
		return -1;
	v->io_bitmap = bsp->io_bitmap;
	svm_hw(v)->msrpm = b->msrpm;
	setup_control(svm_hw(v)->vmcb, b->vmcb->c.iopm_base_pa, b->vmcb->c.msrpm_base_pa,
		      b->vmcb->c.n_cr3);
	/* an INIT to a running AP reaches it as an NMI (pc_smp_kick), which
	 * must end its guest run; the guest's own NMIs are given back */
	svm_hw(v)->vmcb->c.intercept_misc1 |= INTERCEPT_NMI;
	return 0;
}

static void
svm_hide_page(struct vcpu *v, u64 gpa)
{
	gpmap_hide_page(&npt_format, svm_hw(v)->vmcb->c.n_cr3, gpa);
}

static void
svm_readonly_page(struct vcpu *v, u64 gpa)
{
	gpmap_readonly_page(&npt_format, svm_hw(v)->vmcb->c.n_cr3, gpa);
}

static void
seg_to(struct vmcb_seg *d, const struct vm_seg *s)
{
	*d = (struct vmcb_seg){ s->selector, s->attrib, s->limit, s->base };
}

static void
svm_load_state(struct vcpu *v)
{
	struct vmcb_save *s = &svm_hw(v)->vmcb->s;
	const struct vm_state *g = &v->s;

	seg_to(&s->es, &g->es);
	seg_to(&s->cs, &g->cs);
	seg_to(&s->ss, &g->ss);
	seg_to(&s->ds, &g->ds);
	seg_to(&s->fs, &g->fs);
	seg_to(&s->gs, &g->gs);
	seg_to(&s->gdtr, &g->gdtr);
	seg_to(&s->ldtr, &g->ldtr);
	seg_to(&s->idtr, &g->idtr);
	seg_to(&s->tr, &g->tr);
	s->cpl = g->cpl;
	s->efer = g->efer | EFER_SVME;	/* QEMU checks it in the guest state */
	s->cr0 = g->cr0;
	s->cr3 = g->cr3;
	s->cr4 = g->cr4;
	s->dr6 = 0xffff0ff0;
	s->dr7 = g->dr7;
	s->g_pat = g->pat;
	s->kernel_gs_base = g->kernel_gs_base;
	s->star = g->star;
	s->lstar = g->lstar;
	s->cstar = g->cstar;
	s->sfmask = g->sfmask;
	s->sysenter_cs = g->sysenter_cs;
	s->sysenter_esp = g->sysenter_esp;
	s->sysenter_eip = g->sysenter_eip;
	svm_hw(v)->vmcb->c.event_inject = 0;	/* nothing left over from before an INIT */
	svm_sync_to_vmcb(v);
}

/* The area is XRSTORed with every bit of the union XCR0 requested: an
 * FXSAVE image gets an XSAVE header naming x87 and SSE, so both load. */
static void
svm_load_fpu(struct vcpu *v, const u8 *image, size_t len, u64 xcr0)
{
	struct svm_vcpu *hw = svm_hw(v);
	size_t cap = pc_xsave_on ? MAX(pc_xsave_max, PC_XSAVE_AREA) : 512;

	memset(hw->guest_xs, 0, cap);
	memcpy(hw->guest_xs, image, MIN(len, cap));
	if (!xcr0 && pc_xsave_on) {
		u64 bv = XCR0_X87 | XCR0_SSE;

		memcpy(hw->guest_xs + 512, &bv, 8);
	}
	hw->guest_xcr0 = xcr0 ? xcr0 : XCR0_X87;
	hw->union_xcr0 = hw->guest_xcr0 | pc_xcr0;
	v->xcr0 = hw->guest_xcr0;
}

/* The VMM's own state where the guest's should be (its CR3, its code
 * segment, a RIP in its image) means that the #VMEXIT did not save the
 * guest: QEMU 7.2 does that with a thread per vCPU when another vCPU's
 * FXRSTOR races with this CPU's VMRUN or #VMEXIT (docs/architecture.md,
 * "QEMU's IGNNE race").  Entering that state would run the VMM's code as
 * the guest's, and the guest's own state is gone, so the guest stops with
 * a line that says what happened. */
static bool
vmcb_holds_vmm_state(const struct vmcb_save *s)
{
	u64 cr3;
	u16 cs;

	__asm__ volatile("mov %%cr3, %0; mov %%cs, %1" : "=r"(cr3), "=r"(cs));
	return s->cr3 == cr3 && s->cs.selector == cs && pc_vmm_overlaps(s->rip, 1);
}

static bool
svm_run(struct vcpu *v, struct vm_exit *e)
{
	struct svm_vcpu *hw = svm_hw(v);

	svm_vmrun(hw, v->gpr);
	if (vmcb_holds_vmm_state(&hw->vmcb->s)) {
		svm_sync_from_vmcb(v);
		vmm_note_exit(v, (u32)hw->vmcb->c.exit_code, v->s.rip);
		vmm_lock();
		kprintf("hv: guest CPU %d: the #VMEXIT (code %#llx) left the VMM's own state "
			"where the guest's should be (rip %#llx): the guest's state is lost; "
			"guest stopped\n", v->cpu, (unsigned long long)hw->vmcb->c.exit_code,
			(unsigned long long)v->s.rip);
		vmm_stop(v, "the #VMEXIT lost the guest's state");
		vmm_unlock();
		return false;
	}
	return svm_decode_exit(v, e);
}

static void
svm_inject_exception(struct vcpu *v, u8 vector, bool has_error, u32 error)
{
	svm_hw(v)->vmcb->c.event_inject = EVENT_VALID | EVENT_TYPE_EXCEPTION | vector |
					  (has_error ? EVENT_ERROR_VALID | (u64)error << 32 : 0);
}

static void
svm_dump(const struct vcpu *v)
{
	const struct vmcb_save *s = &svm_hw(v)->vmcb->s;

	vmm_dump_guest(v);
	kprintf("  cr2 %016llx cs %04x/%llx ss %04x fs_base %llx gs_base %llx\n",
		(unsigned long long)s->cr2, s->cs.selector, (unsigned long long)s->cs.base,
		s->ss.selector, (unsigned long long)s->fs.base, (unsigned long long)s->gs.base);
}

const struct vmm_backend svm_backend = {
	.name = "svm",
	.gpf_name = "nested page fault",
	.gpf_info = "error",
	.supported = svm_supported,
	.vcpu_init = svm_vcpu_init,
	.vcpu_init_ap = svm_vcpu_init_ap,
	.cpu_enable = svm_cpu_enable,
	.hide_page = svm_hide_page,
	.readonly_page = svm_readonly_page,
	.load_state = svm_load_state,
	.load_fpu = svm_load_fpu,
	.run = svm_run,
	.resume = svm_sync_to_vmcb,
	.inject_exception = svm_inject_exception,
	.dump = svm_dump,
};
