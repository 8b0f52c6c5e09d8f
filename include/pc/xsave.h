/* Extended register state on bare metal (platform/pc/xsave.c): XSAVE on,
 * with x87|SSE|AVX in XCR0, when the CPU has it.  Read by the trap path and
 * the guest switches (vmm/svm/vmrun.S, vmm/vmx/vmentry.S), which save and
 * restore with it. */
#ifndef PC_XSAVE_H
#define PC_XSAVE_H

#include <core/types.h>

#define PC_XSAVE_AREA	1024	/* per trap frame (trap.S): x87+SSE+AVX is 832 */
#define XCR0_X87	1ULL
#define XCR0_SSE	2ULL
#define XCR0_AVX	4ULL
extern u8 pc_xsave_on;		/* 0: FXSAVE/FXRSTOR as before */
extern u64 pc_xcr0;		/* the VMM's XCR0 (0 when XSAVE is off) */
extern u32 pc_xsave_size;	/* the area XSAVE writes for pc_xcr0 */
extern u32 pc_xsave_max;	/* ... for every component the CPU has (a guest's) */
void pc_xsave_init(void);
void pc_xsave_init_ap(void);
/* A reset-state image (FNINIT x87, MXCSR 0x1f80, zero XMM/YMM) for XRSTOR
 * or FXRSTOR, in a zeroed, 64-byte aligned area. */
void pc_fpu_clean_image(u8 *area);

#endif
