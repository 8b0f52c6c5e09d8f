/* VM-exit decoding for the core, the exits only VMX has (CR0/CR4 writes
 * to bits the VMM owns, its MSRs, XSETBV, the VMX instructions), and
 * VM-entry failures reported in one line with the field or check at fault.
 * VMX gives the instruction length, so the next RIP is exact. */
#include <core/console.h>
#include <core/string.h>
#include <pc/io.h>
#include <pc/xsave.h>
#include "vmx.h"

#define CR4_VMXE	(1ULL << 13)
#define CR4_OSXSAVE	(1ULL << 18)
#define CR0_PG		(1ULL << 31)
#define CR0_TS		(1ULL << 3)
#define EFER_LMA	(1ULL << 10)
#define RFLAGS_IF	(1ULL << 9)
#define VEC_UD		6
#define VEC_GP		13

static const char *const insn_errors[] = {
	[1] = "VMCALL in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control fields",
	[8] = "VM entry with invalid host-state fields",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *
vmx_insn_error_name(u64 err)
{
	return err < ARRAY_SIZE(insn_errors) && insn_errors[err] ? insn_errors[err] : "unknown error";
}

/* After an exit: the state the core reads. */
static void
sync_from_vmcs(struct vcpu *v)
{
	v->gpr[R_SP] = vmread(GUEST_RSP);
	v->s.rip = vmread(GUEST_RIP);
	v->s.rflags = vmread(GUEST_RFLAGS);
	/* the guest's view: owned bits from the shadow, the rest as they are */
	v->s.cr0 = (vmread(GUEST_CR0) & ~vmread(CR0_MASK)) | (vmread(CR0_SHADOW) & vmread(CR0_MASK));
	v->s.cr3 = vmread(GUEST_CR3);
	v->s.cr4 = (vmread(GUEST_CR4) & ~vmread(CR4_MASK)) | (vmread(CR4_SHADOW) & vmread(CR4_MASK));
	v->s.efer = vmread(GUEST_EFER);
	v->s.cpl = (vmread(GUEST_ES_AR + 2 * SEG_SS) >> 5) & 3;
	v->xcr0 = pc_xsave_on ? vmx_hw(v)->guest_xcr0 : 0;
	vmx_hw(v)->exit_rip = v->s.rip;
}

void
vmx_sync_to_vmcs(struct vcpu *v)
{
	struct vmx_vcpu *hw = vmx_hw(v);

	vmwrite(GUEST_RSP, v->gpr[R_SP]);
	vmwrite(GUEST_RFLAGS, v->s.rflags);
	if (v->s.rip != hw->exit_rip) {
		/* the intercepted instruction completed: blocking by STI or
		 * MOV SS ended with it */
		vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) & ~3ULL);
		vmwrite(GUEST_RIP, v->s.rip);
		hw->exit_rip = v->s.rip;
	}
}

/* An event the exit interrupted (an interrupt being delivered through a
 * page EPT had to fault in) is delivered again at the next entry. */
static void
redeliver(void)
{
	u32 info = (u32)vmread(IDT_VECTORING_INFO);

	if (!(info & INTR_VALID))
		return;
	vmwrite(ENTRY_INTR_INFO, info & ~(1u << 12));
	if (info & INTR_ERROR_VALID)
		vmwrite(ENTRY_EXCEPTION_ERROR, vmread(IDT_VECTORING_ERROR));
	vmwrite(ENTRY_INSN_LEN, vmread(EXIT_INSN_LEN));
}

static void
skip_insn(struct vcpu *v)
{
	v->s.rip += vmread(EXIT_INSN_LEN);
}

static void
gp(struct vcpu *v)
{
	v->ops->inject_exception(v, VEC_GP, true, 0);
}

/* MOV to CR0 or CR4 that touched a bit the VMM owns (CR0.NE and friends,
 * CR4.VMXE): the guest keeps its value in the shadow, the CPU runs with
 * the fixed bits forced; VMX stays hidden (CR4.VMXE faults). */
static void
handle_cr(struct vcpu *v)
{
	struct vmx_vcpu *hw = vmx_hw(v);
	u64 q = vmread(EXIT_QUALIFICATION), val;
	unsigned cr = q & 15, type = (q >> 4) & 3;

	if (type == 2) {			/* CLTS */
		vmx_set_cr0(v, v->s.cr0 & ~CR0_TS);
		skip_insn(v);
		return;
	}
	if (type == 3) {			/* LMSW: PE, MP, EM, TS; PE cannot be cleared */
		val = (v->s.cr0 & ~0xeULL) | ((q >> 16) & 0xf);
		vmx_set_cr0(v, val | (v->s.cr0 & 1));
		skip_insn(v);
		return;
	}
	val = v->gpr[(q >> 8) & 15];
	if (type != 0 || (cr != 0 && cr != 4)) {
		kprintf("hv: vmx: unexpected control-register exit (qualification %#llx)\n",
			(unsigned long long)q);
		gp(v);
		return;
	}
	if (cr == 0) {
		bool pg_changed = (val ^ v->s.cr0) & CR0_PG;

		if (val >> 32) {
			gp(v);
			return;
		}
		vmx_set_cr0(v, val);
		if (pg_changed)
			vmx_set_efer_mode(v);	/* LMA follows LME with paging on */
	} else {
		if ((val & CR4_VMXE) || (val & ~(hw->cr4_fixed1 | hw->cr4_fixed0))) {
			gp(v);			/* no VMX for the guest, nor bits the CPU lacks */
			return;
		}
		vmwrite(CR4_SHADOW, val);
		vmwrite(GUEST_CR4, val | hw->cr4_fixed0);
		v->s.cr4 = val;
	}
	skip_insn(v);
}

/* The MSRs of the bitmap: IA32_FEATURE_CONTROL reads locked with VMX off
 * (what firmware that disabled VMX leaves), writes fault as on a locked
 * MSR; the VMX capability MSRs fault as on a CPU without VMX. */
static void
handle_msr(struct vcpu *v, bool write)
{
	u32 msr = (u32)v->gpr[R_CX];

	if (msr == MSR_FEATURE_CONTROL && !write) {
		v->gpr[R_AX] = FEATURE_LOCK;
		v->gpr[R_DX] = 0;
		skip_insn(v);
		return;
	}
	gp(v);
}

/* XSETBV always exits under VMX.  With XSAVE on in the VMM the guest's
 * XCR0 is recorded and switched in at each entry (vmentry.S); without it
 * the VMM runs with CR4.OSXSAVE clear, so it sets it just for the
 * instruction and XCR0 stays the guest's (the VMM's code is SSE-only). */
static void
handle_xsetbv(struct vcpu *v)
{
	u32 idx = (u32)v->gpr[R_CX], r[4];
	u64 val = (v->gpr[R_DX] << 32) | (u32)v->gpr[R_AX], cr4, supported;

	cpuid(0xd, 0, r);
	supported = (u64)r[3] << 32 | r[0];
	if (idx != 0 || !(val & 1) || (val & ~supported) || ((val & 4) && !(val & 2)) ||
	    !(v->s.cr4 & CR4_OSXSAVE)) {
		gp(v);
		return;
	}
	if (pc_xsave_on) {
		vmx_hw(v)->guest_xcr0 = val;
		vmx_hw(v)->union_xcr0 = val | pc_xcr0;
		skip_insn(v);
		return;
	}
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSXSAVE));
	__asm__ volatile("xsetbv" : : "c"(idx), "a"((u32)val), "d"((u32)(val >> 32)));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
	skip_insn(v);
}

/* A failed VM entry arrives as an exit with bit 31 set; the CPU does not
 * say which field, so the common checks are redone here to name it. */
void
vmx_report_entry_failure(struct vcpu *v, u32 reason)
{
	struct vmx_vcpu *hw = vmx_hw(v);
	u64 cr0 = vmread(GUEST_CR0), cr4 = vmread(GUEST_CR4), efer = vmread(GUEST_EFER);
	u64 entry = vmread(ENTRY_CONTROLS), rflags = vmread(GUEST_RFLAGS);
	u64 q = vmread(EXIT_QUALIFICATION);
	const char *field = "no field found by blobvisor's checks";
	char buf[96];

	if ((cr0 & hw->cr0_fixed0) != hw->cr0_fixed0 || (cr0 & ~hw->cr0_fixed1))
		snprintf(buf, sizeof(buf), "GUEST_CR0 %#llx against fixed bits %#llx/%#llx",
			 (unsigned long long)cr0, (unsigned long long)hw->cr0_fixed0,
			 (unsigned long long)hw->cr0_fixed1), field = buf;
	else if ((cr4 & hw->cr4_fixed0) != hw->cr4_fixed0 || (cr4 & ~hw->cr4_fixed1))
		snprintf(buf, sizeof(buf), "GUEST_CR4 %#llx against fixed bits %#llx/%#llx",
			 (unsigned long long)cr4, (unsigned long long)hw->cr4_fixed0,
			 (unsigned long long)hw->cr4_fixed1), field = buf;
	else if (!!(entry & ENTRY_IA32E_GUEST) != !!(efer & EFER_LMA))
		snprintf(buf, sizeof(buf), "GUEST_EFER %#llx: LMA disagrees with IA-32e mode guest",
			 (unsigned long long)efer), field = buf;
	else if (!(rflags & 2))
		field = "GUEST_RFLAGS: bit 1 clear";
	else if ((vmread(GUEST_INTERRUPTIBILITY) & 1) && !(rflags & RFLAGS_IF))
		field = "GUEST_INTERRUPTIBILITY: blocking by STI with IF clear";
	else if (((vmread(GUEST_ES_AR + 2 * SEG_TR) & 0xf) != 11 &&
		  (vmread(GUEST_ES_AR + 2 * SEG_TR) & 0xf) != 3) ||
		 (vmread(GUEST_ES_AR + 2 * SEG_TR) & (1u << 16)))
		field = "GUEST_TR_AR: not a busy TSS";
	else if (vmread(VMCS_LINK_POINTER) != ~0ULL)
		field = "VMCS_LINK_POINTER: not ~0";
	kprintf("hv: vmx: VM entry failed: %s (exit reason %u, qualification %llu): %s; "
		"guest stopped\n",
		reason == EXIT_INVALID_STATE ? "invalid guest state" :
		reason == EXIT_MSR_LOADING ? "MSR loading" :
		reason == EXIT_MACHINE_CHECK ? "machine check" : "unknown cause",
		reason, (unsigned long long)q, field);
}

bool
vmx_decode_exit(struct vcpu *v, struct vm_exit *e)
{
	u32 full = (u32)vmread(EXIT_REASON), reason = full & 0xffff;
	u64 q = vmread(EXIT_QUALIFICATION);

	sync_from_vmcs(v);
	vmm_note_exit(v, full, v->s.rip);
	memset(e, 0, sizeof(*e));
	e->raw[0] = full;
	e->raw[1] = q;
	if (full & EXIT_FAILED_ENTRY) {
		vmx_report_entry_failure(v, reason);
		return vmm_stop(v, "VM entry failed");
	}
	redeliver();
	switch (reason) {
	case EXIT_CPUID:
		e->kind = X_CPUID;
		e->next_rip = v->s.rip + vmread(EXIT_INSN_LEN);
		return true;
	case EXIT_IO:
		e->kind = X_IOIO;
		e->io.port = (u16)(q >> 16);
		e->io.size = (q & 7) + 1;
		e->io.in = q & 8;
		e->io.str = q & (16 | 32);
		e->next_rip = v->s.rip + vmread(EXIT_INSN_LEN);
		return true;
	case EXIT_VMCALL:
		e->kind = X_HYPERCALL;
		e->next_rip = v->s.rip + vmread(EXIT_INSN_LEN);
		return true;
	case EXIT_EPT_VIOLATION:
		e->kind = X_GPF;
		e->mem.gpa = vmread(GUEST_PHYS_ADDR);
		e->raw[2] = e->mem.gpa;
		e->mem.write = q & 2;
		e->mem.exec = q & 4;
		return true;
	case EXIT_TRIPLE_FAULT:
		e->kind = X_SHUTDOWN;
		return true;
	case EXIT_CR_ACCESS:
		v->exits_by_kind[X_CR]++;
		handle_cr(v);
		break;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		v->exits_by_kind[X_MSR]++;
		handle_msr(v, reason == EXIT_WRMSR);
		break;
	case EXIT_XSETBV:
		v->exits_by_kind[X_XSETBV]++;
		handle_xsetbv(v);
		break;
	case EXIT_INVD:
		v->exits_by_kind[X_OTHER]++;
		__asm__ volatile("wbinvd" : : : "memory");	/* INVD would lose the VMM's writes */
		skip_insn(v);
		break;
	case EXIT_GETSEC:
	case EXIT_VMCLEAR ... EXIT_VMXON:
	case EXIT_INVEPT:
	case EXIT_INVVPID:
		v->exits_by_kind[X_VMINSN]++;
		v->ops->inject_exception(v, VEC_UD, false, 0);	/* VMX is hidden from the guest */
		break;
	case EXIT_EPT_MISCONFIG:
		kprintf("hv: vmx: EPT misconfiguration at guest-physical %#llx (an entry the VMM "
			"built is invalid); guest stopped\n",
			(unsigned long long)vmread(GUEST_PHYS_ADDR));
		return vmm_stop(v, "EPT misconfiguration");
	case EXIT_INIT:
		kprintf("hv: guest received INIT; guest stopped\n");
		return vmm_stop(v, "INIT");
	default:
		e->kind = X_OTHER;
		return true;
	}
	vmx_sync_to_vmcs(v);
	return false;
}
