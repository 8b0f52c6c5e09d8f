/* Internal interface of platform/pc: port and MSR access, and what the boot
 * files share.  Nothing outside platform/pc includes this. */
#ifndef PLATFORM_PC_H
#define PLATFORM_PC_H

#include <core/types.h>

static inline void
outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8
inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline u16
inw(u16 port)
{
	u16 v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void
outl(u16 port, u32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u32
inl(u16 port)
{
	u32 v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u64
rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void
wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline u64
rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

static inline void
cpuid(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

#define MSR_APIC_BASE	0x1b
#define MSR_EFER	0xc0000080
#define MSR_FS_BASE	0xc0000100
#define MSR_GS_BASE	0xc0000101

#define PC_VEC_WATCHDOG	64	/* local APIC timer, one-shot, blob watchdog */
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

/* boot.S */
extern u32 pc_mb_magic, pc_mb_info;
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

/* Paging (paging.c): identity map of [4 KiB, top) with W^X for the image;
 * the tables come from pool_base on, and pc_region_base ends up after them. */
void pc_paging_init(u64 pool_base, u64 top);
bool pc_paging_range_mapped(u64 addr, u64 len);
void pc_paging_map_mmio(u64 addr);

/* Time (time.c): TSC calibrated against the PIT once, RTC read once. */
void pc_time_init(void);
u64 pc_tsc_hz(void);
unsigned pc_rtc_second(void);	/* raw CMOS seconds register */
/* Seconds since 1970-01-01 00:00 UTC of a civil date (civil.c). */
u64 pc_civil_seconds(unsigned year, unsigned month, unsigned day,
		     unsigned hour, unsigned min, unsigned sec);
u64 pc_boot_tsc(void);	/* TSC at pc_main entry */

/* Local APIC (apic.c): only its one-shot timer, for the blob watchdog. */
void pc_apic_init(void);
void pc_apic_eoi(void);
/* Set when a hypervisor guest takes the local APIC (its timer included). */
extern bool pc_apic_lent;
u64 pc_apic_timer_hz(void);

/* The firmware's memory map as multiboot passed it (all types), for the
 * hypervisor's guest e820 map. */
struct pc_e820 {
	u64 base, len;
	u32 type;	/* 1 RAM, 2 reserved, 3 ACPI, 4 NVS, 5 bad */
};
extern struct pc_e820 pc_e820[64];
extern int pc_ne820;
/* With `vmm.mem=SIZE' the VMM keeps [__executable_start, pc_vmm_end) and
 * leaves the RAM above to a guest; otherwise pc_vmm_end is the top of RAM. */
extern u64 pc_vmm_end, pc_ram_top;

/* What main.c found and handed out */
extern u64 pc_region_base, pc_region_len;
extern struct pc_ram pc_ram[32];
extern int pc_nram;
const char *pc_cmdline(void);

/* PCI configuration space through 0xCF8/0xCFC (pci.c) */
struct pc_pci_fn {
	u8 bus, dev, fn;
	u16 vendor, device;
	u32 class_rev;		/* class << 24 | subclass << 16 | prog-if << 8 | revision */
};
u32 pc_pci_read32(const struct pc_pci_fn *f, unsigned off);
void pc_pci_write32(const struct pc_pci_fn *f, unsigned off, u32 v);
/* Visit every function until visit returns true; returns whether it did. */
bool pc_pci_each(bool (*visit)(const struct pc_pci_fn *f, void *arg), void *arg);
/* A VMM driver keeps a function (and its I/O range): the hypervisor hides
 * both from the guest.  `by' names the driver for `pci list'. */
void pc_pci_claim(const struct pc_pci_fn *f, u16 io_base, u16 io_len, const char *by);
const char *pc_pci_claimed_by(unsigned bus, unsigned dev, unsigned fn);
/* Whether an I/O port belongs to a claimed function. */
bool pc_io_claimed(u16 port);
struct pc_pci_claim {
	u8 bus, dev, fn;
	u16 io_base, io_len;
	const char *by;
};
extern struct pc_pci_claim pc_pci_claims[8];
extern int pc_npci_claims;

/* Command line (cmdline.c) */
struct boot_options;
int pc_cmdline_parse(const char *cmdline, struct boot_options *opt);

#endif
