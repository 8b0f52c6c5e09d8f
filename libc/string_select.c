/* Which memory/string variant runs: decided once at start-up from CPUID and
 * from what the platform enabled (XCR0), as glibc's IFUNC resolvers decide.
 * AVX2 needs the CPU's AVX and AVX2 bits, and the OS's: CR4.OSXSAVE (seen
 * as CPUID.1:ECX.OSXSAVE) and XCR0 saving the SSE and YMM state on context
 * switches.  A Linux host enables both, and so does the bare-metal VMM
 * (platform/pc/xsave.c, before start-up functions run).  EVEX (AVX-512
 * VL and BW, and XCR0 saving the opmask and upper ZMM state) adds memchr
 * compares into mask registers, which need no vzeroupper. */
#include <core/init.h>
#include "libc.h"
#include "string_impl.h"

#define CPUID7_EBX_AVX2		(1u << 5)
#define CPUID7_EBX_AVX512BW	(1u << 30)
#define CPUID7_EBX_AVX512VL	(1u << 31)
#define XCR0_SSE_YMM		0x6u
#define XCR0_AVX512		0xe0u	/* opmask, ZMM_Hi256, Hi16_ZMM */

void
libc_cpuid(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

enum libc_isa
libc_isa_best(void)
{
	u32 r[4], lo, hi;

	libc_cpuid(0, 0, r);
	if (r[0] < 7)
		return LIBC_ISA_SSE2;
	libc_cpuid(1, 0, r);
	if ((r[2] & (CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX)) != (CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX))
		return LIBC_ISA_SSE2;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & XCR0_SSE_YMM) != XCR0_SSE_YMM)
		return LIBC_ISA_SSE2;
	libc_cpuid(7, 0, r);
	if (!(r[1] & CPUID7_EBX_AVX2))
		return LIBC_ISA_SSE2;
	if ((r[1] & (CPUID7_EBX_AVX512BW | CPUID7_EBX_AVX512VL)) ==
	    (CPUID7_EBX_AVX512BW | CPUID7_EBX_AVX512VL) && (lo & XCR0_AVX512) == XCR0_AVX512)
		return LIBC_ISA_EVEX;
	return LIBC_ISA_AVX2;
}

const struct libc_string_impl *
libc_string_variant(enum libc_isa isa)
{
	return isa == LIBC_ISA_EVEX ? &libc_string_evex :
	       isa == LIBC_ISA_AVX2 ? &libc_string_avx2 : &libc_string_sse2;
}

void
libc_string_init(void)
{
	libc_cpu_features_init();
	libc_string_select(libc_isa_best());
}
INITFUNC("10libc-string", libc_string_init);
