/* The SVM backend's exit decoding (vmm/svm/exits.c): an event whose
 * delivery an exit interrupted (EXITINTINFO) goes back into EVENTINJ for
 * the next VMRUN, an external interrupt QEMU recorded as an exception with
 * its vector is re-delivered as the interrupt it was (VMRUN refuses an
 * injected exception above vector 31), and an exit with nothing
 * interrupted injects nothing.  The field layouts are AMD's (APM vol. 2,
 * 15.7.2 and 15.20). */
#include "tap.h"
#include "unit/host_plat.h"
#include <core/core.h>
#include <pc/smp.h>
#include "../../vmm/svm/svm.h"

/* What exits.c calls that these exits never reach. */
bool pc_smp_guest_nmi_take(void) { return false; }
u64 lapic_base_write(u64 val) { return val; }
bool pci_hide_fast_select(int cpu, u32 val) { (void)cpu; (void)val; return false; }
bool vmm_guest_over(const struct vcpu *v) { (void)v; return false; }
bool vmm_stop(struct vcpu *v, const char *reason) { (void)v; (void)reason; return false; }

#include "../../vmm/svm/exits.c"

static struct vmcb vmcb;
static struct svm_vcpu hw = { .vmcb = &vmcb };
static struct vcpu vcpu = { .hw = &hw };

/* An NPF exit (nothing of the VMM's to do in decoding) with this
 * EXITINTINFO; returns what the next VMRUN would inject. */
static u64
after_npf(u64 exit_int_info)
{
	struct vm_exit e;

	memset(&vmcb, 0, sizeof(vmcb));
	vmcb.c.exit_code = VMEXIT_NPF;
	vmcb.c.exit_info1 = 6;
	vmcb.c.exit_info2 = 0x1000;
	vmcb.c.exit_int_info = exit_int_info;
	if (!svm_decode_exit(&vcpu, &e) || e.kind != X_GPF || e.mem.gpa != 0x1000)
		return ~0ULL;
	return vmcb.c.event_inject;
}

int
main(void)
{
	/* valid | type 3 (exception) | vector 0xec: QEMU's record of the local
	 * APIC timer interrupt it was delivering */
	TAP_CHECK(after_npf(0x800003ecULL) == 0x800000ecULL,
		  "an external interrupt recorded as exception 0xec goes back as interrupt 0xec");
	TAP_CHECK(after_npf(0x800000ecULL) == 0x800000ecULL,
		  "an interrupt recorded as such goes back unchanged");
	TAP_CHECK(after_npf(0x0000001080000b0eULL) == 0x0000001080000b0eULL,
		  "a page fault with its error code (0x10) goes back with it");
	TAP_CHECK(after_npf(0x80000202ULL) == 0x80000202ULL, "an NMI goes back as an NMI");
	TAP_CHECK(after_npf(0x80000403ULL) == 0x80000403ULL,
		  "a software interrupt (int3) goes back as one");
	TAP_CHECK(after_npf(0x000003ecULL) == 0, "no valid bit: nothing injected");
	return tap_done();
}
