/* A shared object other blobs depend on (DT_NEEDED libsodep.so). */
int so_dep_value = 1000;

int
so_dep_add(int x)
{
	return x + so_dep_value;
}
