/* The hosted VMM's entry: parse the command line into boot options and run
 * the core. */
#include <core/console.h>
#include <core/core.h>
#include <core/options.h>
#include <core/platform.h>
#include <core/string.h>

void hosted_start(long *sp) __noreturn;
void hosted_signals_init(void);
void hosted_vdso_init(long *sp);
void hosted_seccomp_init(void);

static const char *
set_help(struct boot_options *opt, const char *val)
{
	kprintf("usage: blobvisor [OPTION]...\n");
	options_usage();
	plat_exit(0);
}
OPTION("-h", NULL, set_help, "print this list");
OPTION("--help", NULL, set_help, "print this list");

static const char *
set_usbredir(struct boot_options *opt, const char *val)
{
	return options_add(opt->required, &opt->nrequired,
			   options_command("usb attach '%s'", val));
}
OPTION("--usbredir", "ADDR", set_usbredir, "attach a usbredir device (HOST:PORT or unix:PATH)");

void
hosted_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	static struct boot_options opt;

	hosted_signals_init();
	hosted_vdso_init(sp);
	hosted_seccomp_init();
	if (options_parse(argc, argv, &opt, "blobvisor"))
		plat_exit(2);
	plat_exit(core_main(&opt));
}
