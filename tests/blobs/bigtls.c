/* More thread-local data than the static TLS area (64 KiB) holds: the load
 * must be refused naming the section, before any offset is computed. */
__thread char bigtls_block[70000];

int
bigtls_touch(int i)
{
	return bigtls_block[i];
}
