/* Shared objects (ET_DYN): map the PT_LOAD segments into pages of their
 * own, bind every relocation now (RELATIVE, 64, GLOB_DAT, JUMP_SLOT),
 * collect DT_INIT/DT_INIT_ARRAY and DT_FINI_ARRAY/DT_FINI.  The symbol
 * table is the section-header .dynsym the parser validated. */
#include <core/heap.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include <loader/introspect.h>
#include "internal.h"

#define SHT_GNU_VERSYM	0x6fffffff

static u64 lo_of(const struct blob_obj *o) { return (u64)o->map; }
static u64 hi_of(const struct blob_obj *o) { return lo_of(o) + o->map_pages * PAGE_SIZE; }

/* [vaddr, vaddr+len) inside the mapping? */
static bool
mapped(const struct blob_obj *o, u64 vaddr, u64 len)
{
	return vaddr >= lo_of(o) && vaddr <= hi_of(o) && len <= hi_of(o) - vaddr;
}

/* Reading the image: its staging view, until released (img_rd). */
static const void *
at(const struct blob_obj *o, u64 vaddr)
{
	return img_rd(&o->img, vaddr);
}

static const Elf64_Dyn *
dynamic(const struct blob_obj *o)
{
	return o->dynamic ? at(o, (u64)o->dynamic) : NULL;
}

static u64
dyn_val(const struct blob_obj *o, s64 tag, bool *present)
{
	for (const Elf64_Dyn *d = dynamic(o); d && d->d_tag != DT_NULL; d++)
		if (d->d_tag == tag) {
			if (present)
				*present = true;
			return d->d_val;
		}
	if (present)
		*present = false;
	return 0;
}

int
dyn_map(struct blob *b, struct blob_obj *o)
{
	const struct elf_file *f = &o->elf;
	u64 lo = ~0ULL, hi = 0;
	const Elf64_Phdr *dynph = NULL;

	if (!f->symtab) {
		blob_err("blob: %s: shared object without a .dynsym section", o->name);
		return -1;
	}
	for (unsigned i = 0; i < f->phnum; i++) {
		const Elf64_Phdr *p = &f->ph[i];

		if (p->p_type == PT_TLS && p->p_memsz) {
			blob_err("blob: %s: program header %u: thread-local storage is not supported in shared-object blobs (link the archive instead)",
				 o->name, i);
			return -1;
		}
		if (p->p_type == PT_DYNAMIC)
			dynph = p;
		if (p->p_type != PT_LOAD)
			continue;
		if ((p->p_vaddr & (PAGE_SIZE - 1)) != (p->p_offset & (PAGE_SIZE - 1))) {
			blob_err("blob: %s: program header %u: p_vaddr and p_offset disagree modulo the page size",
				 o->name, i);
			return -1;
		}
		lo = MIN(lo, ALIGN_DOWN(p->p_vaddr, PAGE_SIZE));
		hi = MAX(hi, ALIGN_UP(p->p_vaddr + p->p_memsz, PAGE_SIZE));
	}
	if (hi <= lo || hi - lo > (256ULL << 20)) {
		blob_err("blob: %s: no loadable segments of a sane size", o->name);
		return -1;
	}
	if (plat_image_alloc(&o->img, (hi - lo) / PAGE_SIZE)) {
		blob_err("blob: %s: no room for %#llx bytes", o->name, (unsigned long long)(hi - lo));
		return -1;
	}
	o->map = o->img.run;
	o->map_pages = o->img.pages;
	/* written through the staging view until dyn_protect seals it */
	memset(o->img.w, 0, o->map_pages * PAGE_SIZE);
	o->bias = (u64)o->map - lo;
	for (unsigned i = 0; i < f->phnum; i++) {
		const Elf64_Phdr *p = &f->ph[i];

		if (p->p_type == PT_LOAD)
			memcpy(img_at(&o->img, o->bias + p->p_vaddr), f->buf + p->p_offset,
			       p->p_filesz);
	}
	if (!dynph || !mapped(o, o->bias + dynph->p_vaddr, dynph->p_memsz) ||
	    (dynph->p_vaddr & 7) || dynph->p_memsz < sizeof(Elf64_Dyn)) {
		blob_err("blob: %s: no usable PT_DYNAMIC segment", o->name);
		return -1;
	}
	o->dynamic = (const Elf64_Dyn *)(o->bias + dynph->p_vaddr);
	{
		/* the dynamic array must end with DT_NULL inside its segment */
		size_t n = dynph->p_memsz / sizeof(Elf64_Dyn), k;

		for (k = 0; k < n && dynamic(o)[k].d_tag != DT_NULL; k++)
			;
		if (k == n) {
			blob_err("blob: %s: dynamic section not terminated by DT_NULL", o->name);
			return -1;
		}
	}
	if (dyn_val(o, DT_TEXTREL, NULL) || dyn_val(o, DT_REL, NULL)) {
		blob_err("blob: %s: text relocations or REL tables are not supported", o->name);
		return -1;
	}
	{
		bool have;
		u64 soname = dyn_val(o, DT_SONAME, &have);
		u64 strtab = dyn_val(o, DT_STRTAB, NULL), strsz = dyn_val(o, DT_STRSZ, NULL);

		/* a copy: the staging view goes at sealing */
		if (have && soname < strsz && mapped(o, o->bias + strtab, strsz) &&
		    ((const char *)at(o, o->bias + strtab))[strsz - 1] == 0 &&
		    !(o->soname = heap_strdup((const char *)at(o, o->bias + strtab + soname)))) {
			blob_err("blob: %s: out of memory", o->name);
			return -1;
		}
	}
	return 0;
}

static const u16 *
versym(const struct blob_obj *o)
{
	const struct elf_file *f = &o->elf;

	for (unsigned i = 1; i < f->shnum; i++)
		if (f->sh[i].sh_type == SHT_GNU_VERSYM && f->sh[i].sh_size == f->nsym * 2 &&
		    !(f->sh[i].sh_offset & 1))
			return (const u16 *)(f->buf + f->sh[i].sh_offset);
	return NULL;
}

int
dyn_define(struct blob *b, struct blob_obj *o)
{
	const struct elf_file *f = &o->elf;
	const u16 *vs = versym(o);

	for (size_t i = 1; i < f->nsym; i++) {
		const Elf64_Sym *s = &f->sym[i];
		unsigned bind = ELF64_ST_BIND(s->st_info), type = ELF64_ST_TYPE(s->st_info);

		if (s->st_shndx == SHN_UNDEF || (bind != STB_GLOBAL && bind != STB_WEAK) ||
		    type == STT_TLS || type == STT_SECTION)
			continue;
		if (vs && (vs[i] & 0x8000))
			continue;	/* a hidden (non-default) version */
		if (ELF64_ST_VISIBILITY(s->st_other) != STV_DEFAULT)
			continue;
		/* A shared object's definitions yield to an object file's, as
		 * with ld: they are entered as weak. */
		if (ns_define(b, elf_sym_name(f, i),
			      s->st_shndx == SHN_ABS ? s->st_value : o->bias + s->st_value,
			      s->st_size, o, (u32)i, STB_WEAK, type, false, 0))
			return -1;
		if (type == STT_GNU_IFUNC)	/* resolved at load (loader/ifunc.c) */
			b->nifunc++;
	}
	return 0;
}

static bool
needed_from_core(const char *n)
{
	return str_starts_with(n, "libc.so.") || str_starts_with(n, "libpthread") ||
	       str_starts_with(n, "libm.so.") ||
	       str_starts_with(n, "libusb-0.1.so.") ||
	       str_starts_with(n, "libusb-1.0.so.") || str_starts_with(n, "ld-linux-x86-64.so.");
}

static bool
needed_loaded(const char *n)
{
	/* a domain's objects are ring-3 code nothing outside binds to */
	for (struct blob *b = blob_first(); b; b = blob_next(b))
		for (struct blob_obj *o = b->objs; o && !(b->flags & BLOB_DOMAIN); o = o->next) {
			const char *base = strrchr(o->name, '/');

			if ((o->soname && !strcmp(o->soname, n)) || !strcmp(base ? base + 1 : o->name, n))
				return true;
		}
	return false;
}

int
dyn_check_needed(struct blob *b, struct blob_obj *o)
{
	u64 strtab = dyn_val(o, DT_STRTAB, NULL), strsz = dyn_val(o, DT_STRSZ, NULL);
	int rc = 0;

	for (const Elf64_Dyn *d = dynamic(o); d->d_tag != DT_NULL; d++) {
		const char *n;

		if (d->d_tag != DT_NEEDED)
			continue;
		if (!strsz || d->d_val >= strsz || !mapped(o, o->bias + strtab, strsz) ||
		    ((const char *)at(o, o->bias + strtab))[strsz - 1]) {
			blob_err("blob: %s: DT_NEEDED name outside the dynamic string table", o->name);
			return -1;
		}
		n = (const char *)at(o, o->bias + strtab + d->d_val);
		if (needed_from_core(n))	/* a domain's runtime provides the same */
			continue;
		/* this blob's own files count too */
		for (struct blob_obj *x = b->objs; x; x = x->next)
			if (x->soname && !strcmp(x->soname, n))
				goto found;
		if (b->flags & BLOB_DOMAIN)
			blob_err("blob: %s: needs %s, which is not among the domain's files (a "
				 "domain imports only from its own files and the domain runtime: "
				 "load them together)", o->name, n);
		else if (needed_loaded(n))
			continue;
		else
			blob_err("blob: %s: needs %s, which is neither provided by the core nor "
				 "loaded (load it first)", o->name, n);
		rc = -1;
found:;
	}
	return rc;
}

static void
put64(struct blob_obj *o, u64 where, u64 v)
{
	memcpy(img_at(&o->img, where), &v, 8);
}

static int
reloc_table(struct blob *b, struct blob_obj *o, s64 tag_addr, s64 tag_size, unsigned *nmissing)
{
	const struct elf_file *f = &o->elf;
	u64 addr = dyn_val(o, tag_addr, NULL), size = dyn_val(o, tag_size, NULL);
	const Elf64_Rela *r = at(o, o->bias + addr);
	char tn[32];
	int rc = 0;

	if (!size)
		return 0;
	if ((addr & 7) || size % sizeof(Elf64_Rela) || !mapped(o, o->bias + addr, size)) {
		blob_err("blob: %s: relocation table outside the mapped image", o->name);
		return -1;
	}
	if (tag_addr == DT_JMPREL && dyn_val(o, DT_PLTREL, NULL) != DT_RELA) {
		blob_err("blob: %s: DT_PLTREL is not DT_RELA", o->name);
		return -1;
	}
	for (size_t k = 0; k < size / sizeof(Elf64_Rela); k++) {
		u32 type = ELF64_R_TYPE(r[k].r_info), si = ELF64_R_SYM(r[k].r_info);
		u64 where = o->bias + r[k].r_offset, S = 0, size_unused;
		const char *name = elf_sym_name(f, si);
		bool ifn = false;

		if (!mapped(o, where, 8)) {
			blob_err("blob: %s: relocation %zu at %#llx outside the mapped image", o->name, k,
				 (unsigned long long)r[k].r_offset);
			return -1;
		}
		if (si >= f->nsym) {
			blob_err("blob: %s: relocation %zu: symbol index %u beyond .dynsym", o->name, k, si);
			return -1;
		}
		if (si && type != R_X86_64_RELATIVE) {
			const Elf64_Sym *s = &f->sym[si];
			struct nsym *d = ns_find(b, name);
			int cls;

			/* an IFUNC of this blob's shared objects: d->addr (or the
			 * symbol's own value) is its resolver, run after relocation */
			ifn = d ? d->type == STT_GNU_IFUNC && d->obj && d->obj->dyn :
				  s->st_shndx != SHN_UNDEF && ELF64_ST_TYPE(s->st_info) == STT_GNU_IFUNC;
			if (d) {
				S = d->addr;
				if (d->obj != o)
					b->imports_blob++;
			} else if (s->st_shndx != SHN_UNDEF) {
				S = o->bias + s->st_value;
			} else if (ns_resolve_outside(b, name, &S, &size_unused, &cls)) {
				if (cls < 0)
					b->imports_blob++;
				else
					b->imports[cls]++;
			} else if (ELF64_ST_BIND(s->st_info) == STB_WEAK) {
				S = 0;
				b->imports_weak++;
			} else {
				blob_err("blob: %s: undefined symbol `%s' (%s at %#llx)", o->name, name,
					 elf_reloc_name(type, tn, sizeof(tn)),
					 (unsigned long long)r[k].r_offset);
				(*nmissing)++;
				b->imports_missing++;
				if (!(b->flags & BLOB_ALLOW_MISSING)) {
					rc = -1;
					continue;
				}
				S = blob_missing_trap_addr(b, name);
			}
		}
		if (!dyn_reloc_supported(type)) {
			blob_err("blob: %s: %s against `%s' at %#llx: not supported in shared objects%s",
				 o->name, elf_reloc_name(type, tn, sizeof(tn)), name,
				 (unsigned long long)r[k].r_offset,
				 reloc_is_tls(type) ? " (thread-local storage)" : "");
			rc = -1;
			continue;
		}
		if (type == R_X86_64_IRELATIVE || (ifn && type != R_X86_64_NONE)) {
			if (blob_ifunc_defer(b, where, type == R_X86_64_IRELATIVE ?
					     o->bias + r[k].r_addend : S,
					     type == R_X86_64_64 ? r[k].r_addend : 0,
					     si ? name : "IRELATIVE"))
				return -1;
			continue;
		}
		switch (type) {
		case R_X86_64_NONE:
			break;
		case R_X86_64_RELATIVE:
			put64(o, where, o->bias + r[k].r_addend);
			break;
		case R_X86_64_64:
			put64(o, where, S + r[k].r_addend);
			break;
		case R_X86_64_GLOB_DAT:
		case R_X86_64_JUMP_SLOT:	/* bound now: no lazy resolver */
			put64(o, where, S);
			break;
		}
	}
	return rc;
}

/* Which imports nothing provides (before any trap address is handed out). */
int
dyn_reserve_traps(struct blob *b, struct blob_obj *o)
{
	static const s64 tags[2][2] = { { DT_RELA, DT_RELASZ }, { DT_JMPREL, DT_PLTRELSZ } };
	const struct elf_file *f = &o->elf;

	for (int t = 0; t < 2; t++) {
		u64 addr = dyn_val(o, tags[t][0], NULL), size = dyn_val(o, tags[t][1], NULL);
		const Elf64_Rela *r = at(o, o->bias + addr);

		if (!size || (addr & 7) || !mapped(o, o->bias + addr, size))
			continue;
		for (size_t k = 0; k < size / sizeof(Elf64_Rela); k++) {
			u32 si = ELF64_R_SYM(r[k].r_info);
			const char *name = elf_sym_name(f, si);
			u64 a, sz;
			int cls;

			if (!si || si >= f->nsym || f->sym[si].st_shndx != SHN_UNDEF ||
			    ELF64_ST_BIND(f->sym[si].st_info) == STB_WEAK || ns_find(b, name) ||
			    ns_resolve_outside(b, name, &a, &sz, &cls))
				continue;
			if (blob_missing_trap_reserve(b, name))
				return -1;
		}
	}
	return 0;
}

/* The image's runs of pages with one protection: what a protection domain
 * makes user pages of (blob_regions). */
static int
record_runs(struct blob_obj *o, const u8 *prot)
{
	unsigned n = 0;

	for (size_t i = 0; i < o->map_pages; i++)
		n += !i || prot[i] != prot[i - 1];
	if (!(o->runs = heap_zalloc(n * sizeof(*o->runs)))) {
		blob_err("blob: %s: out of memory", o->name);
		return -1;
	}
	for (size_t i = 0; i < o->map_pages; i++) {
		if (!i || prot[i] != prot[i - 1])
			o->runs[o->nruns++] = (struct region){ (u64)o->map + i * PAGE_SIZE, 0,
							       prot[i] };
		o->runs[o->nruns - 1].len += PAGE_SIZE;
	}
	return 0;
}

/* Segment protections, then RELRO read-only, page by page (later entries
 * win where segments share a page), and the image sealed with them in one
 * step: the platform applies each run of pages with one protection at
 * once.  IFUNC answers reach RELRO afterwards through plat_image_write. */
static int
dyn_protect(struct blob *b, struct blob_obj *o)
{
	const struct elf_file *f = &o->elf;
	u8 *prot = heap_alloc(o->map_pages);
	u64 lo = (u64)o->map;
	int rc;

	if (!prot) {
		blob_err("blob: %s: out of memory", o->name);
		return -1;
	}
	memset(prot, PROT_R | PROT_W, o->map_pages);
	for (int relro = 0; relro < 2; relro++) {
		for (unsigned i = 0; i < f->phnum; i++) {
			const Elf64_Phdr *p = &f->ph[i];
			u64 s = ALIGN_DOWN(o->bias + p->p_vaddr, PAGE_SIZE), e;
			int pr;

			if (p->p_type != (relro ? PT_GNU_RELRO : PT_LOAD))
				continue;
			if (relro) {
				e = ALIGN_DOWN(o->bias + p->p_vaddr + p->p_memsz, PAGE_SIZE);
				pr = PROT_R;
				if (e <= s || !mapped(o, s, e - s))
					continue;
			} else {
				e = ALIGN_UP(o->bias + p->p_vaddr + p->p_memsz, PAGE_SIZE);
				pr = (p->p_flags & PF_R ? PROT_R : 0) | (p->p_flags & PF_W ? PROT_W : 0) |
				     (p->p_flags & PF_X ? PROT_X : 0);
			}
			for (u64 a = s; a < e; a += PAGE_SIZE)
				prot[(a - lo) / PAGE_SIZE] = (u8)pr;
		}
	}
	rc = blob_image_seal(b, &o->img, prot, 0) || record_runs(o, prot);
	heap_free(prot);
	return rc ? -1 : 0;
}

int
dyn_relocate(struct blob *b, struct blob_obj *o, unsigned *nmissing)
{
	if (reloc_table(b, o, DT_RELA, DT_RELASZ, nmissing) |
	    reloc_table(b, o, DT_JMPREL, DT_PLTRELSZ, nmissing))
		return -1;
	if (*nmissing)
		blob_err("blob: %s: %u undefined symbol%s%s", o->name, *nmissing,
			 *nmissing == 1 ? "" : "s",
			 (b->flags & BLOB_ALLOW_MISSING) ? ", bound to traps (--allow-missing)" : "");
	return dyn_protect(b, o);
}

static int
push(u64 **list, size_t *n, size_t *cap, u64 fn)
{
	if (ARRAY_GROW(*list, *n, *cap))
		return -1;
	(*list)[(*n)++] = fn;
	return 0;
}

int
dyn_inits(struct blob *b, struct blob_obj *o, u64 **list, size_t *n, size_t *cap)
{
	int rc = 0;
	bool have;
	u64 init = dyn_val(o, DT_INIT, &have);
	u64 arr = dyn_val(o, DT_INIT_ARRAY, NULL), sz = dyn_val(o, DT_INIT_ARRAYSZ, NULL);
	u64 farr = dyn_val(o, DT_FINI_ARRAY, NULL), fsz = dyn_val(o, DT_FINI_ARRAYSZ, NULL);
	u64 fini = dyn_val(o, DT_FINI, NULL);

	if (have && mapped(o, o->bias + init, 1))
		rc |= push(list, n, cap, o->bias + init);
	if (sz && !(sz % 8) && mapped(o, o->bias + arr, sz))
		for (u64 k = 0; k < sz / 8; k++) {
			u64 fn;

			memcpy(&fn, (const u8 *)at(o, o->bias + arr) + 8 * k, 8);

			if (fn && fn != ~0ULL)
				rc |= push(list, n, cap, fn);
		}
	/* blob_unload runs the list backwards: DT_FINI last, the array from its end */
	if (fini && mapped(o, o->bias + fini, 1))
		rc |= blob_fini_push(b, o->bias + fini);
	if (fsz && !(fsz % 8) && mapped(o, o->bias + farr, fsz))
		for (u64 k = 0; k < fsz / 8; k++) {
			u64 fn;

			memcpy(&fn, (const u8 *)at(o, o->bias + farr) + 8 * k, 8);

			if (fn && fn != ~0ULL)
				rc |= blob_fini_push(b, fn);
		}
	if (rc)
		blob_err("blob: %s: out of memory for its constructor and destructor lists", o->name);
	return rc;
}
