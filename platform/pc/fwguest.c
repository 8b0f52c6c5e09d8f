/* What boot_efi.S's pc_start64_efi_fw recorded of the firmware's CPU at
 * blobvisor.efi's call (include/pc/fwguest.h); vmm/fwguest.c resumes it. */
#include <pc/fwguest.h>
#include "pc.h"

struct pc_fw_state pc_fw_state;

_Static_assert(__builtin_offsetof(struct pc_fw_state, rip) == 0x080, "boot_efi.S");
_Static_assert(__builtin_offsetof(struct pc_fw_state, cr0) == 0x090, "boot_efi.S");
_Static_assert(__builtin_offsetof(struct pc_fw_state, xcr0) == 0x0b0, "boot_efi.S");
_Static_assert(__builtin_offsetof(struct pc_fw_state, fs_base) == 0x0b8, "boot_efi.S");
_Static_assert(__builtin_offsetof(struct pc_fw_state, star) == 0x0d8, "boot_efi.S");
_Static_assert(__builtin_offsetof(struct pc_fw_state, sysenter_cs) == 0x0f8, "boot_efi.S");
_Static_assert(__builtin_offsetof(struct pc_fw_state, dr7) == 0x110, "boot_efi.S");
_Static_assert(__builtin_offsetof(struct pc_fw_state, sel) == 0x118, "boot_efi.S");
_Static_assert(__builtin_offsetof(struct pc_fw_state, gdtr) == 0x128, "boot_efi.S");
_Static_assert(__builtin_offsetof(struct pc_fw_state, idtr) == 0x132, "boot_efi.S");
_Static_assert(__builtin_offsetof(struct pc_fw_state, fpu) == 0x140, "boot_efi.S");

const struct pc_fw_state *
pc_fw_guest(void)
{
	return pc_efi_fw ? &pc_fw_state : NULL;
}
