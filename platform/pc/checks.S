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

/* u64 pc_ymm_probe(u64 pattern): the upper half of ymm0 = pattern; int3;
 * return it.  The hook clobbers ymm0 (a VEX write of xmm0 zeroes the upper
 * half) and steps over the vpxor: the upper half must come back, which
 * only XSAVE in the trap path keeps.  Needs AVX enabled in XCR0. */
	.globl pc_ymm_probe, pc_ymm_probe_skip
	.type pc_ymm_probe, @function
pc_ymm_probe:
	vmovq	%rdi, %xmm1
	vinsertf128 $1, %xmm1, %ymm0, %ymm0
	int3
pc_ymm_probe_skip:
	vpxor	%xmm0, %xmm0, %xmm0	/* 4 bytes, skipped by the hook */
	vextractf128 $1, %ymm0, %xmm0
	vmovq	%xmm0, %rax
	vzeroupper
	ret
	.size pc_ymm_probe, .-pc_ymm_probe

/* void pc_ymm_clobber(void) */
	.globl pc_ymm_clobber
	.type pc_ymm_clobber, @function
pc_ymm_clobber:
	vpcmpeqd %xmm0, %xmm0, %xmm0
	ret
	.size pc_ymm_clobber, .-pc_ymm_clobber

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
