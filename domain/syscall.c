/* The system-call dispatcher for protection domains (docs/domains.md has
 * the ABI; <domain/abi.h> the numbers).  Every pointer and length from a
 * domain is checked against the domain's ranges (domain_range_ok) and the
 * bytes copied in or out; nothing here dereferences a domain pointer
 * directly.  Calls that end the domain (exit, a number the ABI does not
 * have) go through ctx_abort, so the blob call ends as an abort does for a
 * blob in ring 0. */
#include <core/console.h>
#include <core/context.h>
#include <core/errno.h>
#include <core/platform.h>
#include <core/sched.h>
#include <core/string.h>
#include <core/time.h>
#include <domain/abi.h>
#include <loader/blob.h>
#include "internal.h"

static s64
sys_write(struct domain *d, u64 fd, u64 buf, u64 len)
{
	char chunk[256];

	if (fd != 1 && fd != 2)
		return -EBADF;
	if (len > BV_WRITE_MAX)
		return -EINVAL;
	if (!domain_range_ok(d, buf, len, PROT_R))
		return -EFAULT;
	for (u64 done = 0; done < len;) {
		size_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);

		if (domain_copy_in(d, chunk, buf + done, n))
			return -EFAULT;
		console_write(chunk, n);
		done += n;
	}
	return (s64)len;
}

static s64
sys_clock(u64 clock)
{
	switch (clock) {
	case BV_CLOCK_MONOTONIC:
		return (s64)plat_time_ns();
	case BV_CLOCK_REALTIME:
		return (s64)(plat_wall_seconds() * NSEC_PER_SEC + plat_time_ns() % NSEC_PER_SEC);
	default:
		return -EINVAL;
	}
}

static s64
sys_sleep(u64 ns, u64 rip)
{
	if (ns > 3600 * NSEC_PER_SEC)
		return -EINVAL;
	sched_sleep_until(plat_time_ns() + ns, false, rip);
	return 0;
}

/* Ends the domain's call: the blob is marked failed like any aborted
 * blob, so nothing of it runs again until it is loaded anew. */
static s64
sys_exit(struct domain *d, u64 status, u64 msg, u64 len, u64 rip)
{
	static char why[224];
	char text[160] = "";

	if (len >= sizeof(text))
		len = sizeof(text) - 1;
	if (len && domain_copy_in(d, text, msg, len))
		snprintf(text, sizeof(text), "(message at %#llx not readable)",
			 (unsigned long long)msg);
	for (char *p = text; *p; p++)
		if (*p == '\n' || (u8)*p < 0x20)
			*p = ' ';
	snprintf(why, sizeof(why), "domain %s: exit(%lld)%s%s", d->name, (long long)status,
		 *text ? ": " : "", text);
	ctx_abort(why, (const void *)rip);
}

static s64
sys_limits(struct domain *d, u64 out)
{
	struct bv_limits l = {
		.pages_max = d->lim.pages, .pages_used = d->pages,
		.threads_max = d->lim.threads, .threads_used = d->nthreads + 1,
		.cpu_ms_per_command = blob_get_watchdog() / NSEC_PER_MSEC,
	};

	return domain_copy_out(d, out, &l, sizeof(l)) ? -EFAULT : 0;
}

static s64
sys_random(struct domain *d, u64 buf, u64 len)
{
	u8 bytes[BV_RANDOM_MAX];

	if (len > BV_RANDOM_MAX)
		return -EINVAL;
	for (u64 i = 0; i < len; i += 8) {
		u64 r = plat_random_u64();

		memcpy(bytes + i, &r, len - i < 8 ? len - i : 8);
	}
	return domain_copy_out(d, buf, bytes, len) ? -EFAULT : (s64)len;
}

s64 (*domain_hook_hit)(struct domain *d, u64 slot, const u64 *words, unsigned n);

/* The saved registers and return address must be readable; the caller's
 * stack is copied as far as it is (the debugger prints what it got). */
static s64
sys_debug_hook(struct domain *d, u64 slot, u64 saved)
{
	u64 w[DOMAIN_HOOK_WORDS];
	unsigned n = 10;

	if (!domain_hook_hit)
		return -ENOSYS;
	if (domain_copy_in(d, w, saved, n * 8))
		return -EFAULT;
	while (n < DOMAIN_HOOK_WORDS && !domain_copy_in(d, &w[n], saved + n * 8, 8))
		n++;
	return domain_hook_hit(d, slot, w, n);
}

s64 (*domain_trace_hit)(struct domain *d, u64 op, u64 a, u64 b, u64 rip);
u64 (*domain_trace_sys_before)(struct domain *d, u64 nr, const u64 *args);
void (*domain_trace_sys_after)(struct domain *d, u64 token, s64 result);

/* A number the ABI does not define.  Whatever the blob meant by it (a raw
 * Linux system call arrives here too, on bare metal and hosted alike) did
 * not happen, and a blob that goes on as if it had is in a state nobody
 * can vouch for: the domain's call ends like an exit, named, and the blob
 * is marked failed. */
static s64
sys_unknown(struct domain *d, u64 nr, u64 rip)
{
	static char why[192];

	snprintf(why, sizeof(why), "domain %s: system call %llu is not in the domain ABI (a raw "
		 "Linux system call?); denied, the domain ends", d->name, (unsigned long long)nr);
	ctx_abort(why, (const void *)rip);
}

static s64
dispatch(struct domain *d, u64 nr, const u64 *a, u64 rip)
{
	switch (nr) {
	case BV_SYS_RETURN:
		plat_user->ret(a[0]);
	case BV_SYS_WRITE:
		return sys_write(d, a[0], a[1], a[2]);
	case BV_SYS_CLOCK:
		return sys_clock(a[0]);
	case BV_SYS_SLEEP:
		return sys_sleep(a[0], rip);
	case BV_SYS_YIELD:
		sched_yield_cpu();
		return 0;
	case BV_SYS_MEM_GROW:
		return domain_grow(d, a[0]);
	case BV_SYS_EXIT:
		return sys_exit(d, a[0], a[1], a[2], rip);
	case BV_SYS_LIMITS:
		return sys_limits(d, a[0]);
	case BV_SYS_FILE_READ:
		return sys_file_read(d, a[0], a[1], a[2], a[3], a[4]);
	case BV_SYS_FILE_LIST:
		return sys_file_list(d, a[0], a[1]);
	case BV_SYS_RANDOM:
		return sys_random(d, a[0], a[1]);
	case BV_SYS_THREAD_CREATE:
		return sys_thread_create(d, a[0], a[1], a[2], a[3]);
	case BV_SYS_THREAD_EXIT:
		return sys_thread_exit(d, a[0], a[1]);
	case BV_SYS_THREAD_JOIN:
		return sys_thread_join(d, a[0], a[1], rip);
	case BV_SYS_THREAD_DETACH:
		return sys_thread_detach(d, a[0]);
	case BV_SYS_FUTEX_WAIT:
		return sys_futex_wait(d, a[0], a[1], a[2], a[3], rip);
	case BV_SYS_FUTEX_WAKE:
		return sys_futex_wake(d, a[0], a[1]);
	case BV_SYS_THREAD_INTERRUPT:
		return sys_thread_interrupt(d, a[0]);
	case BV_SYS_USB_LIST:
		return sys_usb_list(d, a[0], a[1]);
	case BV_SYS_USB_CLAIM:
	case BV_SYS_USB_RELEASE:
		return sys_usb_claim(d, a[0], a[1], nr == BV_SYS_USB_CLAIM);
	case BV_SYS_USB_CONTROL:
		return sys_usb_control(d, a[0], a[1]);
	case BV_SYS_USB_TRANSFER:
		return sys_usb_transfer(d, a[0], a[1], a[2], a[3], a[4]);
	case BV_SYS_USB_SET_CONFIG:
		return sys_usb_set_config(d, a[0], a[1]);
	case BV_SYS_USB_RESET:
		return sys_usb_reset(d, a[0]);
	case BV_SYS_USB_SUBMIT:
		return sys_usb_submit(d, a[0], a[1]);
	case BV_SYS_USB_REAP:
		return sys_usb_reap(d, a[0], a[1], a[2], rip);
	case BV_SYS_USB_CANCEL:
		return sys_usb_cancel(d, a[0], a[1]);
	case BV_SYS_USB_WAIT:
		return sys_usb_wait(d, a[0], rip);
	case BV_SYS_DEBUG_HOOK:
		return sys_debug_hook(d, a[0], a[1]);
	case BV_SYS_DEBUG_TRACE:
		return domain_trace_hit ? domain_trace_hit(d, a[0], a[1], a[2], rip) : -ENOSYS;
	default:
		return sys_unknown(d, nr, rip);
	}
}

static s64
domain_syscall(u64 nr, const u64 *a, u64 rip)
{
	struct domain *d = domain_current();
	bool printed;
	u64 token = 0;
	s64 r;

	if (!d)
		return -ENOSYS;
	d->nsyscalls++;
	printed = d->strace && strace_before(d, nr, a);
	/* the trace records every call but its own thunks' and the hooks' */
	if (d->traced && domain_trace_sys_before && nr != BV_SYS_DEBUG_TRACE &&
	    nr != BV_SYS_DEBUG_HOOK)
		token = domain_trace_sys_before(d, nr, a);
	r = dispatch(d, nr, a, rip);
	if (token && domain_trace_sys_after)
		domain_trace_sys_after(d, token, r);
	if (d->strace && !printed)
		strace_after(d, nr, a, r);
	return r;
}

s64 (*plat_user_syscall)(u64 nr, const u64 *args, u64 rip) = domain_syscall;
