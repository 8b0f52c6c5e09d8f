/* Protection domains on the hosted VMM (docs/domains.md, "Hosted"): the
 * same system-call ABI, with the domain as a child process that shares
 * nothing with blobvisor but the domain's own pages and one channel page.
 *
 * Memory: each domain has a memfd.  When the domain code makes a range of
 * the VMM's region a user range (space_map), its bytes move into the memfd
 * and the memfd is mapped over them, at the same address, in this process
 * and (once it runs) in the child; so the VMM's copies in and out are plain
 * memory accesses here and the domain sees them at once.  Taking a range
 * back maps private memory with the same bytes over it again.
 *
 * The child is forked at the first call.  Before running any domain code
 * it unmaps everything but the domain's ranges, the channel, its stacks
 * and the stub (hdomain_stub.c), closes every descriptor but the memfd,
 * and installs a seccomp filter under which only the stub may make system
 * calls, and only futex (wait and wake), rt_sigreturn, exit_group and mmap
 * of the memfd;
 * any other system call traps to the stub's SIGSYS handler, which is how
 * the domain's SYSCALLs reach the VMM (hdomain_stub.c).  The VMM runs the
 * same dispatcher as on bare metal (plat_user_syscall). */
#include <core/console.h>
#include <core/context.h>
#include <core/cpu.h>
#include <core/errno.h>
#include <core/fault.h>
#include <core/heap.h>
#include <core/init.h>
#include <core/panic.h>
#include <core/platform.h>
#include <core/recover.h>
#include <core/sched.h>
#include <core/string.h>
#include "hdomain.h"
#include "syscall.h"

#define SYS_pwrite64	18
#define SYS_mremap	25
#define SYS_clone	56
#define SYS_wait4	61
#define SYS_kill	62
#define SYS_tgkill	234
#define SYS_ftruncate	77
#define SYS_futex	202
#define SYS_memfd_create 319
#define SYS_close_range	436
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MREMAP_MAYMOVE	1
#define MREMAP_FIXED	2
#define PROT_READ	1
#define PROT_WRITE	2
#define PROT_EXEC	4
#define FUTEX_WAIT	0
#define FUTEX_WAKE	1
#define WNOHANG		1
#define SIGKILL		9
#define SIGCHLD		17
#define SA_SIGINFO	4
#define SA_NODEFER	0x40000000
#define SA_ONSTACK	0x08000000
#define SA_RESTORER	0x04000000
#define PAGE		4096UL

struct hspace;
/* One thread of the child: lane 0 is the process's first, the others are
 * made before the filter goes on (hdomain_stub.c); each waits in its own
 * SIGSYS handler on its own channel page.  A VMM thread calling into the
 * domain takes a free lane for the call. */
struct hlane {
	struct hspace *s;
	struct hchan *ch;		/* shared with the child */
	int tid;			/* the child thread's */
	long jb[5];			/* the running call's, for ret */
	u64 retval;
	struct sched_thread *caller;	/* the VMM thread whose call runs, or NULL */
};

struct hspace {
	char name[48];
	int memfd;
	u64 size;			/* of the memfd */
	struct { u64 addr, len, off; u32 prot; } r[HCH_MAPS];
	unsigned nr;
	int pid;			/* the child, 0 before the first call */
	bool dead;
	struct hchan *ch;		/* HLANES pages shared with the child: lane i's channel */
	u8 *priv;			/* HLANES * HCHILD_PAGES, the child's own */
	struct hlane lane[HLANES];
	struct hspace *next;
};

static struct hspace *spaces;	/* every hosted domain, for calling() */

/* The lane whose call the running VMM thread is in (BV_SYS_RETURN and the
 * watchdog arrive without naming it). */
static struct hlane *
calling(void)
{
	for (struct hspace *s = spaces; s; s = s->next)
		for (unsigned i = 0; i < HLANES; i++)
			if (s->lane[i].caller && s->lane[i].caller == sched_current())
				return &s->lane[i];
	return NULL;
}


static u32
host_prot(int prot)
{
	return (prot & PROT_R ? PROT_READ : 0) | (prot & PROT_W ? PROT_WRITE : 0) |
	       (prot & PROT_X ? PROT_EXEC : 0);
}

static void *
space_new(const char *name)
{
	struct hspace *s = heap_zalloc(sizeof(*s));
	long ch, priv;

	if (!s)
		return NULL;
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->memfd = (int)syscall2(SYS_memfd_create, "blobvisor-domain", 1 /* MFD_CLOEXEC */);
	ch = syscall6(SYS_mmap, 0, HLANES * PAGE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	priv = syscall6(SYS_mmap, 0, HLANES * HCHILD_PAGES * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->memfd < 0 || ch < 0 || priv < 0) {
		kprintf("hosted: domain %s: memfd_create or mmap failed (%d, %ld, %ld)\n", name,
			s->memfd, ch, priv);
		if (s->memfd >= 0)
			syscall1(SYS_close, s->memfd);
		heap_free(s);
		return NULL;
	}
	s->ch = (struct hchan *)ch;
	s->priv = (u8 *)priv;
	for (unsigned i = 0; i < HLANES; i++) {
		s->lane[i].s = s;
		s->lane[i].ch = (struct hchan *)(ch + (long)(i * PAGE));
	}
	s->next = spaces;
	spaces = s;
	return s;
}

/* Private memory with the same bytes over [addr, addr+len) again. */
static int
take_back(u64 addr, u64 len)
{
	long tmp = syscall6(SYS_mmap, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);

	if (tmp < 0)
		return -1;
	memcpy((void *)tmp, (const void *)addr, len);
	return syscall5(SYS_mremap, tmp, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, addr) == (long)addr
		? 0 : -1;
}

static int
space_map(void *space, void *addr, size_t len, int prot, bool user)
{
	struct hspace *s = space;
	u64 a = (u64)addr;

	if (!user) {
		for (unsigned i = 0; i < s->nr;)
			if (s->r[i].addr >= a && s->r[i].addr + s->r[i].len <= a + len) {
				if (take_back(s->r[i].addr, s->r[i].len))
					return -1;
				s->r[i] = s->r[--s->nr];
			} else {
				i++;
			}
		return 0;
	}
	if (s->nr == HCH_MAPS || (a | len) & (PAGE - 1))
		return -1;
	if (syscall2(SYS_ftruncate, s->memfd, s->size + len) ||
	    syscall4(SYS_pwrite64, s->memfd, addr, len, s->size) != (long)len ||
	    syscall6(SYS_mmap, a, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, s->memfd,
		     s->size) != (long)a)
		return -1;
	s->r[s->nr++] = (typeof(s->r[0])){ a, len, s->size, host_prot(prot) };
	/* a grant while the child runs: every lane maps it before its next
	 * reply (a thread may use it before another lane's reply comes) */
	for (unsigned i = 0; i < HLANES && s->pid && !s->dead; i++) {
		struct hchan *ch = s->lane[i].ch;

		if (ch->nmaps < HCH_MAPS)
			ch->maps[ch->nmaps++] = (typeof(ch->maps[0])){ a, len, s->size,
								       host_prot(prot) };
	}
	s->size += len;
	return 0;
}

static void
reap(struct hspace *s)
{
	int status;

	if (s->pid) {
		syscall2(SYS_kill, s->pid, SIGKILL);
		syscall4(SYS_wait4, s->pid, &status, 0, 0);
	}
	s->pid = 0;
	s->dead = true;
	for (unsigned i = 0; i < HLANES; i++)
		s->lane[i].caller = NULL;
}

static void
space_free(void *space)
{
	struct hspace *s = space;

	reap(s);
	syscall2(SYS_munmap, s->ch, HLANES * PAGE);
	syscall2(SYS_munmap, s->priv, HLANES * HCHILD_PAGES * PAGE);
	syscall1(SYS_close, s->memfd);
	for (struct hspace **p = &spaces; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	heap_free(s);
}

/* --- the child ------------------------------------------------------- */

#define LD	0x20	/* BPF_LD | BPF_W | BPF_ABS */
#define JEQ	0x15
#define JGE	0x35
#define RET	0x06
#define SECCOMP_RET_TRAP	0x00030000U
#define SECCOMP_RET_ALLOW	0x7fff0000U
#define AUDIT_ARCH_X86_64	0xc000003eU

/* Only the stub, and only what the stub does; everything else traps. */
static void
build_filter(struct hchild_hdr *h, u64 lo, u64 hi, int memfd)
{
	typeof(h->filter[0]) f[] = {
		/* 0 */ { LD, 0, 0, 4 },				/* arch */
		/* 1 */ { JEQ, 0, 16, AUDIT_ARCH_X86_64 },
		/* 2 */ { LD, 0, 0, 12 },				/* ip, high half */
		/* 3 */ { JEQ, 0, 14, (u32)(lo >> 32) },
		/* 4 */ { LD, 0, 0, 8 },				/* ip, low half */
		/* 5 */ { JGE, 0, 12, (u32)lo },
		/* 6 */ { JGE, 11, 0, (u32)hi },
		/* 7 */ { LD, 0, 0, 0 },				/* nr */
		/* 8 */ { JEQ, 4, 0, SYS_futex },
		/* 9 */ { JEQ, 9, 0, SYS_rt_sigreturn },
		/* 10 */ { JEQ, 8, 0, SYS_exit_group },
		/* 11 */ { JEQ, 7, 0, SYS_arch_prctl },		/* a lane's FS base at RP_ENTER */
		/* 12 */ { JEQ, 3, 5, SYS_mmap },
		/* 13 */ { LD, 0, 0, 16 + 1 * 8 },			/* futex: args[1], the op */
		/* 14 */ { JEQ, 4, 0, FUTEX_WAIT },
		/* 15 */ { JEQ, 3, 2, FUTEX_WAKE },
		/* 16 */ { LD, 0, 0, 16 + 4 * 8 },			/* mmap: args[4], the fd */
		/* 17 */ { JEQ, 1, 0, (u32)memfd },
		/* 18 */ { RET, 0, 0, SECCOMP_RET_TRAP },
		/* 19 */ { RET, 0, 0, SECCOMP_RET_ALLOW },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(f); i++)
		h->filter[i] = f[i];
	h->flen = ARRAY_SIZE(f);
}

static void
keep(struct hchild_hdr *h, u64 start, u64 end)
{
	unsigned i = h->nkeep++;

	for (; i > 0 && h->keep[i - 1].start > start; i--)
		h->keep[i] = h->keep[i - 1];
	h->keep[i].start = start;
	h->keep[i].end = end;
}

struct k_sigaction_s {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	u64 mask;
};

/* In the child, still with the VMM mapped: signals, FS base, descriptors,
 * no new privileges; then the stub takes over on the child's own stack. */
static __noreturn void
child_setup(struct hspace *s, struct hchild_hdr *h, u64 tcb)
{
	static const int faults[] = { 4, 5, 7, 8, 11, 31 };	/* ILL TRAP BUS FPE SEGV SYS */
	u64 none = 0;
	struct { void *sp; int flags; size_t size; } ss = { s->priv + 4 * PAGE, 0, 4 * PAGE };

	syscall2(SYS_prctl, 1 /* PR_SET_PDEATHSIG */, SIGKILL);
	for (int sig = 1; sig <= 64; sig++) {
		struct k_sigaction_s dfl = { 0 };

		if (sig != SIGKILL && sig != 19)
			syscall4(SYS_rt_sigaction, sig, &dfl, NULL, 8);
	}
	syscall2(SYS_sigaltstack, &ss, NULL);
	for (unsigned i = 0; i < ARRAY_SIZE(faults); i++) {
		struct k_sigaction_s sa = { (void *)stub_handler,
					    SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESTORER,
					    hdomain_restorer, 0 };

		syscall4(SYS_rt_sigaction, faults[i], &sa, NULL, 8);
	}
	syscall4(SYS_rt_sigprocmask, 2 /* SIG_SETMASK */, &none, NULL, 8);
	syscall2(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, tcb);
	if (s->memfd > 0)
		syscall3(SYS_close_range, 0, s->memfd - 1, 0);
	syscall3(SYS_close_range, s->memfd + 1, ~0U, 0);
	syscall5(SYS_prctl, 38 /* PR_SET_NO_NEW_PRIVS */, 1, 0, 0, 0);
	hdomain_child_start(h, (u64)s->priv + 4 * PAGE);
}

static int wait_child(struct hlane *l);

static int
spawn(struct hspace *s, u64 tcb)
{
	struct hchild_hdr *h = (struct hchild_hdr *)s->priv;
	u64 lo = (u64)hdomain_stub_start & ~(PAGE - 1);
	u64 hi = ALIGN_UP((u64)hdomain_stub_end, PAGE);
	long pid;

	memset(h, 0, sizeof(*h));
	h->ch = s->ch;
	h->memfd = s->memfd;
	h->nlanes = HLANES;
	for (unsigned i = 1; i < HLANES; i++) {
		struct hchild_hdr *li = (struct hchild_hdr *)(s->priv + i * HCHILD_PAGES * PAGE);

		memset(li, 0, sizeof(*li));
		li->ch = s->lane[i].ch;
		li->memfd = s->memfd;
	}
	keep(h, lo, hi);
	keep(h, (u64)s->priv, (u64)s->priv + HLANES * HCHILD_PAGES * PAGE);
	keep(h, (u64)s->ch, (u64)s->ch + HLANES * PAGE);
	for (unsigned i = 0; i < s->nr; i++) {
		keep(h, s->r[i].addr, s->r[i].addr + s->r[i].len);
		h->prot[h->nprot].addr = s->r[i].addr;
		h->prot[h->nprot].len = s->r[i].len;
		h->prot[h->nprot++].prot = s->r[i].prot;
	}
	build_filter(h, lo, hi, s->memfd);
	for (unsigned i = 0; i < HLANES; i++) {
		s->lane[i].ch->state = CH_IDLE;
		s->lane[i].ch->nmaps = 0;
		s->lane[i].caller = NULL;
	}
	pid = syscall6(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
	if (pid == 0)
		child_setup(s, h, tcb);
	if (pid < 0) {
		kprintf("domain %s: cannot start its process: %s\n", s->name, strerror((int)-pid));
		return -1;
	}
	s->pid = (int)pid;
	s->dead = false;
	/* each thread's first trap (system call -1) says it is ready */
	for (unsigned i = 0; i < HLANES; i++) {
		struct hlane *l = &s->lane[i];

		if (wait_child(l) || l->ch->event != EV_SYSCALL || l->ch->sys_nr != -1) {
			kprintf("domain %s: its process did not start (thread %u)\n", s->name, i);
			reap(s);
			return -1;
		}
		l->tid = i ? l->ch->tid : s->pid;
	}
	return 0;
}

static void
reply(struct hlane *l, u32 what)
{
	l->ch->reply = what;
	l->ch->state = CH_VMM;
	syscall6(SYS_futex, (long)&l->ch->state, FUTEX_WAKE, 1, 0, 0, 0);
}

/* Until the lane's thread posts an event; -1 (the child reaped) if it died. */
static int
wait_child(struct hlane *l)
{
	struct hspace *s = l->s;

	for (;;) {
		struct k_timespec ts = { 0, 50000000 };
		int status = 0;

		if (s->dead) {		/* another lane's fault ended the process */
			l->ch->regs[0] = 9;
			return -1;
		}
		if (l->ch->state == CH_CHILD)
			return 0;
		syscall6(SYS_futex, (long)&l->ch->state, FUTEX_WAIT, l->ch->state, (long)&ts, 0, 0);
		if (l->ch->state == CH_CHILD)
			return 0;
		if (syscall4(SYS_wait4, s->pid, &status, WNOHANG, 0) == s->pid) {
			s->pid = 0;
			s->dead = true;
			l->ch->regs[0] = (u64)status;
			return -1;
		}
	}
}

/* A fault in the child: the core's diagnosis, as for a ring-3 fault on
 * bare metal (the domain's pages are mapped here too), and the call ends
 * through the recovery point.  An int3 (SIGTRAP from the kernel) first
 * goes to the fault hooks with the child alive: the debugger's breakpoint
 * (debug/hook.c) reports it and moves rip to the instruction's out-of-line
 * copy, and the child goes on there (RP_RESUME); returns then. */
static void
child_fault(struct hlane *l)
{
	struct hspace *s = l->s;
	const u64 *g = l->ch->regs;
	struct cpu_regs r = {
		.rax = g[HG_RAX], .rbx = g[HG_RBX], .rcx = g[HG_RCX], .rdx = g[HG_RDX],
		.rsi = g[HG_RSI], .rdi = g[HG_RDI], .rbp = g[HG_RBP], .rsp = g[HG_RSP],
		.r8 = g[HG_R8], .r9 = g[HG_R9], .r10 = g[HG_R10], .r11 = g[HG_R11],
		.r12 = g[HG_R12], .r13 = g[HG_R13], .r14 = g[HG_R14], .r15 = g[HG_R15],
		.rip = g[HG_RIP], .rflags = g[HG_EFL], .cs = 0x33, .ss = 0x2b,
		.error_code = g[HG_ERR], .vector = g[HG_TRAPNO],
		.fs_base = l->ch->enter_tcb,	/* the lane's TCB since its RP_ENTER */
	};
	int sig = l->ch->signo;
	static char why[160];

	if (sig == 5 && l->ch->code == 0x80 /* SI_KERNEL: int3 */) {
		u64 *w = l->ch->regs;

		r.vector = VEC_BP;
		fault_handle(&r);
		if (r.rip != (u64)recover_jump) {
			w[HG_RAX] = r.rax; w[HG_RBX] = r.rbx; w[HG_RCX] = r.rcx; w[HG_RDX] = r.rdx;
			w[HG_RSI] = r.rsi; w[HG_RDI] = r.rdi; w[HG_RBP] = r.rbp; w[HG_RSP] = r.rsp;
			w[HG_R8] = r.r8; w[HG_R9] = r.r9; w[HG_R10] = r.r10; w[HG_R11] = r.r11;
			w[HG_R12] = r.r12; w[HG_R13] = r.r13; w[HG_R14] = r.r14; w[HG_R15] = r.r15;
			w[HG_RIP] = r.rip;
			reply(l, RP_RESUME);
			return;
		}
		reap(s);
		recover_jump((struct recover_point *)r.rdi);
	}
	reap(s);	/* a domain that faulted runs no more */
	if (sig == 31) {	/* SIGSYS of another ABI: int $0x80 */
		snprintf(why, sizeof(why), "domain %s: system call %d of another ABI (arch %#x, "
			 "int $0x80) at %#llx denied (seccomp)", s->name, l->ch->sys_nr,
			 l->ch->sys_arch, (unsigned long long)r.rip);
		ctx_abort(why, (const void *)r.rip);
	}
	switch (sig) {
	case 4: r.vector = VEC_UD; break;
	case 5: r.vector = VEC_BP; break;
	case 8: r.vector = VEC_DE; break;
	default:
		if ((sig == 11 || sig == 7) && l->ch->code != 0x80 /* SI_KERNEL */) {
			r.fault_addr = l->ch->addr;
			r.fault_addr_valid = true;
		}
	}
	fault_handle(&r);
	if (r.rip == (u64)recover_jump)
		recover_jump((struct recover_point *)r.rdi);
	snprintf(why, sizeof(why), "domain %s: fault in its process at %#llx", s->name,
		 (unsigned long long)g[HG_RIP]);
	ctx_abort(why, (const void *)g[HG_RIP]);
}

static u64
space_call(void *space, u64 rip, u64 rsp, const u64 *args, u64 tcb)
{
	struct hspace *s = space;
	struct hlane *l = NULL;
	static char why[128];

	if (s->dead) {
		snprintf(why, sizeof(why), "domain %s: its process is gone", s->name);
		ctx_abort(why, (const void *)rip);
	}
	if (!s->pid && spawn(s, tcb)) {
		snprintf(why, sizeof(why), "domain %s: its process could not start", s->name);
		ctx_abort(why, (const void *)rip);
	}
	for (unsigned i = 0; i < HLANES && !l; i++)
		if (!s->lane[i].caller)
			l = &s->lane[i];
	if (!l) {
		snprintf(why, sizeof(why), "domain %s: more than %u threads in calls at once (the "
			 "child process's threads)", s->name, HLANES);
		ctx_abort(why, (const void *)rip);
	}
	l->ch->enter[0] = rip;
	l->ch->enter[1] = rsp;
	for (int i = 0; i < 6; i++)
		l->ch->enter[2 + i] = args[i];
	l->ch->enter_tcb = tcb;
	l->caller = sched_current();
	if (__builtin_setjmp(l->jb)) {
		l->caller = NULL;
		return l->retval;
	}
	reply(l, RP_ENTER);
	for (;;) {
		const u64 *g = l->ch->regs;

		if (wait_child(l)) {
			int st = (int)l->ch->regs[0];

			snprintf(why, sizeof(why), "domain %s: its process ended (%s %d)", s->name,
				 st & 0x7f ? "signal" : "exit status", st & 0x7f ? st & 0x7f : st >> 8);
			ctx_abort(why, (const void *)rip);
		}
		if (l->ch->event == EV_SYSCALL) {
			u64 a[6] = { g[HG_RDI], g[HG_RSI], g[HG_RDX], g[HG_R10], g[HG_R8], g[HG_R9] };

			l->ch->result = (u64)plat_user_syscall(g[HG_RAX], a, g[HG_RIP]);
			reply(l, RP_RESULT);
		} else {
			child_fault(l);
		}
	}
}

static __noreturn void
hosted_ret(u64 value)
{
	struct hlane *l = calling();

	if (!l)
		panic("BV_SYS_RETURN outside a domain call");
	l->retval = value;
	__builtin_longjmp(l->jb, 1);
}

static int
no_map(void *addr, size_t len, bool user)
{
	(void)addr; (void)len; (void)user;
	return -1;
}

static u64
no_call(u64 rip, u64 rsp, const u64 *args)
{
	(void)rip; (void)rsp; (void)args;
	return 0;
}

static void
no_access(bool open)
{
	(void)open;	/* the VMM reads a domain's pages in its own mapping */
}

/* The watchdog during a domain call fires here, where the VMM waits for
 * the child: SIGTRAP makes the child's stub post where the domain was
 * (the diagnosis that follows is of the VMM's waiting), then it stops. */
static bool
stop_child(struct cpu_regs *r)
{
	struct hlane *l = calling();
	struct hspace *s = l ? l->s : NULL;
	char sym[128];

	if (r->vector != VEC_WATCHDOG || !s || !s->pid || (r->cs & 3))
		return false;
	l->ch->state = CH_IDLE;
	syscall3(SYS_tgkill, s->pid, l->tid, 5 /* SIGTRAP: that thread */);
	for (int i = 0; i < 20 && l->ch->state != CH_CHILD; i++) {
		struct k_timespec ts = { 0, 10000000 };

		syscall6(SYS_futex, (long)&l->ch->state, FUTEX_WAIT, CH_IDLE, (long)&ts, 0, 0);
	}
	if (l->ch->state == CH_CHILD) {
		const u64 *g = l->ch->regs;

		kprintf("domain %s: stopped by the watchdog at %s; its process ends\n", s->name,
			ctx_describe(g[HG_RIP], sym, sizeof(sym)));
		/* the diagnosis is of the domain, not of the VMM waiting for it
		 * (the recovery that follows sets its own registers) */
		r->rip = g[HG_RIP]; r->rsp = g[HG_RSP]; r->rbp = g[HG_RBP];
		r->rax = g[HG_RAX]; r->rbx = g[HG_RBX]; r->rcx = g[HG_RCX]; r->rdx = g[HG_RDX];
		r->rsi = g[HG_RSI]; r->rdi = g[HG_RDI]; r->r8 = g[HG_R8]; r->r9 = g[HG_R9];
		r->r10 = g[HG_R10]; r->r11 = g[HG_R11]; r->r12 = g[HG_R12]; r->r13 = g[HG_R13];
		r->r14 = g[HG_R14]; r->r15 = g[HG_R15]; r->rflags = g[HG_EFL];
		r->cs = 0x33;
		r->ss = 0x2b;
	} else
		kprintf("domain %s: stopped by the watchdog; its process ends\n", s->name);
	reap(s);
	return false;
}
static struct fault_hook stop_hook = { .order = 7, .fn = stop_child };

/* An abort (the domain's exit, its process gone) unwinds the running
 * thread's domain call past space_call. */
static void
call_aborted(const char *why, const void *where)
{
	struct hlane *l = calling();

	(void)why; (void)where;
	if (l)
		l->caller = NULL;
}
static struct ctx_abort_hook abort_hook = { .order = 50, .fn = call_aborted };

static const struct plat_user_ops hosted_user = {
	.map = no_map, .call = no_call, .ret = hosted_ret, .access = no_access,
	.features = "child process, seccomp",
	.space_new = space_new, .space_free = space_free, .space_map = space_map,
	.space_call = space_call,
};

static void
hdomain_init(void)
{
	plat_user = &hosted_user;
	fault_hook_register(&stop_hook);
	ctx_abort_hook_register(&abort_hook);
}
INITFUNC("30hosted-domain", hdomain_init);
