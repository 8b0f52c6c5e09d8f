/* Three undefined symbols, all to be named in one pass. */
extern int missing_one(int);
extern int missing_two(void);
extern int missing_data;

int
unres_entry(int x)
{
	return missing_one(x) + missing_two() + missing_data;
}

int
unres_harmless(void)
{
	return 7;
}
