/* The blob loader against glibc, side by side in one run:
 *  1. load+link time: the libz.a closure (zclosure.o + the members it pulls
 *     in) loaded by blobvisor (`blob bench-load`, timed inside the VMM) vs
 *     glibc's dlopen("libz.so.1", RTLD_NOW) + dlclose in this process;
 *     and Debian's libz.so.1 itself (ET_DYN) loaded by blobvisor beside
 *     dlopen of the same file;
 *  2. zlib deflate throughput: zdrv_bench() from the same Debian libz.a,
 *     loaded as a blob (`blob time`) vs linked natively into this program.
 * Goals (issues 3, 23): load ≤ 0.5× dlopen, throughput ≥ 0.97× native.
 * Rounds alternate between blobvisor and dlopen so that the host's load
 * hits both alike. */
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
#define LOAD_ROUNDS (bench_quick() ? 1 : 6)
/* the file dlopen("libz.so.1") opens here, loaded by blobvisor too */
#define LIBZ_SO "/lib/x86_64-linux-gnu/libz.so.1"
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

/* Run blobvisor's `blob bench-load'; its median and best, in ns. */
static void
vmm_figures(const char *cmds, double *med, double *best)
{
	char cmd[2048], line[512];
	FILE *p;

	*med = *best = 1e30;
	snprintf(cmd, sizeof(cmd), "build/blobvisor %s 2>&1", cmds);
	p = popen(cmd, "r");
	if (!p)
		return;
	while (fgets(line, sizeof(line), p)) {
		char *m = strstr(line, "median "), *b = strstr(line, "best ");

		if (m && b) {
			*med = atof(m + 7);
			*best = atof(b + 5);
		}
		if (strstr(line, "blob:") && strstr(line, "fail"))
			fputs(line, stderr);
	}
	pclose(p);
}

/* n dlopen+dlclose rounds of libz.so.1, timing dlopen, into t[r * n...] */
static int
dlopen_times(double *t, int n, int r)
{
	for (int i = 0; i < n; i++) {
		double t0 = now_ns();
		void *h = dlopen(LIBZ_SO, RTLD_NOW | RTLD_LOCAL);

		t[r * n + i] = now_ns() - t0;
		if (!h) {
			fprintf(stderr, "dlopen: %s\n", dlerror());
			return 1;
		}
		dlclose(h);
	}
	return 0;
}

static const char *
loadavg(void)
{
	static char buf[64];
	FILE *f = fopen("/proc/loadavg", "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		strcpy(buf, "?");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

int
main(void)
{
	static double t[MAX_LOADS];
	const char *zflags = "--allow-missing";
	char cmds[1024], so_cmds[512];
	double dl_med, dl_best, bl_med, bl_best, so_med, so_best, nat_best = 1e30, blob_best = -1;
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

	/* 1. load + link: alternating rounds of LOADS / ROUNDS each, the
	 * median and best over all of them */
	snprintf(cmds, sizeof(cmds), "-c 'blob bench-load %d %s build/loader-tests/zclosure.o "
		 "/usr/lib/x86_64-linux-gnu/libz.a'", LOADS / LOAD_ROUNDS, zflags);
	snprintf(so_cmds, sizeof(so_cmds), "-c 'blob bench-load %d %s'", LOADS / LOAD_ROUNDS, LIBZ_SO);
	bl_med = bl_best = so_med = so_best = 1e30;
	for (int r = 0; r < LOAD_ROUNDS; r++) {
		double m, b;

		if (dlopen_times(t, LOADS / LOAD_ROUNDS, r))
			return 1;
		vmm_figures(cmds, &m, &b);
		bl_med = m < bl_med ? m : bl_med;
		bl_best = b < bl_best ? b : bl_best;
		vmm_figures(so_cmds, &m, &b);
		so_med = m < so_med ? m : so_med;
		so_best = b < so_best ? b : so_best;
	}
	qsort(t, LOADS, sizeof(t[0]), cmp);
	dl_med = t[LOADS / 2];
	dl_best = t[0];

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

		printf("loader: load+link vs dlopen(\"libz.so.1\") RTLD_NOW, %d runs each in %d alternating rounds "
		       "(blob medians: best round's); load average %s\n", LOADS, LOAD_ROUNDS, loadavg());
		printf("  dlopen %s   median %8.1f us  best %8.1f us\n", LIBZ_SO, dl_med / 1e3, dl_best / 1e3);
		printf("  blob libz.a closure (%s)\n", *zflags ? zflags : "all imports from the core");
		printf("                                median %8.1f us  best %8.1f us\n", bl_med / 1e3, bl_best / 1e3);
		printf("    ratio blob/dlopen: median %.2fx, best %.2fx (goal <= 0.5x)\n",
		       bl_med / dl_med, bl_best / dl_best);
		printf("  blob %s (ET_DYN)\n", LIBZ_SO);
		printf("                                median %8.1f us  best %8.1f us\n", so_med / 1e3, so_best / 1e3);
		printf("    ratio blob/dlopen: median %.2fx, best %.2fx (goal <= 0.5x)\n",
		       so_med / dl_med, so_best / dl_best);
		printf("loader: zlib deflate level 6, %d x 256 KiB, best of %d\n", ROUNDS, REPEATS);
		printf("  blob   %7.1f MiB/s (%.1f ms)\n", blob_mbs, blob_best / 1e6);
		printf("  native %7.1f MiB/s (%.1f ms)\n", nat_mbs, nat_best / 1e6);
		printf("  ratio blob/native: %.3fx (goal >= 0.97x)\n", blob_mbs / nat_mbs);
	}
	return 0;
}
