/* The Intel VMX backend (see docs/architecture.md, "The hypervisor"). */
#ifndef VMM_VMX_VMX_H
#define VMM_VMX_VMX_H

#include <core/types.h>
#include <pc/user.h>
#include "../vmm.h"
#include "vmcs.h"

/* The backend's per-vCPU state; vmentry.S uses the offsets checked below. */
struct vmx_vcpu {
	u8 launched;			/* 0x00: VMLAUNCH done, VMRESUME from now on */
	u8 pad[0xf];
	/* x87/SSE/AVX state as for SVM (vmm/svm/svm.h): XSAVE areas or FXSAVE
	 * images, and XCR0, which VMX does not switch either */
	u8 *guest_xs;			/* 0x10 */
	u8 *host_xs;			/* 0x18 */
	u64 guest_xcr0;			/* 0x20 */
	u64 union_xcr0;			/* 0x28: guest's | the VMM's */
	void *vmxon_region, *vmcs;
	u8 *msr_bitmap;
	u64 eptp;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;	/* as the guest's CR0/CR4 must be */
	u32 entry_ctls;			/* without IA-32e mode guest: set from EFER.LMA */
	u64 exit_rip;			/* RIP at the exit: if it moved, STI/MOV SS blocking ends */
	const char *first_bad_field;	/* the first VMWRITE the CPU refused */
	u64 guest_msrs[PC_USER_MSRS];	/* STAR, LSTAR, FMASK, KERNEL_GS_BASE while ring 3 runs */
};

_Static_assert(__builtin_offsetof(struct vmx_vcpu, guest_xs) == 0x10, "vmentry.S");
_Static_assert(__builtin_offsetof(struct vmx_vcpu, host_xs) == 0x18, "vmentry.S");
_Static_assert(__builtin_offsetof(struct vmx_vcpu, guest_xcr0) == 0x20, "vmentry.S");
_Static_assert(__builtin_offsetof(struct vmx_vcpu, union_xcr0) == 0x28, "vmentry.S");

/* vmentry.S: VMLAUNCH or VMRESUME once; 0 at the next VM exit, 1 if the
 * instruction failed without a current VMCS (VMfailInvalid), 2 if it failed
 * with an error number in VM_INSN_ERROR (VMfailValid). */
int vmx_enter(struct vmx_vcpu *hw, u64 *gpr);

/* exits.c */
bool vmx_decode_exit(struct vcpu *v, struct vm_exit *e);
void vmx_sync_to_vmcs(struct vcpu *v);
const char *vmx_insn_error_name(u64 err);
void vmx_report_entry_failure(struct vcpu *v, u32 reason);

/* vmx.c */
void vmx_set_cr0(struct vcpu *v, u64 val);
void vmx_set_efer_mode(struct vcpu *v);

static inline struct vmx_vcpu *
vmx_hw(const struct vcpu *v)
{
	return v->hw;
}

#endif
