/* u64 exec_switch_call(u64 fn, const u64 args[8], u64 stack_top)
 * Call fn(args[0..7]) (six in registers, two on the stack) on another stack (stack_top 0: on this one) and come
 * back to ours.  The caller's
 * rbp stays the frame-pointer link, so a backtrace from blob code reaches
 * the core frames. */
	.text
	.globl exec_switch_call
	.type exec_switch_call, @function
exec_switch_call:
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	movq	%rsp, %rbx
	movq	%rdi, %r11
	testq	%rdx, %rdx		/* 0: a nested call stays on this stack */
	jz	1f
	movq	%rdx, %rsp
1:	andq	$-16, %rsp
	pushq	56(%rsi)		/* arguments 7 and 8: two words keep */
	pushq	48(%rsi)		/* the stack 16-byte aligned at the call */
	movq	0(%rsi), %rdi
	movq	16(%rsi), %rdx
	movq	24(%rsi), %rcx
	movq	32(%rsi), %r8
	movq	40(%rsi), %r9
	movq	8(%rsi), %rsi
	xorl	%eax, %eax		/* a varargs callee: no vector arguments */
	callq	*%r11
	movq	%rbx, %rsp
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size exec_switch_call, .-exec_switch_call

/* TLS descriptors (-mtls-dialect=gnu2): the code calls *desc[0] with %rax =
 * desc and expects the variable's offset from the thread pointer in %rax,
 * every other register preserved.  All blob TLS is static, so the offset
 * is simply desc[1]. */
	.globl blob_tlsdesc_static
	.type blob_tlsdesc_static, @function
blob_tlsdesc_static:
	movq	8(%rax), %rax
	ret
	.size blob_tlsdesc_static, .-blob_tlsdesc_static

	.section .note.GNU-stack,"",@progbits
