/* The PC's physical memory as the VMM divided it: the firmware's map, the
 * VMM's own part and what `vmm.mem=SIZE' leaves to a guest.  Memory is
 * identity-mapped, so a heap pointer is its physical address. */
#ifndef PC_MEMMAP_H
#define PC_MEMMAP_H

#include <core/types.h>

/* The firmware's memory map as multiboot passed it (all types). */
struct pc_e820 {
	u64 base, len;
	u32 type;	/* 1 RAM, 2 reserved, 3 ACPI, 4 NVS, 5 bad */
};
/* The i-th entry, NULL past the last. */
const struct pc_e820 *pc_e820_at(int i);

/* The VMM keeps [__executable_start, pc_vmm_end()); with `vmm.mem=SIZE'
 * the RAM from there to pc_ram_top() is a guest's, otherwise the two are
 * equal. */
u64 pc_vmm_end(void);
u64 pc_ram_top(void);
/* May the VMM read and write [pa, pa + len) as a guest's memory?  Below
 * pc_ram_top() or inside one RAM range of the firmware's map (mapped by the
 * VMM below 4 GiB), never the first page or the VMM's own memory. */
bool pc_guest_ram(u64 pa, u64 len);

/* The VMM's memory as ranges [r[i][0], r[i][1]), each 2 MiB-aligned: one
 * under multiboot or after ExitBootServices ([2 MiB, pc_vmm_end())); with
 * the firmware as the guest two, the image and the block blobvisor.efi
 * reserved.  Returns the count. */
int pc_vmm_ranges(u64 r[][2], int max);
/* Does [pa, pa + len) touch the VMM's memory? */
bool pc_vmm_overlaps(u64 pa, u64 len);

/* Map one 4 KiB page of device registers (uncached, not executable) at
 * its physical address. */
void pc_paging_map_mmio(u64 addr);

#endif
