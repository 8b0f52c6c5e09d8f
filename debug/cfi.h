/* debug/ internal: unwinding with a blob's .eh_frame. */
#ifndef DEBUG_CFI_H
#define DEBUG_CFI_H

#include <core/types.h>

enum { CFI_RBP = 6, CFI_RSP = 7, CFI_RA = 16, CFI_NREGS = 17 };

/* Registers in DWARF numbering; r[CFI_RA] is the pc of the frame. */
struct cfi_frame {
	u64 r[CFI_NREGS];
	bool valid[CFI_NREGS];
};

/* Is there an FDE for pc (in a loaded blob)? */
bool cfi_find(u64 pc, u64 *fde);
/* Replace *fr by its caller's registers.  1 done, 0 no FDE for the pc,
 * -1 the CFI could not be followed.  top: fr is the faulting frame (its pc
 * is not a return address). */
int cfi_step(struct cfi_frame *fr, bool top, bool (*readable)(u64 addr));

#endif
