/* Startup to prompt: time from exec to the first byte the shell writes back
 * for a command, and the whole run of `-c version`, over many runs. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"


int
main(int argc, char **argv)
{
	const char *bv = argc > 1 ? argv[1] : "build/blobvisor";
	enum { MAX_RUNS = 200 };
	const int RUNS = bench_quick() ? 3 : MAX_RUNS;
	double t[MAX_RUNS];

	for (int i = 0; i < RUNS; i++) {
		int out[2];
		char buf[256];
		double start;
		pid_t pid;

		if (pipe(out))
			return 1;
		start = now_ms();
		pid = fork();
		if (pid == 0) {
			dup2(out[1], 1);
			execl(bv, bv, "-c", "version", (char *)NULL);
			_exit(127);
		}
		close(out[1]);
		if (read(out[0], buf, sizeof(buf)) <= 0)
			return 1;
		t[i] = now_ms() - start;	/* first answer from the shell */
		close(out[0]);
		waitpid(pid, NULL, 0);
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	printf("startup: exec to first shell answer: median %.2f ms, p90 %.2f ms, max %.2f ms "
	       "(%d runs; goal well under 20 ms)\n", t[RUNS / 2], t[RUNS * 9 / 10], t[RUNS - 1], RUNS);
	return 0;
}
