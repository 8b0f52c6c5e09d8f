/* PCI configuration space (ports 0xCF8/0xCFC) and the claims VMM drivers
 * make on functions, which the hypervisor hides from its guest. */
#ifndef PC_PCI_H
#define PC_PCI_H

#include <core/types.h>

struct pc_pci_fn {
	u8 bus, dev, fn;
	u16 vendor, device;
	u32 class_rev;		/* class << 24 | subclass << 16 | prog-if << 8 | revision */
};

u32 pc_pci_read32(const struct pc_pci_fn *f, unsigned off);
void pc_pci_write32(const struct pc_pci_fn *f, unsigned off, u32 v);
/* Visit every function until visit returns true; returns whether it did. */
bool pc_pci_each(bool (*visit)(const struct pc_pci_fn *f, void *arg), void *arg);

/* A VMM driver keeps a function (and its I/O range, io_len 0 for none):
 * the hypervisor hides both from the guest.  `by' names the driver for
 * `pci list'. */
void pc_pci_claim(const struct pc_pci_fn *f, u16 io_base, u16 io_len, const char *by);
const char *pc_pci_claimed_by(unsigned bus, unsigned dev, unsigned fn);
/* Whether an I/O port belongs to a claimed function. */
bool pc_io_claimed(u16 port);

/* Its memory-mapped registers too (a BAR): the hypervisor leaves them out
 * of the guest's nested page tables. */
void pc_pci_claim_mmio(const struct pc_pci_fn *f, u64 base, u64 len);

struct pc_pci_claim {
	u8 bus, dev, fn;
	u16 io_base, io_len;
	const char *by;
	u64 mmio_base, mmio_len;	/* 0, 0: none */
};
/* The i-th claim, NULL past the last. */
const struct pc_pci_claim *pc_pci_claim_at(int i);

#endif
