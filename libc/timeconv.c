/* Broken-down time: gmtime/localtime (a blob's local time is UTC: there is
 * no zone database in the VMM, as glibc with TZ=UTC), mktime/timegm,
 * asctime/ctime and difftime, with glibc's range errors (EOVERFLOW when the
 * year does not fit tm_year's int).  The calendar is the proleptic
 * Gregorian one, by whole 400-year eras (146097 days) so any 64-bit
 * time_t converts without loops. */
#include "libc.h"
#include "timeconv.h"

#define INT_MAX_	2147483647
#define INT_MIN_	(-INT_MAX_ - 1)

/* <time.h>'s zone globals, as glibc sets them for TZ=UTC. */
char *tzname[2] = { (char *)"UTC", (char *)"UTC" };
long timezone;
int daylight;
EXPORT(tzname, LIBC);
EXPORT_ALIAS(tzname, __tzname, LIBC);
EXPORT(timezone, LIBC);
EXPORT_ALIAS(timezone, __timezone, LIBC);
EXPORT(daylight, LIBC);
EXPORT_ALIAS(daylight, __daylight, LIBC);

void
tzset(void)
{
}
EXPORT(tzset, LIBC);

static s64
floor_div(s64 a, s64 b)
{
	s64 q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days since 1970-01-01 of year-month-day (month 1..12), any year. */
s64
tc_days_from_civil(s64 y, unsigned m, unsigned d)
{
	s64 era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (s64)doe - 719468;
}

bool
tc_is_leap(s64 y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
tc_yday(s64 y, int mon, int mday)
{
	static const short before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };

	return before[mon] + (mon >= 2 && tc_is_leap(y)) + mday - 1;
}

struct tm *
tc_fill(s64 t, struct tm *tm, const char *zone)
{
	s64 days = t / 86400, secs = t % 86400;

	if (secs < 0) {		/* floor, without t - days * 86400 overflowing */
		secs += 86400;
		days--;
	}
	s64 z = days + 719468, era = floor_div(z, 146097);
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	s64 y = (s64)yoe + era * 400 + (m <= 2);

	if (y - 1900 > INT_MAX_ || y - 1900 < INT_MIN_) {
		errno = EOVERFLOW;
		return NULL;
	}
	tm->tm_sec = (int)(secs % 60);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_mday = (int)d;
	tm->tm_mon = (int)m - 1;
	tm->tm_year = (int)(y - 1900);
	tm->tm_wday = (int)(days + 4 - floor_div(days + 4, 7) * 7);
	tm->tm_yday = tc_yday(y, tm->tm_mon, tm->tm_mday);
	tm->tm_isdst = 0;
	tm->tm_gmtoff = 0;
	tm->tm_zone = zone;
	return tm;
}

struct tm *
gmtime_r(const time_t *t, struct tm *tm)
{
	return tc_fill(*t, tm, "GMT");
}
EXPORT(gmtime_r, LIBC);

struct tm *
localtime_r(const time_t *t, struct tm *tm)
{
	return tc_fill(*t, tm, "UTC");
}
EXPORT(localtime_r, LIBC);

static struct tm static_tm;	/* shared by gmtime and localtime, as glibc's */

struct tm *
gmtime(const time_t *t)
{
	return gmtime_r(t, &static_tm);
}
EXPORT(gmtime, LIBC);

struct tm *
localtime(const time_t *t)
{
	return localtime_r(t, &static_tm);
}
EXPORT(localtime, LIBC);

/* The seconds a (possibly unnormalised) broken-down time names: every
 * field is an int, so the sum stays far inside s64. */
void
tc_seconds(const struct tm *tm, s64 *out)
{
	s64 mon = tm->tm_mon, y = (s64)tm->tm_year + 1900 + floor_div(mon, 12);

	mon -= floor_div(mon, 12) * 12;
	s64 days = tc_days_from_civil(y, (unsigned)mon + 1, 1) + (s64)tm->tm_mday - 1;
	*out = days * 86400 + (s64)tm->tm_hour * 3600 + (s64)tm->tm_min * 60 + tm->tm_sec;
}

static time_t
normalise(struct tm *tm, const char *zone, bool local)
{
	struct tm out;
	s64 t;

	tc_seconds(tm, &t);
	/* UTC has no summer time; glibc's mktime still takes tm_isdst > 0
	 * to mean the fields are an hour ahead. */
	if (local && tm->tm_isdst > 0)
		t -= 3600;
	if (!tc_fill(t, &out, zone)) {
		errno = EOVERFLOW;
		return -1;
	}
	*tm = out;
	return t;
}

time_t
mktime(struct tm *tm)
{
	return normalise(tm, "UTC", true);
}
EXPORT(mktime, LIBC);
EXPORT_ALIAS(mktime, timelocal, LIBC);

time_t
timegm(struct tm *tm)
{
	tm->tm_isdst = 0;	/* even when it fails, as glibc */
	return normalise(tm, "GMT", false);
}
EXPORT(timegm, LIBC);

/* C-locale day and month names, shared with strftime and strptime. */
const char *const tc_day_name[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};
const char *const tc_month_name[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static char *
format_asctime(const struct tm *tm, char *buf, size_t size)
{
	int n;

	if (tm->tm_year > INT_MAX_ - 1900) {
		errno = EOVERFLOW;
		return NULL;
	}
	n = snprintf(buf, size, "%.3s %.3s%3d %.2d:%.2d:%.2d %d\n",
		     tm->tm_wday < 0 || tm->tm_wday >= 7 ? "???" : tc_day_name[tm->tm_wday],
		     tm->tm_mon < 0 || tm->tm_mon >= 12 ? "???" : tc_month_name[tm->tm_mon],
		     tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, 1900 + tm->tm_year);
	if (n < 0)
		return NULL;
	if ((size_t)n >= size) {
		errno = EOVERFLOW;
		return NULL;
	}
	return buf;
}

/* asctime_r's caller gives 26 bytes; asctime's own buffer takes any year. */
char *
asctime_r(const struct tm *tm, char *buf)
{
	return format_asctime(tm, buf, 26);
}
EXPORT(asctime_r, LIBC);

static char asctime_buf[3 + 1 + 3 + 1 + 20 + 1 + 20 + 1 + 20 + 1 + 20 + 1 + 20 + 1 + 1];

char *
asctime(const struct tm *tm)
{
	return format_asctime(tm, asctime_buf, sizeof(asctime_buf));
}
EXPORT(asctime, LIBC);

char *
ctime_r(const time_t *t, char *buf)
{
	struct tm tm;

	return localtime_r(t, &tm) ? asctime_r(&tm, buf) : NULL;
}
EXPORT(ctime_r, LIBC);

char *
ctime(const time_t *t)
{
	struct tm *tm = localtime(t);

	return tm ? asctime(tm) : NULL;
}
EXPORT(ctime, LIBC);

/* Exact in x87 long double (64-bit mantissa holds any time_t), then
 * rounded to double, as glibc on x86-64. */
double
difftime(time_t t1, time_t t0)
{
	return (double)((long double)t1 - (long double)t0);
}
EXPORT(difftime, LIBC);
