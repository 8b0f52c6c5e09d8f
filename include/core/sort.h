#ifndef CORE_SORT_H
#define CORE_SORT_H

#include <core/types.h>

void sort_ptrs(const void **v, size_t n, int (*cmp)(const void *, const void *));
/* A heap array of pointers to the n records of elem_size bytes at base,
 * sorted with cmp: how the registration tables are indexed at boot. */
const void **sort_table(const void *base, size_t n, size_t elem_size,
			int (*cmp)(const void *, const void *));

#endif
