/* Linking ET_REL objects into one image.  Count first, then emit: resolve
 * every undefined symbol, count the GOT slots and PLT stubs the relocations
 * need, lay every allocated section out in one block of pages (so that the
 * whole blob sits within +-2 GiB of the core), copy, relocate, protect. */
#include <core/heap.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include "internal.h"

static u8 *tls_tp(const struct blob *b);

enum { C_TEXT, C_RODATA, C_RELRO, C_DATA, C_BSS, NCLASSES, C_TLS = 0xfe, C_NONE = 0xff };
static const int class_prot[NCLASSES] = {
	PROT_R | PROT_X, PROT_R, PROT_R, PROT_R | PROT_W, PROT_R | PROT_W,
};


static bool
loaded_section(const struct blob_obj *o, unsigned i)
{
	return i && i < o->elf.shnum && o->secaddr[i];
}

static unsigned
section_class(const struct elf_file *f, unsigned i)
{
	const Elf64_Shdr *s = &f->sh[i];
	const char *name = elf_section_name(f, i);

	if (!(s->sh_flags & SHF_ALLOC) || s->sh_type == SHT_GROUP ||
	    s->sh_type == SHT_NULL)	/* SHT_NULL: no contents the parser checked */
		return C_NONE;
	if (s->sh_flags & SHF_TLS)	/* .tdata/.tbss: the static TLS area */
		return C_TLS;
	if (s->sh_flags & SHF_EXECINSTR)
		return C_TEXT;
	if (!(s->sh_flags & SHF_WRITE))
		return C_RODATA;
	if (s->sh_type == SHT_INIT_ARRAY || s->sh_type == SHT_FINI_ARRAY ||
	    s->sh_type == SHT_PREINIT_ARRAY || str_starts_with(name, ".data.rel.ro") ||
	    str_starts_with(name, ".ctors") || str_starts_with(name, ".dtors") ||
	    str_starts_with(name, ".init_array") || str_starts_with(name, ".fini_array"))
		return C_RELRO;
	return s->sh_type == SHT_NOBITS ? C_BSS : C_DATA;
}

static bool
is_global(const Elf64_Sym *s)
{
	unsigned b = ELF64_ST_BIND(s->st_info);

	return b == STB_GLOBAL || b == STB_WEAK || b == STB_GNU_UNIQUE;
}

/* Put the globals an object defines into the namespace (addresses come
 * after layout). */
int
rel_define(struct blob *b, struct blob_obj *o)
{
	const struct elf_file *f = &o->elf;
	int rc = 0;

	for (size_t i = 1; i < f->nsym; i++) {
		const Elf64_Sym *s = &f->sym[i];
		unsigned type = ELF64_ST_TYPE(s->st_info);
		bool common = s->st_shndx == SHN_COMMON;

		if (!is_global(s) || s->st_shndx == SHN_UNDEF || type == STT_SECTION ||
		    type == STT_FILE)
			continue;
		if (ns_define(b, elf_sym_name(f, i), s->st_shndx == SHN_ABS ? s->st_value : 0,
			      s->st_size, o, (u32)i,
			      ELF64_ST_BIND(s->st_info) == STB_WEAK ? STB_WEAK : STB_GLOBAL, type,
			      common, common ? s->st_value : 0))
			rc = -1;
	}
	return rc;
}

static int
alloc_arrays(struct blob_obj *o)
{
	size_t ns = o->elf.nsym ? o->elf.nsym : 1, nsec = o->elf.shnum;
	/* one block: 8-byte arrays first, then 4-byte, then bytes */
	size_t bytes = nsec * 16 + ns * 16 + ns * 12 + ns + nsec;
	u8 *p = heap_zalloc(bytes);

	if (!p) {
		blob_err("blob: %s: out of memory", o->name);
		return -1;
	}
	o->arrays = p;
	o->secaddr = (u64 *)p;
	o->tlsoff = (s64 *)(p + nsec * 8);
	o->symaddr = (u64 *)(p + nsec * 16);
	o->symsize = (u64 *)(p + nsec * 16 + ns * 8);
	o->got = (u32 *)(p + nsec * 16 + ns * 16);
	o->plt = (u32 *)(p + nsec * 16 + ns * 20);
	o->tlsgd = (u32 *)(p + nsec * 16 + ns * 24);
	o->sflags = p + nsec * 16 + ns * 28;
	o->secclass = p + nsec * 16 + ns * 29;
	return 0;
}

/* Pass 1: what each undefined symbol will resolve to (values for outside
 * symbols now; inside ones after layout). */
static void
resolve_undefined(struct blob *b, struct blob_obj *o)
{
	const struct elf_file *f = &o->elf;

	for (size_t i = 1; i < f->nsym; i++) {
		const Elf64_Sym *s = &f->sym[i];
		const char *name = elf_sym_name(f, i);
		u64 addr, size;
		int cls;

		if (s->st_shndx != SHN_UNDEF)
			continue;
		if (ns_find(b, name) || !strcmp(name, "_GLOBAL_OFFSET_TABLE_"))
			continue;
		if (ns_resolve_outside(b, name, &addr, &size, &cls)) {
			o->symaddr[i] = addr;
			o->symsize[i] = size;
			o->sflags[i] |= SF_EXTERNAL;
			if (cls < 0)
				b->imports_blob++;
			else
				b->imports[cls]++;
		} else if (ELF64_ST_BIND(s->st_info) == STB_WEAK) {
			o->symaddr[i] = 0;	/* weak undefined: 0, GOT slot 0 too */
			o->sflags[i] |= SF_EXTERNAL;
			b->imports_weak++;
		} else {
			o->sflags[i] |= SF_MISSING | SF_EXTERNAL;
		}
	}
}

/* Pass 2: count GOT slots, PLT stubs and missing-symbol traps; report every
 * undefined reference once per object, like ld. */
static int
count_tables(struct blob *b, struct blob_obj *o, unsigned *nmissing)
{
	const struct elf_file *f = &o->elf;
	int rc = 0;

	for (unsigned si = 1; si < f->shnum; si++) {
		const Elf64_Shdr *sh = &f->sh[si];
		const Elf64_Rela *r;
		size_t n;

		if (sh->sh_type != SHT_RELA || o->secclass[sh->sh_info] == C_NONE)
			continue;
		r = elf_rela(f, si, &n);
		for (size_t k = 0; k < n; k++) {
			u32 type = ELF64_R_TYPE(r[k].r_info), sym = ELF64_R_SYM(r[k].r_info);
			const char *name = elf_sym_name(f, sym);
			char tn[32];

			if (reloc_is_tls(type) && !reloc_tls_supported(type)) {
				blob_err("blob: %s: %s+%#llx: %s against `%s': this thread-local storage model is not supported in blobs",
					 o->name, elf_section_name(f, sh->sh_info),
					 (unsigned long long)r[k].r_offset,
					 elf_reloc_name(type, tn, sizeof(tn)), name);
				rc = -1;
				continue;
			}
			if ((o->sflags[sym] & (SF_MISSING | SF_REPORTED)) == SF_MISSING) {
				o->sflags[sym] |= SF_REPORTED;
				(*nmissing)++;
				blob_err("blob: %s: %s+%#llx: undefined reference to `%s'", o->name,
					 elf_section_name(f, sh->sh_info),
					 (unsigned long long)r[k].r_offset, name);
				if ((b->flags & BLOB_ALLOW_MISSING) && blob_missing_trap_reserve(b, name))
					rc = -1;
			}
			if ((type == R_X86_64_TLSGD || type == R_X86_64_GOTPC32_TLSDESC) &&
			    !(o->sflags[sym] & SF_TLSGD)) {
				/* one pair serves both: {module, offset} or {resolver, offset} */
				o->sflags[sym] |= SF_TLSGD;
				o->tlsgd[sym] = b->ngot;
				b->ngot += 2;
				if (type == R_X86_64_GOTPC32_TLSDESC)
					o->sflags[sym] |= SF_TLSDESC;
			}
			if (type == R_X86_64_TLSLD && b->tlsld_got < 0) {
				b->tlsld_got = (int)b->ngot;
				b->ngot += 2;
			}
			if (sym && (reloc_needs_got(type) || type == R_X86_64_GOTTPOFF) &&
			    !(o->sflags[sym] & SF_GOT)) {
				o->sflags[sym] |= SF_GOT;
				o->got[sym] = b->ngot++;
			}
			if (sym && reloc_wants_plt(type) && (o->sflags[sym] & SF_EXTERNAL) &&
			    !(o->sflags[sym] & (SF_PLT | SF_MISSING))) {
				o->sflags[sym] |= SF_PLT;
				o->plt[sym] = b->nplt++;
			}
		}
	}
	return rc;
}

/* IFUNC definitions in loaded code: a stub and a target slot each
 * (loader/ifunc.c). */
static void
count_ifuncs(struct blob *b, struct blob_obj *o)
{
	const struct elf_file *f = &o->elf;

	for (size_t i = 1; i < f->nsym; i++) {
		const Elf64_Sym *s = &f->sym[i];

		if (ELF64_ST_TYPE(s->st_info) != STT_GNU_IFUNC || s->st_shndx == SHN_UNDEF ||
		    s->st_shndx >= f->shnum || o->secclass[s->st_shndx] != C_TEXT)
			continue;
		o->sflags[i] |= SF_IFUNC;
		o->plt[i] = b->nplt++;
		o->tlsgd[i] = b->ngot++;
		b->nifunc++;
	}
}

struct layout {
	u64 size[NCLASSES];
	u64 base[NCLASSES];
	u64 got_off, plt_off;
	u64 tls_size, tls_align;
};

static u64
place(struct layout *l, unsigned cls, u64 size, u64 align)
{
	u64 off = ALIGN_UP(l->size[cls], align ? align : 1);

	l->size[cls] = off + size;
	return off;
}

static int
layout_sections(struct layout *l, struct blob_obj *o, struct blob *b)
{
	const struct elf_file *f = &o->elf;

	for (unsigned i = 1; i < f->shnum; i++) {
		unsigned c = section_class(f, i);

		o->secclass[i] = (u8)c;
		if (c == C_NONE)
			continue;
		if (c == C_TLS) {
			/* sizes and alignments from the file, bounded before any
			 * offset is computed from them */
			u64 al = f->sh[i].sh_addralign ? f->sh[i].sh_addralign : 1;
			u64 size = f->sh[i].sh_size, off;

			if (al > PAGE_SIZE || size > EXEC_TLS_BYTES) {
				blob_err("blob: %s: section %u (%s): TLS size %#llx, alignment %#llx: "
					 "the static TLS area holds %#x bytes, aligned to a page at most",
					 o->name, i, elf_section_name(f, i),
					 (unsigned long long)size, (unsigned long long)al,
					 EXEC_TLS_BYTES);
				return -1;
			}
			off = ALIGN_UP(l->tls_size, al);
			if (off + size > EXEC_TLS_BYTES) {
				blob_err("blob: %s: section %u (%s): static TLS area full (%#llx bytes "
					 "wanted, %#x available)", o->name, i, elf_section_name(f, i),
					 (unsigned long long)(off + size), EXEC_TLS_BYTES);
				return -1;
			}
			o->tlsoff[i] = (s64)off;
			l->tls_size = off + size;
			l->tls_align = MAX(l->tls_align, al);
			continue;
		}
		o->secaddr[i] = place(l, c, f->sh[i].sh_size, f->sh[i].sh_addralign);
		b->nsections++;
	}
	return 0;
}

/* COMMON symbols get .bss storage, once per name. */
static void
layout_commons(struct layout *l, struct blob *b)
{
	for (unsigned h = 0; h < b->nhash; h++)
		for (struct nsym *s = b->hash[h]; s; s = s->next)
			if (s->common)
				s->addr = place(l, C_BSS, s->size,
						(s->common_align & (s->common_align - 1)) ?
						16 : MIN(s->common_align, ELF_MAX_ALIGN));
}

static void
write_stubs(struct blob *b)
{
	if (b->tlsld_got >= 0) {	/* module base = the thread pointer */
		u64 pair[2] = { 1, 0 };

		memcpy(img_at(&b->img, b->got + 8 * (u64)b->tlsld_got), pair, 16);
	}
	for (struct blob_obj *o = b->objs; o; o = o->next) {
		if (o->dyn)
			continue;
		for (size_t i = 1; i < o->elf.nsym; i++) {
			if (o->sflags[i] & SF_IFUNC) {
				/* jmp *slot(%rip); the slot holds the resolver until it ran */
				u64 stub = b->plt + PLT_STUB * o->plt[i];
				u8 *p = img_at(&b->img, stub);
				u64 slot = b->got + 8 * (u64)o->tlsgd[i];
				const Elf64_Sym *y = &o->elf.sym[i];
				u64 resolver = o->secaddr[y->st_shndx] + y->st_value;
				s32 rel = (s32)(slot - (stub + 6));

				p[0] = 0xff;
				p[1] = 0x25;
				memcpy(p + 2, &rel, 4);
				memset(p + 6, 0xcc, PLT_STUB - 6);
				memcpy(img_at(&b->img, slot), &resolver, 8);
			}
			if (o->sflags[i] & SF_GOT)
				memcpy(img_at(&b->img, b->got + 8 * o->got[i]), &o->symaddr[i], 8);
			if (o->sflags[i] & SF_TLSGD) {	/* {module, offset from TP} */
				u64 pair[2] = { 1, o->symaddr[i] };

				if (o->sflags[i] & SF_TLSDESC)	/* {resolver, offset from TP} */
					pair[0] = (u64)blob_tlsdesc_static;

				memcpy(img_at(&b->img, b->got + 8 * o->tlsgd[i]), pair, 16);
			}
			if (o->sflags[i] & SF_PLT) {
				/* movabs $S, %r11; jmp *%r11 (r11 is free at a call) */
				u8 *p = img_at(&b->img, b->plt + PLT_STUB * o->plt[i]);

				p[0] = 0x49;
				p[1] = 0xbb;
				memcpy(p + 2, &o->symaddr[i], 8);
				p[10] = 0x41;
				p[11] = 0xff;
				p[12] = 0xe3;
				memset(p + 13, 0xcc, PLT_STUB - 13);
			}
		}
	}
}

static void
symbol_values(struct blob *b, struct blob_obj *o, bool undefined)
{
	const struct elf_file *f = &o->elf;

	for (size_t i = 1; i < f->nsym; i++) {
		const Elf64_Sym *s = &f->sym[i];
		const char *name = elf_sym_name(f, i);
		struct nsym *d;

		/* COMMON resolves like an undefined symbol: a strong definition
		 * elsewhere wins, and its address is known only in the second pass */
		if ((s->st_shndx == SHN_UNDEF || s->st_shndx == SHN_COMMON) != undefined)
			continue;
		if (s->st_shndx == SHN_ABS) {
			o->symaddr[i] = s->st_value;
		} else if (s->st_shndx == SHN_COMMON) {
			d = ns_find(b, name);
			o->symaddr[i] = d ? d->addr : 0;
			o->symsize[i] = s->st_size;
		} else if (s->st_shndx != SHN_UNDEF && o->secclass[s->st_shndx] == C_TLS) {
			/* TLS symbols' values are offsets from the thread pointer */
			o->symaddr[i] = (u64)o->tlsoff[s->st_shndx] +
				(ELF64_ST_TYPE(s->st_info) == STT_SECTION ? 0 : s->st_value);
			o->symsize[i] = s->st_size;
		} else if (o->sflags[i] & SF_IFUNC) {
			/* every reference reaches the stub (loader/ifunc.c) */
			o->symaddr[i] = b->plt + PLT_STUB * o->plt[i];
			o->symsize[i] = s->st_size;
		} else if (s->st_shndx != SHN_UNDEF) {
			o->symaddr[i] = o->secaddr[s->st_shndx] +
				(ELF64_ST_TYPE(s->st_info) == STT_SECTION ? 0 : s->st_value);
			o->symsize[i] = s->st_size;
		} else if (o->sflags[i] & SF_MISSING) {
			if (b->flags & BLOB_ALLOW_MISSING)
				o->symaddr[i] = blob_missing_trap_addr(b, name);
		} else if (!(o->sflags[i] & SF_EXTERNAL)) {
			d = ns_find(b, name);
			if (d) {
				o->symaddr[i] = d->addr;
				o->symsize[i] = d->size;
			} else {	/* _GLOBAL_OFFSET_TABLE_ */
				o->symaddr[i] = b->got;
			}
		}
	}
}

static int
relocate(struct blob *b, struct blob_obj *o)
{
	const struct elf_file *f = &o->elf;
	char err[ERRSZ];
	int rc = 0;

	for (unsigned si = 1; si < f->shnum; si++) {
		const Elf64_Shdr *sh = &f->sh[si];
		const Elf64_Rela *r;
		size_t n;

		u8 *base, *wbase;	/* where it runs, where the loader writes it */

		if (sh->sh_type != SHT_RELA)
			continue;
		if (o->secclass[sh->sh_info] == C_TLS) {	/* relocations in .tdata */
			base = tls_tp(b) + o->tlsoff[sh->sh_info];
			wbase = base;
		} else if (loaded_section(o, sh->sh_info)) {
			base = (u8 *)o->secaddr[sh->sh_info];
			wbase = img_at(&b->img, (u64)base);
		} else {
			continue;
		}
		if (f->sh[sh->sh_info].sh_type == SHT_NOBITS) {
			blob_err("blob: %s: section %u: relocations for a section without contents",
				 o->name, si);
			return -1;
		}
		r = elf_rela(f, si, &n);
		for (size_t k = 0; k < n; k++) {
			u32 sym = ELF64_R_SYM(r[k].r_info);
			struct reloc_site s;

			/* field by field: an initializer zeroes the whole struct
			 * first (rep stos, then stores over it), a tenth of the
			 * relocation loop */
			s.o = o;
			s.sec = sh->sh_info;
			s.off = r[k].r_offset;
			s.where = wbase + r[k].r_offset;
			s.P = (u64)base + r[k].r_offset;
			s.S = o->symaddr[sym];
			s.Z = o->symsize[sym];
			s.A = r[k].r_addend;
			s.GOT = b->got;
			s.has_got = s.has_plt = false;
			s.sym = elf_sym_name(f, sym);
			s.err = err;
			s.errsz = sizeof(err);
			s.G = (o->sflags[sym] & SF_GOT) ? b->got + 8 * o->got[sym] : 0;
			if (ELF64_R_TYPE(r[k].r_info) == R_X86_64_TLSGD ||
			    ELF64_R_TYPE(r[k].r_info) == R_X86_64_GOTPC32_TLSDESC)
				s.G = b->got + 8 * o->tlsgd[sym];
			if (ELF64_R_TYPE(r[k].r_info) == R_X86_64_TLSLD)
				s.G = b->got + 8 * (u64)b->tlsld_got;
			s.L = s.S;
			if (o->sflags[sym] & SF_PLT) {
				s64 d = (s64)(s.S + s.A - s.P);

				if (d != (s32)d || ELF64_R_TYPE(r[k].r_info) == R_X86_64_PLTOFF64)
					s.L = b->plt + PLT_STUB * o->plt[sym];
			}
			if (!sym)
				s.sym = "*ABS*";
			if (ELF64_ST_TYPE(f->sym[sym].st_info) == STT_SECTION)
				s.sym = elf_section_name(f, f->sym[sym].st_shndx);
			if (reloc_apply(&s, ELF64_R_TYPE(r[k].r_info))) {
				blob_err("%s", err);
				rc = -1;
			}
		}
	}
	return rc;
}

/* Every page's protection, and the image sealed with them in one step
 * (the platform applies a run of pages with one protection at once).
 * IFUNC answers reach the read-only GOT afterwards through
 * plat_image_write. */
static int
protect(struct blob *b, struct layout *l)
{
	u8 *prot = heap_alloc(b->image_pages);
	int rc;

	if (!prot) {
		blob_err("blob: %s: out of memory", b->name);
		return -1;
	}
	memset(prot, PROT_R | PROT_W, b->image_pages);
	for (unsigned c = 0; c < NCLASSES; c++) {
		u64 start = (u64)b->image + l->base[c];
		u64 len = ALIGN_UP(l->size[c], PAGE_SIZE);

		if (!len)
			continue;
		memset(prot + l->base[c] / PAGE_SIZE, class_prot[c], len / PAGE_SIZE);
		if (c == C_DATA && l->size[C_BSS])
			continue;	/* data and bss: one read-write region */
		if (c == C_BSS) {
			start = (u64)b->image + l->base[C_DATA];
			len = l->base[C_BSS] - l->base[C_DATA] + len;
		}
		if (b->nregions < ARRAY_SIZE(b->regions))
			b->regions[b->nregions++] = (struct region){ start, len, class_prot[c] };
	}
	rc = blob_image_seal(b, &b->img, prot, 0);
	heap_free(prot);
	return rc;
}

/* Where TP points while the loader fills a blob's TLS block. */
static u8 *
tls_tp(const struct blob *b)
{
	return b->tls_image ? b->tls_image - b->tls_base : exec_tls_base();
}

/* The blob's TLS block in the static area below the TCB: .tdata copied
 * (this is the one execution context's block), .tbss zeroed.  A domain's
 * block is its own, offsets from 0 down (its TCB is in the domain,
 * domain/domain.c), kept as an image the domain copies below each of its
 * TCBs. */
static int
tls_place(struct blob *b, struct layout *l)
{
	s64 base;
	u8 *tp;

	if (b->flags & BLOB_DOMAIN) {
		u64 align = l->tls_align ? l->tls_align : 1;

		base = -(s64)ALIGN_UP(l->tls_size, align);
		b->tls_mark = 0;
		if (!(b->tls_image = heap_zalloc((size_t)-base))) {
			blob_err("blob: %s: out of memory for the domain's TLS image", b->name);
			return -1;
		}
	} else {
		base = exec_tls_alloc(l->tls_size, l->tls_align, &b->tls_mark);
	}
	if (!base) {
		blob_err("blob: %s: static TLS area full (%#llx bytes wanted)", b->name,
			 (unsigned long long)l->tls_size);
		return -1;
	}
	b->tls_base = base;
	tp = tls_tp(b);
	for (struct blob_obj *o = b->objs; o; o = o->next) {
		if (o->dyn)
			continue;
		for (unsigned i = 1; i < o->elf.shnum; i++) {
			const Elf64_Shdr *sh = &o->elf.sh[i];

			if (o->secclass[i] != C_TLS)
				continue;
			o->tlsoff[i] += base;
			if (sh->sh_type == SHT_NOBITS)
				memset(tp + o->tlsoff[i], 0, sh->sh_size);
			else
				memcpy(tp + o->tlsoff[i], o->elf.buf + sh->sh_offset, sh->sh_size);
		}
	}
	return 0;
}

int
rel_link(struct blob *b)
{
	struct layout l = { 0 };
	unsigned nmissing = 0;
	u64 total = 0;
	int rc = 0;

	for (struct blob_obj *o = b->objs; o; o = o->next)
		if (!o->dyn && alloc_arrays(o))
			return -1;
	for (struct blob_obj *o = b->objs; o; o = o->next)
		if (!o->dyn && layout_sections(&l, o, b))
			return -1;
	for (struct blob_obj *o = b->objs; o; o = o->next)
		if (!o->dyn)
			resolve_undefined(b, o);
	for (struct blob_obj *o = b->objs; o; o = o->next) {
		if (!o->dyn && count_tables(b, o, &nmissing))
			rc = -1;
		if (!o->dyn)
			count_ifuncs(b, o);
	}
	if (nmissing) {
		blob_err("blob: %s: %u undefined symbol%s%s", b->name, nmissing,
			 nmissing == 1 ? "" : "s",
			 (b->flags & BLOB_DOMAIN) ? "; load failed (a domain imports only from its own "
			 "files and the domain runtime, docs/domains.md); --in-vmm loads it in ring 0" :
			 (b->flags & BLOB_ALLOW_MISSING) ? ", bound to traps (--allow-missing)" :
			 "; load failed (blob load --allow-missing binds them to traps)");
		b->imports_missing += nmissing;
		if (!(b->flags & BLOB_ALLOW_MISSING))
			rc = -1;
	}
	if (rc)
		return -1;
	layout_commons(&l, b);
	if (l.tls_size && tls_place(b, &l))
		return -1;
	l.plt_off = place(&l, C_TEXT, (u64)b->nplt * PLT_STUB, 16);
	l.got_off = place(&l, C_RELRO, (u64)b->ngot * 8, 8);
	for (unsigned c = 0; c < NCLASSES; c++) {
		l.base[c] = total;
		total += ALIGN_UP(l.size[c], PAGE_SIZE);
	}
	if (!total)
		total = PAGE_SIZE;
	b->image_pages = total / PAGE_SIZE;
	if (plat_image_alloc(&b->img, b->image_pages)) {
		blob_err("blob: %s: no room for a %#llx-byte image", b->name, (unsigned long long)total);
		return -1;
	}
	/* the loader writes through img_at() until protect() seals it */
	b->image = b->img.run;
	b->got = (u64)b->image + l.base[C_RELRO] + l.got_off;
	b->plt = (u64)b->image + l.base[C_TEXT] + l.plt_off;
	if (blob_traps_alloc(b))
		return -1;
	for (unsigned h = 0; h < b->nhash; h++)
		for (struct nsym *s = b->hash[h]; s; s = s->next)
			if (s->common)
				s->addr += (u64)b->image + l.base[C_BSS];
	/* Copy sections in layout order; zero only the gaps, .bss and the
	 * tails (pages from the allocator are not zeroed, and a blob image is
	 * mostly copied bytes). */
	{
		u64 zeroed[NCLASSES] = { 0 };

		for (struct blob_obj *o = b->objs; o; o = o->next) {
			if (o->dyn)
				continue;
			for (unsigned i = 1; i < o->elf.shnum; i++) {
				const Elf64_Shdr *sh = &o->elf.sh[i];
				unsigned c = o->secclass[i];
				u8 *dst;

				if (c == C_NONE || c == C_TLS) {
					o->secaddr[i] = 0;
					continue;
				}
				dst = img_at(&b->img, (u64)b->image + l.base[c]);
				memset(dst + zeroed[c], 0, o->secaddr[i] - zeroed[c]);
				if (sh->sh_type != SHT_NOBITS)
					memcpy(dst + o->secaddr[i], o->elf.buf + sh->sh_offset, sh->sh_size);
				else
					memset(dst + o->secaddr[i], 0, sh->sh_size);
				zeroed[c] = o->secaddr[i] + sh->sh_size;
				o->secaddr[i] += (u64)b->image + l.base[c];
			}
			symbol_values(b, o, false);
		}
		for (unsigned c = 0; c < NCLASSES; c++)
			memset((u8 *)img_at(&b->img, (u64)b->image + l.base[c]) + zeroed[c], 0,
			       ALIGN_UP(l.size[c], PAGE_SIZE) - zeroed[c]);
	}
	/* Definitions now have addresses: publish them, then resolve references. */
	for (unsigned h = 0; h < b->nhash; h++)
		for (struct nsym *s = b->hash[h]; s; s = s->next)
			if (!s->common && !s->obj->dyn &&
			    s->obj->elf.sym[s->symidx].st_shndx != SHN_ABS)
				s->addr = s->obj->symaddr[s->symidx];
	for (struct blob_obj *o = b->objs; o; o = o->next)
		if (!o->dyn)
			symbol_values(b, o, true);
	write_stubs(b);
	for (struct blob_obj *o = b->objs; o; o = o->next)
		if (!o->dyn && relocate(b, o))
			rc = -1;
	if (rc)
		return -1;
	if (b->tls_base && !b->tls_image)
		exec_tls_template_save(b->tls_base, b->tls_mark);
	if (protect(b, &l))
		return -1;
	return 0;
}

/* Init priority from a section name: ".init_array.00101" is 101,
 * ".ctors.65434" is 65535-65434 (ld's SORT_BY_INIT_PRIORITY), plain
 * sections come after every prioritised one. */
static u32
init_priority(const char *name, const char *prefix, bool ctors)
{
	const char *p = name + strlen(prefix);
	u32 v = 0;

	if (*p != '.')
		return 65536;
	for (p++; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (u32)(*p - '0');
	return ctors ? 65535 - MIN(v, 65535) : v;
}

struct init_ent {
	u32 prio;
	u32 seq;
	u64 fn;
};

static int
push_init(struct init_ent **v, size_t *n, size_t *cap, u32 prio, u64 fn)
{
	if (ARRAY_GROW(*v, *n, *cap))
		return -1;
	(*v)[*n] = (struct init_ent){ prio, (u32)*n, fn };
	(*n)++;
	return 0;
}

/* Constructors of every ET_REL object: .init_array and .ctors entries,
 * sorted by init priority (stable: load order, then entry order; .ctors
 * entries last to first), as ld lays them out.  Destructors (.fini_array,
 * .dtors) are recorded for unload, which runs them backwards. */
int
rel_collect_inits(struct blob *b, u64 **list, size_t *n, size_t *cap)
{
	struct init_ent *v = NULL;
	size_t nv = 0, capv = 0;
	int rc = 0;

	for (struct blob_obj *o = b->objs; o && !rc; o = o->next) {
		const struct elf_file *f = &o->elf;

		if (o->dyn)
			continue;
		for (unsigned i = 1; i < f->shnum && !rc; i++) {
			const char *name = elf_section_name(f, i);
			const u64 *e;
			size_t cnt = f->sh[i].sh_size / 8;
			bool ctors, init, dtors, fini;

			if (!loaded_section(o, i))
				continue;
			ctors = str_starts_with(name, ".ctors");
			init = !ctors && (f->sh[i].sh_type == SHT_INIT_ARRAY ||
					  str_starts_with(name, ".init_array"));
			dtors = str_starts_with(name, ".dtors");
			fini = !dtors && (f->sh[i].sh_type == SHT_FINI_ARRAY ||
					  str_starts_with(name, ".fini_array"));
			if (!(init || ctors || fini || dtors))
				continue;
			e = img_rd(&b->img, o->secaddr[i]);	/* the staging copy */
			for (size_t k = 0; k < cnt && !rc; k++) {
				u64 fn;

				/* sections may be less than 8-aligned in a damaged file */
				memcpy(&fn, (init || fini) ? &e[k] : &e[cnt - 1 - k], 8);

				if (!fn || fn == ~0ULL)
					continue;
				if (init || ctors)
					rc = push_init(&v, &nv, &capv,
						       init_priority(name, ctors ? ".ctors" : ".init_array",
								     ctors), fn);
				else if (fini || dtors)
					rc = blob_fini_push(b, fn);
			}
		}
	}
	/* insertion sort: stable, and constructor lists are short */
	for (size_t i = 1; i < nv && !rc; i++) {
		struct init_ent t = v[i];
		size_t j = i;

		for (; j > 0 && (v[j - 1].prio > t.prio ||
				 (v[j - 1].prio == t.prio && v[j - 1].seq > t.seq)); j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
	for (size_t i = 0; i < nv && !rc; i++) {
		if (ARRAY_GROW(*list, *n, *cap)) {
			rc = -1;
			break;
		}
		(*list)[(*n)++] = v[i].fn;
	}
	heap_free(v);
	return rc;
}
