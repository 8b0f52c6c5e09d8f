/* libusb-1.0 event handling.  There are no file descriptors: the
 * controllers are polled by whoever waits (and by the scheduler's idle
 * poller while every thread waits), so libusb_get_pollfds returns an empty
 * list and libusb_pollfds_handle_timeouts 0 — the documented meaning is
 * that the application calls libusb_handle_events* at the times
 * libusb_get_next_timeout gives.  Event handling is libusb's protocol: one
 * thread holds the event lock and runs callbacks; others wait as event
 * waiters until it has handled something.  Locks and waits sleep through
 * the core's scheduler, so threads of a blob interleave. */
#include <core/console.h>
#include <core/errno.h>
#include <core/export.h>
#include <core/heap.h>
#include <core/sched.h>
#include <core/time.h>
#include "libusb1_priv.h"

#define DEFAULT_WAIT_NS	(60 * NSEC_PER_SEC)	/* libusb_handle_events: 60 s */

static int
me(void)
{
	return sched_current() ? sched_current()->id : 1;
}

void
lu1_lock_take(struct lu1_lock *l, const char *what)
{
	while (l->holder && l->holder != me()) {
		if (sched_block(what, l, l->holder, 0, false,
				(u64)__builtin_return_address(0)) == EDEADLK) {
			/* The waits were printed; taking the lock anyway lets
			 * the blob call end instead of hanging. */
			break;
		}
	}
	l->holder = me();
}

bool
lu1_lock_try(struct lu1_lock *l)
{
	if (l->holder)
		return false;
	l->holder = me();
	return true;
}

void
lu1_lock_drop(struct lu1_lock *l)
{
	l->holder = 0;
	sched_wake_one(l);
}

/* Always through the scheduler, with or without other threads: a blob
 * waiting for events is blocked, not spinning, so the watchdog does not
 * count the wait (libusb_handle_events waits up to 60 s); the scheduler's
 * idle loop polls the controllers meanwhile. */
void
lu1_wait(u64 deadline, bool (*pred)(void *), void *arg, const char *what)
{
	while (!pred(arg)) {
		u64 now = time_now_ns();

		if (now >= deadline)
			return;
		usb_poll_all(0);
		if (pred(arg))
			return;
		sched_wait_until(MIN(deadline, now + 100 * NSEC_PER_MSEC), pred, arg, what, 0);
	}
}

void
lu1_signal_waiters(struct libusb_context *c)
{
	c->event_seq++;
	sched_wake_all(&c->event_seq);
}

static u64
tv_deadline(const struct timeval *tv, u64 dflt)
{
	u64 now = time_now_ns();

	if (!tv)
		return now + dflt;
	if (tv->tv_sec < 0 || tv->tv_usec < 0)
		return now;
	return now + (u64)tv->tv_sec * NSEC_PER_SEC + (u64)tv->tv_usec * NSEC_PER_USEC;
}

static bool
tv_valid(const struct timeval *tv)
{
	return !tv || (tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000);
}

int
libusb_try_lock_events(libusb_context *ctx)
{
	struct libusb_context *c = lu1_ctx(ctx);

	return c && lu1_lock_try(&c->events) ? 0 : 1;
}
EXPORT(libusb_try_lock_events, LIBUSB1);

void
libusb_lock_events(libusb_context *ctx)
{
	struct libusb_context *c = lu1_ctx(ctx);

	if (c)
		lu1_lock_take(&c->events, "libusb events");
}
EXPORT(libusb_lock_events, LIBUSB1);

void
libusb_unlock_events(libusb_context *ctx)
{
	struct libusb_context *c = lu1_ctx(ctx);

	if (!c || c->events.holder != me())
		return;
	lu1_lock_drop(&c->events);
	lu1_signal_waiters(c);
}
EXPORT(libusb_unlock_events, LIBUSB1);

int
libusb_event_handling_ok(libusb_context *ctx)
{
	struct libusb_context *c = lu1_ctx(ctx);

	return c && c->events.holder == me() && !c->interrupted;
}
EXPORT(libusb_event_handling_ok, LIBUSB1);

int
libusb_event_handler_active(libusb_context *ctx)
{
	struct libusb_context *c = lu1_ctx(ctx);

	return c && c->events.holder != 0;
}
EXPORT(libusb_event_handler_active, LIBUSB1);

void
libusb_interrupt_event_handler(libusb_context *ctx)
{
	struct libusb_context *c = lu1_ctx(ctx);

	if (c)
		c->interrupted = true;
}
EXPORT(libusb_interrupt_event_handler, LIBUSB1);

void
libusb_lock_event_waiters(libusb_context *ctx)
{
	struct libusb_context *c = lu1_ctx(ctx);

	if (c)
		lu1_lock_take(&c->waiters, "libusb waiters");
}
EXPORT(libusb_lock_event_waiters, LIBUSB1);

void
libusb_unlock_event_waiters(libusb_context *ctx)
{
	struct libusb_context *c = lu1_ctx(ctx);

	if (c && c->waiters.holder == me())
		lu1_lock_drop(&c->waiters);
}
EXPORT(libusb_unlock_event_waiters, LIBUSB1);

/* Like a condition wait: the waiter lock is given up while waiting for the
 * event handler to handle something.  1 on timeout, else 0. */
int
libusb_wait_for_event(libusb_context *ctx, struct timeval *tv)
{
	struct libusb_context *c = lu1_ctx(ctx);
	u64 deadline;
	int r;

	if (!c)
		return 1;
	if (!tv_valid(tv))
		return LIBUSB_ERROR_INVALID_PARAM;
	deadline = tv ? tv_deadline(tv, 0) : 0;
	if (c->waiters.holder == me())
		lu1_lock_drop(&c->waiters);
	r = sched_block("libusb event", &c->event_seq, c->events.holder, deadline, false,
			(u64)__builtin_return_address(0));
	lu1_lock_take(&c->waiters, "libusb waiters");
	return r == ETIMEDOUT || r == EDEADLK ? 1 : 0;
}
EXPORT(libusb_wait_for_event, LIBUSB1);

static bool
anything(void *arg)
{
	return lu1_any_done(arg) || lu1_hotplug_changed(arg);
}

/* With the event lock held: handle what is done now; if nothing, wait for a
 * completion, the earliest transfer timeout or tv, then handle that. */
static int
handle_locked(struct libusb_context *c, u64 deadline)
{
	u64 next;

	if (c->interrupted) {
		c->interrupted = false;
		return LIBUSB_ERROR_INTERRUPTED;
	}
	if (lu1_hotplug_scan(c) + lu1_process(c))
		return 0;
	next = lu1_next_deadline(c);
	lu1_wait(next && next < deadline ? next : deadline, anything, c, "libusb events");
	if (c->interrupted) {
		c->interrupted = false;
		return LIBUSB_ERROR_INTERRUPTED;
	}
	lu1_hotplug_scan(c);
	lu1_process(c);
	return 0;
}

int
libusb_handle_events_locked(libusb_context *ctx, struct timeval *tv)
{
	struct libusb_context *c = lu1_ctx(ctx);

	if (!c || !tv_valid(tv))
		return LIBUSB_ERROR_INVALID_PARAM;
	return handle_locked(c, tv_deadline(tv, DEFAULT_WAIT_NS));
}
EXPORT(libusb_handle_events_locked, LIBUSB1);

int
libusb_handle_events_timeout_completed(libusb_context *ctx, struct timeval *tv, int *completed)
{
	struct libusb_context *c = lu1_ctx(ctx);
	u64 deadline;
	int r;

	if (!c || !tv_valid(tv))
		return LIBUSB_ERROR_INVALID_PARAM;
	deadline = tv_deadline(tv, DEFAULT_WAIT_NS);
	for (;;) {
		if (lu1_lock_try(&c->events)) {
			if (completed && *completed)
				r = 0;
			else
				r = handle_locked(c, deadline);
			libusb_unlock_events(c);
			return r;
		}
		/* Another thread handles events: wait until it handled some. */
		lu1_lock_take(&c->waiters, "libusb waiters");
		if ((completed && *completed) || !c->events.holder) {
			lu1_lock_drop(&c->waiters);
			if (completed && *completed)
				return 0;
			continue;
		}
		r = sched_block("libusb event", &c->event_seq, c->events.holder, deadline, false,
				(u64)__builtin_return_address(0));
		lu1_lock_drop(&c->waiters);
		return 0;
	}
}
EXPORT(libusb_handle_events_timeout_completed, LIBUSB1);

int
libusb_handle_events_timeout(libusb_context *ctx, struct timeval *tv)
{
	return libusb_handle_events_timeout_completed(ctx, tv, NULL);
}
EXPORT(libusb_handle_events_timeout, LIBUSB1);

int
libusb_handle_events(libusb_context *ctx)
{
	return libusb_handle_events_timeout_completed(ctx, NULL, NULL);
}
EXPORT(libusb_handle_events, LIBUSB1);

int
libusb_handle_events_completed(libusb_context *ctx, int *completed)
{
	return libusb_handle_events_timeout_completed(ctx, NULL, completed);
}
EXPORT(libusb_handle_events_completed, LIBUSB1);

/* 0 with no transfer timeout pending; 1 and the time left (0 if already
 * expired) otherwise. */
int
libusb_get_next_timeout(libusb_context *ctx, struct timeval *tv)
{
	struct libusb_context *c = lu1_ctx(ctx);
	u64 next, now, left;

	if (!c || !tv)
		return LIBUSB_ERROR_INVALID_PARAM;
	next = lu1_next_deadline(c);
	if (!next)
		return 0;
	now = time_now_ns();
	left = next > now ? next - now : 0;
	tv->tv_sec = (long)(left / NSEC_PER_SEC);
	tv->tv_usec = (long)(left % NSEC_PER_SEC / NSEC_PER_USEC);
	return 1;
}
EXPORT(libusb_get_next_timeout, LIBUSB1);

int
libusb_pollfds_handle_timeouts(libusb_context *ctx)
{
	(void)ctx;
	return 0;
}
EXPORT(libusb_pollfds_handle_timeouts, LIBUSB1);

/* An empty, NULL-terminated list: nothing to poll. */
const struct libusb_pollfd **
libusb_get_pollfds(libusb_context *ctx)
{
	(void)ctx;
	return heap_zalloc(sizeof(const struct libusb_pollfd *));
}
EXPORT(libusb_get_pollfds, LIBUSB1);

void
libusb_free_pollfds(const struct libusb_pollfd **pollfds)
{
	heap_free((void *)pollfds);
}
EXPORT(libusb_free_pollfds, LIBUSB1);

/* Accepted; never called, since no descriptor is ever added or removed. */
void
libusb_set_pollfd_notifiers(libusb_context *ctx, libusb_pollfd_added_cb added,
			    libusb_pollfd_removed_cb removed, void *user_data)
{
	(void)ctx; (void)added; (void)removed; (void)user_data;
}
EXPORT(libusb_set_pollfd_notifiers, LIBUSB1);
