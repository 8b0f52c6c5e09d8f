/* The second object of the test blob: cross-object references. */
int rt_common;
extern int rt_data;
int rt_other_data = 99;

__attribute__((constructor)) static void
rt_other_ctor(void)
{
	rt_common = 100;
}

int
rt_other_value(void)
{
	return rt_data + 7;
}

/* COMMON here, a strong definition in rt_strong.c: the strong one wins and
 * both objects see the same storage. */
int rt_common_vs_strong;

int *
rt_common_vs_strong_addr(void)
{
	return &rt_common_vs_strong;
}
