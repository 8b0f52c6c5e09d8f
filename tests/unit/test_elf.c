/* The ELF and ar parsers shared by the loader and blobscan: a real object
 * gcc produced is parsed like readelf sees it, and each kind of damage is
 * refused with one line naming the place.  Also: a failed load through the
 * whole loader leaves no memory behind. */
#include <stdint.h>
#include <stdio.h>
#include "tap.h"
#include "unit/host_plat.h"
#include <core/heap.h>
#include <core/pages.h>
#include <loader/ar.h>
#include <loader/blob.h>
#include <loader/elf.h>

static char err[512];
static u32 scratch[70000];

static void *
slurp(const char *rel, size_t *len)
{
	char path[512];
	FILE *f;
	void *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", getenv("BV_TOP") ? getenv("BV_TOP") : ".", rel);
	f = fopen(path, "rb");
	if (!f) {
		printf("Bail out! cannot open %s\n", path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = aligned_alloc(16, ((size_t)n + 31) & ~(size_t)15);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Parse a damaged copy; returns the error line or "" when accepted. */
static const char *
parse(const void *img, size_t len)
{
	struct elf_file f;

	err[0] = 0;
	if (elf_parse(&f, img, len, "t.o", scratch, sizeof(scratch), err, sizeof(err)) == 0)
		return "";
	return err;
}

#define CONTAINS(s, sub) (strstr((s), (sub)) != NULL)

static long
readelf_count(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	long v = -1;

	if (p && fscanf(p, "%ld", &v) != 1)
		v = -1;
	if (p)
		pclose(p);
	return v;
}

static u8 *obj;
static size_t objlen;
static u8 *work;

static Elf64_Ehdr *
fresh(void)
{
	memcpy(work, obj, objlen);
	return (Elf64_Ehdr *)work;
}

static Elf64_Shdr *
shdr(unsigned i)
{
	return (Elf64_Shdr *)(work + ((Elf64_Ehdr *)work)->e_shoff) + i;
}

static unsigned
find_section(const struct elf_file *f, unsigned type)
{
	for (unsigned i = 1; i < f->shnum; i++)
		if (f->sh[i].sh_type == type)
			return i;
	return 0;
}

static void
test_real_object_matches_readelf(void)
{
	struct elf_file f;
	char cmd[600];
	const char *top = getenv("BV_TOP") ? getenv("BV_TOP") : ".";

	TAP_CHECK(elf_parse(&f, obj, objlen, "rt_main_pic.o", scratch, sizeof(scratch), err,
			    sizeof(err)) == 0, "gcc's rt_main_pic.o parses (%s)", err);
	snprintf(cmd, sizeof(cmd), "readelf -h %s/build/loader-tests/rt_main_pic.o | awk '/Number of section headers/{print $5}'", top);
	TAP_CHECK(f.shnum == readelf_count(cmd), "section count %u as readelf says", f.shnum);
	snprintf(cmd, sizeof(cmd), "readelf -sW %s/build/loader-tests/rt_main_pic.o | awk '/^Symbol table/{print $5}' | tr -d \"'\"", top);
	TAP_CHECK((long)f.nsym == readelf_count(cmd), "symbol count %zu as readelf says", f.nsym);
	TAP_CHECK(!strcmp(elf_section_name(&f, 1), ".text"), "section 1 is .text (%s)",
		  elf_section_name(&f, 1));
}

static void
test_damage_is_refused(void)
{
	struct elf_file f;
	Elf64_Ehdr *eh;
	unsigned symtab, rela, text = 1;
	const char *m;

	elf_parse(&f, obj, objlen, "x", scratch, sizeof(scratch), err, sizeof(err));
	symtab = find_section(&f, SHT_SYMTAB);
	rela = find_section(&f, SHT_RELA);

	m = parse(obj, 40);
	TAP_CHECK(CONTAINS(m, "t.o: truncated: 40 bytes"), "a 40-byte file: %s", m);
	m = parse(obj, objlen / 2);
	TAP_CHECK(CONTAINS(m, "section headers beyond end of file"), "cut in half: %s", m);
	eh = fresh();
	eh->e_ident[1] = 'X';
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "not an ELF file"), "bad magic: %s", m);
	eh = fresh();
	eh->e_ident[4] = 1;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "not ELF64 (class 1)"), "ELF32: %s", m);
	eh = fresh();
	eh->e_machine = 3;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "not x86-64 (e_machine 3)"), "i386: %s", m);
	eh = fresh();
	eh->e_type = ET_EXEC;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "e_type 2"), "an executable: %s", m);
	eh = fresh();
	eh->e_shnum = 65000;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "section headers beyond end of file"), "a huge section count: %s", m);
	eh = fresh();
	eh->e_shstrndx = eh->e_shnum + 3;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "e_shstrndx"), "shstrndx out of range: %s", m);

	fresh();
	shdr(text)->sh_size = objlen;
	m = parse(work, objlen);
	snprintf(err + 256, 200, "t.o: section 1: sh_offset+sh_size beyond end of file (%#llx > %#zx)",
		 (unsigned long long)(shdr(text)->sh_offset + objlen), objlen);
	TAP_CHECK(!strcmp(m, err + 256), "a section beyond the end, GNU ld style: %s", m);
	fresh();
	shdr(symtab)->sh_size = (u64)1 << 40;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "beyond end of file"), "a huge symbol table: %s", m);
	fresh();
	shdr(2)->sh_offset = shdr(text)->sh_offset;
	if (!shdr(2)->sh_size || shdr(2)->sh_type == SHT_NOBITS)
		shdr(3)->sh_offset = shdr(text)->sh_offset;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "overlaps section"), "overlapping sections: %s", m);
	fresh();
	shdr(text)->sh_name = 0x7fffffff;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "section 1: name offset 0x7fffffff beyond"), "bad section name index: %s", m);
	fresh();
	((Elf64_Sym *)(work + shdr(symtab)->sh_offset))[1].st_name = 0x7ffffff0;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "symbol 1: name offset 0x7ffffff0 beyond string table"), "bad symbol name index: %s", m);
	fresh();
	((Elf64_Sym *)(work + shdr(symtab)->sh_offset))[1].st_shndx = 900;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "section index 900 out of range"), "symbol in a section that does not exist: %s", m);
	fresh();
	work[shdr(shdr(symtab)->sh_link)->sh_offset + shdr(shdr(symtab)->sh_link)->sh_size - 1] = 'x';
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "not NUL-terminated"), "unterminated string table: %s", m);
	fresh();
	((Elf64_Rela *)(work + shdr(rela)->sh_offset))[0].r_offset = shdr(shdr(rela)->sh_info)->sh_size - 2;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "outside its section"), "a relocation hanging off its section: %s", m);
	fresh();
	((Elf64_Rela *)(work + shdr(rela)->sh_offset))[0].r_info |= (u64)0xffff << 32;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "beyond symbol table"), "a relocation with a bad symbol index: %s", m);
	fresh();
	shdr(rela)->sh_info = 5000;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "relocated section 5000 out of range"), "relocations for a missing section: %s", m);
	fresh();
	shdr(text)->sh_addralign = 8192;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "alignment 0x2000 above 0x1000"), "alignment above a page: %s", m);
	fresh();
	shdr(text)->sh_addralign = 24;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "not a power of two"), "alignment 24: %s", m);
	fresh();
	shdr(rela)->sh_type = SHT_REL;
	m = parse(work, objlen);
	TAP_CHECK(CONTAINS(m, "SHT_REL"), "REL (not RELA) relocations: %s", m);
	m = parse(obj + 1, objlen - 1);
	TAP_CHECK(CONTAINS(m, "not 8-byte aligned"), "a misaligned buffer: %s", m);
	/* every truncation of a real object is refused or parsed, never a crash */
	{
		int bad = 0;

		for (size_t n = 0; n < objlen; n += 7)
			if (!*parse(obj, n))
				bad++;
		TAP_CHECK(bad == 0, "every truncation of rt_main_pic.o is refused (%d accepted)", bad);
	}
}

static void
test_archives(void)
{
	size_t len, lenl;
	u8 *a = slurp("build/loader-tests/libt.a", &len);
	u8 *l = slurp("build/loader-tests/libl.a", &lenl);
	u8 *thin;
	size_t lenthin;
	struct ar_file ar;
	struct ar_member m;
	u64 pos = 0;
	int n = 0, r;
	char names[512] = "";
	size_t cur = 0;
	const char *sym;
	u32 k;
	u64 hdr;
	bool found = false;

	TAP_CHECK(ar_open(&ar, a, len, "libt.a", err, sizeof(err)) == 0, "libt.a opens (%s)", err);
	while ((r = ar_next(&ar, &pos, &m, err, sizeof(err))) == 1) {
		strcat(names, m.name);
		strcat(names, " ");
		n++;
	}
	TAP_CHECK(r == 0 && !strcmp(names, "rt_other_pic.o unrelated.o "), "members as `ar t' lists them: %s", names);
	while (ar_index_next(&ar, &cur, &k, &sym, &hdr))
		if (!strcmp(sym, "unrelated_fn") && ar_member_at(&ar, hdr, &m, err, sizeof(err)) == 0)
			found = !strcmp(m.name, "unrelated.o");
	TAP_CHECK(found, "the symbol index maps unrelated_fn to unrelated.o");
	TAP_CHECK(ar_open(&ar, l, lenl, "libl.a", err, sizeof(err)) == 0, "libl.a opens");
	pos = 0;
	ar_next(&ar, &pos, &m, err, sizeof(err));
	TAP_CHECK(!strcmp(m.name, "a_member_with_a_long_name.o"), "a long name through //: %s", m.name);

	thin = slurp("build/loader-tests/libthin.a", &lenthin);
	TAP_CHECK(ar_open(&ar, thin, lenthin, "libthin.a", err, sizeof(err)) && CONTAINS(err, "libthin.a: thin archive"),
		  "a thin archive is refused: %s", err);
	memcpy(work, a, len);
	memcpy(work + 8 + 58, "xx", 2);
	TAP_CHECK(ar_open(&ar, work, len, "bad.a", err, sizeof(err)) && CONTAINS(err, "bad magic"),
		  "a damaged member header: %s", err);
	memcpy(work, a, len);
	memcpy(work + 8 + 48, "9999999999", 10);
	TAP_CHECK(ar_open(&ar, work, len, "bad.a", err, sizeof(err)) && CONTAINS(err, "beyond end of file"),
		  "a member size beyond the end: %s", err);
	memcpy(work, a, len);
	work[8 + 60 + 4 + 3] ^= 0x40;	/* first index offset, low byte */
	TAP_CHECK(ar_open(&ar, work, len, "bad.a", err, sizeof(err)) && CONTAINS(err, "not a member"),
		  "an index entry pointing into a member: %s", err);
	TAP_CHECK(ar_open(&ar, a, 20, "short.a", err, sizeof(err)) != 0, "a truncated archive: %s", err);
	/* Every truncation is refused in one line naming the file, or opens and
	 * yields only members that lie inside what is left, ending cleanly only
	 * where a member (or its padding byte) ended. */
	{
		size_t bad = 0, refused = 0, first_bad = 0;

		for (size_t cut = 0; cut < len; cut += 5) {
			size_t end = 8;		/* after the magic */
			int rc = -1;

			err[0] = 0;
			pos = 0;
			if (ar_open(&ar, a, cut, "cut.a", err, sizeof(err)) == 0) {
				while ((rc = ar_next(&ar, &pos, &m, err, sizeof(err))) == 1) {
					if (m.data < a + 8 || m.data + m.size > a + cut)
						break;
					end = m.data + m.size - a;
				}
			} else {
				refused++;
			}
			if (rc == 1 || (rc == 0 && cut != end && cut != end + 1) ||
			    (rc < 0 && !CONTAINS(err, "cut.a")))
				first_bad = bad++ ? first_bad : cut;
		}
		TAP_CHECK(!bad && refused,
			  "every truncation of libt.a is refused naming cut.a or ends at a member "
			  "(%zu wrong, first at %zu; %zu refused)", bad, first_bad, refused);
	}
	free(a);
	free(l);
	free(thin);
}

static void
test_failed_load_leaves_nothing(void)
{
	struct heap_stats h0, h1;
	struct pages_stats p0, p1;
	size_t la, lb;
	u8 *a = slurp("build/loader-tests/dup_a.o", &la);
	u8 *b = slurp("build/loader-tests/dup_b.o", &lb);
	struct blob_input in[2] = { { "dup_a.o", a, la }, { "dup_b.o", b, lb } };
	struct blob *bl;

	heap_free(heap_alloc(16));	/* the heap's first arena is not the loader's */
	heap_stats(&h0);
	pages_stats(&p0);
	bl = blob_load_inputs(in, 2, BLOB_NORUN | BLOB_QUIET);
	heap_stats(&h1);
	pages_stats(&p1);
	TAP_CHECK(!bl && CONTAINS(host_console, "duplicate symbol `dup_sym': defined in dup_a.o and in dup_b.o"),
		  "duplicate definitions fail the load");
	TAP_CHECK(h1.live_blocks == h0.live_blocks && h1.used_bytes == h0.used_bytes,
		  "no heap block is left (%zu -> %zu blocks)", h0.live_blocks, h1.live_blocks);
	TAP_CHECK(p1.used == p0.used, "no page is left (%zu -> %zu)", p0.used, p1.used);
	in[1].len = 100;	/* truncated */
	host_console_clear();
	bl = blob_load_inputs(in, 2, BLOB_NORUN | BLOB_QUIET);
	heap_stats(&h1);
	TAP_CHECK(!bl && CONTAINS(host_console, "blob: dup_b.o: section headers beyond end of file"),
		  "a truncated second file fails the load: %s", host_console);
	TAP_CHECK(h1.live_blocks == h0.live_blocks, "no heap block is left (%zu -> %zu blocks)",
		  h0.live_blocks, h1.live_blocks);
	free(a);
	free(b);
}

int
main(void)
{
	void *base;
	size_t len;
	char relname[32];

	plat_memory_region(&base, &len);
	pages_init(base, len);
	obj = slurp("build/loader-tests/rt_main_pic.o", &objlen);
	work = aligned_alloc(16, (objlen + 65536 + 15) & ~(size_t)15);
	TAP_CHECK(!strcmp(elf_reloc_name(R_X86_64_REX_GOTPCRELX, relname, sizeof(relname)), "R_X86_64_REX_GOTPCRELX"),
		  "relocation names: %s", relname);
	TAP_CHECK(!strcmp(elf_reloc_name(200, relname, sizeof(relname)), "R_X86_64_<200>"),
		  "an unknown relocation number: %s", relname);
	test_real_object_matches_readelf();
	test_damage_is_refused();
	test_archives();
	test_failed_load_leaves_nothing();
	return tap_done();
}
