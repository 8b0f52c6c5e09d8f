/* The kernel command line, as words split like a dbgsh line (quotes and
 * backslashes work).  The first word is the image's name (multiboot loaders
 * put it there).  Options mirror the hosted VMM's argv:
 *   -c CMD        run CMD, then power off (status 0 if all succeeded)
 *   -x CMD        run CMD at startup, then stay interactive
 *   --load 'FILE...'  `blob load FILE...' before the shell starts (modules;
 *                 several files form one namespace)
 *   --file MODULE[=BLOBPATH]  give blobs a module as a read-only file
 *   tty           the serial line is a terminal: prompt and line editing
 *   vmm.mem=SIZE  keep only SIZE (K/M/G) for the VMM's page allocator and
 *                 leave the RAM above it to a guest (read by main.c)
 * Example: -append "tty -x 'pci list'" or -append "-c version -c mem". */
#include <core/blobfile.h>
#include <core/console.h>
#include <core/core.h>
#include <core/dbgsh.h>
#include <core/string.h>
#include "pc.h"

static char words[2048];
static char made[16][300];
static int nmade;

static bool
add(const char **list, int *n, const char *cmd)
{
	if (*n == 16)
		return false;
	list[(*n)++] = cmd;
	return true;
}

int
pc_cmdline_parse(const char *line, struct boot_options *opt)
{
	char *argv[DBGSH_MAX_ARGS + 1];
	const char *err = "line too long";
	int argc = -1;

	if (strlen(line) < sizeof(words)) {
		strcpy(words, line);
		argc = dbgsh_split(words, argv, DBGSH_MAX_ARGS, &err);
	}
	if (argc < 0) {
		kprintf("blobvisor: kernel command line: %s\n", err);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok;

		if (!strcmp(a, "tty")) {
			pc_console_tty = true;
			continue;
		}
		if (str_starts_with(a, "vmm.mem="))
			continue;
		if (!val || (strcmp(a, "-c") && strcmp(a, "-x") && strcmp(a, "--load") &&
			     strcmp(a, "--file"))) {
			kprintf("blobvisor: kernel command line: %s: %s\n", a,
				val ? "unknown option" : "missing argument or unknown option");
			return 2;
		}
		i++;
		if (!strcmp(a, "-c")) {
			ok = add(opt->commands, &opt->ncommands, val);
		} else if (!strcmp(a, "-x")) {
			ok = add(opt->startup, &opt->nstartup, val);
		} else if (!strcmp(a, "--file")) {
			char *b = made[nmade++ % 16];

			blob_file_command(val, b, sizeof(made[0]));
			ok = add(opt->required, &opt->nrequired, b);
		} else {
			char *b = made[nmade++ % 16];

			snprintf(b, sizeof(made[0]), "blob load %s", val);
			ok = add(opt->required, &opt->nrequired, b);
		}
		if (!ok) {
			kprintf("blobvisor: kernel command line: more than 16 commands of a kind\n");
			return 2;
		}
	}
	return 0;
}
