/* Blob code runs in the VMM's own process here, so a raw `syscall' in a
 * blob would reach the host kernel directly (exit_group ends blobvisor
 * without a word, alarm(0) disarms the watchdog).  A seccomp filter allows
 * system calls only from the VMM's own call sites — the core's text, minus
 * the vendor text linked into the static image, and the kernel's vDSO —
 * and makes every other one raise SIGSYS, which signal.c turns into a blob
 * fault (VEC_SYSCALL) like any exception.  When blobs move into a domain
 * process of their own, this filter moves with them. */
#include <core/console.h>
#include <core/platform.h>
#include "syscall.h"

#define PR_SET_NO_NEW_PRIVS	38
#define SECCOMP_SET_MODE_FILTER	1
#define SECCOMP_RET_TRAP	0x00030000U
#define SECCOMP_RET_ALLOW	0x7fff0000U
#define AUDIT_ARCH_X86_64	0xc000003eU
/* struct seccomp_data: nr, arch, instruction_pointer, args[6] */
#define OFF_ARCH	4
#define OFF_IP_LO	8
#define OFF_IP_HI	12

#define LD_ABS		0x20	/* BPF_LD | BPF_W | BPF_ABS */
#define JEQ		0x15	/* BPF_JMP | BPF_JEQ | BPF_K */
#define JGE		0x35	/* BPF_JMP | BPF_JGE | BPF_K */
#define RET		0x06	/* BPF_RET | BPF_K */

struct sock_filter {
	u16 code;
	u8 jt, jf;
	u32 k;
};

struct sock_fprog {
	unsigned short len;
	const struct sock_filter *filter;
};

extern char __executable_start[], etext[];
extern char __static_blob_text_start[] __attribute__((weak));
extern char __static_blob_text_end[] __attribute__((weak));
extern u64 hosted_vdso_lo, hosted_vdso_hi;

void hosted_seccomp_init(void);

void
hosted_seccomp_init(void)
{
	u64 lo = (u64)__executable_start, hi = (u64)etext;
	u64 blo = (u64)__static_blob_text_start, bhi = (u64)__static_blob_text_end;
	u64 vlo = hosted_vdso_lo, vhi = hosted_vdso_hi;
	enum { TRAP = 13, ALLOW = 14 };
	/* jt/jf count instructions after the jump */
#define TO(target, pc) ((u8)((target) - (pc) - 1))
	struct sock_filter f[] = {
		/* 0 */ { LD_ABS, 0, 0, OFF_ARCH },
		/* 1 */ { JEQ, 0, TO(TRAP, 1), AUDIT_ARCH_X86_64 },	/* int 0x80 too */
		/* 2 */ { LD_ABS, 0, 0, OFF_IP_HI },
		/* 3 */ { JEQ, 0, TO(9, 3), 0 },			/* core: below 4 GiB */
		/* 4 */ { LD_ABS, 0, 0, OFF_IP_LO },
		/* 5 */ { JGE, 0, TO(TRAP, 5), (u32)lo },
		/* 6 */ { JGE, TO(TRAP, 6), 0, (u32)hi },
		/* 7 */ { JGE, 0, TO(ALLOW, 7), (u32)blo },		/* linked-in vendor text */
		/* 8 */ { JGE, TO(ALLOW, 8), TO(TRAP, 8), (u32)bhi },
		/* 9 */ { JEQ, 0, TO(TRAP, 9), (u32)(vlo >> 32) },	/* the vDSO */
		/* 10 */ { LD_ABS, 0, 0, OFF_IP_LO },
		/* 11 */ { JGE, 0, TO(TRAP, 11), (u32)vlo },
		/* 12 */ { JGE, TO(TRAP, 12), TO(ALLOW, 12), (u32)vhi },
		/* 13 */ { RET, 0, 0, SECCOMP_RET_TRAP },
		/* 14 */ { RET, 0, 0, SECCOMP_RET_ALLOW },
	};
#undef TO
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	long rc;

	if (hi >> 32 || bhi >> 32) {
		kprintf("hosted: the core's text lies above 4 GiB; raw system calls from blobs "
			"are not contained\n");
		return;
	}
	if (!vlo || (vlo >> 32) != ((vhi - 1) >> 32)) {
		f[9].k = 0xffffffffU;	/* no vDSO (or one across 4 GiB): none allowed */
		f[11].k = f[12].k = 0;
	}
	rc = syscall5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (!rc)
		rc = syscall3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	if (rc)
		kprintf("hosted: seccomp filter refused (error %ld); raw system calls from blobs "
			"are not contained\n", -rc);
}
