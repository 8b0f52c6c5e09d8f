/* svm_vmrun(struct svm_vcpu *v): one trip into the guest.
 *
 * VMRUN switches only part of the CPU state; FS, GS, TR, LDTR, KernelGSBase
 * and the syscall MSRs stay as they are unless VMSAVE/VMLOAD move them.  So:
 * VMSAVE the VMM's own (its FS base is the blob TCB, which the seed's canary
 * fault taught us to guard), VMLOAD the guest's, VMRUN, VMSAVE the guest's,
 * VMLOAD the VMM's.  The x87/SSE/AVX state is swapped because the VMM's
 * libc uses vector registers: with XSAVE on (platform/pc/xsave.c), XCR0 is
 * switched too, since AMD's VMRUN leaves it alone and the guest sets its
 * own with XSETBV.  Both states are saved and restored with XCR0 set to the
 * union of the two, so that no component of either is left behind; the
 * guest's XCR0 is read back after each exit.  Without XSAVE,
 * FXSAVE/FXRSTOR as before.  The caller keeps interrupts off
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
	cmpb	$0, pc_xsave_on(%rip)
	je	1f
	movl	$-1, %eax
	movl	$-1, %edx
	movq	0x88(%rdi), %rsi
	xsave64	(%rsi)			/* the VMM's, under its XCR0 */
	xorl	%ecx, %ecx
	movl	0x98(%rdi), %eax
	movl	0x9c(%rdi), %edx
	xsetbv				/* the union */
	movl	$-1, %eax
	movl	$-1, %edx
	movq	0x80(%rdi), %rsi
	xrstor64 (%rsi)
	movl	0x90(%rdi), %eax
	movl	0x94(%rdi), %edx
	xsetbv				/* the guest's */
	jmp	2f
1:	movq	0x88(%rdi), %rsi
	fxsave64 (%rsi)
	movq	0x80(%rdi), %rsi
	fxrstor64 (%rsi)
2:	clgi
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
	cmpb	$0, pc_xsave_on(%rip)
	je	3f
	xorl	%ecx, %ecx
	xgetbv				/* the guest may have changed its XCR0 */
	movl	%eax, 0x90(%rdi)
	movl	%edx, 0x94(%rdi)
	orq	pc_xcr0(%rip), %rax	/* high half: the VMM enables none */
	movl	%eax, 0x98(%rdi)
	movl	%edx, 0x9c(%rdi)
	xsetbv				/* the union */
	movl	$-1, %eax
	movl	$-1, %edx
	movq	0x80(%rdi), %rsi
	xsave64	(%rsi)
	movq	pc_xcr0(%rip), %rax
	xorl	%edx, %edx
	xsetbv				/* the VMM's */
	movl	$-1, %eax
	movl	$-1, %edx
	movq	0x88(%rdi), %rsi
	xrstor64 (%rsi)
	jmp	4f
3:	movq	0x80(%rdi), %rsi
	fxsave64 (%rsi)
	movq	0x88(%rdi), %rsi
	fxrstor64 (%rsi)
4:	popq	%rdi
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
	.size svm_vmrun, .-svm_vmrun

	.section .note.GNU-stack,"",@progbits
