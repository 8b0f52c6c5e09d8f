/* The *rand48 family: glibc's 48-bit linear congruential generator
 * (X' = a*X + c mod 2^48, a = 0x5DEECE66D, c = 0xB), with the shared state
 * that seed48/lcong48 expose. */
#include "libc.h"

struct rand48 {
	u16 x[3];
	u16 a[3];
	u16 c;
};

static struct rand48 g = { { 0x330e, 0, 0 }, { 0xe66d, 0xdeec, 0x5 }, 0xb };

double drand48(void);
double erand48(unsigned short x[3]);
long lrand48(void);
long nrand48(unsigned short x[3]);
long mrand48(void);
long jrand48(unsigned short x[3]);
void srand48(long seed);
unsigned short *seed48(unsigned short x[3]);
void lcong48(unsigned short p[7]);

static u64
get48(const u16 *x)
{
	return (u64)x[2] << 32 | (u64)x[1] << 16 | x[0];
}

static void
put48(u16 *x, u64 v)
{
	x[0] = v;
	x[1] = v >> 16;
	x[2] = v >> 32;
}

static u64
step(u16 *x)
{
	u64 v = (get48(g.a) * get48(x) + g.c) & 0xffffffffffffULL;

	put48(x, v);
	return v;
}

/* The 48 bits as the mantissa of a double in [0, 1). */
double
erand48(unsigned short x[3])
{
	return (double)step(x) / 281474976710656.0;
}
EXPORT(erand48, LIBC);

double
drand48(void)
{
	return erand48(g.x);
}
EXPORT(drand48, LIBC);

long
nrand48(unsigned short x[3])
{
	return (long)(step(x) >> 17);
}
EXPORT(nrand48, LIBC);

long
lrand48(void)
{
	return nrand48(g.x);
}
EXPORT(lrand48, LIBC);

long
jrand48(unsigned short x[3])
{
	return (long)(s32)(u32)(step(x) >> 16);
}
EXPORT(jrand48, LIBC);

long
mrand48(void)
{
	return jrand48(g.x);
}
EXPORT(mrand48, LIBC);

void
srand48(long seed)
{
	g.x[0] = 0x330e;
	g.x[1] = (u16)seed;
	g.x[2] = (u16)((u64)seed >> 16);
	put48(g.a, 0x5deece66dULL);
	g.c = 0xb;
}
EXPORT(srand48, LIBC);

unsigned short *
seed48(unsigned short x[3])
{
	static u16 old[3];

	memcpy(old, g.x, sizeof(old));
	memcpy(g.x, x, sizeof(g.x));
	put48(g.a, 0x5deece66dULL);
	g.c = 0xb;
	return old;
}
EXPORT(seed48, LIBC);

void
lcong48(unsigned short p[7])
{
	memcpy(g.x, p, 6);
	memcpy(g.a, p + 3, 6);
	g.c = p[6];
}
EXPORT(lcong48, LIBC);
