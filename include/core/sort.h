#ifndef CORE_SORT_H
#define CORE_SORT_H

#include <core/types.h>

void sort_ptrs(const void **v, size_t n, int (*cmp)(const void *, const void *));

#endif
