/* Integer parsing, abs/div, abort/exit and rand_r. */
#include "libc.h"
#include <core/context.h>

static int
digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* The shared strto* scanner: magnitude (saturated at max + 1 when it
 * overflows `limit'), the sign, and where parsing stopped.  glibc's rules:
 * leading white space, a sign, "0x" for base 16 or 0 (only when a hex
 * digit follows), a leading 0 selects octal for base 0; no digits leave
 * *end at the start of the string. */
static u64
scan_integer(const char *s, char **end, int base, u64 limit, bool *neg, bool *over)
{
	const char *p = s;
	u64 v = 0;
	bool any = false;

	*neg = *over = false;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;	/* and *end untouched, as glibc */
		return 0;
	}
	while (isspace((u8)*p))
		p++;
	if (*p == '-' || *p == '+')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' &&
	    digit_value((u8)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	for (; digit_value((u8)*p) < base; p++) {
		int dv = digit_value((u8)*p);

		any = true;
		if (*over)
			continue;
		if (v > (limit - dv) / base) {
			*over = true;
			continue;
		}
		v = v * base + dv;
	}
	if (end)
		*end = (char *)(any ? p : s);
	return v;
}

long long
strtoll(const char *s, char **end, int base)
{
	bool neg, over;
	u64 v = scan_integer(s, end, base, (u64)INT64_MAX + 1, &neg, &over);

	if (over || (!neg && v > (u64)INT64_MAX)) {
		errno = ERANGE;
		return neg ? INT64_MIN : INT64_MAX;
	}
	return neg ? (long long)(0 - v) : (long long)v;
}
EXPORT(strtoll, LIBC);

long
strtol(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}
EXPORT(strtol, LIBC);

long long
strtoimax(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}
EXPORT(strtoimax, LIBC);

unsigned long long
strtoull(const char *s, char **end, int base)
{
	bool neg, over;
	u64 v = scan_integer(s, end, base, UINT64_MAX, &neg, &over);

	if (over) {
		errno = ERANGE;
		return UINT64_MAX;
	}
	return neg ? 0 - v : v;	/* "-1" is ULLONG_MAX, as in glibc */
}
EXPORT(strtoull, LIBC);

unsigned long
strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}
EXPORT(strtoul, LIBC);

unsigned long long
strtoumax(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}
EXPORT(strtoumax, LIBC);

/* glibc: atoi is (int)strtol(s, NULL, 10). */
int
atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}
EXPORT(atoi, LIBC);

long
atol(const char *s)
{
	return strtol(s, NULL, 10);
}
EXPORT(atol, LIBC);

long long
atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}
EXPORT(atoll, LIBC);

int
abs(int x)
{
	return x < 0 ? -(unsigned)x : (unsigned)x;
}
EXPORT(abs, LIBC);

long
labs(long x)
{
	return x < 0 ? -(unsigned long)x : (unsigned long)x;
}
EXPORT(labs, LIBC);

long long
llabs(long long x)
{
	return x < 0 ? -(unsigned long long)x : (unsigned long long)x;
}
EXPORT(llabs, LIBC);

div_t
div(int a, int b)
{
	return (div_t){ a / b, a % b };
}
EXPORT(div, LIBC);

ldiv_t
ldiv(long a, long b)
{
	return (ldiv_t){ a / b, a % b };
}
EXPORT(ldiv, LIBC);

void
abort(void)
{
	ctx_abort("abort() called", CALLER);
}
EXPORT(abort, LIBC);

/* A blob cannot end the VMM: exit stops the blob call like abort. */
void
exit(int status)
{
	static char why[48];

	snprintf(why, sizeof(why), "exit(%d) called", status);
	ctx_abort(why, CALLER);
}
EXPORT(exit, LIBC);

/* rand_r: glibc's three-step LCG; rand/random are in random.c. */
int
rand_r(unsigned *seed)
{
	unsigned next = *seed;
	int result;

	next = next * 1103515245 + 12345;
	result = (next / 65536) % 2048;
	next = next * 1103515245 + 12345;
	result = (result << 10) ^ ((next / 65536) % 1024);
	next = next * 1103515245 + 12345;
	result = (result << 10) ^ ((next / 65536) % 1024);
	*seed = next;
	return result;
}
EXPORT(rand_r, LIBC);
