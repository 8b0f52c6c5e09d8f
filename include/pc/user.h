/* Ring 3's MSRs and a hypervisor backend that does not switch them
 * (platform/pc/user.c).  VMX leaves the guest's STAR, LSTAR, FMASK and
 * KERNEL_GS_BASE in the CPU after an exit (SVM's VMLOAD restores the
 * VMM's); a protection domain's SYSCALL would then enter the guest's
 * kernel address in ring 0.  So the backend lends them instead of
 * switching them on every exit: after an exit it says the guest's are in
 * the CPU, and only if ring 3 runs before the next entry are they saved
 * and the VMM's loaded; before the next entry the guest's go back. */
#ifndef PC_USER_H
#define PC_USER_H

#include <core/types.h>

#define PC_USER_MSRS 4

/* After an exit on cpu: the guest's values are live; save[] keeps them
 * if ring 3 needs the CPU. */
void pc_user_msrs_guest_live(int cpu, u64 save[PC_USER_MSRS]);
/* Before the next entry on cpu: the guest's values back if they were
 * saved. */
void pc_user_msrs_guest_back(int cpu);

#endif
