/* A small static program for the SVM test guest:
 *   bvguest cpuid      the hypervisor leaf's signature and the SVM bit
 *   bvguest stats      exits and VMRUN time, asked of the VMM by VMMCALL
 *   bvguest spin N     a CPU-bound loop of N million rounds; prints its time */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cpuid.h>

#define HC_STATS 1	/* vmm/svm/exits.c: RAX=1 -> RAX=0, RBX=exits, RCX=ns in guest */

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
		__cpuid(0x80000001, a, b, c, d);
		printf("cpuid 0x80000001: svm bit %u\n", (c >> 2) & 1);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "stats")) {
		uint64_t rax = HC_STATS, rbx = 0, rcx = 0;

		__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx) : : "rdx", "memory");
		if (rax) {
			printf("vmmcall stats: error %lld\n", (long long)rax);
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
