/* __cxa_atexit/__cxa_finalize: C++ static destructors and atexit handlers.
 * A shared object's own destructor (__do_global_dtors_aux) calls
 * __cxa_finalize(its __dso_handle) when the loader runs .fini_array at
 * unload, which runs that object's handlers, newest first. */
#include "libc.h"
#include <core/heap.h>

struct handler {
	void (*fn)(void *);
	void *arg;
	void *dso;
	struct handler *next;
};
static struct handler *handlers;	/* newest first */

int __cxa_atexit(void (*fn)(void *), void *arg, void *dso);
int
__cxa_atexit(void (*fn)(void *), void *arg, void *dso)
{
	struct handler *h = heap_alloc(sizeof(*h));	/* the core's list, not the blob's heap */

	if (!h)
		return -1;
	h->fn = fn, h->arg = arg, h->dso = dso;
	h->next = handlers;
	handlers = h;
	return 0;
}
EXPORT(__cxa_atexit, LIBC);

static void
call_plain(void *fn)
{
	((void (*)(void))fn)();
}

int atexit(void (*fn)(void));
int
atexit(void (*fn)(void))
{
	return __cxa_atexit(call_plain, (void *)fn, NULL);
}
EXPORT(atexit, LIBC);

/* dso NULL: everything.  A handler may register more; they run too. */
void __cxa_finalize(void *dso);
void
__cxa_finalize(void *dso)
{
	struct handler **pp = &handlers;

	while (*pp) {
		struct handler *h = *pp;

		if (dso && h->dso != dso) {
			pp = &h->next;
			continue;
		}
		*pp = h->next;
		h->fn(h->arg);
		heap_free(h);
		pp = &handlers;	/* the list may have changed under the call */
	}
}
EXPORT(__cxa_finalize, LIBC);
