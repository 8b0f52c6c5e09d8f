/* debug/ internal: a loaded blob as an ELF file for gdb (gdb_elf.c). */
#ifndef DEBUG_GDB_ELF_H
#define DEBUG_GDB_ELF_H

#include <core/types.h>

struct blob;

/* A heap block holding the ELF image of object `obj' of b (*len bytes);
 * NULL when there is no such object or the heap is exhausted. */
void *gdb_elf_build(const struct blob *b, unsigned obj, size_t *len);

#endif
