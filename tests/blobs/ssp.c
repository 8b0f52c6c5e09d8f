/* Built with -fstack-protector-all: reads the canary at %fs:0x28. */
#include <stddef.h>

long
ssp_sum(int n)
{
	volatile char buf[32];
	long s = 0;

	for (int i = 0; i < n && i < 32; i++)
		buf[i] = (char)i;
	for (int i = 0; i < n && i < 32; i++)
		s += buf[i];
	return s;
}

long
ssp_smash(int n)
{
	volatile char buf[16];

	for (int i = 0; i < n; i++)	/* n > 16 overruns into the canary */
		buf[i] = 'A';
	return buf[0];
}

/* The TCB as glibc-built code sees it: %fs:0 and %fs:0x10 are its address. */
long
tcb_check(void)
{
	unsigned long self0, self10, canary;

	__asm__("mov %%fs:0, %0" : "=r"(self0));
	__asm__("mov %%fs:0x10, %0" : "=r"(self10));
	__asm__("mov %%fs:0x28, %0" : "=r"(canary));
	if (self0 != self10 || !self0)
		return 1;
	if (!canary || (canary & 0xff))
		return 2;
	return 0;
}
