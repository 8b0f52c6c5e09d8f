/* The same driver as a glibc program: the reference output. */
int libc_driver(void);

int
main(void)
{
	return libc_driver();
}
