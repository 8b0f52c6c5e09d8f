/* The hosted VMM's entry: parse the command line into boot options and run
 * the core. */
#include <core/blobfile.h>
#include <core/console.h>
#include <core/core.h>
#include <core/platform.h>
#include <core/string.h>

void hosted_start(long *sp) __noreturn;
void hosted_signals_init(void);
void hosted_vdso_init(long *sp);

static void
usage(void)
{
	kprintf("usage: blobvisor [-c CMD]... [-x CMD]... [--usbredir ADDR]...\n"
		"  -c CMD            run CMD and exit (0 if every command succeeded)\n"
		"  -x CMD            run CMD at startup, then stay interactive\n"
		"  --usbredir ADDR   attach a usbredir device (HOST:PORT or unix:PATH)\n"
		"  --load 'FILE...'  load files as one blob before the shell starts\n"
		"  --file HOST[=BLOBPATH]  give blobs a read-only copy of a host file\n");
}

static bool
add(const char **list, int *n, const char *cmd)
{
	if (*n == 16)
		return false;
	list[(*n)++] = cmd;
	return true;
}

/* Startup commands built from options live here; the core keeps pointers. */
static char optbuf[16][1024];
static int noptbuf;

static const char *
make_cmd(const char *verb, const char *arg)
{
	char *b = optbuf[noptbuf++ % 16];

	snprintf(b, sizeof(optbuf[0]), "%s '%s'", verb, arg);
	return b;
}

static const char *
make_cmd_words(const char *verb, const char *args)
{
	char *b = optbuf[noptbuf++ % 16];

	snprintf(b, sizeof(optbuf[0]), "%s %s", verb, args);
	return b;
}

static const char *
make_file_cmd(const char *spec)
{
	char *b = optbuf[noptbuf++ % 16];

	blob_file_command(spec, b, sizeof(optbuf[0]));
	return b;
}

void
hosted_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	static struct boot_options opt;
	bool ok = true;

	hosted_signals_init();
	hosted_vdso_init(sp);
	for (int i = 1; i < argc && ok; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage();
			plat_exit(0);
		}
		if (!val || (strcmp(a, "-c") && strcmp(a, "-x") &&
			     strcmp(a, "--usbredir") && strcmp(a, "--load") && strcmp(a, "--file"))) {
			kprintf("blobvisor: %s: %s\n", a,
				val ? "unknown option" : "missing argument or unknown option");
			usage();
			plat_exit(2);
		}
		i++;
		if (!strcmp(a, "-c"))
			ok = add(opt.commands, &opt.ncommands, val);
		else if (!strcmp(a, "-x"))
			ok = add(opt.startup, &opt.nstartup, val);
		else if (!strcmp(a, "--file"))
			ok = add(opt.required, &opt.nrequired, make_file_cmd(val));
		else if (!strcmp(a, "--usbredir"))
			ok = add(opt.required, &opt.nrequired, make_cmd("usb attach", val));
		else	/* several files, space-separated, form one namespace */
			ok = add(opt.required, &opt.nrequired, make_cmd_words("blob load", val));
	}
	if (!ok) {
		kprintf("blobvisor: too many commands on the command line (16 of each kind)\n");
		plat_exit(2);
	}
	plat_exit(core_main(&opt));
}
