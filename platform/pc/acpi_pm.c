/* Where ACPI soft-off is written: the FADT's PM1a control block.  QEMU's
 * PIIX4 has it at 0x604, Bochs's BIOS moves the PM base to 0xb000; read at
 * boot (the tables may lie above the RAM the VMM maps, and plat_exit must
 * not fault). */
#include <core/init.h>
#include <core/string.h>
#include <pc/memmap.h>
#include "pc.h"

static u16 pm1a_cnt = 0x604;	/* QEMU pc, when no FADT says otherwise */

static const u8 *
acpi_phys(u64 pa, size_t len)
{
	for (u64 p = ALIGN_DOWN(pa, PAGE_SIZE); p < pa + len; p += PAGE_SIZE)
		if (p >= pc_ram_top())
			pc_paging_map_mmio(p);
	return (const u8 *)(uintptr_t)pa;
}

static bool
sum_ok(const u8 *p, size_t len)
{
	u8 s = 0;

	while (len--)
		s += *p++;
	return s == 0;
}

static void
acpi_pm_init(void)
{
	const u8 *rsdp = NULL, *rsdt;
	u32 len;

	for (u64 a = 0xe0000; a + 20 <= 0x100000 && !rsdp; a += 16)
		if (!memcmp(acpi_phys(a, 8), "RSD PTR ", 8) && sum_ok(acpi_phys(a, 20), 20))
			rsdp = (const u8 *)a;
	if (!rsdp)
		return;
	rsdt = acpi_phys(*(const u32 *)(rsdp + 16), 36);
	len = *(const u32 *)(rsdt + 4);
	if (memcmp(rsdt, "RSDT", 4) || len < 36 || len > 4096)
		return;
	acpi_phys((u64)rsdt, len);
	for (u32 off = 36; off + 4 <= len; off += 4) {
		const u8 *t = acpi_phys(*(const u32 *)(rsdt + off), 68);

		if (!memcmp(t, "FACP", 4) && *(const u32 *)(t + 4) >= 68 && *(const u32 *)(t + 64)) {
			pm1a_cnt = (u16)*(const u32 *)(t + 64);
			return;
		}
	}
}
INITFUNC("20pc-acpi-pm", acpi_pm_init);

u16
pc_acpi_pm1a_cnt(void)
{
	return pm1a_cnt;
}
