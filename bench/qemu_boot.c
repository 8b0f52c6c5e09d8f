/* Bare-metal startup: time from starting QEMU (TCG, -machine pc) to the
 * first dbgsh prompt on the serial line, for the `make qemu' command line
 * (-nographic, QEMU's default devices: SeaBIOS also tries the NIC's option
 * ROM), for a minimal machine (-nodefaults), and for blobvisor.efi under
 * Debian's OVMF (`make qemu-efi''s machine without USB: an ESP image made
 * with platform/efi/mkesp.sh), where the time to the loader's first line is
 * the firmware's own share. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"


#define OVMF "/usr/share/ovmf/OVMF.fd"
#define ESP "build/bench-esp.img"
#define EFI_FIRST_LINE "blobvisor.efi: loading the VMM"

static double efi_loader_ms;	/* the last UEFI boot's time to the loader */

/* One boot; returns ms to the prompt, or -1.  minimal: 0 `make qemu',
 * 1 -nodefaults, 2 OVMF and blobvisor.efi. */
static double
boot(const char *elf, int minimal)
{
	int in[2], out[2];
	char buf[4096];
	size_t len = 0;
	double start = now_ms(), t = -1;
	pid_t pid;

	if (pipe(in) || pipe(out))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(in[1]);
		close(out[0]);
		if (minimal == 2)
			execlp("qemu-system-x86_64", "qemu-system-x86_64", "-machine", "pc",
			       "-cpu", "max", "-accel", "tcg", "-m", "256M", "-display", "none",
			       "-serial", "stdio", "-monitor", "none", "-no-reboot", "-net", "none",
			       "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-bios", OVMF,
			       "-drive", "file=" ESP ",format=raw,if=ide", (char *)NULL);
		else if (minimal)
			execlp("qemu-system-x86_64", "qemu-system-x86_64", "-machine", "pc",
			       "-cpu", "max", "-accel", "tcg", "-m", "256M", "-display", "none",
			       "-serial", "stdio", "-monitor", "none", "-nodefaults", "-no-reboot",
			       "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
			       "-kernel", elf, "-append", "tty", (char *)NULL);
		else
			execlp("qemu-system-x86_64", "qemu-system-x86_64", "-machine", "pc",
			       "-cpu", "max", "-accel", "tcg", "-m", "256M", "-nographic",
			       "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
			       "-kernel", elf, "-append", "tty", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	efi_loader_ms = -1;
	while (now_ms() - start < 30000) {
		ssize_t n = read(out[0], buf + len, sizeof(buf) - 1 - len);

		if (n <= 0)
			break;
		len += n;
		buf[len] = '\0';
		if (efi_loader_ms < 0 && memmem(buf, len, EFI_FIRST_LINE, strlen(EFI_FIRST_LINE)))
			efi_loader_ms = now_ms() - start;
		if (memmem(buf, len, "blobvisor> ", 11)) {
			t = now_ms() - start;
			break;
		}
		if (len > sizeof(buf) / 2) {	/* keep the tail */
			memmove(buf, buf + len - 64, 64);
			len = 64;
		}
	}
	if (write(in[1], "exit\r", 5) != 5)
		kill(pid, SIGKILL);
	close(in[1]);
	close(out[0]);
	waitpid(pid, NULL, 0);
	return t;
}

int
main(int argc, char **argv)
{
	const char *elf = argc > 1 ? argv[1] : "build/blobvisor-pc.elf";
	enum { MAX_RUNS = 5 };
	const int RUNS = bench_quick() ? 1 : MAX_RUNS;

	for (int minimal = 0; minimal < 3; minimal++) {
		double t[MAX_RUNS], l[MAX_RUNS];

		if (minimal == 2 && (access(OVMF, R_OK) ||
		    system("printf 'cmdline tty\\n' | platform/efi/mkesp.sh " ESP " -"))) {
			fprintf(stderr, "qemu_boot: no OVMF or no ESP image; UEFI boot not measured\n");
			return 1;
		}

		for (int i = 0; i < RUNS; i++) {
			t[i] = boot(elf, minimal);
			l[i] = efi_loader_ms;
			if (t[i] < 0) {
				fprintf(stderr, "qemu_boot: no prompt from %s\n", elf);
				return 1;
			}
		}
		qsort(t, RUNS, sizeof(t[0]), cmp_double);
		qsort(l, RUNS, sizeof(l[0]), cmp_double);
		if (minimal == 2) {
			printf("qemu_boot: OVMF + blobvisor.efi: QEMU start to the loader's first line "
			       "median %.0f ms; to dbgsh prompt median %.0f ms, max %.0f ms (%d runs)\n",
			       l[RUNS / 2], t[RUNS / 2], t[RUNS - 1], RUNS);
			continue;
		}
		printf("qemu_boot: QEMU start to dbgsh prompt (%s): median %.0f ms, max %.0f ms "
		       "(%d runs; goal <= 1000 ms)\n",
		       minimal ? "-nodefaults" : "make qemu's -nographic", t[RUNS / 2], t[RUNS - 1], RUNS);
	}
	return 0;
}
