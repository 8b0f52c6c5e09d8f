/* Blob code that misbehaves: the shell must survive each of these. */
int
fault_null(void)
{
	return *(volatile int *)16;
}

int
fault_spin(void)
{
	for (volatile int i = 0;; i++)
		;
}

int
fault_recurse(int n)
{
	volatile char pad[512];

	pad[0] = (char)n;
	return fault_recurse(n + 1) + pad[0];
}

int
fault_write_text(void)
{
	*(volatile char *)fault_write_text = 0xc3;
	return 0;
}
