#ifndef CORE_FAULT_H
#define CORE_FAULT_H

#include <core/cpu.h>

/* Every CPU exception on every platform comes here.  Returns when the
 * platform should resume from *r (possibly edited). */
void fault_handle(struct cpu_regs *r);

/* Subsystems that understand a fault better (the blob runtime, the
 * debugger's breakpoints) register a handler; the first to return true
 * has handled it.  Lower order runs first. */
struct fault_hook {
	int order;
	bool (*fn)(struct cpu_regs *r);
	struct fault_hook *next;
};
void fault_hook_register(struct fault_hook *h);
/* The default report: vector, place, registers, core backtrace. */
void fault_report(const struct cpu_regs *r);

#endif
