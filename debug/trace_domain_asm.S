/* The common part of a protection domain's import-trace thunks: not run
 * here but copied onto the domain's trace page (domain_trace_code), where
 * it runs in ring 3.  It needs no relocation.  A per-import thunk pushes
 * its index and jumps here; the stack is then [index][return address][the
 * caller's stack arguments].  BV_SYS_DEBUG_TRACE(ENTER, saved) has the VMM
 * record the call (registers and return address at saved) and keep the
 * return address; it answers the real function, which we call with the
 * caller's stack layout (%al intact for varargs, %r10 too); then
 * BV_SYS_DEBUG_TRACE(LEAVE, value, sp) records the result and answers the
 * return address.  SYSCALL clobbers only %rcx and %r11: %rcx is restored
 * from the stack before the call, and neither carries a value back. */
#include <domain/abi.h>

	.section .rodata
	.globl trace_domain_tmpl, trace_domain_tmpl_end
trace_domain_tmpl:
	pushq	%rax
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%r8
	pushq	%r9
	pushq	%r10
	movq	%rsp, %rsi		/* r10 r9 r8 rcx rdx rsi rdi rax index return */
	movl	$BV_TRACE_ENTER, %edi
	movl	$BV_SYS_DEBUG_TRACE, %eax
	syscall
	movq	%rax, %r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	popq	%rax
	addq	$16, %rsp		/* drop the index and the return address */
	call	*%r11
	pushq	%rax
	pushq	%rdx
	movq	%rax, %rsi
	movq	%rsp, %rdx		/* the return address's slot is at rdx + 8 */
	movl	$BV_TRACE_LEAVE, %edi
	movl	$BV_SYS_DEBUG_TRACE, %eax
	syscall
	movq	%rax, %r11
	popq	%rdx
	popq	%rax
	jmp	*%r11
trace_domain_tmpl_end:

	.section .note.GNU-stack,"",@progbits
