/* A small in-place sort for the registration tables (tens to hundreds of
 * entries, sorted once at boot): insertion sort on an array of pointers. */
#include <core/heap.h>
#include <core/panic.h>
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

const void **
sort_table(const void *base, size_t n, size_t elem_size,
	   int (*cmp)(const void *, const void *))
{
	const void **v = heap_alloc(sizeof(*v) * (n ? n : 1));

	if (!v)
		panic("sort_table: no memory for %zu entries", n);
	for (size_t i = 0; i < n; i++)
		v[i] = (const char *)base + i * elem_size;
	sort_ptrs(v, n, cmp);
	return v;
}
