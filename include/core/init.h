#ifndef CORE_INIT_H
#define CORE_INIT_H

#include <core/types.h>

/* Ordered init registration, BitVisor's INITFUNC idea: a subsystem registers
 * its init function where it is defined, with an order key; the core runs
 * them sorted by key (strcmp order), so "20" runs before "30usb".  Keys by
 * convention: 10 early core, 20 memory users, 30 subsystems, 40 devices,
 * 50 late. */
struct initfunc {
	const char *key;
	void (*fn)(void);
	const char *name;
};

#define INITFUNC(key_, fn_) \
	static const struct initfunc __initfunc_##fn_ __used \
	__section("initfuncs") __attribute__((aligned(8))) = { key_, fn_, #fn_ }

void initfuncs_run(void);

#endif
