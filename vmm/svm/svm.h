/* The AMD SVM hypervisor: one guest, one CPU, pass-through (see
 * docs/architecture.md, "The hypervisor"). */
#ifndef VMM_SVM_SVM_H
#define VMM_SVM_SVM_H

#include <core/types.h>
#include "vmcb.h"

/* Guest general registers that VMRUN does not keep in the VMCB (RAX and RSP
 * live there).  Layout is fixed: vmrun.S uses these offsets. */
struct svm_gprs {
	u64 rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

/* Exits counted by reason, in `guest info' order: the one list of them. */
#define SVM_EXIT_KINDS(X) \
	X(CPUID, "cpuid") X(MSR, "msr") X(IOIO, "ioio") X(VMMCALL, "vmmcall") \
	X(NPF, "npf") X(SHUTDOWN, "shutdown") X(VMRUN, "vmrun") X(OTHER, "other")
#define SVM_EXIT_KIND_ENUM(id_, name_) X_##id_,
enum svm_exit_kind { SVM_EXIT_KINDS(SVM_EXIT_KIND_ENUM) X_KINDS };
extern const char *const svm_exit_kind_names[X_KINDS];

struct svm_vcpu {
	struct svm_gprs g;		/* 0x00 */
	u64 vmcb_pa;			/* 0x70 */
	u64 host_vmcb_pa;		/* 0x78: VMSAVE area for the VMM's own FS, GS, TR... */
	/* x87/SSE/AVX state: XSAVE areas (FXSAVE images when XSAVE is off),
	 * 64-byte aligned, the guest's sized for every component the CPU has */
	u8 *guest_xs;			/* 0x80 */
	u8 *host_xs;			/* 0x88 */
	u64 guest_xcr0;			/* 0x90: the guest's own XCR0 (it runs XSETBV) */
	u64 union_xcr0;			/* 0x98: guest's | the VMM's, to save and restore both */
	struct vmcb *vmcb;
	void *host_save;		/* VM_HSAVE_PA page */
	void *host_vmcb;
	u8 *iopm, *msrpm;
	u64 exits, exits_by_code[X_KINDS];
	u64 ioio_by_port[3];		/* PCI address 0xCF8-0xCFB, PCI data 0xCFC-0xCFF, other */
	u64 run_ns;			/* time inside VMRUN */
	bool running;
	const char *stop_reason;
};

_Static_assert(__builtin_offsetof(struct svm_vcpu, vmcb_pa) == 0x70, "vmrun.S");
_Static_assert(__builtin_offsetof(struct svm_vcpu, guest_xs) == 0x80, "vmrun.S");
_Static_assert(__builtin_offsetof(struct svm_vcpu, host_xs) == 0x88, "vmrun.S");
_Static_assert(__builtin_offsetof(struct svm_vcpu, guest_xcr0) == 0x90, "vmrun.S");
_Static_assert(__builtin_offsetof(struct svm_vcpu, union_xcr0) == 0x98, "vmrun.S");

/* vmrun.S: enter the guest once and return at its next #VMEXIT. */
void svm_vmrun(struct svm_vcpu *v);

/* svm.c */
bool svm_supported(const char **why);
int svm_vcpu_init(struct svm_vcpu *v);
/* Run until the guest stops (shutdown, fault on VMM memory, ...). */
void svm_run_guest(struct svm_vcpu *v);
void svm_dump_guest(const struct svm_vcpu *v);

/* npt.c: identity-mapping nested page tables without the VMM's memory. */
u64 npt_build(u64 hide_start, u64 hide_end, u64 top);
void npt_hide_page(u64 pml4_pa, u64 gpa);

/* conceal.c: the hidden functions' ECAM pages and the claimed BARs are
 * left out of the nested map; their accesses are emulated as "nothing
 * there" (reads all ones, writes dropped). */
void conceal_setup(u64 pml4_pa);
bool conceal_hidden(u64 gpa);

/* mmio_emul.c: decode the guest's MOV at RIP and complete it as a read of
 * all ones or a dropped write; false if it is not an instruction we know. */
bool mmio_emulate_absent(struct svm_vcpu *v);

/* exits.c: returns false when the guest must stop. */
bool svm_handle_exit(struct svm_vcpu *v);

/* VMMCALL functions (RAX): see docs/architecture.md, "Guest to VMM". */
#define HC_STATS	1	/* -> RBX exits so far, RCX ns spent in the guest */
#define HC_DBGSH	2	/* RBX line, RCX its length, RDX out buffer, RSI its size
				 * -> RBX the command's status, RCX output bytes */

/* hypercall.c */
void svm_hypercall(struct svm_vcpu *v);

/* guestmem.c: guest-virtual access through the guest's page tables;
 * 0 or -EFAULT (not present, not writable, not the user's, not RAM). */
int guest_translate(const struct svm_vcpu *v, u64 gva, bool write, u64 *gpa);
int guest_copy(const struct svm_vcpu *v, u64 gva, void *buf, size_t len, bool to_guest);

/* pci_hide.c */
void pci_hide_setup(u8 *iopm);
u32 pci_hide_config_io(u16 port, unsigned size, bool in, u32 val);
void pci_hide_resume(void);

/* The hypervisor leaf's signature, 12 bytes. */
#define SVM_SIGNATURE "blobvisor-hv"

#endif
