/* glibc's public view of the CPU for IFUNC resolvers and programs
 * (<sys/platform/x86.h>, GLIBC_2.33): __x86_get_cpuid_feature_leaf(i)
 * returns {cpuid_array[4], active_array[4]}, the four registers of one
 * CPUID leaf as the CPU reports them, and the subset the program may use.
 * A blob's resolver built with CPU_FEATURE_ACTIVE(AVX2) calls it (glibc
 * passes x86-64 resolvers no arguments; this is where they look).
 *
 * "Active" here is "present, and the OS saves the register state it
 * needs": the AVX family needs XCR0's SSE and YMM bits (and CR4.OSXSAVE),
 * AVX-512 the opmask/ZMM bits too, AMX the tile bits.  glibc also hides a
 * few bits for errata and tunables; a blob sees what the hardware and the
 * platform really give it. */
#include "libc.h"
#include "string_impl.h"

struct cpuid_feature {
	u32 cpuid_array[4];
	u32 active_array[4];
};

/* glibc's leaf order (enum cpuid_index): CPUID leaf and subleaf per index */
static const u32 leaves[][2] = {
	{ 1, 0 }, { 7, 0 }, { 0x80000001, 0 }, { 0xd, 1 }, { 0x80000007, 0 },
	{ 0x80000008, 0 }, { 7, 1 }, { 0x19, 0 }, { 0x14, 0 },
};
#define NLEAVES (sizeof(leaves) / sizeof(leaves[0]))
enum { EAX, EBX, ECX, EDX };

static struct cpuid_feature features[NLEAVES + 1];	/* the last: all zero */

#define XCR0_YMM	0x6u		/* SSE + AVX state */
#define XCR0_ZMM	0xe0u		/* opmask, ZMM_Hi256, Hi16_ZMM */
#define XCR0_TILE	0x60000u	/* XTILECFG, XTILEDATA */

static void
cpuid_count(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

/* Bits (index, register, mask) that need a register state enabled. */
static const struct {
	u8 idx, reg;
	u32 mask;
	u32 xcr0;
} needs_state[] = {
	/* leaf 1 ECX: FMA, AVX, F16C */
	{ 0, ECX, (1u << 12) | (1u << 28) | (1u << 29), XCR0_YMM },
	/* leaf 7 EBX: AVX2; AVX512F/DQ/IFMA/PF/ER/CD/BW/VL */
	{ 1, EBX, 1u << 5, XCR0_YMM },
	{ 1, EBX, (1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28) |
		  (1u << 30) | (1u << 31), XCR0_YMM | XCR0_ZMM },
	/* leaf 7 ECX: VAES, VPCLMULQDQ; AVX512_VBMI/VBMI2/VNNI/BITALG/VPOPCNTDQ */
	{ 1, ECX, (1u << 9) | (1u << 10), XCR0_YMM },
	{ 1, ECX, (1u << 1) | (1u << 6) | (1u << 11) | (1u << 12) | (1u << 14),
	  XCR0_YMM | XCR0_ZMM },
	/* leaf 7 EDX: AVX512_4VNNIW/4FMAPS/VP2INTERSECT/FP16; AMX_BF16/TILE/INT8 */
	{ 1, EDX, (1u << 2) | (1u << 3) | (1u << 8) | (1u << 23), XCR0_YMM | XCR0_ZMM },
	{ 1, EDX, (1u << 22) | (1u << 24) | (1u << 25), XCR0_TILE },
	/* leaf 0x80000001 ECX: XOP, FMA4 */
	{ 2, ECX, (1u << 11) | (1u << 16), XCR0_YMM },
	/* leaf 7.1 EAX: AVX_VNNI; AVX512_BF16 */
	{ 6, EAX, 1u << 4, XCR0_YMM },
	{ 6, EAX, 1u << 5, XCR0_YMM | XCR0_ZMM },
};

/* Read again whenever the platform changes what it enables (the bare-metal
 * VMM turns XSAVE on before libc's start-up selection runs). */
void
libc_cpu_features_init(void)
{
	u32 r[4], max_basic, max_ext, xcr0 = 0;

	memset(features, 0, sizeof(features));
	cpuid_count(0, 0, r);
	max_basic = r[0];
	cpuid_count(0x80000000, 0, r);
	max_ext = r[0];
	for (size_t i = 0; i < NLEAVES; i++) {
		u32 leaf = leaves[i][0];

		if (leaf < 0x80000000 ? leaf > max_basic : leaf > max_ext)
			continue;
		if (leaf == 7 && leaves[i][1]) {	/* subleaf 1 only if leaf 7 has it */
			cpuid_count(7, 0, r);
			if (r[EAX] < leaves[i][1])
				continue;
		}
		cpuid_count(leaf, leaves[i][1], features[i].cpuid_array);
		memcpy(features[i].active_array, features[i].cpuid_array, 16);
	}
	/* XGETBV faults unless the OS set CR4.OSXSAVE (CPUID.1:ECX bit 27) */
	if (features[0].cpuid_array[ECX] & (1u << 27)) {
		u32 hi;

		__asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(hi) : "c"(0));
	}
	for (size_t k = 0; k < sizeof(needs_state) / sizeof(needs_state[0]); k++)
		if ((xcr0 & needs_state[k].xcr0) != needs_state[k].xcr0)
			features[needs_state[k].idx].active_array[needs_state[k].reg] &=
				~needs_state[k].mask;
}

const struct cpuid_feature *__x86_get_cpuid_feature_leaf(unsigned int leaf);

const struct cpuid_feature *
__x86_get_cpuid_feature_leaf(unsigned int leaf)
{
	return &features[leaf < NLEAVES ? leaf : NLEAVES];
}
EXPORT(__x86_get_cpuid_feature_leaf, LIBC);
