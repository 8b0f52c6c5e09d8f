/* Properties with their evidence: position independence from the
 * relocations, stack protector / CET / TLS / SSE / AVX from the code
 * (disassembled with Zydis), the rest from sections and symbols. */
#include <elf.h>
#include <string.h>

#include <Zydis/Zydis.h>

#include "blobscan.h"

static void
note(struct bs_count *c, size_t obj, const char *sec, uint64_t off)
{
	if (!c->n++) {
		c->at.obj = obj;
		c->at.sec = sec;
		c->at.off = off;
		c->at.set = true;
	}
}

static void
where(struct bs_where *w, size_t obj, const char *sec, uint64_t off)
{
	if (w->set)
		return;
	w->obj = obj;
	w->sec = sec;
	w->off = off;
	w->set = true;
}

static void
scan_insn(struct bs_props *p, size_t obj, const char *sec, uint64_t off,
	  const ZydisDecodedInstruction *in, const ZydisDecodedOperand *op)
{
	bool xmm = false, x87 = false;

	if (in->mnemonic == ZYDIS_MNEMONIC_ENDBR64)
		note(&p->endbr64, obj, sec, off);
	for (unsigned i = 0; i < in->operand_count; i++) {
		if (op[i].type == ZYDIS_OPERAND_TYPE_MEMORY && op[i].mem.segment == ZYDIS_REGISTER_FS) {
			if (op[i].mem.base == ZYDIS_REGISTER_NONE && op[i].mem.index == ZYDIS_REGISTER_NONE &&
			    op[i].mem.disp.value == 0x28)
				note(&p->fs28, obj, sec, off);
			else
				note(&p->fs_other, obj, sec, off);
		}
		if (op[i].type == ZYDIS_OPERAND_TYPE_REGISTER) {
			ZydisRegisterClass c = ZydisRegisterGetClass(op[i].reg.value);
			if (c == ZYDIS_REGCLASS_XMM || c == ZYDIS_REGCLASS_YMM || c == ZYDIS_REGCLASS_ZMM)
				xmm = true;
			if (c == ZYDIS_REGCLASS_X87)
				x87 = true;
		}
	}
	if (in->encoding == ZYDIS_INSTRUCTION_ENCODING_EVEX)
		note(&p->avx512, obj, sec, off);
	else if (in->encoding == ZYDIS_INSTRUCTION_ENCODING_VEX && xmm)
		note(&p->avx, obj, sec, off);
	else if (xmm)
		note(&p->sse, obj, sec, off);
	if (x87)
		note(&p->x87, obj, sec, off);
}

/* Linear sweep over each executable section; gcc puts no data in .text,
 * and a byte that does not decode is counted and skipped. */
static void
disassemble(struct bs_props *p, const struct bs_object *o, size_t obj)
{
	ZydisDecoder dec;
	ZydisDecodedInstruction in;
	ZydisDecodedOperand op[ZYDIS_MAX_OPERAND_COUNT];

	ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
	for (size_t i = 0; i < o->nsec; i++) {
		const struct bs_section *sc = &o->sec[i];
		uint64_t off = 0;

		if (!(sc->flags & SHF_EXECINSTR) || !sc->data)
			continue;
		while (off < sc->size) {
			if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, sc->data + off, sc->size - off,
								 &in, op))) {
				p->undecodable++;
				off++;
				continue;
			}
			scan_insn(p, obj, sc->name, off, &in, op);
			off += in.length;
		}
	}
}

/* .note.gnu.property: GNU_PROPERTY_X86_FEATURE_1_AND says IBT/SHSTK. */
static void
gnu_property(struct bs_props *p, const struct bs_section *sc)
{
	const uint8_t *d = sc->data;
	uint64_t off = 0, n = sc->size;
	bool ibt = false, shstk = false;

	while (d && n - off >= 12) {
		uint32_t namesz, descsz, type;

		memcpy(&namesz, d + off, 4);
		memcpy(&descsz, d + off + 4, 4);
		memcpy(&type, d + off + 8, 4);
		off += 12;
		/* 12-byte header + name padded to 4 ("GNU\0" ends 8-aligned);
		 * the descriptor is padded to the section's alignment (8). */
		uint64_t a = sc->align == 8 ? 8 : 4;
		uint64_t nalign = ((uint64_t)namesz + 3) & ~3ull;
		uint64_t dalign = ((uint64_t)descsz + a - 1) & ~(a - 1);
		if (nalign > n - off || dalign > n - off - nalign)
			break;
		if (type == NT_GNU_PROPERTY_TYPE_0 && namesz == 4 && !memcmp(d + off, "GNU", 4)) {
			const uint8_t *q = d + off + nalign;
			for (uint64_t k = 0; descsz - k >= 8 && k < descsz;) {
				uint32_t pt, psz;
				memcpy(&pt, q + k, 4);
				memcpy(&psz, q + k + 4, 4);
				k += 8;
				if (psz > descsz - k)
					break;
				if (pt == GNU_PROPERTY_X86_FEATURE_1_AND && psz >= 4) {
					uint32_t bits;
					memcpy(&bits, q + k, 4);
					ibt |= bits & GNU_PROPERTY_X86_FEATURE_1_IBT;
					shstk |= bits & GNU_PROPERTY_X86_FEATURE_1_SHSTK;
				}
				k += (psz + 7) & ~7u;
			}
		}
		off += nalign + dalign;
	}
	p->note_any++;
	p->note_ibt += ibt;
	p->note_shstk += shstk;
}

static bool
starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static void
sections(struct bs_props *p, const struct bs_object *o)
{
	for (size_t i = 1; i < o->nsec; i++) {
		const struct bs_section *sc = &o->sec[i];
		unsigned ent = sc->size / 8;

		if (sc->flags & SHF_TLS)
			p->tls_sections++;
		if (sc->type == SHT_INIT_ARRAY)
			p->init_array += ent;
		else if (sc->type == SHT_FINI_ARRAY)
			p->fini_array += ent;
		else if (sc->type == SHT_PREINIT_ARRAY)
			p->preinit_array += ent;
		else if (starts(sc->name, ".ctors"))
			p->ctors += ent;
		else if (starts(sc->name, ".dtors"))
			p->dtors += ent;
		else if (!strcmp(sc->name, ".init") && sc->size)
			p->init_frag++;
		else if (!strcmp(sc->name, ".fini") && sc->size)
			p->fini_frag++;
		else if (sc->type == SHT_NOTE && !strcmp(sc->name, ".note.gnu.property"))
			gnu_property(p, sc);
	}
}

static bool
got_family(uint32_t t)
{
	return t == R_X86_64_GOTPCREL || t == R_X86_64_GOTPCRELX || t == R_X86_64_REX_GOTPCRELX ||
	       t == R_X86_64_GOT32 || t == R_X86_64_GOT64 || t == R_X86_64_GOTPCREL64;
}

static bool
tls_reloc(uint32_t t)
{
	return (t >= R_X86_64_DTPMOD64 && t <= R_X86_64_TPOFF32) ||
	       (t >= R_X86_64_GOTPC32_TLSDESC && t <= R_X86_64_TLSDESC);
}

/* A known data object (export table or prototype table says so). */
static bool
imported_data(const struct bs_scan *s, const char *name)
{
	const struct bs_export *e = bs_exports_find(s->exports, name);
	const struct bs_proto *p = bs_proto_find(name);

	return e ? e->kind == KIND_OBJECT : p && !p->ret;
}

/* -fPIC reaches its own global symbols and imported data through the GOT
 * (both could be interposed or live in another module); -fPIE reaches them
 * directly (imported data by copy relocation: plain PC32); -fno-pic uses
 * absolute 32-bit addresses. */
static void
position(struct bs_scan *s, size_t i)
{
	const struct bs_object *o = s->obj[i];
	struct bs_props *p = &s->p;
	long pic = -1, abs = -1;

	if (o->e_type == ET_DYN) {
		p->obj_shared++;
		return;
	}
	for (size_t j = 0; j < o->nrel; j++) {
		const struct bs_reloc *r = &o->rel[j];
		const struct bs_symbol *y = &o->sym[r->sym];

		if (pic < 0 && got_family(r->type) && y->bind != STB_LOCAL &&
		    (y->shndx != SHN_UNDEF || imported_data(s, y->name)))
			pic = j;
		if (abs < 0 && (r->type == R_X86_64_32 || r->type == R_X86_64_32S))
			abs = j;
	}
	if (abs >= 0) {
		p->obj_nonpic++;
		if (!p->nonpic_at.set)
			p->nonpic_sym = o->sym[o->rel[abs].sym].name;
		where(&p->nonpic_at, i, o->sec[o->rel[abs].target].name, o->rel[abs].offset);
	} else if (pic >= 0) {
		p->obj_pic++;
		if (!p->pic_at.set)
			p->pic_sym = o->sym[o->rel[pic].sym].name;
		where(&p->pic_at, i, o->sec[o->rel[pic].target].name, o->rel[pic].offset);
	} else {
		p->obj_pie++;
	}
}

void
bs_props_scan(struct bs_scan *s)
{
	struct bs_props *p = &s->p;

	for (size_t i = 0; i < s->nobj; i++) {
		const struct bs_object *o = s->obj[i];

		if (!s->loaded[i])
			continue;
		position(s, i);
		sections(p, o);
		disassemble(p, o, i);
		for (size_t j = 1; j < o->nsym; j++) {
			const struct bs_symbol *y = &o->sym[j];

			if (y->type == STT_TLS)
				p->tls_syms++;
			if (y->type == STT_GNU_IFUNC && y->shndx != SHN_UNDEF) {
				if (!p->ifunc_syms++)
					p->ifunc_name = y->name;
				where(&p->ifunc_at, i, y->shndx < o->nsec ? o->sec[y->shndx].name : "", y->value);
			}
			if (y->shndx == SHN_COMMON && !p->common++)
				p->common_name = y->name;
			if (y->shndx == SHN_UNDEF && y->bind == STB_WEAK && y->name[0])
				p->weak_undef++;
			if (!strcmp(y->name, "__stack_chk_fail") && y->shndx == SHN_UNDEF)
				p->imports_stack_chk_fail = true;
		}
		for (size_t j = 0; j < o->nrel; j++) {
			if (tls_reloc(o->rel[j].type))
				p->tls_relocs++;
			if (o->rel[j].type == R_X86_64_IRELATIVE)
				p->irelative++;
		}
	}
	if (p->ifunc_syms && !bs_loader_runs_ifunc())
		bs_reason_add(s, "%s: %s: IFUNC symbol `%s': the loader does not run IFUNC resolvers",
			      bs_obj_name(s, p->ifunc_at.obj), p->ifunc_at.sec, p->ifunc_name);
}
