#include "tap.h"
#include "unit/host_plat.h"
#include <core/pages.h>

static char region[64 * 4096] __attribute__((aligned(4096)));

int
main(void)
{
	struct pages_stats st;
	void *a, *b, *c;
	jmp_buf jb;

	pages_init(region, sizeof(region));
	pages_stats(&st);
	TAP_CHECK(st.total == 63 && st.used == 0, "one page of 64 holds the bitmap (%zu usable)", st.total);
	a = pages_alloc(10);
	b = pages_alloc(20);
	TAP_CHECK(a && b && (char *)b == (char *)a + 10 * 4096, "runs are contiguous and adjacent");
	TAP_CHECK(pages_alloc(40) == NULL, "a run larger than what is left is refused");
	pages_free(a, 10);
	c = pages_alloc(10);
	TAP_CHECK(c == a, "freed pages are reused");
	pages_free(c, 10);
	pages_free(b, 20);
	pages_stats(&st);
	TAP_CHECK(st.used == 0 && st.largest_free_run == 63, "all free again, one run");
	host_exit_jmp = &jb;
	host_console_clear();
	if (!setjmp(jb))
		pages_free(b, 20);
	TAP_CHECK(strstr(host_console, "freed twice"), "double free of pages panics with a reason: %s", host_console);
	host_console_clear();
	if (!setjmp(jb))
		pages_free(region + 4096 * 70, 1);
	TAP_CHECK(strstr(host_console, "not a page"), "freeing a foreign address panics: %s", host_console);
	return tap_done();
}
