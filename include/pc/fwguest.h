/* The firmware as the first guest (blobvisor.efi's `boot' line): the
 * loader calls the VMM like a function, without ExitBootServices; the
 * entry (platform/pc/boot_efi.S, pc_start64_efi_fw) records the CPU as the
 * firmware left it at that call, and `guest firmware' (vmm/fwguest.c)
 * resumes the firmware from exactly there, in guest mode, the call
 * returning EFI_SUCCESS.  docs/architecture.md, "The firmware as the
 * first guest". */
#ifndef PC_FWGUEST_H
#define PC_FWGUEST_H

#include <core/types.h>

#define PC_FW_FPU_SIZE	12288	/* XSAVE up to AMX tile data */

/* Layout fixed for boot_efi.S (offsets in the comments). */
struct pc_fw_state {
	u64 gpr[16];		/* 0x000: by x86 number, callee-saved ones and RSP
				 * (as after the return); the others 0 */
	u64 rip, rflags;	/* 0x080: the return address; RFLAGS at the call */
	u64 cr0, cr3, cr4, efer;	/* 0x090 */
	u64 xcr0;		/* 0x0b0: 0 if CR4.OSXSAVE was clear (fpu is FXSAVE's) */
	u64 fs_base, gs_base, kernel_gs_base, pat;	/* 0x0b8 */
	u64 star, lstar, cstar, sfmask;			/* 0x0d8 */
	u64 sysenter_cs, sysenter_esp, sysenter_eip;	/* 0x0f8 */
	u64 dr7;		/* 0x110 */
	u16 sel[8];		/* 0x118: ES CS SS DS FS GS TR LDTR */
	u8 gdtr[10], idtr[10];	/* 0x128, 0x132: as SGDT/SIDT store them */
	u8 pad[0x140 - 0x13c];
	u8 fpu[PC_FW_FPU_SIZE] __attribute__((aligned(64)));	/* 0x140 */
} __attribute__((aligned(64)));

enum { FW_ES, FW_CS, FW_SS, FW_DS, FW_FS, FW_GS, FW_TR, FW_LDTR };

/* The state at the call when the VMM was started that way, else NULL. */
const struct pc_fw_state *pc_fw_guest(void);

/* The VMM's serial console: COM1 (0x3f8), or COM2 (0x2f8) when the
 * firmware is the guest, whose console COM1 stays. */
u16 pc_console_port(void);

#endif
