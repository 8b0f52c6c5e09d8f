/* Time conversion against glibc with TZ=UTC (a blob's local time is
 * UTC): gmtime/localtime over the whole time_t range, mktime/timegm over
 * unnormalised fields, asctime/ctime, difftime, strftime over random
 * format strings (every conversion, flag, width and modifier) and
 * strptime over strftime's output and over random text. */
#include "bv.h"
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct tm *bv_gmtime_r(const time_t *, struct tm *);
struct tm *bv_localtime_r(const time_t *, struct tm *);
struct tm *bv_gmtime(const time_t *);
struct tm *bv_localtime(const time_t *);
time_t bv_mktime(struct tm *);
time_t bv_timegm(struct tm *);
char *bv_asctime_r(const struct tm *, char *);
char *bv_asctime(const struct tm *);
char *bv_ctime_r(const time_t *, char *);
char *bv_ctime(const time_t *);
double bv_difftime(time_t, time_t);
size_t bv_strftime(char *, size_t, const char *, const struct tm *);
char *bv_strptime(const char *, const char *, struct tm *);

static int shown;
#define DIFF(cond, ...) do { if (cond) { bad++; if (shown++ < 16) printf("# " __VA_ARGS__); } } while (0)

static bool
tm_eq(const struct tm *a, const struct tm *b)
{
	return a->tm_sec == b->tm_sec && a->tm_min == b->tm_min && a->tm_hour == b->tm_hour &&
	       a->tm_mday == b->tm_mday && a->tm_mon == b->tm_mon && a->tm_year == b->tm_year &&
	       a->tm_wday == b->tm_wday && a->tm_yday == b->tm_yday && a->tm_isdst == b->tm_isdst &&
	       a->tm_gmtoff == b->tm_gmtoff &&
	       (a->tm_zone == b->tm_zone || (a->tm_zone && b->tm_zone && !strcmp(a->tm_zone, b->tm_zone)));
}

static const char *
tm_str(const struct tm *t)
{
	static char buf[4][160];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%d-%d-%d %d:%d:%d wday %d yday %d isdst %d off %ld %s",
		 t->tm_year, t->tm_mon, t->tm_mday, t->tm_hour, t->tm_min, t->tm_sec, t->tm_wday,
		 t->tm_yday, t->tm_isdst, t->tm_gmtoff, t->tm_zone ? t->tm_zone : "(null)");
	return buf[k];
}

static time_t
random_time(void)
{
	switch (rnd() % 4) {
	case 0:
		return (time_t)(rnd() % 8000000000ULL) - 2000000000LL;	/* 1906..2223 */
	case 1:
		return (time_t)rnd();	/* anywhere, often past int years */
	case 2:
		return (time_t)(rnd() % 135000000000000000ULL) - 67000000000000000LL;	/* near int's edge */
	default:
		return (time_t)(rnd() % 200000) - 100000;
	}
}

static void
test_broken_down(void)
{
	int bad = 0;
	static const time_t edges[] = { 0, -1, 1, 86399, 86400, -86400, 951782400, 951868800, 4107542400,
		-62135596800LL, -62167219200LL, 67768036191676799LL, 67768036191676800LL,
		-67768040609740800LL, -67768040609740801LL, LLONG_MAX, LLONG_MIN };

	for (int i = 0; i < 200000; i++) {
		time_t t = i < (int)(sizeof(edges) / sizeof(edges[0])) ? edges[i] : random_time();
		struct tm g, o, *gp, *op;
		int ge, oe;

		memset(&g, 0x5a, sizeof(g));
		memset(&o, 0x5a, sizeof(o));
		errno = 0; shim_errno = 0;
		gp = gmtime_r(&t, &g); ge = errno;
		op = bv_gmtime_r(&t, &o); oe = shim_errno;
		DIFF(!gp != !op || ge != oe || (gp && !tm_eq(&g, &o)), "gmtime_r(%lld): glibc %s errno %d, "
		     "ours %s errno %d\n", (long long)t, gp ? tm_str(&g) : "NULL", ge, op ? tm_str(&o) : "NULL", oe);
		gp = localtime_r(&t, &g);
		op = bv_localtime_r(&t, &o);
		DIFF(!gp != !op || (gp && !tm_eq(&g, &o)), "localtime_r(%lld): glibc %s ours %s\n",
		     (long long)t, gp ? tm_str(&g) : "NULL", op ? tm_str(&o) : "NULL");
		if (i % 16 == 0) {
			gp = gmtime(&t);
			op = bv_gmtime(&t);
			DIFF(!gp != !op || (gp && !tm_eq(gp, op)), "gmtime(%lld)\n", (long long)t);
			gp = localtime(&t);
			op = bv_localtime(&t);
			DIFF(!gp != !op || (gp && !tm_eq(gp, op)), "localtime(%lld)\n", (long long)t);
		}
	}
	TAP_CHECK(!bad, "gmtime(_r)/localtime(_r) over 200000 times (every 64-bit range, leap days, the "
		  "edges of int years): same fields, zone names and EOVERFLOW as glibc with TZ=UTC");
}

static int
random_field(int span)
{
	switch (rnd() % 8) {
	case 0:
		return (int)rnd();
	case 1:
		return (int)(rnd() % 2001) - 1000;
	default:
		return (int)(rnd() % (unsigned)span);
	}
}

static void
test_mktime(void)
{
	int bad = 0;

	for (int i = 0; i < 200000; i++) {
		struct tm in, g, o;
		time_t gt, ot;
		int ge, oe;

		memset(&in, 0, sizeof(in));
		in.tm_sec = random_field(61);
		in.tm_min = random_field(60);
		in.tm_hour = random_field(24);
		in.tm_mday = random_field(32);
		in.tm_mon = random_field(12);
		in.tm_year = rnd() % 4 ? (int)(rnd() % 300) : random_field(300);
		in.tm_isdst = (int)(rnd() % 3) - 1;
		in.tm_wday = 99;
		g = o = in;
		errno = 0; shim_errno = 0;
		gt = mktime(&g); ge = errno;
		ot = bv_mktime(&o); oe = shim_errno;
		DIFF(gt != ot || ge != oe || !tm_eq(&g, &o), "mktime(%s): glibc %lld errno %d %s, ours %lld errno %d %s\n",
		     tm_str(&in), (long long)gt, ge, tm_str(&g), (long long)ot, oe, tm_str(&o));
		g = o = in;
		errno = 0; shim_errno = 0;
		gt = timegm(&g); ge = errno;
		ot = bv_timegm(&o); oe = shim_errno;
		DIFF(gt != ot || ge != oe || !tm_eq(&g, &o), "timegm(%s): glibc %lld errno %d %s, ours %lld errno %d %s\n",
		     tm_str(&in), (long long)gt, ge, tm_str(&g), (long long)ot, oe, tm_str(&o));
	}
	TAP_CHECK(!bad, "mktime/timegm on 200000 unnormalised broken-down times (fields anywhere in "
		  "int, tm_isdst -1/0/1): same time_t, normalised fields and EOVERFLOW as glibc");
}

static void
test_asctime_difftime(void)
{
	int bad = 0;

	for (int i = 0; i < 50000; i++) {
		time_t t = random_time();
		struct tm tm;
		char gb[64], ob[64], *g, *o;
		int ge, oe;

		memset(&tm, 0, sizeof(tm));
		if (!gmtime_r(&t, &tm))
			continue;
		if (i % 7 == 0)
			tm.tm_wday = random_field(7), tm.tm_mon = random_field(12), tm.tm_mday = random_field(32);
		errno = 0; shim_errno = 0;
		g = asctime_r(&tm, gb); ge = errno;
		o = bv_asctime_r(&tm, ob); oe = shim_errno;
		DIFF(!g != !o || ge != oe || (g && strcmp(g, o)), "asctime_r(%s): glibc %s ours %s\n",
		     tm_str(&tm), g ? g : "NULL", o ? o : "NULL");
		g = asctime(&tm);
		o = bv_asctime(&tm);
		DIFF(!g != !o || (g && strcmp(g, o)), "asctime(%s)\n", tm_str(&tm));
		g = ctime_r(&t, gb);
		o = bv_ctime_r(&t, ob);
		DIFF(!g != !o || (g && strcmp(g, o)), "ctime_r(%lld)\n", (long long)t);
		g = ctime(&t);
		o = bv_ctime(&t);
		DIFF(!g != !o || (g && strcmp(g, o)), "ctime(%lld)\n", (long long)t);
		time_t a = (time_t)rnd(), b = (time_t)rnd();
		double gd = difftime(a, b), od = bv_difftime(a, b);
		DIFF(memcmp(&gd, &od, sizeof(gd)), "difftime(%lld, %lld): %a %a\n", (long long)a, (long long)b, gd, od);
	}
	TAP_CHECK(!bad, "asctime(_r)/ctime(_r) (out-of-range names, 26-byte EOVERFLOW) and difftime on "
		  "full 64-bit differences: same text and bits as glibc");
}

static const char convs[] = "aAbBcCdDeFgGhHIjklmMnprRsStTuUVwWxXyYzZ%PEOqQ:";

static void
random_format(char *f, size_t cap)
{
	size_t n = 0;
	int parts = 1 + (int)(rnd() % 4);

	for (int p = 0; p < parts && n + 12 < cap; p++) {
		if (rnd() % 4 == 0)
			f[n++] = "x -/"[rnd() % 4];
		f[n++] = '%';
		if (rnd() % 3 == 0)
			f[n++] = "_-0^#+"[rnd() % 6];
		if (rnd() % 5 == 0)
			f[n++] = "_-0^#"[rnd() % 5];
		if (rnd() % 3 == 0)
			n += (size_t)snprintf(f + n, cap - n, "%d", (int)(rnd() % 14));
		if (rnd() % 6 == 0)
			f[n++] = "EO"[rnd() % 2];
		if (rnd() % 40 || p < parts - 1)
			f[n++] = convs[rnd() % (sizeof(convs) - 1)];
	}
	f[n] = 0;
}

static void
random_tm(struct tm *tm)
{
	time_t t = random_time() % 400000000000LL;

	gmtime_r(&t, tm);
	if (rnd() % 5 == 0) {
		tm->tm_wday = random_field(7);
		tm->tm_mon = random_field(12);
		tm->tm_hour = random_field(24);
		tm->tm_yday = random_field(366);
		tm->tm_year = random_field(300);
	}
	tm->tm_isdst = rnd() % 6 ? 0 : (int)(rnd() % 3) - 1;
	tm->tm_gmtoff = rnd() % 4 ? 0 : (long)(rnd() % 100000) - 50000;
	tm->tm_zone = rnd() % 4 ? "UTC" : rnd() % 2 ? "GMT" : NULL;
}

static void
test_strftime(void)
{
	int bad = 0;
	char fmt[64], gb[256], ob[256];

	for (int i = 0; i < 200000; i++) {
		struct tm tm;
		size_t max = rnd() % 8 ? sizeof(gb) : rnd() % 24;
		size_t gn, on;

		random_tm(&tm);
		random_format(fmt, sizeof(fmt));
		memset(gb, 0, sizeof(gb));
		memset(ob, 0, sizeof(ob));
		gn = strftime(gb, max, fmt, &tm);
		on = bv_strftime(ob, max, fmt, &tm);
		DIFF(gn != on || (gn && strcmp(gb, ob)), "strftime(\"%s\", %s, max %zu): glibc %zu \"%s\" ours %zu \"%s\"\n",
		     fmt, tm_str(&tm), max, gn, gb, on, ob);
	}
	TAP_CHECK(!bad, "strftime on 200000 random formats (every conversion with flags _-0^#+, widths, "
		  "E/O modifiers, bad and truncated conversions, short buffers): same text and length as glibc");
}

static void
test_strptime(void)
{
	int bad = 0;
	char fmt[64], text[256];
	static const char *const fixed[] = {
		"%Y-%m-%d %H:%M:%S", "%a, %d %b %Y %T %z", "%c", "%D %r", "%j %Y", "%U %w %Y", "%W %a %Y",
		"%s", "%C%y", "%C", "%y", "%I %p", "%e %B %Y", "%F %R", "%G-W%V-%u", "%Od %OH %OM %OB %Om %OS",
	};

	for (int i = 0; i < 200000; i++) {
		struct tm tm, g, o;
		const char *f = fmt;
		char *gr, *or;

		random_tm(&tm);
		tm.tm_zone = "UTC";
		tm.tm_isdst = 0;
		if (i % 3 == 0)
			f = fixed[rnd() % (sizeof(fixed) / sizeof(fixed[0]))];
		else
			random_format(fmt, sizeof(fmt));
		if (!strftime(text, sizeof(text), f, &tm))
			continue;
		/* %Ey %EY %EC: glibc applies its era rules even in the C
		 * locale; ours reads them as %y %Y %C (see architecture.md) */
		if (strstr(f, "Ey") || strstr(f, "EY") || strstr(f, "EC"))
			continue;
		if (i % 5 == 0 && text[0])	/* damage one character */
			text[rnd() % strlen(text)] = " 0a9-:Z+"[rnd() % 8];
		if (i % 11 == 0)
			for (size_t k = rnd() % 12, n = 0; n < k; n++)
				text[n] = (char)(32 + rnd() % 95), text[k] = 0;
		memset(&g, 0, sizeof(g));
		g.tm_mon = (int)(rnd() % 12);
		g.tm_year = (int)(rnd() % 200);
		g.tm_mday = 1 + (int)(rnd() % 28);
		g.tm_wday = g.tm_yday = 77;
		o = g;
		gr = strptime(text, f, &g);
		or = bv_strptime(text, f, &o);
		DIFF(!gr != !or || (gr && (gr - text != or - text || !tm_eq(&g, &o))),
		     "strptime(\"%s\", \"%s\"): glibc %s %s, ours %s %s\n", text, f,
		     gr ? gr : "NULL", tm_str(&g), or ? or : "NULL", tm_str(&o));
	}
	TAP_CHECK(!bad, "strptime on 200000 strftime outputs (fixed and random formats, some damaged) and "
		  "random text: same end pointer, same fields written and derived as glibc");
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_broken_down();
	test_mktime();
	test_asctime_difftime();
	test_strftime();
	test_strptime();
	return tap_done();
}
