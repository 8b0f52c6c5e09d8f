/* dbgsh: the debug shell.  Commands register themselves with
 * DBGSH_COMMAND(); a line is split into words and dispatched to the command
 * whose (possibly multi-word) name matches the most leading words.  Each
 * command runs under a recovery point: a fault inside it is reported and the
 * shell keeps going. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/init.h>
#include <core/lineedit.h>
#include <core/recover.h>
#include <core/sort.h>
#include <core/string.h>
#include "section.h"

SECTION_BOUNDS(struct dbgsh_command, dbgsh_cmds);

static const struct dbgsh_command **cmds;
static size_t ncmds;
static bool exit_requested;
static int exit_status;

static int
cmd_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dbgsh_command *)a)->name,
		      ((const struct dbgsh_command *)b)->name);
}

static void
dbgsh_init(void)
{
	ncmds = SECTION_COUNT(dbgsh_cmds);
	cmds = (const struct dbgsh_command **)sort_table(__start_dbgsh_cmds, ncmds,
							 sizeof(*__start_dbgsh_cmds), cmd_cmp);
}
INITFUNC("20dbgsh", dbgsh_init);

const struct dbgsh_command *
dbgsh_command_at(size_t i)
{
	return i < ncmds ? cmds[i] : NULL;
}

size_t
dbgsh_command_count(void)
{
	return ncmds;
}

void
dbgsh_request_exit(int status)
{
	exit_requested = true;
	exit_status = status;
}

int
dbgsh_split(char *buf, char **argv, int max, const char **err)
{
	u64 quoted;

	return dbgsh_split_quoted(buf, argv, max, &quoted, err);
}

int
dbgsh_split_quoted(char *buf, char **argv, int max, u64 *quoted, const char **err)
{
	int argc = 0;
	char *r = buf, *w = buf;

	*quoted = 0;
	for (;;) {
		char quote = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			break;
		if (argc == max) {
			*err = "too many arguments";
			return -1;
		}
		argv[argc++] = w;
		for (; *r; r++) {
			if (quote) {
				if (*r == quote) {
					quote = 0;
					continue;
				}
			} else if (*r == '"' || *r == '\'') {
				quote = *r;
				if (argc <= 64)
					*quoted |= 1ULL << (argc - 1);
				continue;
			} else if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
				break;
			}
			if (*r == '\\' && quote != '\'' && r[1]) {
				r++;
				switch (*r) {
				case 'n': *w++ = '\n'; continue;
				case 't': *w++ = '\t'; continue;
				}
			}
			*w++ = *r;
		}
		if (quote) {
			*err = "unterminated quote";
			return -1;
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
	return argc;
}

/* Number of leading argv words that make up name, or 0 if it does not match. */
static int
name_words(const char *name, int argc, char **argv)
{
	int i = 0;

	while (*name) {
		size_t n = strcspn(name, " ");

		if (i == argc || strlen(argv[i]) != n || strncmp(argv[i], name, n))
			return 0;
		i++;
		name += n;
		while (*name == ' ')
			name++;
	}
	return i;
}

static const struct dbgsh_command *
lookup(int argc, char **argv, int *words)
{
	const struct dbgsh_command *best = NULL;

	*words = 0;
	for (size_t i = 0; i < ncmds; i++) {
		int w = name_words(cmds[i]->name, argc, argv);

		if (w > *words) {
			*words = w;
			best = cmds[i];
		}
	}
	return best;
}

const struct dbgsh_command *
dbgsh_resolve(const char *line, int *nargs)
{
	char buf[1024];
	char *argv[DBGSH_MAX_ARGS + 1];
	const char *err;
	const struct dbgsh_command *c;
	int argc, words;

	if (strlen(line) >= sizeof(buf))
		return NULL;
	strcpy(buf, line);
	argc = dbgsh_split(buf, argv, DBGSH_MAX_ARGS, &err);
	if (argc <= 0)
		return NULL;
	c = lookup(argc, argv, &words);
	*nargs = argc - words;
	return c;
}

struct invocation {
	const struct dbgsh_command *cmd;
	int argc;
	char **argv;
	u64 quoted;	/* bit i: argv[i] had quotes */
};

static struct invocation *running;	/* innermost command being run */

bool
dbgsh_arg_quoted(const char *arg)
{
	if (!running)
		return false;
	for (int i = 1; i < running->argc && i < 64; i++)
		if (running->argv[i] == arg)
			return running->quoted >> i & 1;
	return false;
}

static long
invoke(void *arg)
{
	struct invocation *inv = arg, *outer = running;
	long ret;

	running = inv;
	ret = inv->cmd->fn(inv->argc, inv->argv);
	running = outer;
	return ret;
}

static bool for_guest;

bool
dbgsh_for_guest(void)
{
	return for_guest;
}

int
dbgsh_exec_for_guest(const char *line)
{
	int status;

	for_guest = true;
	status = dbgsh_exec(line);
	for_guest = false;
	return status;
}

int
dbgsh_exec(const char *line)
{
	char buf[1024];
	char *argv[DBGSH_MAX_ARGS + 1];
	const char *err = NULL;
	struct invocation inv, *outer = running;
	u64 quoted;
	int argc, words, vec;
	long ret = 0;

	if (strlen(line) >= sizeof(buf)) {
		kprintf("dbgsh: line too long (%zu bytes, limit %zu)\n",
			strlen(line), sizeof(buf) - 1);
		return 1;
	}
	strcpy(buf, line);
	argc = dbgsh_split_quoted(buf, argv, DBGSH_MAX_ARGS, &quoted, &err);
	if (argc < 0) {
		kprintf("dbgsh: %s\n", err);
		return 1;
	}
	if (argc == 0)
		return 0;
	argv[argc] = NULL;
	inv.cmd = lookup(argc, argv, &words);
	if (!inv.cmd) {
		char shown[96];

		kprintf("%s: unknown command (try `help')\n",
			str_printable(argv[0], shown, sizeof(shown)));
		return 1;
	}
	/* argv[0] becomes the full command name; the rest are its arguments. */
	inv.argc = argc - words + 1;
	inv.argv = argv + words - 1;
	inv.argv[0] = (char *)inv.cmd->name;
	inv.quoted = quoted >> (words - 1);
	vec = recover_call(invoke, &inv, &ret);
	running = outer;	/* a fault skipped invoke()'s restore */
	if (vec) {
		kprintf("%s: aborted by a fault; the shell continues\n", inv.cmd->name);
		return 1;
	}
	return ret ? 1 : 0;
}

int
dbgsh_loop(bool interactive)
{
	char line[1024];
	int failures = 0;

	while (!exit_requested) {
		int n = interactive ? lineedit_read("blobvisor> ", line, sizeof(line))
				    : lineedit_read_plain(line, sizeof(line));

		if (n < 0)
			break;
		if ((size_t)n >= sizeof(line)) {
			kprintf("dbgsh: line too long (%d bytes, limit %zu); not run\n", n,
				sizeof(line) - 1);
			failures++;
			continue;
		}
		if (dbgsh_exec(line))
			failures++;
	}
	if (exit_requested)
		return exit_status;
	return failures ? 1 : 0;
}

static int
cmd_help(int argc, char **argv)
{
	/* --names: one name a line, for scripts (tests/e2e/docs.sh) */
	bool names = argc > 1 && !strcmp(argv[1], "--names");
	const char *prefix = argc > 1 + names ? argv[1 + names] : NULL;
	int shown = 0;

	for (size_t i = 0; i < ncmds; i++) {
		if (prefix && !str_starts_with(cmds[i]->name, prefix))
			continue;
		if (names)
			kprintf("%s\n", cmds[i]->name);
		else
			kprintf("  %-16s %s\n", cmds[i]->name, cmds[i]->help);
		shown++;
	}
	if (!shown) {
		char arg[96];

		kprintf("help: no command starts with `%s'\n",
			str_printable(prefix, arg, sizeof(arg)));
		return 1;
	}
	return 0;
}
DBGSH_GUEST_COMMAND("help", cmd_help, "list commands: help [--names] [PREFIX]");

static int
cmd_exit(int argc, char **argv)
{
	u64 status = 0;

	if (argc > 1 && !dbgsh_parse_u64(argv[1], &status)) {
		kprintf("exit: `%s' is not a number\n", argv[1]);
		return 1;
	}
	dbgsh_request_exit((int)status);
	return 0;
}
DBGSH_COMMAND("exit", cmd_exit, "leave the shell: exit [STATUS]");

bool
dbgsh_parse_u64(const char *s, u64 *out)
{
	bool neg = false;
	u64 v = 0;
	unsigned base = 10;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return false;
		if (d >= base || v > (~0ULL - d) / base)
			return false;
		v = v * base + d;
	}
	*out = neg ? -v : v;
	return true;
}
