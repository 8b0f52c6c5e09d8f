/* The kernel command line, as words split like a dbgsh line (quotes and
 * backslashes work), fed to the core's option table.  The first word is the
 * image's name (multiboot loaders put it there).  Besides the core's -c, -x
 * and --load, the PC has:
 *   tty           the serial line is a terminal: prompt and line editing
 *   vmm.mem=SIZE  keep only SIZE (K/M/G) for the VMM's page allocator and
 *                 leave the RAM above it to a guest (main.c)
 * and the hypervisor adds vmm.guest_cmds= (vmm/svm/hypercall.c).
 * Example: -append "tty -x 'pci list'" or -append "-c version -c mem". */
#include <core/console.h>
#include <core/core.h>
#include <core/dbgsh.h>
#include <core/options.h>
#include <core/string.h>
#include "pc.h"

static char words[2048];	/* option values point into it */
static u64 vmm_mem;

static const char *
set_tty(struct boot_options *opt, const char *val)
{
	pc_console_tty = true;
	return NULL;
}
OPTION("tty", NULL, set_tty, "the serial line is a terminal: prompt and line editing");

static const char *
set_vmm_mem(struct boot_options *opt, const char *val)
{
	u64 v = 0;
	const char *p = val;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (~0ULL >> 4) / 10)
			return "too large";
		v = v * 10 + (*p - '0');
	}
	switch (*p) {
	case 'G': case 'g': v <<= 10; /* fall through */
	case 'M': case 'm': v <<= 10; /* fall through */
	case 'K': case 'k': v <<= 10; p++; break;
	}
	if (p == val || *p || !v)
		return "not a size (a number with K, M or G)";
	vmm_mem = v;
	return NULL;
}
OPTION("vmm.mem=", "SIZE", set_vmm_mem, "keep SIZE (K, M, G) for the VMM, the RAM above for a guest");

u64
pc_vmm_mem_option(void)
{
	return vmm_mem;
}

int
pc_cmdline_parse(const char *line, struct boot_options *opt)
{
	char *argv[DBGSH_MAX_ARGS + 1];
	const char *err = "line too long";
	int argc = -1;

	if (strlen(line) < sizeof(words)) {
		strcpy(words, line);
		argc = dbgsh_split(words, argv, DBGSH_MAX_ARGS, &err);
	}
	if (argc < 0) {
		kprintf("blobvisor: kernel command line: %s\n", err);
		return 2;
	}
	return options_parse(argc, argv, opt, "blobvisor: kernel command line");
}
