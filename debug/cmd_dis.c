/* dis SYM|ADDR [N] */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/platform.h>
#include <debug/debug.h>
#include <domain/domain.h>
#include <loader/introspect.h>

#define INSN_MAX 15	/* the longest x86 instruction: what one decode may read */

extern const char __executable_start[], etext[];

/* For the guest, dis reads code only: the core's text or a blob's
 * executable section.  Anything else (the VMM's data, the blobs' heaps,
 * the registers of a controller the VMM hides from the guest) is not the
 * guest's to read.  Returns the end of the code holding addr, 0 if none. */
static u64
guest_code_end(u64 addr)
{
	struct blob_section s;

	if (addr >= (u64)__executable_start && addr < (u64)etext)
		return (u64)etext;
	if (blob_section_at(addr, NULL, &s) && (s.prot & PROT_X))
		return s.addr + s.size;
	return 0;
}

static int
cmd_dis(int argc, char **argv)
{
	u64 addr, n = 16;

	if (argc < 2 || argc > 3) {
		kprintf("usage: dis SYM[+OFF]|BLOB:SYM|ADDR [N]\n");
		return 1;
	}
	if (!dbg_parse_addr(argv[1], &addr))
		return 1;
	if (argc == 3 && (!dbgsh_parse_u64(argv[2], &n) || !n || n > 4096)) {
		kprintf("dis: bad count `%s'\n", argv[2]);
		return 1;
	}
	if (dbgsh_for_guest()) {
		u64 end = guest_code_end(addr);

		if (!end || end - addr < INSN_MAX) {
			kprintf("dis: %#llx: not code of the VMM or of a blob; the guest may disassemble only those\n",
				(unsigned long long)addr);
			return 1;
		}
		if (n > (end - addr) / INSN_MAX)	/* no decode may read past the code */
			n = (end - addr) / INSN_MAX;
	}
	if (dis_init())
		return 1;
	domain_window(true);	/* a domain's code is on user pages (SMAP) */
	dis_print(addr, (unsigned)n, 0);
	domain_window(false);
	return 0;
}
DBGSH_GUEST_COMMAND("dis", cmd_dis, "disassemble (AT&T, Zydis): dis SYM[+OFF]|BLOB:SYM|ADDR [N]");
