/* glibc's side of files_user.c's stdio_demo (tests/e2e/qemu_domain.sh). */
#include <stdio.h>

int stdio_demo(void);

int
main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("stdio_demo returned %d\n", stdio_demo());
	return 0;
}
