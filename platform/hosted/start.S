/* Process entry: the kernel leaves argc at (%rsp), argv after it. */
	.text
	.globl _start
	.type _start, @function
_start:
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	hosted_start
	hlt
	.size _start, .-_start

/* Signal return trampoline, named in every sigaction (SA_RESTORER). */
	.globl hosted_sigreturn
	.type hosted_sigreturn, @function
hosted_sigreturn:
	movl	$15, %eax
	syscall
	hlt
	.size hosted_sigreturn, .-hosted_sigreturn

	.section .note.GNU-stack,"",@progbits
