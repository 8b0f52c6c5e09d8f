/* What the loader supports, asked of the loader's own code rather than of a
 * second list: each relocation type is applied once by loader/reloc_x86_64.c's
 * reloc_apply() to a scratch site where every value is in range, so the only
 * failures left are the types the loader refuses. */
#include <string.h>

#include "../../loader/internal.h"

#include "input.h"

bool
bs_reloc_supported(uint32_t type)
{
	static signed char known[256];
	struct blob_obj o;
	struct reloc_site s;
	u8 where[16];
	char err[256];

	if (type < 256 && known[type])
		return known[type] > 0;
	memset(&o, 0, sizeof(o));
	o.name = "probe";
	memset(&s, 0, sizeof(s));
	s.o = &o;
	s.where = where;
	s.P = s.S = s.GOT = s.L = 0x1000;
	s.G = 0x1008;
	s.Z = 8;
	s.has_got = s.has_plt = true;
	s.sym = "probe";
	s.err = err;
	s.errsz = sizeof(err);
	bool ok = reloc_apply(&s, type) == 0;
	if (type < 256)
		known[type] = ok ? 1 : -1;
	return ok;
}

/* Shared objects: loader/dyn.c's dyn_relocate() applies these and refuses
 * every other type.  (It has no predicate to ask; see the report.) */
bool
bs_dyn_reloc_supported(uint32_t type)
{
	return type == R_X86_64_NONE || type == R_X86_64_RELATIVE || type == R_X86_64_64 ||
	       type == R_X86_64_GLOB_DAT || type == R_X86_64_JUMP_SLOT;
}

const char *
bs_reloc_name(uint32_t type)
{
	static char buf[4][32];
	static int k;

	k = (k + 1) % 4;
	return elf_reloc_name(type, buf[k], sizeof(buf[k]));
}

/* loader/dyn.c skips STT_GNU_IFUNC definitions and loader/rel.c binds them
 * like functions, i.e. to the resolver: neither runs resolvers. */
bool
bs_loader_runs_ifunc(void)
{
	return false;
}
