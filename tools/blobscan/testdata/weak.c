extern int optional_hook(int) __attribute__((weak));

int
call_hook(int x)
{
	return optional_hook ? optional_hook(x) : -1;
}
