/* debug/ internal: the fault diagnosis's helpers, shared with bp/hook. */
#ifndef DEBUG_DIAG_H
#define DEBUG_DIAG_H

#include <core/cpu.h>

const char *diag_where(u64 a, char *buf, size_t size);
void diag_backtrace(const struct cpu_regs *r);

#endif
