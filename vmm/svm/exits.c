/* #VMEXIT decoding for the core, and the exits only SVM has (its MSRs,
 * VMRUN).  QEMU's SVM has no next-RIP saving, so the next RIP is the
 * intercepted instruction's fixed length past RIP (CPUID 2 bytes, RDMSR/
 * WRMSR 2, VMMCALL 3); IOIO exits give the next RIP. */
#include <core/console.h>
#include <core/string.h>
#include <pc/io.h>
#include <pc/smp.h>
#include "svm.h"

#define EFER_SVME	(1ULL << 12)
#define EFER_LMA	(1ULL << 10)
#define MSR_VM_CR	0xc0010114
#define MSR_VM_HSAVE_PA	0xc0010117
#define VM_CR_SVMDIS	(1ULL << 4)

void
svm_sync_from_vmcb(struct vcpu *v)
{
	const struct vmcb_save *s = &svm_hw(v)->vmcb->s;

	v->gpr[R_AX] = s->rax;
	v->gpr[R_SP] = s->rsp;
	v->s.rip = s->rip;
	v->s.rflags = s->rflags;
	v->s.cr0 = s->cr0;
	v->s.cr3 = s->cr3;
	v->s.cr4 = s->cr4;
	v->s.efer = s->efer & ~EFER_SVME;
	v->s.cpl = s->cpl;
	v->xcr0 = svm_hw(v)->guest_xcr0;
}

void
svm_sync_to_vmcb(struct vcpu *v)
{
	struct vmcb_save *s = &svm_hw(v)->vmcb->s;

	s->rax = v->gpr[R_AX];
	s->rsp = v->gpr[R_SP];
	s->rip = v->s.rip;
	s->rflags = v->s.rflags;
}

static void
handle_msr(struct vcpu *v)
{
	struct vmcb *vmcb = svm_hw(v)->vmcb;
	struct vmcb_save *s = &vmcb->s;
	u32 msr = (u32)v->gpr[R_CX];
	bool write = vmcb->c.exit_info1 & 1;
	u64 val = (v->gpr[R_DX] << 32) | (u32)v->gpr[R_AX], out = 0;

	switch (msr) {
	case MSR_EFER:
		/* SVME stays set (QEMU requires it in the VMCB) and is hidden;
		 * LMA belongs to the CPU. */
		if (write)
			s->efer = (val & ~(EFER_LMA | EFER_SVME)) | (s->efer & EFER_LMA) | EFER_SVME;
		else
			out = s->efer & ~EFER_SVME;
		break;
	case MSR_VM_CR:
		out = VM_CR_SVMDIS;	/* as if the firmware had disabled SVM */
		break;
	case MSR_VM_HSAVE_PA:
		break;			/* reads 0, writes ignored */
	case MSR_APIC_BASE:
		if (write)
			wrmsr(MSR_APIC_BASE, lapic_base_write(val));
		else
			out = rdmsr(MSR_APIC_BASE);
		break;
	}
	if (!write) {
		v->gpr[R_AX] = (u32)out;
		v->gpr[R_DX] = out >> 32;
	}
	v->s.rip += 2;
}

/* vmrun.S calls this at each #VMEXIT before anything of the VMM's is
 * loaded back: GIF is clear, and the guest's FS, GS, TR, syscall MSRs and
 * x87/SSE/AVX registers are still the CPU's.  So core code only (built
 * with -mgeneral-regs-only and no stack protector; no libc).  It takes the
 * exit that dominates a Linux boot — the dword write to the PCI address
 * port, ~25,000 per boot on q35 — and returns true to enter the guest again
 * at once, which saves the four VMSAVE/VMLOADs, the x87/SSE/AVX switch and
 * the decoding; anything else, or a stopping guest, takes the ordinary
 * path.  What the VMM keeps of the guest's state is read from the VMCB at
 * the next ordinary exit, so nothing is lost by skipping the sync here. */
bool
svm_fast_exit(struct svm_vcpu *hw, u64 *gpr)
{
	struct vmcb *vmcb = hw->vmcb;
	struct vcpu *v = (struct vcpu *)gpr;	/* gpr is at offset 0 */
	u64 info = vmcb->c.exit_info1;

	if (vmcb->c.exit_code != VMEXIT_IOIO || IOIO_PORT(info) != 0xcf8 ||
	    IOIO_SIZE(info) != 4 || (info & (IOIO_IN | IOIO_STR | IOIO_REP)) ||
	    vmm_guest_over(v))
		return false;
	if (!pci_hide_fast_select(v->cpu, (u32)vmcb->s.rax))
		return false;
	vmm_note_exit(v, VMEXIT_IOIO, vmcb->s.rip);
	vmcb->s.rip = vmcb->c.exit_info2;
	v->exits++;
	v->exits_by_kind[X_IOIO]++;
	v->ioio_by_port[0]++;
	return true;
}

/* An exit in the middle of delivering an event (a nested page fault on
 * the stack or IDT the delivery touches, say) leaves the event in
 * EXITINTINFO, and the guest loses it unless the next VMRUN delivers it
 * again.  QEMU records an external interrupt there as an exception with
 * the interrupt's vector (32 and up), which VMRUN refuses as an injected
 * exception: it goes back as the interrupt it was. */
static void
redeliver_interrupted_event(struct vmcb_control *c)
{
	u64 ev = c->exit_int_info;

	if (!(ev & EVENT_VALID))
		return;
	if ((ev & EVENT_TYPE_MASK) == EVENT_TYPE_EXCEPTION && EVENT_VECTOR(ev) >= 32)
		ev = (ev & ~(EVENT_TYPE_MASK | EVENT_ERROR_VALID | 0xffffffff00000000ULL)) |
		     EVENT_TYPE_INTR;
	c->event_inject = ev;
}

bool
svm_decode_exit(struct vcpu *v, struct vm_exit *e)
{
	struct vmcb_control *c = &svm_hw(v)->vmcb->c;

	svm_sync_from_vmcb(v);
	vmm_note_exit(v, (u32)c->exit_code, v->s.rip);
	redeliver_interrupted_event(c);
	memset(e, 0, sizeof(*e));
	e->raw[0] = c->exit_code;
	e->raw[1] = c->exit_info1;
	e->raw[2] = c->exit_info2;
	switch (c->exit_code) {
	case VMEXIT_CPUID:
		e->kind = X_CPUID;
		e->next_rip = v->s.rip + 2;
		return true;
	case VMEXIT_IOIO:
		e->kind = X_IOIO;
		e->io.port = IOIO_PORT(c->exit_info1);
		e->io.size = IOIO_SIZE(c->exit_info1);
		e->io.in = c->exit_info1 & IOIO_IN;
		e->io.str = c->exit_info1 & (IOIO_STR | IOIO_REP);
		e->next_rip = c->exit_info2;
		return true;
	case VMEXIT_VMMCALL:
		e->kind = X_HYPERCALL;
		e->next_rip = v->s.rip + 3;
		return true;
	case VMEXIT_NPF:
		e->kind = X_GPF;
		e->mem.gpa = c->exit_info2;
		e->mem.write = c->exit_info1 & 2;
		e->mem.exec = c->exit_info1 & 16;
		return true;
	case VMEXIT_SHUTDOWN:
		e->kind = X_SHUTDOWN;
		return true;
	case VMEXIT_MSR:
		v->exits_by_kind[X_MSR]++;
		handle_msr(v);
		svm_sync_to_vmcb(v);
		return false;
	case VMEXIT_NMI:
		/* the host took it at STGI (platform/pc): a kick, or the
		 * guest's, which it gets now */
		v->exits_by_kind[X_OTHER]++;
		if (pc_smp_guest_nmi_take())
			c->event_inject = EVENT_VALID | EVENT_TYPE_NMI | 2;
		return false;
	case VMEXIT_VMRUN:
		v->exits_by_kind[X_VMINSN]++;
		/* SVM is hidden from the guest */
		v->ops->inject_exception(v, 6, false, 0);
		return false;
	case VMEXIT_INVALID:
		kprintf("hv: VMRUN refused the VMCB (exit code -1: invalid guest state)\n");
		return vmm_stop(v, "invalid VMCB");
	default:
		e->kind = X_OTHER;
		return true;
	}
}
