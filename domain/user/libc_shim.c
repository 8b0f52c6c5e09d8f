/* The domain build of libc (docs/domains.md, "The domain runtime"): the
 * core's libc sources compiled a second time, position-independent, for
 * ring 3.  Where those sources reach the core, this file answers inside
 * the domain instead, through the system calls:
 *   errno          one per domain thread, in the domain's static TLS
 *   ctx_abort, panic   BV_SYS_EXIT with the message
 *   ctx_heap       NULL: malloc uses the heap.c instance compiled into the
 *                  domain, whose pages (pages_alloc) come from BV_SYS_MEM_GROW
 *   console        console_write/kprintf -> BV_SYS_WRITE (fd.c's console
 *                  objects behind fds 0-2); no input (EOF), not a terminal
 *   clock          time_now_ns/time_wall_seconds -> BV_SYS_CLOCK
 *   scheduler      sleep -> BV_SYS_SLEEP, yield -> BV_SYS_YIELD; waits,
 *                  wakes and threads: domain/user/threads.c
 *   entropy        plat_random_u64 -> BV_SYS_RANDOM
 *   callers        ctx_describe prints the address (no symbols in ring 3)
 *   files          the VMM's read-only namespace: domain/user/files.c
 * Nothing here is called by the VMM; every name is weak in the runtime
 * object (objcopy --weaken), so a blob's own definitions win. */
#include <core/types.h>
#include <core/errno.h>
#include <core/string.h>
#include <domain/abi.h>

long bv_syscall(long nr, long a1, long a2, long a3, long a4, long a5);
void bv_exit(int status, const char *msg) __noreturn;

int *ctx_errno_location(void);
void ctx_abort(const char *why, const void *caller) __noreturn;
void panic(const char *fmt, ...) __noreturn;
struct heap *ctx_heap(void);
void *pages_alloc(size_t npages);
void pages_free(void *p, size_t npages);

/* In the domain's static TLS (below its TCB; module.mk builds this file
 * with the local-exec model): one errno per domain thread.  libc/errno.c's
 * __errno_location asks here. */
static __thread int domain_errno;

int *
ctx_errno_location(void)
{
	return &domain_errno;
}

void
ctx_abort(const char *why, const void *caller)
{
	bv_exit(134, why);
}

void
panic(const char *fmt, ...)
{
	static char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bv_exit(134, msg);
}

struct heap *
ctx_heap(void)
{
	return NULL;
}

void *
pages_alloc(size_t npages)
{
	long r = bv_syscall(BV_SYS_MEM_GROW, (long)npages, 0, 0, 0, 0);

	return r < 0 ? NULL : (void *)r;
}

/* Pages go back to the VMM when the domain is unloaded, not before. */
void
pages_free(void *p, size_t npages)
{
}


/* --- the console, the clock, the scheduler ------------------------------ */

void console_write(const char *buf, size_t len);
int kprintf(const char *fmt, ...);
int plat_console_getc(void);
bool plat_console_is_tty(void);
u64 plat_random_u64(void);
u64 time_now_ns(void);
u64 time_wall_seconds(void);
int sched_sleep_until(u64 deadline, bool interruptible, u64 caller);
void sched_yield_cpu(void);
const char *ctx_describe(u64 addr, char *buf, size_t size);
bool pages_owns(const void *p);

void
console_write(const char *buf, size_t len)
{
	bv_syscall(BV_SYS_WRITE, 1, (long)buf, (long)len, 0, 0);
}

static void
kprintf_sink(void *ctx, const char *s, size_t n)
{
	bv_syscall(BV_SYS_WRITE, 2, (long)s, (long)n, 0, 0);
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vformat(kprintf_sink, NULL, fmt, ap);
	va_end(ap);
	return r;
}

/* No console input reaches a domain: stdin reads as at end of file. */
int plat_console_getc(void) { return -1; }
bool plat_console_is_tty(void) { return false; }

u64
plat_random_u64(void)
{
	u64 r = 0;

	bv_syscall(BV_SYS_RANDOM, (long)&r, sizeof(r), 0, 0, 0);
	return r;
}

u64 time_now_ns(void) { return (u64)bv_syscall(BV_SYS_CLOCK, BV_CLOCK_MONOTONIC, 0, 0, 0, 0); }

u64
time_wall_seconds(void)
{
	return (u64)bv_syscall(BV_SYS_CLOCK, BV_CLOCK_REALTIME, 0, 0, 0, 0) / 1000000000ULL;
}

int
sched_sleep_until(u64 deadline, bool interruptible, u64 caller)
{
	u64 now = time_now_ns();

	if (deadline > now)
		bv_syscall(BV_SYS_SLEEP, (long)(deadline - now), 0, 0, 0, 0);
	return 0;
}

void sched_yield_cpu(void) { bv_syscall(BV_SYS_YIELD, 0, 0, 0, 0, 0); }

const char *
ctx_describe(u64 addr, char *buf, size_t size)
{
	snprintf(buf, size, "%#llx", (unsigned long long)addr);
	return buf;
}

/* sys.c's munmap: pages come from BV_SYS_MEM_GROW and stay until unload. */
bool pages_owns(const void *p) { return p != NULL; }

/* libgcc's, for __builtin_popcount on CPUs without POPCNT (sys.c's
 * CPU_COUNT); the runtime links no libgcc. */
int __popcountdi2(long x);

int
__popcountdi2(long x)
{
	unsigned long v = (unsigned long)x;
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}
