/* A blob that imports what the domain runtime does not have (fork: one
 * domain is one process image, and libc has no processes either):
 * `blob load --domain' must refuse it naming the import. */
#include <unistd.h>

int
outside(void)
{
	return (int)fork();
}
