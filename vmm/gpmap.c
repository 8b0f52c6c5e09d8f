/* The guest-physical map: guest-physical = host-physical everywhere below
 * top, in 2 MiB pages, except the VMM's own memory, which is simply absent
 * — a guest access to it ends in a nested page fault (SVM) or an EPT
 * violation (VMX).  Both backends build it from here; only the entry bits
 * differ (struct gpmap_format).  There is no IOMMU on this machine, so a
 * guest-programmed DMA could still reach the VMM's memory. */
#include <core/pages.h>
#include <core/panic.h>
#include <core/string.h>
#include "vmm.h"

#define SZ_2M	(2ULL << 20)
#define ADDR	0x000ffffffffff000ULL

static u64 *
table_new(void)
{
	u64 *t = pages_alloc(1);

	if (!t)
		panic("gpmap: out of pages for the guest-physical map");
	memset(t, 0, PAGE_SIZE);
	return t;
}

static u64 *
next_level(const struct gpmap_format *f, u64 *table, unsigned index)
{
	if (!(table[index] & f->present))
		table[index] = (u64)table_new() | f->table;
	return (u64 *)(table[index] & ADDR);
}

static u64
leaf_bits(const struct gpmap_format *f, u64 base, u64 len, u64 bits)
{
	return bits | (f->memtype ? f->memtype(base, len) : 0);
}

/* Returns the physical address of the top-level table (N_CR3 / EPTP). */
u64
gpmap_build(const struct gpmap_format *f, u64 hide_start, u64 hide_end, u64 top)
{
	u64 *pml4 = table_new();

	hide_start = ALIGN_DOWN(hide_start, SZ_2M);
	hide_end = ALIGN_UP(hide_end, SZ_2M);
	for (u64 pa = 0; pa < top; pa += SZ_2M) {
		u64 *pdpt, *pd;

		if (pa >= hide_start && pa < hide_end)
			continue;
		pdpt = next_level(f, pml4, (pa >> 39) & 511);
		pd = next_level(f, pdpt, (pa >> 30) & 511);
		pd[(pa >> 21) & 511] = pa | leaf_bits(f, pa, SZ_2M, f->leaf_2m);
	}
	return (u64)pml4;
}

/* One 4 KiB page's leaf, the 2 MiB page around it split into 4 KiB ones;
 * NULL if the page is not mapped at all (already a fault). */
static u64 *
leaf_4k(const struct gpmap_format *f, u64 root, u64 gpa)
{
	u64 *pml4 = (u64 *)root, *pdpt, *pd, *pt;
	unsigned i = (gpa >> 21) & 511;

	if (!(pml4[(gpa >> 39) & 511] & f->present))
		return NULL;
	pdpt = (u64 *)(pml4[(gpa >> 39) & 511] & ADDR);
	if (!(pdpt[(gpa >> 30) & 511] & f->present))
		return NULL;
	pd = (u64 *)(pdpt[(gpa >> 30) & 511] & ADDR);
	if (!(pd[i] & f->present))
		return NULL;
	if (pd[i] & (1ULL << 7)) {	/* the size bit, in both formats */
		u64 base = pd[i] & ~(SZ_2M - 1) & ADDR;

		pt = table_new();
		for (unsigned k = 0; k < 512; k++)
			pt[k] = (base + k * PAGE_SIZE) |
				leaf_bits(f, base + k * PAGE_SIZE, PAGE_SIZE, f->leaf_4k);
		pd[i] = (u64)pt | f->table;
	}
	pt = (u64 *)(pd[i] & ADDR);
	return &pt[(gpa >> 12) & 511];
}

/* Take one 4 KiB page out of the guest's map: its accesses become faults
 * the VMM emulates. */
void
gpmap_hide_page(const struct gpmap_format *f, u64 root, u64 gpa)
{
	u64 *e = leaf_4k(f, root, gpa);

	if (e)
		*e = 0;
}

/* Leave one 4 KiB page readable: only its writes fault into the VMM. */
void
gpmap_readonly_page(const struct gpmap_format *f, u64 root, u64 gpa)
{
	u64 *e = leaf_4k(f, root, gpa);

	if (e && (*e & f->present))
		*e &= ~f->write;
}
