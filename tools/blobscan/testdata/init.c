static int ready;

__attribute__((constructor)) static void
setup(void)
{
	ready = 1;
}

__attribute__((destructor)) static void
teardown(void)
{
	ready = 0;
}

int
is_ready(void)
{
	return ready;
}
