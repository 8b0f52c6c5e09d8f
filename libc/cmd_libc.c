/* `libc' (either platform): what start-up chose for the string functions,
 * and from what.  Apart from string_select.c so that the host benchmark,
 * which links the variants and their selection, needs no shell. */
#include <core/console.h>
#include <core/dbgsh.h>
#include "libc.h"
#include "string_impl.h"

static int
cmd_libc(int argc, char **argv)
{
	u32 r[4], lo = 0, hi = 0;

	libc_cpuid(1, 0, r);
	if (r[2] & CPUID1_ECX_OSXSAVE)
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	kprintf("libc: string functions %s (CPUID.1 OSXSAVE %u AVX %u, XCR0 %#llx)\n",
		libc_string_selected(), !!(r[2] & CPUID1_ECX_OSXSAVE), !!(r[2] & CPUID1_ECX_AVX),
		(unsigned long long)hi << 32 | lo);
	return 0;
}
DBGSH_GUEST_COMMAND("libc", cmd_libc, "the string variant start-up chose (sse2, avx2, evex) and why");
