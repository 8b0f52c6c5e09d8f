/* A small static program for the hypervisor's test guest:
 *   bvguest cpuid      the hypervisor leaf's signature, the SVM and VMX bits
 *   bvguest stats      exits and time in the guest, asked of the VMM by
 *                      VMMCALL (AMD) or VMCALL (Intel)
 *   bvguest ymm        all 16 YMM registers kept across VMM shell calls (the
 *                      VMM runs AVX2 string code there: its XSAVE switch)
 *   bvguest spin N     a CPU-bound loop of N million rounds; prints its time
 *   bvguest cfgread    the cost of one PCI configuration read as Linux's
 *                      bus scan makes them (a dword to 0xCF8 selecting an
 *                      absent bus, a word from 0xCFC): best and median of
 *                      40 rounds of 500, in microseconds
 *   bvguest fxrstor S  FXRSTOR in a loop for S seconds (on the APs: under
 *                      QEMU 7.2 with a thread per vCPU each one races with
 *                      the BSP's VMRUN and #VMEXIT; docs/architecture.md,
 *                      "QEMU's IGNNE race") */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cpuid.h>
#include <sys/io.h>

#define HC_STATS 1	/* vmm/vmm.h: RAX=1 -> RAX=0, RBX=exits, RCX=ns in guest */
#define HC_DBGSH 2	/* RBX/RCX: a command line, RDX/RSI: the output buffer */

/* The hypercall instruction is the vendor's: VMMCALL on AMD (SVM), VMCALL
 * on Intel (VMX); the other one raises #UD. */
static int
on_intel(void)
{
	unsigned a, b, c, d;

	__cpuid(0, a, b, c, d);
	return b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e;	/* GenuineIntel */
}

/* YMM0-15 loaded from pat, `version' run by the VMM's shell (kprintf,
 * memcpy, strlen: AVX2 in the VMM), YMM0-15 stored to back. */
#define L(n) "vmovdqu " #n "*32(%[p]), %%ymm" #n "\n\t"
#define S(n) "vmovdqu %%ymm" #n ", " #n "*32(%[b])\n\t"
#define YMM_ROUND(insn) \
	__asm__ volatile( \
		L(0) L(1) L(2) L(3) L(4) L(5) L(6) L(7) L(8) L(9) L(10) L(11) L(12) L(13) L(14) L(15) \
		insn "\n\t" \
		S(0) S(1) S(2) S(3) S(4) S(5) S(6) S(7) S(8) S(9) S(10) S(11) S(12) S(13) S(14) S(15) \
		"vzeroupper" \
		: "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) \
		: [p] "D"(pat), [b] "r"(back) \
		: "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", \
		  "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15")

static void
ymm_round(const uint64_t (*pat)[4], uint64_t (*back)[4])
{
	static const char cmd[] = "version";
	static char out[512];
	uint64_t rax = HC_DBGSH, rbx = (uintptr_t)cmd, rcx = sizeof(cmd) - 1, rdx = (uintptr_t)out;
	uint64_t rsi = sizeof(out) - 1;

	memset(out, 0, sizeof(out));	/* the VMM writes only present pages */
	if (on_intel())
		YMM_ROUND("vmcall");
	else
		YMM_ROUND("vmmcall");
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Rounds, not one long run: the host's load stalls the guest at random, and
 * the best round is the figure that load leaves alone. */
static int
cfgread(void)
{
	enum { ROUNDS = 40, N = 500 };
	double us[ROUNDS];
	unsigned sum = 0;

	if (iopl(3)) {
		perror("bvguest cfgread: iopl");
		return 1;
	}
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_s();

		for (unsigned i = 0; i < N; i++) {
			/* bus 0x42 (none on QEMU's machines), device i % 32, vendor ID */
			outl(0x80000000u | 0x42u << 16 | (i & 31) << 11, 0xcf8);
			sum += inw(0xcfc);
		}
		us[r] = (now_s() - t0) / N * 1e6;
	}
	qsort(us, ROUNDS, sizeof(us[0]), cmp_double);
	printf("cfgread: best %.2f us, median %.2f us per configuration read (%d rounds of %d; "
	       "vendor IDs %s)\n", us[0], us[ROUNDS / 2], ROUNDS, N,
	       sum == 0xffffu * ROUNDS * N ? "all 0xffff" : "NOT all 0xffff");
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned a, b, c, d;

	if (argc >= 2 && !strcmp(argv[1], "cpuid")) {
		char sig[13] = { 0 };

		__cpuid(0x40000000, a, b, c, d);
		memcpy(sig, &b, 4);
		memcpy(sig + 4, &c, 4);
		memcpy(sig + 8, &d, 4);
		printf("hypervisor leaf 0x40000000: max %#x signature \"%s\"\n", a, sig);
		__cpuid(1, a, b, c, d);
		printf("cpuid 1: hypervisor bit %u\n", c >> 31);
		printf("cpuid 1: vmx bit %u\n", (c >> 5) & 1);
		printf("cpuid 1: x2apic bit %u, initial APIC ID %u\n", (c >> 21) & 1, b >> 24);
		__cpuid(0x80000001, a, b, c, d);
		printf("cpuid 0x80000001: svm bit %u\n", (c >> 2) & 1);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "stats")) {
		uint64_t rax = HC_STATS, rbx = 0, rcx = 0;

		if (on_intel())
			__asm__ volatile("vmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx) : : "rdx", "memory");
		else
			__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx) : : "rdx", "memory");
		if (rax) {
			printf("hypercall stats: error %lld\n", (long long)rax);
			return 1;
		}
		printf("vmm: %llu exits, %.3f s in the guest, %.1f exits/s\n",
		       (unsigned long long)rbx, rcx / 1e9, rcx ? rbx / (rcx / 1e9) : 0.0);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "spin")) {
		long rounds = atol(argv[2]) * 1000000L;
		uint64_t x = 88172645463325252ULL, sum = 0;
		double t0;

		/* the host-side benchmark times the span between these lines */
		printf("spin: start\n");
		fflush(stdout);
		t0 = now_s();

		for (long i = 0; i < rounds; i++) {	/* xorshift: pure ALU work */
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			sum += x;
		}
		printf("spin: %ld M rounds in %.3f s (checksum %016llx)\n", rounds / 1000000,
		       now_s() - t0, (unsigned long long)sum);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "cfgread"))
		return cfgread();
	if (argc >= 3 && !strcmp(argv[1], "fxrstor")) {
		static uint8_t area[512] __attribute__((aligned(16)));
		double end = now_s() + atof(argv[2]);
		unsigned long n = 0;

		__asm__ volatile("fxsave %0" : "=m"(area));
		while (now_s() < end)
			for (int i = 0; i < 10000; i++, n++)
				__asm__ volatile("fxrstor %0" : : "m"(area));
		printf("fxrstor: %lu\n", n);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "ymm")) {
		static uint64_t pat[16][4] __attribute__((aligned(32))), back[16][4];
		int bad = 0, rounds = 20;

		__cpuid(1, a, b, c, d);
		if (!(c & (1u << 27)) || !(c & (1u << 28))) {
			printf("ymm: no AVX with OSXSAVE in the guest (cpuid 1 ecx %#x)\n", c);
			return 1;
		}
		for (int r = 0; r < rounds; r++) {
			for (int i = 0; i < 16; i++)
				for (int k = 0; k < 4; k++)
					pat[i][k] = 0x0101010101010101ULL * (uint64_t)(r + 1) ^
						    (uint64_t)i << 56 ^ (uint64_t)k << 48 ^ 0x5a5a;
			ymm_round(pat, back);
			bad += memcmp(pat, back, sizeof(pat)) != 0;
		}
		printf("ymm: 16 registers kept across %d VMM shell calls: %s\n", rounds,
		       bad ? "NO" : "yes");
		return bad != 0;
	}
	fprintf(stderr, "usage: bvguest cpuid | stats | spin MILLIONS | ymm\n");
	return 2;
}
