/* The firmware as the VMM's first guest (the configuration's `boot' line).
 * Instead of exiting boot services, blobvisor.efi reserves the VMM's memory
 * from the firmware (EfiReservedMemoryType: the OS booted later sees it as
 * reserved in the UEFI memory map, and the nested page tables keep it from
 * the guest regardless), lets go of the USB controllers the VMM drives,
 * and calls the VMM's firmware entry (platform/pc/boot_efi.S) like a
 * function.  The VMM starts, then resumes the firmware in guest mode right
 * after that call, which returns EFI_SUCCESS; from then on this code runs
 * as guest code and starts the boot image through the firmware, as the
 * fallback does: the OS boots under the VMM with working boot and runtime
 * services, and never knew. */
#include "loader.h"

#define SZ_2M		(2ULL << 20)
#define FW_REGION	(96ULL << 20)	/* the VMM's page allocator: heap, blobs, USB, tables */
#define LOW_1M		0x9f000ULL	/* the AP trampoline: a SIPI vector is a page below 1 MiB */

typedef efi_status (*fw_entry_fn)(uint64_t info, uint64_t rsdp, uint64_t trampoline);

/* The VMM resets and drives every UHCI and xHCI controller it finds; the
 * firmware's drivers must stop using them first (their schedules and DMA
 * would otherwise run on under the VMM's feet). */
static void
release_usb(void)
{
	static const efi_guid pci_io_guid = EFI_PCI_IO_GUID;
	efi_handle *h;
	uint64_t n;

	if (efi_bs->locate_handle_buffer(BY_PROTOCOL, &pci_io_guid, NULL, &n, &h) != EFI_SUCCESS)
		return;
	for (uint64_t i = 0; i < n; i++) {
		struct efi_pci_io *io;
		uint32_t cls;
		uint64_t seg, bus, dev, fn;
		efi_status s;

		if (efi_bs->handle_protocol(h[i], &pci_io_guid, (void **)&io) != EFI_SUCCESS ||
		    io->pci_read(io, PCI_WIDTH_UINT32, 8, 1, &cls) != EFI_SUCCESS)
			continue;
		cls >>= 8;		/* class, subclass, programming interface */
		if (cls != 0x0c0300 && cls != 0x0c0330)
			continue;
		io->get_location(io, &seg, &bus, &dev, &fn);
		s = efi_bs->disconnect_controller(h[i], NULL, NULL);
		say("blobvisor.efi: PCI %x:%x.%x (%s): %s\n", bus, dev, fn,
		    cls == 0x0c0300 ? "UHCI" : "xHCI",
		    s == EFI_SUCCESS ? "the firmware's driver let go, for the VMM" :
		    "the firmware's driver did not let go");
	}
	efi_bs->free_pool(h);
}

/* Only the SVM backend resumes a 64-bit firmware so far; once the VMM runs,
 * a refusal would leave the firmware stopped for good: ask first. */
static bool
has_svm(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001u), "c"(0));
	return c & (1u << 2);
}

efi_status
firmware_guest(const struct config *c, const struct payload *p, uint64_t rsdp)
{
	uint64_t img_hi = ALIGN_UP(p->hi, SZ_2M), blk_lo, blk_hi, tramp = LOW_1M;
	efi_status s;

	if (!has_svm()) {
		say("blobvisor.efi: the firmware as the guest (`boot' line) needs AMD SVM, this CPU has VMX; %s\n",
		    c->fallback.path[0] ? "starting the fallback image instead" :
		    "back to the firmware (no fallback in " CONFIG_PATH ")");
		return c->fallback.path[0] ? image_start(&c->fallback, "fallback", "without the VMM") :
		       EFI_UNSUPPORTED;
	}
	if (!p->fw_entry) {
		say("blobvisor.efi: payload: no firmware-guest entry record (BVEFIFW)\n");
		return EFI_LOAD_ERROR;
	}
	if (payload_place(p, EFI_RESERVED_MEMORY, img_hi))
		return EFI_LOAD_ERROR;
	if (handoff_build_reserved(c, FW_REGION, &blk_lo, &blk_hi))
		goto free_image;
	if (efi_bs->allocate_pages(ALLOCATE_MAX_ADDRESS, EFI_RESERVED_MEMORY, 1, &tramp) != EFI_SUCCESS) {
		say("blobvisor.efi: no page below 1 MiB for the APs' start: the VMM runs on one CPU\n");
		tramp = 0;
	}
	release_usb();
	if (handoff_map_for_guest(p->lo, img_hi, blk_lo, blk_hi))
		goto free_all;
	say("blobvisor.efi: VMM at %x-%x and %x-%x (reserved); the firmware goes on as its guest, "
	    "the VMM's console is COM2\n", p->lo, img_hi - 1, blk_lo, blk_hi - 1);
	s = ((fw_entry_fn)p->fw_entry)(handoff_info(), rsdp, tramp);
	/* Here in guest mode, the VMM's memory out of reach. */
	if (s != EFI_SUCCESS) {
		say("blobvisor.efi: the VMM returned status %x\n", s);
		return s;
	}
	say("blobvisor.efi: the firmware runs as the VMM's guest\n");
	return image_start(&c->boot, "boot", "under the VMM");
free_all:
	if (tramp)
		efi_bs->free_pages(tramp, 1);
	efi_bs->free_pages(blk_lo, (blk_hi - blk_lo) / PAGE);
free_image:
	efi_bs->free_pages(p->lo, (img_hi - p->lo) / PAGE);
	return EFI_LOAD_ERROR;
}
