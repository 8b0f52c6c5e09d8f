/* The only VMM code a hosted domain's child process keeps (section
 * .text.bvstub; docs/domains.md, "Hosted").  hdomain_child_start unmaps every
 * page of the forked VMM except the domain's own, the channel, this code
 * and the child's stacks, gives the domain's ranges their protections,
 * installs the seccomp filter and stops in the SIGSYS handler, which is
 * where the child always waits for the VMM:
 *   - every SYSCALL the domain executes traps (seccomp RET_TRAP) into
 *     stub_handler, which posts it to the channel as the domain ABI's call
 *     and returns the VMM's result in rax, as SYSRET would;
 *   - a call into the domain is the VMM's RP_ENTER reply: the handler
 *     rewrites the registers it returns to, as IRETQ would;
 *   - a fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP) or a system call
 *     of another ABI (int $0x80) is posted as EV_FAULT; after the
 *     debugger's int3 the VMM answers RP_RESUME with the registers to go on
 *     with (the breakpoint's out-of-line copy), as IRETQ from #BP would.
 * Nothing here may call code outside the section or touch the VMM's data
 * (gone in the child): no globals, no libc, no jump tables (module.mk
 * builds this file with -fno-jump-tables -fno-tree-loop-distribute-patterns). */
#include "hdomain.h"
#include "syscall.h"

/* One input section inside .text (so the static image's linker script and
 * its registration-table generator take it as code), page-aligned and
 * bracketed by hdomain_stub_start/end; module.mk builds this file with
 * -fno-toplevel-reorder so the brackets stay around the functions. */
#define STUB __attribute__((section(".text.bvstub"), used, noinline))
__asm__(".pushsection .text.bvstub,\"ax\",@progbits\n"
	".balign 4096\n"
	".globl hdomain_stub_start\n"
	"hdomain_stub_start:\n"
	".popsection");
#define SYS_futex	202
#define SYS_close_range	436
#define ARCH_SET_FS	0x1002
#define CLONE_THREADS	0x50f00	/* VM FS FILES SIGHAND THREAD SYSVSEM */
#define SECCOMP_FILTER_FLAG_TSYNC 1
#define FUTEX_WAIT	0
#define FUTEX_WAKE	1
#define MAP_SHARED	0x01
#define MAP_FIXED	0x10
#define SIGSYS		31
#define AUDIT_ARCH_X86_64 0xc000003eU
#define PAGE		4096UL
#define USER_TOP	0x00007ffffffff000UL

struct k_siginfo_s {
	int signo, err, code, pad;
	u64 addr;
	int syscall;
	u32 arch;
};

struct k_ucontext_s {
	u64 flags;
	void *link;
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
	u64 gregs[HG_NREGS];
};

static inline __attribute__((always_inline)) long
sc(long n, long a, long b, long c, long d, long e, long f)
{
	return syscall6(n, a, b, c, d, e, f);
}

STUB void
stub_handler(int sig, void *info, void *ctx)
{
	struct k_siginfo_s *si = info;
	struct k_ucontext_s *uc = ctx;
	struct hchild_hdr *h = (struct hchild_hdr *)((u64)uc->ss_sp - 4 * PAGE);
	struct hchan *ch = h->ch;
	u64 *g = uc->gregs;

	for (int i = 0; i < HG_NREGS; i++)
		ch->regs[i] = g[i];
	ch->signo = sig;
	ch->code = si->code;
	ch->addr = si->addr;
	ch->sys_nr = si->syscall;
	ch->sys_arch = si->arch;
	/* any x86-64 SYSCALL is the domain ABI's (rax whole, as on bare metal) */
	ch->event = sig == SIGSYS && si->arch == AUDIT_ARCH_X86_64 ? EV_SYSCALL : EV_FAULT;
	for (;;) {
		ch->state = CH_CHILD;
		sc(SYS_futex, (long)&ch->state, FUTEX_WAKE, 1, 0, 0, 0);
		while (ch->state != CH_VMM)
			sc(SYS_futex, (long)&ch->state, FUTEX_WAIT, CH_CHILD, 0, 0, 0);
		for (u32 i = 0; i < ch->nmaps && i < HCH_MAPS; i++)
			sc(SYS_mmap, (long)ch->maps[i].addr, (long)ch->maps[i].len, ch->maps[i].prot,
			   MAP_SHARED | MAP_FIXED, h->memfd, (long)ch->maps[i].off);
		ch->nmaps = 0;
		if (ch->reply == RP_RESULT) {
			g[HG_RAX] = ch->result;
			return;
		}
		if (ch->reply == RP_RESUME) {	/* after a breakpoint: the VMM's registers */
			for (int i = HG_R8; i <= HG_RIP; i++)
				g[i] = ch->regs[i];
			return;
		}
		if (ch->reply == RP_ENTER) {
			if (ch->enter_tcb)	/* this thread's TCB (lanes serve any domain thread) */
				sc(SYS_arch_prctl, ARCH_SET_FS, (long)ch->enter_tcb, 0, 0, 0, 0);
			for (int i = HG_R8; i <= HG_RCX; i++)
				g[i] = 0;
			g[HG_RIP] = ch->enter[0];
			g[HG_RSP] = ch->enter[1];
			g[HG_RDI] = ch->enter[2];
			g[HG_RSI] = ch->enter[3];
			g[HG_RDX] = ch->enter[4];
			g[HG_RCX] = ch->enter[5];
			g[HG_R8] = ch->enter[6];
			g[HG_R9] = ch->enter[7];
			g[HG_EFL] = 0x202;
			return;
		}
		sc(SYS_exit_group, 0, 0, 0, 0, 0, 0);
	}
}

/* The signal handlers' return: rt_sigreturn, from inside the section. */
__asm__(".pushsection .text.bvstub,\"ax\",@progbits\n"
	".globl hdomain_restorer\n"
	"hdomain_restorer:\n"
	"	movl $15, %eax\n"
	"	syscall\n"
	"	hlt\n"
	".globl hdomain_child_start\n"
	"hdomain_child_start:\n"		/* (hdr, stack top) */
	"	movq %rsi, %rsp\n"
	"	call stub_main\n"
	"	hlt\n"
	/* (flags, stack top, hdr): a thread of the child on its lane's stack,
	 * running stub_lane(hdr); the caller gets its id or -errno */
	".globl hdomain_lane_clone\n"
	"hdomain_lane_clone:\n"
	"	movq %rdx, %r9\n"
	"	xorl %edx, %edx\n"
	"	xorl %r10d, %r10d\n"
	"	xorl %r8d, %r8d\n"
	"	movl $56, %eax\n"
	"	syscall\n"
	"	testq %rax, %rax\n"
	"	jnz 1f\n"
	"	movq %r9, %rdi\n"
	"	call stub_lane\n"
	"	hlt\n"
	"1:	ret\n"
	".popsection");

/* A lane thread: its own signal stack (the handler finds its header below
 * it), its id for the VMM's tgkill, then, once the filter is on, the trap
 * that brings it into its handler to wait on its own channel. */
STUB void
stub_lane(struct hchild_hdr *h)
{
	struct { void *sp; int flags; size_t size; } ss = { (u8 *)h + 4 * PAGE, 0, 4 * PAGE };

	sc(SYS_sigaltstack, (long)&ss, 0, 0, 0, 0, 0);
	h->ch->tid = (int)sc(SYS_gettid, 0, 0, 0, 0, 0, 0);
	h->go = 1;		/* set up: the filter may go on */
	sc(SYS_futex, (long)&h->go, FUTEX_WAKE, 1, 0, 0, 0);
	while (h->go != 2)
		sc(SYS_futex, (long)&h->go, FUTEX_WAIT, 1, 0, 0, 0);
	sc(-1, 0, 0, 0, 0, 0, 0);
	sc(SYS_exit_group, 127, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}

STUB void
stub_main(struct hchild_hdr *h)
{
	u64 prev = PAGE;
	struct { unsigned short len; const void *filter; } prog = { h->flen, h->filter };

	for (unsigned i = 0; i < h->nkeep; i++) {
		if (h->keep[i].start > prev)
			sc(SYS_munmap, (long)prev, (long)(h->keep[i].start - prev), 0, 0, 0, 0);
		if (h->keep[i].end > prev)
			prev = h->keep[i].end;
	}
	sc(SYS_munmap, (long)prev, (long)(USER_TOP - prev), 0, 0, 0, 0);
	for (unsigned i = 0; i < h->nprot; i++)
		sc(SYS_mprotect, (long)h->prot[i].addr, (long)h->prot[i].len, h->prot[i].prot, 0, 0, 0);
	/* the other lanes' threads, before the filter (which does not allow
	 * clone); TSYNC puts it on all of them at once */
	for (unsigned i = 1; i < h->nlanes; i++) {
		struct hchild_hdr *li = (struct hchild_hdr *)((u8 *)h + i * HCHILD_PAGES * PAGE);

		if (hdomain_lane_clone(CLONE_THREADS, (u64)li + 4 * PAGE, li) < 0)
			sc(SYS_exit_group, 124, 0, 0, 0, 0, 0);
		while (li->go != 1)	/* its signal stack is set: sigaltstack is not allowed after */
			sc(SYS_futex, (long)&li->go, FUTEX_WAIT, 0, 0, 0, 0);
	}
	if (sc(SYS_seccomp, 1, SECCOMP_FILTER_FLAG_TSYNC, (long)&prog, 0, 0, 0))
		sc(SYS_exit_group, 125, 0, 0, 0, 0, 0);
	for (unsigned i = 1; i < h->nlanes; i++) {
		struct hchild_hdr *li = (struct hchild_hdr *)((u8 *)h + i * HCHILD_PAGES * PAGE);

		li->go = 2;
		sc(SYS_futex, (long)&li->go, FUTEX_WAKE, 1, 0, 0, 0);
	}
	/* the first trap says "ready"; the VMM's RP_ENTER never comes back here */
	sc(-1, 0, 0, 0, 0, 0, 0);
	sc(SYS_exit_group, 126, 0, 0, 0, 0, 0);
}

__asm__(".pushsection .text.bvstub,\"ax\",@progbits\n"
	".globl hdomain_stub_end\n"
	"hdomain_stub_end:\n"
	".popsection");
