/* Which memory/string variant runs: decided once at start-up from CPUID and
 * from what the platform enabled (XCR0), as glibc's IFUNC resolvers decide.
 * AVX2 needs the CPU's AVX and AVX2 bits, and the OS's: CR4.OSXSAVE (seen
 * as CPUID.1:ECX.OSXSAVE) and XCR0 saving the SSE and YMM state on context
 * switches.  A Linux host enables both, and so does the bare-metal VMM
 * (platform/pc/xsave.c, before start-up functions run). */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/init.h>
#include "libc.h"
#include "string_impl.h"

#define CPUID1_ECX_OSXSAVE	(1u << 27)
#define CPUID1_ECX_AVX		(1u << 28)
#define CPUID7_EBX_AVX2		(1u << 5)
#define XCR0_SSE_YMM		0x6u

static void
cpuid_count(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

enum libc_isa
libc_isa_best(void)
{
	u32 r[4], lo, hi;

	cpuid_count(0, 0, r);
	if (r[0] < 7)
		return LIBC_ISA_SSE2;
	cpuid_count(1, 0, r);
	if ((r[2] & (CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX)) != (CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX))
		return LIBC_ISA_SSE2;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & XCR0_SSE_YMM) != XCR0_SSE_YMM)
		return LIBC_ISA_SSE2;
	cpuid_count(7, 0, r);
	return r[1] & CPUID7_EBX_AVX2 ? LIBC_ISA_AVX2 : LIBC_ISA_SSE2;
}

const struct libc_string_impl *
libc_string_variant(enum libc_isa isa)
{
	return isa == LIBC_ISA_AVX2 ? &libc_string_avx2 : &libc_string_sse2;
}

void
libc_string_init(void)
{
	libc_cpu_features_init();
	libc_string_select(libc_isa_best());
}
INITFUNC("10libc-string", libc_string_init);

/* What start-up chose, and from what: `libc' on either platform. */
static int
cmd_libc(int argc, char **argv)
{
	u32 r[4], lo = 0, hi = 0;

	cpuid_count(1, 0, r);
	if (r[2] & CPUID1_ECX_OSXSAVE)
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	kprintf("libc: string functions %s (CPUID.1 OSXSAVE %u AVX %u, XCR0 %#llx)\n",
		libc_string_selected(), !!(r[2] & CPUID1_ECX_OSXSAVE), !!(r[2] & CPUID1_ECX_AVX),
		(unsigned long long)hi << 32 | lo);
	return 0;
}
DBGSH_GUEST_COMMAND("libc", cmd_libc, "the string variant start-up chose (sse2, avx2) and why");
