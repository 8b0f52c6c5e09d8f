/* setjmp/longjmp (top-level asm in a C file so that the host build of
 * libc for the differential tests, which compiles only C files, has it too), with glibc's x86-64 jmp_buf shape: eight saved words (rbx,
 * rbp, r12, r13, r14, r15, rsp after the return, rip), then
 * __mask_was_saved (0: no signals are delivered here, so there is no mask
 * to save).  glibc mangles rbp/rsp/rip with the pointer guard; nothing but
 * these functions reads the words, so they are stored plain.  The
 * cleanup handlers of pthread_cleanup_push (glibc's headers compile them
 * to __sigsetjmp + __pthread_register_cancel) are entered through
 * libc_longjmp by the thread-exit unwinder. */
#include "libc.h"

__asm__(
	"	.text\n"
	"	.globl __sigsetjmp, _setjmp, setjmp, sigsetjmp\n"
	"	.type __sigsetjmp, @function\n"
	"	.type _setjmp, @function\n"
	"	.type setjmp, @function\n"
	"	.type sigsetjmp, @function\n"
	"__sigsetjmp:\n"
	"sigsetjmp:\n"
	"_setjmp:\n"
	"setjmp:\n"
	"	movq	%rbx, 0(%rdi)\n"
	"	movq	%rbp, 8(%rdi)\n"
	"	movq	%r12, 16(%rdi)\n"
	"	movq	%r13, 24(%rdi)\n"
	"	movq	%r14, 32(%rdi)\n"
	"	movq	%r15, 40(%rdi)\n"
	"	leaq	8(%rsp), %rax\n"
	"	movq	%rax, 48(%rdi)\n"
	"	movq	(%rsp), %rax\n"
	"	movq	%rax, 56(%rdi)\n"
	"	movl	$0, 64(%rdi)\n"
	"	xorl	%eax, %eax\n"
	"	ret\n"
	"	.size __sigsetjmp, .-__sigsetjmp\n"
	"\n"
	"	.globl libc_longjmp, longjmp, _longjmp, siglongjmp, __longjmp_chk\n"
	"	.type libc_longjmp, @function\n"
	"	.type longjmp, @function\n"
	"	.type _longjmp, @function\n"
	"	.type siglongjmp, @function\n"
	"	.type __longjmp_chk, @function\n"
	"libc_longjmp:\n"
	"longjmp:\n"
	"_longjmp:\n"
	"siglongjmp:\n"
	"__longjmp_chk:\n"
	"	movl	%esi, %eax\n"
	"	testl	%eax, %eax\n"
	"	jnz	1f\n"
	"	incl	%eax\n"	/* longjmp(env, 0) returns 1 */
	"1:	movq	0(%rdi), %rbx\n"
	"	movq	8(%rdi), %rbp\n"
	"	movq	16(%rdi), %r12\n"
	"	movq	24(%rdi), %r13\n"
	"	movq	32(%rdi), %r14\n"
	"	movq	40(%rdi), %r15\n"
	"	movq	48(%rdi), %rsp\n"
	"	jmpq	*56(%rdi)\n"
	"	.size libc_longjmp, .-libc_longjmp\n"
	"\n"
);


int __sigsetjmp(void *env, int savemask);
int _setjmp(void *env);
int setjmp(void *env);
int sigsetjmp(void *env, int savemask);
void longjmp(void *env, int val);
void _longjmp(void *env, int val);
void siglongjmp(void *env, int val);
void __longjmp_chk(void *env, int val);
EXPORT(__sigsetjmp, LIBC);
EXPORT(_setjmp, LIBC);
EXPORT(setjmp, LIBC);
EXPORT(sigsetjmp, LIBC);
EXPORT(longjmp, LIBC);
EXPORT(_longjmp, LIBC);
EXPORT(siglongjmp, LIBC);
EXPORT(__longjmp_chk, LIBC);
