/* A well-behaved blob for a protection domain, built like a vendor object
 * (-fPIC, stack protector, glibc's headers): it reaches the VMM only
 * through the domain runtime's system calls (tests/e2e/qemu_domain.sh). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct bv_limits {
	unsigned long pages_max, pages_used, threads_max, threads_used, cpu_ms_per_command;
};
void *bv_mem_grow(unsigned long pages);
long bv_limits(struct bv_limits *out);

static int counter;

/* puts/write go out through BV_SYS_WRITE; a local array makes the stack
 * protector read the canary at %fs:0x28 (the domain's TCB). */
int
hello(int n)
{
	char line[64] = "hello from ring 3, call ";

	line[24] = (char)('0' + n % 10);
	line[25] = 0;
	puts(line);
	return ++counter * 100 + n;
}

/* Time moves, and a sleep through the scheduler lasts what it said. */
long
clock_check(void)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	usleep(20000);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
}

/* Heap pages from BV_SYS_MEM_GROW are zeroed and writable. */
long
grow_check(void)
{
	unsigned char *p = bv_mem_grow(2);
	long sum = 0;

	if (!p)
		return -1;
	for (int i = 0; i < 8192; i++)
		sum += p[i];
	memset(p, 7, 8192);
	return sum == 0 && p[8191] == 7 ? 8192 : -2;
}

long
limits_pages(void)
{
	struct bv_limits l;

	if (bv_limits(&l))
		return -1;
	return (long)l.pages_max;
}

int
quit(int status)
{
	_exit(status);
}

/* `blob call hello_str "text"': the string is the VMM's; a domain gets a
 * copy on its stack (blob_call_bufs). */
long
hello_str(const char *s)
{
	printf("hello_str got \"%s\"\n", s);
	return (long)strlen(s);
}
