/* Blob code that misuses its heap, each function one way; the VMM must
 * report each as a blob fault naming the calls and keep its own heap. */
#include <stdlib.h>
#include <string.h>

#pragma GCC diagnostic ignored "-Wfree-nonheap-object"	/* on purpose */

static void *volatile keep;
/* called through pointers, so gcc cannot pair up and drop malloc/free */
static void *(*volatile heap_get)(size_t) = malloc;
static void (*volatile heap_put)(void *) = free;
static void *(*volatile heap_reget)(void *, size_t) = realloc;

int
heap_ok(int n)
{
	char *p = malloc(n), *q;

	if (!p)
		return -1;
	memset(p, 7, n);
	q = realloc(p, 2 * n);
	if (!q || q[n - 1] != 7)
		return -2;
	free(q);
	keep = strdup("kept until unload");
	return 0;
}

int
heap_double_free(void)
{
	void *p = heap_get(40);

	heap_put(p);
	heap_put(p);
	return 0;
}

int
heap_stack_free(void)
{
	char local[32] __attribute__((aligned(16)));

	heap_put(local);
	return 0;
}

int
heap_wild_free(long addr)
{
	heap_put((void *)addr);
	return 0;
}

int
heap_overrun(void)
{
	char *a = heap_get(40);
	char *b = heap_get(40);

	memset(a, 'x', 80);	/* over b's header */
	keep = a;
	heap_put(b);
	return 0;
}

int
heap_bad_realloc(void)
{
	static char not_heap[64] __attribute__((aligned(16)));

	keep = heap_reget(not_heap + 16, 100);
	return 0;
}

int
heap_use_after_free(void)
{
	long *volatile p = heap_get(64);

	heap_put(p);
	p[0] = 0x4141414141414141;	/* over the free-list links */
	p[1] = 0x4242424242424242;
	keep = heap_get(64);
	return 0;
}

