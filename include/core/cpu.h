#ifndef CORE_CPU_H
#define CORE_CPU_H

#include <core/types.h>

/* The register state at an exception, in one layout for every platform: the
 * hosted platform fills it from a signal's ucontext, the bare-metal one from
 * its interrupt frame.  Handlers may change it; the platform resumes from it. */
struct cpu_regs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rip, rflags;
	u64 cs, ss;
	u64 fs_base, gs_base;
	u64 vector;		/* x86 exception vector (14 = #PF, ...) */
	u64 error_code;
	u64 fault_addr;		/* CR2 / si_addr where meaningful */
	bool fault_addr_valid;
};

enum {
	VEC_DE = 0, VEC_DB = 1, VEC_BP = 3, VEC_UD = 6, VEC_NM = 7, VEC_DF = 8,
	VEC_GP = 13, VEC_PF = 14, VEC_MF = 16, VEC_AC = 17, VEC_XM = 19,
	VEC_WATCHDOG = 256,	/* not a CPU vector: the blob watchdog fired */
	VEC_ABORT = 257,	/* not a CPU vector: ctx_abort() */
	VEC_SIGNAL = 258,	/* not a CPU vector: a signal another process sent
				 * (hosted; error_code holds its number) */
	VEC_SYSCALL = 259,	/* not a CPU vector: a system call from outside the
				 * VMM's own code, not made (hosted; error_code: its
				 * number) */
};

const char *cpu_vector_name(u64 vector);
void cpu_regs_dump(const struct cpu_regs *r);

#endif
