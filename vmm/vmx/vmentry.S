/* int vmx_enter(struct vmx_vcpu *hw, u64 *gpr): one trip into the guest.
 *
 * VMX loads the guest's state from the VMCS and, at the exit, the VMM's
 * from the host-state area: RIP = vmx_exit_point, RSP = what this code
 * wrote to HOST_RSP just before entering (the two words pushed last are hw
 * and gpr).  The general registers other than RSP are not in the VMCS:
 * they travel through gpr (by x86 number).  The x87/SSE/AVX state and XCR0
 * are swapped as in vmm/svm/vmrun.S (XSAVE with XCR0 = the union of the
 * guest's and the VMM's, or FXSAVE when the VMM runs without XSAVE).  The caller keeps
 * interrupts off (IF=0); the guest's interrupts are not intercepted and go
 * to the guest's IDT.  Returns 0 after a VM exit, 1 for VMfailInvalid, 2
 * for VMfailValid (the error number is in the VMCS). */
#include "../xstate_switch.h"

	.text
	.globl vmx_enter
	.type vmx_enter, @function
vmx_enter:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rsi			/* gpr */
	pushq	%rdi			/* hw */
	XSTATE_TO_GUEST
	movq	8(%rsp), %rsi		/* gpr again: the switch used %rsi */
	movl	$0x6c14, %eax		/* HOST_RSP */
	vmwrite	%rsp, %rax
	jna	3f
	cmpb	$0, 0x00(%rdi)		/* launched?  the movs below keep the flags */
	movq	%rsi, %rax
	movq	1*8(%rax), %rcx
	movq	2*8(%rax), %rdx
	movq	3*8(%rax), %rbx
	movq	5*8(%rax), %rbp
	movq	6*8(%rax), %rsi
	movq	7*8(%rax), %rdi
	movq	8*8(%rax), %r8
	movq	9*8(%rax), %r9
	movq	10*8(%rax), %r10
	movq	11*8(%rax), %r11
	movq	12*8(%rax), %r12
	movq	13*8(%rax), %r13
	movq	14*8(%rax), %r14
	movq	15*8(%rax), %r15
	movq	0*8(%rax), %rax
	jne	1f
	vmlaunch
	jmp	2f
1:	vmresume
2:	/* the entry failed: CF set for VMfailInvalid, ZF for VMfailValid */
	movl	$2, %eax
	jnc	4f
3:	movl	$1, %eax
4:	popq	%rdi
	cmpb	$0, pc_xsave_on(%rip)
	je	9f
	movl	%eax, %r12d		/* the result */
	movq	pc_xcr0(%rip), %rax
	xorl	%edx, %edx
	xorl	%ecx, %ecx
	xsetbv				/* the VMM's: the guest's state is dropped */
	movl	$-1, %eax
	movl	$-1, %edx
	movq	0x18(%rdi), %rsi
	xrstor64 (%rsi)
	movl	%r12d, %eax
	jmp	10f
9:	movq	0x18(%rdi), %rsi
	fxrstor64 (%rsi)
10:
	popq	%rsi
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
	.size vmx_enter, .-vmx_enter

	.globl vmx_exit_point
	.type vmx_exit_point, @function
vmx_exit_point:
	pushq	%rax			/* the guest's rax */
	movq	16(%rsp), %rax		/* gpr */
	movq	%rcx, 1*8(%rax)
	movq	%rdx, 2*8(%rax)
	movq	%rbx, 3*8(%rax)
	movq	%rbp, 5*8(%rax)
	movq	%rsi, 6*8(%rax)
	movq	%rdi, 7*8(%rax)
	movq	%r8, 8*8(%rax)
	movq	%r9, 9*8(%rax)
	movq	%r10, 10*8(%rax)
	movq	%r11, 11*8(%rax)
	movq	%r12, 12*8(%rax)
	movq	%r13, 13*8(%rax)
	movq	%r14, 14*8(%rax)
	movq	%r15, 15*8(%rax)
	popq	0*8(%rax)
	popq	%rdi			/* hw */
	movb	$1, 0x00(%rdi)
	XSTATE_TO_VMM
	xorl	%eax, %eax
	popq	%rsi
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
	.size vmx_exit_point, .-vmx_exit_point

	.section .note.GNU-stack,"",@progbits
