/* A shared object that needs libsodep.so: loads only after it.  Its
 * constructor runs before any call; its destructor at unload. */
#include <string.h>

extern int so_dep_add(int x);
extern int so_dep_value;
static int inited;

__attribute__((constructor)) static void
so_needy_init(void)
{
	inited = 5;
}

int
so_needy_call(int x)
{
	return so_dep_add(x) + inited + (int)strlen("abc") + so_dep_value;
}
