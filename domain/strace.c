/* `strace BLOB': every system call a protection domain makes, printed with
 * its arguments and result (docs/domains.md).  The dispatcher calls
 * strace_before for calls that do not come back (return, exit, a thread's
 * exit, a number the ABI lacks) and strace_after for the others, once
 * they are answered (a sleep or a futex wait prints when it ends, as
 * strace does). */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/errno.h>
#include <core/string.h>
#include <domain/abi.h>
#include <loader/blob.h>
#include "internal.h"

struct call_name {
	const char *name;
	unsigned char nargs;
	bool noreturn;
};

static const struct call_name calls[] = {
	[BV_SYS_RETURN] = { "return", 1, true },
	[BV_SYS_WRITE] = { "write", 3, false },
	[BV_SYS_CLOCK] = { "clock", 1, false },
	[BV_SYS_SLEEP] = { "sleep", 1, false },
	[BV_SYS_YIELD] = { "yield", 0, false },
	[BV_SYS_MEM_GROW] = { "mem_grow", 1, false },
	[BV_SYS_EXIT] = { "exit", 3, true },
	[BV_SYS_FILE_READ] = { "file_read", 5, false },
	[BV_SYS_LIMITS] = { "limits", 1, false },
	[BV_SYS_FILE_LIST] = { "file_list", 2, false },
	[BV_SYS_RANDOM] = { "random", 2, false },
	[BV_SYS_THREAD_CREATE] = { "thread_create", 4, false },
	[BV_SYS_THREAD_EXIT] = { "thread_exit", 2, true },
	[BV_SYS_THREAD_JOIN] = { "thread_join", 2, false },
	[BV_SYS_THREAD_DETACH] = { "thread_detach", 1, false },
	[BV_SYS_FUTEX_WAIT] = { "futex_wait", 4, false },
	[BV_SYS_FUTEX_WAKE] = { "futex_wake", 2, false },
	[BV_SYS_THREAD_INTERRUPT] = { "thread_interrupt", 1, false },
	[BV_SYS_USB_LIST] = { "usb_list", 2, false },
	[BV_SYS_USB_CLAIM] = { "usb_claim", 2, false },
	[BV_SYS_USB_RELEASE] = { "usb_release", 2, false },
	[BV_SYS_USB_CONTROL] = { "usb_control", 2, false },
	[BV_SYS_USB_TRANSFER] = { "usb_transfer", 5, false },
	[BV_SYS_USB_SET_CONFIG] = { "usb_set_config", 2, false },
	[BV_SYS_USB_RESET] = { "usb_reset", 1, false },
	[BV_SYS_USB_SUBMIT] = { "usb_submit", 2, false },
	[BV_SYS_USB_REAP] = { "usb_reap", 3, false },
	[BV_SYS_USB_CANCEL] = { "usb_cancel", 2, false },
	[BV_SYS_USB_WAIT] = { "usb_wait", 1, false },
	[BV_SYS_DEBUG_HOOK] = { "debug_hook", 2, false },
	[BV_SYS_DEBUG_TRACE] = { "debug_trace", 3, false },
};

static const struct call_name *
call_of(u64 nr)
{
	return nr < ARRAY_SIZE(calls) && calls[nr].name ? &calls[nr] : NULL;
}

void
domain_syscall_format(char *buf, size_t size, u64 nr, const u64 *a)
{
	const struct call_name *c = call_of(nr);
	unsigned n = c ? c->nargs : 6;
	size_t k;

	if (c)
		k = (size_t)snprintf(buf, size, "%s(", c->name);
	else
		k = (size_t)snprintf(buf, size, "syscall_%llu(", (unsigned long long)nr);
	for (unsigned i = 0; i < n && k < size; i++)
		k += (size_t)snprintf(buf + k, size - k, a[i] < 4096 ? "%s%llu" : "%s%#llx",
				      i ? ", " : "", (unsigned long long)a[i]);
}

bool
domain_syscall_noreturn(u64 nr)
{
	const struct call_name *c = call_of(nr);

	return !c || c->noreturn;
}

void
domain_syscall_result(char *buf, size_t size, s64 r)
{
	if (r < 0 && r >= -4095)
		snprintf(buf, size, " = %lld (%s)", (long long)r, strerror((int)-r));
	else
		snprintf(buf, size, r >= 0 && r < 4096 ? " = %lld" : " = %#llx", (long long)r);
}

bool
strace_before(const struct domain *d, u64 nr, const u64 *a)
{
	char line[256];

	if (!domain_syscall_noreturn(nr))
		return false;
	domain_syscall_format(line, sizeof(line), nr, a);
	kprintf("strace %s: %s) ...\n", d->name, line);
	return true;
}

void
strace_after(const struct domain *d, u64 nr, const u64 *a, s64 r)
{
	char line[256], res[64];

	domain_syscall_format(line, sizeof(line), nr, a);
	domain_syscall_result(res, sizeof(res), r);
	kprintf("strace %s: %s)%s\n", d->name, line, res);
}

static int
cmd_strace(int argc, char **argv)
{
	struct blob *b;
	struct domain *d;
	bool on = argc < 3 || !strcmp(argv[2], "on");

	if (argc < 2 || argc > 3 || (argc == 3 && !on && strcmp(argv[2], "off"))) {
		kprintf("usage: strace BLOB [on|off]\n");
		return 1;
	}
	if (!(b = blob_find(argv[1]))) {
		kprintf("strace: %s: no such blob\n", argv[1]);
		return 1;
	}
	if (!(d = blob_domain(b))) {
		kprintf("strace: %s: not a protection domain (ring 0 blobs make no system calls; "
			"`trace on' records their imports)\n", argv[1]);
		return 1;
	}
	d->strace = on;
	kprintf("strace %s: %s\n", d->name, on ? "on" : "off");
	return 0;
}
DBGSH_COMMAND("strace", cmd_strace,
	      "print a protection domain's system calls with arguments and results: strace BLOB [on|off]");
