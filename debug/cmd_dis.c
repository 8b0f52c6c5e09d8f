/* dis SYM|ADDR [N] */
#include <core/console.h>
#include <core/dbgsh.h>
#include <debug/debug.h>

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
	if (dis_init())
		return 1;
	dis_print(addr, (unsigned)n, 0);
	return 0;
}
DBGSH_GUEST_COMMAND("dis", cmd_dis, "disassemble (AT&T, Zydis): dis SYM[+OFF]|BLOB:SYM|ADDR [N]");
