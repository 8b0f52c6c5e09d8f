/* x86-64 relocations for ET_REL objects: one case per type, each one fact
 * from the psABI.  S symbol, A addend, P place, Z symbol size, G address of
 * the symbol's GOT slot, GOT the GOT base, L the PLT stub (or S when the
 * target is in reach: blobs are placed near the core). */
#include <core/string.h>
#include <loader/introspect.h>
#include "internal.h"

static int
out_of_range(struct reloc_site *s, u32 type, u64 v, const char *what)
{
	char tn[32];

	snprintf(s->err, s->errsz, "blob: %s: %s+%#llx: %s against `%s': value %#llx %s",
		 s->o->name, elf_section_name(&s->o->elf, s->sec), (unsigned long long)s->off,
		 elf_reloc_name(type, tn, sizeof(tn)), s->sym, (unsigned long long)v, what);
	return -1;
}

static int
put64(struct reloc_site *s, u64 v)
{
	memcpy(s->where, &v, 8);
	return 0;
}

static int
put32s(struct reloc_site *s, u32 type, u64 v)
{
	s32 w = (s32)v;

	if ((s64)w != (s64)v)
		return out_of_range(s, type, v, "out of ±2 GiB range");
	memcpy(s->where, &w, 4);
	return 0;
}

static int
put32u(struct reloc_site *s, u32 type, u64 v)
{
	u32 w = (u32)v;

	if (w != v)
		return out_of_range(s, type, v, "does not fit in 32 bits (object built without -fPIC and loaded above 4 GiB?)");
	memcpy(s->where, &w, 4);
	return 0;
}

static int
refuse(struct reloc_site *s, u32 type, const char *why)
{
	char tn[32];

	snprintf(s->err, s->errsz, "blob: %s: %s+%#llx: %s against `%s': %s", s->o->name,
		 elf_section_name(&s->o->elf, s->sec), (unsigned long long)s->off,
		 elf_reloc_name(type, tn, sizeof(tn)), s->sym, why);
	return -1;
}

bool
reloc_needs_got(u32 type)
{
	switch (type) {
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
	case R_X86_64_GOT64:
	case R_X86_64_GOTPCREL64:
	case R_X86_64_GOTPLT64:
	case R_X86_64_GOT32:
		return true;
	default:
		return false;
	}
}

bool
reloc_tls_supported(u32 type)
{
	switch (type) {
	case R_X86_64_TPOFF32: case R_X86_64_TPOFF64: case R_X86_64_GOTTPOFF:
	case R_X86_64_TLSGD: case R_X86_64_TLSLD: case R_X86_64_DTPOFF32:
	case R_X86_64_DTPOFF64: case R_X86_64_GOTPC32_TLSDESC: case R_X86_64_TLSDESC_CALL:
		return true;
	default:
		return false;	/* DTPMOD64, TLSDESC: dynamic-only */
	}
}

bool
reloc_wants_plt(u32 type)
{
	return type == R_X86_64_PLT32 || type == R_X86_64_PLTOFF64;
}

bool
reloc_is_tls(u32 type)
{
	switch (type) {
	case R_X86_64_DTPMOD64: case R_X86_64_DTPOFF64: case R_X86_64_TPOFF64:
	case R_X86_64_TLSGD: case R_X86_64_TLSLD: case R_X86_64_DTPOFF32:
	case R_X86_64_GOTTPOFF: case R_X86_64_TPOFF32: case R_X86_64_GOTPC32_TLSDESC:
	case R_X86_64_TLSDESC_CALL: case R_X86_64_TLSDESC:
		return true;
	default:
		return false;
	}
}

int
reloc_apply(struct reloc_site *s, u32 type)
{
	u64 S = s->S, P = s->P, GOT = s->GOT;
	s64 A = s->A;

	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_64:
		return put64(s, S + A);
	case R_X86_64_PC32:
		return put32s(s, type, S + A - P);
	case R_X86_64_PLT32:		/* direct when in reach, else the stub */
		return put32s(s, type, s->L + A - P);
	case R_X86_64_32:
		return put32u(s, type, S + A);
	case R_X86_64_32S:
		return put32s(s, type, S + A);
	case R_X86_64_PC64:
		return put64(s, S + A - P);
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:	/* not relaxed: the slot always exists */
	case R_X86_64_REX_GOTPCRELX:
		return put32s(s, type, s->G + A - P);
	case R_X86_64_GOTPCREL64:
		return put64(s, s->G + A - P);
	case R_X86_64_GOTPC32:
		return put32s(s, type, GOT + A - P);
	case R_X86_64_GOTPC64:
		return put64(s, GOT + A - P);
	case R_X86_64_GOTOFF64:
		return put64(s, S + A - GOT);
	case R_X86_64_GOT64:		/* large model: the slot's offset in the GOT */
	case R_X86_64_GOTPLT64:
		return put64(s, s->G - GOT + A);
	case R_X86_64_GOT32:
		return put32s(s, type, s->G - GOT + A);
	case R_X86_64_PLTOFF64:
		return put64(s, s->L - GOT + A);
	case R_X86_64_SIZE32:
		return put32u(s, type, s->Z + A);
	case R_X86_64_SIZE64:
		return put64(s, s->Z + A);
	/* TLS: S is the symbol's offset from the thread pointer (every blob's
	 * TLS is in the static area below the TCB); G the GOT slot (GOTTPOFF)
	 * or pair (TLSGD, TLSLD: module base = the thread pointer). */
	case R_X86_64_TPOFF32:
		return put32s(s, type, S + A);
	case R_X86_64_TPOFF64:
		return put64(s, S + A);
	case R_X86_64_GOTTPOFF:
	case R_X86_64_TLSGD:
	case R_X86_64_TLSLD:
	case R_X86_64_GOTPC32_TLSDESC:	/* G: the descriptor pair */
		return put32s(s, type, s->G + A - P);
	case R_X86_64_TLSDESC_CALL:	/* marks the call; nothing to patch */
		return 0;
	case R_X86_64_DTPOFF32:
		return put32s(s, type, S + A);
	case R_X86_64_DTPOFF64:
		return put64(s, S + A);
	case R_X86_64_COPY:
	case R_X86_64_GLOB_DAT:
	case R_X86_64_JUMP_SLOT:
	case R_X86_64_RELATIVE:
	case R_X86_64_IRELATIVE:
		return refuse(s, type, "dynamic relocation in a relocatable object");
	default:
		return refuse(s, type, "relocation type not supported");
	}
}

/* Asked of reloc_apply itself rather than of a second list: each type is
 * applied once to a scratch site where every value is in range, so the only
 * failures left are the types the loader refuses. */
bool
reloc_supported(u32 type)
{
	static signed char known[256];
	struct blob_obj o;
	struct reloc_site s;
	u8 where[16];
	char err[256];
	bool ok;

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
	ok = reloc_apply(&s, type) == 0;
	if (type < 256)
		known[type] = ok ? 1 : -1;
	return ok;
}

/* Shared objects: what loader/dyn.c binds (at load time, no lazy PLT). */
bool
dyn_reloc_supported(u32 type)
{
	switch (type) {
	case R_X86_64_NONE:
	case R_X86_64_RELATIVE:
	case R_X86_64_64:
	case R_X86_64_GLOB_DAT:
	case R_X86_64_JUMP_SLOT:
	case R_X86_64_IRELATIVE:	/* the resolver runs at load (loader/ifunc.c) */
		return true;
	default:
		return false;
	}
}
