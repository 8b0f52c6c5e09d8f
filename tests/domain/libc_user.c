/* A blob that uses the C library the way vendor code does (printf, malloc,
 * snprintf, strtod, qsort, strerror, string functions), built like a vendor
 * object.  tests/e2e/qemu_domain.sh runs libc_demo in a domain (the domain
 * build of libc) and natively on glibc (libc_native.c's main) and requires
 * the same lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int
libc_demo(void)
{
	static const double vals[] = { 0.1, 1.5, -2.25, 1e10, 3.14159265358979, 1e-7, 0.5 };
	int nums[] = { 42, -7, 19, 0, 1000, -300, 5 };
	char buf[128], *p, *q;
	size_t total = 0;

	printf("int %d %5d %-5d| %x %#o %llu %ld\n", -42, 7, 7, 0xbeefu, 8u,
	       18446744073709551615ull, -1234567890123L);
	for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		printf("double %f %e %g %.3f %a\n", vals[i], vals[i], vals[i], vals[i], vals[i]);
	printf("str [%s] [%10s] [%-10s] [%.3s] %c%%\n", "abc", "right", "left", "truncate", 'Z');
	snprintf(buf, sizeof(buf), "%08.3f|%+d|% d", 3.14159, 5, 5);
	printf("snprintf %s (%zu)\n", buf, strlen(buf));
	printf("strtod %.17g %.17g %g\n", strtod("0.1", NULL), strtod("2.5e-3x", &p), strtod("inf", NULL));
	printf("strtod end [%s]\n", p);
	printf("strtol %ld %lu %ld\n", strtol("-0x1f", NULL, 16), strtoul("777", NULL, 8), atol("12345"));
	qsort(nums, sizeof(nums) / sizeof(nums[0]), sizeof(int), cmp_int);
	for (unsigned i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		printf("%s%d", i ? " " : "qsort ", nums[i]);
	printf("\n");
	for (int i = 1; i <= 64; i++) {
		p = malloc((size_t)i * 100);
		if (!p)
			return -1;
		memset(p, i, (size_t)i * 100);
		q = realloc(p, (size_t)i * 300);
		if (!q)
			return -2;
		for (int k = 0; k < i * 100; k++)
			total += (unsigned char)q[k];
		free(q);
	}
	printf("malloc sum %zu\n", total);
	p = calloc(1000, 4);
	for (int k = 0; k < 4000; k++)
		if (p[k])
			return -3;
	free(p);
	printf("strerror %s | %s\n", strerror(ENOENT), strerror(EINVAL));
	strcpy(buf, "hello, ");
	strcat(buf, "domain");
	printf("string %s %d %s %s\n", buf, strcmp("a", "b") < 0, strchr(buf, 'd'), strstr(buf, "lo,"));
	fprintf(stderr, "stderr line %d\n", 2);
	fputs("fputs line\n", stdout);
	putchar('!');
	putchar('\n');
	return 4242;
}

/* Thread-local storage as vendor code uses it: initialised (.tdata) and
 * zeroed (.tbss) __thread variables reached through the general-dynamic
 * model (-fPIC: __tls_get_addr), and errno, which lives in the C
 * library's TLS.  Everything sits below the thread pointer (variant II),
 * in a domain as under glibc. */
static __thread int t_counter = 41;
__thread char t_name[32] = "tls-initial";
static __thread long t_zero[64];

int
tls_demo(void)
{
	char *tp = __builtin_thread_pointer();
	long sum = 0;
	int e;

	for (int i = 0; i < 64; i++)
		sum += t_zero[i];
	t_zero[5] = 7;
	t_counter++;
	errno = 0;
	strtol("99999999999999999999999", NULL, 10);
	e = errno;
	printf("tls %d %s zero-sum %ld errno %s; below TP: counter %d name %d errno %d\n",
	       t_counter, t_name, sum, e == ERANGE ? "ERANGE" : strerror(e),
	       (char *)&t_counter < tp, t_name < tp, (char *)&errno < tp);
	snprintf(t_name, sizeof(t_name), "call-%d", t_counter);
	return t_counter + (int)t_zero[5];
}
