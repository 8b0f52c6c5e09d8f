/* Helpers for `pc check': code whose register use the compiler must not
 * decide (SSE registers across an exception, an %fs-relative load). */
	.text
/* u64 pc_fpu_probe(u64 pattern): xmm0 = pattern; int3; return xmm0.
 * The #BP hook in between runs C code, clobbers xmm0 on purpose and moves
 * RIP over the pxor (as a debugger stepping on would edit RIP): xmm0 must
 * come back as it was, neither clobbered nor reset. */
	.globl pc_fpu_probe, pc_fpu_probe_skip
	.type pc_fpu_probe, @function
pc_fpu_probe:
	movq	%rdi, %xmm0
	int3
pc_fpu_probe_skip:
	pxor	%xmm0, %xmm0		/* skipped by the hook */
	movq	%xmm0, %rax
	ret
	.size pc_fpu_probe, .-pc_fpu_probe

/* void pc_fpu_clobber(void) */
	.globl pc_fpu_clobber
	.type pc_fpu_clobber, @function
pc_fpu_clobber:
	pcmpeqd	%xmm0, %xmm0
	ret
	.size pc_fpu_clobber, .-pc_fpu_clobber

/* u64 pc_fs_read_canary(void): what a stack-protected blob reads. */
	.globl pc_fs_read_canary
	.type pc_fs_read_canary, @function
pc_fs_read_canary:
	movq	%fs:0x28, %rax
	ret
	.size pc_fs_read_canary, .-pc_fs_read_canary

/* void pc_call(void *code): call into a page made executable. */
	.globl pc_call
	.type pc_call, @function
pc_call:
	jmp	*%rdi
	.size pc_call, .-pc_call

	.section .note.GNU-stack, "", @progbits
