/* `rockey': the vendor's sample programs from the debug shell, as in the
 * seed.  `rockey N' runs case N, `rockey all' runs them all, and `rockey'
 * alone opens a `rockey>' prompt that takes case numbers.  The cases are
 * blob code (build/samples/rockey.o, loaded with the vendor archive) and
 * run through blob_call, in the blob execution context. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/lineedit.h>
#include <core/platform.h>
#include <core/string.h>
#include <loader/blob.h>

#define LOAD_HINT "blob load build/samples/rockey.o build/vendor/libdongle.a"

struct samples {
	struct blob *blob;
	u64 run, count;
	int ncases;
};

static bool
find_samples(struct samples *s)
{
	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		bool a = false, c = false;

		s->run = blob_lookup(b, "rockey_case", &a);
		s->count = blob_lookup(b, "rockey_ncases", &c);
		if (a && c) {
			u64 n;

			s->blob = b;
			if (blob_call(b, s->count, NULL, 0, &n))
				return false;
			s->ncases = (int)n;
			return true;
		}
	}
	kprintf("rockey: the samples are not loaded (%s)\n", LOAD_HINT);
	return false;
}

/* 0 passed, 1 failed (the case said so, or the blob call did not return) */
static int
run_case(const struct samples *s, int n)
{
	u64 arg = (u64)n, ret;

	if (blob_call(s->blob, s->run, &arg, 1, &ret)) {
		kprintf("rockey: case %d did not complete\n", n);
		return 1;
	}
	return (int)ret != 0;
}

static bool
parse_case(const struct samples *s, const char *word, int *n)
{
	u64 v;

	if (!dbgsh_parse_u64(word, &v) || v < 1 || v > (u64)s->ncases) {
		kprintf("rockey: %s: no such test case (1..%d)\n", word, s->ncases);
		return false;
	}
	*n = (int)v;
	return true;
}

static int
run_all(const struct samples *s)
{
	int passed = 0;

	for (int n = 1; n <= s->ncases; n++)
		passed += run_case(s, n) == 0;
	kprintf("rockey all: %d/%d passed\n", passed, s->ncases);
	return passed == s->ncases ? 0 : 1;
}

/* The seed's interactive loop: a test number per line; empty line, `q' or
 * end of input leaves. */
static int
prompt(const struct samples *s)
{
	char line[64];
	int failed = 0;

	for (;;) {
		int n, len = plat_console_is_tty() ? lineedit_read("rockey> ", line, sizeof(line))
						   : lineedit_read_plain(line, sizeof(line));

		if (len <= 0 || !strcmp(line, "q") || !strcmp(line, "quit") || !strcmp(line, "exit"))
			return failed ? 1 : 0;
		if (!strcmp(line, "all"))
			failed |= run_all(s);
		else if (parse_case(s, line, &n))
			failed |= run_case(s, n);
		else
			failed = 1;
	}
}

/* `rockey bench N': the mean DIC_Command round trip, measured in the blob. */
static int
bench(const struct samples *s, const char *count)
{
	u64 n, ret, fn = blob_lookup(s->blob, "rockey_bench", NULL);

	if (!dbgsh_parse_u64(count, &n) || n < 1 || n > 1000000) {
		kprintf("rockey bench: %s: the count must be 1..1000000\n", count);
		return 1;
	}
	if (!fn || blob_call(s->blob, fn, &n, 1, &ret))
		return 1;
	if ((s64)ret < 0) {
		kprintf("rockey bench: the dongle failed (DIC error %lld)\n", (long long)ret);
		return 1;
	}
	kprintf("rockey bench: DIC_Command round trip %llu.%03llu us (mean of %llu)\n",
		(unsigned long long)ret / 1000, (unsigned long long)ret % 1000,
		(unsigned long long)n);
	return 0;
}

static int
cmd_rockey(int argc, char **argv)
{
	struct samples s;
	int failed = 0;

	if (!find_samples(&s))
		return 1;
	if (argc == 1)
		return prompt(&s);
	if (!strcmp(argv[1], "bench"))
		return argc == 3 ? bench(&s, argv[2]) : (kprintf("usage: rockey bench N\n"), 1);
	for (int i = 1; i < argc; i++) {
		int n;

		if (!strcmp(argv[i], "all"))
			failed |= run_all(&s);
		else if (parse_case(&s, argv[i], &n))
			failed |= run_case(&s, n);
		else
			return 1;
	}
	return failed;
}
/* a guest may run samples, but not the prompt, which reads the VMM's console */
DBGSH_COMMAND_FLAGS("rockey", cmd_rockey, DBGSH_GUEST | DBGSH_GUEST_WITH_ARGS,
	      "run the vendor's sample programs: rockey [N|all]... | bench N (alone: a rockey> prompt)");
