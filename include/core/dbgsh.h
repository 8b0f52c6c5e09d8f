#ifndef CORE_DBGSH_H
#define CORE_DBGSH_H

#include <core/types.h>

/* A debug-shell command.  Names may have several words ("blob load"); the
 * shell picks the registered name that matches the most leading words.
 * argv[0] is the full command name.  Return 0 on success; on failure print
 * one line saying what was wrong and return non-zero. */
typedef int (*dbgsh_fn)(int argc, char **argv);

struct dbgsh_command {
	const char *name;
	dbgsh_fn fn;
	const char *help;
	unsigned flags;		/* DBGSH_GUEST... */
};

/* Who may run a command besides the VMM's own console: a hypervisor guest
 * (vmm/hypercall.c) runs only commands that declare it, unless
 * vmm.guest_cmds= says otherwise.  Read-only commands declare DBGSH_GUEST;
 * DBGSH_GUEST_WITH_ARGS limits that to calls with arguments (the command
 * alone would read the VMM's console). */
#define DBGSH_GUEST		1u
#define DBGSH_GUEST_WITH_ARGS	2u

#define DBGSH_CAT2(a, b) a##b
#define DBGSH_CAT(a, b) DBGSH_CAT2(a, b)
#define DBGSH_COMMAND_FLAGS(name_, fn_, flags_, help_) \
	static const struct dbgsh_command DBGSH_CAT(__dbgsh_cmd_, __LINE__) __used \
	__section("dbgsh_cmds") __attribute__((aligned(8))) = { name_, fn_, help_, flags_ }
#define DBGSH_COMMAND(name_, fn_, help_) DBGSH_COMMAND_FLAGS(name_, fn_, 0, help_)
/* A read-only command a guest may run too. */
#define DBGSH_GUEST_COMMAND(name_, fn_, help_) \
	DBGSH_COMMAND_FLAGS(name_, fn_, DBGSH_GUEST, help_)

#define DBGSH_MAX_ARGS 64

/* The command a line would run, and how many arguments it would get; NULL
 * for an empty, unknown or unsplittable line. */
const struct dbgsh_command *dbgsh_resolve(const char *line, int *nargs);
/* Run one command line; returns the command's status (0 ok). */
int dbgsh_exec(const char *line);
/* The same for the guest (the hypervisor's HC_DBGSH, after its policy
 * allowed the command): while it runs, dbgsh_for_guest() is true, and a
 * command that reads the VMM's memory narrows what it reads. */
int dbgsh_exec_for_guest(const char *line);
bool dbgsh_for_guest(void);
/* Interactive or scripted loop; returns the exit status for the process. */
int dbgsh_loop(bool interactive);
/* Set by `exit`: the loop ends after the current command. */
void dbgsh_request_exit(int status);
/* Split a line into argv (quotes and backslash escapes); returns argc or -1
 * with a message in *err.  Strings in argv point into buf. */
int dbgsh_split(char *buf, char **argv, int max, const char **err);
/* The same, also setting bit i of *quoted when word i had quotes in it. */
int dbgsh_split_quoted(char *buf, char **argv, int max, u64 *quoted, const char **err);
/* Whether an argument of the running command was written in quotes
 * (`blob call f "123"' passes a string, `blob call f 123' a number). */
bool dbgsh_arg_quoted(const char *arg);
/* Iterate the registry (sorted by name). */
const struct dbgsh_command *dbgsh_command_at(size_t i);
size_t dbgsh_command_count(void);

/* Parse an integer argument (decimal, 0x hex, optional sign). */
bool dbgsh_parse_u64(const char *s, u64 *out);

#endif
