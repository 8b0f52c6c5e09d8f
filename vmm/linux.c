/* Starting an unmodified Linux bzImage as the guest, through the 32-bit boot
 * protocol (Documentation/x86/boot.rst): the protected-mode kernel goes to
 * the first 16 MiB-aligned guest RAM above the VMM, boot_params ("zero
 * page") with an e820 map in which the VMM's memory is reserved, the
 * command line and the initrd at the top of guest RAM; the guest starts in
 * 32-bit protected mode, paging off, at code32_start with %esi pointing at
 * boot_params. */
#include <core/console.h>
#include <core/errno.h>
#include <core/string.h>
#include <pc/acpi.h>
#include <pc/memmap.h>
#include "linux.h"
#include "vmm.h"

/* Guest-physical addresses of what the VMM builds in low memory. */
#define GUEST_GDT	0x6000
#define GUEST_BOOT	0x7000		/* boot_params */
#define GUEST_CMDLINE	0x8000
#define CMDLINE_MAX	2048
#define KERNEL_ALIGN	(16ULL << 20)

/* boot_params / setup header offsets */
#define BP_ACPI_RSDP	0x070	/* boot protocol 2.14 */
#define BP_E820_ENTRIES	0x1e8
#define BP_SETUP_SECTS	0x1f1
#define BP_VID_MODE	0x1fa
#define BP_HDR_MAGIC	0x202
#define BP_VERSION	0x206
#define BP_LOADER_TYPE	0x210
#define BP_LOADFLAGS	0x211
#define BP_CODE32_START	0x214
#define BP_RAMDISK	0x218
#define BP_RAMDISK_SIZE	0x21c
#define BP_HEAP_END	0x224
#define BP_CMDLINE_PTR	0x228
#define BP_INITRD_MAX	0x22c
#define BP_RELOCATABLE	0x234
#define BP_INIT_SIZE	0x260
#define BP_E820_TABLE	0x2d0
#define E820_MAX	128
#define LOADED_HIGH	0x01
#define CAN_USE_HEAP	0x80

struct e820_entry {
	u64 addr, size;
	u32 type;
} __attribute__((packed));

static u32 rd32(const u8 *p, size_t off) { u32 v; memcpy(&v, p + off, 4); return v; }
static u16 rd16(const u8 *p, size_t off) { u16 v; memcpy(&v, p + off, 2); return v; }
static void wr32(u8 *p, size_t off, u32 v) { memcpy(p + off, &v, 4); }
static void wr16(u8 *p, size_t off, u16 v) { memcpy(p + off, &v, 2); }

/* The guest's RAM: the firmware's map with the VMM's range taken out. */
static int
build_e820(struct e820_entry *e, u64 vmm_start, u64 vmm_end)
{
	int n = 0;

	const struct pc_e820 *f;

	for (int i = 0; (f = pc_e820_at(i)) && n < E820_MAX - 3; i++) {
		u64 b = f->base, end = b + f->len;

		if (f->type != 1 || end <= vmm_start || b >= vmm_end) {
			e[n++] = (struct e820_entry){ b, end - b, f->type };
			continue;
		}
		if (b < vmm_start)
			e[n++] = (struct e820_entry){ b, vmm_start - b, 1 };
		e[n++] = (struct e820_entry){ MAX(b, vmm_start), MIN(end, vmm_end) - MAX(b, vmm_start), 2 };
		if (end > vmm_end)
			e[n++] = (struct e820_entry){ vmm_end, end - vmm_end, 1 };
	}
	return n;
}

static void
seg(struct vm_seg *s, u16 sel, u16 attrib, u32 limit, u64 base)
{
	*s = (struct vm_seg){ sel, attrib, limit, base };
}

int
linux_boot_prepare(struct vcpu *v, const u8 *kernel, size_t klen,
		   const u8 *initrd, size_t ilen, const char *cmdline)
{
	u8 *bp = (u8 *)GUEST_BOOT;
	u64 vmm_start = 0x200000, vmm_end = pc_vmm_end();
	u64 load, initrd_at, guest_top = pc_ram_top();
	size_t setup_len, pm_len, hdr_end;
	u32 init_size;
	struct vm_state *s = &v->s;
	u64 *gdt = (u64 *)GUEST_GDT;

	if (klen < BP_INIT_SIZE + 4) {
		kprintf("hv: kernel: %zu bytes, too short for a setup header\n", klen);
		return -ENOEXEC;
	}
	if (rd32(kernel, BP_HDR_MAGIC) != 0x53726448) {	/* "HdrS" */
		kprintf("hv: kernel: not a bzImage (no HdrS setup header)\n");
		return -ENOEXEC;
	}
	if (rd16(kernel, BP_VERSION) < 0x20c) {
		kprintf("hv: kernel: boot protocol %#x is older than 2.12\n", rd16(kernel, BP_VERSION));
		return -ENOEXEC;
	}
	if (!kernel[BP_RELOCATABLE]) {
		kprintf("hv: kernel: not relocatable; it cannot run above the VMM's memory\n");
		return -ENOEXEC;
	}
	setup_len = ((size_t)(kernel[BP_SETUP_SECTS] ? kernel[BP_SETUP_SECTS] : 4) + 1) * 512;
	if (setup_len >= klen) {
		kprintf("hv: kernel: setup (%zu bytes) runs past the end of the file\n", setup_len);
		return -ENOEXEC;
	}
	pm_len = klen - setup_len;
	init_size = rd32(kernel, BP_INIT_SIZE);
	load = ALIGN_UP(vmm_end, KERNEL_ALIGN);
	initrd_at = ALIGN_DOWN(MIN(guest_top, 0x7fffffffULL) - ilen, PAGE_SIZE);
	if (strlen(cmdline) >= CMDLINE_MAX) {
		kprintf("hv: kernel command line longer than %d bytes\n", CMDLINE_MAX - 1);
		return -E2BIG;
	}
	if (load + MAX(pm_len, (size_t)init_size) > initrd_at) {
		kprintf("hv: guest RAM too small: kernel needs %#llx..%#llx, initrd starts at %#llx\n",
			(unsigned long long)load,
			(unsigned long long)(load + MAX(pm_len, (size_t)init_size)),
			(unsigned long long)initrd_at);
		return -ENOMEM;
	}

	memcpy((void *)load, kernel + setup_len, pm_len);
	memcpy((void *)initrd_at, initrd, ilen);
	memset(bp, 0, PAGE_SIZE);
	hdr_end = 0x202 + kernel[0x201];	/* the header's own length byte */
	memcpy(bp + BP_SETUP_SECTS, kernel + BP_SETUP_SECTS, hdr_end - BP_SETUP_SECTS);
	bp[BP_LOADER_TYPE] = 0xff;		/* undefined boot loader */
	bp[BP_LOADFLAGS] |= LOADED_HIGH | CAN_USE_HEAP;
	wr16(bp, BP_VID_MODE, 0xffff);
	wr16(bp, BP_HEAP_END, 0xde00);
	wr32(bp, BP_CODE32_START, (u32)load);
	wr32(bp, BP_RAMDISK, (u32)initrd_at);
	wr32(bp, BP_RAMDISK_SIZE, (u32)ilen);
	wr32(bp, BP_CMDLINE_PTR, GUEST_CMDLINE);
	/* Under UEFI the RSDP is not in the BIOS area where Linux would look
	 * without an EFI system table: pass it (ignored before 2.14). */
	if (rd16(kernel, BP_VERSION) >= 0x20e) {
		u64 rsdp = pc_acpi_rsdp();

		memcpy(bp + BP_ACPI_RSDP, &rsdp, 8);
	}
	strcpy((char *)GUEST_CMDLINE, cmdline);
	bp[BP_E820_ENTRIES] = (u8)build_e820((struct e820_entry *)(bp + BP_E820_TABLE),
					     vmm_start, vmm_end);

	/* The boot protocol's flat segments: __BOOT_CS 0x10, __BOOT_DS 0x18 */
	gdt[0] = gdt[1] = 0;
	gdt[2] = 0x00cf9b000000ffffULL;
	gdt[3] = 0x00cf93000000ffffULL;
	seg(&s->cs, 0x10, 0xc9b, 0xffffffff, 0);
	seg(&s->ds, 0x18, 0xc93, 0xffffffff, 0);
	s->es = s->ss = s->fs = s->gs = s->ds;
	seg(&s->gdtr, 0, 0, 4 * 8 - 1, GUEST_GDT);
	seg(&s->idtr, 0, 0, 0, 0);
	seg(&s->ldtr, 0, 0x82, 0xffff, 0);
	seg(&s->tr, 0, 0x8b, 0xffff, 0);
	s->cpl = 0;
	s->efer = 0;			/* the backend adds what it needs (SVM: SVME) */
	s->cr0 = 0x11;			/* PE, ET */
	s->cr3 = s->cr4 = 0;
	s->dr7 = 0x400;
	s->rflags = 0x2;		/* interrupts off */
	s->rip = load;
	s->pat = 0x0007040600070406ULL;
	memset(v->gpr, 0, sizeof(v->gpr));
	v->gpr[R_SI] = GUEST_BOOT;
	v->ops->load_state(v);
	kprintf("hv: kernel %zu bytes at %#llx (init_size %#x), initrd %zu bytes at %#llx, "
		"guest RAM above %#llx, VMM keeps %#llx..%#llx\n",
		pm_len, (unsigned long long)load, init_size, ilen,
		(unsigned long long)initrd_at, (unsigned long long)vmm_end,
		(unsigned long long)vmm_start, (unsigned long long)vmm_end);
	return 0;
}
