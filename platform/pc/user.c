/* Ring 3 for protection domains (docs/domains.md): the platform half.
 *
 * A domain's pages carry the U bit (pc_paging_set_user), nothing else does,
 * so a domain reaches only its own memory.  SMEP stops the VMM from running
 * a domain's code by accident, SMAP from reading or writing its memory
 * except inside plat_user->access windows (copy-in/out, the fault
 * diagnosis).  Entry is IRETQ (user_entry.S: pc_user_call), exit is SYSCALL
 * (STAR: kernel CS 0x08/SS 0x10, SYSRET CS 0x33/SS 0x2b; LSTAR
 * pc_syscall_entry; FMASK clears IF/TF/DF/AC/NT/IOPL).  A fault in ring 3
 * takes the ordinary trap path (pc_trap), whose recovery edit is turned
 * back into a ring-0 frame there.  Every CPU has all of it, and its own
 * struct pc_percpu (pc.h): a domain runs on whichever CPU calls it. */
#include <core/console.h>
#include <core/string.h>
#include <core/platform.h>
#include <pc/smp.h>
#include <pc/user.h>
#include "pc.h"

#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_FMASK	0xc0000084
#define MSR_KERNEL_GS_BASE 0xc0000102
#define EFER_SCE	(1ULL << 0)
#define CR4_SMEP	(1ULL << 20)
#define CR4_SMAP	(1ULL << 21)
#define FMASK_BITS	0x47700ULL	/* AC NT IOPL DF IF TF */
#define STAR_BITS	0x0023000800000000ULL

struct pc_sysframe {
	u64 r15, r14, r13, r12, rbp, rbx;
	u64 nr, rdi, rsi, rdx, r10, r8, r9;
	u64 rflags, rip, rsp;
};

u64 pc_user_call(u64 rip, u64 rsp, const u64 *args, struct pc_percpu *p);
void pc_user_return(u64 value, struct pc_percpu *p) __noreturn;
void pc_syscall_entry(void);
s64 pc_syscall(struct pc_sysframe *f);

static bool smep, smap;
static char features[16];

bool
pc_user_smap(void)
{
	return smap;
}

s64
pc_syscall(struct pc_sysframe *f)
{
	u64 args[6] = { f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9 };

	if (!plat_user_syscall)
		return -38;		/* ENOSYS */
	return plat_user_syscall(f->nr, args, f->rip);
}

static int
user_map(void *addr, size_t len, bool user)
{
	return pc_paging_set_user((u64)addr, len, user);
}

static void
user_access(bool open)
{
	if (!smap)
		return;
	if (open)
		__asm__ volatile("stac" ::: "memory", "cc");
	else
		__asm__ volatile("clac" ::: "memory", "cc");
}

static const u32 msrs[PC_USER_MSRS] = { MSR_STAR, MSR_LSTAR, MSR_FMASK, MSR_KERNEL_GS_BASE };

/* The calling CPU's entry state: the one it enters ring 3 with, and the
 * one a system call's return unwinds on (a thread that slept in a system
 * call may return on another CPU than it entered on).  A VMX guest's
 * SYSCALL MSRs still in the CPU are saved first (include/pc/user.h). */
static u64
user_call(u64 rip, u64 rsp, const u64 *args)
{
	struct pc_percpu *p = pc_percpu();

	if (p->guest_live) {
		u64 ours[PC_USER_MSRS] = { STAR_BITS, (u64)pc_syscall_entry, FMASK_BITS, (u64)p };

		for (int i = 0; i < PC_USER_MSRS; i++) {
			p->guest_live[i] = rdmsr(msrs[i]);
			wrmsr(msrs[i], ours[i]);
		}
		p->guest_saved = p->guest_live;
		p->guest_live = NULL;
	}
	return pc_user_call(rip, rsp, args, p);
}

static struct pc_percpu bsp_percpu;

void
pc_user_msrs_guest_live(int cpu, u64 save[PC_USER_MSRS])
{
	(cpu ? pc_smp_percpu(cpu) : &bsp_percpu)->guest_live = save;
}

void
pc_user_msrs_guest_back(int cpu)
{
	struct pc_percpu *p = cpu ? pc_smp_percpu(cpu) : &bsp_percpu;

	if (p->guest_saved)
		for (int i = 0; i < PC_USER_MSRS; i++)
			wrmsr(msrs[i], p->guest_saved[i]);
	p->guest_saved = p->guest_live = NULL;
}

static void __noreturn
user_return(u64 value)
{
	pc_user_return(value, pc_percpu());
}

static const struct plat_user_ops ops = {
	.map = user_map,
	.call = user_call,
	.ret = user_return,
	.access = user_access,
	.features = features,
};

/* By APIC ID, not IA32_KERNEL_GS_BASE: under VMX the guest's value is
 * still in that MSR after an exit. */
struct pc_percpu *
pc_percpu(void)
{
	int i = pc_smp_this_cpu();

	return i ? pc_smp_percpu(i) : &bsp_percpu;
}

/* What ring 3 needs on the calling CPU: CR4's SMEP/SMAP, the SYSCALL
 * MSRs, and its struct pc_percpu where SWAPGS finds it.  Every CPU that
 * may run a shell command (the BSP; under SVM each AP runs its guest
 * CPU's hypercalls) gets the same, or a domain entered there would find
 * the BSP's stacks. */
static void
cpu_setup(struct pc_percpu *p, void *tss)
{
	u64 cr4;

	p->tss = tss;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (smep ? CR4_SMEP : 0) | (smap ? CR4_SMAP : 0);
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	wrmsr(MSR_STAR, STAR_BITS);
	wrmsr(MSR_LSTAR, (u64)pc_syscall_entry);
	wrmsr(MSR_FMASK, FMASK_BITS);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_KERNEL_GS_BASE, (u64)p);
}

void
pc_user_init_ap(struct pc_percpu *p, void *tss)
{
	if (plat_user)
		cpu_setup(p, tss);
}

void
pc_user_init(void)
{
	u32 r[4];

	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		smep = r[1] & (1u << 7);
		smap = r[1] & (1u << 20);
	}
	cpu_setup(&bsp_percpu, pc_tss_bsp());
	snprintf(features, sizeof(features), "%s%s%s", smep ? "SMEP" : "",
		 smep && smap ? " " : "", smap ? "SMAP" : "");
	plat_user = &ops;
}
