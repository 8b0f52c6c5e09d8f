/* Blob threads in the shell: `threads' lists them, `threads bt ID' walks a
 * switched-out thread's frames, `threads run MS' lets them run while the
 * shell waits (scripts have no idle time), and blob_unload asks here
 * whether a blob still has threads (refused; --force cancels, then
 * terminates them). */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/platform.h>
#include <core/thread.h>
#include <core/ksyms.h>
#include <core/sched.h>
#include <core/string.h>
#include <core/time.h>
#include "internal.h"

static const char *const state_name[] = { "ready", "running", "blocked", "done" };

static void
print_thread(struct sched_thread *t)
{
	char wait[160] = "", extra[160] = "";
	u64 cpu = sched_ticks_to_ns(t->cpu_ticks +
				    (t->state == T_RUNNING ? sched_ticks() - t->run_since : 0));

	if (t->state == T_BLOCKED) {
		if (sched_describe_hook)
			sched_describe_hook(t, extra, sizeof(extra));
		snprintf(wait, sizeof(wait), "%s %p%s%s", t->wait_what ? t->wait_what : "?",
			 t->wait_obj, extra[0] ? " " : "", extra);
		if (t->wait_owner)
			snprintf(wait + strlen(wait), sizeof(wait) - strlen(wait), " (held by %d)",
				 t->wait_owner);
	}
	kprintf("%3d  %-15s %-16s %-8s %9llu us  %s\n", t->id, t->name,
		t->owner ? exec_thread_blob_name(t) : "-", state_name[t->state],
		(unsigned long long)(cpu / NSEC_PER_USEC), wait);
}

static int
cmd_threads(int argc, char **argv)
{
	kprintf(" ID  NAME            BLOB             STATE          CPU  WAITS ON\n");
	for (struct sched_thread *t = sched_first(); t; t = t->next)
		print_thread(t);
	kprintf("a switch sets the FS base with %s\n", plat_fs_base_how());
	return 0;
}
DBGSH_COMMAND("threads", cmd_threads, "list blob threads: id, name, blob, state, CPU time, wait");

static struct sched_thread *
thread_by_id(const char *s)
{
	long id = strtol(s, NULL, 10);

	for (struct sched_thread *t = sched_first(); t; t = t->next)
		if (t->id == id)
			return t;
	kprintf("threads: no thread %s\n", s);
	return NULL;
}

/* A switched-out thread: sched_switch pushed rbp and returned-to rip on
 * its stack; from there the frame-pointer chain (blob frames built without
 * frame pointers end it early). */
static int
cmd_threads_bt(int argc, char **argv)
{
	struct sched_thread *t;
	u64 *sp, rbp, rip, lo, hi;
	char where[160];

	if (argc != 2) {
		kprintf("usage: threads bt ID\n");
		return 1;
	}
	if (!(t = thread_by_id(argv[1])))
		return 1;
	if (t == sched_current()) {
		kprintf("threads: thread %d is the one running this command\n", t->id);
		return 1;
	}
	if (t->state == T_DONE) {
		kprintf("threads: thread %d has finished\n", t->id);
		return 1;
	}
	sp = (u64 *)t->rsp;
	rbp = sp[5];
	rip = sp[6];
	lo = t->rsp;
	hi = lo + 1024 * 1024;
	for (int i = 0; i < 32 && rip; i++) {
		const char *s = blob_describe_addr(rip, where, sizeof(where));

		kprintf("  #%-2d %016llx %s\n", i, (unsigned long long)rip,
			s ? s : ksym_format(rip, where, sizeof(where)));
		if (rbp < lo || rbp >= hi || (rbp & 7))
			break;
		rip = ((u64 *)rbp)[1];
		lo = rbp;
		rbp = ((u64 *)rbp)[0];
	}
	return 0;
}
DBGSH_COMMAND("threads bt", cmd_threads_bt, "backtrace of a switched-out blob thread: threads bt ID");

static int
cmd_threads_run(int argc, char **argv)
{
	u64 ms, end;

	if (argc != 2 || !dbgsh_parse_u64(argv[1], &ms)) {
		kprintf("usage: threads run MS\n");
		return 1;
	}
	end = time_now_ns() + ms * NSEC_PER_MSEC;
	while (time_now_ns() < end)
		sched_sleep_until(MIN(end, time_now_ns() + NSEC_PER_MSEC), false, 0);
	return 0;
}
DBGSH_COMMAND("threads run", cmd_threads_run, "let blob threads run for MS milliseconds: threads run MS");

/* Threads of blob b that have not finished; printed when `print'. */
int
blob_threads_running(struct blob *b, bool print)
{
	int n = 0;

	for (struct sched_thread *t = sched_first(); t; t = t->next) {
		if (t == sched_main() || t->state == T_DONE || exec_thread_blob(t) != b)
			continue;
		if (print)
			print_thread(t);
		n++;
	}
	return n;
}

/* --force: cancel (cleanup handlers run at their next cancellation
 * point), give them 100 ms, then terminate what is left. */
void
blob_threads_stop(struct blob *b)
{
	u64 end = time_now_ns() + 100 * NSEC_PER_MSEC;
	struct sched_thread *t, *next;

	for (t = sched_first(); t; t = t->next)
		if (t != sched_main() && exec_thread_blob(t) == b && exec_thread_cancel_hook &&
		    exec_thread_user(t))	/* a domain's threads have no libc record */
			exec_thread_cancel_hook(exec_thread_user(t));
	while (blob_threads_running(b, false) && time_now_ns() < end)
		sched_sleep_until(time_now_ns() + NSEC_PER_MSEC, false, 0);
	for (t = sched_first(); t; t = next) {
		next = t->next;
		if (t == sched_main() || exec_thread_blob(t) != b)
			continue;
		if (t->state != T_DONE)
			kprintf("blob: %s: thread %d (%s) terminated\n", b->name, t->id, t->name);
		exec_thread_terminate(t);
	}
}
