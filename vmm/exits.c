/* The exits every backend hands to the core, each a small fact about what
 * the guest may see: CPUID, intercepted ports, the hypercall, a fault on
 * memory the guest-physical map leaves out, a triple fault.  The backend
 * has decoded the exit (struct vm_exit) and synchronised struct vcpu. */
#include <core/console.h>
#include <core/string.h>
#include <pc/io.h>
#include <pc/xsave.h>
#include <pc/fwguest.h>
#include "vmm.h"

#define VM_EXIT_KIND_NAME(id_, name_) [X_##id_] = name_,
const char *const vm_exit_kind_names[X_KINDS] = { VM_EXIT_KINDS(VM_EXIT_KIND_NAME) };

void
vmm_cpuid(const struct vcpu *v, u32 leaf, u32 sub, u32 r[4])
{
	if (leaf >= 0x40000000 && leaf <= 0x4fffffff) {
		/* Linux scans 0x40000000..0x4000ff00 for hypervisors. */
		memset(r, 0, 4 * sizeof(u32));
		if (leaf == 0x40000000) {
			r[0] = 0x40000000;
			memcpy(&r[1], VMM_SIGNATURE, 4);
			memcpy(&r[2], VMM_SIGNATURE + 4, 4);
			memcpy(&r[3], VMM_SIGNATURE + 8, 4);
		}
		return;
	}
	if (leaf == 0xd && pc_xsave_on && v->xcr0) {
		/* sizes for the XCR0 in force: the guest's, not the VMM's */
		xsetbv(0, v->xcr0);
		cpuid(leaf, sub, r);
		xsetbv(0, pc_xcr0);
		return;
	}
	cpuid(leaf, sub, r);
	if (leaf == 1) {
		r[2] |= 1u << 31;		/* a hypervisor is present */
		r[2] &= ~(1u << 5);		/* no VMX for the guest */
		r[2] &= ~(1u << 21);		/* no x2APIC: its ICR would escape lapic.c */
		/* OSXSAVE mirrors CR4.OSXSAVE: the guest's, not the VMM's */
		r[2] &= ~(1u << 27);
		if (v->s.cr4 & (1ULL << 18))
			r[2] |= 1u << 27;
	} else if (leaf == 0x80000001) {
		r[2] &= ~(1u << 2);		/* no SVM for the guest */
	} else if (leaf == 0x8000000a) {
		memset(r, 0, 4 * sizeof(u32));
	}
}

static void
handle_cpuid(struct vcpu *v)
{
	u32 r[4];

	vmm_cpuid(v, (u32)v->gpr[R_AX], (u32)v->gpr[R_CX], r);
	v->gpr[R_AX] = r[0];
	v->gpr[R_BX] = r[1];
	v->gpr[R_CX] = r[2];
	v->gpr[R_DX] = r[3];
}

/* Intercepted ports: PCI configuration (emulated, hiding the VMM's
 * devices); the VMM's serial port and its devices' I/O ranges, where the
 * guest finds nothing (reads all ones, writes dropped). */
static void
handle_io(struct vcpu *v, const struct vm_exit *e)
{
	u16 port = e->io.port;
	unsigned size = e->io.size;
	u64 mask = size == 4 ? 0xffffffffULL : size == 2 ? 0xffff : 0xff;
	u64 val = ~0ULL;

	v->ioio_by_port[port >= 0xcf8 && port <= 0xcfb ? 0 : port >= 0xcfc && port <= 0xcff ? 1 : 2]++;
	if (e->io.str) {
		/* string I/O to these ports: nobody does it; drop it */
	} else if (port >= 0xcf8 && port <= 0xcff) {
		val = pci_hide_config_io(port, size, e->io.in, (u32)(v->gpr[R_AX] & mask));
	} else if (port == pc_console_port() + 5 && pc_fw_guest()) {
		/* The firmware had a terminal on this UART before the VMM took
		 * it: its line status says idle (transmitter empty, nothing
		 * received), or all ones would be endless input it polls for. */
		val = 0x60;
	}
	if (e->io.in && !e->io.str)
		v->gpr[R_AX] = (v->gpr[R_AX] & ~mask) | (val & mask);
}

static bool
handle_gpf(struct vcpu *v, const struct vm_exit *e)
{
	if (conceal_hidden(e->mem.gpa)) {
		char why[160];

		if (mmio_emulate_absent(v))
			return true;
		mmio_explain(v, why, sizeof(why));
		kprintf("hv: guest touched concealed page %#llx with an instruction the VMM "
			"does not emulate (%s); guest stopped\n", (unsigned long long)e->mem.gpa, why);
		return vmm_stop(v, "unemulated access to a concealed page");
	}
	kprintf("hv: guest %s VMM memory at guest-physical %#llx (%s %#llx); guest stopped\n",
		e->mem.write ? "wrote" : e->mem.exec ? "executed" : "read",
		(unsigned long long)e->mem.gpa, v->ops->gpf_info, (unsigned long long)e->raw[1]);
	snprintf(v->stop_buf, sizeof(v->stop_buf), "%s on VMM memory", v->ops->gpf_name);
	return vmm_stop(v, v->stop_buf);
}

/* Under the VMM's lock: what touches shared state. */
static bool
handle_locked(struct vcpu *v, const struct vm_exit *e)
{
	switch (e->kind) {
	case X_IOIO:
		handle_io(v, e);
		v->s.rip = e->next_rip;
		return true;
	case X_HYPERCALL:
		pci_hide_pause();	/* `pci list' for bvsh moves 0xCF8 */
		if (vmm_hypercall(v))
			v->s.rip = e->next_rip;
		pci_hide_resume();
		return true;
	case X_GPF:
		return handle_gpf(v, e);
	case X_SHUTDOWN:
		kprintf("hv: guest shutdown (triple fault); guest stopped\n");
		return vmm_stop(v, "shutdown");
	default:
		kprintf("hv: unexpected exit %#llx (%#llx %#llx); guest stopped\n",
			(unsigned long long)e->raw[0], (unsigned long long)e->raw[1],
			(unsigned long long)e->raw[2]);
		return vmm_stop(v, "unexpected exit");
	}
}

bool
vmm_handle_exit(struct vcpu *v, const struct vm_exit *e)
{
	bool ok;

	v->exits_by_kind[e->kind]++;
	/* the frequent exits are per processor and need no lock */
	if (e->kind == X_CPUID) {
		handle_cpuid(v);
		v->s.rip = e->next_rip;
		return true;
	}
	if (e->kind == X_GPF && lapic_access(v, e->mem.gpa))
		return v->running;
	vmm_lock();
	ok = handle_locked(v, e);
	vmm_unlock();
	return ok;
}
