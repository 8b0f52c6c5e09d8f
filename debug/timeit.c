/* timeit CMD...: run one shell command and print how long it took (for
 * bench programs; figures come from `make bench', never from tests).  The
 * words are joined with single spaces and split again. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/platform.h>
#include <core/string.h>

static int
cmd_timeit(int argc, char **argv)
{
	char line[512];
	size_t n = 0;
	u64 t0, t1;
	int rc;

	if (argc < 2) {
		kprintf("usage: timeit COMMAND...\n");
		return 1;
	}
	line[0] = 0;
	for (int i = 1; i < argc; i++)
		n += snprintf(line + n, n < sizeof(line) ? sizeof(line) - n : 0, "%s%s",
			      i > 1 ? " " : "", argv[i]);
	if (n >= sizeof(line)) {
		kprintf("timeit: command too long\n");
		return 1;
	}
	t0 = plat_time_ns();
	rc = dbgsh_exec(line);
	t1 = plat_time_ns();
	kprintf("timeit: %llu ns\n", (unsigned long long)(t1 - t0));
	return rc;
}
DBGSH_COMMAND("timeit", cmd_timeit, "time one command: timeit COMMAND...");
