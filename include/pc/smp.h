/* The processors the platform started (platform/pc/smp.c), as the
 * hypervisor sees them: cpu 0 is the bootstrap processor, 1.. the APs that
 * came online, each waiting in the VMM until it is given work. */
#ifndef PC_SMP_H
#define PC_SMP_H

#include <core/types.h>

int pc_ncpus(void);
/* The calling CPU's index (0 = BSP), from its local APIC ID. */
int pc_smp_this_cpu(void);
/* cpu's APIC ID; the index of the CPU with this APIC ID that the VMM
 * started (online or running a guest CPU), or -1. */
u32 pc_smp_apic_id(int cpu);
int pc_smp_cpu_by_apic(u32 apic_id);
/* A guest is about to own the interrupt controllers.  virtualized: the
 * VMM starts the APs itself when the guest sends them INIT/SIPI
 * (pc_smp_start_guest_cpu); otherwise they are left to the guest. */
void pc_smp_give_to_guest(bool virtualized);
/* Have AP cpu run fn(arg) from now on, without waiting for it: the AP
 * belongs to a guest CPU (`pc cpus' says so) until fn returns.  -1 if
 * the AP is not online and idle. */
int pc_smp_start_guest_cpu(int cpu, void (*fn)(void *), void *arg);
/* Make a processor running a guest CPU leave guest mode soon: an NMI,
 * which its vCPU intercepts (SVM) and its NMI handler recognises as this
 * kick (a halted guest wakes too). */
void pc_smp_kick(int cpu);
/* The NMI handler's question on this processor: true if the NMI was a
 * kick or the guest's (then kept for pc_smp_guest_nmi_take), false if
 * it is the VMM's own to report. */
bool pc_smp_nmi_taken(void);
/* After a vCPU's NMI exit: was the NMI the guest's (then inject it)? */
bool pc_smp_guest_nmi_take(void);

#endif
