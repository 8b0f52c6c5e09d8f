/* The VMX backend: detection, VMXON, the VMCS, EPT, entering the guest.
 * Every control is the bits blobvisor wants adjusted by the capability
 * MSRs (the TRUE_ ones where the CPU has them): a bit the CPU forces on is
 * taken, one it cannot offer is dropped unless blobvisor needs it, and then
 * `guest start' says which.  One CPU, one guest, the same intercepts as
 * SVM: CPUID and VMCALL (unconditional under VMX), the I/O ports of the
 * bitmap, the VMX MSRs of the MSR bitmap, triple fault, and — through EPT —
 * the VMM's memory. */
#include <core/console.h>
#include <core/options.h>
#include <core/pages.h>
#include <core/string.h>
#include <pc/io.h>
#include <pc/memmap.h>
#include <pc/xsave.h>
#include "vmx.h"

#define CR4_VMXE		(1ULL << 13)
#define CR0_PE			(1ULL << 0)
#define CR0_PG			(1ULL << 31)
#define EFER_LME		(1ULL << 8)
#define EFER_LMA		(1ULL << 10)
#define MSR_PAT			0x277
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define COM1			0x3f8

#define EPT_R	(1ULL << 0)
#define EPT_W	(1ULL << 1)
#define EPT_X	(1ULL << 2)
#define EPT_PS	(1ULL << 7)
#define EPT_RWX	(EPT_R | EPT_W | EPT_X)
#define MT_UC	0ULL
#define MT_WB	6ULL

extern const u8 __executable_start[];
extern const u8 vmx_exit_point[];

static bool vmx_is_on;

/* Fault injection for the tests: `vmm.vmx_break=rflags' clears the
 * guest's RFLAGS bit 1 (an invalid guest state: the entry fails as an
 * exit), `vmm.vmx_break=entry-ctl' sets an entry control the CPU forbids
 * (VMLAUNCH fails with VM-instruction error 7). */
static const char *vmx_break;

static const char *
set_vmx_break(struct boot_options *opt, const char *val)
{
	if (strcmp(val, "rflags") && strcmp(val, "entry-ctl"))
		return "not rflags or entry-ctl";
	vmx_break = val;
	return NULL;
}
OPTION("vmm.vmx_break=", "rflags|entry-ctl", set_vmx_break,
       "break the first VM entry on purpose (tests of the failure reports)");

/* EPT carries a memory type per page; RAM (a whole e820 RAM range)
 * write-back, anything else (MMIO, ROM, holes) uncached.  The guest's PAT
 * still combines with it. */
static u64
ept_memtype(u64 pa, u64 len)
{
	const struct pc_e820 *f;

	for (int i = 0; (f = pc_e820_at(i)); i++)
		if (f->type == 1 && pa >= f->base && pa + len <= f->base + f->len)
			return MT_WB << 3;
	return MT_UC << 3;
}

static const struct gpmap_format ept_format = {
	.table = EPT_RWX,
	.leaf_4k = EPT_RWX,
	.leaf_2m = EPT_RWX | EPT_PS,
	.write = EPT_W,
	.present = EPT_RWX,
	.memtype = ept_memtype,
};

static bool
vmx_supported(const char **why)
{
	u32 r[4];
	u64 fc, basic, proc, proc2, ept;

	cpuid(1, 0, r);
	if (!(r[2] & (1u << 5))) {
		*why = "the CPU has no VMX";
		return false;
	}
	fc = rdmsr(MSR_FEATURE_CONTROL);
	if ((fc & FEATURE_LOCK) && !(fc & FEATURE_VMX_OUTSIDE_SMX)) {
		*why = "VMX is disabled by the firmware (IA32_FEATURE_CONTROL locked without VMX)";
		return false;
	}
	basic = rdmsr(MSR_VMX_BASIC);
	if (((basic >> 50) & 15) != 6) {
		*why = "the VMCS cannot be write-back memory (IA32_VMX_BASIC memory type)";
		return false;
	}
	proc = rdmsr(basic & VMX_BASIC_TRUE_CTLS ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED);
	if (!(proc >> 32 & PROC_SECONDARY)) {
		*why = "VMX without secondary controls: no EPT";
		return false;
	}
	proc2 = rdmsr(MSR_VMX_PROCBASED2);
	if (!(proc2 >> 32 & PROC2_EPT)) {
		*why = "VMX without EPT";
		return false;
	}
	ept = rdmsr(MSR_VMX_EPT_VPID_CAP);
	if (!(ept & EPT_CAP_WALK4) || !(ept & EPT_CAP_2M)) {
		*why = "EPT without 4-level walks or 2 MiB pages";
		return false;
	}
	if (!(proc2 >> 32 & PROC2_UNRESTRICTED)) {
		*why = "VMX without unrestricted guest (the guest starts with paging off)";
		return false;
	}
	return true;
}

static struct vmx_vcpu *cur;	/* whose VMCS is current: VMWRITE failures are noted there */

static const char *
field_name(u32 f)
{
	static char buf[24];

	snprintf(buf, sizeof(buf), "field %#06x", f);
	return buf;
}

void
vmwrite(u32 field, u64 val)
{
	if (!vmwrite_raw(field, val) && cur && !cur->first_bad_field)
		cur->first_bad_field = field_name(field);
}

/* want adjusted by a capability MSR: low half the bits that must be 1,
 * high half those that may be.  A needed bit the CPU lacks is reported. */
static u32
adjust(const char *what, u32 msr, u32 want, u32 need, bool *ok)
{
	u64 cap = rdmsr(msr);
	u32 ctl = (want | (u32)cap) & (u32)(cap >> 32);

	if ((ctl & need) != need) {
		kprintf("hv: vmx: %s controls: the CPU lacks bits %#x (MSR %#x allows %#x); "
			"no guest\n", what, need & ~ctl, msr, (u32)(cap >> 32));
		*ok = false;
	}
	return ctl;
}

static void *
zeroed_pages(size_t n)
{
	void *p = pages_alloc(n);

	if (p)
		memset(p, 0, n * PAGE_SIZE);
	return p;
}

/* Intercept an MSR's reads and writes: bitmap quarters read-low,
 * read-high, write-low, write-high (MSRs 0-0x1fff, 0xc0000000-0xc0001fff). */
static void
msr_intercept(u8 *bm, u32 msr)
{
	u32 base = msr >= 0xc0000000 ? 0x400 : 0;

	msr &= 0x1fff;
	bm[base + msr / 8] |= 1 << (msr % 8);
	bm[0x800 + base + msr / 8] |= 1 << (msr % 8);
}

struct desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

/* The host state the CPU loads at every exit: the VMM as it is now. */
static void
host_state(void)
{
	struct desc_ptr gdtr, idtr;
	u16 cs, ss, ds, es, fs, gs, tr;
	u64 cr0, cr3, cr4, trbase;
	const u8 *d;

	__asm__ volatile("sgdt %0; sidt %1; str %2" : "=m"(gdtr), "=m"(idtr), "=rm"(tr));
	__asm__ volatile("mov %%cs, %0; mov %%ss, %1; mov %%ds, %2; mov %%es, %3; mov %%fs, %4; "
			 "mov %%gs, %5" : "=r"(cs), "=r"(ss), "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs));
	__asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
			 : "=r"(cr0), "=r"(cr3), "=r"(cr4));
	d = (const u8 *)gdtr.base + (tr & ~7);
	trbase = d[2] | d[3] << 8 | d[4] << 16 | (u64)d[7] << 24 | (u64)*(const u32 *)(d + 8) << 32;
	vmwrite(HOST_CR0, cr0);
	vmwrite(HOST_CR3, cr3);
	vmwrite(HOST_CR4, cr4);
	/* selectors with RPL and TI clear: the checks want them so */
	vmwrite(HOST_CS_SEL, cs & 0xf8);
	vmwrite(HOST_SS_SEL, ss & 0xf8);
	vmwrite(HOST_DS_SEL, ds & 0xf8);
	vmwrite(HOST_ES_SEL, es & 0xf8);
	vmwrite(HOST_FS_SEL, fs & 0xf8);
	vmwrite(HOST_GS_SEL, gs & 0xf8);
	vmwrite(HOST_TR_SEL, tr & 0xf8);
	vmwrite(HOST_TR_BASE, trbase);
	vmwrite(HOST_GDTR_BASE, gdtr.base);
	vmwrite(HOST_IDTR_BASE, idtr.base);
	vmwrite(HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmwrite(HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmwrite(HOST_SYSENTER_CS, rdmsr(0x174));
	vmwrite(HOST_SYSENTER_ESP, rdmsr(0x175));
	vmwrite(HOST_SYSENTER_EIP, rdmsr(0x176));
	vmwrite(HOST_EFER, rdmsr(MSR_EFER));
	vmwrite(HOST_PAT, rdmsr(MSR_PAT));
	vmwrite(HOST_RIP, (u64)vmx_exit_point);
}

static int
vmx_vcpu_init(struct vcpu *v)
{
	struct vmx_vcpu *hw = zeroed_pages(1);
	u64 basic = rdmsr(MSR_VMX_BASIC), fc, cr4, ept = rdmsr(MSR_VMX_EPT_VPID_CAP);
	bool true_ctls = basic & VMX_BASIC_TRUE_CTLS, ok = true;
	u32 pin, proc, proc2, exit, entry, rev = (u32)basic & 0x7fffffff;

	_Static_assert(sizeof(struct vmx_vcpu) <= PAGE_SIZE, "one page");
	if (!hw)
		return -1;
	v->hw = cur = hw;
	hw->vmxon_region = zeroed_pages(1);
	hw->vmcs = zeroed_pages(1);
	v->io_bitmap = zeroed_pages(2);	/* bitmaps A (0-0x7fff) and B, back to back */
	hw->msr_bitmap = zeroed_pages(1);
	hw->guest_xs = zeroed_pages((MAX(pc_xsave_max, PC_XSAVE_AREA) + PAGE_SIZE - 1) / PAGE_SIZE);
	hw->host_xs = zeroed_pages(1);
	if (!hw->vmxon_region || !hw->vmcs || !v->io_bitmap || !hw->msr_bitmap || !hw->guest_xs ||
	    !hw->host_xs)
		return -1;
	*(u32 *)hw->vmxon_region = rev;
	*(u32 *)hw->vmcs = rev;

	/* VMXON needs the firmware's consent; firmware that left the MSR
	 * unlocked (Bochs's BIOS) lets us give it. */
	fc = rdmsr(MSR_FEATURE_CONTROL);
	if (!(fc & FEATURE_LOCK))
		wrmsr(MSR_FEATURE_CONTROL, fc | FEATURE_LOCK | FEATURE_VMX_OUTSIDE_SMX);
	hw->cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	hw->cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	hw->cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	hw->cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	if (!vmx_is_on) {
		__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_VMXE));
		if (!vmx_on((u64)hw->vmxon_region)) {
			__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
			kprintf("hv: vmx: VMXON failed (revision %#x, CR0 %#llx must have %#llx)\n", rev,
				(unsigned long long)hw->cr0_fixed0, (unsigned long long)hw->cr0_fixed0);
			return -1;
		}
		vmx_is_on = true;
	}
	if (!vmx_clear((u64)hw->vmcs) || !vmx_ptrld((u64)hw->vmcs)) {
		kprintf("hv: vmx: VMCLEAR/VMPTRLD of the VMCS at %#llx failed\n",
			(unsigned long long)(u64)hw->vmcs);
		return -1;
	}

	pin = adjust("pin-based", true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED, 0, 0, &ok);
	proc = adjust("processor-based", true_ctls ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED,
		      PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_SECONDARY,
		      PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_SECONDARY, &ok);
	/* RDTSCP, INVPCID and XSAVES fault in the guest unless enabled here */
	proc2 = adjust("secondary", MSR_VMX_PROCBASED2,
		       PROC2_EPT | PROC2_UNRESTRICTED | PROC2_VPID | PROC2_RDTSCP | PROC2_INVPCID |
		       PROC2_XSAVES, PROC2_EPT | PROC2_UNRESTRICTED, &ok);
	exit = adjust("exit", true_ctls ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT,
		      EXIT_HOST_64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER | EXIT_SAVE_PAT | EXIT_LOAD_PAT,
		      EXIT_HOST_64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER, &ok);
	entry = adjust("entry", true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY,
		       ENTRY_LOAD_EFER | ENTRY_LOAD_PAT, ENTRY_LOAD_EFER, &ok);
	if (!ok)
		return -1;
	hw->entry_ctls = entry & ~ENTRY_IA32E_GUEST;
	kprintf("hv: vmx: revision %#x%s, pin %#x proc %#x proc2 %#x exit %#x entry %#x, "
		"EPT%s%s\n", rev, true_ctls ? ", true controls" : "", pin, proc, proc2, exit, entry,
		ept & EPT_CAP_WB ? " write-back" : " uncached",
		proc2 & PROC2_VPID ? ", VPID" : "");

	vmwrite(PIN_CONTROLS, pin);
	vmwrite(PROC_CONTROLS, proc);
	vmwrite(PROC2_CONTROLS, proc2);
	vmwrite(EXIT_CONTROLS, exit);
	vmwrite(ENTRY_CONTROLS, hw->entry_ctls);
	vmwrite(EXCEPTION_BITMAP, 0);
	if (proc2 & PROC2_VPID)
		vmwrite(VPID, 1);

	msr_intercept(hw->msr_bitmap, MSR_FEATURE_CONTROL);
	for (u32 m = MSR_VMX_BASIC; m <= MSR_VMX_LAST; m++)
		msr_intercept(hw->msr_bitmap, m);
	io_intercept(v->io_bitmap, COM1, COM1 + 7);
	vmwrite(IO_BITMAP_A, (u64)v->io_bitmap);
	vmwrite(IO_BITMAP_B, (u64)v->io_bitmap + PAGE_SIZE);
	vmwrite(MSR_BITMAP, (u64)hw->msr_bitmap);

	hw->eptp = gpmap_build(&ept_format, (u64)__executable_start, pc_vmm_end(),
			       MAX(pc_ram_top(), 4ULL << 30));
	/* walk length 4 (encoded 3) and the tables' own memory type */
	vmwrite(EPT_POINTER, hw->eptp | 3 << 3 | (ept & EPT_CAP_WB ? MT_WB : MT_UC));

	/* CR0/CR4 bits the CPU fixes are owned by the VMM: the guest reads
	 * its own value (the shadow) and its writes to them exit. */
	if (proc2 & PROC2_UNRESTRICTED)
		hw->cr0_fixed0 &= ~(CR0_PE | CR0_PG);
	vmwrite(CR0_MASK, hw->cr0_fixed0 | (~hw->cr0_fixed1 & 0xffffffff));
	vmwrite(CR4_MASK, hw->cr4_fixed0 | (~hw->cr4_fixed1 & 0xffffffff));
	host_state();
	/* The guest's first entry: reset x87/SSE state, XCR0 x87 only */
	pc_fpu_clean_image(hw->guest_xs);
	hw->guest_xcr0 = XCR0_X87;
	hw->union_xcr0 = XCR0_X87 | pc_xcr0;
	if (hw->first_bad_field) {
		kprintf("hv: vmx: VMWRITE of %s refused: VM-instruction error %llu (%s)\n",
			hw->first_bad_field, (unsigned long long)vmread(VM_INSN_ERROR),
			vmx_insn_error_name(vmread(VM_INSN_ERROR)));
		return -1;
	}
	return 0;
}

static void
vmx_hide_page(struct vcpu *v, u64 gpa)
{
	gpmap_hide_page(&ept_format, vmx_hw(v)->eptp, gpa);
}

/* The guest's CR0 as the CPU holds it (the fixed bits forced) and as the
 * guest reads it (the shadow). */
void
vmx_set_cr0(struct vcpu *v, u64 val)
{
	struct vmx_vcpu *hw = vmx_hw(v);

	vmwrite(CR0_SHADOW, val);
	vmwrite(GUEST_CR0, (val | hw->cr0_fixed0) & hw->cr0_fixed1);
	v->s.cr0 = val;
}

/* IA-32e mode guest follows EFER.LMA (LME with paging on). */
void
vmx_set_efer_mode(struct vcpu *v)
{
	struct vmx_vcpu *hw = vmx_hw(v);
	u64 efer = v->s.efer & ~EFER_LMA;

	if ((efer & EFER_LME) && (v->s.cr0 & CR0_PG))
		efer |= EFER_LMA;
	v->s.efer = efer;
	vmwrite(GUEST_EFER, efer);
	vmwrite(ENTRY_CONTROLS, hw->entry_ctls | (efer & EFER_LMA ? ENTRY_IA32E_GUEST : 0));
}

/* AMD's packed attributes to VMX access rights; not present = unusable. */
static u32
access_rights(const struct vm_seg *s)
{
	if (!(s->attrib & 0x80))
		return 1u << 16;
	return (s->attrib & 0xff) | (u32)(s->attrib & 0xf00) << 4;
}

static void
vmx_load_state(struct vcpu *v)
{
	struct vmx_vcpu *hw = vmx_hw(v);
	const struct vm_state *s = &v->s;
	const struct vm_seg *segs[] = { &s->es, &s->cs, &s->ss, &s->ds, &s->fs, &s->gs,
					&s->ldtr, &s->tr };

	cur = hw;
	for (unsigned i = 0; i < ARRAY_SIZE(segs); i++) {
		vmwrite(GUEST_ES_SEL + 2 * i, segs[i]->selector);
		vmwrite(GUEST_ES_LIMIT + 2 * i, segs[i]->limit);
		vmwrite(GUEST_ES_AR + 2 * i, access_rights(segs[i]));
		vmwrite(GUEST_ES_BASE + 2 * i, segs[i]->base);
	}
	vmwrite(GUEST_GDTR_BASE, s->gdtr.base);
	vmwrite(GUEST_GDTR_LIMIT, s->gdtr.limit);
	vmwrite(GUEST_IDTR_BASE, s->idtr.base);
	vmwrite(GUEST_IDTR_LIMIT, s->idtr.limit);
	vmx_set_cr0(v, s->cr0);
	vmwrite(CR4_SHADOW, s->cr4);
	vmwrite(GUEST_CR4, (s->cr4 | hw->cr4_fixed0) & hw->cr4_fixed1);
	vmwrite(GUEST_CR3, s->cr3);
	vmx_set_efer_mode(v);
	vmwrite(GUEST_DR7, s->dr7);
	vmwrite(GUEST_PAT, s->pat);
	vmwrite(GUEST_DEBUGCTL, 0);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_ACTIVITY, 0);
	vmwrite(GUEST_PENDING_DBG, 0);
	vmwrite(VMCS_LINK_POINTER, ~0ULL);
	hw->launched = 0;
	vmx_sync_to_vmcs(v);
	if (vmx_break && !strcmp(vmx_break, "rflags"))
		vmwrite(GUEST_RFLAGS, s->rflags & ~2ULL);
	if (vmx_break && !strcmp(vmx_break, "entry-ctl")) {
		u64 cap = rdmsr(rdmsr(MSR_VMX_BASIC) & VMX_BASIC_TRUE_CTLS ? MSR_VMX_TRUE_ENTRY
									   : MSR_VMX_ENTRY);
		u32 forbidden = ~(u32)(cap >> 32);

		/* the lowest bit the CPU cannot set */
		vmwrite(ENTRY_CONTROLS, vmread(ENTRY_CONTROLS) | (forbidden & -forbidden));
	}
}

static bool
vmx_run(struct vcpu *v, struct vm_exit *e)
{
	struct vmx_vcpu *hw = vmx_hw(v);
	int rc;

	/* the VMM's FS base is the blob TCB of the moment */
	vmwrite(HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmwrite(HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	pc_user_msrs_guest_back(v->cpu);
	rc = vmx_enter(hw, v->gpr);
	/* the guest's SYSCALL MSRs stay in the CPU until ring 3 needs it */
	pc_user_msrs_guest_live(v->cpu, hw->guest_msrs);
	if (rc) {
		u64 err = rc == 2 ? vmread(VM_INSN_ERROR) : 0;

		if (rc == 2)
			kprintf("hv: vmx: %s failed: VM-instruction error %llu (%s); guest stopped\n",
				hw->launched ? "VMRESUME" : "VMLAUNCH", (unsigned long long)err,
				vmx_insn_error_name(err));
		else
			kprintf("hv: vmx: %s failed: no current VMCS (VMfailInvalid); guest stopped\n",
				hw->launched ? "VMRESUME" : "VMLAUNCH");
		return vmm_stop(v, "VM entry failed");
	}
	return vmx_decode_exit(v, e);
}

static void
vmx_inject_exception(struct vcpu *v, u8 vector, bool has_error, u32 error)
{
	vmwrite(ENTRY_INTR_INFO, INTR_VALID | INTR_TYPE_HW_EXCEPTION | vector |
				 (has_error ? INTR_ERROR_VALID : 0));
	if (has_error)
		vmwrite(ENTRY_EXCEPTION_ERROR, error);
}

static void
vmx_dump(const struct vcpu *v)
{
	vmm_dump_guest(v);
	kprintf("  cs %04llx/%llx ar %#llx ss %04llx fs_base %llx gs_base %llx exit reason %llu "
		"qualification %#llx\n",
		(unsigned long long)vmread(GUEST_ES_SEL + 2 * SEG_CS),
		(unsigned long long)vmread(GUEST_ES_BASE + 2 * SEG_CS),
		(unsigned long long)vmread(GUEST_ES_AR + 2 * SEG_CS),
		(unsigned long long)vmread(GUEST_ES_SEL + 2 * SEG_SS),
		(unsigned long long)vmread(GUEST_ES_BASE + 2 * SEG_FS),
		(unsigned long long)vmread(GUEST_ES_BASE + 2 * SEG_GS),
		(unsigned long long)(vmread(EXIT_REASON) & 0xffff),
		(unsigned long long)vmread(EXIT_QUALIFICATION));
}

const struct vmm_backend vmx_backend = {
	.name = "vmx",
	.gpf_name = "EPT violation",
	.gpf_info = "qualification",
	.supported = vmx_supported,
	.vcpu_init = vmx_vcpu_init,
	.hide_page = vmx_hide_page,
	.load_state = vmx_load_state,
	.run = vmx_run,
	.resume = vmx_sync_to_vmcs,
	.inject_exception = vmx_inject_exception,
	.dump = vmx_dump,
};
