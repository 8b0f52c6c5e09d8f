/* bvcardlock: the seed's IC-card screen lock, guest side.  It blocks in the
 * VMM's HC_CARDWAIT hypercall until the card in the reader the VMM keeps
 * (the guest never sees it) is removed or inserted, and prints LOCK when it
 * goes and UNLOCK when it comes back.
 * Usage: bvcardlock [-t MS] [-n CHANGES] [-r READER]
 *   -t MS       each wait's timeout (default 60000, the VMM's maximum);
 *               a wait that times out prints "bvcardlock: no change in N ms"
 *               and bvcardlock exits 3
 *   -n CHANGES  exit 0 after that many changes (default: never)
 * Exit status: 0 done, 1 the VMM could not tell (no reader or driver),
 * 2 not under blobvisor, 3 timed out. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cpuid.h>

#define HC_CARDWAIT 3	/* vmm/vmm.h */

static int
on_intel(void)
{
	unsigned a, b, c, d;

	__cpuid(0, a, b, c, d);
	return b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e;	/* GenuineIntel */
}

/* One HC_CARDWAIT: RAX the result, *state in/out. */
static int64_t
cardwait(uint64_t *state, uint64_t ms, uint64_t reader)
{
	uint64_t rax = HC_CARDWAIT, rbx = *state, rcx = ms, rdx = 0, rsi = reader;

	/* The VMM may run this instruction several times (RIP stays while it
	 * waits, RDX carries the deadline): every register is in and out. */
	if (on_intel())
		__asm__ volatile("vmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");
	else
		__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");
	*state = rbx;
	return (int64_t)rax;
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
	unsigned long ms = 60000, changes = 0, reader = 0;
	uint64_t state = 2;	/* unknown: the first call answers at once */
	unsigned a, b, c, d;
	char sig[13] = { 0 };
	int64_t rc;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-t"))
			ms = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "-n"))
			changes = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "-r"))
			reader = strtoul(argv[i + 1], NULL, 0);
		else {
			fprintf(stderr, "usage: bvcardlock [-t MS] [-n CHANGES] [-r READER]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4), memcpy(sig + 4, &c, 4), memcpy(sig + 8, &d, 4);
	if (strcmp(sig, "blobvisor-hv")) {
		fprintf(stderr, "bvcardlock: not running under blobvisor (hypervisor signature \"%s\")\n", sig);
		return 2;
	}
	rc = cardwait(&state, 0, reader);
	if (rc) {
		printf("bvcardlock: the VMM cannot watch reader %lu: %s\n", reader, strerror((int)-rc));
		return 1;
	}
	printf("bvcardlock: card %s; waiting\n", state ? "present" : "absent");
	for (unsigned long n = 0; !changes || n < changes; n++) {
		double t0 = now_s();

		rc = cardwait(&state, ms, reader);
		if (rc == -ETIMEDOUT) {
			printf("bvcardlock: no change in %lu ms (waited %.2f s)\n", ms, now_s() - t0);
			return 3;
		}
		if (rc) {
			printf("bvcardlock: the VMM cannot watch reader %lu: %s\n", reader, strerror((int)-rc));
			return 1;
		}
		printf("%s\n", state ? "UNLOCK" : "LOCK");
	}
	return 0;
}
