/* The domain's side of the system-call ABI (<domain/abi.h>): one generic
 * stub, and the return path the VMM's calls into the domain come back
 * through (domain_call puts __bv_domain_return on the stack as the
 * return address). */
#include <domain/abi.h>

	.text
	.globl	bv_syscall
	.type	bv_syscall, @function
/* long bv_syscall(long nr, long a1, long a2, long a3, long a4, long a5) */
bv_syscall:
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	movq	%r8, %r10
	movq	%r9, %r8
	syscall
	ret
	.size	bv_syscall, .-bv_syscall

	.globl	__bv_domain_return
	.type	__bv_domain_return, @function
__bv_domain_return:
	movq	%rax, %rdi
	movl	$BV_SYS_RETURN, %eax
	syscall
	ud2
	.size	__bv_domain_return, .-__bv_domain_return

/* void *__tls_get_addr(tls_index *ti): the general- and local-dynamic TLS
 * models (gcc's default for -fPIC) call this with a GOT pair {module,
 * offset}.  A domain's TLS is static and the loader stores the offset
 * from the thread pointer, so the address is %fs:0 + offset. */
	.globl	__tls_get_addr
	.type	__tls_get_addr, @function
__tls_get_addr:
	movq	%fs:0, %rax
	addq	8(%rdi), %rax
	ret
	.size	__tls_get_addr, .-__tls_get_addr

	.section .note.GNU-stack, "", @progbits
