/* glibc's side of the libc_user.c comparison (tests/e2e/qemu_domain.sh). */
#include <stdio.h>

int libc_demo(void);
int tls_demo(void);

int
main(void)
{
	int r;

	setvbuf(stdout, NULL, _IONBF, 0);
	r = libc_demo();
	printf("libc_demo returned %d\n", r);
	for (int i = 0; i < 2; i++) {
		r = tls_demo();
		printf("tls_demo returned %d\n", r);
	}
	return 0;
}
