/* Hosted protection domains (docs/domains.md, "Hosted"): private to
 * platform/hosted/hdomain.c (the VMM's side) and hdomain_stub.c (the code
 * the domain's child process keeps).  The channel is one shared page; the
 * child writes events into it and the VMM replies, each side waking the
 * other with a futex on `state'.  Everything in it comes from the child
 * and is untrusted by the VMM. */
#ifndef HOSTED_HDOMAIN_H
#define HOSTED_HDOMAIN_H

#include <core/types.h>

enum { CH_IDLE, CH_CHILD, CH_VMM };		/* state: who has the channel */
enum { EV_SYSCALL = 1, EV_FAULT };		/* the child's event */
enum { RP_RESULT = 1, RP_ENTER, RP_EXIT, RP_RESUME };	/* the VMM's reply (RESUME: regs as given) */

/* gregs indices of the kernel's ucontext (as platform/hosted/signal.c) */
enum {
	HG_R8, HG_R9, HG_R10, HG_R11, HG_R12, HG_R13, HG_R14, HG_R15, HG_RDI, HG_RSI,
	HG_RBP, HG_RBX, HG_RDX, HG_RAX, HG_RCX, HG_RSP, HG_RIP, HG_EFL, HG_CSGSFS,
	HG_ERR, HG_TRAPNO, HG_OLDMASK, HG_CR2, HG_NREGS
};

#define HCH_MAPS 64

struct hchan {
	volatile u32 state;
	u32 event;
	u64 regs[HG_NREGS];		/* at the event */
	int signo, code;
	u64 addr;			/* SIGSEGV/SIGBUS: si_addr; SIGSYS: after the instruction */
	int sys_nr;			/* SIGSYS */
	u32 sys_arch;
	u32 reply;
	u64 result;			/* RP_RESULT: rax */
	u64 enter[8];			/* RP_ENTER: rip, rsp, rdi, rsi, rdx, rcx, r8, r9 */
	u64 enter_tcb;			/* RP_ENTER: the thread's FS base (its TCB), 0 to keep */
	int tid;			/* lanes 1..: the child thread's id, posted at its start */
	u32 nmaps;			/* before the reply: map these from the memfd */
	struct { u64 addr, len, off; u32 prot; } maps[HCH_MAPS];
};

/* The child's private pages: this header, then its stack, then the signal
 * stack (whose base the handler finds in the ucontext). */
struct hchild_hdr {
	struct hchan *ch;
	int memfd;
	unsigned nlanes;		/* lane 0's header: threads to start (HLANES) */
	volatile u32 go;		/* lanes 1..: 1 the thread is set up, 2 the filter is on */
	unsigned nkeep;
	struct { u64 start, end; } keep[HCH_MAPS + 4];	/* sorted: all the child keeps */
	struct { u64 addr, len; u32 prot; } prot[HCH_MAPS];	/* the domain's ranges */
	unsigned nprot;
	unsigned short flen;
	struct { u16 code; u8 jt, jf; u32 k; } filter[40];
};
#define HCHILD_PAGES	8	/* header 1, stack 3, signal stack 4 */
#define HLANES		16	/* child threads: the default thread limit */
_Static_assert(sizeof(struct hchan) <= 4096, "the channel is one page");
_Static_assert(sizeof(struct hchild_hdr) <= 4096, "the child's header is one page");

extern char hdomain_stub_start[], hdomain_stub_end[];
void hdomain_child_start(struct hchild_hdr *h, u64 stack_top) __attribute__((noreturn));
void stub_handler(int sig, void *si, void *ctx);
void stub_main(struct hchild_hdr *h);
void hdomain_restorer(void);
long hdomain_lane_clone(unsigned long flags, u64 stack_top, struct hchild_hdr *h);
void stub_lane(struct hchild_hdr *h) __attribute__((noreturn));

#endif
