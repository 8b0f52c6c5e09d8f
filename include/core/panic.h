#ifndef CORE_PANIC_H
#define CORE_PANIC_H

#include <core/types.h>

void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

#define BUG_ON(cond) do { \
	if (unlikely(cond)) \
		panic("BUG: %s:%d: %s", __FILE__, __LINE__, #cond); \
} while (0)

#endif
