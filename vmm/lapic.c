/* The guest's local APIC.  Every processor's xAPIC page sits at the same
 * physical address (LAPIC_PAGE); the guest-physical map leaves that page
 * read-only (or out, where the backend cannot), so each write the guest
 * makes exits on the processor that made it, where the VMM decodes the MOV
 * (mmio_emul.c) and performs it on that processor's real APIC — the
 * guest's IDs are the real ones, and its fixed and NMI IPIs go out as it
 * wrote them.  Reads change nothing and go to the APIC directly (ICR
 * polls, ID, ISR: each was an exit).  Only INIT and start-up IPIs are
 * the VMM's: an AP must start in guest mode, under its own vCPU, never in
 * the VMM's place (vcpus.c).  x2APIC is hidden from the guest's CPUID and
 * refused in IA32_APIC_BASE, so no ICR write bypasses the page. */
#include <core/console.h>
#include <pc/apic.h>
#include <pc/smp.h>
#include "vmm.h"

#define APIC_ID		0x020
#define ICR_LO		0x300
#define ICR_HI		0x310
#define ICR_MODE(lo)	(((lo) >> 8) & 7)
#define MODE_INIT	5
#define MODE_STARTUP	6
#define ICR_LOGICAL	(1u << 11)
#define ICR_ASSERT	(1u << 14)
#define ICR_SHORTHAND(lo) (((lo) >> 18) & 3)
#define SH_NONE		0
#define SH_SELF		1

#define APIC_BASE_X2	(1ULL << 10)
#define APIC_BASE_ADDR	0x000ffffffffff000ULL

void
lapic_setup(struct vcpu *v)
{
	if (v->ops->readonly_page)
		v->ops->readonly_page(v, LAPIC_PAGE);
	else
		v->ops->hide_page(v, LAPIC_PAGE);
}

u64
lapic_base_write(u64 val)
{
	/* x2APIC's ICR is an MSR the VMM does not trap; a moved page would
	 * escape the trap too: the guest keeps xAPIC at LAPIC_PAGE */
	return (val & ~(APIC_BASE_X2 | APIC_BASE_ADDR)) | LAPIC_PAGE;
}

/* INIT or start-up to one APIC ID, or to every processor but this one. */
static void
startup_ipi(struct vcpu *v, u32 lo)
{
	bool init = ICR_MODE(lo) == MODE_INIT;
	u32 dest = v->icr_hi >> 24;

	if (init && !(lo & ICR_ASSERT))
		return;		/* INIT level de-assert: nothing on current processors */
	if (ICR_SHORTHAND(lo) == SH_SELF)
		return;		/* a processor cannot re-start itself here */
	if (ICR_SHORTHAND(lo) == SH_NONE) {
		if (lo & ICR_LOGICAL) {
			vmm_lock();
			kprintf("hv: guest CPU %d: %s IPI in logical destination mode (%#x): "
				"dropped (only physical APIC IDs start APs)\n",
				v->cpu, init ? "INIT" : "start-up", dest);
			vmm_unlock();
			return;
		}
		if (init)
			vmm_ap_init(v, dest);
		else
			vmm_ap_sipi(v, dest, (u8)lo);
		return;
	}
	for (int i = 0; i < vmm_nvcpus; i++) {		/* all (but self) */
		if (!vmm_vcpus[i] || vmm_vcpus[i] == v)
			continue;
		if (init)
			vmm_ap_init(v, vmm_vcpus[i]->apic_id);
		else
			vmm_ap_sipi(v, vmm_vcpus[i]->apic_id, (u8)lo);
	}
}

static void
apic_store(struct vcpu *v, u32 reg, u32 val)
{
	if (reg == APIC_ID)
		return;		/* the VMM tells its processors apart by it (pc_smp_this_cpu) */
	if (reg == ICR_HI) {
		v->icr_hi = val;
		pc_apic_write(ICR_HI, val);
	} else if (reg == ICR_LO && (ICR_MODE(val) == MODE_INIT || ICR_MODE(val) == MODE_STARTUP)) {
		startup_ipi(v, val);
		pc_apic_write(ICR_HI, v->icr_hi);	/* the VMM's own IPIs used it */
	} else {
		if (reg == ICR_LO)
			pc_apic_write(ICR_HI, v->icr_hi);
		pc_apic_write(reg, val);
	}
}

bool
lapic_access(struct vcpu *v, u64 gpa)
{
	struct mmio_op op;
	u32 off = (u32)(gpa & 0xfff), reg = off & ~3u;

	if ((gpa & ~0xfffULL) != LAPIC_PAGE)
		return false;
	if (!mmio_decode(v, &op) || (op.size > 4 && (off & 0xf))) {
		char why[160];

		mmio_explain(v, why, sizeof(why));
		vmm_lock();
		kprintf("hv: guest CPU %d: local APIC access at offset %#x by an instruction the VMM "
			"does not emulate (%s); guest stopped\n", v->cpu, off, why);
		vmm_stop(v, "unemulated local APIC access");
		vmm_unlock();
		return true;
	}
	if (op.write) {
		/* the registers are 32 bits wide, 16-byte aligned; narrower
		 * stores merge into the register as the APIC would see them */
		u32 val = (u32)(op.value << (8 * (off & 3)));

		if (op.size < 4) {
			u32 mask = (u32)(((1ULL << (op.size * 8)) - 1) << (8 * (off & 3)));

			val = (pc_apic_read(reg) & ~mask) | (val & mask);
		}
		apic_store(v, reg, val);
	}
	mmio_complete(v, &op, op.write ? 0 : pc_apic_read(reg) >> (8 * (off & 3)));
	return true;
}
