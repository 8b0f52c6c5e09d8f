/* A test blob: known answers for the loader's relocation and layout paths.
 * Built with several code models (see loader/module.mk); rt_check()
 * returns 0 when every fact holds, else the number of the first that
 * failed. */
#include <stddef.h>

size_t strlen(const char *s);
int memcmp(const void *a, const void *b, size_t n);
int snprintf(char *buf, size_t size, const char *fmt, ...);

int rt_common;				/* COMMON with -fcommon, also in rt_other.c */
int rt_data = 42;
extern int rt_other_value(void);	/* defined in rt_other.o */
extern int rt_other_data;
extern int rt_weak_missing(void) __attribute__((weak));
extern int rt_weak_data __attribute__((weak));

static const char *const names[] = { "zero", "one", "two", "three" };
static int ctor_ran;
static int ctor_order[4], nctor;

__attribute__((constructor(200))) static void
rt_ctor_late(void)
{
	ctor_order[nctor++] = 2;
	ctor_ran += 34;
}

__attribute__((constructor(101))) static void
rt_ctor_early(void)
{
	ctor_order[nctor++] = 1;
	ctor_ran = 1200;
}

__attribute__((noinline)) int
rt_switch(int x)
{
	switch (x) {
	case 0: return 11;
	case 1: return 22;
	case 2: return 33;
	case 3: return 44;
	case 4: return 55;
	case 5: return 66;
	case 6: return 77;
	default: return -1;
	}
}

static int
triple(int x)
{
	return x * 3;
}

int (*rt_fp)(int) = triple;
__attribute__((aligned(4096))) char rt_page[4096] = { 1 };
static char big_bss[100000];

long
rt_add(long a, long b)
{
	return a + b;
}

long
rt_strlen(const char *s)
{
	return (long)strlen(s);
}

int
rt_check(void)
{
	char buf[32];

	if (ctor_ran != 1234)
		return 1;
	if (strlen(names[3]) != 5)
		return 2;
	if (rt_switch(3) != 44 || rt_switch(6) != 77)
		return 3;
	if (rt_fp(5) != 15)
		return 4;
	if (((unsigned long)rt_page & 4095) != 0 || rt_page[0] != 1)
		return 5;
	snprintf(buf, sizeof(buf), "%d-%s", rt_data, names[1]);
	if (memcmp(buf, "42-one", 7))
		return 6;
	if (rt_other_value() != 42 + 7)
		return 7;
	if (rt_other_data != 99)
		return 8;
	if (rt_weak_missing || &rt_weak_data)
		return 9;
	big_bss[99999] = 5;
	if (big_bss[0] || big_bss[99999] != 5)
		return 10;
	rt_common++;
	if (rt_common != 1 + 100)	/* rt_other's constructor set it to 100 */
		return 11;
	if (ctor_order[0] != 1 || ctor_order[1] != 2)
		return 12;
	return 0;
}
