#ifndef CORE_KSYMS_H
#define CORE_KSYMS_H

#include <core/types.h>

/* The core's own symbol table, generated at link time (see tools/gen-ksyms). */
struct ksym {
	u64 addr;
	const char *name;
};

/* Name of the function containing addr and the offset into it, or NULL. */
const char *ksym_lookup(u64 addr, u64 *offset);
u64 ksym_address(const char *name);
/* "name+0x1f" or "0x401234" into buf. */
const char *ksym_format(u64 addr, char *buf, size_t size);

#endif
