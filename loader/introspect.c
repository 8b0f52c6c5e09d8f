/* The loader's data model seen from outside (include/loader/introspect.h):
 * every answer is computed from struct blob here, so the debugger and gdb's
 * JIT interface never learn how the loader lays a blob out. */
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include <loader/introspect.h>
#include "internal.h"

enum { SHF_W = 1, SHF_A = 2, SHF_X = 4 };

u64 exec_switch_call(u64 fn, const u64 *args, u64 stack_top);

/* Run-time address of section i of o, 0 if it was not placed. */
static u64
section_addr(const struct blob_obj *o, unsigned i)
{
	const Elf64_Shdr *sh = &o->elf.sh[i];

	if (o->dyn)
		return (sh->sh_flags & SHF_A) && sh->sh_addr ? o->bias + sh->sh_addr : 0;
	return o->secaddr[i];
}

static int
prot_of(u64 flags)
{
	return ((flags & SHF_A) ? PROT_R : 0) | ((flags & SHF_W) ? PROT_W : 0) |
	       ((flags & SHF_X) ? PROT_X : 0);
}

void
blob_sections_begin(struct blob_section_iter *it, const struct blob *b)
{
	*it = (struct blob_section_iter){ .b = b, .obj = b->objs, .obj_index = 0, .index = 0 };
}

static const struct blob_obj *
nth_obj(const struct blob *b, unsigned n)
{
	const struct blob_obj *o = b->objs;

	while (o && n--)
		o = o->next;
	return o;
}

void
blob_object_sections_begin(struct blob_section_iter *it, const struct blob *b, unsigned obj)
{
	*it = (struct blob_section_iter){ .b = b, .obj = nth_obj(b, obj), .obj_index = obj,
					  .one = true };
	if (b->flags & BLOB_STATIC)
		it->index = b->nregions;	/* no objects */
}

/* A static blob: its executable regions, as sections ".text". */
static bool
static_next(struct blob_section_iter *it, struct blob_section *s)
{
	const struct blob *b = it->b;

	while (it->index < b->nregions) {
		const struct region *r = &b->regions[it->index++];

		if (!(r->prot & PROT_X))
			continue;
		*s = (struct blob_section){ .obj = b->name, .name = ".text", .addr = r->start,
					    .size = r->len, .prot = r->prot, .type = SHT_PROGBITS,
					    .align = 16, .obj_index = 0, .index = it->index };
		return true;
	}
	return false;
}

bool
blob_sections_next(struct blob_section_iter *it, struct blob_section *s)
{
	if (it->b->flags & BLOB_STATIC)
		return static_next(it, s);
	while (it->obj) {
		const struct blob_obj *o = it->obj;
		const struct elf_file *f = &o->elf;

		while (++it->index < f->shnum) {
			u64 a = section_addr(o, it->index);
			const Elf64_Shdr *sh = &f->sh[it->index];

			if (!a)
				continue;
			*s = (struct blob_section){ .obj = o->name, .name = elf_section_name(f, it->index),
						    .addr = a, .size = sh->sh_size,
						    .prot = prot_of(sh->sh_flags), .type = sh->sh_type,
						    .align = sh->sh_addralign, .obj_index = it->obj_index,
						    .index = it->index, .shared = o->dyn };
			return true;
		}
		it->obj = it->one ? NULL : o->next;
		it->obj_index++;
		it->index = 0;
	}
	return false;
}

bool
blob_section_at(u64 addr, struct blob **bp, struct blob_section *s)
{
	struct blob_section_iter it;

	for (struct blob *b = blob_first(); b; b = blob_next(b))
		for (blob_sections_begin(&it, b); blob_sections_next(&it, s);)
			if (addr >= s->addr && addr < s->addr + s->size) {
				if (bp)
					*bp = b;
				return true;
			}
	return false;
}

const char *
blob_mapping_at(const struct blob *b, u64 a)
{
	if (b->flags & BLOB_STATIC) {
		for (unsigned r = 0; r < b->nregions; r++)
			if (a >= b->regions[r].start && a < b->regions[r].start + b->regions[r].len)
				return b->name;
		return NULL;
	}
	for (const struct blob_obj *o = b->objs; o; o = o->next) {
		if (o->dyn) {
			if (a >= (u64)o->map && a < (u64)o->map + o->map_pages * PAGE_SIZE)
				return o->name;
			continue;
		}
		for (unsigned i = 1; i < o->elf.shnum; i++)
			if (o->secaddr[i] && a >= o->secaddr[i] && a < o->secaddr[i] + o->elf.sh[i].sh_size)
				return o->name;
	}
	if (b->image && a >= (u64)b->image && a < (u64)b->image + b->image_pages * PAGE_SIZE)
		return b->name;		/* GOT, PLT, padding */
	return NULL;
}

void
blob_tables(const struct blob *b, struct blob_tables *t)
{
	*t = (struct blob_tables){ .got = b->got, .ngot = b->ngot, .plt = b->plt, .nplt = b->nplt,
				   .plt_stub = PLT_STUB };
}

const char *
blob_got_slot_symbol(const struct blob *b, unsigned slot)
{
	for (const struct blob_obj *o = b->objs; o; o = o->next) {
		if (o->dyn)
			continue;
		for (size_t i = 1; i < o->elf.nsym; i++)
			if ((o->sflags[i] & SF_GOT) && o->got[i] == slot)
				return elf_sym_name(&o->elf, i);
	}
	return NULL;
}

unsigned
blob_flags(const struct blob *b)
{
	return b->flags;
}

bool
blob_failed(const struct blob *b)
{
	return b->failed;
}

/* --- symbols ----------------------------------------------------------------- */

bool
blob_symbol_lookup(const struct blob *b, const char *name, struct blob_symbol *s)
{
	for (const struct blob *x = b ? b : blob_first(); x; x = b ? NULL : blob_next((struct blob *)x)) {
		const struct nsym *n = ns_find(x, name);

		if (!n)
			continue;
		*s = (struct blob_symbol){ .name = n->name, .obj = n->obj ? n->obj->name : "",
					   .addr = n->addr, .size = n->size, .type = n->type,
					   .global = true };
		return true;
	}
	return false;
}

static bool
symbol_of(const struct blob_obj *o, size_t i, struct blob_symbol *s)
{
	const Elf64_Sym *e = &o->elf.sym[i];
	unsigned t = ELF64_ST_TYPE(e->st_info);
	const char *name = elf_sym_name(&o->elf, i);

	if (e->st_shndx == SHN_UNDEF || e->st_shndx >= SHN_LORESERVE || !*name ||
	    (t != STT_FUNC && t != STT_OBJECT && t != STT_NOTYPE))
		return false;
	if (!o->dyn && !o->secaddr[e->st_shndx])
		return false;		/* in a section that was not placed */
	*s = (struct blob_symbol){ .name = name, .obj = o->name,
				   .addr = o->dyn ? o->bias + e->st_value : o->symaddr[i],
				   .size = e->st_size, .type = t,
				   .global = ELF64_ST_BIND(e->st_info) != STB_LOCAL };
	return true;
}

bool
blob_symbol_at(u64 addr, struct blob_symbol *best, u64 *off)
{
	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		const char *objname = b->flags & BLOB_STATIC ? NULL : blob_mapping_at(b, addr);

		if (!objname)
			continue;
		for (const struct blob_obj *o = b->objs; o; o = o->next) {
			struct blob_symbol s;
			bool found = false;

			if (o->name != objname)
				continue;
			*best = (struct blob_symbol){ .name = NULL, .obj = o->name };
			for (size_t i = 1; i < o->elf.nsym; i++)
				if (symbol_of(o, i, &s) && s.addr <= addr &&
				    (!found || s.addr >= best->addr)) {
					*best = s;
					found = true;
				}
			if (!found)
				best->addr = 0;
			*off = addr - best->addr;
			return true;
		}
	}
	return false;
}

void
blob_symbols_begin(struct blob_symbol_iter *it, const struct blob *b)
{
	*it = (struct blob_symbol_iter){ .b = b, .obj = b->objs, .index = 0 };
}

void
blob_object_symbols_begin(struct blob_symbol_iter *it, const struct blob *b, unsigned obj)
{
	*it = (struct blob_symbol_iter){ .b = b, .obj = nth_obj(b, obj), .index = 0, .one = true };
}

bool
blob_symbols_next(struct blob_symbol_iter *it, struct blob_symbol *s)
{
	while (it->obj) {
		const struct blob_obj *o = it->obj;

		while (++it->index < o->elf.nsym)
			if (symbol_of(o, it->index, s) && s->type != STT_NOTYPE)
				return true;
		it->obj = it->one ? NULL : o->next;
		it->index = 0;
	}
	return false;
}

int
blob_image_read(const struct blob *b, u64 addr, void *dst, size_t len)
{
	const struct plat_image *im = blob_image_of(b, addr, len);

	if (!im) {		/* a static blob's text: the core's own pages */
		memcpy(dst, (const void *)addr, len);
		return 0;
	}
	return plat_image_read(im, addr, dst, len) ? -1 : 0;
}

int
blob_image_write(u64 addr, const void *src, size_t len)
{
	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		struct plat_image *im = blob_image_of(b, addr, len);

		if (im)
			return plat_image_write(im, addr, src, len) ? -1 : 0;
	}
	return 1;
}

bool
blob_object_at(const struct blob *b, unsigned index, struct blob_object *out)
{
	const struct blob_obj *o = b->objs;

	for (unsigned i = 0; o && i < index; i++)
		o = o->next;
	if (!o)
		return false;
	*out = (struct blob_object){ .name = o->name, .buf = o->elf.buf, .len = o->elf.len,
				     .shared = o->dyn, .bias = o->bias };
	return true;
}

/* --- import bindings ------------------------------------------------------- */

/* rel32 calls and jumps against undefined symbols in code sections */
static void
rel32_sites(const struct blob_obj *o, void (*fn)(const struct blob_binding *, void *), void *arg)
{
	const struct elf_file *f = &o->elf;

	for (unsigned si = 1; si < f->shnum; si++) {
		const Elf64_Shdr *sh = &f->sh[si];
		const Elf64_Rela *r;
		size_t nr;

		if (sh->sh_type != SHT_RELA || sh->sh_info >= f->shnum || !o->secaddr[sh->sh_info] ||
		    !(f->sh[sh->sh_info].sh_flags & SHF_X))
			continue;
		r = elf_rela(f, si, &nr);
		for (size_t k = 0; k < nr; k++) {
			u32 sym = ELF64_R_SYM(r[k].r_info), type = ELF64_R_TYPE(r[k].r_info);
			u64 P = o->secaddr[sh->sh_info] + r[k].r_offset;
			s32 v;

			if ((type != R_X86_64_PLT32 && type != R_X86_64_PC32) || !sym ||
			    f->sym[sym].st_shndx != SHN_UNDEF)
				continue;
			memcpy(&v, (const void *)P, 4);
			fn(&(struct blob_binding){ .addr = P, .target = (u64)((s64)P + v - r[k].r_addend),
						   .width = 4, .addend = r[k].r_addend,
						   .prot = PROT_R | PROT_X }, arg);
		}
	}
}

static void
words(u64 start, u64 n, u64 stride, int prot, void (*fn)(const struct blob_binding *, void *),
      void *arg)
{
	for (u64 k = 0; k < n; k++) {
		u64 a = start + k * stride;

		fn(&(struct blob_binding){ .addr = a, .target = *(const u64 *)a, .width = 8,
					   .prot = prot }, arg);
	}
}

void
blob_bindings(const struct blob *b, void (*fn)(const struct blob_binding *bd, void *arg), void *arg)
{
	for (const struct blob_obj *o = b->objs; o; o = o->next) {
		const struct elf_file *f = &o->elf;

		if (!o->dyn) {
			rel32_sites(o, fn, arg);
			continue;
		}
		for (unsigned i = 1; i < f->shnum; i++) {
			const char *nm = elf_section_name(f, i);
			u64 a = section_addr(o, i);

			/* .got is RELRO (read-only after load), .got.plt stays writable */
			if (a && !strcmp(nm, ".got"))
				words(a, f->sh[i].sh_size / 8, 8, PROT_R, fn, arg);
			else if (a && !strcmp(nm, ".got.plt"))
				words(a, f->sh[i].sh_size / 8, 8, PROT_R | PROT_W, fn, arg);
		}
	}
	words(b->plt + 2, b->nplt, PLT_STUB, PROT_R | PROT_X, fn, arg);
	words(b->got, b->ngot, 8, PROT_R, fn, arg);
}

/* --- the execution context ---------------------------------------------------- */

u64
blob_tcb_address(void)
{
	return exec_tcb_address();
}

bool
blob_call_entry_at(u64 pc, u64 *off)
{
	u64 entry = (u64)exec_switch_call;

	if (pc < entry || pc >= entry + 64)
		return false;
	*off = pc - entry;
	return true;
}

unsigned
blob_regions(const struct blob *b, struct blob_region *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned r = 0; r < b->nregions && n < max; r++, n++)
		out[n] = (struct blob_region){ b->regions[r].start, b->regions[r].len,
					       b->regions[r].prot };
	for (const struct blob_obj *o = b->objs; o; o = o->next)
		for (unsigned r = 0; r < o->nruns && n < max; r++, n++)
			out[n] = (struct blob_region){ o->runs[r].start, o->runs[r].len,
						       o->runs[r].prot };
	return n;
}
