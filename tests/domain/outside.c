/* A blob that imports what the domain runtime does not have yet (threads,
 * files): `blob load --domain' must refuse it naming each import. */
#include <pthread.h>
#include <stdio.h>

static void *
run(void *arg)
{
	return arg;
}

int
outside(const char *path)
{
	pthread_t t;
	FILE *f = fopen(path, "r");

	pthread_create(&t, NULL, run, f);
	return 0;
}
