/* ELF64 for x86-64: the types and constants the loader and blobscan need,
 * written from the System V ABI (no glibc <elf.h>), and the one parser both
 * share.  The parser compiles in the core and on the host: it uses only
 * <core/types.h> and <core/string.h> and allocates nothing itself. */
#ifndef LOADER_ELF_H
#define LOADER_ELF_H

#include <core/types.h>

typedef struct {
	u8 e_ident[16];
	u16 e_type, e_machine;
	u32 e_version;
	u64 e_entry, e_phoff, e_shoff;
	u32 e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	u32 sh_name, sh_type;
	u64 sh_flags, sh_addr, sh_offset, sh_size;
	u32 sh_link, sh_info;
	u64 sh_addralign, sh_entsize;
} Elf64_Shdr;

typedef struct {
	u32 p_type, p_flags;
	u64 p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64_Phdr;

typedef struct {
	u32 st_name;
	u8 st_info, st_other;
	u16 st_shndx;
	u64 st_value, st_size;
} Elf64_Sym;

typedef struct {
	u64 r_offset, r_info;
	s64 r_addend;
} Elf64_Rela;

typedef struct {
	s64 d_tag;
	u64 d_val;
} Elf64_Dyn;

#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_REL		1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62

#define SHN_UNDEF	0
#define SHN_LORESERVE	0xff00
#define SHN_ABS		0xfff1
#define SHN_COMMON	0xfff2
#define SHN_XINDEX	0xffff

#define SHT_NULL	0
#define SHT_PROGBITS	1
#define SHT_SYMTAB	2
#define SHT_STRTAB	3
#define SHT_RELA	4
#define SHT_HASH	5
#define SHT_DYNAMIC	6
#define SHT_NOTE	7
#define SHT_NOBITS	8
#define SHT_REL		9
#define SHT_DYNSYM	11
#define SHT_INIT_ARRAY	14
#define SHT_FINI_ARRAY	15
#define SHT_PREINIT_ARRAY 16
#define SHT_GROUP	17
#define SHT_SYMTAB_SHNDX 18
#define SHT_X86_64_UNWIND 0x70000001

#define SHF_WRITE	0x1
#define SHF_ALLOC	0x2
#define SHF_EXECINSTR	0x4
#define SHF_MERGE	0x10
#define SHF_STRINGS	0x20
#define SHF_TLS		0x400

#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_TLS		7
#define PT_GNU_RELRO	0x6474e552
#define PF_X		1
#define PF_W		2
#define PF_R		4

#define STB_LOCAL	0
#define STB_GLOBAL	1
#define STB_WEAK	2
#define STB_GNU_UNIQUE	10
#define STT_NOTYPE	0
#define STT_OBJECT	1
#define STT_FUNC	2
#define STT_SECTION	3
#define STT_FILE	4
#define STT_COMMON	5
#define STT_TLS		6
#define STT_GNU_IFUNC	10
#define ELF64_ST_BIND(i)	((i) >> 4)
#define ELF64_ST_TYPE(i)	((i) & 0xf)
#define ELF64_ST_VISIBILITY(o)	((o) & 3)
#define STV_DEFAULT	0
#define STV_HIDDEN	2

#define ELF64_R_SYM(i)		((u32)((i) >> 32))
#define ELF64_R_TYPE(i)		((u32)(i))

#define DT_NULL		0
#define DT_NEEDED	1
#define DT_PLTRELSZ	2
#define DT_HASH		4
#define DT_STRTAB	5
#define DT_SYMTAB	6
#define DT_RELA		7
#define DT_RELASZ	8
#define DT_RELAENT	9
#define DT_STRSZ	10
#define DT_SYMENT	11
#define DT_INIT		12
#define DT_FINI		13
#define DT_SONAME	14
#define DT_REL		17
#define DT_PLTREL	20
#define DT_TEXTREL	22
#define DT_JMPREL	23
#define DT_INIT_ARRAY	25
#define DT_FINI_ARRAY	26
#define DT_INIT_ARRAYSZ	27
#define DT_FINI_ARRAYSZ	28
#define DT_GNU_HASH	0x6ffffef5

/* x86-64 relocation types (psABI numbering). */
enum {
	R_X86_64_NONE = 0, R_X86_64_64 = 1, R_X86_64_PC32 = 2, R_X86_64_GOT32 = 3,
	R_X86_64_PLT32 = 4, R_X86_64_COPY = 5, R_X86_64_GLOB_DAT = 6,
	R_X86_64_JUMP_SLOT = 7, R_X86_64_RELATIVE = 8, R_X86_64_GOTPCREL = 9,
	R_X86_64_32 = 10, R_X86_64_32S = 11, R_X86_64_16 = 12, R_X86_64_PC16 = 13,
	R_X86_64_8 = 14, R_X86_64_PC8 = 15, R_X86_64_DTPMOD64 = 16,
	R_X86_64_DTPOFF64 = 17, R_X86_64_TPOFF64 = 18, R_X86_64_TLSGD = 19,
	R_X86_64_TLSLD = 20, R_X86_64_DTPOFF32 = 21, R_X86_64_GOTTPOFF = 22,
	R_X86_64_TPOFF32 = 23, R_X86_64_PC64 = 24, R_X86_64_GOTOFF64 = 25,
	R_X86_64_GOTPC32 = 26, R_X86_64_GOT64 = 27, R_X86_64_GOTPCREL64 = 28,
	R_X86_64_GOTPC64 = 29, R_X86_64_GOTPLT64 = 30, R_X86_64_PLTOFF64 = 31,
	R_X86_64_SIZE32 = 32, R_X86_64_SIZE64 = 33, R_X86_64_GOTPC32_TLSDESC = 34,
	R_X86_64_TLSDESC_CALL = 35, R_X86_64_TLSDESC = 36, R_X86_64_IRELATIVE = 37,
	R_X86_64_RELATIVE64 = 38, R_X86_64_GOTPCRELX = 41,
	R_X86_64_REX_GOTPCRELX = 42, R_X86_64_NUM = 43
};

/* "R_X86_64_PC32", or "R_X86_64_<n>" in buf for unknown numbers. */
const char *elf_reloc_name(u32 type, char *buf, size_t size);
/* Bytes a relocation of this type writes (0: none or unknown). */
unsigned elf_reloc_width(u32 type);

/* A validated view of one ELF64 x86-64 image in memory.  Every pointer
 * below points into the caller's buffer, which must stay alive and be
 * 8-byte aligned.  After elf_parse() succeeds, every offset, size, index
 * and string the loader reads through these has been checked. */
struct elf_file {
	const char *name;		/* for messages: "libz.a(inflate.o)" */
	const u8 *buf;
	size_t len;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;		/* NULL if shnum == 0 */
	unsigned shnum;
	const char *shstr;
	size_t shstrsz;
	const Elf64_Phdr *ph;		/* NULL if phnum == 0 */
	unsigned phnum;
	/* The symbol table: .symtab for ET_REL, .dynsym for ET_DYN. */
	unsigned symtab;		/* section index, 0 if none */
	const Elf64_Sym *sym;
	size_t nsym;
	const char *str;
	size_t strsz;
};

/* Limits against absurd counts (a fuzzer's favourite). */
#define ELF_MAX_SECTIONS	65280
#define ELF_MAX_ALIGN		4096

/* Parse and validate.  On failure returns -1 with one line in err:
 * "NAME: section 12: sh_offset+sh_size beyond end of file (0x9c40 > 0x9000)".
 * scratch must hold 4 * e_shnum bytes (elf_scratch_size() tells how much
 * after a peek at the header); it is used to sort sections by offset. */
int elf_parse(struct elf_file *f, const void *buf, size_t len, const char *name,
	      u32 *scratch, size_t scratch_len, char *err, size_t errsz);
/* Bytes of scratch elf_parse needs for this buffer (0 if too short to say). */
size_t elf_scratch_size(const void *buf, size_t len);

/* Names, each valid after elf_parse (never NULL; "" when out of range). */
const char *elf_section_name(const struct elf_file *f, unsigned idx);
const char *elf_sym_name(const struct elf_file *f, size_t idx);
/* The RELA section's entries (validated: r_offset inside the target section,
 * symbol index inside the symbol table). */
const Elf64_Rela *elf_rela(const struct elf_file *f, unsigned sec, size_t *n);

/* "NAME: message" into err (GNU ld style); returns -1 for `return fail(...)'.
 * Shared by the ELF and archive parsers. */
int loader_fail(const char *name, char *err, size_t errsz, const char *fmt, ...)
	__printf(4, 5);

#endif
