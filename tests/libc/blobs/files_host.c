/* files_driver as a glibc program over a directory tree: the reference. */
int files_driver(const char *root);

int
main(int argc, char **argv)
{
	return files_driver(argc > 1 ? argv[1] : "");
}
