/* The core fault handler.  Hooks that know more (breakpoints, the blob
 * runtime's diagnosis) run first; otherwise the fault is reported and the
 * innermost recovery point resumes, so a faulting shell command returns to
 * the prompt instead of taking the VMM down. */
#include <core/console.h>
#include <core/fault.h>
#include <core/ksyms.h>
#include <core/ordered.h>
#include <core/panic.h>
#include <core/recover.h>

static struct fault_hook *hooks;

void
fault_hook_register(struct fault_hook *h)
{
	ORDERED_INSERT(hooks, h);
}

/* Follow the core's frame-pointer chain while it stays on the same stack. */
static void
core_backtrace(const struct cpu_regs *r)
{
	u64 fp = r->rbp;
	char sym[128];

	for (int depth = 0; depth < 16; depth++) {
		u64 *frame = (u64 *)fp;

		if (fp < r->rsp || fp - r->rsp > (1 << 20) || (fp & 7))
			break;
		if (!ksym_lookup(frame[1], &(u64){0}))
			break;
		kprintf("    #%d %s\n", depth, ksym_format(frame[1], sym, sizeof(sym)));
		fp = frame[0];
	}
}

void
fault_report(const struct cpu_regs *r)
{
	char sym[128];

	kprintf("fault: %s at %s", cpu_vector_name(r->vector),
		ksym_format(r->rip, sym, sizeof(sym)));
	if (r->fault_addr_valid)
		kprintf(", address %#llx", (unsigned long long)r->fault_addr);
	kprintf("\n");
	cpu_regs_dump(r);
	kprintf("  backtrace:\n");
	core_backtrace(r);
}

void
fault_handle(struct cpu_regs *r)
{
	for (struct fault_hook *h = hooks; h; h = h->next)
		if (h->fn(r))
			return;
	fault_report(r);
	if (!recover_current())
		panic("fault outside any recovery point");
	recover_redirect(r);
}
