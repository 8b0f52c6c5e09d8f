/* ELF64 x86-64 parse and validate.  Shared by the loader (in the core) and
 * blobscan (on the host): only <core/types.h> and <core/string.h>, no heap.
 * Everything the loader later reads through struct elf_file is checked here
 * once, so the rest of the loader can index without re-checking. */
#include <core/string.h>
#include <loader/elf.h>

static const char *const reloc_names[R_X86_64_NUM] = {
	[R_X86_64_NONE] = "NONE", [R_X86_64_64] = "64", [R_X86_64_PC32] = "PC32",
	[R_X86_64_GOT32] = "GOT32", [R_X86_64_PLT32] = "PLT32", [R_X86_64_COPY] = "COPY",
	[R_X86_64_GLOB_DAT] = "GLOB_DAT", [R_X86_64_JUMP_SLOT] = "JUMP_SLOT",
	[R_X86_64_RELATIVE] = "RELATIVE", [R_X86_64_GOTPCREL] = "GOTPCREL",
	[R_X86_64_32] = "32", [R_X86_64_32S] = "32S", [R_X86_64_16] = "16",
	[R_X86_64_PC16] = "PC16", [R_X86_64_8] = "8", [R_X86_64_PC8] = "PC8",
	[R_X86_64_DTPMOD64] = "DTPMOD64", [R_X86_64_DTPOFF64] = "DTPOFF64",
	[R_X86_64_TPOFF64] = "TPOFF64", [R_X86_64_TLSGD] = "TLSGD",
	[R_X86_64_TLSLD] = "TLSLD", [R_X86_64_DTPOFF32] = "DTPOFF32",
	[R_X86_64_GOTTPOFF] = "GOTTPOFF", [R_X86_64_TPOFF32] = "TPOFF32",
	[R_X86_64_PC64] = "PC64", [R_X86_64_GOTOFF64] = "GOTOFF64",
	[R_X86_64_GOTPC32] = "GOTPC32", [R_X86_64_GOT64] = "GOT64",
	[R_X86_64_GOTPCREL64] = "GOTPCREL64", [R_X86_64_GOTPC64] = "GOTPC64",
	[R_X86_64_GOTPLT64] = "GOTPLT64", [R_X86_64_PLTOFF64] = "PLTOFF64",
	[R_X86_64_SIZE32] = "SIZE32", [R_X86_64_SIZE64] = "SIZE64",
	[R_X86_64_GOTPC32_TLSDESC] = "GOTPC32_TLSDESC",
	[R_X86_64_TLSDESC_CALL] = "TLSDESC_CALL", [R_X86_64_TLSDESC] = "TLSDESC",
	[R_X86_64_IRELATIVE] = "IRELATIVE", [R_X86_64_RELATIVE64] = "RELATIVE64",
	[R_X86_64_GOTPCRELX] = "GOTPCRELX", [R_X86_64_REX_GOTPCRELX] = "REX_GOTPCRELX",
};

const char *
elf_reloc_name(u32 type, char *buf, size_t size)
{
	if (type < R_X86_64_NUM && reloc_names[type])
		snprintf(buf, size, "R_X86_64_%s", reloc_names[type]);
	else
		snprintf(buf, size, "R_X86_64_<%u>", type);
	return buf;
}

unsigned
elf_reloc_width(u32 type)
{
	switch (type) {
	case R_X86_64_64: case R_X86_64_PC64: case R_X86_64_GOTOFF64:
	case R_X86_64_GOT64: case R_X86_64_GOTPCREL64: case R_X86_64_GOTPC64:
	case R_X86_64_GOTPLT64: case R_X86_64_PLTOFF64: case R_X86_64_SIZE64:
	case R_X86_64_DTPMOD64: case R_X86_64_DTPOFF64: case R_X86_64_TPOFF64:
	case R_X86_64_GLOB_DAT: case R_X86_64_JUMP_SLOT: case R_X86_64_RELATIVE:
	case R_X86_64_IRELATIVE: case R_X86_64_RELATIVE64: case R_X86_64_TLSDESC:
		return 8;
	case R_X86_64_PC32: case R_X86_64_GOT32: case R_X86_64_PLT32:
	case R_X86_64_GOTPCREL: case R_X86_64_32: case R_X86_64_32S:
	case R_X86_64_TLSGD: case R_X86_64_TLSLD: case R_X86_64_DTPOFF32:
	case R_X86_64_GOTTPOFF: case R_X86_64_TPOFF32: case R_X86_64_GOTPC32:
	case R_X86_64_SIZE32: case R_X86_64_GOTPC32_TLSDESC:
	case R_X86_64_GOTPCRELX: case R_X86_64_REX_GOTPCRELX:
		return 4;
	case R_X86_64_16: case R_X86_64_PC16:
		return 2;
	case R_X86_64_8: case R_X86_64_PC8:
		return 1;
	default:
		return 0;
	}
}

int
loader_fail(const char *name, char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errsz, "%s: ", name);

	if (n < 0 || (size_t)n >= errsz)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + n, errsz - n, fmt, ap);
	va_end(ap);
	return -1;
}

#define fail(f, err, errsz, ...) loader_fail((f)->name, err, errsz, __VA_ARGS__)

/* [off, off+size) inside [0, len)?  Written so that nothing can overflow. */
static bool
in_file(u64 off, u64 size, size_t len)
{
	return off <= len && size <= len - off;
}

size_t
elf_scratch_size(const void *buf, size_t len)
{
	u16 shnum;

	if (len < sizeof(Elf64_Ehdr))
		return 0;
	/* buf may be unaligned (an archive member before its copy) */
	memcpy(&shnum, (const u8 *)buf + __builtin_offsetof(Elf64_Ehdr, e_shnum), 2);
	return (size_t)shnum * sizeof(u32);
}

const char *
elf_section_name(const struct elf_file *f, unsigned idx)
{
	if (idx >= f->shnum || !f->shstr || f->sh[idx].sh_name >= f->shstrsz)
		return "";
	return f->shstr + f->sh[idx].sh_name;
}

const char *
elf_sym_name(const struct elf_file *f, size_t idx)
{
	if (idx >= f->nsym || f->sym[idx].st_name >= f->strsz)
		return "";
	return f->str + f->sym[idx].st_name;
}

const Elf64_Rela *
elf_rela(const struct elf_file *f, unsigned sec, size_t *n)
{
	*n = f->sh[sec].sh_size / sizeof(Elf64_Rela);
	return (const Elf64_Rela *)(f->buf + f->sh[sec].sh_offset);
}

static int
check_header(struct elf_file *f, char *err, size_t errsz)
{
	const Elf64_Ehdr *eh = f->eh;
	const u8 *id = eh->e_ident;

	if (id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F') {
		if (!memcmp(id, "/* GNU ld", 9) || !memcmp(id, "GROUP", 5) || !memcmp(id, "INPUT", 5))
			return fail(f, err, errsz, "a GNU ld script, not an object: load the files it names");
		return fail(f, err, errsz, "not an ELF file (bad magic)");
	}
	if (id[4] != ELFCLASS64)
		return fail(f, err, errsz, "not ELF64 (class %u)", id[4]);
	if (id[5] != ELFDATA2LSB)
		return fail(f, err, errsz, "not little-endian (data %u)", id[5]);
	if (id[6] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return fail(f, err, errsz, "unknown ELF version %u", eh->e_version);
	if (eh->e_machine != EM_X86_64)
		return fail(f, err, errsz, "not x86-64 (e_machine %u)", eh->e_machine);
	if (eh->e_type != ET_REL && eh->e_type != ET_DYN)
		return fail(f, err, errsz, "e_type %u: only relocatable objects and shared objects load",
			    eh->e_type);
	if (eh->e_ehsize < sizeof(*eh))
		return fail(f, err, errsz, "e_ehsize %u smaller than the ELF64 header", eh->e_ehsize);
	if (eh->e_shnum) {
		if (eh->e_shentsize != sizeof(Elf64_Shdr))
			return fail(f, err, errsz, "e_shentsize %u (want %zu)", eh->e_shentsize,
				    sizeof(Elf64_Shdr));
		if (eh->e_shoff & 7)
			return fail(f, err, errsz, "section headers misaligned (e_shoff %#llx)",
				    (unsigned long long)eh->e_shoff);
		if (!in_file(eh->e_shoff, (u64)eh->e_shnum * sizeof(Elf64_Shdr), f->len))
			return fail(f, err, errsz, "section headers beyond end of file (%#llx > %#zx)",
				    (unsigned long long)eh->e_shoff +
				    (u64)eh->e_shnum * sizeof(Elf64_Shdr), f->len);
		if (eh->e_shnum > ELF_MAX_SECTIONS)
			return fail(f, err, errsz, "%u sections: too many", eh->e_shnum);
		f->sh = (const Elf64_Shdr *)(f->buf + eh->e_shoff);
		f->shnum = eh->e_shnum;
	} else if (eh->e_shoff) {
		return fail(f, err, errsz, "extended section numbering is not supported");
	}
	if (eh->e_phnum) {
		if (eh->e_phentsize != sizeof(Elf64_Phdr))
			return fail(f, err, errsz, "e_phentsize %u (want %zu)", eh->e_phentsize,
				    sizeof(Elf64_Phdr));
		if (eh->e_phoff & 7)
			return fail(f, err, errsz, "program headers misaligned (e_phoff %#llx)",
				    (unsigned long long)eh->e_phoff);
		if (!in_file(eh->e_phoff, (u64)eh->e_phnum * sizeof(Elf64_Phdr), f->len))
			return fail(f, err, errsz, "program headers beyond end of file (%#llx > %#zx)",
				    (unsigned long long)eh->e_phoff +
				    (u64)eh->e_phnum * sizeof(Elf64_Phdr), f->len);
		f->ph = (const Elf64_Phdr *)(f->buf + eh->e_phoff);
		f->phnum = eh->e_phnum;
	}
	if (eh->e_type == ET_REL && !f->shnum)
		return fail(f, err, errsz, "relocatable object without section headers");
	if (eh->e_type == ET_DYN && !f->phnum)
		return fail(f, err, errsz, "shared object without program headers");
	return 0;
}

static int
check_strtab(struct elf_file *f, unsigned i, const char *what, char *err, size_t errsz)
{
	const Elf64_Shdr *s = &f->sh[i];

	if (s->sh_type != SHT_STRTAB)
		return fail(f, err, errsz, "section %u: %s is not a string table (type %u)", i, what,
			    s->sh_type);
	if (!s->sh_size || f->buf[s->sh_offset + s->sh_size - 1] != 0)
		return fail(f, err, errsz, "section %u: %s not NUL-terminated", i, what);
	return 0;
}

static int
check_section(struct elf_file *f, unsigned i, char *err, size_t errsz)
{
	const Elf64_Shdr *s = &f->sh[i];
	u64 align = s->sh_addralign;

	if (s->sh_type == SHT_NULL)
		return 0;
	if (s->sh_type != SHT_NOBITS && !in_file(s->sh_offset, s->sh_size, f->len))
		return fail(f, err, errsz, "section %u: sh_offset+sh_size beyond end of file (%#llx > %#zx)",
			    i, (unsigned long long)(s->sh_offset + s->sh_size), f->len);
	if (align & (align - 1))
		return fail(f, err, errsz, "section %u: alignment %#llx is not a power of two", i,
			    (unsigned long long)align);
	if ((s->sh_flags & SHF_ALLOC) && f->eh->e_type == ET_REL && align > ELF_MAX_ALIGN)
		return fail(f, err, errsz, "section %u (%s): alignment %#llx above %#x", i,
			    elf_section_name(f, i), (unsigned long long)align, ELF_MAX_ALIGN);
	if ((s->sh_flags & SHF_ALLOC) && s->sh_size > (1ULL << 30))
		return fail(f, err, errsz, "section %u (%s): size %#llx too large", i,
			    elf_section_name(f, i), (unsigned long long)s->sh_size);
	switch (s->sh_type) {
	case SHT_SYMTAB:
	case SHT_DYNSYM:
	case SHT_RELA:
		if (s->sh_entsize != 24 || s->sh_size % 24 || (s->sh_offset & 7))
			return fail(f, err, errsz, "section %u: bad table (entsize %llu, size %#llx)",
				    i, (unsigned long long)s->sh_entsize,
				    (unsigned long long)s->sh_size);
		if (s->sh_link >= f->shnum)
			return fail(f, err, errsz, "section %u: sh_link %u out of range", i, s->sh_link);
		break;
	case SHT_REL:
		return fail(f, err, errsz, "section %u: SHT_REL relocations (x86-64 uses RELA)", i);
	case SHT_GROUP:
		if (s->sh_size % 4)
			return fail(f, err, errsz, "section %u: bad group size", i);
		break;
	case SHT_SYMTAB_SHNDX:
		return fail(f, err, errsz, "section %u: extended section indices not supported", i);
	}
	return 0;
}

/* Heapsort of section indices by file offset (no allocation, n log n even
 * on hostile input). */
static void
sort_by_offset(const struct elf_file *f, u32 *v, size_t n)
{
#define KEY(k) (f->sh[v[k]].sh_offset)
	for (size_t start = n / 2; n > 1;) {
		size_t root, child;

		if (start > 0) {
			root = --start;
		} else {
			u32 t = v[--n];
			v[n] = v[0];
			v[0] = t;
			root = 0;
		}
		while ((child = 2 * root + 1) < n) {
			if (child + 1 < n && KEY(child + 1) > KEY(child))
				child++;
			if (KEY(root) >= KEY(child))
				break;
			u32 t = v[root];
			v[root] = v[child];
			v[child] = t;
			root = child;
		}
	}
#undef KEY
}

static int
check_overlaps(struct elf_file *f, u32 *scratch, char *err, size_t errsz)
{
	size_t n = 0;
	u64 end = sizeof(Elf64_Ehdr);
	unsigned last = 0;

	for (unsigned i = 1; i < f->shnum; i++)
		if (f->sh[i].sh_type != SHT_NOBITS && f->sh[i].sh_type != SHT_NULL && f->sh[i].sh_size)
			scratch[n++] = i;
	sort_by_offset(f, scratch, n);
	for (size_t k = 0; k < n; k++) {
		const Elf64_Shdr *s = &f->sh[scratch[k]];

		if (s->sh_offset < end) {
			if (!last)
				return fail(f, err, errsz, "section %u: overlaps the ELF header", scratch[k]);
			return fail(f, err, errsz, "section %u overlaps section %u (%#llx < %#llx)",
				    scratch[k], last, (unsigned long long)s->sh_offset,
				    (unsigned long long)end);
		}
		end = s->sh_offset + s->sh_size;
		last = scratch[k];
	}
	return 0;
}

static int
check_symbols(struct elf_file *f, char *err, size_t errsz)
{
	for (size_t i = 0; i < f->nsym; i++) {
		const Elf64_Sym *s = &f->sym[i];

		if (s->st_name >= f->strsz)
			return fail(f, err, errsz, "symbol %zu: name offset %#x beyond string table (%#zx)",
				    i, s->st_name, f->strsz);
		if (s->st_shndx == SHN_XINDEX)
			return fail(f, err, errsz, "symbol %zu: extended section index not supported", i);
		if (s->st_shndx >= f->shnum && s->st_shndx < SHN_LORESERVE)
			return fail(f, err, errsz, "symbol %zu (%s): section index %u out of range", i,
				    elf_sym_name(f, i), s->st_shndx);
		if (f->eh->e_type == ET_REL && s->st_shndx != SHN_UNDEF && s->st_shndx < SHN_LORESERVE &&
		    ELF64_ST_TYPE(s->st_info) != STT_SECTION &&
		    s->st_value > f->sh[s->st_shndx].sh_size)
			return fail(f, err, errsz, "symbol %zu (%s): value %#llx beyond its section (%#llx)",
				    i, elf_sym_name(f, i), (unsigned long long)s->st_value,
				    (unsigned long long)f->sh[s->st_shndx].sh_size);
	}
	return 0;
}

static int
check_relocs(struct elf_file *f, unsigned i, char *err, size_t errsz)
{
	const Elf64_Shdr *s = &f->sh[i];
	const Elf64_Shdr *t;
	const Elf64_Rela *r;
	size_t n;
	char tn[32];

	if (s->sh_link != f->symtab)
		return fail(f, err, errsz, "section %u: relocations against symbol table %u, not %u", i,
			    s->sh_link, f->symtab);
	if (s->sh_info == 0 || s->sh_info >= f->shnum)
		return fail(f, err, errsz, "section %u: relocated section %u out of range", i,
			    s->sh_info);
	t = &f->sh[s->sh_info];
	r = elf_rela(f, i, &n);
	for (size_t k = 0; k < n; k++) {
		u32 type = ELF64_R_TYPE(r[k].r_info);
		u64 w = elf_reloc_width(type);

		if (ELF64_R_SYM(r[k].r_info) >= f->nsym)
			return fail(f, err, errsz, "section %u: relocation %zu: symbol index %u beyond symbol table (%zu)",
				    i, k, ELF64_R_SYM(r[k].r_info), f->nsym);
		if (r[k].r_offset > t->sh_size || w > t->sh_size - r[k].r_offset)
			return fail(f, err, errsz, "%s+%#llx: %s outside its section (size %#llx)",
				    elf_section_name(f, s->sh_info), (unsigned long long)r[k].r_offset,
				    elf_reloc_name(type, tn, sizeof(tn)), (unsigned long long)t->sh_size);
	}
	return 0;
}

int
elf_parse(struct elf_file *f, const void *buf, size_t len, const char *name,
	  u32 *scratch, size_t scratch_len, char *err, size_t errsz)
{
	unsigned want = SHT_SYMTAB;

	memset(f, 0, sizeof(*f));
	f->name = name;
	f->buf = buf;
	f->len = len;
	if ((uintptr_t)buf & 7)
		return fail(f, err, errsz, "image buffer not 8-byte aligned");
	if (len < sizeof(Elf64_Ehdr))
		return fail(f, err, errsz, "truncated: %zu bytes, shorter than an ELF header", len);
	f->eh = buf;
	if (check_header(f, err, errsz))
		return -1;
	if (f->eh->e_type == ET_DYN)
		want = SHT_DYNSYM;
	if (f->shnum) {
		unsigned si = f->eh->e_shstrndx;

		if (si == 0 || si >= f->shnum)
			return fail(f, err, errsz, "e_shstrndx %u out of range", si);
		/* the name table first, so that later messages can use names */
		if (check_section(f, si, err, errsz) ||
		    check_strtab(f, si, "section name table", err, errsz))
			return -1;
		f->shstr = (const char *)f->buf + f->sh[si].sh_offset;
		f->shstrsz = f->sh[si].sh_size;
		for (unsigned i = 0; i < f->shnum; i++)
			if (check_section(f, i, err, errsz))
				return -1;
		for (unsigned i = 1; i < f->shnum; i++)
			if (f->sh[i].sh_name >= f->shstrsz)
				return fail(f, err, errsz, "section %u: name offset %#x beyond section name table",
					    i, f->sh[i].sh_name);
		if (scratch_len < f->shnum * sizeof(u32))
			return fail(f, err, errsz, "internal: scratch too small");
		if (check_overlaps(f, scratch, err, errsz))
			return -1;
	}
	for (unsigned i = 1; i < f->shnum; i++) {
		const Elf64_Shdr *s = &f->sh[i];

		if (s->sh_type != want)
			continue;
		if (f->symtab)
			return fail(f, err, errsz, "section %u: a second symbol table", i);
		if (check_strtab(f, s->sh_link, "symbol string table", err, errsz))
			return -1;
		if (s->sh_info > s->sh_size / 24)
			return fail(f, err, errsz, "section %u: sh_info %u beyond the symbol count", i,
				    s->sh_info);
		f->symtab = i;
		f->sym = (const Elf64_Sym *)(f->buf + s->sh_offset);
		f->nsym = s->sh_size / sizeof(Elf64_Sym);
		f->str = (const char *)f->buf + f->sh[s->sh_link].sh_offset;
		f->strsz = f->sh[s->sh_link].sh_size;
	}
	if (check_symbols(f, err, errsz))
		return -1;
	for (unsigned i = 1; i < f->shnum && f->eh->e_type == ET_REL; i++)
		if (f->sh[i].sh_type == SHT_RELA && check_relocs(f, i, err, errsz))
			return -1;
	for (unsigned i = 0; i < f->phnum; i++) {
		const Elf64_Phdr *p = &f->ph[i];

		if (p->p_type != PT_LOAD && p->p_type != PT_DYNAMIC)
			continue;
		if (!in_file(p->p_offset, p->p_filesz, f->len))
			return fail(f, err, errsz, "program header %u: p_offset+p_filesz beyond end of file (%#llx > %#zx)",
				    i, (unsigned long long)(p->p_offset + p->p_filesz), f->len);
		if (p->p_filesz > p->p_memsz)
			return fail(f, err, errsz, "program header %u: p_filesz above p_memsz", i);
		if (p->p_memsz > (1ULL << 30) || p->p_vaddr > (1ULL << 40))
			return fail(f, err, errsz, "program header %u: segment too large", i);
	}
	return 0;
}
