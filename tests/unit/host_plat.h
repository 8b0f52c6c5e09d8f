/* Core headers (freestanding) plus the unit-test platform's controls. */
#ifndef TESTS_HOST_PLAT_H
#define TESTS_HOST_PLAT_H

#include <setjmp.h>
#include <core/types.h>
#include <core/heap.h>
#include <core/platform.h>

extern char host_console[];
extern size_t host_console_len;
extern const char *host_input;
extern jmp_buf *host_exit_jmp;
extern int host_exit_status;
void host_console_clear(void);

#endif
