/* The common path of import tracing.  A per-import thunk pushes the
 * import's index and jumps here; the stack is then [index][return address]
 * [the caller's stack arguments].  trace_enter records the call, keeps the
 * return address on a shadow stack and returns the real function; we call
 * it with the caller's stack layout (stack arguments where it expects
 * them, %al intact for varargs), then trace_leave records the result and
 * gives back the return address. */
	.text
	.globl trace_common
	.type trace_common, @function
trace_common:
	pushq	%rax
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%r8
	pushq	%r9
	subq	$8, %rsp		/* 16-byte alignment for the C call */
	leaq	8(%rsp), %rdi
	call	trace_enter
	movq	%rax, %r11
	addq	$8, %rsp
	popq	%r9
	popq	%r8
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	popq	%rax
	addq	$16, %rsp		/* drop index and return address */
	call	*%r11
	pushq	%rax
	pushq	%rdx
	movq	%rax, %rdi
	call	trace_leave
	movq	%rax, %r11
	popq	%rdx
	popq	%rax
	jmp	*%r11
	.size trace_common, .-trace_common

	.section .note.GNU-stack,"",@progbits
