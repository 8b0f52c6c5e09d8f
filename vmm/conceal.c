/* Concealment beyond the legacy ports: on q35 (and any PCI Express PC) the
 * guest reads configuration space through the memory-mapped ECAM window
 * that the ACPI MCFG table announces.  Each hidden function's 4 KiB page of
 * that window, and each claimed function's registers (its BAR), are left
 * out of the guest-physical map (nested page tables or EPT); the guest's accesses to them fault into
 * the VMM, which completes them as if nothing answered: reads return all
 * ones, writes are dropped.  Every other page stays direct. */
#include <core/console.h>
#include <core/string.h>
#include <pc/acpi.h>
#include <pc/pci.h>
#include "vmm.h"

#define MAX_HIDDEN	64

struct ecam {
	u64 base;
	u8 bus_start, bus_end;
};

static struct ecam ecams[4];
static int necams;
static u64 hidden[MAX_HIDDEN];	/* page addresses */
static int nhidden;
static bool acpi_done;

/* The MCFG table's allocation entries (pc_acpi_table checked its length
 * and checksum). */
static void
read_mcfg(u64 pa, u32 len)
{
	const u8 *h = pc_acpi_map(pa, len);

	if (len < 44 || len > 4096)
		return;
	for (u32 off = 44; off + 16 <= len && necams < (int)ARRAY_SIZE(ecams); off += 16) {
		const u8 *e = h + off;

		if (*(const u16 *)(e + 8) != 0)
			continue;	/* other PCI segments: the legacy ports cannot reach them either */
		ecams[necams++] = (struct ecam){ *(const u64 *)e, e[10], e[11] };
	}
}

/* The MCFG table, wherever the firmware put the RSDP (pc_acpi_table). */
static void
find_ecam(void)
{
	u32 len;
	u64 mcfg = pc_acpi_table("MCFG", &len);

	if (mcfg)
		read_mcfg(mcfg, len);
}

static void
hide(struct vcpu *v, u64 page)
{
	if (nhidden == MAX_HIDDEN) {
		kprintf("hv: too many concealed pages; %#llx stays visible\n", (unsigned long long)page);
		return;
	}
	hidden[nhidden++] = page;
	v->ops->hide_page(v, page);
}

void
conceal_setup(struct vcpu *v)
{
	const struct pc_pci_claim *c;

	if (!acpi_done) {
		find_ecam();
		acpi_done = true;
		for (int i = 0; i < necams; i++)
			kprintf("hv: ECAM at %#llx, buses %u-%u (MCFG)\n",
				(unsigned long long)ecams[i].base, ecams[i].bus_start, ecams[i].bus_end);
	}
	nhidden = 0;
	for (int i = 0; (c = pc_pci_claim_at(i)); i++) {
		for (int e = 0; e < necams; e++) {
			u64 fn0 = ecams[e].base + ((u64)(c->bus - ecams[e].bus_start) << 20 |
						   (u64)c->dev << 15);

			if (c->bus < ecams[e].bus_start || c->bus > ecams[e].bus_end)
				continue;
			/* a claimed function 0 takes its whole slot with it, as on 0xCF8 */
			for (unsigned fn = 0; fn < 8; fn++)
				if (fn == c->fn || c->fn == 0)
					hide(v, fn0 + ((u64)fn << 12));
		}
		for (u64 p = ALIGN_DOWN(c->mmio_base, PAGE_SIZE); c->mmio_len &&
		     p < c->mmio_base + c->mmio_len; p += PAGE_SIZE)
			hide(v, p);
	}
}

bool
conceal_hidden(u64 gpa)
{
	for (int i = 0; i < nhidden; i++)
		if (ALIGN_DOWN(gpa, PAGE_SIZE) == hidden[i])
			return true;
	return false;
}
