/* TEMPORARY: a minimal reader used only until the loader's parser
 * (loader/elf.c, loader/ar.c) is on the `loader` branch; then input.c
 * adapts the loader's view and this file goes.  It validates just enough
 * that blobscan never reads outside the file. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"

struct rd {
	const char *file;
	const char *member;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 2, 3)))
fail(struct rd *rd, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (rd->member)
		n = snprintf(rd->err, rd->errlen, "%s(%s): ", rd->file, rd->member);
	else
		n = snprintf(rd->err, rd->errlen, "%s: ", rd->file);
	if (n < 0 || (size_t)n >= rd->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(rd->err + n, rd->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool
in_bounds(uint64_t off, uint64_t size, uint64_t len)
{
	return off <= len && size <= len - off;
}

static const char *
str_at(const uint8_t *b, const Elf64_Shdr *strsec, uint64_t len, uint32_t idx)
{
	if (!strsec || strsec->sh_type == SHT_NOBITS || idx >= strsec->sh_size)
		return NULL;
	if (!in_bounds(strsec->sh_offset, strsec->sh_size, len))
		return NULL;
	const char *s = (const char *)b + strsec->sh_offset;
	if (!memchr(s + idx, 0, strsec->sh_size - idx))
		return NULL;
	return s + idx;
}

static int
parse_syms(struct rd *rd, struct bs_object *o, const Elf64_Shdr *sh, uint32_t symidx)
{
	const Elf64_Shdr *ss = &sh[symidx], *strs;

	if (ss->sh_entsize != sizeof(Elf64_Sym) || ss->sh_size % sizeof(Elf64_Sym))
		return fail(rd, "section %u: bad symbol table entry size", symidx);
	if (ss->sh_link >= o->nsec)
		return fail(rd, "section %u: sh_link %u out of range", symidx, ss->sh_link);
	strs = &sh[ss->sh_link];
	o->nsym = ss->sh_size / sizeof(Elf64_Sym);
	o->sym = calloc(o->nsym ? o->nsym : 1, sizeof(*o->sym));
	for (size_t i = 0; i < o->nsym; i++) {
		Elf64_Sym s;
		struct bs_symbol *d = &o->sym[i];

		memcpy(&s, o->bytes + ss->sh_offset + i * sizeof(s), sizeof(s));
		d->name = str_at(o->bytes, strs, o->size, s.st_name);
		if (!d->name)
			return fail(rd, "section %u: symbol %zu: bad name offset 0x%x", symidx, i,
				    s.st_name);
		d->bind = ELF64_ST_BIND(s.st_info);
		d->type = ELF64_ST_TYPE(s.st_info);
		d->other = s.st_other;
		d->shndx = s.st_shndx;
		d->value = s.st_value;
		d->size = s.st_size;
		if (d->shndx != SHN_UNDEF && d->shndx < SHN_LORESERVE && d->shndx >= o->nsec)
			return fail(rd, "section %u: symbol %zu: st_shndx %u out of range", symidx,
				    i, d->shndx);
		if (d->type == STT_SECTION && !d->name[0] && d->shndx < o->nsec)
			d->name = o->sec[d->shndx].name;
	}
	return 0;
}

static int
parse_rels(struct rd *rd, struct bs_object *o, const Elf64_Shdr *sh, uint32_t symidx)
{
	size_t n = 0;

	for (size_t i = 0; i < o->nsec; i++) {
		if (sh[i].sh_type != SHT_RELA && sh[i].sh_type != SHT_REL)
			continue;
		size_t es = sh[i].sh_type == SHT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
		if (sh[i].sh_entsize != es || sh[i].sh_size % es)
			return fail(rd, "section %zu (%s): bad relocation entry size", i,
				    o->sec[i].name);
		if (sh[i].sh_link != symidx)
			return fail(rd, "section %zu (%s): sh_link %u is not the symbol table",
				    i, o->sec[i].name, sh[i].sh_link);
		n += sh[i].sh_size / es;
	}
	o->rel = calloc(n ? n : 1, sizeof(*o->rel));
	for (size_t i = 0; i < o->nsec; i++) {
		bool rela = sh[i].sh_type == SHT_RELA;
		if (!rela && sh[i].sh_type != SHT_REL)
			continue;
		size_t es = rela ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
		if (o->e_type == ET_REL && (sh[i].sh_info == 0 || sh[i].sh_info >= o->nsec))
			return fail(rd, "section %zu (%s): sh_info %u out of range", i,
				    o->sec[i].name, sh[i].sh_info);
		for (size_t j = 0; j < sh[i].sh_size / es; j++) {
			Elf64_Rela r = { 0 };
			struct bs_reloc *d = &o->rel[o->nrel++];

			memcpy(&r, o->bytes + sh[i].sh_offset + j * es, es);
			d->type = ELF64_R_TYPE(r.r_info);
			d->sym = ELF64_R_SYM(r.r_info);
			d->target = sh[i].sh_info;
			d->relsec = i;
			d->offset = r.r_offset;
			d->addend = r.r_addend;
			if (d->sym >= o->nsym)
				return fail(rd, "%s+0x%zx: symbol index %u out of range",
					    o->sec[i].name, j * es, d->sym);
			if (o->e_type == ET_REL && !in_bounds(d->offset, 1, o->sec[d->target].size))
				return fail(rd, "%s+0x%zx: r_offset 0x%llx outside %s",
					    o->sec[i].name, j * es, (unsigned long long)d->offset,
					    o->sec[d->target].name);
		}
	}
	return 0;
}

static int
parse_dynamic(struct rd *rd, struct bs_object *o, const Elf64_Shdr *sh)
{
	for (size_t i = 0; i < o->nsec; i++) {
		if (sh[i].sh_type != SHT_DYNAMIC)
			continue;
		if (sh[i].sh_link >= o->nsec)
			return fail(rd, "section %zu: sh_link out of range", i);
		size_t n = sh[i].sh_size / sizeof(Elf64_Dyn);
		o->needed = calloc(n ? n : 1, sizeof(char *));
		for (size_t j = 0; j < n; j++) {
			Elf64_Dyn d;
			memcpy(&d, o->bytes + sh[i].sh_offset + j * sizeof(d), sizeof(d));
			if (d.d_tag == DT_NULL)
				break;
			if (d.d_tag == DT_TEXTREL || (d.d_tag == DT_FLAGS && (d.d_un.d_val & DF_TEXTREL)))
				o->textrel = true;
			if (d.d_tag == DT_NEEDED) {
				const char *s = str_at(o->bytes, &sh[sh[i].sh_link], o->size,
						       d.d_un.d_val);
				if (!s)
					return fail(rd, ".dynamic: DT_NEEDED name offset 0x%llx bad",
						    (unsigned long long)d.d_un.d_val);
				o->needed[o->nneeded++] = s;
			}
		}
	}
	return 0;
}

static int parse_elf_shdrs(struct rd *rd, struct bs_object *o, const Elf64_Ehdr *eh,
			   const Elf64_Shdr *sh);

static int
parse_elf(struct rd *rd, struct bs_object *o)
{
	Elf64_Ehdr eh;

	if (o->size < sizeof(eh) || memcmp(o->bytes, ELFMAG, SELFMAG))
		return fail(rd, "not an ELF file");
	memcpy(&eh, o->bytes, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_X86_64)
		return fail(rd, "not an x86-64 ELF64 little-endian file");
	if (eh.e_type != ET_REL && eh.e_type != ET_DYN)
		return fail(rd, "e_type %u is neither ET_REL nor ET_DYN", eh.e_type);
	o->e_type = eh.e_type;
	if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0)
		return fail(rd, "no section headers (e_shnum %u, e_shentsize %u)", eh.e_shnum,
			    eh.e_shentsize);
	if (eh.e_shoff % 8 || !in_bounds(eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr), o->size))
		return fail(rd, "section headers beyond end of file (0x%llx+%u*64 > 0x%llx)",
			    (unsigned long long)eh.e_shoff, eh.e_shnum, (unsigned long long)o->size);
	/* archive members are only 2-byte aligned */
	Elf64_Shdr *copy = malloc(eh.e_shnum * sizeof(*copy));
	memcpy(copy, o->bytes + eh.e_shoff, eh.e_shnum * sizeof(*copy));
	int rc = parse_elf_shdrs(rd, o, &eh, copy);
	free(copy);
	return rc;
}

static int
parse_elf_shdrs(struct rd *rd, struct bs_object *o, const Elf64_Ehdr *ehp, const Elf64_Shdr *sh)
{
	Elf64_Ehdr eh = *ehp;
	uint32_t symidx = 0;

	if (eh.e_shstrndx >= eh.e_shnum)
		return fail(rd, "e_shstrndx %u out of range", eh.e_shstrndx);
	o->nsec = eh.e_shnum;
	o->sec = calloc(o->nsec, sizeof(*o->sec));
	for (size_t i = 0; i < o->nsec; i++) {
		struct bs_section *d = &o->sec[i];

		d->name = str_at(o->bytes, &sh[eh.e_shstrndx], o->size, sh[i].sh_name);
		if (!d->name)
			return fail(rd, "section %zu: bad name offset 0x%x", i, sh[i].sh_name);
		d->type = sh[i].sh_type;
		d->flags = sh[i].sh_flags;
		d->addr = sh[i].sh_addr;
		d->offset = sh[i].sh_offset;
		d->size = sh[i].sh_size;
		d->entsize = sh[i].sh_entsize;
		d->align = sh[i].sh_addralign;
		d->link = sh[i].sh_link;
		d->info = sh[i].sh_info;
		if (d->type != SHT_NOBITS && d->type != SHT_NULL) {
			if (!in_bounds(d->offset, d->size, o->size))
				return fail(rd, "section %zu (%s): sh_offset+sh_size beyond end of file (0x%llx > 0x%llx)",
					    i, d->name, (unsigned long long)(d->offset + d->size),
					    (unsigned long long)o->size);
			d->data = o->bytes + d->offset;
		}
		if (d->type == (eh.e_type == ET_REL ? SHT_SYMTAB : SHT_DYNSYM))
			symidx = i;
	}
	if (symidx) {
		if (parse_syms(rd, o, sh, symidx))
			return -1;
	} else {
		o->nsym = 1;
		o->sym = calloc(1, sizeof(*o->sym));
		o->sym[0].name = "";
	}
	if (parse_rels(rd, o, sh, symidx))
		return -1;
	if (eh.e_type == ET_DYN && parse_dynamic(rd, o, sh))
		return -1;
	return 0;
}

/* GNU ar: "!<arch>\n", 60-byte headers, "/" symbol index, "//" long names. */
static int
parse_ar(struct rd *rd, struct bs_file *f)
{
	const uint8_t *b = f->map;
	size_t off = 8, cap = 16;
	const char *longnames = NULL;
	size_t longlen = 0;

	f->obj = calloc(cap, sizeof(*f->obj));
	while (off < f->len) {
		char hdr[61], *end;
		unsigned long long msize;

		if (f->len - off < 60)
			return fail(rd, "archive header at 0x%zx truncated", off);
		memcpy(hdr, b + off, 60);
		hdr[60] = 0;
		if (hdr[58] != '`' || hdr[59] != '\n')
			return fail(rd, "archive header at 0x%zx: bad magic", off);
		char sz[11];
		memcpy(sz, hdr + 48, 10);
		sz[10] = 0;
		msize = strtoull(sz, &end, 10);
		if (end == sz || !in_bounds(off + 60, msize, f->len))
			return fail(rd, "archive member at 0x%zx: size %s beyond end of file", off, sz);
		const uint8_t *data = b + off + 60;
		char name[17];
		memcpy(name, hdr, 16);
		name[16] = 0;
		if (!strncmp(name, "// ", 3) || !strncmp(name, "//  ", 4)) {
			longnames = (const char *)data;
			longlen = msize;
		} else if (name[0] == '/' && (name[1] == ' ' || !strncmp(name, "/SYM64/", 7))) {
			/* symbol index: the namespace is built from the members */
		} else {
			char *mname;
			if (name[0] == '/') {
				unsigned long lo = strtoul(name + 1, &end, 10);
				if (end == name + 1 || !longnames || lo >= longlen)
					return fail(rd, "archive member at 0x%zx: bad long name %s", off, name);
				const char *s = longnames + lo;
				size_t l = 0;
				while (lo + l < longlen && s[l] != '/' && s[l] != '\n')
					l++;
				mname = strndup(s, l);
			} else {
				char *slash = strchr(name, '/');
				if (slash)
					*slash = 0;
				mname = strdup(name);
			}
			if (f->nobj == cap)
				f->obj = realloc(f->obj, (cap *= 2) * sizeof(*f->obj));
			struct bs_object *o = &f->obj[f->nobj++];
			memset(o, 0, sizeof(*o));
			o->file = f->path;
			o->member = mname;
			o->bytes = data;
			o->size = msize;
			rd->member = mname;
			if (parse_elf(rd, o))
				return -1;
			rd->member = NULL;
		}
		off += 60 + msize + (msize & 1);
	}
	return 0;
}

int
bs_file_parse(const char *path, const uint8_t *buf, size_t len, struct bs_file *f, char *err,
	      size_t errlen)
{
	struct rd rd = { path, NULL, err, errlen };

	memset(f, 0, sizeof(*f));
	f->path = path;
	f->map = (uint8_t *)buf;
	f->len = len;
	if (len >= 8 && !memcmp(buf, "!<thin>\n", 8))
		return fail(&rd, "thin archives are not supported (members live in other files)");
	if (len >= 8 && !memcmp(buf, "!<arch>\n", 8)) {
		f->kind = BS_ARCHIVE;
		return parse_ar(&rd, f);
	}
	f->nobj = 1;
	f->obj = calloc(1, sizeof(*f->obj));
	f->obj->file = path;
	f->obj->bytes = buf;
	f->obj->size = len;
	if (parse_elf(&rd, f->obj))
		return -1;
	f->kind = f->obj->e_type == ET_DYN ? BS_SHARED : BS_OBJECT;
	return 0;
}

int
bs_file_read(const char *path, struct bs_file *f, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	void *m;

	memset(f, 0, sizeof(*f));
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		close(fd);
		snprintf(err, errlen, "%s: empty file", path);
		return -1;
	}
	m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return bs_file_parse(path, m, st.st_size, f, err, errlen);
}

void
bs_file_free(struct bs_file *f)
{
	for (size_t i = 0; i < f->nobj; i++) {
		free((char *)f->obj[i].member);
		free(f->obj[i].sec);
		free(f->obj[i].sym);
		free(f->obj[i].rel);
		free(f->obj[i].needed);
	}
	free(f->obj);
	f->obj = NULL;
	f->nobj = 0;
}

const char *
bs_object_name(const struct bs_object *o, char *buf, size_t len)
{
	if (o->member)
		snprintf(buf, len, "%s(%s)", o->file, o->member);
	else
		snprintf(buf, len, "%s", o->file);
	return buf;
}

/* The list from issue 3 until loader/reloc.c answers this itself. */
bool
bs_reloc_supported(uint32_t type)
{
	switch (type) {
	case R_X86_64_NONE: case R_X86_64_64: case R_X86_64_PC32: case R_X86_64_PLT32:
	case R_X86_64_32: case R_X86_64_32S: case R_X86_64_PC64: case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX: case R_X86_64_REX_GOTPCRELX: case R_X86_64_GOTPC32:
	case R_X86_64_GOTOFF64: case R_X86_64_SIZE32: case R_X86_64_SIZE64:
	case R_X86_64_RELATIVE: case R_X86_64_GLOB_DAT: case R_X86_64_JUMP_SLOT:
		return true;
	}
	return false;
}

/* Issue 3 does not list STT_GNU_IFUNC; until the loader says it runs
 * resolvers, an IFUNC definition is a reason not to load. */
bool
bs_loader_runs_ifunc(void)
{
	return false;
}
