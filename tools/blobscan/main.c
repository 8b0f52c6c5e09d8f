/* blobscan: tell what a vendor blob needs before it is loaded.
 * Exit status: 0 loads as is, 1 does not, 2 bad input or usage. */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blobscan.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: blobscan [--exports FILE] [--want SYM,...] [--json | --dot] "
		"[--stubs FILE.c] FILE...\n"
		"  FILE...    .o, .a, .so forming one namespace, as in `blob load`\n"
		"  --exports  the core's export table (default: exports.txt beside blobscan,\n"
		"             i.e. build/exports.txt)\n"
		"  --want     report where each symbol is defined and what a link pulls in\n"
		"  --json     machine-readable report (docs/blobscan-json.md)\n"
		"  --dot      Graphviz graph of members and their imports by class\n"
		"  --stubs    write C stubs for the missing functions to FILE.c\n"
		"exit status: 0 loads as is, 1 does not, 2 bad input\n");
}

static char *
default_exports(void)
{
	static char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 16);

	if (n <= 0)
		return "build/exports.txt";
	path[n] = 0;
	strcpy(strrchr(path, '/') + 1, "exports.txt");
	return path;
}

static void
add_wants(struct bs_scan *s, char *list)
{
	for (char *t = strtok(list, ","); t; t = strtok(NULL, ",")) {
		if (!*t)
			continue;
		s->want = realloc(s->want, (s->nwant + 1) * sizeof(*s->want));
		memset(&s->want[s->nwant], 0, sizeof(s->want[0]));
		s->want[s->nwant++].sym = t;
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "exports", required_argument, NULL, 'e' },
		{ "want", required_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "dot", no_argument, NULL, 'd' },
		{ "stubs", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct bs_scan s = { 0 };
	struct bs_exports x;
	const char *exports = NULL, *stubs = NULL;
	int json = 0, dot = 0, c;
	char err[1024];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'e': exports = optarg; break;
		case 'w': add_wants(&s, optarg); break;
		case 'j': json = 1; break;
		case 'd': dot = 1; break;
		case 's': stubs = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind == argc || (json && dot)) {
		usage(stderr);
		return 2;
	}
	if (bs_exports_read(exports ? exports : default_exports(), &x, err, sizeof(err))) {
		fprintf(stderr, "blobscan: %s\n", err);
		return 2;
	}
	s.exports = &x;
	s.nfile = argc - optind;
	s.file = calloc(s.nfile, sizeof(*s.file));
	for (size_t i = 0; i < s.nfile; i++) {
		if (bs_file_read(argv[optind + i], &s.file[i], err, sizeof(err))) {
			fprintf(stderr, "blobscan: %s\n", err);
			return 2;
		}
	}
	if (bs_scan_run(&s, err, sizeof(err))) {
		fprintf(stderr, "blobscan: %s\n", err);
		return 2;
	}
	if (stubs && bs_write_stubs(&s, stubs, err, sizeof(err))) {
		fprintf(stderr, "blobscan: %s\n", err);
		return 2;
	}
	if (json)
		bs_write_json(&s, stdout);
	else if (dot)
		bs_write_dot(&s, stdout);
	else
		bs_write_text(&s, stdout);
	if (fflush(stdout)) {
		perror("blobscan: stdout");
		return 2;
	}
	return s.nreason ? 1 : 0;
}
