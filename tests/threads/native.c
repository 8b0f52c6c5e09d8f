/* The threads test program on glibc: thr_run(N) for each N given. */
#include <stdlib.h>

int thr_run(int which);

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (thr_run(atoi(argv[i])))
			return 1;
	return 0;
}
