#include <core/console.h>
#include <core/cpu.h>
#include <core/ksyms.h>

const char *
cpu_vector_name(u64 v)
{
	static const char *const names[] = {
		[VEC_DE] = "#DE divide error", [VEC_DB] = "#DB debug",
		[VEC_BP] = "#BP breakpoint", [VEC_UD] = "#UD invalid opcode",
		[VEC_NM] = "#NM device not available", [VEC_DF] = "#DF double fault",
		[VEC_GP] = "#GP general protection", [VEC_PF] = "#PF page fault",
		[VEC_MF] = "#MF x87 error", [VEC_AC] = "#AC alignment check",
		[VEC_XM] = "#XM SIMD exception",
	};

	if (v == VEC_WATCHDOG)
		return "watchdog timeout";
	if (v == VEC_ABORT)
		return "abort";
	if (v == VEC_SIGNAL)
		return "signal from kill()";
	if (v == VEC_SYSCALL)
		return "raw system call";
	if (v < ARRAY_SIZE(names) && names[v])
		return names[v];
	return "exception";
}

void
cpu_regs_dump(const struct cpu_regs *r)
{
	char sym[128];

	kprintf("  rip %016llx %s\n", (unsigned long long)r->rip,
		ksym_format(r->rip, sym, sizeof(sym)));
	kprintf("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
		(unsigned long long)r->rax, (unsigned long long)r->rbx,
		(unsigned long long)r->rcx, (unsigned long long)r->rdx);
	kprintf("  rsi %016llx rdi %016llx rbp %016llx rsp %016llx\n",
		(unsigned long long)r->rsi, (unsigned long long)r->rdi,
		(unsigned long long)r->rbp, (unsigned long long)r->rsp);
	kprintf("  r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n",
		(unsigned long long)r->r8, (unsigned long long)r->r9,
		(unsigned long long)r->r10, (unsigned long long)r->r11);
	kprintf("  r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n",
		(unsigned long long)r->r12, (unsigned long long)r->r13,
		(unsigned long long)r->r14, (unsigned long long)r->r15);
	kprintf("  rflags %08llx cs %04llx ss %04llx fs_base %016llx err %llx\n",
		(unsigned long long)r->rflags, (unsigned long long)r->cs,
		(unsigned long long)r->ss, (unsigned long long)r->fs_base,
		(unsigned long long)r->error_code);
}
