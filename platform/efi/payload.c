/* The VMM image inside blobvisor.efi: build/blobvisor-pc.elf without its
 * debug sections, the same file QEMU's -kernel starts through multiboot.  It
 * is linked at fixed addresses (2 MiB up, identity-mapped), so placing it is
 * copying each PT_LOAD segment to its address, after the firmware granted
 * exactly those pages.  Its 64-bit UEFI entry is found through a small
 * record in the image's first 8 KiB (platform/pc/boot_efi.S). */
#include "loader.h"

#ifndef PAYLOAD_FILE
#error "PAYLOAD_FILE: the stripped build/blobvisor-pc.elf (platform/efi/module.mk)"
#endif

__asm__(".section .rdata,\"dr\"\n"
	".p2align 4\n"
	"payload_start:\n"
	".incbin \"" PAYLOAD_FILE "\"\n"
	"payload_end:\n"
	".text\n");
extern const uint8_t payload_start[], payload_end[];

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD		1
#define EM_X86_64	62
#define HANDOFF_MAGIC	"BVEFI64"	/* 8 bytes with the NUL, then the entry */
#define FW_MAGIC	"BVEFIFW"	/* the same for the firmware-as-guest entry */
#define HANDOFF_WINDOW	8192

static const struct elf64_ehdr *
ehdr(void)
{
	return (const struct elf64_ehdr *)payload_start;
}

static const struct elf64_phdr *
phdr(int i)
{
	return (const struct elf64_phdr *)(payload_start + ehdr()->phoff) + i;
}

/* The build made this file, but a damaged .efi should say so rather than
 * jump into the weeds. */
int
payload_check(struct payload *p)
{
	const struct elf64_ehdr *e = ehdr();
	uint64_t size = (uint64_t)(payload_end - payload_start), first = 0;

	if (size < sizeof(*e) || str_ncmp((const char *)e->ident, "\177ELF", 4) ||
	    e->ident[4] != 2 || e->machine != EM_X86_64 || e->phentsize != sizeof(struct elf64_phdr) ||
	    e->phoff + (uint64_t)e->phnum * sizeof(struct elf64_phdr) > size) {
		say("blobvisor.efi: payload: not an x86-64 ELF64 image with program headers\n");
		return -1;
	}
	p->lo = ~0ULL;
	p->hi = 0;
	for (int i = 0; i < e->phnum; i++) {
		const struct elf64_phdr *ph = phdr(i);

		if (ph->type != PT_LOAD)
			continue;
		if (ph->offset + ph->filesz > size || ph->filesz > ph->memsz ||
		    ph->vaddr + ph->memsz > (2ULL << 30) || (ph->vaddr & (PAGE - 1))) {
			say("blobvisor.efi: payload: program header %u: outside the file or the low 2 GiB\n",
			    (uint64_t)i);
			return -1;
		}
		if (p->lo == ~0ULL)
			first = ph->offset;
		if (ph->vaddr < p->lo)
			p->lo = ph->vaddr;
		if (ph->vaddr + ph->memsz > p->hi)
			p->hi = ph->vaddr + ph->memsz;
	}
	p->entry = p->fw_entry = 0;
	for (uint64_t off = first; p->lo != ~0ULL && off + 16 <= first + HANDOFF_WINDOW &&
	     off + 16 <= size; off += 8) {
		if (!str_ncmp((const char *)payload_start + off, HANDOFF_MAGIC, 8))
			mem_copy(&p->entry, payload_start + off + 8, 8);
		if (!str_ncmp((const char *)payload_start + off, FW_MAGIC, 8))
			mem_copy(&p->fw_entry, payload_start + off + 8, 8);
	}
	if (p->fw_entry < p->lo || p->fw_entry >= p->hi)
		p->fw_entry = 0;
	if (p->lo == ~0ULL || p->entry < p->lo || p->entry >= p->hi) {
		say("blobvisor.efi: payload: no UEFI entry record (" HANDOFF_MAGIC ") in its first 8 KiB\n");
		return -1;
	}
	p->hi = ALIGN_UP(p->hi, PAGE);
	return 0;
}

/* Ask for the image's pages, then copy the segments and clear the bss.
 * EfiLoaderData when boot services end next: then they are RAM the VMM
 * owns, as under multiboot; EfiReservedMemoryType, to hi (2 MiB-aligned),
 * when the firmware goes on as the guest: the OS it boots must leave them
 * alone. */
int
payload_place(const struct payload *p, uint32_t memtype, uint64_t hi)
{
	uint64_t at = p->lo;
	efi_status s = efi_bs->allocate_pages(ALLOCATE_ADDRESS, memtype, (hi - p->lo) / PAGE, &at);

	if (s != EFI_SUCCESS) {
		say("blobvisor.efi: the firmware will not give up %x-%x, where the VMM is linked (status %x)\n",
		    p->lo, hi - 1, s);
		return -1;
	}
	for (int i = 0; i < ehdr()->phnum; i++) {
		const struct elf64_phdr *ph = phdr(i);

		if (ph->type != PT_LOAD)
			continue;
		mem_copy((void *)ph->vaddr, payload_start + ph->offset, ph->filesz);
		mem_set((void *)(ph->vaddr + ph->filesz), 0, ph->memsz - ph->filesz);
	}
	return 0;
}
