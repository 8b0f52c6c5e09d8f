/* blobvisor.efi's own interface between its files (platform/efi only).  The
 * loader runs as a UEFI application, reads what the VMM needs from the
 * firmware and the EFI system partition, then hands the machine to the same
 * 64-bit image that multiboot starts (build/blobvisor-pc.elf, carried inside
 * the .efi as its payload). */
#ifndef PLATFORM_EFI_LOADER_H
#define PLATFORM_EFI_LOADER_H

#include "efi.h"

#define PAGE		4096ULL
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((uint64_t)(a) - 1))

extern struct efi_system_table *efi_st;
extern struct efi_boot_services *efi_bs;
extern efi_handle efi_image;

/* console.c: messages through the firmware's console (ConOut), which on a
 * PC without a screen is the serial port.  say() knows %s, %u (uint64_t),
 * %x (uint64_t, printed 0x...) and %%. */
void say(const char *fmt, ...);
size_t str_len(const char *s);
int str_ncmp(const char *a, const char *b, size_t n);
void mem_copy(void *dst, const void *src, size_t n);
void mem_set(void *dst, int c, size_t n);

/* payload.c: the VMM image */
struct payload {
	uint64_t lo, hi;	/* [lo, hi): link addresses, bss included */
	uint64_t entry;		/* the 64-bit UEFI entry (boot_efi.S) */
	uint64_t fw_entry;	/* the entry called with the firmware to be the guest */
};
int payload_check(struct payload *p);
/* At its link address, in pages of type memtype up to hi (>= p->hi). */
int payload_place(const struct payload *p, uint32_t memtype, uint64_t hi);

/* files.c: the EFI system partition of the device blobvisor.efi came from */
int esp_open(void);
/* Size of a file, or -1 (and one line) if it cannot be opened. */
int64_t esp_size(const char *path);
/* Read a whole file of known size into buf; 0 or -1 with one line. */
int esp_read(const char *path, void *buf, uint64_t size);
/* A file that may be absent (then 0 and *size = 0), read as a string. */
int esp_read_optional(const char *path, char *buf, uint64_t cap, uint64_t *size);

/* config.c: \blobvisor\blobvisor.cfg */
#define MAX_MODULES 16
struct module_cfg {
	char path[256];		/* on the ESP, '\' separated */
	char name[256];		/* the module's string for the VMM */
	uint64_t size;
};
struct image_cfg {		/* an EFI image to start through the firmware */
	char path[256];		/* on the ESP; empty if none */
	char cmdline[1024];	/* its load options */
};
struct config {
	char cmdline[2048];
	struct module_cfg mod[MAX_MODULES];
	int nmod;
	struct image_cfg fallback;	/* `fallback PATH CMDLINE': the VMM cannot run */
	struct image_cfg boot;		/* `boot PATH CMDLINE': the firmware is the guest */
};
#define CONFIG_PATH "\\blobvisor\\blobvisor.cfg"
int config_read(struct config *c);

/* handoff.c: the multiboot-shaped information the image's pc_main reads,
 * the firmware's memory map in it, boot services' exit and the jump. */
int handoff_build(const struct config *c);
/* The same block for the firmware as the guest: EfiReservedMemoryType,
 * 2 MiB-aligned, with region bytes for the VMM after the modules; its
 * [start, end) in *lo, *hi.  Then the map for the VMM: the firmware's as
 * it is, with [img_lo, img_hi) and the block as RAM entries of their own. */
int handoff_build_reserved(const struct config *c, uint64_t region, uint64_t *lo, uint64_t *hi);
int handoff_map_for_guest(uint64_t img_lo, uint64_t img_hi, uint64_t blk_lo, uint64_t blk_hi);
uint64_t handoff_info(void);
__attribute__((noreturn)) void handoff_exit_and_jump(const struct payload *p, uint64_t rsdp);

/* fallback.c: why the VMM cannot start on this CPU, or NULL; the
 * configured boot image started through the firmware instead. */
const char *vmm_unsupported(void);
/* Start img through LoadImage/StartImage; role ("fallback", "boot") and
 * how ("without the VMM") for its lines. */
efi_status image_start(const struct image_cfg *img, const char *role, const char *how);

/* guest.c: the firmware as the VMM's first guest; returns only as that
 * guest (then the boot image's status) or before the VMM ran. */
efi_status firmware_guest(const struct config *c, const struct payload *p, uint64_t rsdp);

/* acpi.c */
uint64_t acpi_rsdp(void);

#endif
