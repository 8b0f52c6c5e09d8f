/* recover_save/recover_jump: a jmp_buf for the core, used to unwind out of a
 * faulting context.  Layout matches struct recover_point in core/recover.h. */
	.text
	.globl recover_save
	.type recover_save, @function
recover_save:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rax		/* the caller's stack after our return */
	movq	%rax, 48(%rdi)
	movq	(%rsp), %rax		/* our return address */
	movq	%rax, 56(%rdi)
	xorl	%eax, %eax
	ret
	.size recover_save, .-recover_save

	.globl recover_jump
	.type recover_jump, @function
recover_jump:
	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	cld
	movl	$1, %eax
	jmpq	*56(%rdi)
	.size recover_jump, .-recover_jump

	.section .note.GNU-stack,"",@progbits
