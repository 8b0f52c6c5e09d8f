#ifndef CORE_RECOVER_H
#define CORE_RECOVER_H

#include <core/types.h>
#include <core/cpu.h>

/* A recovery point: saved callee-saved registers and a stack pointer, like a
 * jmp_buf.  A fault inside recover_call() unwinds to it.  The fault path
 * never runs on the faulting stack: the platform's handler edits the saved
 * registers to enter recover_resume() and returns, exactly as an iretq would
 * on bare metal. */
struct recover_point {
	u64 rbx, rbp, r12, r13, r14, r15, rsp, rip;
	struct recover_point *prev;
	struct cpu_regs fault;	/* the registers at the fault, for reports */
	int faulted;
};

/* Call fn(arg) under a recovery point.  Returns 0 if fn returned (its result
 * in *ret), or the fault vector + 1 if it was unwound. */
int recover_call(long (*fn)(void *), void *arg, long *ret);
/* The innermost active recovery point, or NULL. */
struct recover_point *recover_current(void);
/* Install rp as the innermost point, returning the one it replaces. */
void *recover_swap(void *rp);
/* Make the faulting context resume at the innermost recovery point. */
void recover_redirect(struct cpu_regs *r);

/* Low-level, in recover.S. */
int recover_save(struct recover_point *rp) __attribute__((returns_twice));
void recover_jump(struct recover_point *rp) __noreturn;

#endif
