/* The non-local jumps blobs import (code in jmp_asm.S).  _longjmp,
 * siglongjmp and __longjmp_chk are longjmp: no signal mask to restore, and
 * the fortify check (a jump to a frame below the current stack) cannot be
 * made cheaply on a blob's own stack, so it is not. */
#include "libc.h"

int __sigsetjmp(void *env, int savemask);
int _setjmp(void *env);
int setjmp(void *env);
void longjmp(void *env, int val) __noreturn;

EXPORT(__sigsetjmp, LIBC);
EXPORT(_setjmp, LIBC);
EXPORT(setjmp, LIBC);
EXPORT(longjmp, LIBC);
EXPORT_ALIAS(longjmp, _longjmp, LIBC);
EXPORT_ALIAS(longjmp, siglongjmp, LIBC);
EXPORT_ALIAS(longjmp, __longjmp_chk, FORTIFY);
