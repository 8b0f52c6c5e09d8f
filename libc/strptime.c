/* strptime in the C locale with glibc's rules: white space in the format
 * matches any run of input white space, numbers skip leading white space
 * and take at most their width of digits (stopping early when another
 * digit would leave the range), names match full or abbreviated, any
 * case; flags and widths in the format are read and ignored, E is a
 * no-op and so is the first O (see parse).  Only the fields a conversion names are written, and at the end
 * glibc's derived fields: the hour from %I and %p, the year from %C, the
 * weekday and year day from a date, and a date from %U/%W with a weekday.
 * Returns the first unparsed character, NULL when the input does not
 * match. */
#include "timeconv.h"

struct pstate {
	bool have_I, is_pm, have_wday, have_yday, have_mon, have_mday;
	bool have_uweek, have_wweek, want_century, want_xday;
	int century, week_no;
	bool alt_number_seen;	/* glibc parses only one O-number per call */
};

static bool
space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool
match(const char **rp, const char *word, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (lower((*rp)[k]) != lower(word[k]))
			return false;
	*rp += n;
	return true;
}

/* Full name first, then its first three letters. */
static int
match_name(const char **rp, const char *const *names, int count)
{
	for (int i = 0; i < count; i++)
		if (match(rp, names[i], strlen(names[i])) || match(rp, names[i], 3))
			return i;
	return -1;
}

static bool
number(const char **rp, int from, int to, int width, int *val)
{
	const char *p = *rp;
	int v = 0;

	while (space(*p))
		p++;
	if (*p < '0' || *p > '9')
		return false;
	do
		v = v * 10 + (*p++ - '0');
	while (--width > 0 && v * 10 <= to && *p >= '0' && *p <= '9');
	if (v < from || v > to)
		return false;
	*val = v;
	*rp = p;
	return true;
}

/* Days before each month, common then leap year, as one flat table:
 * glibc's walk below runs past a row's end into the next, and a year day
 * out of range (from %U/%W) gives the month and day that walk gives. */
static const short mon_yday[26] = {
	0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365,
	0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366,
};

/* glibc's weekday formula (truncating divisions, a common-year table):
 * for year 0's January and February it differs from the calendar. */
static void
day_of_the_week(struct tm *tm)
{
	int corr_year = (int)(1900u + (unsigned)tm->tm_year - (tm->tm_mon < 2));
	int c4 = corr_year / 4;
	/* int arithmetic that wraps for huge years, as glibc's does */
	int wday = (int)(-473u + 365u * ((unsigned)tm->tm_year - 70u) + (unsigned)c4 - (unsigned)(c4 / 25) +
			 (c4 % 25 < 0) + (unsigned)(c4 / 25 / 4) + (unsigned)mon_yday[tm->tm_mon] +
			 (unsigned)tm->tm_mday - 1u);

	tm->tm_wday = (wday % 7 + 7) % 7;
}

static void
date_from_yday(struct tm *tm, bool set_mon, bool set_mday)
{
	int base = tc_is_leap((s64)tm->tm_year + 1900) ? 13 : 0, m = 0;

	while (base + m < 26 && mon_yday[base + m] <= tm->tm_yday)
		m++;
	if (set_mon)
		tm->tm_mon = m - 1;
	/* m == 0: the entry before the row (the common row's 365 for a leap
	 * year; 0, as measured, before the common row) */
	if (set_mday)
		tm->tm_mday = tm->tm_yday - (m ? mon_yday[base + m - 1] : base ? 365 : 0) + 1;
}

static const char *parse(const char *rp, const char *fmt, struct tm *tm, struct pstate *s);

static const char *
conv(const char *rp, char c, bool alt, struct tm *tm, struct pstate *s)
{
	int v, i;

	switch (c) {
	case '%':
		return *rp == '%' ? rp + 1 : NULL;
	case 'n':
	case 't':
		while (space(*rp))
			rp++;
		return rp;
	case 'a':
	case 'A':
		if ((i = match_name(&rp, tc_day_name, 7)) < 0)
			return NULL;
		tm->tm_wday = i;
		s->have_wday = true;
		return rp;
	case 'b':
	case 'B':
	case 'h':
		if ((i = match_name(&rp, tc_month_name, 12)) < 0)
			return NULL;
		tm->tm_mon = i;
		s->have_mon = s->want_xday = true;
		return rp;
	case 'c':
		s->want_xday = true;
		return parse(rp, "%a %b %e %H:%M:%S %Y", tm, s);
	case 'C':
		if (!number(&rp, 0, 99, 2, &v))
			return NULL;
		s->century = v;
		s->want_xday = true;
		return rp;
	case 'd':
	case 'e':
		if (!number(&rp, 1, 31, 2, &v))
			return NULL;
		tm->tm_mday = v;
		s->have_mday = s->want_xday = true;
		return rp;
	case 'F':
		s->want_xday = true;
		return parse(rp, "%Y-%m-%d", tm, s);
	case 'x':
	case 'D':
		s->want_xday = true;
		return parse(rp, "%m/%d/%y", tm, s);
	case 'k':
	case 'H':
		if (!number(&rp, 0, 23, 2, &v))
			return NULL;
		tm->tm_hour = v;
		s->have_I = false;
		return rp;
	case 'l':
	case 'I':
		if (!number(&rp, 1, 12, 2, &v))
			return NULL;
		tm->tm_hour = v % 12;
		s->have_I = true;
		return rp;
	case 'j':
		if (!number(&rp, 1, 366, 3, &v))
			return NULL;
		tm->tm_yday = v - 1;
		s->have_yday = true;
		return rp;
	case 'm':
		if (!number(&rp, 1, 12, 2, &v))
			return NULL;
		tm->tm_mon = v - 1;
		s->have_mon = s->want_xday = true;
		return rp;
	case 'M':
		if (!number(&rp, 0, 59, 2, &v))
			return NULL;
		tm->tm_min = v;
		return rp;
	case 'p':
		if (match(&rp, "AM", 2))
			s->is_pm = false;
		else if (match(&rp, "PM", 2))
			s->is_pm = true;
		else
			return NULL;
		return rp;
	case 'r':
		return parse(rp, "%I:%M:%S %p", tm, s);
	case 'R':
		return parse(rp, "%H:%M", tm, s);
	case 's': {
		u64 secs = 0;
		time_t t;

		if (*rp < '0' || *rp > '9')
			return NULL;
		do
			secs = secs * 10 + (u64)(*rp++ - '0');
		while (*rp >= '0' && *rp <= '9');
		t = (time_t)secs;
		return localtime_r(&t, tm) ? rp : NULL;
	}
	case 'S':
		if (!number(&rp, 0, 61, 2, &v))
			return NULL;
		tm->tm_sec = v;
		return rp;
	case 'X':
	case 'T':
		return parse(rp, "%H:%M:%S", tm, s);
	case 'u':
		if (!number(&rp, 1, 7, 1, &v))
			return NULL;
		tm->tm_wday = v % 7;
		s->have_wday = true;
		return rp;
	case 'g':
		return number(&rp, 0, 99, 2, &v) ? rp : NULL;	/* read, unused */
	case 'G':
		if (*rp < '0' || *rp > '9')
			return NULL;
		while (*rp >= '0' && *rp <= '9')
			rp++;
		return rp;
	case 'U':
	case 'W':
		if (!number(&rp, 0, 53, 2, &v))
			return NULL;
		s->week_no = v;
		if (c == 'U')	/* both seen: %U's rule wins, as glibc's */
			s->have_uweek = true;
		else
			s->have_wweek = true;
		return rp;
	case 'V':
		return number(&rp, 0, 53, 2, &v) ? rp : NULL;	/* read, unused */
	case 'w':
		if (!number(&rp, 0, 6, 1, &v))
			return NULL;
		tm->tm_wday = v;
		s->have_wday = true;
		return rp;
	case 'y':
		if (!number(&rp, 0, 99, 2, &v))
			return NULL;
		tm->tm_year = v >= 69 ? v : v + 100;	/* 69..99 -> 19xx, 00..68 -> 20xx */
		if (!alt)	/* glibc's %Oy does not ask for the century */
			s->want_century = true;
		s->want_xday = true;
		return rp;
	case 'Y':
		if (!number(&rp, 0, 9999, 4, &v))
			return NULL;
		tm->tm_year = v - 1900;
		s->want_century = false;
		s->want_xday = true;
		return rp;
	case 'Z':	/* a zone name: skipped, not converted */
		while (space(*rp))
			rp++;
		while (*rp && !space(*rp))
			rp++;
		return rp;
	case 'z': {
		bool neg;
		int n = 0;

		v = 0;
		while (space(*rp))
			rp++;
		if (*rp == 'Z') {
			tm->tm_gmtoff = 0;
			return rp + 1;
		}
		if (*rp != '+' && *rp != '-')
			return NULL;
		neg = *rp++ == '-';
		while (n < 4 && *rp >= '0' && *rp <= '9') {
			v = v * 10 + (*rp++ - '0');
			n++;
			if (*rp == ':' && n == 2 && rp[1] >= '0' && rp[1] <= '9')
				rp++;
		}
		if (n == 2)
			v *= 100;
		else if (n != 4 || v % 100 >= 60)
			return NULL;
		tm->tm_gmtoff = (v / 100) * 3600 + (v % 100) * 60;
		if (neg)
			tm->tm_gmtoff = -tm->tm_gmtoff;
		return rp;
	}
	}
	return NULL;
}

static const char *
parse(const char *rp, const char *fmt, struct tm *tm, struct pstate *s)
{
	while (*fmt) {
		char mod = 0;

		if (space(*fmt)) {
			while (space(*rp))
				rp++;
			fmt++;
			continue;
		}
		if (*fmt != '%') {
			if (*fmt++ != *rp++)
				return NULL;
			continue;
		}
		fmt++;
		while (*fmt == '-' || *fmt == '_' || *fmt == '0' || *fmt == '^' || *fmt == '#')
			fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			fmt++;
		if (*fmt == 'E' || *fmt == 'O')
			mod = *fmt++;
		if (mod == 'E' && !strchr("cCyYxX", *fmt))
			return NULL;
		if (mod == 'O' && !strchr("bBhdeHIMmSUWVwy", *fmt))
			return NULL;
		/* glibc's first O-modified number finds no alternative digits in
		 * the C locale and falls back to decimal, remembering that it
		 * did; every later one then fails. */
		if (mod == 'O' && !strchr("bBh", *fmt)) {
			if (s->alt_number_seen)
				return NULL;
			s->alt_number_seen = true;
		}
		if (!*fmt || !(rp = conv(rp, *fmt++, mod == 'O', tm, s)))
			return NULL;
	}
	return rp;
}

char *
strptime(const char *buf, const char *fmt, struct tm *tm)
{
	struct pstate s = { .century = -1 };
	const char *rp = parse(buf, fmt, tm, &s);

	if (!rp)
		return NULL;
	if (s.have_I && s.is_pm)
		tm->tm_hour += 12;
	if (s.century != -1)
		tm->tm_year = s.want_century ? tm->tm_year % 100 + (s.century - 19) * 100
					     : (s.century - 19) * 100;
	if (s.want_xday && !s.have_wday) {
		if (!(s.have_mon && s.have_mday) && s.have_yday) {
			date_from_yday(tm, !s.have_mon, !s.have_mday);
			s.have_mon = s.have_mday = true;
		}
		/* glibc indexes its month table with any tm_mon the walk left */
		if (tm->tm_year >= -1900 && (unsigned)tm->tm_mon < 26)
			day_of_the_week(tm);
	}
	if (s.want_xday && !s.have_yday && (s.have_mon || (unsigned)tm->tm_mon <= 11) &&
	    (unsigned)tm->tm_mon <= 11)
		tm->tm_yday = mon_yday[(tc_is_leap((s64)tm->tm_year + 1900) ? 13 : 0) + tm->tm_mon] +
			      tm->tm_mday - 1;
	if ((s.have_uweek || s.have_wweek) && s.have_wday) {
		int save_wday = tm->tm_wday, save_mday = tm->tm_mday, save_mon = tm->tm_mon;
		int w_offset = s.have_uweek ? 0 : 1;

		tm->tm_mday = 1;
		tm->tm_mon = 0;
		day_of_the_week(tm);
		if (s.have_mday)
			tm->tm_mday = save_mday;
		if (s.have_mon)
			tm->tm_mon = save_mon;
		if (!s.have_yday)
			tm->tm_yday = (7 - (tm->tm_wday - w_offset)) % 7 + (s.week_no - 1) * 7 +
				      (save_wday - w_offset + 7) % 7;
		if (!s.have_mday || !s.have_mon)
			date_from_yday(tm, !s.have_mon, !s.have_mday);
		tm->tm_wday = save_wday;
	}
	return (char *)rp;
}
EXPORT(strptime, LIBC);
