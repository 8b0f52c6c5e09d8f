/* Private to libc/: what the libm files (math.c, mathl.c) share. */
#ifndef LIBC_LIBM_H
#define LIBC_LIBM_H

#include "libc.h"

#define FP_NAN		0
#define FP_INFINITE	1
#define FP_ZERO		2
#define FP_SUBNORMAL	3
#define FP_NORMAL	4

int __fpclassify(double x);
int __fpclassifyf(float x);
int __fpclassifyl(long double x);
int __finitel(long double x);

/* --- bit tests for the wrappers' hot path: no FPU state touched -------- */
static inline u64
libm_dbits(double x)
{
	union { double d; u64 u; } v = { .d = x };

	return v.u;
}

static inline u32
libm_fbits(float x)
{
	union { float f; u32 u; } v = { .f = x };

	return v.u;
}

union libm_ldbits {
	long double v;
	struct { u64 m; u16 se; } b;
};

static inline bool
libm_nan_f(float x)
{
	return (libm_fbits(x) << 1) > (0xffU << 24);
}

static inline bool
libm_nan_d(double x)
{
	return (libm_dbits(x) << 1) > (0x7ffULL << 53);
}

static inline bool
libm_nan_l(long double x)
{
	union libm_ldbits u = { .v = x };

	return (u.b.se & 0x7fff) == 0x7fff && (u.b.m << 1) != 0;
}

static inline bool
libm_finite_f(float x)
{
	return (libm_fbits(x) >> 23 & 0xff) != 0xff;
}

static inline bool
libm_finite_d(double x)
{
	return (libm_dbits(x) >> 52 & 0x7ff) != 0x7ff;
}

static inline bool
libm_finite_l(long double x)
{
	union libm_ldbits u = { .v = x };

	return (u.b.se & 0x7fff) != 0x7fff;
}

static inline bool
libm_snan_f(float x)
{
	return libm_nan_f(x) && !(libm_fbits(x) >> 22 & 1);
}

static inline bool
libm_snan_d(double x)
{
	return libm_nan_d(x) && !(libm_dbits(x) >> 51 & 1);
}

static inline bool
libm_snan_l(long double x)
{
	union libm_ldbits u = { .v = x };

	return libm_nan_l(x) && !(u.b.m >> 62 & 1);
}

#define LIBM_SNAN(x) \
	_Generic((x), float: libm_snan_f, double: libm_snan_d, long double: libm_snan_l)(x)
#define LIBM_CLASS(x) \
	_Generic((x), float: __fpclassifyf, double: __fpclassify, long double: __fpclassifyl)(x)
#define LIBM_NAN(x) \
	_Generic((x), float: libm_nan_f, double: libm_nan_d, long double: libm_nan_l)(x)
#define LIBM_FINITE(x) \
	_Generic((x), float: libm_finite_f, double: libm_finite_d, long double: libm_finite_l)(x)

/* --- glibc's wrapper rule, one type-generic form for float, double and
 * long double: a NaN from non-NaN arguments is EDOM, an infinity from
 * finite ones ERANGE; LIBM_UFLOW adds glibc's underflow report (a zero
 * from a finite non-zero argument) for exp, erfc, tgamma... ------------ */
static inline void
libm_rule(bool r_nan, bool args_not_nan, bool args_finite)
{
	if (r_nan && args_not_nan)
		errno = EDOM;
	else if (!r_nan && args_finite)
		errno = ERANGE;
}

#define LIBM_RULE1(x, r) ({ \
	__typeof__(r) r1_ = (r); \
	if (__builtin_expect(!LIBM_FINITE(r1_), 0)) \
		libm_rule(LIBM_NAN(r1_), !LIBM_NAN(x), LIBM_FINITE(x)); \
	r1_; })
#define LIBM_RULE2(x, y, r) ({ \
	__typeof__(r) r2_ = (r); \
	if (__builtin_expect(!LIBM_FINITE(r2_), 0)) \
		libm_rule(LIBM_NAN(r2_), !LIBM_NAN(x) && !LIBM_NAN(y), LIBM_FINITE(x) && LIBM_FINITE(y)); \
	r2_; })
#define LIBM_UFLOW(x, r) ({ \
	__typeof__(r) ru_ = LIBM_RULE1(x, r); \
	if (__builtin_expect(ru_ == 0, 0) && LIBM_FINITE(x) && (x) != 0) \
		errno = ERANGE; \
	ru_; })

/* A wrapper exported under the function's glibc name (the musl function
 * keeps its own symbol, the target of glibc's __NAME_finite aliases);
 * RULE is LIBM_RULE1 or LIBM_UFLOW. */
#define LIBM_WRAP1(NAME, T, RULE) \
	static T w_##NAME(T x) { return RULE(x, NAME(x)); } \
	EXPORT_AS(w_##NAME, #NAME, LIBC);
#define LIBM_WRAP2(NAME, T) \
	static T w_##NAME(T x, T y) { return LIBM_RULE2(x, y, NAME(x, y)); } \
	EXPORT_AS(w_##NAME, #NAME, LIBC);
/* glibc's __NAME_finite entry points are the unwrapped functions */
#define LIBM_FINITE_ALIAS(NAME)	EXPORT_ALIAS(NAME, __##NAME##_finite, LIBC);

/* --- wrappers alike in all three forms, written once as M(SFX, T) ------ */
/* sin and cos of an infinity: EDOM, as glibc's sincos */
#define LIBM_W_SINCOS(SFX, T) \
	static void \
	w_sincos##SFX(T x, T *s, T *c) \
	{ \
		sincos##SFX(x, s, c); \
		if (!LIBM_FINITE(x) && !LIBM_NAN(x)) \
			errno = EDOM; \
	} \
	EXPORT_AS(w_sincos##SFX, "sincos" #SFX, LIBC);
/* atan2 through the x87's fpatan (musl's atan2l), rounded once; a zero
 * from y != 0 and a finite x is an underflow (ERANGE) */
#define LIBM_W_ATAN2(SFX, T) \
	static T \
	w_atan2##SFX(T y, T x) \
	{ \
		T r = LIBM_RULE2(y, x, (T)atan2l(y, x)); \
		\
		if (r == 0 && y != 0 && LIBM_FINITE(x)) \
			errno = ERANGE; \
		return r; \
	} \
	EXPORT_AS(w_atan2##SFX, "atan2" #SFX, LIBC);
/* nextafter: ERANGE when the step overflows or lands below the normal
 * range (subnormal or zero) */
#define LIBM_W_NEXTAFTER(SFX, T) \
	static T \
	w_nextafter##SFX(T x, T y) \
	{ \
		T r = nextafter##SFX(x, y); \
		int c = LIBM_CLASS(r); \
		\
		if ((c == FP_INFINITE && LIBM_FINITE(x)) || \
		    ((c == FP_SUBNORMAL || c == FP_ZERO) && x != y && x != 0)) \
			errno = ERANGE; \
		return r; \
	} \
	EXPORT_AS(w_nextafter##SFX, "nextafter" #SFX, LIBC);
/* ilogb of 0, an infinity or NaN: EDOM (glibc reports them invalid) */
#define LIBM_W_ILOGB(SFX, T) \
	static int \
	w_ilogb##SFX(T x) \
	{ \
		if (x == 0 || !LIBM_FINITE(x)) \
			errno = EDOM; \
		return ilogb##SFX(x); \
	} \
	EXPORT_AS(w_ilogb##SFX, "ilogb" #SFX, LIBC);
/* fma(x, y, +-0) with x*y non-zero is x*y rounded once: the hardware
 * product (musl's software fma loses the sign when it underflows) */
#define LIBM_W_FMA(SFX, T) \
	static T \
	w_fma##SFX(T x, T y, T z) \
	{ \
		if (z == 0 && x != 0 && y != 0 && LIBM_FINITE(x) && LIBM_FINITE(y)) \
			return x * y; \
		return fma##SFX(x, y, z); \
	} \
	EXPORT_AS(w_fma##SFX, "fma" #SFX, LIBC);
/* fmax as glibc's on x86-64: a signalling NaN wins (quietened), a quiet
 * one loses, of equal values (0 and -0) the second */
#define LIBM_W_FMAX(SFX, T) \
	static T \
	w_fmax##SFX(T x, T y) \
	{ \
		if (LIBM_SNAN(x) || LIBM_SNAN(y)) \
			return x + y; \
		if (LIBM_NAN(x) || LIBM_NAN(y)) \
			return LIBM_NAN(x) ? y : x; \
		return x > y ? x : y; \
	} \
	EXPORT_AS(w_fmax##SFX, "fmax" #SFX, LIBC);

#endif
