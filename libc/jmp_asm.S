/* setjmp/longjmp with glibc's jmp_buf (struct __jmp_buf_tag, 200 bytes):
 * rbx rbp r12 r13 r14 r15 rsp rip at 0..56, __mask_was_saved at 64, the
 * signal mask at 72.  No pointer mangling: nothing outside this file reads
 * the registers back, and there are no signals to save a mask for. */
	.text

	.globl	__sigsetjmp
	.type	__sigsetjmp, @function
__sigsetjmp:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rdx		/* the caller's rsp after our return */
	movq	%rdx, 48(%rdi)
	movq	(%rsp), %rdx
	movq	%rdx, 56(%rdi)
	movl	$0, 64(%rdi)		/* no mask saved: no signals here */
	xorl	%eax, %eax
	ret
	.size	__sigsetjmp, . - __sigsetjmp

	.globl	_setjmp
	.type	_setjmp, @function
_setjmp:
	xorl	%esi, %esi
	jmp	__sigsetjmp
	.size	_setjmp, . - _setjmp

	.globl	setjmp
	.type	setjmp, @function
setjmp:
	movl	$1, %esi
	jmp	__sigsetjmp
	.size	setjmp, . - setjmp

	/* longjmp(env, val): val 0 becomes 1 */
	.globl	longjmp
	.type	longjmp, @function
longjmp:
	movl	%esi, %eax
	testl	%eax, %eax
	jnz	1f
	incl	%eax
1:	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	jmpq	*56(%rdi)
	.size	longjmp, . - longjmp

	.section .note.GNU-stack, "", @progbits
