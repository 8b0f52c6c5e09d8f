/* The local APIC has one owner at a time.  The VMM uses its timer for the
 * blob watchdog; a hypervisor guest takes the whole APIC while it runs (no
 * preemptive watchdog for blobs then) and gives it back when it stops. */
#ifndef PC_APIC_H
#define PC_APIC_H

#include <core/types.h>

/* Stop the VMM's timer and hand the APIC to a guest. */
void pc_apic_lend(void);
/* Take it back after the guest stopped: the VMM's setup again, timer idle. */
void pc_apic_reclaim(void);
bool pc_apic_is_lent(void);
/* The calling AP's APIC back to the VMM's setup after a guest CPU ran
 * there (timer stopped, LVTs masked). */
void pc_apic_reset_local(void);

/* The calling CPU's local APIC registers (xAPIC offsets), for the VMM's
 * emulation of a guest's accesses; and an IPI from it. */
u32 pc_apic_read(u32 reg);
void pc_apic_write(u32 reg, u32 val);
void pc_apic_send_ipi(u32 apic_id, u32 icr_low);

#endif
