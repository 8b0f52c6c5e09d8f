/* The ACPI RSDP: UEFI firmware publishes it in the system table's
 * configuration tables, not necessarily in the BIOS area where the VMM used
 * to look.  ACPI 2.0+ first (it carries the XSDT), 1.0 otherwise. */
#include "loader.h"

static bool
guid_eq(const efi_guid *a, const efi_guid *b)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;

	for (size_t i = 0; i < sizeof(*a); i++)
		if (x[i] != y[i])
			return false;
	return true;
}

uint64_t
acpi_rsdp(void)
{
	static const efi_guid acpi20 = EFI_ACPI_20_TABLE_GUID, acpi10 = EFI_ACPI_10_TABLE_GUID;
	uint64_t v1 = 0;

	for (uint64_t i = 0; i < efi_st->ntables; i++) {
		const struct efi_configuration_table *t = &efi_st->tables[i];

		if (guid_eq(&t->guid, &acpi20))
			return (uint64_t)t->table;
		if (guid_eq(&t->guid, &acpi10))
			v1 = (uint64_t)t->table;
	}
	return v1;
}
