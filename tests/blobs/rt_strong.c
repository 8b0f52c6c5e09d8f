/* Loaded after rt_other.o: its strong definition beats rt_other's COMMON. */
int rt_common_vs_strong = 77;

int
rt_strong_check(void)
{
	extern int *rt_common_vs_strong_addr(void);

	return rt_common_vs_strong_addr() == &rt_common_vs_strong && *rt_common_vs_strong_addr() == 77 ? 0 : 1;
}
