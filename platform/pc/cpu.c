/* CPU tables: the TSS with its interrupt stacks, the IDT, the legacy PIC
 * (remapped and masked: nothing here takes device interrupts), and pc_trap,
 * which turns an exception frame into the core's struct cpu_regs and back. */
#include <core/console.h>
#include <core/cpu.h>
#include <core/fault.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/recover.h>
#include <core/string.h>
#include <pc/xsave.h>
#include "pc.h"

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

struct idt_gate {
	u16 offset_lo, selector;
	u8 ist, type;
	u16 offset_mid;
	u32 offset_hi, zero;
};

/* Interrupt stacks, each above an unmapped guard page (paging.c): a page
 * fault runs on its own stack so that a core stack overflow is reported as
 * the #PF it is, not a triple fault. */
enum { IST_PF = 1, IST_DF, IST_NMI, IST_TIMER, NIST = 4 };
#define IST_SIZE (64 * 1024)	/* fault hooks and kprintf's 4 KiB buffer */
static u8 ist_area[NIST][4096 + IST_SIZE] __attribute__((aligned(4096)));


/* The BSP's; an AP's is in its struct pc_cpu.  user_entry.S writes rsp[0]
 * (RSP0: the stack a ring-3 interrupt arrives on) through struct pc_percpu. */
static struct tss pc_tss __attribute__((aligned(16)));
static struct idt_gate idt[256] __attribute__((aligned(16)));
static u8 clean_fx[PC_XSAVE_AREA] __attribute__((aligned(64)));
extern const u64 pc_trap_stubs[33];
extern const u8 pc_spurious_stub[];
extern const u8 pc_stray_stub[];
extern const u8 pc_wake_stub[];
u64 pc_stray_interrupts;


void *
pc_tss_bsp(void)
{
	return &pc_tss;
}

const void *
pc_ist_guard_at(int i)
{
	return i < NIST ? ist_area[i] : NULL;
}

/* Deepest use of interrupt stack i so far, in bytes (the bss starts zero). */
size_t
pc_ist_used(int i)
{
	const u8 *p = ist_area[i] + 4096;
	size_t n = 0;

	while (n < IST_SIZE && !p[n])
		n++;
	return IST_SIZE - n;
}

static void
set_gate(int vec, u64 handler, int ist)
{
	struct idt_gate *g = &idt[vec];

	g->offset_lo = handler & 0xffff;
	g->selector = 0x08;
	g->ist = ist;
	g->type = 0x8e;		/* present, DPL 0, 64-bit interrupt gate */
	g->offset_mid = handler >> 16 & 0xffff;
	g->offset_hi = handler >> 32;
	g->zero = 0;
}

static void
pic_mask_all(void)
{
	/* Remap the 8259s away from the exception vectors, then mask them. */
	outb(0x20, 0x11); outb(0xa0, 0x11);
	outb(0x21, 0x20); outb(0xa1, 0x28);
	outb(0x21, 0x04); outb(0xa1, 0x02);
	outb(0x21, 0x01); outb(0xa1, 0x01);
	outb(0x21, 0xff); outb(0xa1, 0xff);
}

void
pc_cpu_init(void)
{
	u64 base = (u64)&pc_tss;
	struct { u16 limit; u64 base; } __attribute__((packed)) idtr = {
		sizeof(idt) - 1, (u64)idt
	};

	for (int i = 0; i < NIST; i++)
		pc_tss.ist[i] = (u64)(ist_area[i] + sizeof(ist_area[i]));
	pc_tss.iomap_base = sizeof(pc_tss);	/* no I/O bitmap */
	pc_gdt[3] = (sizeof(pc_tss) - 1) | (base & 0xffffff) << 16 | 0x89ULL << 40 |
		    (base >> 24 & 0xff) << 56;
	pc_gdt[4] = base >> 32;
	__asm__ volatile("ltr %w0" : : "r"(0x18));

	for (int v = 0; v < 32; v++)
		set_gate(v, pc_trap_stubs[v],
			 v == VEC_PF ? IST_PF : v == VEC_DF ? IST_DF :
			 v == 2 || v == 18 ? IST_NMI : 0);
	for (int v = 32; v < 256; v++)
		set_gate(v, (u64)pc_stray_stub, 0);
	/* int3 from ring 3 (a breakpoint in a protection domain's code)
	 * reaches the debugger instead of becoming a #GP */
	idt[VEC_BP].type |= 0x60;
	set_gate(PC_VEC_WATCHDOG, pc_trap_stubs[32], IST_TIMER);
	set_gate(PC_VEC_SPURIOUS, (u64)pc_spurious_stub, 0);
	set_gate(PC_VEC_WAKE, (u64)pc_wake_stub, 0);
	__asm__ volatile("lidt %0" : : "m"(idtr));
	pic_mask_all();
	pc_xsave_init();
	pc_fpu_clean_image(clean_fx);
}

/* An AP's interrupt stacks: smaller than the BSP's (an AP runs short calls
 * only), each above an unmapped guard page. */
#define AP_IST_SIZE (16 * 1024)
#define AP_IST_PAGES ((PAGE_SIZE + AP_IST_SIZE) / PAGE_SIZE)

int
pc_cpu_alloc_ist(struct pc_cpu *c)
{
	c->ist = pages_alloc(NIST * AP_IST_PAGES);
	if (!c->ist) {
		kprintf("pc: cpu %d: no memory for its interrupt stacks\n", c->index);
		return -1;
	}
	for (int i = 0; i < NIST; i++)
		plat_protect(c->ist + i * AP_IST_PAGES * PAGE_SIZE, PAGE_SIZE, 0);
	return 0;
}

/* On the AP: a copy of the BSP's GDT with its own TSS, then the IDT. */
void
pc_cpu_init_ap(struct pc_cpu *c)
{
	struct tss *t = (struct tss *)c->tss;
	u64 base = (u64)t;
	struct { u16 limit; u64 base; } __attribute__((packed)) gdtr = {
		sizeof(c->gdt) - 1, (u64)c->gdt
	}, idtr = { sizeof(idt) - 1, (u64)idt };

	memset(t, 0, sizeof(*t));
	for (int i = 0; i < NIST; i++)
		t->ist[i] = (u64)(c->ist + (i + 1) * AP_IST_PAGES * PAGE_SIZE);
	t->iomap_base = sizeof(*t);
	memcpy(c->gdt, pc_gdt, sizeof(c->gdt));	/* the user segments too */
	c->gdt[3] = (sizeof(*t) - 1) | (base & 0xffffff) << 16 | 0x89ULL << 40 |
		    (base >> 24 & 0xff) << 56;
	c->gdt[4] = base >> 32;
	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	__asm__ volatile("ltr %w0" : : "r"(0x18));
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/* For `pc check df': a gate marked absent turns its exception into #NP. */
void
pc_idt_gate_present(int vec, bool present)
{
	idt[vec].type = (u8)((idt[vec].type & 0x60) | (present ? 0x8e : 0x0e));
}

/* Called from trap.S with the saved frame and the interrupted context's
 * XSAVE (or FXSAVE) image; returns the image to restore. */
const void *pc_trap(struct pc_trap_frame *f, const void *fx);

const void *
pc_trap(struct pc_trap_frame *f, const void *fx)
{
	struct cpu_regs r = {
		.rax = f->rax, .rbx = f->rbx, .rcx = f->rcx, .rdx = f->rdx,
		.rsi = f->rsi, .rdi = f->rdi, .rbp = f->rbp, .rsp = f->rsp,
		.r8 = f->r8, .r9 = f->r9, .r10 = f->r10, .r11 = f->r11,
		.r12 = f->r12, .r13 = f->r13, .r14 = f->r14, .r15 = f->r15,
		.rip = f->rip, .rflags = f->rflags, .cs = f->cs, .ss = f->ss,
		.fs_base = rdmsr(MSR_FS_BASE), .gs_base = rdmsr(MSR_GS_BASE),
		.vector = f->vector, .error_code = f->error_code,
	};
	u64 fs = r.fs_base;
	bool from_user = f->cs & 3;
	struct pc_percpu *u = NULL;

	if (from_user) {
		/* ring 3 may have set AC: close SMAP's window before anything */
		if (pc_user_smap())
			__asm__ volatile("clac" ::: "memory", "cc");
		u = pc_percpu();
		u->active = 0;
	}
	if (f->vector == VEC_PF) {
		__asm__ volatile("mov %%cr2, %0" : "=r"(r.fault_addr));
		r.fault_addr_valid = true;
	} else if (f->vector == PC_VEC_WATCHDOG) {
		pc_apic_eoi();
		r.vector = VEC_WATCHDOG;
	} else if (f->vector == PC_VEC_STRAY) {
		/* A guest's device interrupt that reached the VMM (it runs
		 * with IF=0 around the guest, so only at its edges). */
		pc_apic_eoi();
		pc_stray_interrupts++;
		if (from_user)
			u->active = 1;
		return fx;
	} else if (f->vector == 2) {
		kprintf("pc: NMI at %#llx ignored\n", (unsigned long long)f->rip);
		if (from_user)
			u->active = 1;
		return fx;
	} else if (f->vector == 18) {
		kprintf("pc: machine check at %#llx\n", (unsigned long long)f->rip);
		plat_exit(98);
	}
	fault_handle(&r);
	f->rax = r.rax; f->rbx = r.rbx; f->rcx = r.rcx; f->rdx = r.rdx;
	f->rsi = r.rsi; f->rdi = r.rdi; f->rbp = r.rbp;
	f->r8 = r.r8; f->r9 = r.r9; f->r10 = r.r10; f->r11 = r.r11;
	f->r12 = r.r12; f->r13 = r.r13; f->r14 = r.r14; f->r15 = r.r15;
	if (r.fs_base != fs)
		wrmsr(MSR_FS_BASE, r.fs_base);
	f->rip = r.rip;
	f->rsp = r.rsp;
	f->rflags = r.rflags;
	if (from_user && r.rip == (u64)recover_jump) {
		/* a domain's fault unwound to a recovery point: the VMM's
		 * segments and flags, not the domain's */
		f->cs = 0x08;
		f->ss = 0x10;
		f->rflags = u->kflags;
	}
	/* The flag tells SYSCALL it came from ring 3.  Set it only for a frame
	 * that returns there; an interrupted ring-0 context keeps its own value
	 * (it may be between setting the flag and IRETQ/SYSRETQ, where only an
	 * NMI or #MC can land), unless it was unwound to a recovery point. */
	if (f->cs & 3)
		pc_percpu()->active = 1;
	else if (r.rip == (u64)recover_jump && plat_user)
		pc_percpu()->active = 0;
	/* Unwound to a recovery point: the interrupted FPU state belongs to
	 * the abandoned context.  Any other edit (a breakpoint stepping on,
	 * a hook) continues the same context with its own state. */
	return r.rip == (u64)recover_jump ? clean_fx : fx;
}
