/* CPU exceptions arrive as signals.  The handler runs on its own stack
 * (sigaltstack), converts the ucontext into the core's struct cpu_regs, calls
 * the core's fault handler and writes the (possibly edited) registers back
 * before returning, so the kernel's sigreturn resumes wherever the core
 * decided: the same shape as an iretq on bare metal. */
#include <core/fault.h>
#include <core/platform.h>
#include <core/string.h>
#include "syscall.h"

#define SIGILL	4
#define SIGTRAP	5
#define SIGBUS	7
#define SIGFPE	8
#define SIGSEGV	11
#define SIGALRM	14
#define SIGSYS	31	/* the seccomp filter (seccomp.c): a raw system call from a blob */
#define SI_KERNEL	0x80	/* si_code of #GP and other faults with no address */
#define SA_SIGINFO	0x4
#define SA_ONSTACK	0x08000000
#define SA_RESTORER	0x04000000

/* gregs indices in the kernel's struct sigcontext as laid out in ucontext */
enum {
	G_R8, G_R9, G_R10, G_R11, G_R12, G_R13, G_R14, G_R15, G_RDI, G_RSI,
	G_RBP, G_RBX, G_RDX, G_RAX, G_RCX, G_RSP, G_RIP, G_EFL, G_CSGSFS,
	G_ERR, G_TRAPNO, G_OLDMASK, G_CR2, G_NREGS
};

struct k_ucontext {
	u64 flags;
	void *link;
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
	u64 gregs[G_NREGS];
	/* fpstate pointer and the signal mask follow; untouched */
};

struct k_siginfo {
	int signo, err, code, pad;
	u64 addr;		/* SIGSYS: the address after the syscall instruction */
	int syscall;		/* SIGSYS: its number */
	u32 arch;
};

struct k_sigaction {
	void (*handler)(int, struct k_siginfo *, void *);
	unsigned long flags;
	void (*restorer)(void);
	u64 mask;
};

struct k_stack {
	void *sp;
	int flags;
	size_t size;
};

void hosted_sigreturn(void);

static u8 altstack[128 * 1024] __attribute__((aligned(16)));

static u64
vector_of(int sig, const struct k_ucontext *uc)
{
	switch (sig) {
	case SIGILL: return VEC_UD;
	case SIGTRAP: return VEC_BP;
	case SIGFPE: return VEC_DE;
	case SIGALRM: return VEC_WATCHDOG;
	case SIGSYS: return VEC_SYSCALL;
	default: return uc->gregs[G_TRAPNO];	/* #PF, #GP, #AC ... */
	}
}

static void
on_signal(int sig, struct k_siginfo *si, void *ctx)
{
	struct k_ucontext *uc = ctx;
	u64 *g = uc->gregs;

	/* the lazy watchdog's timer (plat.c), early or after a disarm */
	if (sig == SIGALRM && si->code > 0 && !hosted_watchdog_due())
		return;

	struct cpu_regs r = {
		.rax = g[G_RAX], .rbx = g[G_RBX], .rcx = g[G_RCX], .rdx = g[G_RDX],
		.rsi = g[G_RSI], .rdi = g[G_RDI], .rbp = g[G_RBP], .rsp = g[G_RSP],
		.r8 = g[G_R8], .r9 = g[G_R9], .r10 = g[G_R10], .r11 = g[G_R11],
		.r12 = g[G_R12], .r13 = g[G_R13], .r14 = g[G_R14], .r15 = g[G_R15],
		.rip = g[G_RIP], .rflags = g[G_EFL],
		/* the VMM is this platform's ring 0: RPL 0 (a protection
		 * domain's ring 3 is its child process, hdomain.c) */
		.cs = g[G_CSGSFS] & 0xfffc, .ss = g[G_CSGSFS] >> 48,
		.fs_base = plat_get_fs_base(),
		.vector = vector_of(sig, uc), .error_code = g[G_ERR],
	};
	u64 fs = r.fs_base;

	if (si->code <= 0) {
		/* kill/tgkill/sigqueue (SI_USER, SI_TKILL, SI_QUEUE): nothing
		 * faulted, and trapno is stale */
		r.vector = VEC_SIGNAL;
		r.error_code = (u64)sig;
	} else if (sig == SIGSYS) {
		r.error_code = (u64)(u32)si->syscall;
	} else if ((sig == SIGSEGV || sig == SIGBUS) && si->code != SI_KERNEL) {
		r.fault_addr = si->addr;	/* SI_KERNEL (#GP: hlt, cli...): none */
		r.fault_addr_valid = true;
	}
	fault_handle(&r);
	g[G_RAX] = r.rax; g[G_RBX] = r.rbx; g[G_RCX] = r.rcx; g[G_RDX] = r.rdx;
	g[G_RSI] = r.rsi; g[G_RDI] = r.rdi; g[G_RBP] = r.rbp; g[G_RSP] = r.rsp;
	g[G_R8] = r.r8; g[G_R9] = r.r9; g[G_R10] = r.r10; g[G_R11] = r.r11;
	g[G_R12] = r.r12; g[G_R13] = r.r13; g[G_R14] = r.r14; g[G_R15] = r.r15;
	g[G_RIP] = r.rip; g[G_EFL] = r.rflags;
	if (r.fs_base != fs)
		plat_set_fs_base(r.fs_base);
}

void hosted_signals_init(void);

void
hosted_signals_init(void)
{
	static const int sigs[] = { SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV, SIGALRM,
					    SIGSYS };
	struct k_stack ss = { altstack, 0, sizeof(altstack) };

	syscall2(SYS_sigaltstack, &ss, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		struct k_sigaction sa = {
			.handler = on_signal,
			.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
			.restorer = hosted_sigreturn,
			.mask = 1ULL << (SIGALRM - 1),
		};

		syscall4(SYS_rt_sigaction, sigs[i], &sa, NULL, 8);
	}
}
