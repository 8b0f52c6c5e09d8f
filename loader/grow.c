/* Growable arrays of the loader (traps, destructors, archive members,
 * constructor lists): one doubling rule, one out-of-memory path. */
#include <core/heap.h>
#include "internal.h"

int
grow_array(void **v, size_t *cap, size_t n, size_t elem)
{
	size_t nc;
	void *nv;

	if (n < *cap)
		return 0;
	nc = *cap ? 2 * *cap : 16;
	if (nc > (size_t)-1 / elem)
		return -1;
	nv = heap_realloc(*v, nc * elem);
	if (!nv)
		return -1;		/* *v untouched, still the caller's */
	*v = nv;
	*cap = nc;
	return 0;
}
