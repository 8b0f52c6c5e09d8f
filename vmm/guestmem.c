/* Reading and writing guest memory by guest-virtual address, for VMMCALL
 * arguments: the VMM walks the guest's own page tables (4- or 5-level long
 * mode, or no paging) and refuses — with an error code, never a VMM fault —
 * a page that is not present, not writable when written, not the user's
 * when the caller is in user mode, or not guest RAM (pc_guest_ram: RAM
 * past a firmware hole above the VMM's range counts, since a Linux started
 * after ExitBootServices may keep its page tables there). */
#include <core/errno.h>
#include <core/string.h>
#include <pc/memmap.h>
#include "vmm.h"

#define PTE_P		(1ULL << 0)
#define PTE_W		(1ULL << 1)
#define PTE_U		(1ULL << 2)
#define PTE_PS		(1ULL << 7)
#define PTE_ADDR	0x000ffffffffff000ULL
#define CR0_PG		(1ULL << 31)
#define CR0_WP		(1ULL << 16)
#define CR4_LA57	(1ULL << 12)
#define EFER_LMA	(1ULL << 10)

int
guest_translate(const struct vcpu *v, u64 gva, bool write, u64 *gpa)
{
	const struct vm_state *s = &v->s;
	bool user = s->cpl == 3;
	int levels;
	u64 table;

	if (!(s->cr0 & CR0_PG)) {
		*gpa = gva;
		return 0;
	}
	if (!(s->efer & EFER_LMA))
		return -ENOTSUP;	/* 32-bit paging: not for this guest interface */
	levels = s->cr4 & CR4_LA57 ? 5 : 4;
	table = s->cr3 & PTE_ADDR;
	for (int level = levels; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		u64 pte_gpa = table + ((gva >> shift) & 511) * 8, pte;

		if (!pc_guest_ram(pte_gpa, 8))
			return -EFAULT;
		pte = *(const volatile u64 *)pte_gpa;
		if (!(pte & PTE_P) || (user && !(pte & PTE_U)) ||
		    (write && !(pte & PTE_W) && (user || (s->cr0 & CR0_WP))))
			return -EFAULT;
		if (level == 1 || (pte & PTE_PS && level <= 3)) {
			u64 mask = (1ULL << shift) - 1;

			*gpa = ((pte & PTE_ADDR) & ~mask) | (gva & mask);
			return 0;
		}
		table = pte & PTE_ADDR;
	}
	return -EFAULT;
}

/* Copy len bytes between guest-virtual gva and buf, page by page. */
int
guest_copy(const struct vcpu *v, u64 gva, void *buf, size_t len, bool to_guest)
{
	u8 *b = buf;

	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
		u64 gpa;
		int err = guest_translate(v, gva, to_guest, &gpa);

		if (err)
			return err;
		if (!pc_guest_ram(gpa, chunk))
			return -EFAULT;
		if (to_guest)
			memcpy((void *)gpa, b, chunk);
		else
			memcpy(b, (const void *)gpa, chunk);
		gva += chunk;
		b += chunk;
		len -= chunk;
	}
	return 0;
}
