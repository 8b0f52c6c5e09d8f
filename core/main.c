#include <core/console.h>
#include <core/core.h>
#include <core/dbgsh.h>
#include <core/init.h>
#include <core/pages.h>
#include <core/platform.h>

int
core_main(const struct boot_options *opt)
{
	void *base;
	size_t len;
	int failed = 0;

	plat_memory_region(&base, &len);
	pages_init(base, len);
	initfuncs_run();

	for (int i = 0; i < opt->nrequired; i++)
		if (dbgsh_exec(opt->required[i]))
			return 1;
	if (opt->ncommands) {
		for (int i = 0; i < opt->ncommands; i++)
			failed |= dbgsh_exec(opt->commands[i]);
		return failed ? 1 : 0;
	}
	for (int i = 0; i < opt->nstartup; i++)
		dbgsh_exec(opt->startup[i]);
	return dbgsh_loop(plat_console_is_tty());
}
