/* String, memory and ctype functions against glibc: random sizes and
 * alignments, overlap, page-end safety, all 384 ctype inputs. */
#include "bv.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/platform/x86.h>
#include <unistd.h>

static int sign(int x) { return (x > 0) - (x < 0); }

/* libc/string_impl.h, renamed: every variant is tested, not only the one
 * this CPU picks. */
enum { ISA_SSE2, ISA_AVX2, ISA_EVEX };
int bv_libc_isa_best(void);
void bv_libc_string_select(int isa);
const char *bv_libc_string_selected(void);
static const char *variant = "";

static void
fill(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = rnd();
}

/* Every size up to 300 and around the thresholds (128, 256, 2048, 4096)
 * at every distance between -80 and 80 bytes (overlapping both ways and
 * not at all), and 1 MiB moved by +-1 and +-4096: memmove and memset
 * against glibc, the buffer's bytes outside the range checked too. */
static void
test_memmove_sweep(void)
{
	static const size_t extra[] = { 511, 512, 513, 1023, 2047, 2048, 2049, 4095, 4096, 4097, 1 << 20 };
	enum { PAD = 4096 + 64, CAP = (1 << 20) + 2 * PAD };
	unsigned char *a = malloc(CAP), *b = malloc(CAP);
	int bad = 0, calls = 0;

	fill(a, CAP);
	memcpy(b, a, CAP);
	for (size_t k = 0; k < 301 + sizeof(extra) / sizeof(extra[0]); k++) {
		size_t n = k <= 300 ? k : extra[k - 301];
		int big = n == 1 << 20;

		for (int dist = -80; dist <= 80; dist++) {
			size_t from = PAD + (size_t)(rnd() % 16), to = from + dist;

			if (big && dist != 1 && dist != -1)
				continue;
			memmove(a + to, a + from, n);
			bv_memmove(b + to, b + from, n);
			bad += memcmp(a + PAD - 128, b + PAD - 128, n + 256) != 0;
			memset(a + to, dist & 0xff, n);
			bv_memset(b + to, dist & 0xff, n);
			bad += memcmp(a + PAD - 128, b + PAD - 128, n + 256) != 0;
			calls += 2;
		}
		if (big) {
			for (int dist = -4096; dist <= 4096; dist += 8192) {
				memmove(a + PAD + dist, a + PAD, n);
				bv_memmove(b + PAD + dist, b + PAD, n);
				bad += memcmp(a, b, CAP) != 0;
				calls++;
			}
		}
	}
	TAP_CHECK(!bad, "%s: memmove/memset: %d calls (every size to 300, thresholds, 1 MiB; distance -80..80) "
		  "match glibc (%d differ)", variant, calls, bad);
	free(a);
	free(b);
}

static void
test_memcpy_memmove_memset(void)
{
	enum { N = 70000 };
	unsigned char *a = malloc(N + 64), *b = malloc(N + 64), *src = malloc(N + 64);
	int bad = 0, calls = 0;
	static const size_t big[] = { 4096, 4097, 8191, 65536, 65535 + 17 };

	for (int it = 0; it < 20000; it++) {
		size_t n = it < 5 ? big[it] : it % 3 ? rnd() % 300 : rnd() % 5000;
		size_t so = rnd() % 32, dof = rnd() % 32;
		void *ra, *rb;

		fill(src, n + 32);
		fill(a, n + 32);
		memcpy(b, a, n + 32);
		ra = memcpy(a + dof, src + so, n);
		rb = bv_memcpy(b + dof, src + so, n);
		bad += memcmp(a, b, n + 32) || (char *)rb - (char *)b != (char *)ra - (char *)a;
		calls++;

		/* memmove within one buffer, both directions */
		{
			size_t off = rnd() % 64;
			memcpy(b, a, n + 96 < N ? n + 96 : N);
			if (n + 96 < N) {
				memmove(a + off, a + (rnd() & 1 ? 0 : 2 * off % 64), n);
				memcpy(a, b, n + 96);
				size_t from = rnd() % 64, to = rnd() % 64;
				memmove(a + to, a + from, n);
				bv_memmove(b + to, b + from, n);
				bad += memcmp(a, b, n + 96) != 0;
				calls++;
			}
		}
		{
			int c = rnd() % 256;
			memcpy(b, a, n + 32);
			memset(a + dof, c, n);
			bv_memset(b + dof, c, n);
			bad += memcmp(a, b, n + 32) != 0;
			calls++;
		}
	}
	TAP_CHECK(!bad, "%s: memcpy/memmove/memset: %d calls (sizes 0..70000, all alignments, overlap) match glibc (%d differ)",
		  variant, calls, bad);
	{
		char buf[16] = "abcdefghijklmno";
		TAP_CHECK(bv_mempcpy(buf, "xy", 2) == buf + 2 && !memcmp(buf, "xycd", 4),
			  "mempcpy returns the end");
		bv_bzero(buf, 3);
		bv_explicit_bzero(buf + 3, 2);
		TAP_CHECK(!memcmp(buf, "\0\0\0\0\0f", 6), "bzero and explicit_bzero clear");
	}
	free(a), free(b), free(src);
}

static void
test_memcmp_memchr(void)
{
	unsigned char a[5000], b[5000];
	int bad = 0;

	for (int it = 0; it < 20000; it++) {
		size_t n = it % 2 ? rnd() % 64 : rnd() % 4500;
		size_t oa = rnd() % 32, ob = rnd() % 32;	/* AVX2 blocks are 32 bytes */

		fill(a + oa, n);
		memcpy(b + ob, a + oa, n);
		if (n && rnd() % 4) {
			size_t at = rnd() % n;
			b[ob + at] = rnd();
		}
		bad += sign(memcmp(a + oa, b + ob, n)) != sign(bv_memcmp(a + oa, b + ob, n));
		bad += !!memcmp(a + oa, b + ob, n) != !!bv_bcmp(a + oa, b + ob, n);
		{
			int c = rnd() % 8 ? a[oa + (n ? rnd() % n : 0)] : (int)(rnd() % 256);
			bad += memchr(a + oa, c, n) != bv_memchr(a + oa, c, n);
			bad += memrchr(a + oa, c, n) != bv_memrchr(a + oa, c, n);
		}
	}
	TAP_CHECK(!bad, "%s: memcmp (sign), bcmp, memchr, memrchr: 80000 random calls match glibc (%d differ)", variant, bad);
}

/* Strings that end exactly at an unreadable page: the vector functions
 * must not read past the terminator's 16-byte block. */
static void
test_page_end(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int bad = 0;

	mprotect(map + pg, pg, PROT_NONE);
	for (int len = 0; len < 300; len++) {	/* past a few 128-byte rounds */
		char *s = map + pg - len - 1;
		memset(s, 'x', len);
		s[len] = 0;
		bad += bv_strlen(s) != (size_t)len;
		bad += bv_strnlen(s, (size_t)-1) != (size_t)len;
		bad += bv_memchr(s, 0, (size_t)-1) != s + len;
		bad += bv_strchr(s, 'y') != NULL;
		bad += bv_strcmp(s, s) != 0;
	}
	TAP_CHECK(!bad, "%s: strlen/strnlen/memchr(SIZE_MAX)/strchr stop at a terminator that ends a page", variant);
	munmap(map, 2 * pg);
}

static void
random_string(char *s, size_t max)
{
	size_t n = rnd() % max;

	for (size_t i = 0; i < n; i++)
		s[i] = "abcABC -xyz"[rnd() % 11];
	s[n] = 0;
}

static void
test_str(void)
{
	char a[80], b[80], c[8];
	int bad = 0, n = 0;

	for (int it = 0; it < 30000; it++, n++) {
		size_t k = rnd() % 20;

		random_string(a, 60);
		if (rnd() % 3)
			strcpy(b, a), b[rnd() % (strlen(a) + 1)] = "abcX"[rnd() % 4];
		else
			random_string(b, 60);
		random_string(c, 4);
		bad += sign(strcmp(a, b)) != sign(bv_strcmp(a, b));
		bad += sign(strncmp(a, b, k)) != sign(bv_strncmp(a, b, k));
		bad += sign(strcasecmp(a, b)) != sign(bv_strcasecmp(a, b));
		bad += sign(strncasecmp(a, b, k)) != sign(bv_strncasecmp(a, b, k));
		bad += strlen(a) != bv_strlen(a) || strnlen(a, k) != bv_strnlen(a, k);
		bad += strchr(a, c[0]) != bv_strchr(a, c[0]) || strrchr(a, c[0]) != bv_strrchr(a, c[0]);
		bad += strchr(a, 0) != bv_strchr(a, 0) || strchrnul(a, c[0]) != bv_strchrnul(a, c[0]);
		bad += strstr(a, c) != bv_strstr(a, c) || strcasestr(a, c) != bv_strcasestr(a, c);
		bad += strspn(a, c) != bv_strspn(a, c) || strcspn(a, c) != bv_strcspn(a, c);
		bad += strpbrk(a, c) != bv_strpbrk(a, c);
		bad += memmem(a, strlen(a), c, strlen(c)) != bv_memmem(a, strlen(a), c, strlen(c));
	}
	TAP_CHECK(!bad, "str{cmp,ncmp,casecmp,ncasecmp,len,nlen,chr,rchr,chrnul,str,casestr,spn,cspn,pbrk}, memmem: "
		  "%d random cases match glibc (%d differ)", n, bad);

	bad = 0;
	for (int it = 0; it < 5000; it++) {
		char g[200], o[200];
		size_t k = rnd() % 70;
		char *rg, *ro;

		random_string(a, 60);
		random_string(b, 60);
		memset(g, '#', sizeof(g)), memset(o, '#', sizeof(o));
		rg = strcpy(g + 1, a), ro = bv_strcpy(o + 1, a);
		bad += memcmp(g, o, sizeof(g)) || rg - g != ro - o;
		rg = stpcpy(g + 3, b), ro = bv_stpcpy(o + 3, b);
		bad += memcmp(g, o, sizeof(g)) || rg - g != ro - o;
		rg = strncpy(g + 2, a, k), ro = bv_strncpy(o + 2, a, k);
		bad += memcmp(g, o, sizeof(g)) || rg - g != ro - o;
		rg = stpncpy(g + 5, b, k), ro = bv_stpncpy(o + 5, b, k);
		bad += memcmp(g, o, sizeof(g)) || rg - g != ro - o;
		strcpy(g, a), strcpy(o, a);
		rg = strcat(g, b), ro = bv_strcat(o, b);
		bad += memcmp(g, o, sizeof(g)) || rg - g != ro - o;
		rg = strncat(g, a, k % 10), ro = bv_strncat(o, a, k % 10);
		bad += memcmp(g, o, sizeof(g)) || rg - g != ro - o;
		ro = bv_strdup(a);
		bad += strcmp(ro, a) != 0;
		bv_free(ro);
		ro = bv_strndup(a, k);
		rg = strndup(a, k);
		bad += strcmp(ro, rg) != 0;
		bv_free(ro), free(rg);
	}
	TAP_CHECK(!bad, "strcpy/stpcpy/strncpy/stpncpy/strcat/strncat/strdup/strndup: buffers and returns match glibc");

	bad = 0;
	for (int it = 0; it < 3000; it++) {
		char g[80] = "", o[80] = "", d[4];
		char *sg, *so, *tg, *to;

		random_string(g, 60);
		strcpy(o, g);
		random_string(d, 3);
		tg = strtok(g, d), to = bv_strtok(o, d);
		for (;;) {
			bad += (tg ? tg - g : -1) != (to ? to - o : -1);
			if (!tg || !to)
				break;
			tg = strtok(NULL, d), to = bv_strtok(NULL, d);
		}
		bad += memcmp(g, o, sizeof(g)) != 0;
		random_string(g, 60);
		strcpy(o, g);
		tg = strtok_r(g, d, &sg), to = bv_strtok_r(o, d, &so);
		while (tg && to && (tg - g) == (to - o))
			tg = strtok_r(NULL, d, &sg), to = bv_strtok_r(NULL, d, &so);
		bad += !!tg != !!to;
	}
	TAP_CHECK(!bad, "strtok and strtok_r token sequences match glibc over 3000 strings");

	bad = 0;
	for (int e = -2; e < 140; e++) {
		char g[64], o[64], *gr, *orr;
		if (strcmp(strerror(e), bv_strerror(e))) {
			if (bad++ < 5)
				printf("# strerror(%d): glibc \"%s\", ours \"%s\"\n", e, strerror(e), bv_strerror(e));
			continue;
		}
		gr = strerror_r(e, g, sizeof(g));
		orr = bv_strerror_r(e, o, sizeof(o));
		bad += strcmp(gr, orr) != 0;
		bad += bv___xpg_strerror_r(e, o, 8) != ERANGE && strlen(strerror(e)) >= 8;
	}
	TAP_CHECK(bad == 0, "strerror/strerror_r texts for errno -2..139 match glibc (%d differ)", bad);
}

static void
test_ctype(void)
{
	int (*const g[])(int) = { isalnum, isalpha, isblank, iscntrl, isdigit, isgraph, islower,
				  isprint, ispunct, isspace, isupper, isxdigit, isascii };
	int (*const o[])(int) = { bv_isalnum, bv_isalpha, bv_isblank, bv_iscntrl, bv_isdigit,
				  bv_isgraph, bv_islower, bv_isprint, bv_ispunct, bv_isspace,
				  bv_isupper, bv_isxdigit, bv_isascii };
	int bad = 0, tbad = 0;
	const unsigned short *gt = *__ctype_b_loc(), *ot = *bv___ctype_b_loc();
	const int *gl = *__ctype_tolower_loc(), *ol = *bv___ctype_tolower_loc();
	const int *gu = *__ctype_toupper_loc(), *ou = *bv___ctype_toupper_loc();

	for (int c = -128; c < 256; c++) {
		for (size_t f = 0; f < sizeof(g) / sizeof(*g); f++)
			bad += !g[f](c) != !o[f](c);
		bad += tolower(c) != bv_tolower(c) || toupper(c) != bv_toupper(c);
		bad += toascii(c) != bv_toascii(c);
		tbad += gt[c] != ot[c] || gl[c] != ol[c] || gu[c] != ou[c];
		if (gt[c] != ot[c] && tbad < 4)
			printf("# __ctype_b_loc[%d]: glibc %#x, ours %#x\n", c, gt[c], ot[c]);
		if (gl[c] != ol[c] && tbad < 4)
			printf("# tolower table[%d]: glibc %d, ours %d\n", c, gl[c], ol[c]);
	}
	TAP_CHECK(!bad, "is*/to* for all inputs -128..255 (incl. EOF) match glibc (%d differ)", bad);
	TAP_CHECK(!tbad, "__ctype_b_loc/__ctype_tolower_loc/__ctype_toupper_loc tables equal glibc's for -128..255");
}

/* __x86_get_cpuid_feature_leaf against glibc's own (<sys/platform/x86.h>):
 * the same CPUID words per leaf, and the same verdict on every feature
 * that needs OS-enabled register state. */
struct bv_cpuid_feature {
	unsigned cpuid_array[4], active_array[4];
};
const struct bv_cpuid_feature *bv___x86_get_cpuid_feature_leaf(unsigned leaf);
void bv_libc_cpu_features_init(void);

static void
test_cpu_features(void)
{
	static const struct { const char *name; unsigned idx; } state[] = {
		{ "AVX", x86_cpu_AVX }, { "AVX2", x86_cpu_AVX2 }, { "FMA", x86_cpu_FMA },
		{ "F16C", x86_cpu_F16C }, { "VAES", x86_cpu_VAES },
		{ "VPCLMULQDQ", x86_cpu_VPCLMULQDQ }, { "AVX512F", x86_cpu_AVX512F },
		{ "AVX512BW", x86_cpu_AVX512BW }, { "AVX512VL", x86_cpu_AVX512VL },
		{ "AMX_TILE", x86_cpu_AMX_TILE }, { "SSE4_2", x86_cpu_SSE4_2 },
		{ "POPCNT", x86_cpu_POPCNT }, { "BMI2", x86_cpu_BMI2 },
	};
	int bad = 0;

	bv_libc_cpu_features_init();
	for (unsigned leaf = 0; leaf <= CPUID_INDEX_14_ECX_0; leaf++) {
		const struct cpuid_feature *g = __x86_get_cpuid_feature_leaf(leaf);
		const struct bv_cpuid_feature *o = bv___x86_get_cpuid_feature_leaf(leaf);

		for (int r = 0; r < 4; r++)	/* leaf 1 EBX[31:24]: the APIC ID of the CPU it ran on */
			if (((g->cpuid_array[r] ^ o->cpuid_array[r]) &
			     (leaf == 0 && r == 1 ? 0x00ffffffu : ~0u)) && bad++ < 4)
				printf("# leaf index %u reg %d: glibc %#x, ours %#x\n", leaf, r,
				       g->cpuid_array[r], o->cpuid_array[r]);
	}
	TAP_CHECK(!bad, "__x86_get_cpuid_feature_leaf: the CPUID words of every leaf glibc knows equal glibc's");
	for (size_t i = 0; i < sizeof(state) / sizeof(state[0]); i++) {
		unsigned idx = state[i].idx, w = idx / 128, reg = idx % 128 / 32, bit = idx % 32;
		bool ours = bv___x86_get_cpuid_feature_leaf(w)->active_array[reg] >> bit & 1;
		/* glibc's x86_cpu_active() shifts a signed 1 (UBSan objects at bit 31) */
		bool theirs = __x86_get_cpuid_feature_leaf(w)->active_array[reg] >> bit & 1;

		TAP_CHECK(ours == theirs, "CPU_FEATURE_ACTIVE(%s): %d, glibc %d", state[i].name, ours, theirs);
	}
	TAP_CHECK(bv___x86_get_cpuid_feature_leaf(1000)->cpuid_array[0] == 0 &&
		  bv___x86_get_cpuid_feature_leaf(1000)->active_array[3] == 0,
		  "a leaf index beyond glibc's reads as all zero");
}

int
main(void)
{
	int best = bv_libc_isa_best();

	/* the start-up choice, against gcc's reading of CPUID and XCR0 */
	__builtin_cpu_init();
	TAP_CHECK(best == (!__builtin_cpu_supports("avx2") ? ISA_SSE2 :
			   __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") ?
			   ISA_EVEX : ISA_AVX2),
		  "start-up selection picks %s, as the CPU and the OS allow",
		  best == ISA_EVEX ? "evex" : best ? "avx2" : "sse2");
	for (int isa = ISA_SSE2; isa <= best; isa++) {
		bv_libc_string_select(isa);
		variant = bv_libc_string_selected();
		test_memcpy_memmove_memset();
		test_memmove_sweep();
		test_memcmp_memchr();
		test_page_end();
		test_str();
	}
	test_ctype();
	test_cpu_features();
	return tap_done();
}
