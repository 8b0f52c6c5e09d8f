/* Device concealment: every function a VMM driver claimed (pc_pci_claim:
 * the UHCI controller that carries the dongle) reads as an empty slot, and
 * the claimed devices' I/O ranges are intercepted, so the guest cannot
 * reach them by guessing.
 *
 * Linux probes configuration space tens of thousands of times while it
 * boots, so only the address port is intercepted for good: each dword write
 * to 0xCF8 is mirrored to the hardware and opens the data ports 0xCFC-0xCFF
 * (clears their IOPM bits) when it selects a visible function, or closes
 * them when it selects a hidden one or none (bit 31 clear).  Accesses to
 * visible functions then run at full speed; with the ports closed the data
 * ports are emulated as "no device".  The hardware's 0xCF8 can only hold
 * an address the guest may see while the ports are open, and the VMM's
 * own configuration accesses (pci list through bvsh, the only VMM code that
 * runs while the guest does) move it: so the data ports are closed for
 * every processor before a hypercall runs (pci_hide_pause — with several
 * CPUs the others still run the guest, and would read through whatever
 * address the VMM set, the hidden function's included) and the guest's
 * address is put back after it (pci_hide_resume).
 *
 * The dword write to 0xCF8 is the one exit a Linux boot makes thousands of
 * times; the SVM backend takes it on its fast path (svm_fast_exit), before
 * the VMM's own state is loaded back, through pci_hide_fast_select. */
#include <core/types.h>
#include <pc/io.h>
#include <pc/pci.h>
#include "vmm.h"

#define PCI_ADDR	0xcf8
#define PCI_DATA	0xcfc
#define ADDR_ENABLE	0x80000000u

static u32 shadow_addr;		/* the guest's view of 0xCF8 */
static struct pci_hide_stats stats;
static u8 *guest_iopm;

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

static void
set_data_intercept(bool intercept)
{
	/* 0xCFC-0xCFF are bits 4-7 of one IOPM byte */
	if (intercept)
		guest_iopm[PCI_DATA / 8] |= 0xf0;
	else
		guest_iopm[PCI_DATA / 8] &= 0x0f;
}

/* A guest dword write to 0xCF8: open the data ports for a visible
 * function, close them otherwise.  The hardware register is written either
 * way (0 for a hidden address), so nothing later reaches a hidden function
 * through it. */
static void
select_addr(u32 val)
{
	bool visible = (val & ADDR_ENABLE) && !hidden(val);

	/* where Linux's configuration cycles go: each one costs this exit */
	if (!(val & ADDR_ENABLE))
		stats.disabled++;
	else if (!visible)
		stats.hidden++;
	else if (val >> 16 & 0xff)
		stats.other_bus++;
	else
		stats.bus0++;
	shadow_addr = val;
	outl(PCI_ADDR, visible ? val : 0);
	set_data_intercept(!visible);
}

/* The same from the exit fast path (svm_fast_exit), which runs before the
 * VMM's state is back: core code only (no libc, no vector registers), and
 * the lock taken without waiting, since the state here is shared by every
 * processor (one chipset address register, one IOPM). */
bool
pci_hide_fast_select(int cpu, u32 val)
{
	if (!vmm_trylock(cpu))
		return false;
	select_addr(val);
	vmm_unlock();
	return true;
}

/* One intercepted guest access to 0xCF8-0xCFF: returns the value read (for
 * IN).  Data-port accesses arrive here only while the ports are closed. */
u32
pci_hide_config_io(u16 port, unsigned size, bool in, u32 val)
{
	if (port == PCI_ADDR && size == 4) {
		if (in)
			return shadow_addr;
		select_addr(val);
		return 0;
	}
	if (port < PCI_DATA && port + size > PCI_DATA)
		return in ? 0xffffffff : 0;	/* straddles into the data port */
	if (port < PCI_DATA) {		/* 0xCF9 reset control and friends */
		if (in)
			return port_in(port, size);
		port_out(port, size, val);
		return 0;
	}
	if (!(shadow_addr & ADDR_ENABLE) || hidden(shadow_addr))
		return in ? 0xffffffff : 0;	/* no device answers */
	outl(PCI_ADDR, shadow_addr);	/* not reached: visible means open */
	if (in)
		return port_in(port, size);
	port_out(port, size, val);
	return 0;
}

/* Before VMM code that may use configuration space runs for the guest
 * (a hypercall; under the VMM's lock): no processor reads the data ports
 * through the hardware until pci_hide_resume.  Their accesses exit and wait
 * for the lock instead. */
void
pci_hide_pause(void)
{
	set_data_intercept(true);
}

/* After it: the guest's address back in the hardware, the data ports open
 * again if it selects a visible function. */
void
pci_hide_resume(void)
{
	bool visible = (shadow_addr & ADDR_ENABLE) && !hidden(shadow_addr);

	outl(PCI_ADDR, visible ? shadow_addr : 0);
	set_data_intercept(!visible);
}

const struct pci_hide_stats *
pci_hide_stats(void)
{
	return &stats;
}

void
pci_hide_setup(u8 *iopm)
{
	const struct pc_pci_claim *c;

	guest_iopm = iopm;
	stats = (struct pci_hide_stats){ 0 };
	for (u32 port = PCI_ADDR; port <= PCI_DATA + 3; port++)
		iopm[port / 8] |= 1 << (port % 8);
	for (int i = 0; (c = pc_pci_claim_at(i)); i++)
		for (u32 p = c->io_base; p < (u32)c->io_base + c->io_len; p++)
			iopm[p / 8] |= 1 << (p % 8);
}
