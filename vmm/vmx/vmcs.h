/* Intel VMX: VMCS field encodings, exit reasons and control bits (Intel
 * SDM vol. 3, appendices A-C), and the VMX instructions as C functions.
 * Only what blobvisor uses is named. */
#ifndef VMM_VMX_VMCS_H
#define VMM_VMX_VMCS_H

#include <core/types.h>

/* 16-bit fields */
#define VPID			0x0000
#define GUEST_ES_SEL		0x0800	/* ES, CS, SS, DS, FS, GS, LDTR, TR: +2 each */
#define HOST_ES_SEL		0x0c00
#define HOST_CS_SEL		0x0c02
#define HOST_SS_SEL		0x0c04
#define HOST_DS_SEL		0x0c06
#define HOST_FS_SEL		0x0c08
#define HOST_GS_SEL		0x0c0a
#define HOST_TR_SEL		0x0c0c
/* 64-bit fields */
#define IO_BITMAP_A		0x2000
#define IO_BITMAP_B		0x2002
#define MSR_BITMAP		0x2004
#define EPT_POINTER		0x201a
#define GUEST_PHYS_ADDR		0x2400
#define VMCS_LINK_POINTER	0x2800
#define GUEST_DEBUGCTL		0x2802
#define GUEST_PAT		0x2804
#define GUEST_EFER		0x2806
#define HOST_PAT		0x2c00
#define HOST_EFER		0x2c02
/* 32-bit fields */
#define PIN_CONTROLS		0x4000
#define PROC_CONTROLS		0x4002
#define EXCEPTION_BITMAP	0x4004
#define EXIT_CONTROLS		0x400c
#define ENTRY_CONTROLS		0x4012
#define ENTRY_INTR_INFO		0x4016
#define ENTRY_EXCEPTION_ERROR	0x4018
#define ENTRY_INSN_LEN		0x401a
#define PROC2_CONTROLS		0x401e
#define VM_INSN_ERROR		0x4400
#define EXIT_REASON		0x4402
#define IDT_VECTORING_INFO	0x4408
#define IDT_VECTORING_ERROR	0x440a
#define EXIT_INSN_LEN		0x440c
#define GUEST_ES_LIMIT		0x4800	/* ES ... TR: +2 each, then GDTR 0x4810, IDTR 0x4812 */
#define GUEST_GDTR_LIMIT	0x4810
#define GUEST_IDTR_LIMIT	0x4812
#define GUEST_ES_AR		0x4814	/* ES ... TR: +2 each */
#define GUEST_INTERRUPTIBILITY	0x4824
#define GUEST_ACTIVITY		0x4826
#define GUEST_SYSENTER_CS	0x482a
#define HOST_SYSENTER_CS	0x4c00
/* natural-width fields */
#define CR0_MASK		0x6000
#define CR4_MASK		0x6002
#define CR0_SHADOW		0x6004
#define CR4_SHADOW		0x6006
#define EXIT_QUALIFICATION	0x6400
#define GUEST_CR0		0x6800
#define GUEST_CR3		0x6802
#define GUEST_CR4		0x6804
#define GUEST_ES_BASE		0x6806	/* ES ... TR: +2 each */
#define GUEST_GDTR_BASE		0x6816
#define GUEST_IDTR_BASE		0x6818
#define GUEST_DR7		0x681a
#define GUEST_RSP		0x681c
#define GUEST_RIP		0x681e
#define GUEST_RFLAGS		0x6820
#define GUEST_PENDING_DBG	0x6822
#define GUEST_SYSENTER_ESP	0x6824
#define GUEST_SYSENTER_EIP	0x6826
#define HOST_CR0		0x6c00
#define HOST_CR3		0x6c02
#define HOST_CR4		0x6c04
#define HOST_FS_BASE		0x6c06
#define HOST_GS_BASE		0x6c08
#define HOST_TR_BASE		0x6c0a
#define HOST_GDTR_BASE		0x6c0c
#define HOST_IDTR_BASE		0x6c0e
#define HOST_SYSENTER_ESP	0x6c10
#define HOST_SYSENTER_EIP	0x6c12
#define HOST_RSP		0x6c14
#define HOST_RIP		0x6c16

/* Segment order in the guest-state area. */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

/* Capability MSRs */
#define MSR_FEATURE_CONTROL	0x3a
#define FEATURE_LOCK		(1ULL << 0)
#define FEATURE_VMX_OUTSIDE_SMX	(1ULL << 2)
#define MSR_VMX_BASIC		0x480
#define MSR_VMX_PINBASED	0x481
#define MSR_VMX_PROCBASED	0x482
#define MSR_VMX_EXIT		0x483
#define MSR_VMX_ENTRY		0x484
#define MSR_VMX_CR0_FIXED0	0x486
#define MSR_VMX_CR0_FIXED1	0x487
#define MSR_VMX_CR4_FIXED0	0x488
#define MSR_VMX_CR4_FIXED1	0x489
#define MSR_VMX_PROCBASED2	0x48b
#define MSR_VMX_EPT_VPID_CAP	0x48c
#define MSR_VMX_TRUE_PINBASED	0x48d
#define MSR_VMX_TRUE_PROCBASED	0x48e
#define MSR_VMX_TRUE_EXIT	0x48f
#define MSR_VMX_TRUE_ENTRY	0x490
#define MSR_VMX_LAST		0x491
#define VMX_BASIC_TRUE_CTLS	(1ULL << 55)

/* Primary processor-based controls */
#define PROC_USE_IO_BITMAPS	(1u << 25)
#define PROC_USE_MSR_BITMAPS	(1u << 28)
#define PROC_SECONDARY		(1u << 31)
/* Secondary */
#define PROC2_EPT		(1u << 1)
#define PROC2_RDTSCP		(1u << 3)
#define PROC2_VPID		(1u << 5)
#define PROC2_UNRESTRICTED	(1u << 7)
#define PROC2_INVPCID		(1u << 12)
#define PROC2_XSAVES		(1u << 20)
/* Exit controls */
#define EXIT_HOST_64		(1u << 9)
#define EXIT_SAVE_PAT		(1u << 18)
#define EXIT_LOAD_PAT		(1u << 19)
#define EXIT_SAVE_EFER		(1u << 20)
#define EXIT_LOAD_EFER		(1u << 21)
/* Entry controls */
#define ENTRY_IA32E_GUEST	(1u << 9)
#define ENTRY_LOAD_PAT		(1u << 14)
#define ENTRY_LOAD_EFER		(1u << 15)

/* EPT capabilities (MSR_VMX_EPT_VPID_CAP) */
#define EPT_CAP_WALK4		(1ULL << 6)
#define EPT_CAP_WB		(1ULL << 14)
#define EPT_CAP_2M		(1ULL << 16)
#define EPT_CAP_INVEPT		(1ULL << 20)

/* Exit reasons (basic, bits 15:0) */
#define EXIT_EXCEPTION_NMI	0
#define EXIT_TRIPLE_FAULT	2
#define EXIT_INIT		3
#define EXIT_SIPI		4
#define EXIT_TASK_SWITCH	9
#define EXIT_CPUID		10
#define EXIT_GETSEC		11
#define EXIT_INVD		13
#define EXIT_VMCALL		18
#define EXIT_VMCLEAR		19
#define EXIT_VMXON		27
#define EXIT_CR_ACCESS		28
#define EXIT_IO			30
#define EXIT_RDMSR		31
#define EXIT_WRMSR		32
#define EXIT_INVALID_STATE	33
#define EXIT_MSR_LOADING	34
#define EXIT_MACHINE_CHECK	41
#define EXIT_EPT_VIOLATION	48
#define EXIT_EPT_MISCONFIG	49
#define EXIT_INVEPT		50
#define EXIT_INVVPID		53
#define EXIT_XSETBV		55
#define EXIT_FAILED_ENTRY	(1u << 31)

/* Interruption information (entry and IDT-vectoring) */
#define INTR_VALID		(1u << 31)
#define INTR_ERROR_VALID	(1u << 11)
#define INTR_TYPE_HW_EXCEPTION	(3u << 8)

/* The VMX instructions.  Each returns true on success; on failure the
 * flags say which kind (CF: no current VMCS, ZF: VM-instruction error). */
static inline bool
vmx_on(u64 pa)
{
	bool fail;

	__asm__ volatile("vmxon %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static inline bool
vmx_clear(u64 pa)
{
	bool fail;

	__asm__ volatile("vmclear %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static inline bool
vmx_ptrld(u64 pa)
{
	bool fail;

	__asm__ volatile("vmptrld %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static inline u64
vmread(u32 field)
{
	u64 val = 0;

	__asm__ volatile("vmread %1, %0" : "=rm"(val) : "r"((u64)field) : "cc");
	return val;
}

static inline bool
vmwrite_raw(u32 field, u64 val)
{
	bool fail;

	__asm__ volatile("vmwrite %1, %2; setna %0" : "=qm"(fail) : "rm"(val), "r"((u64)field) : "cc");
	return !fail;
}

/* vmx.c: VMWRITE that remembers the first field the CPU refused; the
 * setup reports it in one line. */
void vmwrite(u32 field, u64 val);

#endif
