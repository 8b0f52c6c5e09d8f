/* Extended register state on bare metal.  The VMM turns XSAVE on
 * (CR4.OSXSAVE) and enables the x87, SSE and AVX components in XCR0 when
 * the CPU has them, so that libc's start-up selection (libc/string_select.c,
 * which runs later, from INITFUNC) picks the AVX2 string code as it does on
 * a Linux host, and blobs get it too.  From then on whatever switches
 * register state uses XSAVE/XRSTOR instead of FXSAVE/FXRSTOR: the trap path
 * (trap.S: a handler may run AVX2 memcpy over an interrupted blob's YMM
 * registers) and the guest switches (vmm/svm/vmrun.S, vmm/vmx/vmentry.S: the guest has its own
 * XCR0 and state).  AVX-512 state is not enabled for the VMM: nothing in it
 * uses ZMM registers, and the trap frame stays one kilobyte. */
#include <core/string.h>
#include <pc/io.h>
#include <pc/xsave.h>

#define CPUID1_ECX_XSAVE	(1u << 26)
#define CPUID1_ECX_AVX		(1u << 28)
#define CR4_OSXSAVE		(1ULL << 18)

u8 pc_xsave_on;
u64 pc_xcr0;
u32 pc_xsave_size, pc_xsave_max;

void
pc_xsave_init(void)
{
	u32 r[4];
	u64 cr4, x = XCR0_X87 | XCR0_SSE;

	cpuid(1, 0, r);
	if (!(r[2] & CPUID1_ECX_XSAVE))
		return;		/* FXSAVE, as before XSAVE existed */
	if (r[2] & CPUID1_ECX_AVX)
		x |= XCR0_AVX;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSXSAVE));
	xsetbv(0, x);
	cpuid(0xd, 0, r);
	if (r[1] > PC_XSAVE_AREA) {	/* not for x87+SSE+AVX (832 bytes); be safe */
		xsetbv(0, XCR0_X87);
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
		return;
	}
	pc_xcr0 = x;
	pc_xsave_size = r[1];
	pc_xsave_max = r[2];
	pc_xsave_on = 1;
}

/* An application processor gets the BSP's setting before it runs any C
 * that may reach the AVX2 string code (pc_ap_main's first call). */
void
pc_xsave_init_ap(void)
{
	u64 cr4;

	if (!pc_xsave_on)
		return;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSXSAVE));
	xsetbv(0, pc_xcr0);
}

/* An image XRSTOR (or FXRSTOR) loads as the reset state with exceptions
 * masked: FNINIT's x87 state, MXCSR 0x1f80, zero XMM/YMM.  area holds
 * PC_XSAVE_AREA bytes (a guest's: pc_xsave_max), 64-byte aligned, zeroed. */
void
pc_fpu_clean_image(u8 *area)
{
	__asm__ volatile("fninit; fxsave64 %0" : "=m"(*(u8 (*)[512])area));
	*(u32 *)(area + 24) = 0x1f80;
	memset(area + 160, 0, 512 - 160);	/* XMM0-15 and the rest */
	if (pc_xsave_on)
		*(u64 *)(area + 512) = XCR0_X87 | XCR0_SSE;	/* XSTATE_BV; AVX: init */
}
