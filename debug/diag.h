/* debug/ internal: the fault diagnosis's helpers, shared with bp/hook. */
#ifndef DEBUG_DIAG_H
#define DEBUG_DIAG_H

#include <core/cpu.h>

const char *diag_where(u64 a, char *buf, size_t size);

/* What a backtrace learnt on the way, for the diagnosis after it. */
struct diag_bt {
	char last_import[64];	/* the first core function called from blob code, "" */
	u64 blob_caller;	/* the first blob frame's pc (a call site), 0 */
};
/* Print the backtrace of the context r (blob frames by CFI, others by frame
 * pointers) and fill *bt. */
void diag_backtrace(const struct cpu_regs *r, struct diag_bt *bt);

#endif
