# A call to an absolute address no 32-bit displacement reaches: the loader
# must refuse it naming type, section, offset and symbol.
	.globl	far_away
	.set	far_away, 0x7000000000
	.text
	.globl	far_call
far_call:
	nop
	call	far_away
	ret
	.section .note.GNU-stack,"",@progbits
	.text
	.globl	far_abs32
far_abs32:
	movl	$far_data, %eax		# R_X86_64_32 of a value above 4 GiB (far_abs.s)
	ret
