/* The ACPI RSDP and the tables behind it.  Under UEFI the firmware names the
 * RSDP in its configuration table (blobvisor.efi passes it in, boot_efi.S
 * keeps it in pc_efi_rsdp); SeaBIOS and other BIOSes leave it on a 16-byte
 * boundary in 0xE0000-0xFFFFF (the EBDA's pointer sits in page 0, which the
 * VMM keeps unmapped to catch NULL). */
#include <core/string.h>
#include <pc/acpi.h>
#include <pc/memmap.h>
#include "pc.h"

const void *
pc_acpi_map(u64 pa, size_t len)
{
	for (u64 p = ALIGN_DOWN(pa, PAGE_SIZE); p < pa + len; p += PAGE_SIZE)
		if (p >= pc_ram_top())
			pc_paging_map_mmio(p);
	return (const void *)(uintptr_t)pa;
}

static bool
checksum_ok(const u8 *p, size_t len)
{
	u8 sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

static bool
rsdp_ok(u64 a)
{
	const u8 *r = pc_acpi_map(a, 20);

	return !memcmp(r, "RSD PTR ", 8) && checksum_ok(r, 20);
}

u64
pc_acpi_rsdp(void)
{
	if (pc_efi_rsdp && rsdp_ok(pc_efi_rsdp))
		return pc_efi_rsdp;
	for (u64 a = 0xe0000; a + 20 <= 0x100000; a += 16)
		if (rsdp_ok(a))
			return a;
	return 0;
}

/* A table header at pa with a sane length and a right checksum. */
static u32
table_len(u64 pa)
{
	const u8 *h = pc_acpi_map(pa, 36);
	u32 len = *(const u32 *)(h + 4);

	if (len < 36 || len > (1 << 20) || !checksum_ok(pc_acpi_map(pa, len), len))
		return 0;
	return len;
}

u64
pc_acpi_table(const char sig[4], u32 *lenp)
{
	u64 rsdp = pc_acpi_rsdp(), sdt;
	const u8 *r, *t;
	u32 len, step;
	bool x;

	if (!rsdp)
		return 0;
	r = pc_acpi_map(rsdp, 36);
	x = r[15] >= 2 && *(const u64 *)(r + 24);
	sdt = x ? *(const u64 *)(r + 24) : *(const u32 *)(r + 16);
	step = x ? 8 : 4;
	len = table_len(sdt);
	if (!len)
		return 0;
	t = pc_acpi_map(sdt, len);
	for (u32 off = 36; off + step <= len; off += step) {
		u64 pa = x ? *(const u64 *)(t + off) : *(const u32 *)(t + off);
		u32 tl;

		if (!memcmp(pc_acpi_map(pa, 4), sig, 4) && (tl = table_len(pa))) {
			if (lenp)
				*lenp = tl;
			return pa;
		}
	}
	return 0;
}
