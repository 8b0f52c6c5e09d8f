/* bvsh: one debug-shell command line from the guest to the VMM (BitVisor's
 * "dbgsh from the guest").  `bvsh 'rockey 5'' prints what the command
 * printed in the VMM and exits with its status: 0 ok, 1 failed, 2 refused
 * or not under blobvisor. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cpuid.h>

#define HC_DBGSH 2	/* vmm/vmm.h */
#define OUT_MAX (64 * 1024)

/* The hypercall instruction is the vendor's: VMMCALL on AMD (SVM), VMCALL
 * on Intel (VMX); the other one raises #UD. */
static int
on_intel(void)
{
	unsigned a, b, c, d;

	__cpuid(0, a, b, c, d);
	return b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e;	/* GenuineIntel */
}

int
main(int argc, char **argv)
{
	static char out[OUT_MAX];
	char line[1024] = "";
	unsigned a, b, c, d;
	char sig[13] = { 0 };
	uint64_t rax = HC_DBGSH, rbx, rcx, rdx, rsi;

	if (argc < 2) {
		fprintf(stderr, "usage: bvsh 'COMMAND [ARGS]'\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (strlen(line) + strlen(argv[i]) + 2 > sizeof(line)) {
			fprintf(stderr, "bvsh: command line longer than %zu bytes\n", sizeof(line) - 1);
			return 2;
		}
		if (i > 1)
			strcat(line, " ");
		strcat(line, argv[i]);
	}
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4), memcpy(sig + 4, &c, 4), memcpy(sig + 8, &d, 4);
	if (strcmp(sig, "blobvisor-hv")) {
		fprintf(stderr, "bvsh: not running under blobvisor (hypervisor signature \"%s\")\n", sig);
		return 2;
	}
	/* The VMM reads and writes only pages that are present: touch them. */
	memset(out, 0, sizeof(out));
	rbx = (uintptr_t)line;
	rcx = strlen(line);
	rdx = (uintptr_t)out;
	rsi = sizeof(out) - 1;
	if (on_intel())
		__asm__ volatile("vmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");
	else
		__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi) : : "memory");
	if ((int64_t)rax < 0 && (int64_t)rax != -EPERM) {
		fprintf(stderr, "bvsh: the VMM refused the call: %s\n", strerror((int)-(int64_t)rax));
		return 2;
	}
	fwrite(out, 1, rcx, stdout);
	return (int64_t)rax == -EPERM ? 2 : rbx ? 1 : 0;
}
