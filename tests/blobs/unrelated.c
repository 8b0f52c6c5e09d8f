/* An archive member nobody needs: pulled in only by --whole-archive. */
extern int nothing_defines_this(void);

int
unrelated_fn(void)
{
	return nothing_defines_this();
}
