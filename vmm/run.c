/* Choosing the backend and running the guest.  The CPU decides: AMD's SVM
 * (CPUID 0x80000001 ECX bit 2) or Intel's VMX (CPUID 1 ECX bit 5); each
 * backend then checks the rest itself (nested paging, EPT, the firmware's
 * enable bits). */
#include <core/console.h>
#include <core/string.h>
#include <core/time.h>
#include <pc/io.h>
#include <pc/apic.h>
#include <pc/smp.h>
#include "vmm.h"

const struct vmm_backend *
vmm_backend_pick(const char **why)
{
	const struct vmm_backend *b;
	u32 r[4];

	cpuid(1, 0, r);
	b = r[2] & (1u << 5) ? &vmx_backend : &svm_backend;
	return b->supported(why) ? b : NULL;
}

int
vmm_vcpu_init(struct vcpu *v, const struct vmm_backend *ops)
{
	memset(v, 0, sizeof(*v));
	v->ops = ops;
	if (ops->vcpu_init(v))
		return -1;
	pci_hide_setup(v->io_bitmap);
	conceal_setup(v);
	/* with APs to start, their INIT/SIPI must be seen: trap the APIC page */
	if (ops->vcpu_init_ap && pc_ncpus() > 1)
		lapic_setup(v);
	return 0;
}

/* An AP's guest CPU that had to stop (a fault on VMM memory, a triple
 * fault...) stops the whole guest: the BSP's vCPU ends at its next exit
 * with this reason, and the other APs follow it (vmm_vcpus_stop). */
static char ap_stop[64];
static volatile bool ap_stopped;

bool
vmm_stop(struct vcpu *v, const char *reason)
{
	v->stop_reason = reason;
	v->running = false;
	v->ops->dump(v);
	if (v->cpu && !ap_stopped) {
		snprintf(ap_stop, sizeof(ap_stop), "CPU %d: %s", v->cpu, reason);
		__atomic_store_n(&ap_stopped, true, __ATOMIC_RELEASE);
	}
	return false;
}

void
vmm_dump_guest(const struct vcpu *v)
{
	const struct vm_state *s = &v->s;
	const u64 *g = v->gpr;

	kprintf("  rip %016llx rsp %016llx rflags %08llx cpl %u\n",
		(unsigned long long)s->rip, (unsigned long long)g[R_SP],
		(unsigned long long)s->rflags, s->cpl);
	kprintf("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
		(unsigned long long)g[R_AX], (unsigned long long)g[R_BX],
		(unsigned long long)g[R_CX], (unsigned long long)g[R_DX]);
	kprintf("  rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n",
		(unsigned long long)g[R_SI], (unsigned long long)g[R_DI],
		(unsigned long long)g[R_BP], (unsigned long long)g[R_8]);
	kprintf("  cr0 %016llx cr3 %016llx cr4 %016llx efer %llx\n",
		(unsigned long long)s->cr0, (unsigned long long)s->cr3,
		(unsigned long long)s->cr4, (unsigned long long)s->efer);
	kprintf("  last exits (code@rip, oldest first):");
	for (u32 j = v->recent_next - MIN(v->recent_next, (u32)ARRAY_SIZE(v->recent));
	     j != v->recent_next; j++) {
		u32 k = j % ARRAY_SIZE(v->recent);

		kprintf(" %#x@%llx", v->recent[k].code, (unsigned long long)v->recent[k].rip);
	}
	kprintf("\n");
}

void
vmm_run_guest(struct vcpu *v)
{
	u64 flags;

	/* IF=0 while the guest owns the machine: its interrupts wait for the
	 * next entry instead of landing in the VMM's IDT. */
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	if (!v->cpu)
		pc_apic_lend();	/* the BSP's: the watchdog's; an AP's has nothing of the VMM's */
	v->running = true;
	v->stop_reason = NULL;
	while (v->running) {
		struct vm_exit e;
		u64 t0 = time_now_ns();
		bool core;

		core = v->ops->run(v, &e);
		v->run_ns += time_now_ns() - t0;
		v->exits++;
		if (core && vmm_handle_exit(v, &e))
			v->ops->resume(v);
		if (v->running && vmm_guest_over(v)) {
			v->running = false;
			v->stop_reason = "the BSP's guest stopped";
		}
		if (v->running && !v->cpu && __atomic_load_n(&ap_stopped, __ATOMIC_ACQUIRE)) {
			v->running = false;
			v->stop_reason = ap_stop;
		}
		if (v->running && v->init_pending) {
			v->running = false;
			v->stop_reason = "INIT";
		}
	}
	if (!v->cpu)
		pc_apic_reclaim();	/* the guest is done with it: the watchdog works again */
	__asm__ volatile("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
}

void
io_intercept(u8 *bitmap, u16 first, u16 last)
{
	for (u32 port = first; port <= last; port++)
		bitmap[port / 8] |= 1 << (port % 8);
}
