/* errno per execution context, assert, and the stack protector's report. */
#include "libc.h"
#include <core/context.h>

int *
__errno_location(void)
{
	return ctx_errno_location();
}
EXPORT(__errno_location, LIBC);

static char why[256];

void
__assert_fail(const char *expr, const char *file, unsigned line, const char *func)
{
	snprintf(why, sizeof(why), "%s:%u: %s: Assertion `%s' failed.",
		 file, line, func ? func : "?", expr);
	ctx_abort(why, CALLER);
}
EXPORT(__assert_fail, LIBC);

void __assert_perror_fail(int err, const char *file, unsigned line, const char *func) __noreturn;
void
__assert_perror_fail(int err, const char *file, unsigned line, const char *func)
{
	snprintf(why, sizeof(why), "%s:%u: %s: Unexpected error: %s.",
		 file, line, func ? func : "?", strerror(err));
	ctx_abort(why, CALLER);
}
EXPORT(__assert_perror_fail, LIBC);

void __assert(const char *expr, const char *file, int line) __noreturn;
void
__assert(const char *expr, const char *file, int line)
{
	snprintf(why, sizeof(why), "%s:%d: Assertion `%s' failed.", file, line, expr);
	ctx_abort(why, CALLER);
}
EXPORT(__assert, LIBC);

/* Called from the epilogue of the function whose canary (at %fs:0x28 in
 * the blob's TCB) no longer matches: the return address names that
 * function, and ctx_abort symbolises it. */
void
__stack_chk_fail(void)
{
	ctx_abort("stack smashing detected: the canary of the calling function's frame was overwritten",
		   CALLER);
}
EXPORT(__stack_chk_fail, SSP);

void
__stack_chk_fail_local(void)
{
	ctx_abort("stack smashing detected: the canary of the calling function's frame was overwritten",
		   CALLER);
}
EXPORT(__stack_chk_fail_local, SSP);
