/* The register half of a thread switch (include/core/sched.h).  Switches
 * happen only at calls, so only the SysV callee-saved registers need
 * keeping; x87/SSE control words are callee-saved too but no blob code
 * changes them across a blocking call.  Every platform is x86-64, so this
 * one file serves all of them (like recover_asm.S). */
	.text
	.globl sched_switch
	.type sched_switch, @function
sched_switch:				/* (u64 *save, u64 new_rsp) */
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size sched_switch, .-sched_switch

/* A new thread's first return lands here with entry in r12, arg in r13. */
	.globl sched_thread_trampoline
	.type sched_thread_trampoline, @function
sched_thread_trampoline:
	xorl	%ebp, %ebp		/* the end of every backtrace */
	movq	%r12, %rdi
	movq	%r13, %rsi
	andq	$-16, %rsp
	callq	sched_thread_entry
	ud2
	.size sched_thread_trampoline, .-sched_thread_trampoline

	.section .note.GNU-stack,"",@progbits
