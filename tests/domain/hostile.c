/* A hostile blob for a protection domain, built like a vendor object:
 * each function tries one thing the domain must not be able to do
 * (tests/e2e/qemu_domain.sh names each refusal). */
#include <stddef.h>
#include <unistd.h>

void *bv_mem_grow(unsigned long pages);
long bv_mem_grow_raw(unsigned long pages);
long bv_write(int fd, const void *buf, size_t len);
long bv_syscall(long nr, long a1, long a2, long a3, long a4, long a5);

/* Write/read VMM memory (addresses from the image's symbols). */
long hostile_write(long addr) { *(volatile long *)addr = 0x4141414141414141L; return 1; }
long hostile_read(long addr) { return *(volatile long *)addr; }
/* Call a VMM function directly. */
long hostile_call(long addr) { return ((long (*)(void))addr)(); }

/* Its own text is r-x. */
long
hostile_write_text(void)
{
	*(volatile unsigned char *)(void *)hostile_write_text = 0xc3;
	return 1;
}

/* Its own heap is rw-, not executable. */
long
hostile_exec_heap(void)
{
	unsigned char *p = bv_mem_grow(1);

	if (!p)
		return -1;
	p[0] = 0xc3;		/* ret */
	return ((long (*)(void))(void *)p)();
}

/* Bad pointers and lengths to a system call: each must come back -EFAULT
 * (-14) or -EINVAL (-22), never reach memory.  Returns the first
 * unexpected result's index * 1000 + its value, or 0. */
long
hostile_bad_pointers(long vmm_addr)
{
	static const char ok[] = "x";
	struct { long buf, len, want1, want2; } c[] = {
		{ vmm_addr, 8, -14, -14 },		/* VMM memory */
		{ 0, 1, -14, -14 },			/* NULL */
		{ (long)ok, 1L << 40, -22, -14 },	/* huge length */
		{ (long)ok, -1L, -22, -14 },		/* wraps */
		{ -4096L, 16, -14, -14 },		/* kernel half */
		{ (long)ok + (1L << 30), 1, -14, -14 },	/* far past the image and stack */
	};

	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		long r = bv_write(1, (const void *)c[i].buf, (size_t)c[i].len);

		if (r != c[i].want1 && r != c[i].want2)
			return (long)(i + 1) * 1000 + r;
		/* the same buffers for the calls that write into the domain:
		 * FILE_LIST (9), RANDOM (10), FILE_READ's buffer (7) and path */
		r = bv_syscall(9, c[i].buf, c[i].len, 0, 0, 0);
		if (r != -14 && r != -22)
			return (long)(i + 1) * 1000 + 100 + r;
		r = bv_syscall(10, c[i].buf, c[i].len, 0, 0, 0);
		if (r != -14 && r != -22)
			return (long)(i + 1) * 1000 + 200 + r;
		r = bv_syscall(7, (long)"/data/x", 7, 0, c[i].buf, c[i].len);
		if (r != -14 && r != -22)
			return (long)(i + 1) * 1000 + 300 + r;
		r = bv_syscall(7, c[i].buf, c[i].len, 0, (long)ok, 0);
		if (r != -14 && r != -22)
			return (long)(i + 1) * 1000 + 400 + r;
	}
	if (bv_syscall(7, (long)"/data/x", 0, 0, (long)ok, 0) != -22)	/* empty path */
		return 9003;
	if (bv_write(7, ok, 1) != -9)			/* EBADF */
		return 9001;
	/* the debugger's hook report: its words must be the domain's, and
	 * the slot one of the domain's own hooks */
	{
		long regs[10] = { 0 };

		if (bv_syscall(48, 0, vmm_addr, 0, 0, 0) != -14)
			return 9004;
		if (bv_syscall(48, 3, (long)regs, 0, 0, 0) != -22)
			return 9005;
		if (bv_syscall(48, 1L << 40, (long)regs, 0, 0, 0) != -22)
			return 9006;
	}
	return 0;
}

/* The trace thunks' report (BV_SYS_DEBUG_TRACE) made by hand.  Without
 * `trace on' the domain has no thunks: every op is EINVAL.  With them: a
 * frame that is not the domain's is EFAULT, an index past the thunks or an
 * unknown op EINVAL, and a return the trace did not see start ends the
 * domain (never returns). */
long
hostile_trace(long traced)
{
	long frame[10] = { 0 };

	frame[8] = 1L << 40;	/* the thunk's index */
	if (!traced)
		return bv_syscall(49, 0, (long)frame, 0, 0, 0) == -22 &&
		       bv_syscall(49, 1, 0, (long)frame, 0, 0) == -22 ? 0 : 1;
	if (bv_syscall(49, 0, 0x1000, 0, 0, 0) != -14)
		return 2;
	if (bv_syscall(49, 0, (long)frame, 0, 0, 0) != -22)
		return 3;
	if (bv_syscall(49, 7, 0, 0, 0, 0) != -22)
		return 4;
	bv_syscall(49, 1, 0, (long)frame, 0, 0);
	return 5;
}

/* A number the domain ABI does not have (a raw Linux system call, say):
 * the domain ends; this never returns. */
long
hostile_unknown(long nr)
{
	return bv_syscall(nr, 0, 0, 0, 0, 0) == -38 ? 38 : 1;
}

/* A breakpoint instruction nobody placed: a contained trap, not a VMM
 * fault (the #BP gate is reachable from ring 3 for the debugger). */
long
hostile_int3(void)
{
	__asm__ volatile("int3");
	return 1;
}

/* Grow until the quota says no: returns pages obtained * 1000 - errno. */
long
hostile_quota(void)
{
	long pages = 0, r;

	while ((r = bv_mem_grow_raw(64)) > 0)
		pages += 64;
	return pages * 1000 + r;
}

long
hostile_spin(void)
{
	for (volatile int i = 0;; i++)
		;
	return 0;
}

long
hostile_cli(void)
{
	__asm__ volatile("cli");
	return 1;
}

long
hostile_port(void)
{
	__asm__ volatile("outb %%al, $0xf4" : : "a"(0x11));	/* isa-debug-exit */
	return 1;
}

/* Threads past the domain's limit (--threads): pthread_create fails EAGAIN
 * once the limit is reached.  Returns created * 1000 + the error. */
#include <pthread.h>
#include <time.h>

static void *
hold(void *arg)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	return arg;
}

long
hostile_threads(void)
{
	pthread_t t[64];
	long n = 0;
	int err = 0;

	while (n < 64 && !(err = pthread_create(&t[n], NULL, hold, NULL)))
		n++;
	for (long i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return n * 1000 + err;
}

/* The thread calls with bad arguments: each must come back with its
 * error (-EFAULT -14, -EINVAL -22, -EAGAIN -11), never reach memory.
 * Returns the first unexpected result's index * 1000 + its value, or 0. */
long
hostile_thread_calls(long vmm_text, long vmm_data)
{
	static int word = 5;
	long r;
	struct { long nr, a1, a2, a3, a4, want; } c[] = {
		{ 16, vmm_text, 0, 0, 0, -14 },			/* entry in VMM text */
		{ 16, (long)&word, 0, 0, 0, -14 },		/* entry not executable */
		{ 16, (long)hold, 0, 0, vmm_data, -14 },	/* TCB out into the VMM */
		{ 16, (long)hold, 0, 1L << 40, 0, -22 },	/* huge stack */
		{ 17, 0, 0, 0, 0, -22 },			/* exit from the caller's thread */
		{ 18, 12345, 0, 0, 0, -22 },			/* join nobody */
		{ 19, 12345, 0, 0, 0, -22 },			/* detach nobody */
		{ 20, vmm_data, 0, 0, 0, -14 },			/* wait on VMM memory */
		{ 20, (long)&word + 1, 5, 0, 0, -22 },		/* unaligned */
		{ 20, (long)&word, 4, 0, 0, -11 },		/* value differs */
		{ 21, vmm_data, 1, 0, 0, -14 },			/* wake VMM memory */
		{ 22, 12345, 0, 0, 0, -3 },			/* interrupt nobody */
	};

	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if ((r = bv_syscall(c[i].nr, c[i].a1, c[i].a2, c[i].a3, c[i].a4, 0)) != c[i].want)
			return (long)(i + 1) * 1000 + r;
	/* a wait with a deadline and nobody to wake it times out */
	r = bv_syscall(20, (long)&word, 5, 1, 0, 0);
	if (r != -110)
		return 99000 + r;
	return 0;
}
