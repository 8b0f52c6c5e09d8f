#ifndef CORE_PAGES_H
#define CORE_PAGES_H

#include <core/types.h>

/* Physically (bare metal) or virtually (hosted) contiguous 4 KiB pages from
 * the region the platform hands over at boot.  Blob images come from here,
 * which keeps them within +-2 GiB of the core. */
void pages_init(void *base, size_t len);
void *pages_alloc(size_t npages);
void pages_free(void *p, size_t npages);
bool pages_owns(const void *p);

struct pages_stats {
	size_t total;	/* pages */
	size_t used;
	size_t largest_free_run;
};
void pages_stats(struct pages_stats *st);

#endif
