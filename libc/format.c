/* The printf formatter shared by the core's kprintf and the blobs' printf
 * family.  glibc's output for the same format and arguments is the
 * reference (tests/libc compares them): flags - + space # 0, width and
 * precision (also `*' and `*m$'), positional arguments `%m$', lengths
 * hh h l ll q j z Z t L, conversions d i u o x X c s p f F e E g G a A m C S
 * and %%.  `%n' is refused: the call fails with EINVAL and writes nothing
 * through the pointer (format strings that write memory are how printf
 * bugs become exploits). */
#include "libc.h"
#include "fpconv.h"
#include "wide.h"

struct out {
	char *buf;
	size_t size;
	size_t len;	/* would-be length, may exceed size */
	format_sink sink;	/* streaming: buf is a chunk, passed on when full */
	void *ctx;
	size_t fill;		/* streaming: bytes in the chunk */
};

static void
out_char(struct out *o, char c)
{
	if (o->sink) {
		o->buf[o->fill++] = c;
		if (o->fill == o->size) {
			o->sink(o->ctx, o->buf, o->fill);
			o->fill = 0;
		}
	} else if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void
out_pad(struct out *o, char c, long n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void
out_mem(struct out *o, const char *s, size_t n)
{
	if (o->sink) {
		while (n--)
			out_char(o, *s++);
		return;
	}
	if (o->len < o->size) {
		size_t room = o->size - 1 - o->len;
		memcpy(o->buf + o->len, s, MIN(n, room));
	}
	o->len += n;
}

enum {
	F_MINUS = 1, F_PLUS = 2, F_SPACE = 4, F_HASH = 8, F_ZERO = 16,
};

enum len { L_NONE, L_HH, L_H, L_L, L_LL, L_BIG /* L: long double */ };

struct spec {
	int flags;
	int width, width_arg;	/* width_arg: 0 none, -1 next, n: n$ */
	int prec, prec_arg;	/* prec -1: none */
	enum len len;
	char conv;
	int argpos;		/* 0: next argument, n: n$ */
	const char *start;	/* the '%' */
};

/* --- arguments: in order from the va_list, or by position --------------- */

enum argtype { A_NONE, A_INT, A_LONG, A_DOUBLE, A_LDOUBLE, A_PTR };
#define MAXPOS 64

union argval {
	long long i;
	double d;
	long double ld;
	void *p;
};

struct args {
	va_list ap;
	union argval *pos;	/* NULL: sequential */
	int next;
};

static enum argtype
type_of(const struct spec *s)
{
	switch (s->conv) {
	case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
		return s->len >= L_L ? A_LONG : A_INT;
	case 'c': case 'C':
		return A_INT;
	case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
		return s->len == L_BIG ? A_LDOUBLE : A_DOUBLE;
	case 's': case 'S': case 'p': case 'n':
		return A_PTR;
	default:
		return A_NONE;
	}
}

static long long
arg_int(struct args *a, int pos, bool wide)
{
	if (a->pos)
		return a->pos[pos ? pos - 1 : a->next++].i;
	return wide ? va_arg(a->ap, long long) : va_arg(a->ap, int);
}

static double
arg_double(struct args *a, int pos)
{
	if (a->pos)
		return a->pos[pos ? pos - 1 : a->next++].d;
	return va_arg(a->ap, double);
}

static long double
arg_ldouble(struct args *a, int pos)
{
	if (a->pos)
		return a->pos[pos ? pos - 1 : a->next++].ld;
	return va_arg(a->ap, long double);
}

static void *
arg_ptr(struct args *a, int pos)
{
	if (a->pos)
		return a->pos[pos ? pos - 1 : a->next++].p;
	return va_arg(a->ap, void *);
}

/* --- parsing ---------------------------------------------------------- */

static int
parse_num(const char **p)
{
	long n = 0;

	while (**p >= '0' && **p <= '9') {
		if (n < 0x7fffffff)
			n = n * 10 + (*(*p)++ - '0');
		else
			(*p)++;
	}
	return n > 0x7fffffff ? 0x7fffffff : (int)n;
}

/* "n$" after a number?  Returns n, or 0 and leaves *p alone. */
static int
parse_pos(const char **p)
{
	const char *q = *p;
	int n;

	if (*q < '1' || *q > '9')
		return 0;
	n = parse_num(&q);
	if (*q != '$')
		return 0;
	*p = q + 1;
	return n;
}

/* fmt points after '%'; returns the conversion character's address. */
static const char *
parse_spec(const char *fmt, struct spec *s)
{
	s->flags = 0;
	s->width = 0, s->width_arg = 0;
	s->prec = -1, s->prec_arg = 0;
	s->len = L_NONE;
	s->argpos = parse_pos(&fmt);
	for (;; fmt++) {
		switch (*fmt) {
		case '-': s->flags |= F_MINUS; continue;
		case '+': s->flags |= F_PLUS; continue;
		case ' ': s->flags |= F_SPACE; continue;
		case '#': s->flags |= F_HASH; continue;
		case '0': s->flags |= F_ZERO; continue;
		case '\'': case 'I': continue;	/* grouping: none in the C locale */
		}
		break;
	}
	if (*fmt == '*') {
		fmt++;
		s->width_arg = parse_pos(&fmt);
		if (!s->width_arg)
			s->width_arg = -1;
	} else {
		s->width = parse_num(&fmt);
	}
	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			fmt++;
			s->prec_arg = parse_pos(&fmt);
			if (!s->prec_arg)
				s->prec_arg = -1;
		} else {
			s->prec = parse_num(&fmt);
		}
	}
	for (;; fmt++) {
		switch (*fmt) {
		case 'h': s->len = s->len == L_H ? L_HH : L_H; continue;
		case 'l': s->len = s->len == L_L ? L_LL : L_L; continue;
		case 'q': case 'j': case 'z': case 'Z': case 't': s->len = L_LL; continue;
		case 'L': s->len = L_BIG; continue;
		}
		break;
	}
	s->conv = *fmt;
	return fmt;
}

/* Positional mode: collect every argument's type, then read them in order. */
static bool
collect_positional(const char *fmt, va_list ap, union argval *vals)
{
	enum argtype types[MAXPOS] = { 0 };
	int max = 0;
	struct spec s;

	for (; *fmt; fmt++) {
		if (*fmt != '%')
			continue;
		fmt = parse_spec(fmt + 1, &s);
		if (s.conv == '%' || !s.conv) {
			if (!s.conv)
				break;
			continue;
		}
		if (s.argpos <= 0 || s.argpos > MAXPOS || s.width_arg > MAXPOS ||
		    s.prec_arg > MAXPOS || s.width_arg < 0 || s.prec_arg < 0)
			return false;	/* mixing %n$ with plain % is undefined */
		types[s.argpos - 1] = type_of(&s);
		max = MAX(max, s.argpos);
		if (s.width_arg) {
			types[s.width_arg - 1] = A_INT;
			max = MAX(max, s.width_arg);
		}
		if (s.prec_arg) {
			types[s.prec_arg - 1] = A_INT;
			max = MAX(max, s.prec_arg);
		}
	}
	for (int i = 0; i < max; i++) {
		switch (types[i]) {
		case A_INT: vals[i].i = va_arg(ap, int); break;
		case A_LONG: vals[i].i = va_arg(ap, long long); break;
		case A_DOUBLE: vals[i].d = va_arg(ap, double); break;
		case A_LDOUBLE: vals[i].ld = va_arg(ap, long double); break;
		case A_PTR: vals[i].p = va_arg(ap, void *); break;
		case A_NONE: return false;	/* a gap: its type is unknown */
		}
	}
	return true;
}

/* --- integers and strings --------------------------------------------- */

static void
pad_and_emit(struct out *o, const struct spec *s, const char *prefix, size_t plen,
	     long zeros, const char *body, size_t blen)
{
	long pad = (long)s->width - (long)plen - zeros - (long)blen;

	if (!(s->flags & (F_MINUS | F_ZERO)))
		out_pad(o, ' ', pad);
	out_mem(o, prefix, plen);
	if ((s->flags & (F_MINUS | F_ZERO)) == F_ZERO)
		out_pad(o, '0', pad);
	out_pad(o, '0', zeros);
	out_mem(o, body, blen);
	if (s->flags & F_MINUS)
		out_pad(o, ' ', pad);
}

static void
format_integer(struct out *o, const struct spec *s, unsigned long long v,
	       bool negative, int base)
{
	const char *digits = s->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = sizeof(tmp);
	const char *prefix = "";
	struct spec t = *s;
	long zeros = 0;

	while (v) {
		tmp[--n] = digits[v % base];
		v /= base;
	}
	if (t.prec < 0)
		t.prec = 1;
	else
		t.flags &= ~F_ZERO;
	if (t.prec > (int)sizeof(tmp) - n)
		zeros = t.prec - ((int)sizeof(tmp) - n);
	if (negative)
		prefix = "-";
	else if (t.flags & F_PLUS)
		prefix = "+";
	else if (t.flags & F_SPACE)
		prefix = " ";
	if ((t.flags & F_HASH) && base == 8 && zeros == 0 && (n == (int)sizeof(tmp) || tmp[n] != '0'))
		zeros = 1;
	if ((t.flags & F_HASH) && base == 16 && n < (int)sizeof(tmp)) {
		/* only %p keeps a sign flag here: "+0x1" */
		static const char *const hex[2][3] = {
			{ "0x", "+0x", " 0x" }, { "0X", "+0X", " 0X" },
		};
		prefix = hex[s->conv == 'X'][*prefix == '+' ? 1 : *prefix == ' ' ? 2 : 0];
	}
	pad_and_emit(o, &t, prefix, strlen(prefix), zeros, tmp + n, sizeof(tmp) - n);
}

static void
format_string(struct out *o, const struct spec *s0, const char *str)
{
	struct spec t = *s0, *s = &t;
	size_t n;

	t.flags &= ~F_ZERO;	/* glibc pads strings with spaces only */
	if (!str)
		str = s->prec < 0 || s->prec >= 6 ? "(null)" : "";
	n = s->prec < 0 ? strlen(str) : strnlen(str, s->prec);
	pad_and_emit(o, s, "", 0, 0, str, n);
}

/* Wide characters in the C locale: ASCII only, like glibc's wcrtomb there. */
static int
format_wide(struct out *o, const struct spec *s, const int *ws, int wc, bool one)
{
	char small[64] = { 0 }, *buf = small;
	size_t n = 0, cap = sizeof(small);
	struct spec t = *s;

	if (!one && !ws) {
		format_string(o, s, NULL);
		return 0;
	}
	for (size_t i = 0;; i++) {
		int c = one ? wc : ws[i];
		char mb[6];
		int k;

		if (!one && !c)
			break;
		k = libc_wc_encode(mb, (u32)c);	/* the current LC_CTYPE's encoding */
		if (k < 0) {
			if (buf != small)
				free(buf);
			errno = EILSEQ;
			return -1;
		}
		/* the precision counts bytes, and only whole characters go in */
		if (!one && t.prec >= 0 && n + k > (size_t)t.prec)
			break;
		if (n + k > cap) {
			char *nb = malloc(cap * 2);
			if (!nb) {
				if (buf != small)
					free(buf);
				errno = ENOMEM;
				return -1;
			}
			memcpy(nb, buf, n);
			if (buf != small)
				free(buf);
			buf = nb, cap *= 2;
		}
		memcpy(buf + n, mb, k);
		n += k;
		if (one)
			break;
	}
	t.prec = -1;
	t.flags &= ~F_ZERO;
	pad_and_emit(o, &t, "", 0, 0, buf, n);
	if (buf != small)
		free(buf);
	return 0;
}

/* --- floating point --------------------------------------------------- */

static void
emit_digits(struct out *o, const struct fp_dec *d, int from, long count)
{
	for (long i = 0; i < count; i++) {
		long k = from + i;
		out_char(o, k >= 0 && k < d->n ? d->digits[k] : '0');
	}
}

static int
exp_len(int x)
{
	x = x < 0 ? -x : x;
	return x >= 1000 ? 4 : x >= 100 ? 3 : 2;
}

static void
emit_exp(struct out *o, char e, int x)
{
	char tmp[8];
	int n = 0, u = x < 0 ? -x : x;

	out_char(o, e);
	out_char(o, x < 0 ? '-' : '+');
	do {
		tmp[n++] = '0' + u % 10;
		u /= 10;
	} while (u);
	if (n < 2)
		tmp[n++] = '0';
	while (n)
		out_char(o, tmp[--n]);
}

static void
pad_before(struct out *o, const struct spec *s, const char *prefix, long body)
{
	long pad = (long)s->width - (long)strlen(prefix) - body;

	if (!(s->flags & (F_MINUS | F_ZERO)))
		out_pad(o, ' ', pad);
	out_mem(o, prefix, strlen(prefix));
	if ((s->flags & (F_MINUS | F_ZERO)) == F_ZERO)
		out_pad(o, '0', pad);
}

static void
pad_after(struct out *o, const struct spec *s, const char *prefix, long body)
{
	if (s->flags & F_MINUS)
		out_pad(o, ' ', (long)s->width - (long)strlen(prefix) - body);
}

/* Fixed notation: keeps d->e10 + prec digits; `strip' drops trailing zeros
 * of the fraction (%g without #). */
static void
emit_fixed(struct out *o, const struct spec *s, const char *prefix,
	   struct fp_dec *d, int prec, bool strip)
{
	long ilen, flen, body;
	bool point;

	fp_round(d, d->e10 + prec);
	if (strip) {
		long last = d->zero ? 0 : d->n - d->e10;	/* fraction digits in use */
		prec = last < 0 ? 0 : MIN(prec, last);
	}
	ilen = d->e10 > 0 && !d->zero ? d->e10 : 1;
	point = prec > 0 || (s->flags & F_HASH);
	flen = prec;
	body = ilen + point + flen;
	pad_before(o, s, prefix, body);
	if (d->e10 > 0 && !d->zero)
		emit_digits(o, d, 0, ilen);
	else
		out_char(o, '0');
	if (point)
		out_char(o, '.');
	emit_digits(o, d, d->e10, flen);	/* a zero's digits are all '0' */
	pad_after(o, s, prefix, body);
}

/* `alt_g': %#g in exponent style, where glibc prints only "1." when an
 * exact tie rounded up into a new leading digit (999999.5 -> "1.e+06",
 * but 999999.7 -> "1.00000e+06"); glibc is the reference, so its output
 * is reproduced. */
static void
emit_exponent(struct out *o, const struct spec *s, const char *prefix,
	      struct fp_dec *d, int prec, bool strip, bool upper, bool alt_g)
{
	long body;
	int x, e10 = d->e10;
	bool point;

	fp_round(d, prec + 1);
	x = d->zero ? 0 : d->e10 - 1;
	if (alt_g && d->e10 != e10 && d->tie_up)
		prec = 0;
	if (strip)
		prec = MIN(prec, d->n - 1);
	point = prec > 0 || (s->flags & F_HASH);
	body = 1 + point + prec + 2 + exp_len(x);
	pad_before(o, s, prefix, body);
	emit_digits(o, d, 0, 1);
	if (point)
		out_char(o, '.');
	emit_digits(o, d, 1, prec);
	emit_exp(o, upper ? 'E' : 'e', x);
	pad_after(o, s, prefix, body);
}

static void
emit_hex(struct out *o, const struct spec *s, const char *sign, const struct fp_parts *p)
{
	const char *xd = s->conv == 'A' ? "0123456789ABCDEF" : "0123456789abcdef";
	char prefix[4], frac[20];
	u64 m = p->mant;
	int lead, e, nf, prec = s->prec;
	long body;
	bool point;

	/* double: 1 (or 0 for subnormals) . 13 hex digits; long double: the
	 * top 4 bits lead, 15 hex digits follow (glibc's x86 layout). */
	if (p->hexbits == 53) {
		lead = m >> 52;
		m &= (1ULL << 52) - 1;
		nf = 13;
		e = m || lead ? p->exp2 + 52 : 0;
		if (!lead && m)
			e = -1022;
	} else {
		lead = m >> 60;
		m &= (1ULL << 60) - 1;
		nf = 15;
		e = lead || m ? p->exp2 + 60 : 0;
	}
	if (prec >= 0 && prec < nf) {
		/* Round to nearest, ties to even, on the dropped bits. */
		int drop = 4 * (nf - prec);
		u64 rest = m & ((1ULL << drop) - 1), half = 1ULL << (drop - 1);
		u64 kept = m >> drop;
		bool up = rest > half || (rest == half && ((prec ? kept : (u64)lead) & 1));

		m = kept;
		nf = prec;
		if (up) {
			m++;
			if (nf == 0 || m >> (4 * nf)) {
				m = nf ? m & ((1ULL << (4 * nf)) - 1) : 0;
				lead++;
			}
		}
	}
	for (int i = nf - 1; i >= 0; i--, m >>= 4)
		frac[i] = xd[m & 15];
	if (prec < 0)
		while (nf > 0 && frac[nf - 1] == '0')
			nf--;
	point = nf > 0 || prec > 0 || (s->flags & F_HASH);
	snprintf(prefix, sizeof(prefix), "%s0%c", sign, s->conv == 'A' ? 'X' : 'x');
	{
		int ue = e < 0 ? -e : e;
		body = 1 + (lead > 15) + point + MAX(nf, prec) + 3 +
		       (ue >= 10000 ? 4 : ue >= 1000 ? 3 : ue >= 100 ? 2 : ue >= 10 ? 1 : 0);
	}
	pad_before(o, s, prefix, body);
	if (lead > 15)
		out_char(o, '1'), lead -= 16;
	out_char(o, xd[lead]);
	if (point)
		out_char(o, '.');
	out_mem(o, frac, nf);
	out_pad(o, '0', prec - nf);
	{
		char tmp[8];
		int n = 0, ue = e < 0 ? -e : e;

		out_char(o, s->conv == 'A' ? 'P' : 'p');
		out_char(o, e < 0 ? '-' : '+');
		do {
			tmp[n++] = '0' + ue % 10;
			ue /= 10;
		} while (ue);
		while (n)
			out_char(o, tmp[--n]);
	}
	pad_after(o, s, prefix, body);
}

/* noinline: its digit buffers (1.5 KiB) only occupy the stack for floats */
static __attribute__((noinline)) int
format_float(struct out *o, const struct spec *s, const struct fp_parts *p)
{
	const char *sign = p->neg ? "-" : s->flags & F_PLUS ? "+" : s->flags & F_SPACE ? " " : "";
	bool upper = s->conv == 'E' || s->conv == 'F' || s->conv == 'G' || s->conv == 'A';
	int prec = s->prec < 0 ? 6 : s->prec;
	char sdigits[1100], *digits = sdigits;
	u32 slimbs[130], *limbs = slimbs;
	struct fp_dec d;
	size_t bound;

	if (p->inf || p->nan) {
		struct spec t = *s;
		const char *w = p->inf ? (upper ? "INF" : "inf") : (upper ? "NAN" : "nan");

		t.flags &= ~F_ZERO;
		pad_before(o, &t, sign, 3);
		out_mem(o, w, 3);
		pad_after(o, &t, sign, 3);
		return 0;
	}
	if (s->conv == 'a' || s->conv == 'A') {
		emit_hex(o, s, sign, p);
		return 0;
	}
	bound = fp_digits_bound(p);
	if (bound > sizeof(sdigits)) {	/* long doubles far from 1 */
		digits = malloc(bound + bound / 9 * 4 + 64);
		if (!digits) {
			errno = ENOMEM;
			return -1;
		}
		limbs = (u32 *)ALIGN_UP((uintptr_t)(digits + bound), 4);
	}
	fp_decimal(p, &d, digits, limbs);
	switch (s->conv) {
	case 'f':
	case 'F':
		emit_fixed(o, s, sign, &d, prec, false);
		break;
	case 'e':
	case 'E':
		emit_exponent(o, s, sign, &d, prec, false, upper, false);
		break;
	default: {	/* g, G: style by the exponent after rounding to P digits */
		int P = prec ? prec : 1, x = d.zero ? 0 : d.e10 - 1;

		/* Rounding to P digits moves the exponent only for 99..9|5.. */
		if (!d.zero && d.n > P && d.digits[P] >= '5') {
			int i = 0;
			while (i < P && d.digits[i] == '9')
				i++;
			x += i == P;
		}
		if (P > x && x >= -4)
			emit_fixed(o, s, sign, &d, P - 1 - x, !(s->flags & F_HASH));
		else
			emit_exponent(o, s, sign, &d, P - 1, !(s->flags & F_HASH), s->conv == 'G',
				      s->flags & F_HASH);
		break;
	}
	}
	if (digits != sdigits)
		free(digits);
	return 0;
}

/* --- the driver ------------------------------------------------------- */

static int
format(struct out *o, const char *fmt, struct args *a)
{
	for (; *fmt; fmt++) {
		struct spec s;
		const char *start = fmt;
		unsigned long long u;
		long long v;
		int base;

		if (*fmt != '%') {
			const char *pct = strchrnul(fmt, '%');
			out_mem(o, fmt, pct - fmt);
			fmt = pct - 1;
			continue;
		}
		fmt = parse_spec(fmt + 1, &s);
		if (s.width_arg) {
			s.width = (int)arg_int(a, s.width_arg > 0 ? s.width_arg : 0, false);
			if (s.width < 0) {
				s.flags |= F_MINUS;
				s.width = s.width == -0x7fffffff - 1 ? 0x7fffffff : -s.width;
			}
		}
		if (s.prec_arg) {
			s.prec = (int)arg_int(a, s.prec_arg > 0 ? s.prec_arg : 0, false);
			if (s.prec < 0)
				s.prec = -1;
		}
		switch (s.conv) {
		case 'd':
		case 'i':
			v = arg_int(a, s.argpos, s.len >= L_L);
			if (s.len == L_H)
				v = (short)v;
			else if (s.len == L_HH)
				v = (signed char)v;
			else if (s.len < L_L)
				v = (int)v;
			u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
			format_integer(o, &s, u, v < 0, 10);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = arg_int(a, s.argpos, s.len >= L_L);
			if (s.len == L_H)
				u = (unsigned short)u;
			else if (s.len == L_HH)
				u = (unsigned char)u;
			else if (s.len < L_L)
				u = (unsigned int)u;
			base = s.conv == 'u' ? 10 : s.conv == 'o' ? 8 : 16;
			s.flags &= ~(F_PLUS | F_SPACE);
			format_integer(o, &s, u, false, base);
			break;
		case 'p':
			u = (uintptr_t)arg_ptr(a, s.argpos);
			if (!u) {
				s.prec = -1;
				format_string(o, &s, "(nil)");
			} else {
				s.flags |= F_HASH;
				s.conv = 'x';
				format_integer(o, &s, u, false, 16);
			}
			break;
		case 'c':
		case 'C':
			if (s.len == L_L || s.conv == 'C') {
				if (format_wide(o, &s, NULL, (int)arg_int(a, s.argpos, false), true))
					return -1;
				break;
			} else {
				char c = (char)arg_int(a, s.argpos, false);
				s.prec = -1;
				s.flags &= ~F_ZERO;
				pad_and_emit(o, &s, "", 0, 0, &c, 1);
			}
			break;
		case 's':
		case 'S':
			if (s.len == L_L || s.conv == 'S') {
				if (format_wide(o, &s, arg_ptr(a, s.argpos), 0, false))
					return -1;
			} else {
				format_string(o, &s, arg_ptr(a, s.argpos));
			}
			break;
		case 'm':
			format_string(o, &s, strerror(errno));
			break;
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A': {
			struct fp_parts p;

			if (s.len == L_BIG)
				fp_from_long_double(arg_ldouble(a, s.argpos), &p);
			else
				fp_from_double(arg_double(a, s.argpos), &p);
			if (format_float(o, &s, &p))
				return -1;
			break;
		}
		case 'n':
			errno = EINVAL;	/* refused, see the top of this file */
			return -1;
		case '%':
			out_char(o, '%');
			break;
		case '\0':
			out_mem(o, start, fmt - start);
			fmt--;
			break;
		default:
			/* unknown conversion: printed as written, like glibc */
			out_mem(o, start, fmt + 1 - start);
			break;
		}
	}
	return 0;
}

/* Positional formats need every argument's value up front; kept out of
 * vsnprintf's own frame, which the core's kprintf uses on small stacks. */
static __attribute__((noinline)) int
format_positional(struct out *o, const char *fmt, struct args *a)
{
	union argval vals[MAXPOS];

	if (!collect_positional(fmt, a->ap, vals)) {
		errno = EINVAL;
		return -1;
	}
	a->pos = vals;
	return format(o, fmt, a);
}

static bool
is_positional(const char *fmt)
{
	const char *pct = strchr(fmt, '%');

	if (!pct || pct[1] < '1' || pct[1] > '9')
		return false;
	pct++;
	return parse_pos(&pct) != 0;
}

static int
format_any(struct out *o, const char *fmt, va_list ap)
{
	struct args a;
	int rc;

	va_copy(a.ap, ap);
	a.pos = NULL;
	a.next = 0;
	rc = is_positional(fmt) ? format_positional(o, fmt, &a) : format(o, fmt, &a);
	va_end(a.ap);
	return rc;
}

/* The output in chunks to SINK, with no heap and no length limit: the
 * core's console (which must print while the heap is what broke) and the
 * blobs' stdio both write through it.  A refused format (%n) fails after
 * the output before it was passed on. */
int
vformat(format_sink sink, void *ctx, const char *fmt, va_list ap)
{
	char chunk[256];
	struct out o = { chunk, sizeof(chunk), 0, sink, ctx, 0 };
	int rc = format_any(&o, fmt, ap);

	if (o.fill)
		sink(ctx, chunk, o.fill);
	return libc_printf_result(rc, o.len);
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0, NULL, NULL, 0 };
	int rc = format_any(&o, fmt, ap);

	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return libc_printf_result(rc, o.len);
}
EXPORT(vsnprintf, LIBC);

LIBC_VARIADIC(snprintf, (char *buf, size_t size, const char *fmt, ...), fmt, vsnprintf(buf, size, fmt, ap))
EXPORT(snprintf, LIBC);

int
vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, (size_t)0x7fffffff, fmt, ap);
}
EXPORT(vsprintf, LIBC);

LIBC_VARIADIC(sprintf, (char *buf, const char *fmt, ...), fmt, vsprintf(buf, fmt, ap))
EXPORT(sprintf, LIBC);

int
vasprintf(char **out, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return -1;
	*out = malloc(n + 1);
	if (!*out)
		return -1;
	return vsnprintf(*out, n + 1, fmt, ap);
}
EXPORT(vasprintf, LIBC);

LIBC_VARIADIC(asprintf, (char **out, const char *fmt, ...), fmt, vasprintf(out, fmt, ap))
EXPORT(asprintf, LIBC);
