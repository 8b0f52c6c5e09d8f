/* Shell parsing and dispatch, without a platform underneath. */
#include "tap.h"
#include "unit/host_plat.h"
#include <core/dbgsh.h>
#include <core/init.h>
#include <core/pages.h>

bool str_glob_match(const char *pattern, const char *s);
const char *str_printable(const char *s, char *buf, size_t size);

static int last_argc;
static char last_args[256];

static int
cmd_probe(int argc, char **argv)
{
	last_argc = argc;
	last_args[0] = 0;
	for (int i = 0; i < argc; i++) {
		strcat(last_args, argv[i]);
		strcat(last_args, "|");
	}
	return argc > 1 && !strcmp(argv[1], "fail");
}
DBGSH_COMMAND("probe", cmd_probe, "test");
DBGSH_COMMAND("probe deep", cmd_probe, "test");

int
main(void)
{
	char buf[256], *argv[8];
	const char *err;
	u64 v;
	void *base;
	size_t len;

	plat_memory_region(&base, &len);
	pages_init(base, len);
	initfuncs_run();

	strcpy(buf, "  load  \"a b\" 'c\"d' e\\ f # comment");
	TAP_CHECK(dbgsh_split(buf, argv, 8, &err) == 4 && !strcmp(argv[1], "a b") &&
		  !strcmp(argv[2], "c\"d") && !strcmp(argv[3], "e f"),
		  "quotes, escapes and comments split as a shell would");
	{
		u64 q;

		strcpy(buf, "call f \"12\" 12 x'y'z");
		TAP_CHECK(dbgsh_split_quoted(buf, argv, 8, &q, &err) == 5 && q == ((1 << 2) | (1 << 4)),
			  "quoted words are marked (%#llx): \"12\" is a string, 12 a number",
			  (unsigned long long)q);
	}
	strcpy(buf, "echo \"open");
	TAP_CHECK(dbgsh_split(buf, argv, 8, &err) < 0 && strstr(err, "unterminated"),
		  "an unterminated quote is rejected");
	strcpy(buf, "a b c d e f g h i");
	TAP_CHECK(dbgsh_split(buf, argv, 8, &err) < 0, "too many words are rejected");

	TAP_CHECK(dbgsh_parse_u64("0x1F", &v) && v == 31, "hex parses");
	TAP_CHECK(dbgsh_parse_u64("-2", &v) && v == (u64)-2, "negative parses");
	TAP_CHECK(!dbgsh_parse_u64("12z", &v) && !dbgsh_parse_u64("", &v) &&
		  !dbgsh_parse_u64("99999999999999999999", &v), "junk and overflow are rejected");

	TAP_CHECK(str_glob_match("usb_*", "usb_open") && str_glob_match("*mem?py", "memcpy") &&
		  !str_glob_match("usb_*", "pthread_self") && str_glob_match("*", ""),
		  "glob matching");

	{
		char b[64];
		static const struct { const char *in, *out; } cases[] = {
			{ "ab\x1b[2Jc\x07", "ab\\x1b[2Jc\\x07" },		/* C0 controls */
			{ "x\x7f", "x\\x7f" },				/* DEL */
			{ "\xc2\x9b" "31m", "\\xc2\\x9b" "31m" },		/* U+009B CSI, a C1 control */
			{ "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac" },	/* UTF-8 kept */
			{ "\x9b" "1", "\\x9b" "1" },				/* a lone C1 byte */
			{ "\xc0\xaf", "\\xc0\\xaf" },			/* overlong '/' */
			{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },		/* a surrogate */
			{ "\xe2\x82", "\\xe2\\x82" },			/* cut short */
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			TAP_CHECK(!strcmp(str_printable(cases[i].in, b, sizeof(b)), cases[i].out),
				  "str_printable case %zu: %s", i, b);
		TAP_CHECK(!strcmp(str_printable("\xe2\x82\xac\xe2\x82\xac", b, 9), "\xe2\x82\xac..."),
			  "a cut never splits a UTF-8 sequence: %s", b);
	}

	TAP_CHECK(dbgsh_exec("probe deep x") == 0 && !strcmp(last_args, "probe deep|x|"),
		  "the longest multi-word name wins: %s", last_args);
	TAP_CHECK(dbgsh_exec("probe other") == 0 && !strcmp(last_args, "probe|other|"),
		  "a shorter name matches otherwise: %s", last_args);
	TAP_CHECK(dbgsh_exec("probe fail") == 1, "a failing command's status comes back");
	host_console_clear();
	TAP_CHECK(dbgsh_exec("nosuch") == 1 && strstr(host_console, "nosuch: unknown command"),
		  "an unknown command says so: %s", host_console);
	host_console_clear();
	dbgsh_exec("help");
	TAP_CHECK(strstr(host_console, "probe deep") && strstr(host_console, "help"),
		  "help lists registered commands");

	host_input = "probe a\nprobe fail\n";
	TAP_CHECK(dbgsh_loop(false) == 1, "a script with a failing command ends with status 1");
	host_input = "probe a\n\nprobe b\n";
	TAP_CHECK(dbgsh_loop(false) == 0, "a script whose commands all succeed ends with 0");
	return tap_done();
}
