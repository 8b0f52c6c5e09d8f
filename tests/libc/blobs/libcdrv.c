/* A blob built the way Debian builds (PIC, -fstack-protector-strong,
 * -D_FORTIFY_SOURCE=2, -O2) against glibc's headers: it imports what such
 * code really imports (__printf_chk, __ctype_b_loc, __isoc99_sscanf,
 * __errno_location, stdout...).  tests/libc/blob_libc.sh runs it inside
 * blobvisor and as a host program on glibc, and compares the output. */
#define _GNU_SOURCE
#include <complex.h>
#include <wchar.h>
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <search.h>
#include <string.h>
#include <time.h>

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int once_count;
static void once_fn(void) { once_count++; }

int
libc_driver(void)
{
	char buf[64], *end, *tok, *save;
	int v[8] = { 42, -7, 19, 0, 19, 1000, -300, 5 }, *hit;
	int key = 19, n, a = 0, b = 0;
	unsigned classes[6] = { 0 };
	pthread_mutex_t rec = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
	pthread_mutex_t chk = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
	pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_key_t k;
	double d;
	char *dup;

	printf("ints: [%d] [%5d] [%-5d] [%05d] [%+d] [%x] [%#o] [%llu] [%hhd]\n",
	       42, -42, 7, 7, 7, 0xbeef, 8, ULLONG_MAX, 300);
	printf("floats: [%f] [%.3e] [%g] [%g] [%a] [%10.4f] [%.0f] [%.0f] [%Lg]\n",
	       3.14159265358979, 123456.789, 0.0001, 1e20, 1.0, -2.5, 0.5, 1.5, 1.0L / 3);
	printf("strings: [%s] [%.3s] [%8s] [%-8s] [%c]\n", "hello", "abcdef", "r", "l", 'z');
	n = snprintf(buf, 8, "%s", "truncated output");
	printf("snprintf: %d [%s]\n", n, buf);
	n = sprintf(buf, "%d-%s", 12, "ab");
	printf("sprintf: %d [%s]\n", n, buf);

	errno = 0;
	printf("strtol: %ld %ld %ld %lu", strtol("  -123xyz", &end, 10), strtol("0x1F", NULL, 0),
	       strtol("777", NULL, 8), strtoul("-1", NULL, 10));
	printf(" end=[%s] atoi=%d\n", end, atoi("  56abc"));
	errno = 0;
	printf("overflow: %ld errno=%d\n", strtol("99999999999999999999", NULL, 10), errno == ERANGE);
	d = strtod("1e-3", &end);
	printf("strtod: %.17g %g [%s]\n", d, strtod("-inf", NULL), end);

	for (int c = 0; c < 256; c++) {
		classes[0] += !!isalpha(c);
		classes[1] += !!isdigit(c);
		classes[2] += !!isspace(c);
		classes[3] += !!ispunct(c);
		classes[4] += !!isprint(c);
		classes[5] += toupper(c) != c;
	}
	printf("ctype: alpha %u digit %u space %u punct %u print %u upper-changes %u\n",
	       classes[0], classes[1], classes[2], classes[3], classes[4], classes[5]);

	n = sscanf("12 apples and 34", "%d %s and %d", &a, buf, &b);
	printf("sscanf: %d %d [%s] %d\n", n, a, buf, b);

	qsort(v, 8, sizeof(int), cmp_int);
	hit = bsearch(&key, v, 8, sizeof(int), cmp_int);
	printf("qsort: %d %d %d %d %d %d %d %d; bsearch 19 at %d\n", v[0], v[1], v[2], v[3], v[4],
	       v[5], v[6], v[7], hit ? (int)(hit - v) : -1);

	strcpy(buf, "alpha,beta,,gamma");
	printf("strings:");
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		printf(" <%s>", tok);
	dup = strdup("duplicate");
	printf(" len=%zu cmp=%d chr=%s str=%s\n", strlen(dup), strcmp(dup, "dup") > 0,
	       strchr(dup, 'p'), strstr(dup, "cat"));
	free(dup);
	memset(buf, 'x', 10);
	memcpy(buf + 10, "yz", 3);
	printf("mem: [%s] %d\n", buf, memcmp(buf, "xxxxxxxxxxy", 11) < 0);

	printf("mutex: rec %d %d %d %d %d; chk %d %d %d %d\n",
	       pthread_mutex_lock(&rec), pthread_mutex_lock(&rec), pthread_mutex_unlock(&rec),
	       pthread_mutex_unlock(&rec), pthread_mutex_unlock(&rec),
	       pthread_mutex_lock(&chk), pthread_mutex_lock(&chk), pthread_mutex_unlock(&chk),
	       pthread_mutex_unlock(&chk));
	pthread_once(&once, once_fn);
	pthread_once(&once, once_fn);
	pthread_key_create(&k, NULL);
	pthread_setspecific(k, &once_count);
	printf("once %d key %d self-equal %d\n", once_count, pthread_getspecific(k) == &once_count,
	       pthread_equal(pthread_self(), pthread_self()));

	srand(1);
	printf("rand: %d %d %d\n", rand(), rand(), rand());

	/* libm (with errno), time conversion, <search.h>, random states, paths */
	volatile double x = 0.75, y = 2.5, neg = -1;
	errno = 0;
	double lg = log(neg);
	int log_edom = errno == EDOM;
	errno = 0;
	double big = exp(1000 * y);
	printf("math: %.14g %.14g %.14g %.14g %.14g %.14g %.14g %ld %g; log(-1) %d %d, exp(2500) %g %d\n",
	       sin(x), cos(y), exp(y), pow(x, y), sqrt(y), fmod(y, x), atan2(x, y), lround(y), floor(-y),
	       isnan(lg), log_edom, big, errno == ERANGE);
	struct tm tm;
	time_t t = 1700000000;
	char tb[80];
	gmtime_r(&t, &tm);
	strftime(tb, sizeof(tb), "%Y-%m-%d %H:%M:%S %j %a %b %U %V %e|%-d|%_5H", &tm);
	tm.tm_mday += 40;
	long long tg = (long long)timegm(&tm);	/* normalises tm first */
	printf("time: %s; timegm %lld; asctime %s", tb, tg, asctime(&tm));
	char *rest = strptime("2024-02-29 13:14 tail", "%Y-%m-%d %H:%M", &tm);
	printf("strptime: %d %d %d %d [%s]\n", tm.tm_year, tm.tm_yday, tm.tm_wday, tm.tm_hour, rest);
	static char st[64];
	initstate(7, st, sizeof(st));
	long r1 = random(), r2 = random();
	printf("random: %ld %ld\n", r1, r2);
	hcreate(16);
	ENTRY in = { (char *)"key", (char *)"value" }, want = { (char *)"key", NULL }, *found;
	hsearch(in, ENTER);
	found = hsearch(want, FIND);
	char path[] = "/usr/lib/x.so";
	printf("search: %s; dirname %s\n", found ? (char *)found->data : "-", dirname(path));
	/* memory streams, as a driver builds a report or parses a blob */
	char *mbuf = NULL, fbuf[16] = "abc";
	size_t msize = 0;
	FILE *ms = open_memstream(&mbuf, &msize);
	fprintf(ms, "id=%04x", 0x2a);
	fflush(ms);
	size_t at_flush = msize;
	fputs(" serial", ms);
	fseek(ms, 3, SEEK_SET);
	fclose(ms);
	FILE *fm = fmemopen(fbuf, 8, "w");
	int fw = fprintf(fm, "0123456789"), ff = fflush(fm), fe = ferror(fm);
	fclose(fm);
	fm = fmemopen((void *)"12 34", 5, "r");
	char line[8] = "";
	int v1 = 0, v2 = 0, nv = fgets(line, sizeof(line), fm) ? sscanf(line, "%d %d", &v1, &v2) : -1;
	fclose(fm);
	printf("memstream: %zu then [%s] %zu; fmemopen %d %d %d [%s]; sscanf of fgets %d %d %d\n", at_flush,
	       mbuf, msize, fw, ff, fe, fbuf, nv, v1, v2);
	free(mbuf);
	wchar_t *wbuf = NULL;
	size_t wsize = 0;
	FILE *ws = open_wmemstream(&wbuf, &wsize);
	int wn = fwprintf(ws, L"%ls=%-4d|%5.2f", L"w\u00e9", 42, 2.5);
	fputwc(L'\u20ac', ws);
	fputws(L" end", ws);
	int wmode = fwide(ws, 0);
	fclose(ws);
	printf("wmemstream: %d %zu %d", wn, wsize, wmode);
	for (size_t i = 0; i < wsize; i++)
		printf(" %x", (unsigned)wbuf[i]);
	printf("\n");
	free(wbuf);
	/* long double and complex, through volatile so nothing folds */
	volatile long double la = 2.0L, lb = -0.75L;
	volatile double complex cz = CMPLX(3.0, -4.0);
	errno = 0;
	long double l1 = sqrtl(la), l2 = expm1l(lb), l3 = logl(-la);
	int lerr = errno;
	double complex cs = csqrt(cz);
	printf("long double: %.21Lg %.21Lg %Lg errno %d; complex: cabs %g carg %.17g csqrt %g%+gi\n",
	       l1, l2, l3, lerr == EDOM, cabs(cz), carg(cz), creal(cs), cimag(cs));
	/* the functions done in binary128: powl, lgammal, tgammal, csinl, casinh, csqrtl */
	int sg = 0;
	long double lgz = lgammal_r(-2.457024738220800645L, &sg);
	volatile long double complex lz = CMPLXL(0.5L, -2.0L);
	long double complex c1 = csinl(lz), c3 = csqrtl(lz);
	double complex c2 = casinh(cz);
	printf("binary128: %.20Lg %.8Lg %d %.20Lg; %.19Lg%+.19Lgi %.17g%+.17gi %.19Lg%+.19Lgi\n",
	       powl(1.0000001L, 1e9L), lgz, sg, tgammal(-3.5L), creall(c1), cimagl(c1),
	       creal(c2), cimag(c2), creall(c3), cimagl(c3));
	puts("puts line");
	fputs("fputs to stdout\n", stdout);
	putchar('!');
	putchar('\n');
	fflush(stdout);
	return 0;
}

/* Fortify: the compiler knows buf's size, so this is __strcpy_chk. */
int
libc_fortify(const char *s)
{
	char buf[8];

	strcpy(buf, s);
	return buf[0];
}

/* The canary at %fs:0x28 is overwritten: __stack_chk_fail. */
int
libc_smash(int n)
{
	volatile char buf[16];

	for (int i = 0; i < n; i++)
		buf[i] = 'A';
	return buf[0];
}
