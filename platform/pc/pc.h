/* Internal interface of platform/pc: what the boot files share.  Nothing
 * outside platform/pc includes this; drivers and the hypervisor use the
 * public headers in include/pc/. */
#ifndef PLATFORM_PC_H
#define PLATFORM_PC_H

#include <core/types.h>
#include <pc/acpi.h>
#include <pc/apic.h>
#include <pc/io.h>
#include <pc/memmap.h>
#include <pc/pci.h>

#define PC_VEC_WATCHDOG	64	/* local APIC timer, one-shot, blob watchdog */
#define PC_VEC_WAKE	0xf0	/* IPI that ends an AP's hlt (smp.c) */
#define PC_VEC_SPURIOUS	0xff
#define PC_VEC_STRAY	0x100	/* trap.S's code for any other interrupt vector */
extern u64 pc_stray_interrupts;

/* What trap.S pushes, lowest address first. */
struct pc_trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

/* A multiboot module, kept as the loader left it (read-only). */
struct pc_module {
	const u8 *data;
	size_t len;
	const char *name;	/* the module's command line */
};

#define PC_MAX_MODULES 16
extern struct pc_module pc_modules[PC_MAX_MODULES];
extern int pc_nmodules;

/* A usable RAM range from the multiboot memory map. */
struct pc_ram {
	u64 base, len;
};

/* boot.S; boot_efi.S (the RSDP blobvisor.efi passed, else 0) */
extern u32 pc_mb_magic, pc_mb_info;
extern u64 pc_efi_rsdp;
extern u8 pc_stack_guard[], pc_stack_top[];
extern u64 pc_gdt[];

/* Console (serial.c) */
void pc_serial_init(void);
void pc_serial_puts(const char *s);
extern bool pc_console_tty;

/* CPU tables (cpu.c) */
void pc_cpu_init(void);


void pc_idt_gate_present(int vec, bool present);
const void *pc_ist_guard_at(int i);	/* NULL past the last */
size_t pc_ist_used(int i);		/* high-water mark of IST i+1 */

/* Processors (smp.c, smp_asm.S): the BSP is cpu 0; APs from the MADT. */
#define PC_MAX_CPUS 16
/* One CPU's ring-3 entry state.  In ring 0 IA32_KERNEL_GS_BASE holds its
 * address (GS itself is the domain's or unused: the VMM never reads it),
 * so SYSCALL's entry reaches it with SWAPGS and C code with pc_percpu().
 * user_entry.S knows the offsets. */
struct pc_percpu {
	u64 ksp;		/* 0: the kernel stack a SYSCALL from ring 3 switches to */
	u64 kflags;		/* 8: RFLAGS of the VMM code that entered ring 3 */
	u64 scratch;		/* 16: the domain's RSP while SYSCALL saves it */
	u8 *tss;		/* 24: this CPU's TSS (RSP0 at +4) */
	u8 active;		/* 32: the CPU was in ring 3 when it entered the VMM */
	u64 *guest_live;	/* a VMX guest's syscall MSRs are in the CPU, to be saved here */
	u64 *guest_saved;	/* ... were saved here and the VMM's loaded (include/pc/user.h) */
};
enum pc_cpu_state { PC_CPU_ABSENT, PC_CPU_STARTING, PC_CPU_ONLINE, PC_CPU_FAILED, PC_CPU_GUEST,
		    PC_CPU_RESERVED, PC_CPU_VCPU };
struct pc_cpu {
	int index;
	u32 apic_id;			/* from the MADT */
	int state;			/* enum pc_cpu_state */
	u8 *stack;			/* guard page + stack */
	u8 *ist;			/* its interrupt stacks (cpu.c) */
	void (*work)(struct pc_cpu *);	/* the call it is asked to run */
	void (*guest_fn)(void *);	/* a guest CPU it runs (pc_smp_start_guest_cpu) */
	void *guest_arg;
	u64 calls;
	u32 seen_apic_id;		/* what it read from its own APIC */
	u64 answer_tsc;
	u64 gdt[7] __attribute__((aligned(16)));	/* the BSP's with its own TSS */
	u8 tss[104] __attribute__((aligned(16)));
	struct pc_percpu user;		/* its ring-3 entry state (user.c) */
};
/* pc_ncpus, pc_smp_give_to_guest, ...: include/pc/smp.h */
/* Run fn on AP cpu and wait for it; 0, or -1 if the AP is not online or
 * did not finish within timeout_us. */
int pc_smp_call(int cpu, void (*fn)(struct pc_cpu *), u64 timeout_us);
/* cpu.c: an AP's interrupt stacks, then its GDT, TSS and the shared IDT */
int pc_cpu_alloc_ist(struct pc_cpu *c);
void pc_cpu_init_ap(struct pc_cpu *c);
struct pc_percpu *pc_smp_percpu(int cpu);	/* cpu > 0: an AP's */
void *pc_tss_bsp(void);

/* Paging (paging.c): identity map of [4 KiB, top) with W^X for the image;
 * the tables come from pool_base on, and pc_region_base ends up after them. */
void pc_paging_init(u64 pool_base, u64 top);
/* acpi_pm.c: the FADT's PM1a control port (soft-off) */
u16 pc_acpi_pm1a_cnt(void);
bool pc_paging_range_mapped(u64 addr, u64 len);
int pc_paging_set_user(u64 addr, size_t len, bool user);

/* Ring 3 (user.c, user_entry.S): GDT user segments, SYSCALL MSRs, SMEP/SMAP,
 * on every CPU.  pc_user_init (the BSP) also decides what the CPU has;
 * pc_user_init_ap gives an AP the same, with its own struct pc_percpu. */
void pc_user_init(void);
void pc_user_init_ap(struct pc_percpu *p, void *tss);
struct pc_percpu *pc_percpu(void);
bool pc_user_smap(void);

/* Time (time.c): TSC calibrated against the PIT once, RTC read once. */
void pc_time_init(void);
u64 pc_tsc_hz(void);
unsigned pc_rtc_second(void);	/* raw CMOS seconds register */
/* Seconds since 1970-01-01 00:00 UTC of a civil date (civil.c). */
u64 pc_civil_seconds(unsigned year, unsigned month, unsigned day,
		     unsigned hour, unsigned min, unsigned sec);
u64 pc_boot_tsc(void);	/* TSC at pc_main entry */

/* Local APIC (apic.c): its one-shot timer for the blob watchdog, and IPIs. */
extern u64 pc_apic_mmio;	/* its registers' address, the same on every CPU */
void pc_apic_init(void);
void pc_apic_init_ap(void);	/* an AP's own, as the BSP's */
u32 pc_apic_id(void);		/* this CPU's */
void pc_apic_send_ipi(u32 apic_id, u32 icr_low);
void pc_apic_eoi(void);
u64 pc_apic_timer_hz(void);

/* What main.c found and handed out */
extern u64 pc_region_base, pc_region_len;
extern struct pc_ram pc_ram[32];
extern int pc_nram;
const char *pc_cmdline(void);

/* Command line (cmdline.c) */
struct boot_options;
int pc_cmdline_parse(const char *cmdline, struct boot_options *opt);
u64 pc_vmm_mem_option(void);	/* vmm.mem=SIZE in bytes, or 0 */

#endif
