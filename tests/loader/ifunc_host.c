/* The IFUNC test blob linked natively with glibc: its answers are what the
 * blob must answer under blobvisor (tests/e2e/loader_ifunc.sh). */
#include <stddef.h>
#include <stdio.h>

int ifunc_variant(void);
size_t ifunc_len(const char *s);
int ifunc_same_address(void);

int
main(void)
{
	printf("variant %d len %zu same %d\n", ifunc_variant(), ifunc_len("hello"),
	       ifunc_same_address());
	return 0;
}
