/* Bench blob (bench/debug_overhead.c): n calls of an import, n calls of a
 * blob function.  -fno-builtin keeps every memset a real call (strlen
 * would be hoisted out of the loop: glibc declares it pure). */
#include <string.h>

long
bench_memset(long n)
{
	char buf[16];
	long t = 0;

	for (long i = 0; i < n; i++) {
		memset(buf, (int)i, 8);
		t += buf[3];
	}
	return t;
}

__attribute__((noinline)) long
bench_add(long a, long b)
{
	long r = a * 3 + b;

	return r ^ (a >> 3);
}

long
bench_add_loop(long n)
{
	long s = 0;

	for (long i = 0; i < n; i++)
		s += bench_add(i, s & 0xff);
	return s;
}
