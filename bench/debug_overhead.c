/* The debugger's cost per call, measured inside build/blobvisor with
 * `timeit': an import (memset) with tracing off and on, and a blob function
 * unhooked and behind a jump hook.  Each figure is the median of 5 runs of
 * N calls, per call. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 2000000L

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* run blobvisor with the setup commands, then `timeit CALL' 5 times;
 * returns the median ns per call */
static double
measure(const char *bv, const char *setup, const char *call)
{
	char cmd[2048], line[512];
	double t[5];
	int k = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s -c 'blob load build/debug-tests/bench_calls.o' %s"
		 " -c 'timeit %s' -c 'timeit %s' -c 'timeit %s' -c 'timeit %s' -c 'timeit %s' 2>&1",
		 bv, setup, call, call, call, call, call);
	p = popen(cmd, "r");
	if (!p)
		exit(1);
	while (fgets(line, sizeof(line), p)) {
		unsigned long long ns;

		if (k < 5 && sscanf(line, "timeit: %llu ns", &ns) == 1)
			t[k++] = (double)ns / N;
	}
	if (pclose(p) != 0 || k != 5) {
		fprintf(stderr, "debug_overhead: `%s' failed\n", cmd);
		exit(1);
	}
	qsort(t, 5, sizeof(t[0]), cmpd);
	return t[2];
}

int
main(int argc, char **argv)
{
	const char *bv = argc > 1 ? argv[1] : "build/blobvisor";
	char call[128];
	double off, on, un, hk;

	snprintf(call, sizeof(call), "blob call bench_memset %ld", N);
	off = measure(bv, "", call);
	on = measure(bv, "-c 'trace on'", call);
	snprintf(call, sizeof(call), "blob call bench_add_loop %ld", N);
	un = measure(bv, "", call);
	hk = measure(bv, "-c 'hook bench_add 0'", call);
	printf("debug_overhead: import call (memset of 8 bytes), tracing off: %.1f ns/call\n", off);
	printf("debug_overhead: import call, tracing on (ring buffer): %.1f ns/call (+%.1f ns, goal <= 100)\n",
	       on, on - off);
	printf("debug_overhead: blob function call, unhooked: %.1f ns/call\n", un);
	printf("debug_overhead: blob function call, jump hook (counting): %.1f ns/call (+%.1f ns)\n",
	       hk, hk - un);
	return 0;
}
