/* A blob that imports what the domain runtime does not have yet (printf,
 * malloc): `blob load --domain' must refuse it naming each import. */
#include <stdio.h>
#include <stdlib.h>

int
outside(int n)
{
	char *p = malloc(16);

	printf("%d %p\n", n, (void *)p);
	return 0;
}
