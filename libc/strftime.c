/* strftime in the C locale with glibc 2.36's rules (measured against it):
 * flags '_' (space padding), '-' (no zero padding), '0' (zero padding),
 * '^' (upper case) and '#' (names: %a %A %b %B %h upper, %p %Z lower);
 * a width raises a number's minimum digits (zeros, or spaces for '_'; a
 * sign before zeros, after spaces) and pads any other result on the left
 * with spaces (zeros for '0'), '-' included.  E and O are accepted where
 * glibc accepts them and change nothing in the C locale.  A conversion
 * glibc does not know is copied from its '%' as written (still padded);
 * %z is the sign and four digits, each padded on its own, as glibc does.
 * Composites (%c %D %F %r %R %T %x %X) expand their C-locale definition
 * and pad the whole.  Returns 0 when the text and its NUL do not fit. */
#include "timeconv.h"

struct out {
	char *p;
	size_t max, len;	/* len counts what would have been written */
};

struct spec {
	char pad;		/* 0, '_', '-', '0' */
	int width;		/* -1: none */
	bool upper, lower;
};

static void
put(struct out *o, char c)
{
	if (o->p && o->len + 1 < o->max)
		o->p[o->len] = c;
	o->len++;
}

/* Left padding to the width; stops once past the buffer (the result is 0
 * then anyway), so a width near INT_MAX costs nothing. */
static void
pad_to(struct out *o, const struct spec *s, size_t n)
{
	for (size_t k = n; (int)k < s->width && o->len <= o->max; k++)
		put(o, s->pad == '0' ? '0' : ' ');
}

static char
recase(const struct spec *s, char c)
{
	if (s->lower && c >= 'A' && c <= 'Z')	/* lower wins, as glibc's */
		return c + 32;
	if (s->upper && c >= 'a' && c <= 'z')
		return c - 32;
	return c;
}

static void
put_text(struct out *o, const struct spec *s, const char *t, size_t n)
{
	pad_to(o, s, n);
	for (size_t k = 0; k < n; k++)
		put(o, recase(s, t[k]));
}

/* glibc's do_number: at least `digits' characters (sign included) unless
 * '-', then the width over what is left. */
static void
number(struct out *o, const struct spec *s0, int digits, s64 v)
{
	char buf[24], *b = buf + sizeof(buf);
	struct spec s = *s0;
	u64 u = v < 0 ? -(u64)v : (u64)v;
	int len, padding;

	do {
		*--b = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--b = '-';
	len = (int)(buf + sizeof(buf) - b);
	padding = s.pad == '-' ? 0 : digits - len;
	if (padding > 0) {
		int used = padding;

		if (s.pad != '_' && v < 0)	/* the sign before the zeros */
			put(o, *b++), len--, used++;
		for (int k = 0; k < padding && o->len <= o->max; k++)
			put(o, s.pad == '_' ? ' ' : '0');
		s.width = s.width > used ? s.width - used : 0;
	}
	put_text(o, &s, b, (size_t)len);
}

static void
num(struct out *o, const struct spec *s, int digits, int v)
{
	number(o, s, digits > s->width ? digits : s->width, v);
}

static void
num_space(struct out *o, const struct spec *s, int digits, int v)
{
	struct spec t = *s;

	if (t.pad != '0' && t.pad != '-')
		t.pad = '_';
	num(o, &t, digits, v);
}

/* int sums as glibc computes them: wrapping, not trapping, far out of range */
static int
wsum(int a, int b)
{
	return (int)((unsigned)a + (unsigned)b);
}

/* Days from the first day of ISO week 1 (the Monday of the week holding
 * the year's first Thursday) to year day yday, weekday wday. */
static int
iso_week_days(int yday, int wday)
{
	int t = (int)((unsigned)yday - (unsigned)wday + 382u) % 7;

	return (int)((unsigned)yday - (unsigned)t + 3u);
}

static void
iso_year_week(const struct tm *tm, int *year, int *week)
{
	int y = wsum(tm->tm_year, 1900);
	int days = iso_week_days(tm->tm_yday, tm->tm_wday);

	if (days < 0) {
		y = wsum(y, -1);
		days = iso_week_days(wsum(tm->tm_yday, 365 + tc_is_leap(y)), tm->tm_wday);
	} else {
		int d = iso_week_days(wsum(tm->tm_yday, -(365 + tc_is_leap(y))), tm->tm_wday);

		if (d >= 0) {
			y = wsum(y, 1);
			days = d;
		}
	}
	*year = y;
	*week = days / 7 + 1;
}

static size_t format(struct out *o, const char *fmt, const struct tm *tm, bool upper);

static void
composite(struct out *o, const struct spec *s, const char *sub, const struct tm *tm)
{
	struct out probe = { NULL, (size_t)-1, 0 };	/* counts only */

	pad_to(o, s, format(&probe, sub, tm, s->upper));
	format(o, sub, tm, s->upper);
}

static const char *
name_or_q(const char *const *names, int n, int i)
{
	return i < 0 || i >= n ? "?" : names[i];
}

/* Where glibc refuses a modifier: E on these, O on those, and any on the
 * rest of the list. */
static bool
modifier_refused(char mod, char c)
{
	if (mod == 'E')
		return strchr("bhBdeHIklmMSjUVwWgG", c) || strchr("aADF%", c);
	if (mod == 'O')
		return strchr("cxXY", c) || strchr("aADF%", c);
	return false;
}

/* One conversion; false if glibc does not know it (the caller copies it). */
static bool
convert(struct out *o, struct spec *s, char mod, char c, const struct tm *tm, bool swap)
{
	const char *t;
	int v;

	if (!c || !strchr("%ntaAbhBpPcDxFrRTXCyYGgVdeHkIljmMSuwUWszZ", c) || modifier_refused(mod, c))
		return false;
	switch (c) {
	case '%':
	case 'n':
	case 't':
		put_text(o, s, c == '%' ? "%" : c == 'n' ? "\n" : "\t", 1);
		return true;
	case 'a':
	case 'A':
		if (swap)
			s->upper = true;
		t = name_or_q(tc_day_name, 7, tm->tm_wday);
		put_text(o, s, t, c == 'a' && t[1] ? 3 : strlen(t));
		return true;
	case 'b':
	case 'h':
	case 'B':
		if (swap)
			s->upper = true, s->lower = false;
		t = name_or_q(tc_month_name, 12, tm->tm_mon);
		put_text(o, s, t, c != 'B' && t[1] ? 3 : strlen(t));
		return true;
	case 'p':
	case 'P':
		if (swap || c == 'P')
			s->upper = false, s->lower = true;
		put_text(o, s, tm->tm_hour > 11 ? "PM" : "AM", 2);
		return true;
	case 'c':
		composite(o, s, "%a %b %e %H:%M:%S %Y", tm);
		return true;
	case 'D':
	case 'x':
		composite(o, s, "%m/%d/%y", tm);
		return true;
	case 'F':
		composite(o, s, "%Y-%m-%d", tm);
		return true;
	case 'r':
		composite(o, s, "%I:%M:%S %p", tm);
		return true;
	case 'R':
		composite(o, s, "%H:%M", tm);
		return true;
	case 'T':
	case 'X':
		composite(o, s, "%H:%M:%S", tm);
		return true;
	case 'C':
		v = wsum(tm->tm_year, 1900);
		num(o, s, 1, v / 100 - (v % 100 < 0));
		return true;
	case 'y':
		num(o, s, 2, (tm->tm_year % 100 + 100) % 100);
		return true;
	case 'Y':
		num(o, s, 1, wsum(tm->tm_year, 1900));
		return true;
	case 'G':
	case 'g':
	case 'V': {
		int iy, week;

		iso_year_week(tm, &iy, &week);
		if (c == 'V')
			num(o, s, 2, week);
		else if (c == 'G')
			num(o, s, 1, iy);
		else
			num(o, s, 2, (iy % 100 + 100) % 100);
		return true;
	}
	case 'd':
		num(o, s, 2, tm->tm_mday);
		return true;
	case 'e':
		num_space(o, s, 2, tm->tm_mday);
		return true;
	case 'H':
		num(o, s, 2, tm->tm_hour);
		return true;
	case 'k':
		num_space(o, s, 2, tm->tm_hour);
		return true;
	case 'I':
	case 'l':
		v = tm->tm_hour > 12 ? tm->tm_hour - 12 : tm->tm_hour == 0 ? 12 : tm->tm_hour;
		if (c == 'I')
			num(o, s, 2, v);
		else
			num_space(o, s, 2, v);
		return true;
	case 'j':
		num(o, s, 3, wsum(tm->tm_yday, 1));
		return true;
	case 'm':
		num(o, s, 2, wsum(tm->tm_mon, 1));
		return true;
	case 'M':
		num(o, s, 2, tm->tm_min);
		return true;
	case 'S':
		num(o, s, 2, tm->tm_sec);
		return true;
	case 'u':
		num(o, s, 1, (tm->tm_wday - 1 + 7) % 7 + 1);
		return true;
	case 'w':
		num(o, s, 1, tm->tm_wday);
		return true;
	case 'U':
		num(o, s, 2, wsum(tm->tm_yday, 7 - tm->tm_wday) / 7);
		return true;
	case 'W':
		num(o, s, 2, wsum(tm->tm_yday, 7 - (tm->tm_wday - 1 + 7) % 7) / 7);
		return true;
	case 's': {
		struct tm copy = *tm;
		s64 secs;

		tc_seconds(&copy, &secs);
		/* mktime's value; one digit minimum: a width only pads */
		number(o, s, 1, copy.tm_isdst > 0 ? secs - 3600 : secs);
		return true;
	}
	case 'z': {
		long off = tm->tm_gmtoff;

		if (tm->tm_isdst < 0)
			return true;
		put_text(o, s, off < 0 ? "-" : "+", 1);
		off = (off < 0 ? -off : off) / 60;
		num(o, s, 4, (int)(off / 60 * 100 + off % 60));
		return true;
	}
	case 'Z':
		if (swap)
			s->upper = false, s->lower = true;
		t = tm->tm_zone;
		if ((!t || !*t) && tm->tm_isdst >= 0)
			t = tzname[tm->tm_isdst != 0];
		if (!t)
			t = "";
		put_text(o, s, t, strlen(t));
		return true;
	}
	return false;
}

static size_t
format(struct out *o, const char *fmt, const struct tm *tm, bool upper)
{
	size_t start = o->len;

	for (const char *f = fmt; *f; f++) {
		const char *pct = f;
		struct spec s = { 0, -1, upper, false };
		bool swap = false;
		char mod = 0;

		if (*f != '%') {
			put(o, *f);
			continue;
		}
		for (f++;; f++) {
			if (*f == '_' || *f == '-' || *f == '0')
				s.pad = *f;
			else if (*f == '^')
				s.upper = true;
			else if (*f == '#')
				swap = true;
			else
				break;
		}
		if (*f >= '0' && *f <= '9') {
			s.width = 0;
			for (; *f >= '0' && *f <= '9'; f++)
				s.width = s.width > 0x7fffffff / 10 ? 0x7fffffff : s.width * 10 + (*f - '0');
		}
		if (*f == 'E' || *f == 'O')
			mod = *f++;
		if (convert(o, &s, mod, *f, tm, swap))
			continue;
		if (!*f)
			f--;	/* '%...' at the end: copied, and the loop ends */
		else if (swap && strchr("bhB", *f))
			s.upper = true;	/* glibc sets the case before refusing E */
		/* glibc copies back to the nearest '%' (one char for "%%"-like
		 * ends such as "%-7O%"), padded to the width */
		for (pct = f; *pct != '%'; pct--)
			;
		put_text(o, &s, pct, (size_t)(f - pct + 1));
	}
	return o->len - start;
}

size_t
strftime(char *buf, size_t max, const char *fmt, const struct tm *tm)
{
	struct out o = { buf, max, 0 };

	format(&o, fmt, tm, false);
	if (o.len >= max)
		return 0;
	buf[o.len] = '\0';
	return o.len;
}
EXPORT(strftime, LIBC);
