/* The sample cases' entry points when they run inside blobvisor: built like
 * integration code a user would write (gcc -fPIC, glibc's headers) and
 * loaded with the vendor archive into one namespace, so DIC_* resolve to the
 * vendor blob's own functions (hooks and traces see every call) and the
 * cases print through blobvisor's printf.  The shell's `rockey' calls these
 * with blob_call. */
#include <stdio.h>
#include "rockey.h"

static const struct dic_api api = DIC_API_DIRECT(printf);

int rockey_case(int n);
int rockey_ncases(void);

int
rockey_case(int n)
{
	int rc = rockey_run_case(&api, n);

	fflush(stdout);
	return rc;
}

int
rockey_ncases(void)
{
	return ROCKEY_CASES;
}
