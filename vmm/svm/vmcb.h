/* The AMD SVM virtual machine control block: a 4 KiB page, control area at
 * 0x000, state save area at 0x400 (AMD64 APM vol. 2, appendix B).  Only the
 * fields blobvisor uses are named; offsets are checked at compile time. */
#ifndef VMM_SVM_VMCB_H
#define VMM_SVM_VMCB_H

#include <core/types.h>

struct vmcb_seg {
	u16 selector;
	u16 attrib;	/* type:4 S:1 DPL:2 P:1 AVL:1 L:1 D/B:1 G:1 */
	u32 limit;
	u64 base;
} __attribute__((packed));

struct vmcb_control {
	u32 intercept_cr;		/* 0x000 */
	u32 intercept_dr;		/* 0x004 */
	u32 intercept_exceptions;	/* 0x008 */
	u32 intercept_misc1;		/* 0x00c */
	u32 intercept_misc2;		/* 0x010 */
	u32 intercept_misc3;		/* 0x014 */
	u8 reserved1[0x03c - 0x018];
	u16 pause_filter_threshold;	/* 0x03c */
	u16 pause_filter_count;		/* 0x03e */
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;		/* 0x048 */
	u64 tsc_offset;			/* 0x050 */
	u32 asid;			/* 0x058 */
	u8 tlb_control;			/* 0x05c */
	u8 reserved2[3];
	u64 int_control;		/* 0x060: V_TPR, V_IRQ, V_INTR_MASKING... */
	u64 int_shadow;			/* 0x068 */
	u64 exit_code;			/* 0x070 */
	u64 exit_info1;			/* 0x078 */
	u64 exit_info2;			/* 0x080 */
	u64 exit_int_info;		/* 0x088 */
	u64 np_enable;			/* 0x090 */
	u64 avic_apic_bar;		/* 0x098 */
	u64 ghcb_pa;			/* 0x0a0 */
	u64 event_inject;		/* 0x0a8 */
	u64 n_cr3;			/* 0x0b0 */
	u64 lbr_virt;			/* 0x0b8 */
	u32 clean_bits;			/* 0x0c0 */
	u32 reserved3;
	u64 next_rip;			/* 0x0c8: not provided by QEMU's TCG */
	u8 insn_len;			/* 0x0d0 */
	u8 insn_bytes[15];
	u8 reserved4[0x400 - 0x0e0];
} __attribute__((packed));

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;	/* 0x400 */
	u8 reserved1[0x4cb - 0x4a0];
	u8 cpl;				/* 0x4cb */
	u32 reserved2;
	u64 efer;			/* 0x4d0 */
	u8 reserved3[0x548 - 0x4d8];
	u64 cr4;			/* 0x548 */
	u64 cr3;			/* 0x550 */
	u64 cr0;			/* 0x558 */
	u64 dr7;			/* 0x560 */
	u64 dr6;			/* 0x568 */
	u64 rflags;			/* 0x570 */
	u64 rip;			/* 0x578 */
	u8 reserved4[0x5d8 - 0x580];
	u64 rsp;			/* 0x5d8 */
	u8 reserved5[0x5f8 - 0x5e0];
	u64 rax;			/* 0x5f8 */
	u64 star, lstar, cstar, sfmask;	/* 0x600 */
	u64 kernel_gs_base;		/* 0x620 */
	u64 sysenter_cs, sysenter_esp, sysenter_eip;	/* 0x628 */
	u64 cr2;			/* 0x640 */
	u8 reserved6[0x668 - 0x648];
	u64 g_pat;			/* 0x668 */
	u64 dbgctl;			/* 0x670 */
	u8 reserved7[0x1000 - 0x678];
} __attribute__((packed));

struct vmcb {
	struct vmcb_control c;
	struct vmcb_save s;
} __attribute__((packed, aligned(4096)));

_Static_assert(__builtin_offsetof(struct vmcb, c.exit_code) == 0x070, "exit_code");
_Static_assert(__builtin_offsetof(struct vmcb, c.n_cr3) == 0x0b0, "n_cr3");
_Static_assert(__builtin_offsetof(struct vmcb, c.insn_len) == 0x0d0, "insn_len");
_Static_assert(__builtin_offsetof(struct vmcb, s.cpl) == 0x4cb, "cpl");
_Static_assert(__builtin_offsetof(struct vmcb, s.efer) == 0x4d0, "efer");
_Static_assert(__builtin_offsetof(struct vmcb, s.cr4) == 0x548, "cr4");
_Static_assert(__builtin_offsetof(struct vmcb, s.rip) == 0x578, "rip");
_Static_assert(__builtin_offsetof(struct vmcb, s.rsp) == 0x5d8, "rsp");
_Static_assert(__builtin_offsetof(struct vmcb, s.rax) == 0x5f8, "rax");
_Static_assert(__builtin_offsetof(struct vmcb, s.kernel_gs_base) == 0x620, "kgs");
_Static_assert(__builtin_offsetof(struct vmcb, s.cr2) == 0x640, "cr2");
_Static_assert(__builtin_offsetof(struct vmcb, s.g_pat) == 0x668, "g_pat");
_Static_assert(sizeof(struct vmcb) == 4096, "vmcb size");

/* intercept_misc1 */
#define INTERCEPT_INTR		(1u << 0)
#define INTERCEPT_NMI		(1u << 1)
#define INTERCEPT_CPUID		(1u << 18)
#define INTERCEPT_HLT		(1u << 24)
#define INTERCEPT_IOIO		(1u << 27)
#define INTERCEPT_MSR		(1u << 28)
#define INTERCEPT_SHUTDOWN	(1u << 31)
/* intercept_misc2 */
#define INTERCEPT_VMRUN		(1u << 0)
#define INTERCEPT_VMMCALL	(1u << 1)

/* exit codes */
#define VMEXIT_EXCP(v)		(0x40 + (v))
#define VMEXIT_INTR		0x60
#define VMEXIT_NMI		0x61
#define VMEXIT_CPUID		0x72
#define VMEXIT_HLT		0x78
#define VMEXIT_IOIO		0x7b
#define VMEXIT_MSR		0x7c
#define VMEXIT_SHUTDOWN		0x7f
#define VMEXIT_VMRUN		0x80
#define VMEXIT_VMMCALL		0x81
#define VMEXIT_NPF		0x400
#define VMEXIT_INVALID		0xffffffffULL	/* QEMU reports -1 as 32 bits */

/* event_inject */
#define EVENT_VALID		(1ULL << 31)
#define EVENT_TYPE_MASK		(7ULL << 8)
#define EVENT_TYPE_INTR		(0ULL << 8)
#define EVENT_TYPE_NMI		(2ULL << 8)
#define EVENT_TYPE_EXCEPTION	(3ULL << 8)
#define EVENT_VECTOR(e)		((u8)(e))
#define EVENT_ERROR_VALID	(1ULL << 11)

/* IOIO exit_info1 */
#define IOIO_IN			(1u << 0)
#define IOIO_STR		(1u << 2)
#define IOIO_REP		(1u << 3)
#define IOIO_SIZE(info)		(((info) >> 4) & 7)	/* 1, 2 or 4 bytes */
#define IOIO_PORT(info)		((u16)((info) >> 16))

#endif
