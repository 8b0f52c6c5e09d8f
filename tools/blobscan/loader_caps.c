/* What the loader supports beyond relocation types (those come from the
 * loader itself: reloc_supported()/dyn_reloc_supported() in
 * include/loader/introspect.h). */
#include <loader/elf.h>

#include "input.h"

const char *
bs_reloc_name(uint32_t type)
{
	static char buf[4][32];
	static int k;

	k = (k + 1) % 4;
	return elf_reloc_name(type, buf[k], sizeof(buf[k]));
}

/* loader/ifunc.c runs IFUNC resolvers at load (ET_REL stubs and slots,
 * ET_DYN IRELATIVE and symbol words), as glibc's ld.so does. */
bool
bs_loader_runs_ifunc(void)
{
	return true;
}
