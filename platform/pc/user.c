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
 * back into a ring-0 frame there. */
#include <core/console.h>
#include <core/string.h>
#include <core/platform.h>
#include "pc.h"

#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_FMASK	0xc0000084
#define EFER_SCE	(1ULL << 0)
#define CR4_SMEP	(1ULL << 20)
#define CR4_SMAP	(1ULL << 21)
#define FMASK_BITS	0x47700ULL	/* AC NT IOPL DF IF TF */

struct pc_sysframe {
	u64 r15, r14, r13, r12, rbp, rbx;
	u64 nr, rdi, rsi, rdx, r10, r8, r9;
	u64 rflags, rip, rsp;
};

u64 pc_user_call(u64 rip, u64 rsp, const u64 *args);
void pc_user_return(u64 value) __noreturn;
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

/* Ring 3's entry state is the boot CPU's: its TSS's RSP0, pc_user_ksp and
 * pc_user_active, the SYSCALL MSRs and CR4.SMEP/SMAP are set there only.
 * An AP (one that runs an SMP guest's hypercalls) must not enter ring 3:
 * an interrupt there would find no ring-0 stack. */
static u32 boot_apic_id;

static const char *
user_here(void)
{
	static char why[96];
	u32 id = pc_apic_id();

	if (id == boot_apic_id)
		return NULL;
	snprintf(why, sizeof(why), "a call on the CPU with APIC ID %u: ring 3 runs on the boot CPU "
		 "only (not yet SMP)", id);
	return why;
}

static const struct plat_user_ops ops = {
	.map = user_map,
	.call = pc_user_call,
	.ret = pc_user_return,
	.access = user_access,
	.features = features,
	.here = user_here,
};

void
pc_user_init(void)
{
	u32 r[4];
	u64 cr4;

	boot_apic_id = pc_apic_id();
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		smep = r[1] & (1u << 7);
		smap = r[1] & (1u << 20);
	}
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (smep ? CR4_SMEP : 0) | (smap ? CR4_SMAP : 0);
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	wrmsr(MSR_STAR, 0x0023000800000000ULL);
	wrmsr(MSR_LSTAR, (u64)pc_syscall_entry);
	wrmsr(MSR_FMASK, FMASK_BITS);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	snprintf(features, sizeof(features), "%s%s%s", smep ? "SMEP" : "",
		 smep && smap ? " " : "", smap ? "SMAP" : "");
	plat_user = &ops;
}
