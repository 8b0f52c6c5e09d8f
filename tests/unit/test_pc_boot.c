/* platform/pc's host-testable parts: the RTC's date arithmetic against
 * glibc's timegm, and the kernel command line parser. */
#define _GNU_SOURCE
#include <time.h>
#include "tap.h"
#include "unit/host_plat.h"
#include <core/core.h>
#include "../../platform/pc/civil.c"
#include "../../platform/pc/cmdline.c"

bool pc_console_tty;

static int
parse(const char *line, struct boot_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	pc_console_tty = false;
	host_console_clear();
	return pc_cmdline_parse(line, opt);
}

int
main(void)
{
	struct boot_options o;
	int bad = 0, n = 0;

	for (unsigned y = 1970; y < 2200; y++)
		for (unsigned m = 1; m <= 12; m++)
			for (unsigned d = 1; d <= 28; d += 9) {
				struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d,
						 .tm_hour = 23, .tm_min = 59, .tm_sec = 58 };

				bad += (time_t)pc_civil_seconds(y, m, d, 23, 59, 58) != timegm(&tm);
				n++;
			}
	TAP_CHECK(!bad, "civil dates 1970-2199 agree with timegm (%d of %d differ)", bad, n);
	{
		struct tm tm = { .tm_year = 2024 - 1900, .tm_mon = 1, .tm_mday = 29 };

		TAP_CHECK((time_t)pc_civil_seconds(2024, 2, 29, 0, 0, 0) == timegm(&tm),
			  "a leap day agrees with timegm");
	}

	TAP_CHECK(parse("/boot/blobvisor-pc.elf", &o) == 0 && !o.ncommands && !o.nstartup &&
		  !o.nrequired && !pc_console_tty, "the image name alone: interactive, no commands");
	TAP_CHECK(parse("x.elf tty -c 'pci list' -c version -x mem", &o) == 0 &&
		  pc_console_tty && o.ncommands == 2 && !strcmp(o.commands[0], "pci list") &&
		  !strcmp(o.commands[1], "version") && o.nstartup == 1 &&
		  !strcmp(o.startup[0], "mem"), "tty, -c (quoted, in order) and -x");
	TAP_CHECK(parse("x.elf --load libz.a", &o) == 0 && o.nrequired == 1 &&
		  !strcmp(o.required[0], "blob load libz.a"), "--load becomes a required blob load");
	TAP_CHECK(parse("x.elf --load 'rockey.o libdongle.a'", &o) == 0 && o.nrequired == 1 &&
		  !strcmp(o.required[0], "blob load rockey.o libdongle.a"),
		  "--load 'A B' loads both files as one blob");
	TAP_CHECK(parse("x.elf --bogus", &o) == 2 && strstr(host_console, "--bogus"),
		  "an unknown option is refused, naming it");
	TAP_CHECK(parse("x.elf -c", &o) == 2 && strstr(host_console, "-c: missing argument"),
		  "a missing argument is refused");
	TAP_CHECK(parse("x.elf vmm.mem=64M -c v", &o) == 0 && pc_vmm_mem_option() == 64 << 20 &&
		  o.ncommands == 1, "vmm.mem=64M is 64 MiB for the VMM");
	TAP_CHECK(parse("x.elf vmm.mem=64Q", &o) == 2 &&
		  strstr(host_console, "kernel command line: vmm.mem=64Q: not a size") &&
		  !strchr(strchr(host_console, '\n') + 1, '\n'),
		  "vmm.mem= with a bad size is refused in one line naming it");
	TAP_CHECK(parse("x.elf vmm.mem=", &o) == 2 && strstr(host_console, "not a size"),
		  "vmm.mem= without a size is refused");
	TAP_CHECK(parse("x.elf --usbredir x", &o) == 2 &&
		  strstr(host_console, "--usbredir: unknown option") &&
		  !strchr(strchr(host_console, '\n') + 1, '\n'),
		  "a hosted-only option is unknown here, in one line");
	TAP_CHECK(parse("x.elf -c 'open", &o) == 2 && strstr(host_console, "unterminated quote"),
		  "an unterminated quote is refused");
	{
		char line[512] = "x.elf";

		for (int i = 0; i < 17; i++)
			strcat(line, " -c v");
		TAP_CHECK(parse(line, &o) == 2 && strstr(host_console, "more than 16"),
			  "a 17th command is refused");
	}
	return tap_done();
}
