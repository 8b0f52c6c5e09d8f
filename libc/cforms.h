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

#define CFORMS(NAME, CORE) \
double _Complex NAME(double _Complex z); \
float _Complex NAME##f(float _Complex z); \
long double _Complex NAME##l(long double _Complex z); \
double _Complex \
NAME(double _Complex z) \
{ \
	struct qc r = CORE(__real__ z, __imag__ z); \
	double _Complex w; \
	\
	__real__ w = (double)r.re; \
	__imag__ w = (double)r.im; \
	return w; \
} \
EXPORT(NAME, LIBC); \
float _Complex \
NAME##f(float _Complex z) \
{ \
	struct qc r = CORE(__real__ z, __imag__ z); \
	float _Complex w; \
	\
	__real__ w = (float)r.re; \
	__imag__ w = (float)r.im; \
	return w; \
} \
EXPORT(NAME##f, LIBC); \
long double _Complex \
NAME##l(long double _Complex z) \
{ \
	int saved = errno; \
	struct qc r = CORE(__real__ z, __imag__ z); \
	long double _Complex w; \
	\
	errno = saved; \
	__real__ w = (long double)r.re; \
	__imag__ w = (long double)r.im; \
	return w; \
} \
EXPORT(NAME##l, LIBC);

static inline struct qc
qc(q re, q im)
{
	struct qc r = { re, im };

	return r;
}

/* w = i z, and back: the non-h functions from the h ones (C99 G.6) */
static inline struct qc
qc_mul_minus_i(struct qc r)
{
	return qc(r.im, -r.re);
}

#endif
