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
