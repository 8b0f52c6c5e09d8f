#ifndef CORE_CONSOLE_H
#define CORE_CONSOLE_H

#include <core/types.h>

/* Everything the core prints goes through here, so that a capture (the
 * hypervisor's guest shell, tests) sees exactly what the console sees. */
void console_write(const char *buf, size_t len);
int kprintf(const char *fmt, ...) __printf(1, 2);
int kvprintf(const char *fmt, va_list ap);
void kputs(const char *s);

/* Redirect console output into a buffer (for bvsh and tests); NULL restores. */
struct console_capture {
	char *buf;
	size_t size;
	size_t len;
};
void console_capture_begin(struct console_capture *cap);
void console_capture_end(void);

#endif
