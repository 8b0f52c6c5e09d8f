/* Private to libc/: what the libm files (math.c, mathl.c) share. */
#ifndef LIBC_LIBM_H
#define LIBC_LIBM_H

#include "libc.h"

#define FP_NAN		0
#define FP_INFINITE	1
#define FP_ZERO		2
#define FP_SUBNORMAL	3
#define FP_NORMAL	4

int __fpclassifyl(long double x);
int __finitel(long double x);

#endif
