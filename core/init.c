#include <core/console.h>
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
	const void *order[n ? n : 1];

	for (size_t i = 0; i < n; i++)
		order[i] = &__start_initfuncs[i];
	sort_ptrs(order, n, initfunc_cmp);
	for (size_t i = 0; i < n; i++)
		((const struct initfunc *)order[i])->fn();
}
