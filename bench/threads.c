/* Blob threads against glibc, side by side in one run (issue 17): thread
 * switch, condition signal-to-wakeup and pthread_create+join, each timed
 * inside tests/threads/thrbench.c — as a blob in build/blobvisor (one CPU,
 * cooperative) and linked natively against glibc in this process, pinned
 * to one CPU so that both switch on one CPU.  Median of 5 runs.  A third
 * column loads the object without stack protector with --no-tcb: no FS-base
 * change per switch, i.e. the scheduler's own cost; the FS-base system call
 * (arch_prctl) is timed on its own as well.
 * Goal: switch <= 100 ns hosted. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "bench.h"

long thr_bench(int what, int n);

#define REPEATS 5

static long
vmm_figure(const char *load, int what, int n)
{
	char cmd[512], line[512];
	long v = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "build/blobvisor -c 'blob load %s' -c 'blob call thr_bench %d %d' 2>&1", load, what, n);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		char *k = strstr(line, "thr_bench returned ");

		if (k)
			v = atol(k + strlen("thr_bench returned "));
	}
	pclose(p);
	return v;
}

static double
median(double *v)
{
	qsort(v, REPEATS, sizeof(*v), cmp_double);
	return v[REPEATS / 2];
}

int
main(void)
{
	static const struct { int what, n; const char *name; } figs[] = {
		{ 1, 200000, "thread switch (sched_yield ping-pong), ns per switch" },
		{ 2, 100000, "condition signal -> wakeup (mutex + 2 conds), ns per handoff" },
		{ 3, 5000, "pthread_create + pthread_join, ns per pair" },
	};
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		perror("sched_setaffinity");
	for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		double bv[REPEATS], nofs[REPEATS], gl[REPEATS];

		for (int r = 0; r < REPEATS; r++) {
			bv[r] = (double)vmm_figure("build/threads/thrbench.o", figs[i].what, figs[i].n);
			nofs[r] = (double)vmm_figure("--no-tcb build/threads/thrbench-nofs.o", figs[i].what,
						     figs[i].n);
			gl[r] = (double)thr_bench(figs[i].what, figs[i].n);
		}
		printf("threads: %-62s blobvisor %6.0f  glibc %6.0f  (%.2fx); without FS-base changes %6.0f\n",
		       figs[i].name, median(bv), median(gl), median(bv) / median(gl), median(nofs));
	}
	{
		unsigned long fs;
		double t0, t1;

		syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fs);
		t0 = now_ms();
		for (int i = 0; i < 20000; i++)
			syscall(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, fs);
		t1 = now_ms();
		printf("threads: arch_prctl(ARCH_SET_FS) on this machine (one per switch between blob threads), ns: %.0f\n",
		       (t1 - t0) * 1e6 / 20000);
	}
	return 0;
}
