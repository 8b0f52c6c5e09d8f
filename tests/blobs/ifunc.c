/* GNU indirect functions as gcc emits them (__attribute__((ifunc))): a
 * global one whose resolver picks by CPU_FEATURE_ACTIVE(AVX2) (glibc's
 * <sys/platform/x86.h>, i.e. __x86_get_cpuid_feature_leaf), a file-local
 * one called from inside, and the function's address taken in code and in
 * data.  Loaded as an object (ifunc.o), as a shared object (libsoifunc.so:
 * IRELATIVE and JUMP_SLOT/GLOB_DAT against an IFUNC), and linked natively
 * with glibc (ifunc-host, the reference). */
#include <stddef.h>
#include <sys/platform/x86.h>

static int resolver_runs;

static int variant_avx2(void) { return 2; }
static int variant_avx(void) { return 1; }
static int variant_base(void) { return 0; }

static void *
pick_variant(void)
{
	resolver_runs++;
	if (CPU_FEATURE_ACTIVE(AVX2))
		return variant_avx2;
	return CPU_FEATURE_ACTIVE(AVX) ? variant_avx : variant_base;
}
int ifunc_variant(void) __attribute__((ifunc("pick_variant")));

static size_t
len_plain(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
static void *pick_len(void) { return len_plain; }
static size_t len_local(const char *s) __attribute__((ifunc("pick_len")));

size_t ifunc_len(const char *s) { return len_local(s) * 10 + (size_t)ifunc_variant(); }

int (*const ifunc_ptr_data)(void) = ifunc_variant;

/* 1 when the address in code equals the one in data and both call the
 * chosen variant */
int
ifunc_same_address(void)
{
	int (*volatile p)(void) = ifunc_variant;

	return p == ifunc_ptr_data && p() == ifunc_variant() && ifunc_ptr_data() == ifunc_variant();
}

int ifunc_resolver_runs(void) { return resolver_runs; }
