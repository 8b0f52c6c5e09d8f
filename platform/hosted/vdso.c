/* The kernel's vDSO clock_gettime.  A system call costs ~300 ns here and
 * the USB path asks the time on every transfer; the vDSO answers in ~60 ns
 * without entering the kernel.  It is found through the auxiliary vector
 * (AT_SYSINFO_EHDR) and its dynamic symbol table, read with the loader's
 * ELF types; if anything is missing the system call stays in use. */
#include <core/string.h>
#include <loader/elf.h>
#include "syscall.h"

#define AT_NULL		0
#define AT_HWCAP2	26
#define AT_SYSINFO_EHDR	33

int (*hosted_vdso_clock_gettime)(int clock, struct k_timespec *ts);
u64 hosted_vdso_lo, hosted_vdso_hi;	/* its mapping (seccomp allows its calls) */
/* The same vector's AT_HWCAP2: bit 1 says the kernel lets user code write
 * the FS base with wrfsbase (plat.c). */
u64 hosted_hwcap2;

void hosted_vdso_init(long *sp);

void
hosted_vdso_init(long *sp)
{
	long argc = sp[0];
	long *p = sp + 1 + argc + 1;	/* past argv and its NULL */
	const u8 *image = NULL;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	u64 bias = 0;

	while (*p)			/* the environment */
		p++;
	for (p++; p[0] != AT_NULL; p += 2)
		if (p[0] == AT_SYSINFO_EHDR)
			image = (const u8 *)p[1];
		else if (p[0] == AT_HWCAP2)
			hosted_hwcap2 = (u64)p[1];
	if (!image)
		return;
	eh = (const Elf64_Ehdr *)image;
	if (memcmp(eh->e_ident, "\177ELF", 4) || !eh->e_shoff)
		return;
	/* Symbol values are link-time addresses; the first PT_LOAD says where
	 * the image was linked. */
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(image + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD) {
			bias = (u64)image - ph->p_vaddr;
			hosted_vdso_lo = (u64)image;
			hosted_vdso_hi = bias + ph->p_vaddr + ph->p_memsz;
			break;
		}
	}
	sh = (const Elf64_Shdr *)(image + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		const Elf64_Sym *sym;
		const char *names;

		if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
			continue;
		sym = (const Elf64_Sym *)(image + sh[i].sh_offset);
		names = (const char *)(image + sh[sh[i].sh_link].sh_offset);
		for (u64 k = 0; k < sh[i].sh_size / sizeof(*sym); k++)
			if (ELF64_ST_TYPE(sym[k].st_info) == STT_FUNC && sym[k].st_value &&
			    !strcmp(names + sym[k].st_name, "__vdso_clock_gettime"))
				hosted_vdso_clock_gettime = (void *)(bias + sym[k].st_value);
	}
}
