/* When the VMM cannot start on this CPU (no SVM or VMX, or the firmware
 * disabled it), blobvisor.efi says so in one line before touching anything
 * and, if the configuration names one (`fallback PATH CMDLINE...'), starts
 * that boot image itself through the firmware (LoadImage/StartImage) — the
 * OS boots as it would have without blobvisor; otherwise it returns to the
 * firmware, which goes on to its next boot option.  The checks are the
 * VMM backends' own (vmm/svm/svm.c, vmm/vmx/vmx.c), made here because
 * after ExitBootServices there is no way back. */
#include "loader.h"

#define MSR_VM_CR		0xc0010114
#define VM_CR_SVMDIS		(1ULL << 4)
#define MSR_FEATURE_CONTROL	0x3a
#define FC_LOCKED		(1ULL << 0)
#define FC_VMX_OUTSIDE_SMX	(1ULL << 2)

static void
cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

static uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

const char *
vmm_unsupported(void)
{
	uint32_t r[4];

	cpuid(1, r);
	if (r[2] & (1u << 5)) {		/* VMX */
		uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);

		if ((fc & FC_LOCKED) && !(fc & FC_VMX_OUTSIDE_SMX))
			return "VMX is disabled by the firmware (IA32_FEATURE_CONTROL locked)";
		return NULL;
	}
	cpuid(0x80000000, r);
	if (r[0] < 0x8000000a)
		return "the CPU has neither SVM nor VMX";
	cpuid(0x80000001, r);
	if (!(r[2] & (1u << 2)))
		return "the CPU has neither SVM nor VMX";
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
		return "SVM is disabled by the firmware (VM_CR.SVMDIS)";
	cpuid(0x8000000a, r);
	if (!(r[3] & 1))
		return "the CPU has no nested paging";
	return NULL;
}

/* Device path nodes (UEFI 10.3): a file path on our own device. */
struct dp_node {
	uint8_t type, subtype;
	uint8_t len[2];
};

static size_t
dp_size(const uint8_t *dp)
{
	const uint8_t *p = dp;

	while (!(p[0] == 0x7f && p[1] == 0xff))
		p += p[2] | p[3] << 8;
	return (size_t)(p - dp);
}

efi_status
image_start(const struct image_cfg *img, const char *role, const char *how)
{
	static const efi_guid li_guid = EFI_LOADED_IMAGE_GUID, dp_guid = EFI_DEVICE_PATH_GUID;
	struct efi_loaded_image *me, *li;
	uint8_t *devpath, *dp;
	size_t dlen, plen = str_len(img->path), clen = str_len(img->cmdline);
	static char16 options[2048];
	efi_handle h;
	efi_status s;

	if (efi_bs->handle_protocol(efi_image, &li_guid, (void **)&me) != EFI_SUCCESS ||
	    efi_bs->handle_protocol(me->device, &dp_guid, (void **)&devpath) != EFI_SUCCESS) {
		say("blobvisor.efi: %s: no device path for the ESP\n", role);
		return EFI_LOAD_ERROR;
	}
	dlen = dp_size(devpath);
	s = efi_bs->allocate_pool(EFI_LOADER_DATA, dlen + 4 + 2 * (plen + 1) + 4, (void **)&dp);
	if (s != EFI_SUCCESS)
		return s;
	mem_copy(dp, devpath, dlen);
	{
		uint8_t *f = dp + dlen;
		size_t n = 4 + 2 * (plen + 1);

		f[0] = 4, f[1] = 4, f[2] = (uint8_t)n, f[3] = (uint8_t)(n >> 8);	/* media, file path */
		for (size_t i = 0; i <= plen; i++) {
			f[4 + 2 * i] = (uint8_t)img->path[i];
			f[5 + 2 * i] = 0;
		}
		f += n;
		f[0] = 0x7f, f[1] = 0xff, f[2] = 4, f[3] = 0;			/* end */
	}
	s = efi_bs->load_image(false, efi_image, dp, NULL, 0, &h);
	if (s != EFI_SUCCESS) {
		say("blobvisor.efi: %s: %s: the firmware cannot load it (status %x)\n",
		    role, img->path, s);
		return s;
	}
	if (efi_bs->handle_protocol(h, &li_guid, (void **)&li) == EFI_SUCCESS) {
		for (size_t i = 0; i <= clen; i++)
			options[i] = (unsigned char)img->cmdline[i];
		li->load_options = options;
		li->load_options_size = (uint32_t)(2 * (clen + 1));
	}
	say("blobvisor.efi: starting %s %s: %s\n", img->path, how, img->cmdline);
	s = efi_bs->start_image(h, NULL, NULL);
	say("blobvisor.efi: %s returned (status %x)\n", img->path, s);
	return s;
}
