/* A small in-place sort for the registration tables (tens to hundreds of
 * entries, sorted once at boot): insertion sort on an array of pointers. */
#include <core/sort.h>

void
sort_ptrs(const void **v, size_t n, int (*cmp)(const void *, const void *))
{
	for (size_t i = 1; i < n; i++) {
		const void *x = v[i];
		size_t j = i;

		while (j > 0 && cmp(v[j - 1], x) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}
