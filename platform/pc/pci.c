/* PCI configuration space through the legacy ports 0xCF8/0xCFC (i440FX):
 * the mechanism the hypervisor will intercept to hide devices from the
 * guest.  `pci list' walks every bus, device and function. */
#include <core/console.h>
#include <core/dbgsh.h>
#include "pc.h"

#define PCI_ADDR	0xcf8
#define PCI_DATA	0xcfc

u32
pc_pci_read32(const struct pc_pci_fn *f, unsigned off)
{
	outl(PCI_ADDR, 1u << 31 | f->bus << 16 | f->dev << 11 | f->fn << 8 | (off & 0xfc));
	return inl(PCI_DATA);
}

void
pc_pci_write32(const struct pc_pci_fn *f, unsigned off, u32 v)
{
	outl(PCI_ADDR, 1u << 31 | f->bus << 16 | f->dev << 11 | f->fn << 8 | (off & 0xfc));
	outl(PCI_DATA, v);
}

bool
pc_pci_each(bool (*visit)(const struct pc_pci_fn *f, void *arg), void *arg)
{
	for (unsigned bus = 0; bus < 256; bus++) {
		for (unsigned dev = 0; dev < 32; dev++) {
			unsigned nfn = 1;

			for (unsigned fn = 0; fn < nfn; fn++) {
				struct pc_pci_fn f = { bus, dev, fn, 0, 0, 0 };
				u32 id = pc_pci_read32(&f, 0);

				if ((id & 0xffff) == 0xffff)
					continue;
				if (fn == 0 && (pc_pci_read32(&f, 0x0c) >> 16 & 0x80))
					nfn = 8;	/* multi-function device */
				f.vendor = id & 0xffff;
				f.device = id >> 16;
				f.class_rev = pc_pci_read32(&f, 8);
				if (visit(&f, arg))
					return true;
			}
		}
	}
	return false;
}

static const char *
class_name(unsigned cls, unsigned sub)
{
	static const struct { u8 cls, sub; const char *name; } names[] = {
		{ 0x01, 0x01, "IDE controller" }, { 0x01, 0x06, "SATA controller" },
		{ 0x01, 0x00, "SCSI controller" }, { 0x01, 0x08, "NVMe controller" },
		{ 0x02, 0x00, "Ethernet controller" }, { 0x03, 0x00, "VGA controller" },
		{ 0x04, 0x01, "audio device" }, { 0x06, 0x00, "host bridge" },
		{ 0x06, 0x01, "ISA bridge" }, { 0x06, 0x04, "PCI bridge" },
		{ 0x06, 0x80, "bridge" }, { 0x0c, 0x03, "USB controller" },
		{ 0x0c, 0x05, "SMBus" }, { 0x07, 0x00, "serial controller" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].cls == cls && names[i].sub == sub)
			return names[i].name;
	return "device";
}

static struct pc_pci_claim claims[8];
static int nclaims;

const struct pc_pci_claim *
pc_pci_claim_at(int i)
{
	return i >= 0 && i < nclaims ? &claims[i] : NULL;
}

void
pc_pci_claim(const struct pc_pci_fn *f, u16 io_base, u16 io_len, const char *by)
{
	if (nclaims == (int)ARRAY_SIZE(claims)) {
		kprintf("pci: %02x:%02x.%x: too many claimed functions; not hidden from a guest\n",
			f->bus, f->dev, f->fn);
		return;
	}
	claims[nclaims++] = (struct pc_pci_claim){
		f->bus, f->dev, f->fn, io_base, io_len, by, 0, 0 };
}

void
pc_pci_claim_mmio(const struct pc_pci_fn *f, u64 base, u64 len)
{
	for (int i = 0; i < nclaims; i++)
		if (claims[i].bus == f->bus && claims[i].dev == f->dev && claims[i].fn == f->fn) {
			claims[i].mmio_base = base;
			claims[i].mmio_len = len;
		}
}

const char *
pc_pci_claimed_by(unsigned bus, unsigned dev, unsigned fn)
{
	for (int i = 0; i < nclaims; i++) {
		const struct pc_pci_claim *c = &claims[i];

		if (c->bus == bus && c->dev == dev && c->fn == fn)
			return c->by;
	}
	return NULL;
}

bool
pc_io_claimed(u16 port)
{
	for (int i = 0; i < nclaims; i++) {
		const struct pc_pci_claim *c = &claims[i];

		if (port >= c->io_base && port - c->io_base < c->io_len)
			return true;
	}
	return false;
}

static bool
print_fn(const struct pc_pci_fn *f, void *arg)
{
	u32 cls = f->class_rev;
	const char *by = pc_pci_claimed_by(f->bus, f->dev, f->fn);

	kprintf("%02x:%02x.%x %04x:%04x class %02x%02x%02x %s%s%s\n",
		f->bus, f->dev, f->fn, f->vendor, f->device,
		cls >> 24, cls >> 16 & 0xff, cls >> 8 & 0xff,
		class_name(cls >> 24, cls >> 16 & 0xff),
		by ? ", kept by the VMM: " : "", by ? by : "");
	++*(int *)arg;
	return false;
}

static int
cmd_pci_list(int argc, char **argv)
{
	int n = 0;

	pc_pci_each(print_fn, &n);
	kprintf("%d PCI functions\n", n);
	return 0;
}
DBGSH_GUEST_COMMAND("pci list", cmd_pci_list, "list PCI functions (configuration ports 0xCF8/0xCFC)");
