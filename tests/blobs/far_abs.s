# An absolute symbol above 4 GiB, for far.s's R_X86_64_32.
	.globl	far_data
	.set	far_data, 0x7000000000
	.section .note.GNU-stack,"",@progbits
