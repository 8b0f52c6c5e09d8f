/* Nested page tables: guest-physical = host-physical everywhere below top,
 * in 2 MiB pages, except the VMM's own memory, which is simply absent — a
 * guest access to it ends in a nested page fault.  (There is no IOMMU on
 * this machine, so a guest-programmed DMA could still reach it.) */
#include <core/pages.h>
#include <core/panic.h>
#include <core/string.h>
#include "svm.h"

#define NPT_P	(1ULL << 0)
#define NPT_RW	(1ULL << 1)
#define NPT_US	(1ULL << 2)	/* nested walks are user accesses */
#define NPT_PS	(1ULL << 7)
#define NPT_TABLE (NPT_P | NPT_RW | NPT_US)
#define SZ_2M	(2ULL << 20)
#define SZ_1G	(1ULL << 30)

static u64 *
table_new(void)
{
	u64 *t = pages_alloc(1);

	if (!t)
		panic("npt: out of pages for nested page tables");
	memset(t, 0, PAGE_SIZE);
	return t;
}

static u64 *
next_level(u64 *table, unsigned index)
{
	if (!(table[index] & NPT_P))
		table[index] = (u64)table_new() | NPT_TABLE;
	return (u64 *)(table[index] & ~0xfffULL);
}

/* Returns the physical address of the PML4 for the VMCB's N_CR3. */
u64
npt_build(u64 hide_start, u64 hide_end, u64 top)
{
	u64 *pml4 = table_new();

	hide_start = ALIGN_DOWN(hide_start, SZ_2M);
	hide_end = ALIGN_UP(hide_end, SZ_2M);
	for (u64 pa = 0; pa < top; pa += SZ_2M) {
		u64 *pdpt, *pd;

		if (pa >= hide_start && pa < hide_end)
			continue;
		pdpt = next_level(pml4, (pa >> 39) & 511);
		pd = next_level(pdpt, (pa >> 30) & 511);
		pd[(pa >> 21) & 511] = pa | NPT_TABLE | NPT_PS;
	}
	return (u64)pml4;
}

/* Take one 4 KiB page out of the guest's map (its accesses become nested
 * page faults the VMM emulates), splitting the 2 MiB page around it. */
void
npt_hide_page(u64 pml4_pa, u64 gpa)
{
	u64 *pml4 = (u64 *)pml4_pa, *pdpt, *pd, *pt;
	unsigned i = (gpa >> 21) & 511;

	if (!(pml4[(gpa >> 39) & 511] & NPT_P))
		return;		/* not mapped at all: already a fault */
	pdpt = (u64 *)(pml4[(gpa >> 39) & 511] & ~0xfffULL);
	if (!(pdpt[(gpa >> 30) & 511] & NPT_P))
		return;
	pd = (u64 *)(pdpt[(gpa >> 30) & 511] & ~0xfffULL);
	if (!(pd[i] & NPT_P))
		return;
	if (pd[i] & NPT_PS) {
		u64 base = pd[i] & ~(SZ_2M - 1) & 0x000fffffffffffffULL;

		pt = table_new();
		for (unsigned k = 0; k < 512; k++)
			pt[k] = (base + k * PAGE_SIZE) | NPT_TABLE;
		pd[i] = (u64)pt | NPT_TABLE;
	}
	pt = (u64 *)(pd[i] & ~0xfffULL);
	pt[(gpa >> 12) & 511] = 0;
}
