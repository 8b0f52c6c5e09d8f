/* Compiler runtime helpers that gcc emits calls to (128-bit division,
 * popcount without -mpopcnt, complex multiply...): libgcc's own, linked
 * into the VMM with -lgcc, exported for blobs built with the same gcc. */
#include "libc.h"

/* gcc knows the complex helpers as built-ins with other types; only their
 * addresses are taken here. */
#pragma GCC diagnostic ignored "-Wbuiltin-declaration-mismatch"

#define RUNTIME_FN(name) extern char name[]; EXPORT(name, RUNTIME)

RUNTIME_FN(__udivti3);
RUNTIME_FN(__divti3);
RUNTIME_FN(__umodti3);
RUNTIME_FN(__modti3);
RUNTIME_FN(__udivmodti4);
RUNTIME_FN(__divmodti4);
RUNTIME_FN(__multi3);
RUNTIME_FN(__ashlti3);
RUNTIME_FN(__ashrti3);
RUNTIME_FN(__lshrti3);
RUNTIME_FN(__negti2);
RUNTIME_FN(__cmpti2);
RUNTIME_FN(__ucmpti2);
RUNTIME_FN(__mulvdi3);
RUNTIME_FN(__mulvsi3);
RUNTIME_FN(__mulvti3);
RUNTIME_FN(__addvdi3);
RUNTIME_FN(__addvsi3);
RUNTIME_FN(__subvdi3);
RUNTIME_FN(__subvsi3);
RUNTIME_FN(__negvdi2);
RUNTIME_FN(__negvsi2);
RUNTIME_FN(__absvdi2);
RUNTIME_FN(__absvsi2);
RUNTIME_FN(__popcountdi2);
RUNTIME_FN(__popcountti2);
RUNTIME_FN(__paritydi2);
RUNTIME_FN(__parityti2);
RUNTIME_FN(__clzdi2);
RUNTIME_FN(__clzti2);
RUNTIME_FN(__ctzdi2);
RUNTIME_FN(__ctzti2);
RUNTIME_FN(__ffsdi2);
RUNTIME_FN(__ffsti2);
RUNTIME_FN(__clrsbdi2);
RUNTIME_FN(__bswapdi2);
RUNTIME_FN(__bswapsi2);
RUNTIME_FN(__floattidf);
RUNTIME_FN(__floattisf);
RUNTIME_FN(__floattixf);
RUNTIME_FN(__floatuntidf);
RUNTIME_FN(__floatuntisf);
RUNTIME_FN(__floatuntixf);
RUNTIME_FN(__fixdfti);
RUNTIME_FN(__fixsfti);
RUNTIME_FN(__fixxfti);
RUNTIME_FN(__fixunsdfti);
RUNTIME_FN(__fixunssfti);
RUNTIME_FN(__fixunsxfti);
RUNTIME_FN(__fixunsdfdi);
RUNTIME_FN(__fixunssfdi);
RUNTIME_FN(__fixunsxfdi);
RUNTIME_FN(__powidf2);
RUNTIME_FN(__powisf2);
RUNTIME_FN(__powixf2);
RUNTIME_FN(__muldc3);
RUNTIME_FN(__mulsc3);
RUNTIME_FN(__mulxc3);
RUNTIME_FN(__divdc3);
RUNTIME_FN(__divsc3);
RUNTIME_FN(__divxc3);
/* Not exported: __cpu_model/__cpu_indicator_init (__builtin_cpu_supports).
 * libgcc fills __cpu_model from an .init_array constructor, which the
 * bare-metal link script rightly refuses as an orphan section; a blob that
 * needs it gets an unresolved-symbol error naming it. */
