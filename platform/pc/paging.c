/* The page tables: an identity map of [4 KiB, top of the page allocator
 * region) in 4 KiB pages, so that plat_protect can change any page of the
 * region without splitting.  Page 0 is absent (NULL dereferences fault), the
 * image is W^X (text R+X, rodata R, data and bss R+W+NX), the multiboot
 * modules are read-only, the stack guard pages are absent, and everything
 * else is R+W+NX.  CR0.WP makes read-only pages binding for ring 0.  The
 * tables come from a pool at the start of the region, before the core gets
 * the rest. */
#include <core/errno.h>
#include <core/platform.h>
#include <core/string.h>
#include "pc.h"

#define PTE_P	(1ULL << 0)
#define PTE_W	(1ULL << 1)
#define PTE_U	(1ULL << 2)
#define PTE_PWT	(1ULL << 3)
#define PTE_PCD	(1ULL << 4)
#define PTE_NX	(1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

extern const u8 __executable_start[], etext[], __rodata_start[], __data_start[], _end[];

static u64 *pml4;
static u8 *pool, *pool_end;

static u64 *
table_alloc(void)
{
	u64 *t = (u64 *)pool;

	if (pool + PAGE_SIZE > pool_end) {
		pc_serial_puts("pc: out of page-table pool\n");
		plat_exit(97);
	}
	pool += PAGE_SIZE;
	memset(t, 0, PAGE_SIZE);
	return t;
}

/* The 4 KiB entry for va, creating the tables above it if create. */
static u64 *
pte_of(u64 va, bool create)
{
	u64 *t = pml4;

	for (int shift = 39; shift > 12; shift -= 9) {
		u64 *e = &t[va >> shift & 511];

		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			*e = (u64)table_alloc() | PTE_P | PTE_W;
		}
		t = (u64 *)(*e & PTE_ADDR);
	}
	return &t[va >> 12 & 511];
}

static void
map_range(u64 start, u64 end, u64 flags)
{
	for (u64 va = ALIGN_DOWN(start, PAGE_SIZE); va < end; va += PAGE_SIZE)
		*pte_of(va, true) = va | flags;
}

void
pc_paging_map_mmio(u64 addr)
{
	*pte_of(addr, true) = addr | PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_NX;
	__asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

void
pc_paging_init(u64 pool_base, u64 top)
{
	/* One PT per 2 MiB, one PD per GiB, the PDPT and PML4, and spares for
	 * MMIO pages above top. */
	u64 tables = top / (2 << 20) + 1 + top / (1 << 30) + 1 + 2 + 8;

	pool = (u8 *)pool_base;
	pool_end = pool + tables * PAGE_SIZE;
	pml4 = table_alloc();
	map_range(PAGE_SIZE, top, PTE_P | PTE_W | PTE_NX);
	map_range((u64)__executable_start, (u64)etext, PTE_P);
	map_range((u64)__rodata_start, (u64)__data_start, PTE_P | PTE_NX);
	for (int i = 0; i < pc_nmodules; i++)
		map_range((u64)pc_modules[i].data,
			  (u64)pc_modules[i].data + pc_modules[i].len, PTE_P | PTE_NX);
	*pte_of((u64)pc_stack_guard, true) = 0;
	for (int i = 0; pc_ist_guard_at(i); i++)
		*pte_of((u64)pc_ist_guard_at(i), true) = 0;
	__asm__ volatile("mov %0, %%cr3" : : "r"(pml4) : "memory");
	pc_region_base = ALIGN_UP((u64)pool_end, PAGE_SIZE);
}

bool
pc_paging_range_mapped(u64 addr, u64 len)
{
	for (u64 va = ALIGN_DOWN(addr, PAGE_SIZE); va < addr + len; va += PAGE_SIZE) {
		u64 *pte = pte_of(va, false);

		if (!pte || !(*pte & PTE_P))
			return false;
	}
	return true;
}

int
plat_protect(void *addr, size_t len, int prot)
{
	u64 a = (u64)addr, end = a + ALIGN_UP(len, PAGE_SIZE);
	u64 flags = (prot & (PROT_R | PROT_W | PROT_X) ? PTE_P : 0) |
		    (prot & PROT_W ? PTE_W : 0) | (prot & PROT_X ? 0 : PTE_NX);

	/* Only the page allocator's region: the core's own pages keep W^X. */
	if ((a & (PAGE_SIZE - 1)) || end < a || a < pc_region_base ||
	    end > pc_region_base + pc_region_len || (prot & ~(PROT_R | PROT_W | PROT_X)))
		return -EINVAL;
	for (u64 va = a; va < end; va += PAGE_SIZE) {
		u64 *pte = pte_of(va, false);

		*pte = va | flags | (*pte & PTE_U);	/* a domain's page stays one */
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	}
	return 0;
}

/* Protection domains (user.c): ring-3 access to pages of the region.  The
 * upper levels get U once and keep it: the leaf decides, and a leaf
 * without U is a supervisor page whatever lies above it. */
int
pc_paging_set_user(u64 addr, size_t len, bool user)
{
	u64 end = addr + ALIGN_UP(len, PAGE_SIZE);

	if ((addr & (PAGE_SIZE - 1)) || end < addr || addr < pc_region_base ||
	    end > pc_region_base + pc_region_len)
		return -EINVAL;
	for (u64 va = addr; va < end; va += PAGE_SIZE) {
		u64 *t = pml4, *pte;

		for (int shift = 39; shift > 12; shift -= 9) {
			u64 *e = &t[va >> shift & 511];

			*e |= PTE_U;
			t = (u64 *)(*e & PTE_ADDR);
		}
		pte = &t[va >> 12 & 511];
		*pte = user ? *pte | PTE_U : *pte & ~PTE_U;
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	}
	return 0;
}
