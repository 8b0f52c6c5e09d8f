# Functions whose shape decides how `hook' patches them.
	.text
	.globl	shape_tiny
	.type	shape_tiny, @function
shape_tiny:			# too short for a 5-byte jump
	ret
	.size	shape_tiny, .-shape_tiny

	.globl	shape_backjump
	.type	shape_backjump, @function
shape_backjump:			# its loop branches to offset 2, inside the first 5 bytes
	xorl	%eax, %eax
1:	addq	%rdi, %rax
	decq	%rdi
	jnz	1b
	ret
	.size	shape_backjump, .-shape_backjump

	.globl	shape_riprel
	.type	shape_riprel, @function
shape_riprel:			# starts with a %rip-relative load the trampoline must fix up
	movq	shape_value(%rip), %rax
	addq	%rdi, %rax
	ret
	.size	shape_riprel, .-shape_riprel

	.globl	shape_indirect
	.type	shape_indirect, @function
shape_indirect:			# a jump through a register (as a jump table's)
	leaq	1f(%rip), %rax
	jmp	*%rax
1:	leaq	7(%rdi), %rax
	ret
	.size	shape_indirect, .-shape_indirect

	.data
	.align	8
shape_value:
	.quad	1000
	.section .note.GNU-stack,"",@progbits
