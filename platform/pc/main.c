/* Bare-metal entry after boot.S: read the multiboot information (command
 * line, modules, memory map), set up the CPU tables, paging, time and the
 * local APIC, then run the core. */
#include <core/console.h>
#include <core/core.h>
#include <core/platform.h>
#include <core/string.h>
#include <pc/memmap.h>
#include "pc.h"

#define MB_BOOT_MAGIC	0x2badb002
#define MBI_MEM		(1u << 0)
#define MBI_CMDLINE	(1u << 2)
#define MBI_MODS	(1u << 3)
#define MBI_MMAP	(1u << 6)
#define REGION_LIMIT	(2ULL << 30)	/* the region stays below 2 GiB */

struct mbi {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_module {
	u32 start, end, string, reserved;
};

struct mb_mmap {
	u32 size;
	u64 base, len;
	u32 type;
} __attribute__((packed));

struct pc_module pc_modules[PC_MAX_MODULES];
int pc_nmodules;
u64 pc_region_base, pc_region_len;
struct pc_ram pc_ram[32];
int pc_nram;
static struct pc_e820 e820[64];
static int ne820;
static u64 vmm_end, ram_top, ram_mapped;
static char cmdline[2048];
static char modnames[PC_MAX_MODULES][256];
static u64 boot_tsc;

extern const u8 _end[];

void pc_main(u32 magic, u32 info) __noreturn;

static void
halt_with(const char *msg)
{
	pc_serial_puts(msg);
	plat_exit(96);
}

static void
copy_str(char *dst, size_t size, u32 addr)
{
	const char *s = (const char *)(u64)addr;
	size_t n = 0;

	while (addr && s[n] && n + 1 < size) {
		dst[n] = s[n];
		n++;
	}
	dst[n] = '\0';
}

/* The end of everything the loader placed above the image. */
static u64
read_mbi(const struct mbi *mb)
{
	u64 end = (u64)_end;

	if (mb->flags & MBI_CMDLINE)
		copy_str(cmdline, sizeof(cmdline), mb->cmdline);
	if (mb->flags & MBI_MODS) {
		const struct mb_module *m = (const void *)(u64)mb->mods_addr;

		if (mb->mods_count > PC_MAX_MODULES) {
			kprintf("pc: %u multiboot modules, only the first %d are used\n",
				mb->mods_count, PC_MAX_MODULES);
		}
		for (u32 i = 0; i < mb->mods_count; i++) {
			end = MAX(end, (u64)m[i].end);
			end = MAX(end, (u64)mb->mods_addr + (i + 1) * sizeof(*m));
			if (m[i].string)
				end = MAX(end, (u64)m[i].string +
					  strlen((const char *)(u64)m[i].string) + 1);
			if (i >= PC_MAX_MODULES)
				continue;
			copy_str(modnames[i], sizeof(modnames[i]), m[i].string);
			pc_modules[i].data = (const u8 *)(u64)m[i].start;
			pc_modules[i].len = m[i].end - m[i].start;
			pc_modules[i].name = modnames[i];
			pc_nmodules = i + 1;
		}
	}
	/* QEMU puts the command lines and this structure after the modules. */
	end = MAX(end, (u64)(uintptr_t)mb + sizeof(*mb));
	if (mb->flags & MBI_CMDLINE)
		end = MAX(end, (u64)mb->cmdline + strlen((const char *)(u64)mb->cmdline) + 1);
	if (mb->flags & MBI_MMAP) {
		u64 p = mb->mmap_addr, stop = p + mb->mmap_length;

		while (p < stop && pc_nram < (int)ARRAY_SIZE(pc_ram)) {
			const struct mb_mmap *e = (const void *)p;

			if (ne820 < (int)ARRAY_SIZE(e820))
				e820[ne820++] = (struct pc_e820){ e->base, e->len, e->type };
			if (e->type == 1 && e->len)
				pc_ram[pc_nram++] = (struct pc_ram){ e->base, e->len };
			p += e->size + 4;
		}
		end = MAX(end, stop);
	} else if (mb->flags & MBI_MEM) {
		pc_ram[pc_nram++] = (struct pc_ram){ 1 << 20, (u64)mb->mem_upper << 10 };
	}
	return ALIGN_UP(end, PAGE_SIZE);
}

/* The end of the highest RAM range below 4 GiB: with the firmware as the
 * guest, the VMM's page tables map the guest's RAM around its own block. */
static u64
ram_end_below_4g(void)
{
	u64 end = 0;

	for (int i = 0; i < pc_nram; i++)
		end = MAX(end, MIN(pc_ram[i].base + pc_ram[i].len, 4ULL << 30));
	return ALIGN_DOWN(end, PAGE_SIZE);
}

/* `guest firmware' runs first: before -c's commands (which then run when
 * the guest has stopped), or before -x's. */
static void
firmware_guest_first(struct boot_options *o)
{
	const char **list = o->ncommands ? o->commands : o->startup;
	int *n = o->ncommands ? &o->ncommands : &o->nstartup;

	if (*n == (int)ARRAY_SIZE(o->commands))
		halt_with("blobvisor: 16 -c/-x commands and `guest firmware': too many\n");
	memmove(list + 1, list, (size_t)*n * sizeof(*list));
	list[0] = "guest firmware";
	(*n)++;
}

/* The usable RAM range holding addr, capped at REGION_LIMIT; 0 if none. */
static u64
ram_top_after(u64 addr)
{
	for (int i = 0; i < pc_nram; i++)
		if (addr >= pc_ram[i].base && addr < pc_ram[i].base + pc_ram[i].len)
			return ALIGN_DOWN(MIN(pc_ram[i].base + pc_ram[i].len, REGION_LIMIT),
					  PAGE_SIZE);
	return 0;
}

void
pc_main(u32 magic, u32 info)
{
	static struct boot_options opt;
	u64 reserved_end, top;

	boot_tsc = rdtsc();
	pc_serial_init();
	if (magic != MB_BOOT_MAGIC)
		halt_with("blobvisor: not started by a multiboot loader\n");
	pc_cpu_init();
	reserved_end = read_mbi((const struct mbi *)(u64)info);
	/* before the memory is divided: vmm.mem= decides where */
	if (pc_cmdline_parse(cmdline, &opt))
		plat_exit(2);
	if (pc_efi_fw)
		firmware_guest_first(&opt);
	/* With the firmware as the guest the range is blobvisor.efi's block,
	 * an e820 entry of its own; the firmware's RAM around it is mapped too. */
	top = ram_top_after(reserved_end);
	if (!top || top < reserved_end + (16 << 20))
		halt_with("blobvisor: less than 16 MiB of RAM after the image and modules\n");
	/* A guest's page tables and buffers may sit in RAM past a firmware
	 * hole above ram_top (after ExitBootServices, Linux takes every
	 * range): the VMM maps those too, so that it can walk them. */
	ram_mapped = MAX(top, ram_end_below_4g());
	ram_top = pc_efi_fw ? ram_mapped : top;
	pc_paging_init(reserved_end, ram_mapped);
	pc_region_len = top - pc_region_base;
	vmm_end = top;
	if (pc_vmm_mem_option() && pc_vmm_mem_option() < pc_region_len) {
		/* 2 MiB-aligned, so the guest's nested tables use large pages */
		vmm_end = ALIGN_UP(pc_region_base + pc_vmm_mem_option(), 2 << 20);
		pc_region_len = vmm_end - pc_region_base;
	}
	pc_time_init();
	pc_apic_init();
	pc_user_init();
	/* With the firmware as the guest, an interrupt in the VMM would be the
	 * firmware's (its 8259 vectors), lost to it: interrupts stay off. */
	if (!pc_efi_fw)
		__asm__ volatile("sti");
	plat_exit(core_main(&opt));
}

u64
pc_boot_tsc(void)
{
	return boot_tsc;
}

const char *
plat_name(void)
{
	return "pc";
}

void
plat_memory_region(void **base, size_t *len)
{
	*base = (void *)pc_region_base;
	*len = pc_region_len;
}

const struct pc_e820 *
pc_e820_at(int i)
{
	return i >= 0 && i < ne820 ? &e820[i] : NULL;
}

u64
pc_vmm_end(void)
{
	return vmm_end;
}

extern const u8 __executable_start[];

int
pc_vmm_ranges(u64 r[][2], int max)
{
	int n = 0;

	if (!pc_efi_fw) {
		r[n][0] = ALIGN_DOWN((u64)__executable_start, 2 << 20);
		r[n++][1] = ALIGN_UP(vmm_end, 2 << 20);
		return n;
	}
	/* blobvisor.efi reserved [2 MiB, end of the image rounded up) and the
	 * block that starts with the multiboot information */
	if (max < 2)
		return 0;
	r[n][0] = ALIGN_DOWN((u64)__executable_start, 2 << 20);
	r[n++][1] = ALIGN_UP((u64)_end, 2 << 20);
	r[n][0] = ALIGN_DOWN((u64)pc_mb_info, 2 << 20);
	r[n++][1] = ALIGN_UP(vmm_end, 2 << 20);
	return n;
}

bool
pc_vmm_overlaps(u64 pa, u64 len)
{
	u64 r[2][2];
	int n = pc_vmm_ranges(r, 2);

	for (int i = 0; i < n; i++)
		if (pa < r[i][1] && pa + len > r[i][0])
			return true;
	return false;
}

u64
pc_ram_top(void)
{
	return ram_top;
}

bool
pc_guest_ram(u64 pa, u64 len)
{
	if (pa < PAGE_SIZE || pa + len < pa || pc_vmm_overlaps(pa, len))
		return false;
	if (pa + len <= ram_top)
		return true;
	for (int i = 0; i < pc_nram; i++)
		if (pa >= pc_ram[i].base && pa + len <= pc_ram[i].base + pc_ram[i].len)
			return pa + len <= ram_mapped;
	return false;
}

const char *
pc_cmdline(void)
{
	return cmdline;
}
