#include <core/recover.h>

static struct recover_point *current;

struct recover_point *
recover_current(void)
{
	return current;
}

/* Each thread has its own chain of recovery points: the scheduler swaps the
 * innermost one on every switch. */
void *
recover_swap(void *rp)
{
	struct recover_point *old = current;

	current = rp;
	return old;
}

int
recover_call(long (*fn)(void *), void *arg, long *ret)
{
	struct recover_point rp;
	volatile struct recover_point *vrp = &rp;

	rp.prev = current;
	rp.faulted = 0;
	if (recover_save(&rp)) {
		current = vrp->prev;
		return (int)vrp->fault.vector + 1;
	}
	current = &rp;
	*ret = fn(arg);
	current = rp.prev;
	return 0;
}

void
recover_redirect(struct cpu_regs *r)
{
	struct recover_point *rp = current;

	rp->fault = *r;
	rp->faulted = 1;
	/* Resume in recover_jump on the recovery point's own stack, which lies
	 * above (older than) anything the faulting code pushed. */
	r->rip = (u64)recover_jump;
	r->rdi = (u64)rp;
	r->rsp = rp->rsp - 64;
	r->rflags &= ~(1UL << 8 | 1UL << 10);	/* TF, DF */
}
