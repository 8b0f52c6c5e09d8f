/* gdb's JIT interface (gdb_jit.c). */
#ifndef DEBUG_GDB_JIT_H
#define DEBUG_GDB_JIT_H

/* Register every loaded blob gdb does not know yet, if a debugger follows
 * the interface now (one attached after the blobs were loaded). */
void gdb_jit_sync(void);

#endif
