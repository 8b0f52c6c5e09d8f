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

#endif
