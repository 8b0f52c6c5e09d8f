/* svm_vmrun(struct svm_vcpu *v): one trip into the guest.
 *
 * VMRUN switches only part of the CPU state; FS, GS, TR, LDTR, KernelGSBase
 * and the syscall MSRs stay as they are unless VMSAVE/VMLOAD move them.  So:
 * VMSAVE the VMM's own (its FS base is the blob TCB, which the seed's canary
 * fault taught us to guard), VMLOAD the guest's, VMRUN, VMSAVE the guest's,
 * VMLOAD the VMM's.  The x87/SSE state is swapped with FXSAVE/FXRSTOR
 * because the VMM's libc uses SSE.  The caller keeps interrupts off
 * (IF=0): physical interrupts belong to the guest and reach it on the next
 * VMRUN; GIF is clear from CLGI to STGI. */
	.text
	.globl svm_vmrun
	.type svm_vmrun, @function
svm_vmrun:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi
	fxsave64 0x280(%rdi)
	fxrstor64 0x80(%rdi)
	clgi
	movq	0x78(%rdi), %rax
	vmsave	%rax
	movq	0x00(%rdi), %rbx
	movq	0x08(%rdi), %rcx
	movq	0x10(%rdi), %rdx
	movq	0x18(%rdi), %rsi
	movq	0x28(%rdi), %rbp
	movq	0x30(%rdi), %r8
	movq	0x38(%rdi), %r9
	movq	0x40(%rdi), %r10
	movq	0x48(%rdi), %r11
	movq	0x50(%rdi), %r12
	movq	0x58(%rdi), %r13
	movq	0x60(%rdi), %r14
	movq	0x68(%rdi), %r15
	movq	0x70(%rdi), %rax
	movq	0x20(%rdi), %rdi
	vmload	%rax
	vmrun	%rax
	vmsave	%rax
	pushq	%rdi			/* the guest's rdi */
	movq	8(%rsp), %rdi		/* the vcpu */
	movq	%rbx, 0x00(%rdi)
	movq	%rcx, 0x08(%rdi)
	movq	%rdx, 0x10(%rdi)
	movq	%rsi, 0x18(%rdi)
	popq	0x20(%rdi)
	movq	%rbp, 0x28(%rdi)
	movq	%r8, 0x30(%rdi)
	movq	%r9, 0x38(%rdi)
	movq	%r10, 0x40(%rdi)
	movq	%r11, 0x48(%rdi)
	movq	%r12, 0x50(%rdi)
	movq	%r13, 0x58(%rdi)
	movq	%r14, 0x60(%rdi)
	movq	%r15, 0x68(%rdi)
	movq	0x78(%rdi), %rax
	vmload	%rax
	stgi
	fxsave64 0x80(%rdi)
	fxrstor64 0x280(%rdi)
	popq	%rdi
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
	.size svm_vmrun, .-svm_vmrun

	.section .note.GNU-stack,"",@progbits
