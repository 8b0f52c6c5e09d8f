/* The running execution context: the core's own until a subscriber (the
 * loader's blob runtime) answers for a blob call in progress. */
#include <core/console.h>
#include <core/context.h>
#include <core/ksyms.h>
#include <core/ordered.h>
#include <core/panic.h>
#include <core/recover.h>

static int core_errno;
static struct ctx_errno_hook *errno_hooks;
static struct ctx_heap_hook *heap_hooks;
static struct ctx_describe_hook *describe_hooks;
static struct ctx_abort_hook *abort_hooks;

void
ctx_errno_hook_register(struct ctx_errno_hook *h)
{
	ORDERED_INSERT(errno_hooks, h);
}

void
ctx_heap_hook_register(struct ctx_heap_hook *h)
{
	ORDERED_INSERT(heap_hooks, h);
}

void
ctx_describe_hook_register(struct ctx_describe_hook *h)
{
	ORDERED_INSERT(describe_hooks, h);
}

void
ctx_abort_hook_register(struct ctx_abort_hook *h)
{
	ORDERED_INSERT(abort_hooks, h);
}

int *
ctx_errno_location(void)
{
	int *p;

	for (struct ctx_errno_hook *h = errno_hooks; h; h = h->next)
		if ((p = h->fn()))
			return p;
	return &core_errno;
}

struct heap *
ctx_heap(void)
{
	struct heap *p;

	for (struct ctx_heap_hook *h = heap_hooks; h; h = h->next)
		if ((p = h->fn()))
			return p;
	return NULL;
}

const char *
ctx_describe(u64 addr, char *buf, size_t size)
{
	const char *where = NULL;

	for (struct ctx_describe_hook *h = describe_hooks; h && !where; h = h->next)
		where = h->fn(addr, buf, size);
	return where ? where : ksym_format(addr, buf, size);
}

void
ctx_abort(const char *why, const void *caller)
{
	struct recover_point *rp = recover_current();
	char sym[160];

	kprintf("abort: %s (called from %s)\n", why, ctx_describe((u64)caller, sym, sizeof(sym)));
	for (struct ctx_abort_hook *h = abort_hooks; h; h = h->next)
		h->fn(why, caller);
	if (!rp)
		panic("abort outside any recovery point: %s", why);
	rp->faulted = 1;
	rp->fault.vector = VEC_ABORT;
	recover_jump(rp);
}
