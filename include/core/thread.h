/* What libc's pthreads need from the loader's blob runtime: threads with
 * their own stack, TCB and TLS (include/core/sched.h schedules them). */
#ifndef CORE_THREAD_H
#define CORE_THREAD_H

#include <core/types.h>

/* Blob threads (loader/exec.c).  A thread has its own stack (stack_size
 * bytes above a guard page), TCB (glibc's tcbhead_t: %fs:0, 0x10, the
 * canary at 0x28, the pointer guard at 0x30) and static TLS block (a copy
 * of every blob's initial image), and runs start_fn(user) as blob code of
 * the calling blob, under a recovery point: a fault ends that thread only
 * (exec_thread_end_hook(user) then runs).  NULL when out of memory. */
struct sched_thread;
/* The running thread's TCB (pthread_self). */
u64 exec_tcb_address(void);
struct sched_thread *exec_thread_create(u64 start_fn, void *user, size_t stack_size,
					const char *name);
/* A thread without libc's record (protection domains keep their own):
 * start_fn(arg) as blob code of the calling blob, then done(p, rc, ret)
 * (rc as blob_call's); freed as soon as it has ended. */
struct sched_thread *exec_thread_create_plain(u64 start_fn, u64 arg, size_t stack_size,
					      const char *name,
					      void (*done)(void *p, int rc, u64 ret), void *p);
/* The running blob thread ends (after pthread_exit's cleanups). */
void exec_thread_exit(void) __noreturn;
/* Free a finished thread's stack, TCB and record (not the running one). */
void exec_thread_free(struct sched_thread *t);
void *exec_thread_user(struct sched_thread *t);
void exec_thread_set_user(struct sched_thread *t, void *user);
u64 exec_thread_tcb(struct sched_thread *t);
struct sched_thread *exec_thread_by_tcb(u64 tcb);
const char *exec_thread_blob_name(struct sched_thread *t);
void *exec_thread_blob(struct sched_thread *t);
/* Set by libc: a thread ended by a fault; whether a finished thread is
 * detached (then its memory is freed at once). */
extern void (*exec_thread_end_hook)(void *user);
/* Set by libc: cancel a thread (blob unload --force); forget its data. */
extern void (*exec_thread_cancel_hook)(void *user);
extern void (*exec_thread_drop_hook)(void *user);
/* Free a thread whatever its state (not the running one): its blob goes. */
void exec_thread_terminate(struct sched_thread *t);
extern bool (*exec_thread_reap_hook)(void *user);

#endif
