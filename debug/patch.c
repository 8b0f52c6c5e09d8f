/* Code patches: patch ADDR HEXBYTES, nop ADDR (one whole instruction),
 * patch list, unpatch ADDR|all, and x ADDR [N] to read bytes back.  Blob
 * text stays read-only except for the moment the debugger writes it
 * (blob_image_write: hosted, through the image's memfd; elsewhere
 * plat_protect around the copy).  Hooks and breakpoints record their
 * bytes here too, so `patch list' shows every change to blob code. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include <debug/debug.h>
#include <domain/domain.h>
#include "patch.h"
#include <loader/blob.h>
#include <loader/introspect.h>

static struct patch patches[PATCH_MAX];

/* Inside the text of a loaded blob? */
static bool
in_blob_text(u64 a, size_t len)
{
	struct blob_section s;

	/* a linked-in blob's (blob_register_static) text region counts too */
	return blob_section_at(a, NULL, &s) && (s.prot & PROT_X) && a + len <= s.addr + s.size;
}

const char *
dbg_domain_of(u64 a)
{
	struct blob_section s;
	struct blob *b;
	struct domain *d;

	if (blob_section_at(a, &b, &s) && blob_domain(b))
		return blob_name(b);
	/* the loader's PLT and GOT are no section, but the domain's pages */
	return (d = domain_at(a)) ? domain_name(d) : NULL;
}

/* A domain's text is a user page: the copy goes through SMAP's window
 * (plat_protect keeps the U bit); other blob images through
 * blob_image_write. */
int
dbg_write(u64 addr, const void *bytes, size_t len, int prot_after)
{
	u64 lo = addr & ~(u64)(PAGE_SIZE - 1);
	u64 hi = (addr + len + PAGE_SIZE - 1) & ~(u64)(PAGE_SIZE - 1);
	bool user = dbg_domain_of(addr);
	int rc = user ? 1 : blob_image_write(addr, bytes, len);

	/* a blob image: written without a writable view (hosted: through
	 * its memfd); a domain's pages (bare metal: user pages, SMAP) and
	 * anything else (a static blob, our trampolines) are opened for the
	 * moment of the copy */
	if (rc <= 0)
		return rc;
	if (plat_protect((void *)lo, hi - lo, PROT_R | PROT_W))
		return -1;
	if (user)
		domain_window(true);
	memcpy((void *)addr, bytes, len);
	if (user)
		domain_window(false);
	return plat_protect((void *)lo, hi - lo, prot_after);
}

const char *
dbg_text_refusal(u64 a, size_t len)
{
	if (in_blob_text(a, len))
		return NULL;
	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		struct blob_tables t;

		blob_tables(b, &t);
		if (t.nplt && a >= t.plt && a < t.plt + (u64)t.nplt * t.plt_stub)
			return "a PLT stub the loader made, not the blob's own code";
	}
	return "not inside the text of a loaded blob";
}

int
dbg_text_write(u64 addr, const void *bytes, size_t len)
{
	if (!in_blob_text(addr, len))
		return -1;
	return dbg_write(addr, bytes, len, PROT_R | PROT_X);
}

struct patch *
patch_add(u64 addr, const u8 *bytes, size_t len, const char *kind)
{
	struct patch *free_slot = NULL;

	if (!len || len > PATCH_BYTES) {
		kprintf("patch: %zu bytes: 1 to %d allowed\n", len, PATCH_BYTES);
		return NULL;
	}
	if (!in_blob_text(addr, len)) {
		kprintf("patch: %#llx: %s\n", (unsigned long long)addr, dbg_text_refusal(addr, len));
		return NULL;
	}
	for (unsigned i = 0; i < PATCH_MAX; i++) {
		struct patch *p = &patches[i];

		if (!p->len) {
			if (!free_slot)
				free_slot = p;
			continue;
		}
		if (addr < p->addr + p->len && p->addr < addr + len) {
			kprintf("patch: %#llx: overlaps the %s at %#llx (unpatch it first)\n",
				(unsigned long long)addr, p->kind, (unsigned long long)p->addr);
			return NULL;
		}
	}
	if (!free_slot) {
		kprintf("patch: all %d patch slots in use\n", PATCH_MAX);
		return NULL;
	}
	free_slot->addr = addr;
	free_slot->len = len;
	free_slot->kind = kind;
	if (dbg_domain_of(addr))
		domain_window(true);
	memcpy(free_slot->orig, (const void *)addr, len);
	if (dbg_domain_of(addr))
		domain_window(false);
	memcpy(free_slot->now, bytes, len);
	if (dbg_text_write(addr, bytes, len)) {
		kprintf("patch: %#llx: could not write the text\n", (unsigned long long)addr);
		free_slot->len = 0;
		return NULL;
	}
	return free_slot;
}

int
patch_remove(struct patch *p)
{
	if (dbg_text_write(p->addr, p->orig, p->len))
		return -1;
	p->len = 0;
	return 0;
}

const char *
patch_show_original(u64 addr, u8 *buf, size_t n)
{
	const char *kind = NULL;

	for (unsigned i = 0; i < PATCH_MAX; i++) {
		const struct patch *p = &patches[i];

		if (!p->len || (strcmp(p->kind, "bp") && strcmp(p->kind, "hook")))
			continue;
		for (size_t k = 0; k < p->len; k++)
			if (p->addr + k >= addr && p->addr + k < addr + n) {
				buf[p->addr + k - addr] = p->orig[k];
				if (p->addr == addr)
					kind = p->kind;
			}
	}
	return kind;
}

void
patch_forget(const struct blob *b)
{
	for (unsigned i = 0; i < PATCH_MAX; i++)
		if (patches[i].len && dbg_addr_in_blob(b, patches[i].addr))
			patches[i].len = 0;
}

struct patch *
patch_find(u64 addr)
{
	for (unsigned i = 0; i < PATCH_MAX; i++)
		if (patches[i].len && patches[i].addr == addr)
			return &patches[i];
	return NULL;
}

/* Decode from the containing function's start: is addr an instruction
 * boundary?  Fills *d with the instruction at addr. */
static bool
at_boundary(u64 addr, struct dis_insn *d, u64 *before)
{
	char sym[128];
	u64 pc = 0;
	char *plus;

	if (!dbg_symbolize(addr, sym, sizeof(sym), false))
		return false;
	if ((plus = strchr(sym, '+')))
		*plus = 0;
	if (!dbg_parse_addr(sym, &pc))
		return false;
	*before = pc;
	while (pc < addr) {
		if (dis_decode(pc, d))
			return false;
		*before = pc;
		pc += d->len;
	}
	return pc == addr && !dis_decode(addr, d);
}

static int
cmd_patch(int argc, char **argv)
{
	u64 addr;
	u8 bytes[PATCH_BYTES];
	size_t n = 0;
	const char *h;

	if (argc != 3) {
		kprintf("usage: patch ADDR|SYM+OFF HEXBYTES   (patch list: show patches)\n");
		return 1;
	}
	if (!dbg_parse_addr(argv[1], &addr))
		return 1;
	for (h = argv[2]; *h; ) {
		unsigned v = 0;

		for (int k = 0; k < 2; k++, h++) {
			char c = *h;

			if (c >= '0' && c <= '9')
				v = v * 16 + (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v = v * 16 + (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v = v * 16 + (unsigned)(c - 'A' + 10);
			else {
				kprintf("patch: `%s': not an even number of hex digits\n", argv[2]);
				return 1;
			}
		}
		if (n == PATCH_BYTES) {
			kprintf("patch: at most %d bytes\n", PATCH_BYTES);
			return 1;
		}
		bytes[n++] = (u8)v;
	}
	if (!patch_add(addr, bytes, n, "patch"))
		return 1;
	kprintf("patched %zu bytes at %#llx\n", n, (unsigned long long)addr);
	return 0;
}
DBGSH_COMMAND("patch", cmd_patch, "overwrite blob code: patch ADDR|SYM+OFF HEXBYTES");

/* the recommended multi-byte NOPs, one instruction each */
static const u8 nops[9][9] = {
	{ 0x90 }, { 0x66, 0x90 }, { 0x0f, 0x1f, 0x00 }, { 0x0f, 0x1f, 0x40, 0x00 },
	{ 0x0f, 0x1f, 0x44, 0x00, 0x00 }, { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
	{ 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

static int
nop_body(int argc, char **argv)
{
	u64 addr, before = 0;
	struct dis_insn d;
	u8 bytes[PATCH_BYTES];
	const char *why;
	char sym[128];

	if (argc != 2) {
		kprintf("usage: nop ADDR|SYM+OFF   (replaces exactly one instruction)\n");
		return 1;
	}
	if (!dbg_parse_addr(argv[1], &addr) || dis_init())
		return 1;
	if ((why = dbg_text_refusal(addr, 1))) {
		kprintf("nop: %#llx: %s\n", (unsigned long long)addr, why);
		return 1;
	}
	if (!dbg_symbolize(addr, sym, sizeof(sym), false)) {
		kprintf("nop: %#llx: no symbol contains it, so its instruction boundaries are "
			"unknown\n", (unsigned long long)addr);
		return 1;
	}
	if (!at_boundary(addr, &d, &before)) {
		kprintf("nop: %#llx: not an instruction boundary (the instruction at %#llx covers it)\n",
			(unsigned long long)addr, (unsigned long long)before);
		return 1;
	}
	if (d.len <= 9)
		memcpy(bytes, nops[d.len - 1], d.len);
	else
		memset(bytes, 0x90, d.len);
	if (!patch_add(addr, bytes, d.len, "nop"))
		return 1;
	kprintf("nop: %#llx: replaced `%s' (%u bytes)\n", (unsigned long long)addr, d.text, d.len);
	return 0;
}
/* decoding a domain's code reads user pages: SMAP's window while it runs */
static int
cmd_nop(int argc, char **argv)
{
	int r;

	domain_window(true);
	r = nop_body(argc, argv);
	domain_window(false);
	return r;
}
DBGSH_COMMAND("nop", cmd_nop, "replace one whole instruction by a NOP: nop ADDR|SYM+OFF");

static void
hex(const u8 *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kprintf("%02x", b[i]);
}

static int
cmd_patch_list(int argc, char **argv)
{
	unsigned n = 0;
	char sym[128];

	for (unsigned i = 0; i < PATCH_MAX; i++) {
		struct patch *p = &patches[i];

		if (!p->len)
			continue;
		n++;
		kprintf("%016llx %-20s %-5s ", (unsigned long long)p->addr,
			dbg_symbolize(p->addr, sym, sizeof(sym), false) ? sym : "?", p->kind);
		hex(p->orig, p->len);
		kprintf(" -> ");
		hex(p->now, p->len);
		kprintf("\n");
	}
	kprintf("%u patch%s\n", n, n == 1 ? "" : "es");
	return 0;
}
DBGSH_COMMAND("patch list", cmd_patch_list, "list changes to blob code (patches, nops, hooks, breakpoints)");

static int
cmd_unpatch(int argc, char **argv)
{
	u64 addr;
	struct patch *p;
	unsigned n = 0;

	if (argc != 2) {
		kprintf("usage: unpatch ADDR|SYM+OFF|all\n");
		return 1;
	}
	if (!strcmp(argv[1], "all")) {
		for (unsigned i = 0; i < PATCH_MAX; i++)
			if (patches[i].len && (!strcmp(patches[i].kind, "patch") ||
					       !strcmp(patches[i].kind, "nop"))) {
				if (patch_remove(&patches[i]))
					return 1;
				n++;
			}
		kprintf("unpatch: %u restored\n", n);
		return 0;
	}
	if (!dbg_parse_addr(argv[1], &addr))
		return 1;
	if (!(p = patch_find(addr)) || (strcmp(p->kind, "patch") && strcmp(p->kind, "nop"))) {
		kprintf("unpatch: %#llx: no patch starts there%s\n", (unsigned long long)addr,
			p ? " (a hook or breakpoint: use unhook / bp del)" : "");
		return 1;
	}
	if (patch_remove(p))
		return 1;
	kprintf("unpatch: %#llx restored\n", (unsigned long long)addr);
	return 0;
}
DBGSH_COMMAND("unpatch", cmd_unpatch, "restore original bytes: unpatch ADDR|SYM+OFF|all");

static int
cmd_x(int argc, char **argv)
{
	u64 addr, n = 16;

	if (argc < 2 || argc > 3 || !dbg_parse_addr(argv[1], &addr) ||
	    (argc == 3 && (!dbgsh_parse_u64(argv[2], &n) || n > 4096))) {
		kprintf("usage: x ADDR|SYM+OFF [N]\n");
		return 1;
	}
	if (!in_blob_text(addr, n) && !in_blob_text(addr, 1)) {
		kprintf("x: %#llx: only blob text is shown\n", (unsigned long long)addr);
		return 1;
	}
	for (u64 i = 0; i < n; i += 16) {
		char line[16 * 3 + 1];
		size_t o = 0;

		domain_window(true);	/* a domain's text is a user page */
		for (u64 k = i; k < n && k < i + 16; k++)
			o += (size_t)snprintf(line + o, sizeof(line) - o, " %02x", ((const u8 *)addr)[k]);
		domain_window(false);
		kprintf("%016llx:%s\n", (unsigned long long)(addr + i), line);
	}
	return 0;
}
DBGSH_COMMAND("x", cmd_x, "dump bytes of blob code: x ADDR|SYM+OFF [N]");
