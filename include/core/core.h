#ifndef CORE_CORE_H
#define CORE_CORE_H

#include <core/types.h>

#define BLOBVISOR_VERSION "0.1"

/* What the platform parsed from its command line (hosted: argv; bare metal:
 * the multiboot command line). */
struct boot_options {
	/* Commands that must succeed before the shell starts (--usbredir,
	 * blobs to load): the first failure ends the VMM with status 1. */
	const char *required[16];
	int nrequired;
	/* -x: run at startup, then stay interactive. */
	const char *startup[16];
	int nstartup;
	/* -c: run and exit with 0 if all succeeded, 1 otherwise. */
	const char *commands[16];
	int ncommands;
};

/* Bring the core up and run the shell; returns the exit status. */
int core_main(const struct boot_options *opt);

#endif
