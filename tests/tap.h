/* A tiny TAP producer for host-side tests: `ok N - name` per check, and the
 * plan at the end.  tests/run counts the lines. */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

#define TAP_CHECK(cond, ...) tap_check(!!(cond), #cond, __FILE__, __LINE__, __VA_ARGS__)

static inline __attribute__((format(printf, 5, 6))) int
tap_check(int ok, const char *expr, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		printf("#   failed: %s (%s:%d)\n", expr, file, line);
		tap_failed++;
	}
	fflush(stdout);
	return ok;
}

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
