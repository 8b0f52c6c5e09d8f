/* memcpy/memmove/memset/memcmp/memchr/strlen throughput: libc/ (compiled
 * for the host, renamed bv<k>_*, its variant picked at start-up as the core
 * does) against glibc, side by side, at 16 B, 256 B, 4 KiB and 1 MiB.
 * Best of several alternating rounds; the ratio is ours / glibc.
 *
 * Code layout: the same libc/ object is linked in NLAYOUT times, each copy
 * 16 bytes further from a 64-byte boundary (tests/libc/module.mk), because
 * where a loop falls against the fetch and micro-op cache lines moved
 * memchr at 4 KiB between 0.56x and 1.00x with nothing else changed.  Each
 * round times every copy; the figure is the median over the copies of each
 * copy's best round, and the line shows the spread (min-max).  Buffers are
 * page-aligned. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

struct impl {
	void *(*cpy)(void *, const void *, size_t);
	void *(*move)(void *, const void *, size_t);
	void *(*set)(void *, int, size_t);
	int (*cmp)(const void *, const void *, size_t);
	void *(*chr)(const void *, int, size_t);
	size_t (*len)(const char *);
	void (*init)(void);
	void (*select)(int isa);
	const char *(*selected)(void);
};

#define LAYOUT(k)								\
	void *bv##k##_memcpy(void *, const void *, size_t);			\
	void *bv##k##_memmove(void *, const void *, size_t);			\
	void *bv##k##_memset(void *, int, size_t);				\
	int bv##k##_memcmp(const void *, const void *, size_t);			\
	void *bv##k##_memchr(const void *, int, size_t);			\
	size_t bv##k##_strlen(const char *);					\
	void bv##k##_libc_string_init(void);					\
	void bv##k##_libc_string_select(int isa);				\
	const char *bv##k##_libc_string_selected(void);
#define IMPL(k) { bv##k##_memcpy, bv##k##_memmove, bv##k##_memset, bv##k##_memcmp,	\
		  bv##k##_memchr, bv##k##_strlen, bv##k##_libc_string_init,		\
		  bv##k##_libc_string_select, bv##k##_libc_string_selected }
LAYOUT(0) LAYOUT(1) LAYOUT(2) LAYOUT(3)
enum { NLAYOUT = 4 };
static const struct impl ours[NLAYOUT] = { IMPL(0), IMPL(1), IMPL(2), IMPL(3) };
static const struct impl glibc = { memcpy, memmove, memset, memcmp, memchr, strlen, 0, 0, 0 };

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

enum { MEMCPY, MEMMOVE, MEMSET, MEMCMP, MEMCHR, STRLEN, NOPS };
static unsigned char *a, *b;
static volatile size_t sink;

static void
run(int op, const struct impl *f, size_t n, long iters)
{
	void *(*cpy)(void *, const void *, size_t) = f->cpy;
	void *(*move)(void *, const void *, size_t) = f->move;
	void *(*set)(void *, int, size_t) = f->set;
	int (*cmp)(const void *, const void *, size_t) = f->cmp;
	void *(*chr)(const void *, int, size_t) = f->chr;
	size_t (*len)(const char *) = f->len;
	size_t acc = 0;

	for (long i = 0; i < iters; i++) {
		switch (op) {
		case MEMCPY: cpy(b, a, n); break;
		case MEMMOVE: move(a + 1, a, n); break;	/* overlapping, backwards */
		case MEMSET: set(b, (int)i, n); break;
		case MEMCMP: acc += cmp(a, b, n); break;
		case MEMCHR: acc += (uintptr_t)chr(a, 'y', n); break;	/* not found */
		case STRLEN: acc += len((const char *)a); break;
		}
	}
	sink = acc;
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

/* Rounds alternate between the two implementations, so that load from
 * other processes hits both alike; the best round of each counts.  9, or
 * LIBC_BENCH_ROUNDS: on a shared machine (load 10 on 2 cores) 9 rounds of
 * 20 ms leave 256 B and 4 KiB figures off by up to 2x either way. */
static int
rounds(void)
{
	const char *r = getenv("LIBC_BENCH_ROUNDS");

	return bench_quick() ? 1 : r && atoi(r) > 0 ? atoi(r) : 9;
}

static int
cmpd(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/* best[k]: copy k's best round; *med the median over the copies */
static void
measure(int op, size_t n, double best[NLAYOUT], double *med, double *glibc_best)
{
	long iters = (long)(100e6 / (n + 32));	/* ~0.02 s per round */
	double sorted[NLAYOUT];

	*glibc_best = 0;
	for (int k = 0; k < NLAYOUT; k++)
		best[k] = 0;
	for (int r = 0; r < rounds(); r++) {
		for (int who = 0; who <= NLAYOUT; who++) {
			double t = now(), g;

			run(op, who < NLAYOUT ? &ours[who] : &glibc, n, iters);
			t = now() - t;
			g = n * iters / t / 1e9;
			if (who < NLAYOUT && g > best[who])
				best[who] = g;
			if (who == NLAYOUT && g > *glibc_best)
				*glibc_best = g;
		}
	}
	for (int k = 0; k < NLAYOUT; k++)
		sorted[k] = best[k];
	qsort(sorted, NLAYOUT, sizeof(sorted[0]), cmpd);
	*med = (sorted[(NLAYOUT - 1) / 2] + sorted[NLAYOUT / 2]) / 2;
}

int
main(int argc, char **argv)
{
	static const size_t sizes[] = { 16, 256, 4096, 1 << 20 };
	static const char *const names[] = { "memcpy", "memmove", "memset", "memcmp", "memchr", "strlen" };
	int below = 0, large = 0;

	int sse2 = argc > 1 && !strcmp(argv[1], "sse2");
	char first[128];

	for (int k = 0; k < NLAYOUT; k++) {
		ours[k].init();		/* the core's start-up choice */
		if (sse2)
			ours[k].select(0);	/* the SSE2 pass: LIBC_ISA_SSE2 */
	}
	a = aligned_alloc(4096, (1 << 20) + 4096);
	b = aligned_alloc(4096, (1 << 20) + 4096);
	/* Two passes in two processes (the second re-executed with glibc
	 * restricted to SSE2): each names its pass and variant on every line
	 * that states a result, and the last line repeats both verdicts, so
	 * that the output's first and last lines cannot be read as one pass
	 * (an avx2 header over an sse2 summary). */
	printf("libc: pass %d of 2: throughput, GB/s (best of %d alternating rounds), libc/ (%s; median "
	       "of %d code layouts) vs glibc%s; load average %s\n", sse2 ? 2 : 1, rounds(),
	       ours[0].selected(), NLAYOUT, sse2 ? " restricted to its SSE2 code (GLIBC_TUNABLES)" : "",
	       loadavg());
	printf("%-8s %8s %10s %10s %7s  %-9s %s\n", "function", "size", "libc/", "glibc", "ratio", "goal",
	       "layouts min-max");
	for (int op = 0; op < NOPS; op++) {
		for (size_t i = 0; i < 4; i++) {
			size_t n = sizes[i];
			double o, g, each[NLAYOUT], lo = 1e30, hi = 0;
			int goal = n >= 256;

			memset(a, 'x', n + 64);
			memcpy(b, a, n + 64);
			a[n] = 0;	/* strlen stops here; memcmp sees equal data */
			b[n] = 0;
			measure(op, n, each, &o, &g);
			for (int k = 0; k < NLAYOUT; k++) {
				lo = each[k] / g < lo ? each[k] / g : lo;
				hi = each[k] / g > hi ? each[k] / g : hi;
			}
			printf("%-8s %8zu %10.2f %10.2f %6.2fx  %-9s %.2f-%.2fx%s\n", names[op], n, o, g, o / g,
			       goal ? ">= 0.80x" : "-", lo, hi, goal && o / g < 0.8 ? "  below goal" : "");
			below += goal && o / g < 0.8;
			large += goal;
		}
	}
	snprintf(first, sizeof(first), "%d of %d cases >= 256 B below 0.8x glibc (%s)", below, large,
		 ours[0].selected());
	printf("libc: pass %d of 2: %s\n", sse2 ? 2 : 1, first);
	fflush(stdout);
	/* Then our SSE2 variants against glibc's own SSE2 ones: what runs on
	 * a CPU without AVX (string_select.c), hosted or bare metal.  Turning
	 * off the AVX bits alone leaves glibc's memcpy/memmove on
	 * __memmove_avx_unaligned (its AVX_Fast_Unaligned_Load preference
	 * stays set) and, without that, on __memmove_ssse3; with all three
	 * off (glibc 2.36, checked with gdb `info symbol' on the resolved
	 * addresses) memcpy/memmove/memset are __*_sse2_unaligned_erms and
	 * memcmp/memchr/strlen __*_sse2.  ERMS stays on: our SSE2 variant
	 * uses `rep movsb/stosb' above REP_THRESHOLD as glibc's _erms does. */
	if (!sse2) {
		setenv("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX,-AVX2,-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-EVEX,"
		       "-AVX_Fast_Unaligned_Load,-SSSE3", 1);
		execv("/proc/self/exe", (char *[]){ "libc", "sse2", first, NULL });
		perror("libc: the SSE2 pass");
		return 1;
	}
	printf("libc: start-up choice: %s; SSE2 variants vs glibc's SSE2 code: %s\n",
	       argc > 2 ? argv[2] : "?", first);
	return 0;
}
