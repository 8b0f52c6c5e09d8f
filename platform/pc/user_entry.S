/* Ring 3 entry and exit for protection domains (user.c says why).
 *
 * pc_user_call(rip, rsp, args) saves the VMM's callee-saved registers, makes
 * the stack below them the one ring 3 comes back on (TSS RSP0 for interrupts,
 * pc_user_ksp for SYSCALL), and IRETQs to rip in ring 3 with args[0..5] in
 * the argument registers and every other register zeroed (no VMM value
 * reaches the domain).  pc_user_return(value), called from the system-call
 * dispatcher, unwinds to that frame and returns value from pc_user_call.
 * The saved RSP0/ksp/flags of an outer call are restored on the way out.
 *
 * pc_syscall_entry is IA32_LSTAR.  FMASK has cleared IF, TF, DF, AC, NT and
 * IOPL; RSP is still the domain's.  It switches to pc_user_ksp, saves the
 * domain's registers as struct pc_sysframe (user.c), calls pc_syscall with
 * interrupts on, restores everything but RAX and returns with SYSRETQ.
 * Before SYSRETQ it installs its own frame top as ksp/RSP0 again: another
 * thread may have entered ring 3 while this one slept in the dispatcher.
 * A SYSCALL executed in ring 0 (a blob loaded --in-vmm) is not a system
 * call: it becomes the #UD it was before EFER.SCE was set. */

	.text
	.globl	pc_user_call
	.type	pc_user_call, @function
pc_user_call:
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	pc_user_ksp(%rip)
	pushq	pc_tss+4(%rip)
	pushq	pc_user_kflags(%rip)	/* 16-byte aligned from here */
	pushfq
	popq	pc_user_kflags(%rip)	/* what a recovered fault resumes with */
	movq	%rsp, pc_user_ksp(%rip)
	movq	%rsp, pc_tss+4(%rip)
	pushq	$0x2b			/* SS: user data | RPL 3 */
	pushq	%rsi			/* RSP */
	pushq	$0x202			/* RFLAGS: IF, IOPL 0 */
	pushq	$0x33			/* CS: user code | RPL 3 */
	pushq	%rdi			/* RIP */
	movq	%rdx, %rax
	movq	0(%rax), %rdi
	movq	8(%rax), %rsi
	movq	16(%rax), %rdx
	movq	24(%rax), %rcx
	movq	32(%rax), %r8
	movq	40(%rax), %r9
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ebp, %ebp
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
	/* No interrupt between the flag and IRETQ: one taken there would see
	 * a ring-0 frame while the flag says ring 3 (IRETQ sets IF again). */
	cli
	movb	$1, pc_user_active(%rip)
	iretq
	.size	pc_user_call, .-pc_user_call

	.globl	pc_user_return
	.type	pc_user_return, @function
pc_user_return:
	cli
	movq	%rdi, %rax
	movq	pc_user_kflags(%rip), %rdx	/* this call's caller's flags */
	movq	pc_user_ksp(%rip), %rsp
	popq	pc_user_kflags(%rip)
	popq	pc_tss+4(%rip)
	popq	pc_user_ksp(%rip)
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	pushq	%rdx
	popfq
	ret
	.size	pc_user_return, .-pc_user_return

	.globl	pc_syscall_entry
	.type	pc_syscall_entry, @function
pc_syscall_entry:
	testb	$1, pc_user_active(%rip)
	jz	from_ring0
	movb	$0, pc_user_active(%rip)
	movq	%rsp, pc_user_scratch(%rip)
	movq	pc_user_ksp(%rip), %rsp
	pushq	pc_user_scratch(%rip)	/* struct pc_sysframe, last member first */
	pushq	%rcx			/* rip after the SYSCALL */
	pushq	%r11			/* rflags */
	pushq	%r9
	pushq	%r8
	pushq	%r10
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rax			/* the number */
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15			/* 16 words: aligned as ksp is */
	movq	%rsp, %rdi
	xorl	%ebp, %ebp		/* backtraces of the dispatcher end here */
	sti
	call	pc_syscall
	cli
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	addq	$8, %rsp		/* the number: rax holds the result */
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%r10
	popq	%r8
	popq	%r9
	popq	%r11
	popq	%rcx
	/* the frame top is this thread's ksp again */
	leaq	8(%rsp), %rsp
	movq	%rsp, pc_user_ksp(%rip)
	movq	%rsp, pc_tss+4(%rip)
	movq	-8(%rsp), %rsp
	movb	$1, pc_user_active(%rip)
	sysretq

from_ring0:
	/* Build the frame the CPU pushes for #UD at the SYSCALL instruction
	 * and take the ordinary exception path. */
	movq	%rsp, pc_user_scratch(%rip)
	andq	$-16, %rsp
	pushq	$0x10
	pushq	pc_user_scratch(%rip)
	pushq	%r11
	pushq	$0x08
	subq	$2, %rcx
	pushq	%rcx
	pushq	$0			/* error code */
	pushq	$6			/* #UD */
	jmp	pc_trap_common
	.size	pc_syscall_entry, .-pc_syscall_entry

	.bss
	.balign	8
	.globl	pc_user_ksp, pc_user_kflags, pc_user_active
pc_user_ksp:
	.quad	0
pc_user_kflags:
	.quad	0
pc_user_scratch:
	.quad	0
pc_user_active:
	.byte	0

	.section .note.GNU-stack, "", @progbits
