/* The blob loader against glibc, side by side in one run:
 *  1. load+link time: the libz.a closure (zclosure.o + the members it pulls
 *     in) loaded by blobvisor (`blob bench-load`, timed inside the VMM) vs
 *     glibc's dlopen("libz.so.1", RTLD_NOW) + dlclose in this process;
 *  2. zlib deflate throughput: zdrv_bench() from the same Debian libz.a,
 *     loaded as a blob (`blob time`) vs linked natively into this program.
 * Goals (issue 3): load ≤ 0.5× dlopen, throughput ≥ 0.97× native. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench.h"

long zdrv_bench(int rounds);	/* build/loader-tests/zdrv.o, linked with libz.a */

#define MAX_LOADS 300
#define LOADS (bench_quick() ? 3 : MAX_LOADS)
#define ROUNDS (bench_quick() ? 1 : 20)
#define REPEATS (bench_quick() ? 1 : 5)

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Run blobvisor with commands; return the first number after `key'. */
static double
vmm_figure(const char *cmds, const char *key)
{
	char cmd[2048], line[512];
	double v = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "build/blobvisor %s 2>&1", cmds);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		char *k = strstr(line, key);

		if (k && v < 0)
			v = atof(k + strlen(key));
		if (strstr(line, "blob:") && strstr(line, "fail"))
			fputs(line, stderr);
	}
	pclose(p);
	return v;
}

int
main(void)
{
	static double t[MAX_LOADS];
	const char *zflags = "--allow-missing";
	char cmds[1024];
	double dl_med, dl_best, bl_med, bl_best, nat_best = 1e30, blob_best = -1;
	FILE *e = fopen("build/exports.txt", "r");
	char line[256];
	int have_malloc = 0, have_ssp = 0;

	while (e && fgets(line, sizeof(line), e)) {
		have_malloc |= !strncmp(line, "malloc ", 7);
		have_ssp |= !strncmp(line, "__stack_chk_fail ", 17);
	}
	if (e)
		fclose(e);
	if (have_malloc && have_ssp)
		zflags = "";

	/* 1. load + link */
	for (int i = 0; i < LOADS; i++) {
		double t0 = now_ns();
		void *h = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL);

		t[i] = now_ns() - t0;
		if (!h) {
			fprintf(stderr, "dlopen: %s\n", dlerror());
			return 1;
		}
		dlclose(h);
	}
	qsort(t, LOADS, sizeof(t[0]), cmp);
	dl_med = t[LOADS / 2];
	dl_best = t[0];
	snprintf(cmds, sizeof(cmds), "-c 'blob bench-load %d %s build/loader-tests/zclosure.o "
		 "/usr/lib/x86_64-linux-gnu/libz.a'", LOADS, zflags);
	bl_med = vmm_figure(cmds, "median ");
	bl_best = vmm_figure(cmds, "best ");

	/* 2. throughput, best of REPEATS each */
	for (int r = 0; r < REPEATS; r++) {
		double t0 = now_ns();

		if (zdrv_bench(ROUNDS) <= 0)
			return 1;
		nat_best = (now_ns() - t0) < nat_best ? now_ns() - t0 : nat_best;
	}
	{
		char c[1024];
		int n = snprintf(c, sizeof(c), "-c 'blob load %s build/loader-tests/zdrv.o "
				 "/usr/lib/x86_64-linux-gnu/libz.a'", zflags);

		for (int r = 0; r < REPEATS; r++)
			n += snprintf(c + n, sizeof(c) - n, " -c 'blob time zdrv_bench %d'", ROUNDS);
		/* the figure is the best of the REPEATS lines */
		{
			char cmd[2048], l[512];
			FILE *p;

			snprintf(cmd, sizeof(cmd), "build/blobvisor %s 2>&1", c);
			p = popen(cmd, "r");
			while (p && fgets(l, sizeof(l), p)) {
				char *k = strstr(l, ") in ");

				if (k && strstr(l, "zdrv_bench returned")) {
					double v = atof(k + 5);

					if (blob_best < 0 || v < blob_best)
						blob_best = v;
				}
			}
			if (p)
				pclose(p);
		}
	}
	{
		double mb = ROUNDS * 256.0 / 1024;	/* MiB deflated per call */
		double nat_mbs = mb / (nat_best / 1e9), blob_mbs = mb / (blob_best / 1e9);

		printf("loader: load+link, libz.a closure (blob, %s) vs dlopen(\"libz.so.1\") RTLD_NOW, %d runs each\n",
		       *zflags ? zflags : "all imports from the core", LOADS);
		printf("  blob median %8.1f us  best %8.1f us\n", bl_med / 1e3, bl_best / 1e3);
		printf("  dlopen median %6.1f us  best %8.1f us\n", dl_med / 1e3, dl_best / 1e3);
		printf("  ratio blob/dlopen: median %.2fx, best %.2fx (goal <= 0.5x)\n",
		       bl_med / dl_med, bl_best / dl_best);
		printf("loader: zlib deflate level 6, %d x 256 KiB, best of %d\n", ROUNDS, REPEATS);
		printf("  blob   %7.1f MiB/s (%.1f ms)\n", blob_mbs, blob_best / 1e6);
		printf("  native %7.1f MiB/s (%.1f ms)\n", nat_mbs, nat_best / 1e6);
		printf("  ratio blob/native: %.3fx (goal >= 0.97x)\n", blob_mbs / nat_mbs);
	}
	return 0;
}
