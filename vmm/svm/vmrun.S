/* svm_vmrun(struct svm_vcpu *hw, u64 *gpr): into the guest, back at the
 * first #VMEXIT the VMM's C code must see.
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
 * VMRUN; GIF is clear from CLGI to STGI.  gpr holds the registers by x86
 * number (8 bytes each); RAX and RSP live in the VMCB.
 *
 * Between VMRUN and the VMSAVE that follows it, svm_fast_exit (exits.c)
 * may handle the exit and ask for the guest again: then the guest's
 * FS/GS/TR/MSR and vector state is still in the CPU, and VMRUN goes again
 * without any of the switching (under TCG each skipped VMSAVE, VMLOAD and
 * XSAVE is a helper walking the save area).
 *
 * Stack while inside: 8(%rsp) hw, 16(%rsp) gpr, %rsp 16-byte aligned. */
#include "../xstate_switch.h"

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
	pushq	%rsi			/* gpr */
	pushq	%rdi			/* hw */
	subq	$8, %rsp		/* aligned for the call below */
	XSTATE_TO_GUEST
	clgi
	movq	0x08(%rdi), %rax
	vmsave	%rax			/* the VMM's */
	movq	0x00(%rdi), %rax	/* the guest's VMCB */
	vmload	%rax
.Lenter:
	movq	16(%rsp), %rdi		/* gpr */
	movq	8(%rsp), %rax
	movq	0x00(%rax), %rax	/* the guest's VMCB */
	movq	1*8(%rdi), %rcx
	movq	2*8(%rdi), %rdx
	movq	3*8(%rdi), %rbx
	movq	5*8(%rdi), %rbp
	movq	6*8(%rdi), %rsi
	movq	8*8(%rdi), %r8
	movq	9*8(%rdi), %r9
	movq	10*8(%rdi), %r10
	movq	11*8(%rdi), %r11
	movq	12*8(%rdi), %r12
	movq	13*8(%rdi), %r13
	movq	14*8(%rdi), %r14
	movq	15*8(%rdi), %r15
	movq	7*8(%rdi), %rdi
	vmrun	%rax
	pushq	%rdi			/* the guest's rdi */
	movq	24(%rsp), %rdi		/* gpr */
	movq	%rcx, 1*8(%rdi)
	movq	%rdx, 2*8(%rdi)
	movq	%rbx, 3*8(%rdi)
	movq	%rbp, 5*8(%rdi)
	movq	%rsi, 6*8(%rdi)
	popq	7*8(%rdi)
	movq	%r8, 8*8(%rdi)
	movq	%r9, 9*8(%rdi)
	movq	%r10, 10*8(%rdi)
	movq	%r11, 11*8(%rdi)
	movq	%r12, 12*8(%rdi)
	movq	%r13, 13*8(%rdi)
	movq	%r14, 14*8(%rdi)
	movq	%r15, 15*8(%rdi)
	movq	8(%rsp), %rdi		/* hw */
	movq	16(%rsp), %rsi		/* gpr */
	call	svm_fast_exit
	testb	%al, %al
	jnz	.Lenter
	movq	8(%rsp), %rdi		/* hw */
	movq	0x00(%rdi), %rax
	vmsave	%rax			/* the guest's */
	movq	0x08(%rdi), %rax
	vmload	%rax			/* the VMM's */
	stgi
	XSTATE_TO_VMM
	addq	$8, %rsp
	popq	%rdi
	popq	%rsi
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
	.size svm_vmrun, .-svm_vmrun

	.section .note.GNU-stack,"",@progbits
