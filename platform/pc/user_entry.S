/* Ring 3 entry and exit for protection domains (user.c says why).
 *
 * Each CPU has its own entry state, struct pc_percpu (pc.h): the kernel
 * stack SYSCALL switches to (ksp), the caller's RFLAGS, a scratch word, its
 * TSS (RSP0 at +4) and the flag that says ring 3 was running.  In ring 0
 * IA32_KERNEL_GS_BASE holds its address; only pc_syscall_entry needs that
 * (it has no free register), and it SWAPGSes around its two short uses
 * with interrupts off; everything else gets the pointer from C.
 *
 * pc_user_call(rip, rsp, args, percpu) saves the VMM's callee-saved
 * registers, makes the stack below them the one ring 3 comes back on (RSP0
 * for interrupts, ksp for SYSCALL), and IRETQs to rip in ring 3 with
 * args[0..5] in the argument registers and every other register zeroed (no
 * VMM value reaches the domain).  pc_user_return(value, percpu), called from
 * the system-call dispatcher, unwinds to that frame and returns value from
 * pc_user_call.  The saved RSP0/ksp/flags of an outer call are restored on
 * the way out.
 *
 * Ring 3 runs with the IF of the VMM code that entered it, and so does the
 * dispatcher: under the hypervisor that is 0 (vmm_run_guest: interrupts
 * that arrive belong to the guest and must wait for its next entry; with
 * IF 1 in ring 3 the VMM's IDT took them as strays and the guest lost
 * them, its timer first: the guest hung, at its power-off at the latest).
 *
 * pc_syscall_entry is IA32_LSTAR.  FMASK has cleared IF, TF, DF, AC, NT and
 * IOPL; RSP is still the domain's.  It switches to ksp, saves the domain's
 * registers as struct pc_sysframe (user.c), calls pc_syscall with the
 * domain's IF, restores everything but RAX and returns with SYSRETQ.
 * Before SYSRETQ it installs its own frame top as ksp/RSP0 again, on the
 * CPU it returns from: another thread may have entered ring 3 while this
 * one slept in the dispatcher, and a thread that slept may wake on another
 * CPU (a guest CPU's hypercall runs the scheduler there).  A SYSCALL
 * executed in ring 0 (a blob loaded --in-vmm) is not a system call: it
 * becomes the #UD it was before EFER.SCE was set. */

#define PC_KSP		0
#define PC_KFLAGS	8
#define PC_SCRATCH	16
#define PC_TSS		24
#define PC_ACTIVE	32

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
	movq	%rcx, %rbx		/* percpu */
	movq	PC_TSS(%rbx), %r12
	pushq	PC_KSP(%rbx)
	pushq	4(%r12)
	pushq	PC_KFLAGS(%rbx)		/* 16-byte aligned from here */
	pushfq
	popq	PC_KFLAGS(%rbx)		/* what a recovered fault resumes with */
	/* No interrupt from here to IRETQ: one taken between the flag and
	 * IRETQ would see a ring-0 frame while the flag says ring 3, and one
	 * that switched threads would leave this CPU's ksp to another's
	 * (IRETQ sets IF again). */
	cli
	movq	%rsp, PC_KSP(%rbx)
	movq	%rsp, 4(%r12)
	pushq	$0x2b			/* SS: user data | RPL 3 */
	pushq	%rsi			/* RSP */
	movq	PC_KFLAGS(%rbx), %rax
	andl	$0x200, %eax		/* RFLAGS: the caller's IF, IOPL 0 */
	orl	$2, %eax
	pushq	%rax
	pushq	$0x33			/* CS: user code | RPL 3 */
	pushq	%rdi			/* RIP */
	movb	$1, PC_ACTIVE(%rbx)
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
	iretq
	.size	pc_user_call, .-pc_user_call

	.globl	pc_user_return
	.type	pc_user_return, @function
pc_user_return:
	cli
	movq	%rdi, %rax
	movq	PC_KFLAGS(%rsi), %rdx	/* this call's caller's flags */
	movq	PC_TSS(%rsi), %rcx
	movq	PC_KSP(%rsi), %rsp
	popq	PC_KFLAGS(%rsi)
	popq	4(%rcx)
	popq	PC_KSP(%rsi)
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
	swapgs				/* GS: this CPU's struct pc_percpu */
	testb	$1, %gs:PC_ACTIVE
	jz	from_ring0
	movb	$0, %gs:PC_ACTIVE
	movq	%rsp, %gs:PC_SCRATCH
	movq	%gs:PC_KSP, %rsp
	pushq	%gs:PC_SCRATCH		/* struct pc_sysframe, last member first */
	swapgs				/* the domain's GS again; the VMM never reads it */
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
	testl	$0x200, %r11d		/* the domain runs with its caller's IF */
	jz	1f
	sti
1:	call	pc_syscall
	/* ring 3 goes on with the IF of the VMM code here now: a thread that
	 * slept in the dispatcher may wake inside a hypercall (IF 0) */
	pushfq
	popq	%rcx
	cli
	andl	$0x200, %ecx
	andq	$~0x200, 104(%rsp)	/* the frame's rflags */
	orq	%rcx, 104(%rsp)
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
	/* the frame top is this thread's ksp again, on this CPU */
	swapgs
	leaq	24(%rsp), %rcx
	movq	%rcx, %gs:PC_KSP
	movq	%gs:PC_TSS, %r11
	movq	%rcx, 4(%r11)
	movb	$1, %gs:PC_ACTIVE
	swapgs
	popq	%r11
	popq	%rcx
	popq	%rsp
	sysretq

from_ring0:
	/* Build the frame the CPU pushes for #UD at the SYSCALL instruction
	 * and take the ordinary exception path. */
	movq	%rsp, %gs:PC_SCRATCH
	andq	$-16, %rsp
	pushq	$0x10
	pushq	%gs:PC_SCRATCH
	swapgs
	pushq	%r11
	pushq	$0x08
	subq	$2, %rcx
	pushq	%rcx
	pushq	$0			/* error code */
	pushq	$6			/* #UD */
	jmp	pc_trap_common
	.size	pc_syscall_entry, .-pc_syscall_entry

	.section .note.GNU-stack, "", @progbits
