/* Private to libc/: a complex function written once, on long double parts
 * into binary128 parts (quad.h), exported in its three forms, each part
 * rounded once to the form's type.  The long double forms set no errno
 * (glibc's x87 ones set none: catanhl's pole leaves it alone where catanh
 * and catanhf set ERANGE). */
#ifndef LIBC_CFORMS_H
#define LIBC_CFORMS_H

#include "quad.h"

struct qc {
	q re, im;
};

/* NAME##SFX in type T: the parts of CORE, each rounded once to T */
#define CFORM(NAME, CORE, T) \
T _Complex NAME(T _Complex z); \
T _Complex \
NAME(T _Complex z) \
{ \
	int saved = errno; \
	struct qc r = CORE(__real__ z, __imag__ z); \
	T _Complex w; \
	\
	if (sizeof(T) == sizeof(long double)) \
		errno = saved; \
	__real__ w = (T)r.re; \
	__imag__ w = (T)r.im; \
	return w; \
} \
EXPORT(NAME, LIBC);
#define CFORMS(NAME, CORE) \
	CFORM(NAME, CORE, double) \
	CFORM(NAME##f, CORE, float) \
	CFORM(NAME##l, CORE, long double)

static inline struct qc
qc(q re, q im)
{
	struct qc r = { re, im };

	return r;
}

static inline bool
fin(long double x)
{
	return __builtin_isfinite(x);	/* a compare: no flag raised */
}

static inline bool
isnan_(long double x)
{
	return __builtin_isnan(x);
}

static inline q
qnan(void)
{
	return __builtin_nanq("");
}

static inline q
qinf(void)
{
	return __builtin_infq();
}

static inline q
cs(q mag, q sign)		/* copysign */
{
	return __builtin_copysignq(mag, sign);
}

/* w = i z, and back: the non-h functions from the h ones (C99 G.6) */
static inline struct qc
qc_mul_minus_i(struct qc r)
{
	return qc(r.im, -r.re);
}

#endif
