# Relocation types gcc does not emit from C: PC64, SIZE32, SIZE64, NONE,
# GOTPCREL64.  asm_check returns 0 when every value is right.
	.text
	.globl	asm_check
	.type	asm_check, @function
asm_check:
	leaq	pc64_slot(%rip), %rax		# PC64: the slot holds asm_target - slot
	movq	(%rax), %rcx
	addq	%rax, %rcx
	leaq	asm_target(%rip), %rdx
	cmpq	%rdx, %rcx
	jne	1f
	movl	$asm_obj@SIZE, %eax		# SIZE32 (local)
	cmpl	$24, %eax
	jne	2f
	movabsq	$asm_obj@SIZE, %rax		# SIZE64
	cmpq	$24, %rax
	jne	3f
	movl	$rt_other_data@SIZE, %eax	# SIZE32 of a symbol in another object
	cmpl	$4, %eax
	jne	4f
	.reloc	., R_X86_64_NONE, asm_obj
	xorl	%eax, %eax
	ret
1:	movl	$1, %eax
	ret
2:	movl	$2, %eax
	ret
3:	movl	$3, %eax
	ret
4:	movl	$4, %eax
	ret
	.size	asm_check, .-asm_check

	.type	asm_target, @function
asm_target:
	ret

	.data
	.p2align 3
pc64_slot:
	.quad	asm_target - .
	.globl	asm_obj
	.type	asm_obj, @object
	.size	asm_obj, 24
asm_obj:
	.zero	24
	.section .note.GNU-stack,"",@progbits
