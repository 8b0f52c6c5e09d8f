/* The core services libc/ needs beyond libcore-host.a: the execution
 * context's errno, ctx_abort, which here longjmps back to the test, and
 * its heap (none: malloc uses the core heap). */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int shim_errno;
jmp_buf *shim_abort_jmp;
char shim_abort_why[512];
const void *shim_abort_caller;

struct heap;
struct heap *ctx_heap(void);
int *ctx_errno_location(void);
void ctx_abort(const char *why, const void *caller) __attribute__((noreturn));

struct heap *
ctx_heap(void)
{
	return NULL;
}

int *
ctx_errno_location(void)
{
	return &shim_errno;
}

void
ctx_abort(const char *why, const void *caller)
{
	snprintf(shim_abort_why, sizeof(shim_abort_why), "%s", why);
	shim_abort_caller = caller;
	if (!shim_abort_jmp) {
		fprintf(stderr, "unexpected ctx_abort: %s\n", why);
		abort();
	}
	longjmp(*shim_abort_jmp, 1);
}

/* The core heap behind malloc: its page allocator over the test
 * platform's memory region, set up before main. */
void plat_memory_region(void **base, size_t *len);
void pages_init(void *base, size_t len);

__attribute__((constructor)) static void
shim_heap_init(void)
{
	void *base;
	size_t len;

	plat_memory_region(&base, &len);
	pages_init(base, len);
}

/* Callers in libc's console lines (refused paths, system calls): no blob
 * runs here, so the core's symbol table answers. */
const char *ctx_describe(unsigned long addr, char *buf, size_t size);

const char *
ctx_describe(unsigned long addr, char *buf, size_t size)
{
	snprintf(buf, size, "%#lx", addr);
	return buf;
}

/* The blob-thread side of the loader is not linked here: one thread, no
 * TCB of its own (pthread_self is this address). */
#include <stdbool.h>
#include <stdint.h>
typedef uint64_t u64;
struct sched_thread;
static char host_tcb[64];
u64 exec_tcb_address(void) { return (u64)host_tcb; }
struct sched_thread *exec_thread_create(u64 f, void *u, size_t s, const char *n) { return NULL; }
void exec_thread_exit(void) { abort(); }
void exec_thread_free(struct sched_thread *t) { }
void *exec_thread_user(struct sched_thread *t) { return NULL; }
void exec_thread_set_user(struct sched_thread *t, void *u) { }
u64 exec_thread_tcb(struct sched_thread *t) { return 0; }
struct sched_thread *exec_thread_by_tcb(u64 tcb) { return NULL; }
void (*exec_thread_end_hook)(void *user);
bool (*exec_thread_reap_hook)(void *user);
void (*exec_thread_cancel_hook)(void *user);
void (*exec_thread_drop_hook)(void *user);
