/* pthread threads on the core's scheduler (include/core/sched.h): create,
 * join, detach, exit, self, names, keys with destructors, deferred
 * cancellation and the cleanup handlers in the form glibc's headers compile
 * them to (__sigsetjmp, __pthread_register_cancel, __pthread_unwind_next).
 * A pthread_t is the thread's TCB address, as in glibc; the loader makes
 * the stack, TCB and TLS (exec_thread_create). */
#include "libc.h"
#include "pthread.h"
#include <core/console.h>
#include <core/thread.h>
#include <core/sched.h>

static struct pt main_pt;

struct pt *
pt_self(void)
{
	struct sched_thread *t = sched_current();
	struct pt *p = t->owner ? exec_thread_user(t) : NULL;

	if (p)
		return p;
	main_pt.t = t;		/* the shell's thread, first use */
	if (t->owner)
		exec_thread_set_user(t, &main_pt);
	return &main_pt;
}

int
pt_self_id(void)
{
	return sched_current()->id;
}

static struct pt *
pt_of(pthread_t th)
{
	struct sched_thread *t = exec_thread_by_tcb(th);

	if (!t)
		return NULL;
	if (t == sched_main())
		return exec_thread_user(t) ? exec_thread_user(t) : pt_self();
	return exec_thread_user(t);
}

/* glibc's __pthread_unwind_buf_t: the jmp_buf (9 words with the mask
 * flag), then 4 words of which the first links the chain. */
struct unwind_buf {
	long jmp[8];
	int mask_was_saved;
	void *prev;
	void *pad[3];
};

void libc_longjmp(void *env, int val) __noreturn;

static void
run_key_destructors(struct pt *p);

/* The thread's end after its cleanups: keys, joiners, memory. */
static void
finish(struct pt *p)
{
	p->done = true;
	sched_wake_all(p);
}

/* Run the next cleanup handler (its __sigsetjmp returns 1 and it calls
 * __pthread_unwind_next), or end the thread when none is left. */
static void __noreturn
unwind(struct pt *p)
{
	struct unwind_buf *b = p->cleanup;

	if (b) {
		p->cleanup = b->prev;
		libc_longjmp(b->jmp, 1);
	}
	run_key_destructors(p);
	finish(p);
	exec_thread_exit();
}

void pthread_exit(void *ret) __noreturn;
void
pthread_exit(void *ret)
{
	struct pt *p = pt_self();

	p->retval = ret;
	p->cancel_disabled = true;	/* no second cancel while unwinding */
	unwind(p);
}
EXPORT(pthread_exit, PTHREAD);

void __pthread_register_cancel(struct unwind_buf *b);
void
__pthread_register_cancel(struct unwind_buf *b)
{
	struct pt *p = pt_self();

	b->prev = p->cleanup;
	p->cleanup = b;
}
EXPORT(__pthread_register_cancel, PTHREAD);

void __pthread_unregister_cancel(struct unwind_buf *b);
void
__pthread_unregister_cancel(struct unwind_buf *b)
{
	pt_self()->cleanup = b->prev;
}
EXPORT(__pthread_unregister_cancel, PTHREAD);

void __pthread_unwind_next(struct unwind_buf *b) __noreturn;
void
__pthread_unwind_next(struct unwind_buf *b)
{
	unwind(pt_self());
}
EXPORT(__pthread_unwind_next, PTHREAD);

void
pt_act_on_cancel(void)
{
	pthread_exit(PTHREAD_CANCELED);
}

void
pt_testcancel(void)
{
	struct pt *p = pt_self();

	if (p->cancel_pending && !p->cancel_disabled)
		pt_act_on_cancel();
}

void pthread_testcancel(void);
void
pthread_testcancel(void)
{
	pt_testcancel();
}
EXPORT(pthread_testcancel, PTHREAD);

int pthread_setcancelstate(int state, int *old);
int
pthread_setcancelstate(int state, int *old)
{
	struct pt *p = pt_self();

	if (state != 0 && state != 1)	/* ENABLE, DISABLE */
		return EINVAL;
	if (old)
		*old = p->cancel_disabled;
	p->cancel_disabled = state;
	return 0;
}
EXPORT(pthread_setcancelstate, PTHREAD);

/* Asynchronous cancellation is accepted and acts like deferred: threads
 * here stop only where they block anyway. */
int pthread_setcanceltype(int type, int *old);
int
pthread_setcanceltype(int type, int *old)
{
	struct pt *p = pt_self();

	if (type != 0 && type != 1)	/* DEFERRED, ASYNCHRONOUS */
		return EINVAL;
	if (old)
		*old = p->cancel_async;
	p->cancel_async = type;
	return 0;
}
EXPORT(pthread_setcanceltype, PTHREAD);

int pthread_cancel(pthread_t th);
int
pthread_cancel(pthread_t th)
{
	struct pt *p = pt_of(th);

	if (!p || p->done)
		return p ? 0 : ESRCH;
	p->cancel_pending = true;
	if (!p->cancel_disabled && p->t)
		sched_interrupt(p->t, ECANCELED);
	return 0;
}
EXPORT(pthread_cancel, PTHREAD);

/* --- keys -------------------------------------------------------------- */

static struct {
	bool used;
	unsigned seq;		/* bumped by delete: old values are not seen */
	void (*destructor)(void *);
} keys[PTHREAD_KEYS_MAX];

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int
pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	for (unsigned i = 0; i < PTHREAD_KEYS_MAX; i++) {
		if (!keys[i].used) {
			keys[i].used = true;
			keys[i].destructor = destructor;
			/* a new key starts NULL in every thread */
			for (struct sched_thread *t = sched_first(); t; t = t->next) {
				struct pt *p = t->owner ? exec_thread_user(t) : NULL;

				if (p && p->specific)
					p->specific[i] = NULL;
			}
			*key = i;
			return 0;
		}
	}
	return EAGAIN;
}
EXPORT(pthread_key_create, PTHREAD);

int pthread_key_delete(pthread_key_t key);
int
pthread_key_delete(pthread_key_t key)
{
	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	keys[key].used = false;
	return 0;
}
EXPORT(pthread_key_delete, PTHREAD);

void *pthread_getspecific(pthread_key_t key);
void *
pthread_getspecific(pthread_key_t key)
{
	struct pt *p = pt_self();

	if (key >= PTHREAD_KEYS_MAX || !keys[key].used || !p->specific)
		return NULL;
	return p->specific[key];
}
EXPORT(pthread_getspecific, PTHREAD);

int pthread_setspecific(pthread_key_t key, const void *value);
int
pthread_setspecific(pthread_key_t key, const void *value)
{
	struct pt *p = pt_self();

	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	if (!p->specific) {
		p->specific = calloc(PTHREAD_KEYS_MAX, sizeof(void *));
		if (!p->specific)
			return ENOMEM;
	}
	p->specific[key] = (void *)value;
	return 0;
}
EXPORT(pthread_setspecific, PTHREAD);

/* POSIX: up to PTHREAD_DESTRUCTOR_ITERATIONS rounds while values remain;
 * each value is cleared before its destructor runs. */
static void
run_key_destructors(struct pt *p)
{
	for (int round = 0; p->specific && round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		bool any = false;

		for (unsigned i = 0; i < PTHREAD_KEYS_MAX; i++) {
			void *v = p->specific[i];

			if (!v || !keys[i].used || !keys[i].destructor)
				continue;
			p->specific[i] = NULL;
			keys[i].destructor(v);
			any = true;
		}
		if (!any)
			break;
	}
}

/* --- create, join, detach ---------------------------------------------- */

static void
pt_free(struct pt *p)
{
	free(p->specific);
	free(p);
}

/* Runs as blob code on the new thread's stack. */
static u64
pt_start(struct pt *p)
{
	pthread_exit(p->fn(p->arg));
}

/* The loader ended a thread by a fault: joiners get PTHREAD_CANCELED. */
static void
pt_faulted(void *user)
{
	struct pt *p = user;

	p->retval = PTHREAD_CANCELED;
	finish(p);
}

static bool
pt_reap(void *user)
{
	struct pt *p = user;

	if (!p || !p->detached)
		return false;
	pt_free(p);
	return true;
}

static void
pt_cancel_hook(void *user)
{
	struct pt *p = user;

	p->cancel_pending = true;
	p->cancel_disabled = false;
	sched_interrupt(p->t, ECANCELED);
}

static void
pt_drop(void *user)
{
	struct pt *p = user;

	if (p != &main_pt)
		pt_free(p);
}

int pthread_create(pthread_t *th, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int
pthread_create(pthread_t *th, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	struct pt *p = calloc(1, sizeof(*p));
	size_t stack = a && a->s.stacksize ? a->s.stacksize : 256 * 1024;
	char name[16];

	if (!p)
		return EAGAIN;
	exec_thread_end_hook = pt_faulted;
	exec_thread_reap_hook = pt_reap;
	exec_thread_cancel_hook = pt_cancel_hook;
	exec_thread_drop_hook = pt_drop;
	pt_self();		/* the creator has its record before anyone looks */
	p->fn = fn;
	p->arg = arg;
	p->detached = a && (a->s.flags & 1);
	snprintf(name, sizeof(name), "thread");
	p->t = exec_thread_create((u64)pt_start, p, stack, name);
	if (!p->t) {
		free(p);
		return EAGAIN;
	}
	snprintf(p->t->name, sizeof(p->t->name), "thread%d", p->t->id);
	*th = exec_thread_tcb(p->t);
	return 0;
}
EXPORT(pthread_create, PTHREAD);

static int
join(pthread_t th, void **ret, u64 deadline, bool try, u64 caller)
{
	struct pt *p = pt_of(th);
	int r;

	if (!p)
		return ESRCH;
	if (p == pt_self())
		return EDEADLK;
	if (p->detached || p->joining || p == &main_pt)
		return EINVAL;
	pt_testcancel();
	if (!p->done && try)
		return EBUSY;
	p->joining = true;
	while (!p->done) {
		r = sched_block("join", p, p->t->id, deadline, true, caller);
		if (r == ECANCELED) {
			p->joining = false;
			pt_act_on_cancel();
		}
		if (r) {
			p->joining = false;
			return r;
		}
	}
	if (ret)
		*ret = p->retval;
	exec_thread_free(p->t);
	pt_free(p);
	return 0;
}

int pthread_join(pthread_t th, void **ret);
int
pthread_join(pthread_t th, void **ret)
{
	return join(th, ret, 0, false, (u64)CALLER);
}
EXPORT(pthread_join, PTHREAD);

int pthread_tryjoin_np(pthread_t th, void **ret);
int
pthread_tryjoin_np(pthread_t th, void **ret)
{
	return join(th, ret, 0, true, (u64)CALLER);
}
EXPORT(pthread_tryjoin_np, PTHREAD);

int pthread_timedjoin_np(pthread_t th, void **ret, const struct timespec *abs);
int
pthread_timedjoin_np(pthread_t th, void **ret, const struct timespec *abs)
{
	return join(th, ret, abs ? pt_deadline(0, abs) : 0, false, (u64)CALLER);
}
EXPORT(pthread_timedjoin_np, PTHREAD);

int pthread_detach(pthread_t th);
int
pthread_detach(pthread_t th)
{
	struct pt *p = pt_of(th);

	if (!p)
		return ESRCH;
	if (p->detached)
		return EINVAL;
	if (p == &main_pt)
		return 0;
	p->detached = true;
	if (p->done && p->t != sched_current()) {
		exec_thread_free(p->t);
		pt_free(p);
	}
	return 0;
}
EXPORT(pthread_detach, PTHREAD);

pthread_t pthread_self(void);
pthread_t
pthread_self(void)
{
	return exec_tcb_address();
}
EXPORT(pthread_self, PTHREAD);

int pthread_equal(pthread_t a, pthread_t b);
int
pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}
EXPORT(pthread_equal, PTHREAD);

/* --- names ------------------------------------------------------------- */

int pthread_setname_np(pthread_t th, const char *name);
int
pthread_setname_np(pthread_t th, const char *name)
{
	struct sched_thread *t = exec_thread_by_tcb(th);

	if (!t)
		return ESRCH;
	if (strlen(name) >= sizeof(t->name))
		return ERANGE;
	strcpy(t->name, name);
	return 0;
}
EXPORT(pthread_setname_np, PTHREAD);

int pthread_getname_np(pthread_t th, char *buf, size_t len);
int
pthread_getname_np(pthread_t th, char *buf, size_t len)
{
	struct sched_thread *t = exec_thread_by_tcb(th);

	if (!t)
		return ESRCH;
	if (len < strlen(t->name) + 1)
		return ERANGE;
	strcpy(buf, t->name);
	return 0;
}
EXPORT(pthread_getname_np, PTHREAD);

/* --- attributes -------------------------------------------------------- */

int pthread_attr_init(pthread_attr_t *a);
int
pthread_attr_init(pthread_attr_t *a)
{
	memset(a, 0, sizeof(*a));
	a->s.guardsize = 4096;
	return 0;
}
EXPORT(pthread_attr_init, PTHREAD);

int pthread_attr_destroy(pthread_attr_t *a);
int
pthread_attr_destroy(pthread_attr_t *a)
{
	return 0;
}
EXPORT(pthread_attr_destroy, PTHREAD);

int pthread_attr_setdetachstate(pthread_attr_t *a, int state);
int
pthread_attr_setdetachstate(pthread_attr_t *a, int state)
{
	if (state != 0 && state != 1)
		return EINVAL;
	a->s.flags = (a->s.flags & ~1) | state;
	return 0;
}
EXPORT(pthread_attr_setdetachstate, PTHREAD);

int pthread_attr_getdetachstate(const pthread_attr_t *a, int *state);
int
pthread_attr_getdetachstate(const pthread_attr_t *a, int *state)
{
	*state = a->s.flags & 1;
	return 0;
}
EXPORT(pthread_attr_getdetachstate, PTHREAD);

int pthread_attr_setstacksize(pthread_attr_t *a, size_t size);
int
pthread_attr_setstacksize(pthread_attr_t *a, size_t size)
{
	if (size < 16384)	/* PTHREAD_STACK_MIN */
		return EINVAL;
	a->s.stacksize = size;
	return 0;
}
EXPORT(pthread_attr_setstacksize, PTHREAD);

int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *size);
int
pthread_attr_getstacksize(const pthread_attr_t *a, size_t *size)
{
	*size = a->s.stacksize ? a->s.stacksize : 256 * 1024;
	return 0;
}
EXPORT(pthread_attr_getstacksize, PTHREAD);
