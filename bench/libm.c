/* libm speed: the functions blobs get (musl's math behind libc/math.c's
 * glibc-errno wrappers, compiled for the host without sanitizers, found
 * through the export table as the loader finds them) against glibc's
 * libm, ns per call over the same 4096 arguments in the function's usual
 * range.  Best of 7 alternating rounds; the ratio is ours / glibc. */
#define _GNU_SOURCE
#include <gnu/libc-version.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "../tests/libc/libm_check.h"

static void *
exported(const char *name)
{
	void *addr = export_lookup(name);

	if (!addr) {
		fprintf(stderr, "bench/libm: %s is not exported\n", name);
		exit(1);
	}
	return addr;
}

/* libc/math.c's errno lives in libc/errno.c, which is not linked here:
 * glibc's serves (the wrappers only write it). */

enum { N = 4096 };
static double xs[N], ys[N];
static float xf[N], yf[N];
static volatile double sink;

struct case_ {
	const char *name;
	double lo, hi;
	int kind;	/* 1: double(double), 2: double(double, double), 3: float, 4: float(float, float) */
	void *glibc;
};

#define D1(f, lo, hi) { #f, lo, hi, 1, (void *)(double (*)(double))f }
#define D2(f, lo, hi) { #f, lo, hi, 2, (void *)(double (*)(double, double))f }
#define F1(f, lo, hi) { #f, lo, hi, 3, (void *)(float (*)(float))f }
#define F2(f, lo, hi) { #f, lo, hi, 4, (void *)(float (*)(float, float))f }
static const struct case_ cases[] = {
	D1(sin, -10, 10), D1(cos, -10, 10), D1(tan, -1.5, 1.5), D1(exp, -50, 50), D1(log, 0.001, 1000),
	D1(log10, 0.001, 1000), D2(pow, 0.1, 10), D1(sqrt, 0, 1e6), D2(atan2, -10, 10),
	D2(fmod, -1e3, 1e3), D1(floor, -1e6, 1e6), D1(round, -1e6, 1e6), D1(cbrt, -100, 100),
	D1(lgamma, 0.1, 50), D1(tgamma, 0.1, 50), D1(exp10, -20, 20),
	F1(sinf, -10, 10), F1(expf, -50, 50), F1(logf, 0.001, 1000), F2(powf, 0.1, 10), F1(sqrtf, 0, 1e6),
};

static double
run(const struct case_ *c, void *fn, int reps)
{
	double t0 = now_ms(), acc = 0;

	for (int r = 0; r < reps; r++) {
		switch (c->kind) {
		case 1: { double (*f)(double) = fn; for (int i = 0; i < N; i++) acc += f(xs[i]); break; }
		case 2: { double (*f)(double, double) = fn; for (int i = 0; i < N; i++) acc += f(xs[i], ys[i]); break; }
		case 3: { float (*f)(float) = fn; for (int i = 0; i < N; i++) acc += f(xf[i]); break; }
		case 4: { float (*f)(float, float) = fn; for (int i = 0; i < N; i++) acc += f(xf[i], yf[i]); break; }
		}
	}
	sink = acc;
	return (now_ms() - t0) * 1e6 / ((double)reps * N);
}

int
main(void)
{
	int reps = bench_quick() ? 1 : 200, rounds = bench_quick() ? 1 : 7;
	uint64_t s = 0x9e3779b97f4a7c15ULL;

	printf("libm: ns per call (best of %d alternating rounds of %d x %d calls), blobs' libm "
	       "(musl + glibc-errno wrappers) vs glibc %s\n", rounds, reps, N, gnu_get_libc_version());
	printf("%-8s %10s %10s %7s\n", "function", "ours", "glibc", "ratio");
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct case_ *c = &cases[k];
		void *ours = exported(c->name);
		double bo = 1e30, bg = 1e30;

		for (int i = 0; i < N; i++) {
			s ^= s << 13; s ^= s >> 7; s ^= s << 17;
			xs[i] = libm_uniform(c->lo, c->hi, s);
			s ^= s << 13; s ^= s >> 7; s ^= s << 17;
			ys[i] = libm_uniform(c->lo, c->hi, s);
			if (!strcmp(c->name, "pow") || !strcmp(c->name, "powf"))
				ys[i] = ys[i] * 4 - 20;	/* exponents -20..20 */
			xf[i] = (float)xs[i];
			yf[i] = (float)ys[i];
		}
		for (int r = 0; r < rounds; r++) {
			double o = run(c, ours, reps), g = run(c, c->glibc, reps);

			bo = o < bo ? o : bo;
			bg = g < bg ? g : bg;
		}
		printf("%-8s %10.2f %10.2f %6.2fx\n", c->name, bo, bg, bo / bg);
	}
	return 0;
}
