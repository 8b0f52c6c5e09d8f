/* Private to libc/: binary128 (__float128, libgcc's soft-float) kernels
 * for the long double functions whose x87 forms cancel too much to reach
 * glibc's accuracy (powl, lgammal, tgammal, the long double complex
 * functions): 113 bits leave 49 guard bits over the x87's 64, so a result
 * rounded once to long double, double or float is within a hair of half
 * an ulp.  Slow (a microsecond or a few per call) but exact enough; the
 * exponent range is the x87's, so no scaling is needed between them. */
#ifndef LIBC_QUAD_H
#define LIBC_QUAD_H

#include "libc.h"

typedef __float128 q;

int q_ilogb(q x);			/* x finite, non-zero */
q q_scalbn(q x, int n);			/* one rounding, also into the subnormals */
q q_sqrt(q x);				/* x >= 0 */
q q_exp(q x, int *k);			/* e^x = result 2^k; |x| < 2^20 */
q q_log(q x);				/* x > 0, finite */
q q_log1p(q x);				/* x > -1, finite */
q q_atan(q x);
q q_atan2(q y, q x);			/* not both zero */
void q_sincos(long double x, q *s, q *c);	/* x finite */
q q_lgamma(long double x, int *sign);	/* x finite, not a pole */

static inline q
q_fabs(q x)
{
	return __builtin_fabsq(x);
}

q q_hypot(q a, q b);
/* sinh x = sh 2^k, cosh x = ch 2^k (k > 0 only where e^|x| would leave
 * binary128's range) */
int q_sinhcosh(long double x, q *sh, q *ch);

#endif
