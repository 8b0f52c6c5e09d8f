/* files_driver as a glibc program over a directory tree: the reference. */
#include <string.h>

int files_driver(const char *root);
int pipe_threads(void);

int
main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--pipes"))
		return pipe_threads();
	return files_driver(argc > 1 ? argv[1] : "");
}
