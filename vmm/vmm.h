/* The hypervisor's vendor-neutral core (private to vmm/): one guest, one
 * vCPU per processor (the APs' started at the guest's SIPI, vcpus.c),
 * pass-through.  The core owns the guest's state as the exit handlers
 * see it, the exit policy (CPUID, I/O, hypercalls, concealment, faults on
 * VMM memory), guest memory access and the Linux boot; a backend (vmm/svm,
 * vmm/vmx) owns the hardware: it enters the guest, decodes each exit into a
 * struct vm_exit and keeps its control block in step with struct vcpu.
 * See docs/architecture.md, "The hypervisor". */
#ifndef VMM_VMM_H
#define VMM_VMM_H

#include <core/types.h>

/* General registers by x86 number (RAX=0 ... R15=15).  The backends' entry
 * code loads and saves them at these offsets (svm/vmrun.S, vmx/vmentry.S);
 * SVM keeps RAX and RSP in the VMCB, VMX keeps RSP in the VMCS, so the
 * backend copies those across around each exit. */
enum { R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI,
       R_8, R_9, R_10, R_11, R_12, R_13, R_14, R_15 };

/* A segment as the guest state holds it; attrib is AMD's packed form
 * (type:4 S:1 DPL:2 P:1 AVL:1 L:1 D/B:1 G:1), which VMX spreads out. */
struct vm_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
};

/* The guest state the core reads and writes.  Before an exit is handled
 * the backend fills rip, rflags, the control registers, EFER and CPL (and
 * RAX/RSP in gpr); afterwards it writes back gpr, rip and rflags.  The
 * segments are only written at boot (vmm_backend.load_state). */
struct vm_state {
	u64 rip, rflags;
	u64 cr0, cr3, cr4, efer;
	u8 cpl;
	struct vm_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	u64 dr7, pat;
	/* what VMLOAD/VMSAVE switch beside FS, GS, TR, LDTR (0 for Linux) */
	u64 kernel_gs_base, star, lstar, cstar, sfmask;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
};

/* Exits counted by reason, in `guest info' order: the one list of them. */
#define VM_EXIT_KINDS(X) \
	X(CPUID, "cpuid") X(MSR, "msr") X(IOIO, "ioio") X(HYPERCALL, "hypercall") \
	X(GPF, "npf/ept") X(SHUTDOWN, "shutdown") X(VMINSN, "vm insn") X(CR, "cr") \
	X(XSETBV, "xsetbv") X(OTHER, "other")
#define VM_EXIT_KIND_ENUM(id_, name_) X_##id_,
enum vm_exit_kind { VM_EXIT_KINDS(VM_EXIT_KIND_ENUM) X_KINDS };
extern const char *const vm_exit_kind_names[X_KINDS];

/* One exit, decoded by the backend.  next_rip is where the guest goes on
 * once the intercepted instruction is complete (the backend knows the
 * length: fixed for SVM without next-RIP saving, read for VMX). */
struct vm_exit {
	enum vm_exit_kind kind;
	u64 next_rip;
	union {
		struct { u16 port; u8 size; bool in, str; } io;
		struct { u64 gpa; bool write, exec; } mem;
	};
	u64 raw[3];		/* the hardware's code and qualifications, for reports */
};

struct vcpu;

/* What a backend does for the core (vmm/svm/svm.c, vmm/vmx/vmx.c). */
struct vmm_backend {
	const char *name;		/* "svm", "vmx" */
	const char *gpf_name;		/* "nested page fault", "EPT violation" */
	const char *gpf_info;		/* what raw[1] of that exit is */
	bool (*supported)(const char **why);
	/* Allocate the control block, intercepts, the I/O bitmap (v->io_bitmap)
	 * and the guest-physical map; 0 or -1 (out of memory, said why). */
	int (*vcpu_init)(struct vcpu *v);
	/* An AP's vCPU: its own control block and state areas, sharing the
	 * BSP's guest-physical map, I/O and MSR bitmaps; NULL when the backend
	 * cannot run APs (they are then left to the guest).  0 or -1. */
	int (*vcpu_init_ap)(struct vcpu *v, const struct vcpu *bsp);
	/* On the vCPU's own processor, before its first entry: what the
	 * hardware keeps per processor (SVM: EFER.SVME, the host save area). */
	int (*cpu_enable)(struct vcpu *v);
	/* Take a page out of the guest-physical map (before the first entry). */
	void (*hide_page)(struct vcpu *v, u64 gpa);
	/* Leave a page readable and make its writes exit (before the first
	 * entry); NULL where only hide_page is possible. */
	void (*readonly_page)(struct vcpu *v, u64 gpa);
	/* Write v->s (all of it) into the control block before the first entry. */
	void (*load_state)(struct vcpu *v);
	/* The guest's x87/SSE/AVX state before the first entry: an XSAVE
	 * image under the guest's XCR0 xcr0, or (xcr0 0) an FXSAVE image;
	 * NULL where not done yet (VMX). */
	void (*load_fpu)(struct vcpu *v, const u8 *image, size_t len, u64 xcr0);
	/* Enter once; return at the next exit with v->s and v->gpr updated and
	 * the exit decoded into *e.  False: the backend handled it itself, or
	 * it stops the guest (v->running cleared, stop_reason set). */
	bool (*run)(struct vcpu *v, struct vm_exit *e);
	/* After the core handled an exit: write rip, rflags, gpr back. */
	void (*resume)(struct vcpu *v);
	void (*inject_exception)(struct vcpu *v, u8 vector, bool has_error, u32 error);
	void (*dump)(const struct vcpu *v);
};

struct vcpu {
	u64 gpr[16];			/* offset 0: the entry code relies on it */
	struct vm_state s;
	const struct vmm_backend *ops;
	void *hw;			/* the backend's own per-vCPU state */
	u8 *io_bitmap;			/* one bit per port from 0, 1 = intercepted */
	u64 xcr0;			/* the guest's XCR0 (what CPUID leaf 0xD sizes for) */
	u64 exits, exits_by_kind[X_KINDS];
	/* The last exits (the backend's raw code and the guest's RIP), for
	 * the stop dump: what led up to a stop is the first question */
	struct { u32 code; u64 rip; } recent[8];
	u32 recent_next;
	u64 ioio_by_port[3];		/* PCI address 0xCF8-0xCFB, PCI data 0xCFC-0xCFF, other */
	u64 run_ns;			/* time inside the guest */
	int cpu;			/* the processor it runs on (pc_smp_this_cpu) */
	u32 apic_id;
	u32 icr_hi;			/* the guest's last ICR high word (lapic.c) */
	int ap_state;			/* enum vcpu_ap_state (vcpus.c) */
	u8 sipi_vector;
	volatile bool init_pending;	/* an INIT while it ran: back to waiting for SIPI */
	bool running;
	const char *stop_reason;
	char stop_buf[48];		/* a stop reason made up at the time */
};

_Static_assert(__builtin_offsetof(struct vcpu, gpr) == 0, "entry code");

/* vcpus.c: one vCPU per processor the VMM started. */
#define VMM_MAX_VCPUS 16
enum vcpu_ap_state { AP_DOWN, AP_WAIT_SIPI, AP_STARTING, AP_RUNNING, AP_STOPPED };
extern struct vcpu *vmm_vcpus[VMM_MAX_VCPUS];
extern int vmm_nvcpus;
/* The APs' vCPUs (allocated on the BSP before the guest runs); the count,
 * or -1 if out of memory. */
int vmm_vcpus_prepare(struct vcpu *bsp);
/* The guest's INIT or start-up IPI to the CPU with apic_id (lapic.c). */
void vmm_ap_init(struct vcpu *from, u32 apic_id);
void vmm_ap_sipi(struct vcpu *from, u32 apic_id, u8 vector);
/* After the BSP's guest stopped: stop the APs' at their next exit. */
void vmm_vcpus_stop(void);
bool vmm_guest_over(const struct vcpu *v);

/* One lock for the core's shared state while several processors exit at
 * once: the shell and everything it reaches (blobs, USB, the heap, the
 * page allocator, the console), PCI configuration emulation, the AP
 * table.  CPUID and local APIC accesses need none. */
void vmm_lock(void);
void vmm_unlock(void);
bool vmm_trylock(int cpu);	/* never waits: for the exit fast path */

/* lapic.c: the guest's xAPIC page is out of the guest-physical map; its
 * accesses go to the real local APIC of the exiting processor, except
 * INIT and start-up IPIs, which start the APs' vCPUs. */
#define LAPIC_PAGE	0xfee00000ULL
void lapic_setup(struct vcpu *v);
bool lapic_access(struct vcpu *v, u64 gpa);
/* The guest's write of IA32_APIC_BASE: x2APIC mode and a moved page are
 * refused (the trap would not see its ICR writes). */
u64 lapic_base_write(u64 val);

/* fwguest.c: the firmware, as blobvisor.efi's call left it, as the guest
 * (include/pc/fwguest.h); 0 or -1 with one line. */
int fw_guest_prepare(struct vcpu *v);

/* run.c: the backend this CPU has (SVM or VMX by CPUID), or NULL with why. */
const struct vmm_backend *vmm_backend_pick(const char **why);
int vmm_vcpu_init(struct vcpu *v, const struct vmm_backend *ops);
/* Run until the guest stops (shutdown, fault on VMM memory, ...). */
void vmm_run_guest(struct vcpu *v);
void vmm_dump_guest(const struct vcpu *v);
/* Each backend notes every exit for the dump (its code, the guest's RIP). */
static inline void
vmm_note_exit(struct vcpu *v, u32 code, u64 rip)
{
	u32 i = v->recent_next++ % ARRAY_SIZE(v->recent);

	v->recent[i].code = code;
	v->recent[i].rip = rip;
}

/* Stop the guest with one line already printed: reason, registers. */
bool vmm_stop(struct vcpu *v, const char *reason);

/* exits.c: the core's part of an exit; false when the guest must stop. */
bool vmm_handle_exit(struct vcpu *v, const struct vm_exit *e);
/* CPUID as the guest sees it: the hypervisor leaf, no SVM, no VMX. */
void vmm_cpuid(const struct vcpu *v, u32 leaf, u32 sub, u32 r[4]);

/* gpmap.c: the guest-physical map both backends build: guest-physical =
 * host-physical in 2 MiB pages below top, the VMM's range absent.  The
 * page-table entry bits differ (NPT is an ordinary long-mode table, EPT
 * has its own format), so the backend passes them. */
struct gpmap_format {
	u64 table;			/* a non-leaf entry's bits */
	u64 leaf_4k;			/* a 4 KiB leaf */
	u64 leaf_2m;			/* a 2 MiB leaf (with its size bit) */
	u64 write;			/* the leaf bit that allows writes */
	u64 present;			/* any of these bits: the entry is used */
	u64 (*memtype)(u64 pa, u64 len);	/* extra leaf bits by range (EPT: WB/UC) */
};
u64 gpmap_build(const struct gpmap_format *f, u64 top);
void gpmap_hide_page(const struct gpmap_format *f, u64 root, u64 gpa);
void gpmap_readonly_page(const struct gpmap_format *f, u64 root, u64 gpa);

/* conceal.c: the hidden functions' ECAM pages and the claimed BARs are
 * left out of the guest-physical map; their accesses are emulated as
 * "nothing there" (reads all ones, writes dropped). */
void conceal_setup(struct vcpu *v);
bool conceal_hidden(u64 gpa);

/* mmio_emul.c: decode the guest's MOV at RIP and complete it as a read of
 * all ones or a dropped write; false if it is not an instruction we know. */
bool mmio_emulate_absent(struct vcpu *v);
struct mmio_op {
	bool write;
	unsigned size;		/* bytes accessed */
	unsigned dest_size;	/* a load's register width */
	unsigned reg, len;
	u8 rex;
	u64 value;		/* a store's */
};
bool mmio_decode(const struct vcpu *v, struct mmio_op *op);
void mmio_explain(const struct vcpu *v, char *buf, size_t len);
void mmio_complete(struct vcpu *v, const struct mmio_op *op, u64 loaded);

/* Hypercall functions (RAX): see docs/architecture.md, "Guest to VMM".
 * VMMCALL (SVM) and VMCALL (VMX) both arrive here. */
#define HC_STATS	1	/* -> RBX exits so far, RCX ns spent in the guest */
#define HC_DBGSH	2	/* RBX line, RCX its length, RDX out buffer, RSI its size
				 * -> RBX the command's status, RCX output bytes */
#define HC_CARDWAIT	3	/* RBX the presence the caller knows (0 absent, 1 present,
				 * else unknown), RCX timeout in ms (at most 60000), RDX 0
				 * (the VMM's between rounds), RSI the reader -> RBX the
				 * presence, RCX ms left; RAX 0 changed (or was unknown),
				 * -ETIMEDOUT, -ENODEV no reader/driver, -EIO, -EINVAL */

/* hypercall.c: false when the call must run again (RIP stays: a blocking
 * call waits in rounds, the guest taking its interrupts between them). */
bool vmm_hypercall(struct vcpu *v);
/* cardwait.c: HC_CARDWAIT, the same convention; *ret is RAX when done. */
bool hc_cardwait(struct vcpu *v, long *ret);

/* guestmem.c: guest-virtual access through the guest's page tables;
 * 0 or -EFAULT (not present, not writable, not the user's, not RAM). */
int guest_translate(const struct vcpu *v, u64 gva, bool write, u64 *gpa);
int guest_copy(const struct vcpu *v, u64 gva, void *buf, size_t len, bool to_guest);

/* iobitmap: one bit per port, as SVM's IOPM and VMX's bitmaps A+B lay it. */
void io_intercept(u8 *bitmap, u16 first, u16 last);

/* pci_hide.c */
struct pci_hide_stats {		/* the guest's dword writes to 0xCF8 by target */
	u64 bus0, other_bus;	/* a visible function on bus 0, on another bus */
	u64 hidden, disabled;	/* a hidden function; bit 31 clear */
};
void pci_hide_setup(u8 *io_bitmap);
const struct pci_hide_stats *pci_hide_stats(void);
u32 pci_hide_config_io(u16 port, unsigned size, bool in, u32 val);
void pci_hide_pause(void);	/* before a hypercall, under the lock */
void pci_hide_resume(void);	/* after it */
/* The exit fast path's share: a guest dword write to 0xCF8, handled without
 * libc (core code only); false if the VMM's lock is taken. */
bool pci_hide_fast_select(int cpu, u32 val);

/* The hypervisor leaf's signature, 12 bytes. */
#define VMM_SIGNATURE "blobvisor-hv"

/* The backends. */
extern const struct vmm_backend svm_backend, vmx_backend;

#endif
