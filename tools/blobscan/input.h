/* What blobscan knows about its input: every ELF object (a plain .o, an
 * archive member, a .so) reduced to sections, symbols and relocations.
 * Parsing and validation are the loader's (loader/elf.c, loader/ar.c);
 * input.c only turns the loader's view into these records, so blobscan
 * judges a file exactly as `blob load` would read it. */
#ifndef BLOBSCAN_INPUT_H
#define BLOBSCAN_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bs_section {
	const char *name;
	uint32_t type, link, info;
	uint64_t flags, addr, offset, size, entsize, align;
	const uint8_t *data;		/* NULL for SHT_NOBITS */
};

struct bs_symbol {
	const char *name;		/* section symbols: the section's name */
	uint8_t bind, type, other;
	uint16_t shndx;
	uint64_t value, size;
};

struct bs_reloc {
	uint32_t type;
	uint32_t sym;			/* index into the object's symbols */
	uint32_t target;		/* section the relocation patches */
	uint32_t relsec;		/* the SHT_RELA/SHT_REL section itself */
	uint64_t offset;
	int64_t addend;
};

struct bs_object {
	const char *file;		/* as given on the command line */
	const char *member;		/* archive member name, or NULL */
	const uint8_t *bytes;
	uint64_t size;
	uint16_t e_type;		/* ET_REL or ET_DYN */
	size_t nsec;
	struct bs_section *sec;
	size_t nsym;			/* .symtab (ET_REL) or .dynsym (ET_DYN), */
	struct bs_symbol *sym;		/* index 0 included */
	size_t nrel;
	struct bs_reloc *rel;
	size_t nneeded;			/* ET_DYN: DT_NEEDED names */
	const char **needed;
	bool textrel;			/* ET_DYN: DT_TEXTREL or DF_TEXTREL */
};

enum bs_file_kind { BS_OBJECT, BS_ARCHIVE, BS_SHARED };

struct bs_file {
	const char *path;
	enum bs_file_kind kind;
	uint8_t *map;
	size_t len;
	size_t nobj;
	struct bs_object *obj;
};

/* Read and validate PATH.  On bad input return -1 with one line in ERR
 * (file, member, section, offset first, then the fact). */
int bs_file_read(const char *path, struct bs_file *f, char *err, size_t errlen);
/* The same from bytes already in memory (the fuzz target's entry point). */
int bs_file_parse(const char *path, const uint8_t *buf, size_t len, struct bs_file *f,
		  char *err, size_t errlen);
void bs_file_free(struct bs_file *f);

/* "libz.a(crc32.o)" or "vendor.so" into BUF. */
const char *bs_object_name(const struct bs_object *o, char *buf, size_t len);

/* What the loader supports beyond relocation types (loader_caps.c). */
const char *bs_reloc_name(uint32_t type);
bool bs_loader_runs_ifunc(void);

#endif
