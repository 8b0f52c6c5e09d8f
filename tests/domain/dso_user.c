/* A shared object for a protection domain, built like a vendor .so
 * (-fPIC -shared, stack protector, glibc's headers): its PLT/GOT imports
 * bind to the domain runtime, its constructor runs in ring 3, and its pages
 * keep the segments' protections (tests/e2e/qemu_domain.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int constructed;
int dso_counter = 40;

__attribute__((constructor)) static void
dso_init(void)
{
	constructed = 7;
}

/* printf and malloc through the PLT, data through the GOT. */
int
dso_demo(int n)
{
	char *p = malloc(64);
	int len;

	if (!p)
		return -1;
	snprintf(p, 64, "dso in ring 3: %d %s", n, "ok");
	len = (int)strlen(p);
	printf("%s (len %d, constructed %d)\n", p, len, constructed);
	free(p);
	return ++dso_counter + constructed;
}

/* The .so's own text is r-x in the domain too. */
int
dso_write_text(void)
{
	volatile unsigned char *t = (volatile unsigned char *)(void *)dso_demo;

	t[0] = 0xc3;
	return 1;
}
