/* The AMD SVM backend (see docs/architecture.md, "The hypervisor"). */
#ifndef VMM_SVM_SVM_H
#define VMM_SVM_SVM_H

#include <core/types.h>
#include "../vmm.h"
#include "vmcb.h"

/* The backend's per-vCPU state; vmrun.S uses the offsets checked below. */
struct svm_vcpu {
	u64 vmcb_pa;			/* 0x00 */
	u64 host_vmcb_pa;		/* 0x08: VMSAVE area for the VMM's own FS, GS, TR... */
	/* x87/SSE/AVX state: XSAVE areas (FXSAVE images when XSAVE is off),
	 * 64-byte aligned, the guest's sized for every component the CPU has */
	u8 *guest_xs;			/* 0x10 */
	u8 *host_xs;			/* 0x18 */
	u64 guest_xcr0;			/* 0x20: the guest's own XCR0 (it runs XSETBV) */
	u64 union_xcr0;			/* 0x28: guest's | the VMM's, to save and restore both */
	struct vmcb *vmcb;
	void *host_save;		/* VM_HSAVE_PA page */
	void *host_vmcb;
	u8 *msrpm;
};

_Static_assert(__builtin_offsetof(struct svm_vcpu, host_vmcb_pa) == 0x08, "vmrun.S");
_Static_assert(__builtin_offsetof(struct svm_vcpu, guest_xs) == 0x10, "vmrun.S");
_Static_assert(__builtin_offsetof(struct svm_vcpu, host_xs) == 0x18, "vmrun.S");
_Static_assert(__builtin_offsetof(struct svm_vcpu, guest_xcr0) == 0x20, "vmrun.S");
_Static_assert(__builtin_offsetof(struct svm_vcpu, union_xcr0) == 0x28, "vmrun.S");

/* vmrun.S: enter the guest once and return at its next #VMEXIT; gpr is
 * struct vcpu's register array (RAX and RSP there are not used: they live
 * in the VMCB). */
void svm_vmrun(struct svm_vcpu *hw, u64 *gpr);

/* exits.c: the exits handled before the VMM's state is back (true: enter
 * the guest again), called by vmrun.S */
bool svm_fast_exit(struct svm_vcpu *hw, u64 *gpr);
/* exits.c: decode a #VMEXIT for the core; false if handled here (or the
 * guest stops). */
bool svm_decode_exit(struct vcpu *v, struct vm_exit *e);
void svm_sync_from_vmcb(struct vcpu *v);
void svm_sync_to_vmcb(struct vcpu *v);

static inline struct svm_vcpu *
svm_hw(const struct vcpu *v)
{
	return v->hw;
}

#endif
