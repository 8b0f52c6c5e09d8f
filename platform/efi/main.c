/* blobvisor.efi: the UEFI way in to the same VMM that multiboot starts.
 *
 * The firmware loads this PE32+ application from the EFI system partition
 * (\EFI\BOOT\BOOTX64.EFI or a boot entry).  It places the VMM image it
 * carries at its link address, reads \blobvisor\blobvisor.cfg and the modules
 * it names from the same partition, notes the ACPI RSDP from the firmware's
 * configuration tables, exits boot services and jumps to the image's 64-bit
 * entry (platform/pc/boot_efi.S) with a multiboot-shaped description of the
 * machine.  Any failure before the exit is one line on the firmware's
 * console and a return to the firmware, which goes on to its next boot
 * option; a CPU the VMM cannot run on is found first, and then the
 * configuration's fallback image starts without the VMM (fallback.c). */
#include "loader.h"

struct efi_system_table *efi_st;
struct efi_boot_services *efi_bs;
efi_handle efi_image;

efi_status efi_main(efi_handle image, struct efi_system_table *st);

/* Our page tables are 4-level; 5-level paging cannot be left in long mode
 * without dropping to 32-bit code, which this loader does not do. */
static bool
five_level_paging(void)
{
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	return cr4 & (1ULL << 12);
}

efi_status
efi_main(efi_handle image, struct efi_system_table *st)
{
	static struct config cfg;
	struct payload p;
	uint64_t rsdp;
	const char *why;

	efi_st = st;
	efi_bs = st->boot_services;
	efi_image = image;
	say("blobvisor.efi: loading the VMM\n");
	if (five_level_paging()) {
		say("blobvisor.efi: the firmware runs with 5-level paging; not supported\n");
		return EFI_UNSUPPORTED;
	}
	if (payload_check(&p) || esp_open() || config_read(&cfg))
		return EFI_LOAD_ERROR;
	if ((why = vmm_unsupported())) {
		say("blobvisor.efi: cannot start the VMM: %s; %s\n", why,
		    cfg.fallback.path[0] ? "starting the fallback image instead" :
		    "back to the firmware (no fallback in " CONFIG_PATH ")");
		return cfg.fallback.path[0] ? image_start(&cfg.fallback, "fallback", "without the VMM") :
		       EFI_UNSUPPORTED;
	}
	for (int i = 0; i < cfg.nmod; i++) {
		int64_t n = esp_size(cfg.mod[i].path);

		if (n < 0)
			return EFI_LOAD_ERROR;
		cfg.mod[i].size = (uint64_t)n;
	}
	rsdp = acpi_rsdp();
	if (!rsdp)
		say("blobvisor.efi: the firmware publishes no ACPI RSDP\n");
	if (cfg.boot.path[0])
		return firmware_guest(&cfg, &p, rsdp);
	if (payload_place(&p, EFI_LOADER_DATA, p.hi))
		return EFI_LOAD_ERROR;
	if (handoff_build(&cfg)) {
		efi_bs->free_pages(p.lo, (p.hi - p.lo) / PAGE);
		return EFI_LOAD_ERROR;
	}
	handoff_exit_and_jump(&p, rsdp);
}
