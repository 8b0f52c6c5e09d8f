/* The default execution context: the core's own.  The loader's blob runtime
 * replaces the current context while a blob call runs. */
#include <core/console.h>
#include <core/exec.h>
#include <core/ksyms.h>
#include <core/panic.h>
#include <core/recover.h>

static int core_errno;
int *(*exec_errno_hook)(void);
const char *(*exec_describe_hook)(u64 addr, char *buf, size_t size);
void (*exec_abort_hook)(const char *why, const void *caller);
struct heap *(*exec_heap_hook)(void);

int *
exec_errno_location(void)
{
	return exec_errno_hook ? exec_errno_hook() : &core_errno;
}

void
exec_abort(const char *why, const void *caller)
{
	struct recover_point *rp = recover_current();
	char sym[160];
	const char *where = exec_describe_hook ?
		exec_describe_hook((u64)caller, sym, sizeof(sym)) : NULL;

	kprintf("abort: %s (called from %s)\n", why,
		where ? where : ksym_format((u64)caller, sym, sizeof(sym)));
	if (exec_abort_hook)
		exec_abort_hook(why, caller);
	if (!rp)
		panic("abort outside any recovery point: %s", why);
	rp->faulted = 1;
	rp->fault.vector = VEC_ABORT;
	recover_jump(rp);
}
