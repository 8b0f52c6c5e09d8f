/* A small static program for the hypervisor's test guest:
 *   bvguest cpuid      the hypervisor leaf's signature, the SVM and VMX bits
 *   bvguest stats      exits and time in the guest, asked of the VMM by
 *                      VMMCALL (AMD) or VMCALL (Intel)
 *   bvguest spin N     a CPU-bound loop of N million rounds; prints its time */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cpuid.h>

#define HC_STATS 1	/* vmm/vmm.h: RAX=1 -> RAX=0, RBX=exits, RCX=ns in guest */

/* The hypercall instruction is the vendor's: VMMCALL on AMD (SVM), VMCALL
 * on Intel (VMX); the other one raises #UD. */
static int
on_intel(void)
{
	unsigned a, b, c, d;

	__cpuid(0, a, b, c, d);
	return b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e;	/* GenuineIntel */
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
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
	fprintf(stderr, "usage: bvguest cpuid | stats | spin MILLIONS\n");
	return 2;
}
