#ifndef LIBC_FPCONV_H
#define LIBC_FPCONV_H

/* The exact decimal digits of a value: 0.digits[0..n) * 10^e10; n >= 1,
 * no trailing zeros (a zero value is "0" with zero set). */
struct fp_dec {
	char *digits;
	int n;
	int e10;
	bool zero;
	bool tie_up;	/* the last rounding was an exact half, rounded up */
};

size_t fp_digits_bound(const struct fp_parts *p);
int fp_decimal(const struct fp_parts *p, struct fp_dec *d, char *digits, u32 *limbs);
void fp_round(struct fp_dec *d, int keep);

#endif
