/* An ELF file describing one object of a loaded blob as it sits in memory,
 * for gdb (one file per object: gdb reads one .eh_frame per file): every
 * placed section at its run-time address (code and .eh_frame with their
 * bytes as relocated, the rest as NOBITS: gdb reads data from the target),
 * and the blob's own symbols at their run-time addresses.  Built only from
 * include/loader/introspect.h. */
#include <core/heap.h>
#include <core/platform.h>
#include <core/string.h>
#include <loader/elf.h>
#include <loader/introspect.h>
#include "gdb_elf.h"

struct builder {
	const struct blob *b;
	unsigned obj;			/* which object of b */
	unsigned nsec;			/* blob sections, ELF indices 1..nsec */
	u64 *addr, *size;		/* per ELF section index */
	u8 *out;			/* NULL in the sizing pass */
	size_t len;
	size_t shstr, str, sym;		/* running sizes of the tables */
	size_t symsz;			/* .symtab's size, from the sizing pass */
	size_t nsyms, nlocal;		/* counted by the sizing pass */
};

static bool
keeps_bytes(const struct blob_section *s)
{
	return s->type != SHT_NOBITS && ((s->prot & PROT_X) || !strcmp(s->name, ".eh_frame"));
}

static unsigned
section_of(const struct builder *w, u64 a)
{
	for (unsigned i = 1; w->addr && i <= w->nsec; i++)
		if (a >= w->addr[i] && (a < w->addr[i] + w->size[i] || (!w->size[i] && a == w->addr[i])))
			return i;
	return SHN_ABS;
}

static void
put(struct builder *w, size_t off, const void *p, size_t n)
{
	if (w->out)
		memcpy(w->out + off, p, n);
}

/* Symbol number idx into .symtab and its name into .strtab at the running
 * string offset. */
static void
emit_symbol(struct builder *w, size_t symoff, size_t stroff, size_t idx,
	    const struct blob_symbol *s, size_t n)
{
	Elf64_Sym e = {
		.st_name = (u32)w->str,
		.st_info = (u8)(((s->global ? STB_GLOBAL : STB_LOCAL) << 4) | (s->type & 0xf)),
		.st_shndx = (u16)section_of(w, s->addr),
		.st_value = s->addr,
		.st_size = s->size,
	};

	put(w, symoff + idx * sizeof(e), &e, sizeof(e));
	put(w, stroff + w->str, s->name, n);
	w->str += n;
}

/* Locals first (ELF's rule), then globals, in one walk over the symbols:
 * the sizing pass counts the locals, the writing pass puts each symbol at
 * its index.  Returns the first global's index. */
static u32
emit_symbols(struct builder *w, size_t symoff, size_t stroff)
{
	struct blob_symbol_iter it;
	struct blob_symbol s;
	size_t local = 1, global = 1 + w->nlocal;	/* entry 0 stays zero */

	w->str = 1;
	for (blob_object_symbols_begin(&it, w->b, w->obj); blob_symbols_next(&it, &s);) {
		size_t n = strlen(s.name) + 1;

		if (!w->out) {
			w->nlocal += !s.global;
			w->nsyms++;
			w->str += n;
			continue;
		}
		emit_symbol(w, symoff, stroff, s.global ? global++ : local++, &s, n);
	}
	w->sym = (1 + w->nsyms) * sizeof(Elf64_Sym);
	return (u32)(1 + w->nlocal);
}

/* Lay the file out: header, section bytes, .symtab, .strtab, .shstrtab,
 * section headers.  Called twice: sizing (w->out NULL), then writing. */
static void
build(struct builder *w)
{
	struct blob_section_iter it;
	struct blob_section s;
	Elf64_Shdr sh;
	size_t off = sizeof(Elf64_Ehdr), symoff, stroff, shstroff, shoff;
	unsigned i = 0, nsh;
	u32 first_global;
	static const char names[] = "\0.symtab\0.strtab\0.shstrtab";
	size_t shstr_base = sizeof(names);	/* blob section names follow */

	/* section contents */
	for (blob_object_sections_begin(&it, w->b, w->obj); blob_sections_next(&it, &s);) {
		i++;
		if (w->out) {
			w->addr[i] = s.addr;
			w->size[i] = s.size;
		}
		if (keeps_bytes(&s)) {
			off = ALIGN_UP(off, 16);
			/* through the loader: hosted, reading the run pages
			 * would fault in each one (~5 us a page) */
			if (w->out && blob_image_read(w->b, s.addr, w->out + off, s.size))
				memset(w->out + off, 0xcc, s.size);
			off += s.size;
		}
	}
	w->nsec = i;
	nsh = w->nsec + 4;
	off = ALIGN_UP(off, 8);
	symoff = off;
	if (!w->out) {
		emit_symbols(w, 0, 0);		/* sizes and the locals' count */
		w->symsz = w->sym;
	}
	stroff = symoff + w->symsz;
	first_global = w->out ? emit_symbols(w, symoff, stroff) : 0;
	shstroff = stroff + w->str;
	put(w, shstroff, names, sizeof(names));
	w->shstr = shstr_base;
	for (blob_object_sections_begin(&it, w->b, w->obj); blob_sections_next(&it, &s);) {
		put(w, shstroff + w->shstr, s.name, strlen(s.name) + 1);
		w->shstr += strlen(s.name) + 1;
	}
	shoff = ALIGN_UP(shstroff + w->shstr, 8);
	w->len = shoff + nsh * sizeof(Elf64_Shdr);
	if (!w->out)
		return;

	Elf64_Ehdr eh = {
		.e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		.e_shoff = shoff, .e_ehsize = sizeof(Elf64_Ehdr),
		.e_shentsize = sizeof(Elf64_Shdr), .e_shnum = (u16)nsh,
		.e_shstrndx = (u16)(nsh - 1),
	};
	put(w, 0, &eh, sizeof(eh));
	memset(&sh, 0, sizeof(sh));
	put(w, shoff, &sh, sizeof(sh));
	off = sizeof(Elf64_Ehdr);
	w->shstr = shstr_base;
	i = 0;
	for (blob_object_sections_begin(&it, w->b, w->obj); blob_sections_next(&it, &s);) {
		i++;
		sh = (Elf64_Shdr){
			.sh_name = (u32)w->shstr,
			.sh_type = keeps_bytes(&s) ? SHT_PROGBITS : SHT_NOBITS,
			.sh_flags = SHF_ALLOC | ((s.prot & PROT_W) ? SHF_WRITE : 0) |
				    ((s.prot & PROT_X) ? SHF_EXECINSTR : 0),
			.sh_addr = s.addr, .sh_size = s.size,
			.sh_addralign = s.align ? s.align : 1,
		};
		if (keeps_bytes(&s)) {
			off = ALIGN_UP(off, 16);
			sh.sh_offset = off;
			off += s.size;
		}
		w->shstr += strlen(s.name) + 1;
		put(w, shoff + i * sizeof(sh), &sh, sizeof(sh));
	}
	sh = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_SYMTAB, .sh_offset = symoff,
			   .sh_size = stroff - symoff, .sh_link = nsh - 2, .sh_info = first_global,
			   .sh_addralign = 8, .sh_entsize = sizeof(Elf64_Sym) };
	put(w, shoff + (nsh - 3) * sizeof(sh), &sh, sizeof(sh));
	sh = (Elf64_Shdr){ .sh_name = 9, .sh_type = SHT_STRTAB, .sh_offset = stroff,
			   .sh_size = shstroff - stroff, .sh_addralign = 1 };
	put(w, shoff + (nsh - 2) * sizeof(sh), &sh, sizeof(sh));
	sh = (Elf64_Shdr){ .sh_name = 17, .sh_type = SHT_STRTAB, .sh_offset = shstroff,
			   .sh_size = shoff - shstroff, .sh_addralign = 1 };
	put(w, shoff + (nsh - 1) * sizeof(sh), &sh, sizeof(sh));
}

void *
gdb_elf_build(const struct blob *b, unsigned obj, size_t *len)
{
	struct blob_object o;
	struct builder w = { .b = b, .obj = obj };

	if (!blob_object_at(b, obj, &o))
		return NULL;

	build(&w);			/* sizes */
	w.out = heap_zalloc(w.len);
	w.addr = heap_zalloc((w.nsec + 1) * sizeof(u64));
	w.size = heap_zalloc((w.nsec + 1) * sizeof(u64));
	if (!w.out || !w.addr || !w.size) {
		heap_free(w.out);
		w.out = NULL;
	} else {
		build(&w);
		*len = w.len;
	}
	heap_free(w.addr);
	heap_free(w.size);
	return w.out;
}
