/* Private to libc/: the calendar shared by timeconv.c, strftime.c and
 * strptime.c, and glibc's struct tm (56 bytes on x86-64). */
#ifndef LIBC_TIMECONV_H
#define LIBC_TIMECONV_H

#include "libc.h"

struct tm {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday, tm_isdst;
	long tm_gmtoff;
	const char *tm_zone;
};
_Static_assert(sizeof(struct tm) == 56, "glibc's struct tm");

extern char *tzname[2];
extern const char *const tc_day_name[7];
extern const char *const tc_month_name[12];

s64 tc_days_from_civil(s64 y, unsigned m, unsigned d);
bool tc_is_leap(s64 y);
int tc_yday(s64 y, int mon, int mday);
struct tm *tc_fill(s64 t, struct tm *tm, const char *zone);
void tc_seconds(const struct tm *tm, s64 *out);

struct tm *gmtime_r(const time_t *t, struct tm *tm);
struct tm *localtime_r(const time_t *t, struct tm *tm);
struct tm *gmtime(const time_t *t);
struct tm *localtime(const time_t *t);
time_t mktime(struct tm *tm);
time_t timegm(struct tm *tm);
char *asctime_r(const struct tm *tm, char *buf);
char *asctime(const struct tm *tm);
char *ctime_r(const time_t *t, char *buf);
char *ctime(const time_t *t);
double difftime(time_t t1, time_t t0);
void tzset(void);
size_t strftime(char *s, size_t max, const char *fmt, const struct tm *tm);
char *strptime(const char *s, const char *fmt, struct tm *tm);

#endif
