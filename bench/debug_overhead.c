/* The debugger's cost per call, measured inside build/blobvisor with
 * `timeit': an import (memset) with tracing off and on, and a blob function
 * unhooked and behind a jump hook.  Each figure is per call over runs of N
 * calls: the minimum of REPS runs (the machine is shared; the minimum is the
 * run least disturbed by other processes) and the median. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

#define N (bench_quick() ? 1000L : 200000L)
#define REPS 13	/* blobvisor takes 16 -c options */

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* run blobvisor with the setup commands, then `timeit CALL' 5 times;
 * returns the median ns per call */
struct fig {
	double min, median;
};

static struct fig
measure(const char *bv, const char *setup, const char *call)
{
	char cmd[8192], line[512];
	double t[REPS];
	int k = 0;
	size_t n;
	FILE *p;

	n = (size_t)snprintf(cmd, sizeof(cmd), "%s -c 'blob load build/debug-tests/bench_calls.o' %s",
			     bv, setup);
	for (int i = 0; i < REPS; i++)
		n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, " -c 'timeit %s'", call);
	snprintf(cmd + n, sizeof(cmd) - n, " 2>&1");
	p = popen(cmd, "r");
	if (!p)
		exit(1);
	while (fgets(line, sizeof(line), p)) {
		unsigned long long ns;

		if (k < REPS && sscanf(line, "timeit: %llu ns", &ns) == 1)
			t[k++] = (double)ns / N;
	}
	if (pclose(p) != 0 || k != REPS) {
		fprintf(stderr, "debug_overhead: `%s' failed\n", cmd);
		exit(1);
	}
	qsort(t, REPS, sizeof(t[0]), cmpd);
	return (struct fig){ t[0], t[REPS / 2] };
}

int
main(int argc, char **argv)
{
	const char *bv = argc > 1 ? argv[1] : "build/blobvisor";
	char call[128];
	struct fig off, on, un, hk;

	snprintf(call, sizeof(call), "blob call bench_memset %ld", N);
	off = measure(bv, "", call);
	on = measure(bv, "-c 'trace on'", call);
	snprintf(call, sizeof(call), "blob call bench_add_loop %ld", N);
	un = measure(bv, "", call);
	hk = measure(bv, "-c 'hook bench_add 0'", call);
	printf("debug_overhead: per call, min (median) of %d runs of %ld calls\n", REPS, N);
	printf("debug_overhead: import call (memset of 8 bytes), tracing off: %.1f (%.1f) ns\n",
	       off.min, off.median);
	printf("debug_overhead: import call, tracing on (ring buffer): %.1f (%.1f) ns: +%.1f ns per call"
	       " (goal <= 100)\n", on.min, on.median, on.min - off.min);
	printf("debug_overhead: blob function call, unhooked: %.1f (%.1f) ns\n", un.min, un.median);
	printf("debug_overhead: blob function call, jump hook (counting): %.1f (%.1f) ns: +%.1f ns per call\n",
	       hk.min, hk.median, hk.min - un.min);
	return 0;
}
