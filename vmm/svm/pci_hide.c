/* Device concealment: the guest reaches PCI configuration space only
 * through the VMM's emulation of ports 0xCF8-0xCFF, in which every function
 * a VMM driver claimed (pc_pci_claim: the UHCI controller that carries the
 * dongle) reads as an empty slot; the claimed devices' I/O ranges are
 * intercepted too, so the guest cannot reach them by guessing. */
#include <core/types.h>
#include <pc/io.h>
#include <pc/pci.h>
#include "svm.h"

#define PCI_ADDR	0xcf8
#define PCI_DATA	0xcfc

static u32 shadow_addr;		/* the guest's view of 0xCF8 */

static u32
port_in(u16 port, unsigned size)
{
	return size == 4 ? inl(port) : size == 2 ? inw(port) : inb(port);
}

static void
port_out(u16 port, unsigned size, u32 val)
{
	if (size == 4)
		outl(port, val);
	else if (size == 2)
		outw(port, (u16)val);
	else
		outb(port, (u8)val);
}

static bool
hidden(u32 addr)
{
	unsigned bus = addr >> 16 & 0xff, dev = addr >> 11 & 0x1f, fn = addr >> 8 & 7;

	/* a claimed function 0 takes its whole slot with it */
	return pc_pci_claimed_by(bus, dev, fn) || pc_pci_claimed_by(bus, dev, 0);
}

/* One guest access to 0xCF8-0xCFF: returns the value read (for IN). */
u32
pci_hide_config_io(u16 port, unsigned size, bool in, u32 val)
{
	if (port == PCI_ADDR && size == 4) {
		if (in)
			return shadow_addr;
		shadow_addr = val;
		return 0;
	}
	if (port < PCI_DATA) {		/* 0xCF9 reset control and friends */
		if (in)
			return port_in(port, size);
		port_out(port, size, val);
		return 0;
	}
	if (!(shadow_addr & 0x80000000) || hidden(shadow_addr))
		return in ? 0xffffffff : 0;	/* no device answers */
	outl(PCI_ADDR, shadow_addr);	/* the VMM's own accesses moved it */
	if (in)
		return port_in(port, size);
	port_out(port, size, val);
	return 0;
}

void
pci_hide_setup(u8 *iopm)
{
	for (u32 port = PCI_ADDR; port <= PCI_DATA + 3; port++)
		iopm[port / 8] |= 1 << (port % 8);
	const struct pc_pci_claim *c;

	for (int i = 0; (c = pc_pci_claim_at(i)); i++)
		for (u32 p = c->io_base; p < (u32)c->io_base + c->io_len; p++)
			iopm[p / 8] |= 1 << (p % 8);
}
