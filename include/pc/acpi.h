/* ACPI tables as the firmware left them: where the RSDP is (UEFI passes it,
 * a BIOS leaves it in 0xE0000-0xFFFFF) and the tables it leads to.  Tables
 * may lie above the RAM the VMM maps; these calls map what they read. */
#ifndef PC_ACPI_H
#define PC_ACPI_H

#include <core/types.h>

/* Physical address of a valid RSDP (signature and checksum), or 0. */
u64 pc_acpi_rsdp(void);

/* Physical address of the first table with this signature ("APIC",
 * "MCFG", ...) listed in the XSDT (or RSDT), whose length and checksum are
 * right; 0 if none.  *len gets its length. */
u64 pc_acpi_table(const char sig[4], u32 *len);

/* Map [pa, pa+len) if it lies above the VMM's RAM; returns pa as a pointer. */
const void *pc_acpi_map(u64 pa, size_t len);

#endif
