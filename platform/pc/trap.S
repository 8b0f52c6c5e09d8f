/* Interrupt and exception entry.  Each stub pushes a dummy error code where
 * the CPU pushes none, then the vector, and joins trap_common, which saves
 * the general registers (struct pc_trap_frame in pc.h) and the interrupted
 * context's x87/SSE/AVX state (XSAVE when xsave.c turned it on, else FXSAVE:
 * the handler's C code, and the vsnprintf and AVX2 memcpy it may run, use
 * vector registers), and calls pc_trap.  pc_trap returns the image to
 * restore: the interrupted one, or a clean one when the fault handler moved
 * the context to a recovery point.  iretq then resumes from the
 * frame, which pc_trap may have edited (RIP, RSP, RFLAGS, registers). */

	.macro	stub vec, has_err
	.balign 16
trap_stub_\vec:
	.if	\has_err == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	pc_trap_common
	.endm

	.text
	.balign 16
	.globl pc_trap_stubs_begin
pc_trap_stubs_begin:
	stub 0, 0
	stub 1, 0
	stub 2, 0
	stub 3, 0
	stub 4, 0
	stub 5, 0
	stub 6, 0
	stub 7, 0
	stub 8, 1
	stub 9, 0
	stub 10, 1
	stub 11, 1
	stub 12, 1
	stub 13, 1
	stub 14, 1
	stub 15, 0
	stub 16, 0
	stub 17, 1
	stub 18, 0
	stub 19, 0
	stub 20, 0
	stub 21, 1
	stub 22, 0
	stub 23, 0
	stub 24, 0
	stub 25, 0
	stub 26, 0
	stub 27, 0
	stub 28, 0
	stub 29, 1
	stub 30, 1
	stub 31, 0
	stub 64, 0		/* PC_VEC_WATCHDOG: the local APIC timer */

	/* Any other vector: an interrupt that belongs to a guest (or arrived
	 * after it stopped).  pc_trap acknowledges and counts it. */
	.balign 16
	.globl pc_stray_stub
pc_stray_stub:
	pushq	$0
	pushq	$0x100
	jmp	pc_trap_common

	.balign 16
	.globl pc_spurious_stub
pc_spurious_stub:		/* APIC spurious vector: no EOI, nothing to do */
	iretq

	.section .rodata
	.balign 8
	.globl pc_trap_stubs
pc_trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,64
	.quad	trap_stub_\v
	.endr

	.text
	.globl pc_trap_common		/* user_entry.S: a ring-0 SYSCALL becomes #UD */
	.type pc_trap_common, @function
pc_trap_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rbx		/* the frame; callee-saved across the call */
	subq	$1024, %rsp		/* PC_XSAVE_AREA */
	andq	$-64, %rsp		/* XSAVE wants 64-byte alignment */
	cmpb	$0, pc_xsave_on(%rip)
	je	1f
	/* XSAVE writes only the XSTATE_BV bits XCR0 enables, and none of the
	 * rest of the header; XRSTOR faults on any other bit set in it */
	xorl	%eax, %eax
	movq	%rax, 512(%rsp)
	movq	%rax, 520(%rsp)
	movq	%rax, 528(%rsp)
	movq	%rax, 536(%rsp)
	movq	%rax, 544(%rsp)
	movq	%rax, 552(%rsp)
	movq	%rax, 560(%rsp)
	movq	%rax, 568(%rsp)
	movl	$-1, %eax		/* every component XCR0 enables */
	movl	$-1, %edx
	xsave64	(%rsp)
	jmp	2f
1:	fxsave64 (%rsp)
2:	fninit
	ldmxcsr	trap_mxcsr
	movq	%rbx, %rdi
	movq	%rsp, %rsi
	xorl	%ebp, %ebp		/* backtraces of the handler end here */
	cld
	call	pc_trap
	movq	%rax, %rcx		/* the image; rax, rcx, rdx come from the frame */
	cmpb	$0, pc_xsave_on(%rip)
	je	3f
	movl	$-1, %eax
	movl	$-1, %edx
	xrstor64 (%rcx)
	jmp	4f
3:	fxrstor64 (%rcx)
4:	movq	%rbx, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector, error code */
	iretq
	.size pc_trap_common, .-pc_trap_common

	.section .rodata
	.balign 4
trap_mxcsr:
	.long	0x1f80

	.section .note.GNU-stack, "", @progbits
