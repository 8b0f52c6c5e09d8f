int shared_counter;	/* tentative definition: COMMON with -fcommon */

int
next(void)
{
	return ++shared_counter;
}
