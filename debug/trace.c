/* Import tracing (placeholder until the thunks land). */
#include <core/console.h>
#include <debug/debug.h>

void
trace_print_last(unsigned n)
{
	(void)n;
}

const char *
trace_last_import(void)
{
	return "(unknown: `trace on' records imports)";
}
