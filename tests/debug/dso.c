/* A shared object for the debugger's tests: its imports go through its own
 * PLT and GOT (JUMP_SLOT), which `trace on' rebinds. */
#include <string.h>

long
dso_len(const char *s)
{
	return (long)strlen(s) + 1000;
}
