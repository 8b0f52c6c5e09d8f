/* What the blob-facing libc needs from the blob execution context.  The
 * loader owns blob execution (TCB at %fs, stacks, watchdog); until a blob is
 * running, the core's own context is used. */
#ifndef CORE_EXEC_H
#define CORE_EXEC_H

#include <core/types.h>

/* errno of the running context (per blob execution context). */
int *exec_errno_location(void);

/* Stop the running blob call: report `why' with the caller's address (a
 * return address inside the blob, for symbolisation) and unwind to the
 * recovery point of the blob call (or of the shell command), never
 * returning.  Used by __stack_chk_fail, abort, __assert_fail, fortify
 * checks and missing-import traps. */
void exec_abort(const char *why, const void *caller) __noreturn;

/* Set by the blob runtime: where errno lives while blob code runs, and a
 * symboliser for addresses inside blobs (NULL when not in one). */
extern int *(*exec_errno_hook)(void);
extern const char *(*exec_describe_hook)(u64 addr, char *buf, size_t size);
/* Set by the blob runtime: the heap of the blob namespace whose call is
 * running (NULL outside blob calls: the core heap).  libc's malloc takes
 * blob blocks from it. */
struct heap;
extern struct heap *(*exec_heap_hook)(void);
/* Set by the debugger: runs after the abort line, before unwinding. */
extern void (*exec_abort_hook)(const char *why, const void *caller);

#endif
