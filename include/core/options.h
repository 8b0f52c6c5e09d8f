/* Command-line options: one table, filled by registration.  Each platform
 * feeds its argument words to options_parse (hosted: argv; pc: the multiboot
 * command line, split like a dbgsh line).  The core registers -c, -x and
 * --load; a platform or subsystem registers its own (--usbredir, tty,
 * vmm.mem=, vmm.guest_cmds=) next to the code that uses it, the way
 * commands register with DBGSH_COMMAND. */
#ifndef CORE_OPTIONS_H
#define CORE_OPTIONS_H

#include <core/types.h>

struct boot_options;

struct option {
	/* "-c", "tty", or "vmm.mem=": a name ending in '=' takes its value
	 * joined to it, otherwise arg says whether the next word is its value */
	const char *name;
	const char *arg;	/* the value's name for the usage list; NULL: none */
	/* Apply it: NULL, or a phrase saying what was wrong with val. */
	const char *(*set)(struct boot_options *opt, const char *val);
	const char *help;
};

#define OPTION_CAT2(a, b) a##b
#define OPTION_CAT(a, b) OPTION_CAT2(a, b)
#define OPTION(name_, arg_, set_, help_) \
	static const struct option OPTION_CAT(__option_, __LINE__) __used \
	__section("options") __attribute__((aligned(8))) = { name_, arg_, set_, help_ }

/* Apply argv[1..argc-1] to opt.  A word no option takes, a missing value or
 * a refused one prints one line, "WHERE: WORD: what was wrong", and makes
 * it return 2; 0 when every word was applied. */
int options_parse(int argc, char **argv, struct boot_options *opt, const char *where);
/* The registered options, one line each, sorted by name. */
void options_usage(void);

/* For set functions: add cmd to one of opt's command lists (a phrase when
 * the list is full), and build "FMT" with its one %s kept for the core. */
const char *options_add(const char **list, int *n, const char *cmd);
const char *options_command(const char *fmt, const char *arg);

#endif
