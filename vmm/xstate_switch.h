/* The x87/SSE/AVX switch both backends' entry code makes around a guest
 * run (why: the header of vmm/svm/vmrun.S).  For assembly only.  %rdi
 * points at the backend's vCPU record, which keeps at the same offsets:
 * +0x10 the guest's save area, +0x18 the VMM's, +0x20 the guest's XCR0,
 * +0x28 the union of the two.  Clobbers rax, rcx, rdx and rsi. */
#ifndef VMM_XSTATE_SWITCH_H
#define VMM_XSTATE_SWITCH_H

/* Before entering the guest: save the VMM's state, load the guest's. */
.macro XSTATE_TO_GUEST
	cmpb	$0, pc_xsave_on(%rip)
	je	.Lfx_to_guest\@
	movl	$-1, %eax
	movl	$-1, %edx
	movq	0x18(%rdi), %rsi
	xsave64	(%rsi)			/* the VMM's, under its XCR0 */
	xorl	%ecx, %ecx
	movl	0x28(%rdi), %eax
	movl	0x2c(%rdi), %edx
	xsetbv				/* the union */
	movl	$-1, %eax
	movl	$-1, %edx
	movq	0x10(%rdi), %rsi
	xrstor64 (%rsi)
	movl	0x20(%rdi), %eax
	movl	0x24(%rdi), %edx
	xsetbv				/* the guest's */
	jmp	.Lto_guest_done\@
.Lfx_to_guest\@:
	movq	0x18(%rdi), %rsi
	fxsave64 (%rsi)
	movq	0x10(%rdi), %rsi
	fxrstor64 (%rsi)
.Lto_guest_done\@:
.endm

/* After the guest exited: read back its XCR0, save its state under the
 * union, load the VMM's under the VMM's XCR0. */
.macro XSTATE_TO_VMM
	cmpb	$0, pc_xsave_on(%rip)
	je	.Lfx_to_vmm\@
	xorl	%ecx, %ecx
	xgetbv				/* the guest may have changed its XCR0 */
	movl	%eax, 0x20(%rdi)
	movl	%edx, 0x24(%rdi)
	orq	pc_xcr0(%rip), %rax	/* high half: the VMM enables none */
	movl	%eax, 0x28(%rdi)
	movl	%edx, 0x2c(%rdi)
	xsetbv				/* the union */
	movl	$-1, %eax
	movl	$-1, %edx
	movq	0x10(%rdi), %rsi
	xsave64	(%rsi)
	movq	pc_xcr0(%rip), %rax
	xorl	%edx, %edx
	xsetbv				/* the VMM's */
	movl	$-1, %eax
	movl	$-1, %edx
	movq	0x18(%rdi), %rsi
	xrstor64 (%rsi)
	jmp	.Lto_vmm_done\@
.Lfx_to_vmm\@:
	movq	0x10(%rdi), %rsi
	fxsave64 (%rsi)
	movq	0x18(%rdi), %rsi
	fxrstor64 (%rsi)
.Lto_vmm_done\@:
.endm

#endif
