/* The option table and its parser (include/core/options.h), and the
 * options every platform has: -c, -x, --load. */
#include <core/console.h>
#include <core/core.h>
#include <core/options.h>
#include <core/string.h>
#include "section.h"

SECTION_BOUNDS(struct option, options);

/* name=value options match up to and including the '='. */
static bool
matches(const struct option *o, const char *word)
{
	size_t n = strlen(o->name);

	if (n && o->name[n - 1] == '=')
		return !strncmp(word, o->name, n);
	return !strcmp(word, o->name);
}

static const struct option *
find(const char *word)
{
	for (size_t i = 0; i < SECTION_COUNT(options); i++)
		if (matches(&__start_options[i], word))
			return &__start_options[i];
	return NULL;
}

int
options_parse(int argc, char **argv, struct boot_options *opt, const char *where)
{
	for (int i = 1; i < argc; i++) {
		const struct option *o = find(argv[i]);
		const char *word = argv[i], *val = NULL, *err;
		size_t n;

		if (!o) {
			kprintf("%s: %s: unknown option\n", where, word);
			return 2;
		}
		n = strlen(o->name);
		if (o->name[n - 1] == '=') {
			val = word + n;
		} else if (o->arg) {
			if (i + 1 == argc) {
				kprintf("%s: %s: missing argument %s\n", where, word, o->arg);
				return 2;
			}
			val = argv[++i];
		}
		err = o->set(opt, val);
		if (err) {
			/* the word as given, with a separate value after it */
			kprintf("%s: %s%s%s: %s\n", where, word, val && val != word + n ? " " : "",
				val && val != word + n ? val : "", err);
			return 2;
		}
	}
	return 0;
}

void
options_usage(void)
{
	const struct option *prev = NULL;

	/* sorted by name: pick the next larger name each round */
	for (;;) {
		const struct option *next = NULL;

		for (size_t i = 0; i < SECTION_COUNT(options); i++) {
			const struct option *o = &__start_options[i];

			if ((!prev || strcmp(o->name, prev->name) > 0) &&
			    (!next || strcmp(o->name, next->name) < 0))
				next = o;
		}
		if (!next)
			return;
		kprintf("  %s%s%-*s %s\n", next->name, next->arg ? " " : "",
			(int)(18 - strlen(next->name) - (next->arg ? 1 : 0)),
			next->arg ? next->arg : "", next->help);
		prev = next;
	}
}

const char *
options_add(const char **list, int *n, const char *cmd)
{
	if (!cmd)
		return "command too long";
	if (*n == 16)
		return "more than 16 commands of a kind";
	list[(*n)++] = cmd;
	return NULL;
}

/* Commands built from options live here; the core keeps pointers. */
static char made[16][1024];
static int nmade;

const char *
options_command(const char *fmt, const char *arg)
{
	char *b;

	if (nmade == (int)ARRAY_SIZE(made))
		return NULL;
	b = made[nmade++];
	if (snprintf(b, sizeof(made[0]), fmt, arg) >= (int)sizeof(made[0]))
		return NULL;
	return b;
}

static const char *
set_command(struct boot_options *opt, const char *val)
{
	return options_add(opt->commands, &opt->ncommands, val);
}
OPTION("-c", "CMD", set_command, "run CMD, then exit (status 0 if every command succeeded)");

static const char *
set_startup(struct boot_options *opt, const char *val)
{
	return options_add(opt->startup, &opt->nstartup, val);
}
OPTION("-x", "CMD", set_startup, "run CMD at startup, then stay interactive");

static const char *
set_load(struct boot_options *opt, const char *val)
{
	/* several files, space-separated, form one namespace */
	return options_add(opt->required, &opt->nrequired, options_command("blob load %s", val));
}
OPTION("--load", "'FILE...'", set_load, "load the files as one blob before the shell starts");
