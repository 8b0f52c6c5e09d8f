/* <complex.h> for blobs, as far as it meets glibc: musl's functions
 * (libm-musl.members) under glibc's names, in the x86-64 ABI's forms
 * (double complex in two SSE registers, float complex packed in one, long
 * double complex on the x87 stack).  tests/libc/test_complex.c compares
 * every form with glibc's, against libquadmath's __complex128 functions.
 *
 * Exported: cabs, carg, creal, cimag, conj, cproj (f, l) and csqrt,
 * csqrtf -- within glibc's measured or documented accuracy, Annex G
 * special values and errno as glibc's.  Not exported, refused at load
 * naming the symbol, because musl's fall short and nothing better is
 * written yet: csqrtl and every other long double function (musl computes
 * them in double precision: 10^12 ulps and more), cexp/cexpf (glibc sets
 * ERANGE on overflow, musl never; signs of zeros in Annex G cases), clog
 * (log|z| cancels next to |z| = 1: 5300 ulps), csin/ccos/csinh/ccosh/
 * ctan/ctanh (signs of zeros next to NaN differ from glibc's in cases
 * Annex G leaves open and some it does not), the inverse functions casin,
 * cacos, catan and their hyperbolic forms (musl's are the textbook
 * formulas: wrong signed zeros, cancellation, no ERANGE at the poles) and
 * cpow (cexp(w clog z)). */
#include "libc.h"

#define RE(fn) \
	double fn(double _Complex); \
	float fn##f(float _Complex); \
	long double fn##l(long double _Complex); \
	EXPORT(fn, LIBC); EXPORT(fn##f, LIBC); EXPORT(fn##l, LIBC);
#define CX(fn) \
	double _Complex fn(double _Complex); \
	float _Complex fn##f(float _Complex); \
	long double _Complex fn##l(long double _Complex); \
	EXPORT(fn, LIBC); EXPORT(fn##f, LIBC); EXPORT(fn##l, LIBC);

RE(cabs) RE(carg) RE(creal) RE(cimag)
CX(conj) CX(cproj)

double _Complex csqrt(double _Complex);
float _Complex csqrtf(float _Complex);
EXPORT(csqrt, LIBC);
EXPORT(csqrtf, LIBC);
