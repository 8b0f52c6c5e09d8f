/* Files through the loader's own parser: loader/ar.c frames archives,
 * loader/elf.c validates each ELF image (bounds, string tables, symbol and
 * relocation indices) exactly as `blob load` does; this file only copies
 * the validated view into blobscan's records. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <loader/ar.h>
#include <loader/elf.h>

#include "input.h"

/* The parser wants an 8-byte aligned image; archive members are 2-aligned. */
static uint8_t *
aligned_copy(const uint8_t *p, size_t n)
{
	uint8_t *c = aligned_alloc(8, (n + 7) & ~(size_t)7);

	if (c && n)
		memcpy(c, p, n);
	return c;
}

static int
dynamic(struct bs_object *o, const struct elf_file *f, char *err, size_t errlen)
{
	for (unsigned i = 1; i < f->shnum; i++) {
		const Elf64_Shdr *s = &f->sh[i];
		size_t n = s->sh_size / sizeof(Elf64_Dyn);

		if (s->sh_type != SHT_DYNAMIC)
			continue;
		/* elf_parse checked the section lies in the file; its string
		 * table is another section, checked the same way. */
		if (s->sh_link == 0 || s->sh_link >= f->shnum || f->sh[s->sh_link].sh_type != SHT_STRTAB) {
			snprintf(err, errlen, "%s: section %u (.dynamic): sh_link %u is not a string table",
				 f->name, i, s->sh_link);
			return -1;
		}
		const char *str = (const char *)f->buf + f->sh[s->sh_link].sh_offset;
		size_t strsz = f->sh[s->sh_link].sh_size;
		o->needed = calloc(n + 1, sizeof(*o->needed));
		for (size_t k = 0; k < n; k++) {
			Elf64_Dyn d;

			memcpy(&d, f->buf + s->sh_offset + k * sizeof(d), sizeof(d));
			if (d.d_tag == DT_NULL)
				break;
			if (d.d_tag == DT_TEXTREL || (d.d_tag == 30 /* DT_FLAGS */ && (d.d_val & 4)))
				o->textrel = true;
			if (d.d_tag != DT_NEEDED)
				continue;
			if (d.d_val >= strsz || !memchr(str + d.d_val, 0, strsz - d.d_val)) {
				snprintf(err, errlen, "%s: .dynamic+%#zx: DT_NEEDED name offset %#llx outside the string table",
					 f->name, k * sizeof(d), (unsigned long long)d.d_val);
				return -1;
			}
			o->needed[o->nneeded++] = str + d.d_val;
		}
	}
	return 0;
}

static int
relocations(struct bs_object *o, const struct elf_file *f, char *err, size_t errlen)
{
	size_t total = 0;

	for (unsigned i = 1; i < f->shnum; i++)
		if (f->sh[i].sh_type == SHT_RELA)
			total += f->sh[i].sh_size / sizeof(Elf64_Rela);
	o->rel = calloc(total + 1, sizeof(*o->rel));
	for (unsigned i = 1; i < f->shnum; i++) {
		const Elf64_Rela *r;
		size_t n;

		if (f->sh[i].sh_type != SHT_RELA)
			continue;
		/* elf_parse checks ET_REL relocations; a shared object's are
		 * only read here, so check their symbol table and indices. */
		if (f->eh->e_type == ET_DYN && f->sh[i].sh_link != f->symtab &&
		    f->sh[i].sh_size) {
			snprintf(err, errlen, "%s: section %u: relocations against symbol table %u, not %u",
				 f->name, i, f->sh[i].sh_link, f->symtab);
			return -1;
		}
		r = elf_rela(f, i, &n);
		for (size_t k = 0; k < n; k++) {
			struct bs_reloc *d = &o->rel[o->nrel++];
			Elf64_Rela x;

			memcpy(&x, &r[k], sizeof(x));
			d->type = ELF64_R_TYPE(x.r_info);
			d->sym = ELF64_R_SYM(x.r_info);
			d->target = f->sh[i].sh_info;
			d->relsec = i;
			d->offset = x.r_offset;
			d->addend = x.r_addend;
			if (d->sym >= o->nsym) {
				snprintf(err, errlen, "%s: section %u: relocation %zu: symbol index %u beyond symbol table (%zu)",
					 f->name, i, k, d->sym, o->nsym);
				return -1;
			}
		}
	}
	return 0;
}

static int
object(struct bs_object *o, const char *name, char *err, size_t errlen)
{
	struct elf_file f;
	size_t ss = elf_scratch_size(o->bytes, o->size);
	uint32_t *scratch = malloc(ss + 4);
	int rc = elf_parse(&f, o->bytes, o->size, name, scratch, ss, err, errlen);

	free(scratch);
	if (rc)
		return -1;
	if (f.eh->e_type != ET_REL && f.eh->e_type != ET_DYN) {
		snprintf(err, errlen, "%s: e_type %u: neither a relocatable object nor a shared object",
			 name, f.eh->e_type);
		return -1;
	}
	o->e_type = f.eh->e_type;
	o->nsec = f.shnum;
	o->sec = calloc(o->nsec + 1, sizeof(*o->sec));
	for (unsigned i = 0; i < f.shnum; i++) {
		const Elf64_Shdr *s = &f.sh[i];
		struct bs_section *d = &o->sec[i];

		d->name = elf_section_name(&f, i);
		d->type = s->sh_type;
		d->flags = s->sh_flags;
		d->addr = s->sh_addr;
		d->offset = s->sh_offset;
		d->size = s->sh_size;
		d->entsize = s->sh_entsize;
		d->align = s->sh_addralign;
		d->link = s->sh_link;
		d->info = s->sh_info;
		d->data = s->sh_type == SHT_NOBITS || s->sh_type == SHT_NULL ? NULL : f.buf + s->sh_offset;
	}
	o->nsym = f.nsym ? f.nsym : 1;
	o->sym = calloc(o->nsym, sizeof(*o->sym));
	o->sym[0].name = "";
	for (size_t i = 0; i < f.nsym; i++) {
		const Elf64_Sym *s = &f.sym[i];
		struct bs_symbol *d = &o->sym[i];

		d->name = elf_sym_name(&f, i);
		d->bind = ELF64_ST_BIND(s->st_info);
		d->type = ELF64_ST_TYPE(s->st_info);
		d->other = s->st_other;
		d->shndx = s->st_shndx;
		d->value = s->st_value;
		d->size = s->st_size;
		if (d->type == STT_SECTION && !d->name[0])
			d->name = elf_section_name(&f, d->shndx);
	}
	if (relocations(o, &f, err, errlen))
		return -1;
	return o->e_type == ET_DYN ? dynamic(o, &f, err, errlen) : 0;
}

static void
add(struct bs_file *f, const uint8_t *bytes, size_t size, const char *member)
{
	struct bs_object *o;

	f->obj = realloc(f->obj, (f->nobj + 1) * sizeof(*f->obj));
	o = &f->obj[f->nobj++];
	memset(o, 0, sizeof(*o));
	o->file = f->path;
	o->member = member ? strdup(member) : NULL;
	o->bytes = aligned_copy(bytes, size);
	o->size = size;
}

/* Messages quote names from the file (ar.c's index errors quote a symbol
 * verbatim): keep them on one line whatever bytes those names hold. */
static int
one_line(char *err)
{
	for (unsigned char *p = (unsigned char *)err; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

static int parse(const char *path, const uint8_t *buf, size_t len, struct bs_file *f, char *err,
		 size_t errlen);

int
bs_file_parse(const char *path, const uint8_t *buf, size_t len, struct bs_file *f, char *err,
	      size_t errlen)
{
	if (errlen)
		err[0] = 0;
	return parse(path, buf, len, f, err, errlen) ? one_line(err) : 0;
}

static int
parse(const char *path, const uint8_t *buf, size_t len, struct bs_file *f, char *err,
      size_t errlen)
{
	char name[1024];

	memset(f, 0, sizeof(*f));
	f->path = path;
	f->len = len;
	if (ar_is_archive(buf, len)) {
		struct ar_file a;
		struct ar_member m;
		u64 pos = 0;
		int r;

		f->kind = BS_ARCHIVE;
		if (ar_open(&a, buf, len, path, err, errlen))
			return -1;
		while ((r = ar_next(&a, &pos, &m, err, errlen)) == 1) {
			for (char *p = m.name; *p; p++)	/* names go into messages */
				if ((unsigned char)*p < 0x20)
					*p = '?';
			add(f, m.data, m.size, m.name);
			snprintf(name, sizeof(name), "%s(%s)", path, m.name);
			if (object(&f->obj[f->nobj - 1], name, err, errlen))
				return -1;
		}
		return r < 0 ? -1 : 0;
	}
	add(f, buf, len, NULL);
	if (object(&f->obj[0], path, err, errlen))
		return -1;
	f->kind = f->obj[0].e_type == ET_DYN ? BS_SHARED : BS_OBJECT;
	return 0;
}

int
bs_file_read(const char *path, struct bs_file *f, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY), rc;
	void *m;

	memset(f, 0, sizeof(*f));
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		close(fd);
		snprintf(err, errlen, "%s: %s", path, st.st_size ? "not a regular file" : "empty file");
		return -1;
	}
	m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = bs_file_parse(path, m, st.st_size, f, err, errlen);
	munmap(m, st.st_size);	/* every object keeps its own aligned copy */
	return rc;
}

void
bs_file_free(struct bs_file *f)
{
	for (size_t i = 0; i < f->nobj; i++) {
		free((char *)f->obj[i].member);
		free((void *)f->obj[i].bytes);
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
