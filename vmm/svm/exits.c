/* #VMEXIT handlers: each a small fact about what the guest may see.  QEMU's
 * SVM has no next-RIP saving, so the VMM advances RIP itself by the fixed
 * lengths of the intercepted instructions; IOIO exits give the next RIP. */
#include <core/console.h>
#include <core/string.h>
#include <pc/io.h>
#include <pc/xsave.h>
#include "svm.h"

#define EFER_SVME	(1ULL << 12)
#define EFER_LMA	(1ULL << 10)
#define MSR_VM_CR	0xc0010114
#define MSR_VM_HSAVE_PA	0xc0010117
#define VM_CR_SVMDIS	(1ULL << 4)

#define SVM_EXIT_KIND_NAME(id_, name_) [X_##id_] = name_,
const char *const svm_exit_kind_names[X_KINDS] = { SVM_EXIT_KINDS(SVM_EXIT_KIND_NAME) };

/* The register a CPUID or RDMSR result lands in: RAX lives in the VMCB. */
static void
set_rax(struct svm_vcpu *v, u64 val)
{
	v->vmcb->s.rax = val;
}

static void
skip(struct svm_vcpu *v, unsigned len)
{
	v->vmcb->s.rip += len;
}

static void
handle_cpuid(struct svm_vcpu *v)
{
	u32 leaf = (u32)v->vmcb->s.rax, sub = (u32)v->g.rcx, r[4];

	if (leaf >= 0x40000000 && leaf <= 0x4fffffff) {
		/* Linux scans 0x40000000..0x4000ff00 for hypervisors. */
		memset(r, 0, sizeof(r));
		if (leaf == 0x40000000) {
			r[0] = 0x40000000;
			memcpy(&r[1], SVM_SIGNATURE, 4);
			memcpy(&r[2], SVM_SIGNATURE + 4, 4);
			memcpy(&r[3], SVM_SIGNATURE + 8, 4);
		}
	} else if (leaf == 0xd && pc_xsave_on) {
		/* sizes for the XCR0 in force: the guest's, not the VMM's */
		xsetbv(0, v->guest_xcr0);
		cpuid(leaf, sub, r);
		xsetbv(0, pc_xcr0);
	} else {
		cpuid(leaf, sub, r);
		if (leaf == 1) {
			r[2] |= 1u << 31;		/* a hypervisor is present */
			/* OSXSAVE mirrors CR4.OSXSAVE: the guest's, not the VMM's */
			r[2] &= ~(1u << 27);
			if (v->vmcb->s.cr4 & (1ULL << 18))
				r[2] |= 1u << 27;
		} else if (leaf == 0x80000001)
			r[2] &= ~(1u << 2);		/* no SVM for the guest */
		else if (leaf == 0x8000000a)
			memset(r, 0, sizeof(r));
	}
	set_rax(v, r[0]);
	v->g.rbx = r[1];
	v->g.rcx = r[2];
	v->g.rdx = r[3];
	skip(v, 2);
}

static void
handle_msr(struct svm_vcpu *v)
{
	struct vmcb_save *s = &v->vmcb->s;
	u32 msr = (u32)v->g.rcx;
	bool write = v->vmcb->c.exit_info1 & 1;
	u64 val = (v->g.rdx << 32) | (u32)s->rax, out = 0;

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
	}
	if (!write) {
		set_rax(v, (u32)out);
		v->g.rdx = out >> 32;
	}
	skip(v, 2);
}

/* Intercepted ports: PCI configuration (emulated, hiding the VMM's
 * devices); the VMM's serial port and its devices' I/O ranges, where the
 * guest finds nothing (reads all ones, writes dropped). */
static void
handle_ioio(struct svm_vcpu *v)
{
	u64 info = v->vmcb->c.exit_info1;
	unsigned size = IOIO_SIZE(info);
	u16 port = IOIO_PORT(info);
	bool in = info & IOIO_IN;
	u64 mask = size == 4 ? 0xffffffffULL : size == 2 ? 0xffff : 0xff;
	u64 val = ~0ULL;

	v->ioio_by_port[port >= 0xcf8 && port <= 0xcfb ? 0 : port >= 0xcfc && port <= 0xcff ? 1 : 2]++;
	if (info & (IOIO_STR | IOIO_REP)) {
		/* string I/O to these ports: nobody does it; drop it */
	} else if (port >= 0xcf8 && port <= 0xcff) {
		val = pci_hide_config_io(port, size, in, (u32)(v->vmcb->s.rax & mask));
	}
	if (in && !(info & IOIO_STR))
		set_rax(v, (v->vmcb->s.rax & ~mask) | (val & mask));
	v->vmcb->s.rip = v->vmcb->c.exit_info2;
}

static void
inject_ud(struct svm_vcpu *v)
{
	v->vmcb->c.event_inject = EVENT_VALID | EVENT_TYPE_EXCEPTION | 6;
}

bool
svm_handle_exit(struct svm_vcpu *v)
{
	struct vmcb_control *c = &v->vmcb->c;

	switch (c->exit_code) {
	case VMEXIT_CPUID:
		v->exits_by_code[X_CPUID]++;
		handle_cpuid(v);
		return true;
	case VMEXIT_MSR:
		v->exits_by_code[X_MSR]++;
		handle_msr(v);
		return true;
	case VMEXIT_IOIO:
		v->exits_by_code[X_IOIO]++;
		handle_ioio(v);
		return true;
	case VMEXIT_VMMCALL:
		v->exits_by_code[X_VMMCALL]++;
		svm_hypercall(v);
		pci_hide_resume();	/* `pci list' for bvsh moved 0xCF8 */
		skip(v, 3);
		return true;
	case VMEXIT_VMRUN:
		v->exits_by_code[X_VMRUN]++;
		inject_ud(v);		/* SVM is hidden from the guest */
		return true;
	case VMEXIT_NPF:
		v->exits_by_code[X_NPF]++;
		if (conceal_hidden(c->exit_info2)) {
			if (mmio_emulate_absent(v))
				return true;
			kprintf("hv: guest touched concealed page %#llx with an instruction the VMM "
				"does not emulate; guest stopped\n", (unsigned long long)c->exit_info2);
			v->stop_reason = "unemulated access to a concealed page";
			svm_dump_guest(v);
			return false;
		}
		kprintf("hv: guest %s VMM memory at guest-physical %#llx (error %#llx); guest stopped\n",
			c->exit_info1 & 2 ? "wrote" : c->exit_info1 & 16 ? "executed" : "read",
			(unsigned long long)c->exit_info2, (unsigned long long)c->exit_info1);
		v->stop_reason = "nested page fault on VMM memory";
		svm_dump_guest(v);
		return false;
	case VMEXIT_SHUTDOWN:
		v->exits_by_code[X_SHUTDOWN]++;
		kprintf("hv: guest shutdown (triple fault); guest stopped\n");
		v->stop_reason = "shutdown";
		svm_dump_guest(v);
		return false;
	case VMEXIT_INVALID:
		kprintf("hv: VMRUN refused the VMCB (exit code -1: invalid guest state)\n");
		v->stop_reason = "invalid VMCB";
		svm_dump_guest(v);
		return false;
	default:
		v->exits_by_code[X_OTHER]++;
		kprintf("hv: unexpected #VMEXIT %#llx (info1 %#llx info2 %#llx); guest stopped\n",
			(unsigned long long)c->exit_code, (unsigned long long)c->exit_info1,
			(unsigned long long)c->exit_info2);
		v->stop_reason = "unexpected exit";
		svm_dump_guest(v);
		return false;
	}
}
