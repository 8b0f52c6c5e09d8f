#include <core/console.h>
#include <core/heap.h>
#include <core/init.h>
#include <core/sort.h>
#include <core/string.h>
#include "section.h"

SECTION_BOUNDS(struct initfunc, initfuncs);

static int
initfunc_cmp(const void *a, const void *b)
{
	const struct initfunc *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->name, y->name);
}

void
initfuncs_run(void)
{
	size_t n = SECTION_COUNT(initfuncs);
	const void **order = sort_table(__start_initfuncs, n, sizeof(*__start_initfuncs),
					initfunc_cmp);

	for (size_t i = 0; i < n; i++)
		((const struct initfunc *)order[i])->fn();
	heap_free(order);
}
