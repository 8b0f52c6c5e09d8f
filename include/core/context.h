/* What the blob-facing libc needs from the running execution context: the
 * core's own, or a blob call's while one runs (the loader's blob runtime,
 * loader/exec.c, subscribes below).  ctx_ names the running context; the
 * loader's exec_ names are its blob-call machinery. */
#ifndef CORE_CONTEXT_H
#define CORE_CONTEXT_H

#include <core/types.h>

/* errno of the running context (per blob execution context). */
int *ctx_errno_location(void);

/* Stop the running blob call: report `why' with the caller's address (a
 * return address inside the blob, for symbolisation) and unwind to the
 * recovery point of the blob call (or of the shell command), never
 * returning.  Used by __stack_chk_fail, abort, __assert_fail, fortify
 * checks and missing-import traps. */
void ctx_abort(const char *why, const void *caller) __noreturn;

/* "libz.a(inflate.o):inflate+0x1c" for a caller inside a blob (the
 * describe hooks), else the core's symbol. */
const char *ctx_describe(u64 addr, char *buf, size_t size);

/* The running context's heap, NULL: the core heap. */
struct heap *ctx_heap(void);

/* Subscribers, kept in order like fault hooks (lower order first); a
 * registration never replaces an earlier one.  Each struct is the
 * subscriber's own (static) storage. */
struct ctx_errno_hook {			/* where errno lives: the first non-NULL answer */
	int order;
	int *(*fn)(void);
	struct ctx_errno_hook *next;
};
struct ctx_describe_hook {		/* symbolise a caller: the first non-NULL answer */
	int order;
	const char *(*fn)(u64 addr, char *buf, size_t size);
	struct ctx_describe_hook *next;
};
struct ctx_abort_hook {			/* after the abort line, before unwinding: all, in order */
	int order;
	void (*fn)(const char *why, const void *caller);
	struct ctx_abort_hook *next;
};
/* the heap of the blob namespace whose call is running (libc's malloc takes
 * blob blocks from it): the first non-NULL answer */
struct heap;
struct ctx_heap_hook {
	int order;
	struct heap *(*fn)(void);
	struct ctx_heap_hook *next;
};
void ctx_errno_hook_register(struct ctx_errno_hook *h);
void ctx_heap_hook_register(struct ctx_heap_hook *h);
void ctx_describe_hook_register(struct ctx_describe_hook *h);
void ctx_abort_hook_register(struct ctx_abort_hook *h);

#endif
