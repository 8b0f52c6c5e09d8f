/* printf and scanf against glibc: a format matrix of flags x width x
 * precision x length x conversion over edge and random values, floats in
 * every style (glibc's exact rounding), truncation return values,
 * positional arguments, and %n refusal. */
#include "bv.h"
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static long compared, mismatched;

static void
mismatch(const char *what, const char *fmt, const char *g, int rg, const char *o, int ro)
{
	if (++mismatched <= 12)
		printf("# %s \"%s\": glibc [%s] %d, ours [%s] %d\n", what, fmt, g, rg, o, ro);
}

static void
cmp_fmt(const char *fmt, ...)
{
	char g[700], o[700];
	va_list a, b;
	int rg, ro;

	va_start(a, fmt);
	va_copy(b, a);
	rg = vsnprintf(g, sizeof(g), fmt, a);
	ro = bv_vsnprintf(o, sizeof(o), fmt, b);
	va_end(b);
	va_end(a);
	compared++;
	if (rg != ro || strcmp(g, o))
		mismatch("format", fmt, g, rg, o, ro);
}

static const char *const flag_sets[] = {
	"", "-", "+", " ", "#", "0", "-+", "- ", "-#", "-0", "+ ", "+#", "+0", " #", " 0", "#0",
	"-+ ", "-+#", "+#0", " #0", "-+ #0", "+ 0", "-#0", "+ #",
};
static const char *const widths[] = { "", "1", "7", "25" };
static const char *const precs[] = { "", ".0", ".1", ".3", ".12", "." };

#define FOR_SPEC(body) \
	for (size_t fi = 0; fi < sizeof(flag_sets) / sizeof(*flag_sets); fi++) \
	for (size_t wi = 0; wi < sizeof(widths) / sizeof(*widths); wi++) \
	for (size_t pi = 0; pi < sizeof(precs) / sizeof(*precs); pi++) { \
		char fmt[64]; (void)fmt; body }

static void
test_integers(void)
{
	static const long long vals[] = {
		0, 1, -1, 7, 42, -42, 255, 256, 65535, 65536, INT_MAX, INT_MIN, UINT_MAX,
		LLONG_MAX, LLONG_MIN, 0x123456789abLL, -1234567890123LL, 0777, 0x80,
	};
	static const char *const lens[] = { "", "hh", "h", "l", "ll", "j", "z", "t" };
	static const char convs[] = "diuoxX";

	mismatched = compared = 0;
	FOR_SPEC(
		for (size_t li = 0; li < 8; li++)
		for (size_t ci = 0; ci < 6; ci++) {
			snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flag_sets[fi], widths[wi],
				 precs[pi], lens[li], convs[ci]);
			for (size_t vi = 0; vi < sizeof(vals) / sizeof(*vals); vi++) {
				if (li >= 3)
					cmp_fmt(fmt, vals[vi]);
				else
					cmp_fmt(fmt, (int)vals[vi]);
			}
			if (li >= 3)
				cmp_fmt(fmt, (long long)rnd());
			else
				cmp_fmt(fmt, (int)rnd());
		})
	TAP_CHECK(mismatched == 0, "integer matrix: %ld formats x values match glibc (%ld differ)",
		  compared, mismatched);
}

static void
test_strings_chars_pointers(void)
{
	static const char *const strs[] = { "", "a", "hello", "hello, world", NULL };

	mismatched = compared = 0;
	FOR_SPEC(
		snprintf(fmt, sizeof(fmt), "<%%%s%s%ss>", flag_sets[fi], widths[wi], precs[pi]);
		for (size_t si = 0; si < 5; si++)
			cmp_fmt(fmt, strs[si]);
		snprintf(fmt, sizeof(fmt), "<%%%s%s%sc>", flag_sets[fi], widths[wi], precs[pi]);
		cmp_fmt(fmt, 'x');
		cmp_fmt(fmt, 0x1ff);
		snprintf(fmt, sizeof(fmt), "<%%%s%s%sp>", flag_sets[fi], widths[wi], precs[pi]);
		cmp_fmt(fmt, (void *)0);
		cmp_fmt(fmt, (void *)0x1234abcd);
		cmp_fmt(fmt, (void *)-1L);
		snprintf(fmt, sizeof(fmt), "<%%%s%s%s%%>", flag_sets[fi], widths[wi], precs[pi]);
		cmp_fmt(fmt);
		snprintf(fmt, sizeof(fmt), "<%%%s%s%sls>", flag_sets[fi], widths[wi], precs[pi]);
		cmp_fmt(fmt, L"wide");
		cmp_fmt(fmt, (wchar_t *)NULL);
		snprintf(fmt, sizeof(fmt), "<%%%s%s%slc>", flag_sets[fi], widths[wi], precs[pi]);
		cmp_fmt(fmt, (wint_t)'w');
	)
	TAP_CHECK(mismatched == 0, "strings, chars, pointers, %%%%: %ld formats match glibc (%ld differ)",
		  compared, mismatched);
	mismatched = compared = 0;
	cmp_fmt("%*d|%-*d|%*d", 5, 42, 5, 42, -5, 42);
	cmp_fmt("%.*d|%.*d|%.*s", 3, 7, -1, 7, 2, "abcdef");
	cmp_fmt("%*.*f", 12, 3, 3.14159);
	cmp_fmt("%2$s %1$d %2$s", 7, "pos");
	cmp_fmt("%1$*2$d|%3$.*4$f", 42, 8, 2.5, 3);
	cmp_fmt("%m");
	cmp_fmt("%'d %Id", 1234567, 1234567);
	cmp_fmt("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	cmp_fmt("%5%|%-5%|%y|%5y|%");
	cmp_fmt("%zx %tx %jx %qd %Lf", (size_t)-1, (ptrdiff_t)-2, (uintmax_t)3, 4LL, 1.5L);
	cmp_fmt("[%ls]", L"caf\u00e9");	/* not ASCII: -1 (EILSEQ) in the C locale */
	cmp_fmt("[%lc]", (wint_t)0x263a);
	cmp_fmt("[%.2ls|%5lc]", L"abc", (wint_t)'z');
	TAP_CHECK(mismatched == 0, "star width/precision, positional, %%m, odd specs: %ld match (%ld differ)",
		  compared, mismatched);
}

static double
random_double(void)
{
	uint64_t bits;
	double d;

	do {
		bits = rnd();
		memcpy(&d, &bits, 8);
	} while (isnan(d) || isinf(d));
	return d;
}

static void
test_floats(void)
{
	static const double vals[] = {
		0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 3.5, -2.5, 0.125, 0.375, 0.05, 0.15, 0.25,
		0.35, 9.5, 99.5, 999.5, 9.9999995, 0.000123456, 1e-5, 1e-4, 123456.789, 1e15,
		1e16, 1e22, 1e23, 1e100, 1e300, -1e-300, DBL_MAX, DBL_MIN, 4.9406564584124654e-324,
		2.2250738585072009e-308, M_PI, -M_E, 1.0 / 3, 2.0 / 3, 0.1, 0.2, 0.3, 1e21,
		123.456, 5e-5, 0.00001, 999999.5, 9.5e-5, 0x1.8p0, 0x1.28p0, 0x1.fffffffffffffp0,
		INFINITY, -INFINITY, NAN, -NAN,
	};
	static const char *const fprecs[] = { "", ".0", ".1", ".2", ".3", ".6", ".10", ".17", ".30" };
	static const char convs[] = "feEgGaAF";

	mismatched = compared = 0;
	for (size_t fi = 0; fi < sizeof(flag_sets) / sizeof(*flag_sets); fi++)
	for (size_t wi = 0; wi < 4; wi++)
	for (size_t pi = 0; pi < sizeof(fprecs) / sizeof(*fprecs); pi++)
	for (size_t ci = 0; ci < 8; ci++) {
		char fmt[64];

		snprintf(fmt, sizeof(fmt), "[%%%s%s%s%c]", flag_sets[fi], widths[wi], fprecs[pi], convs[ci]);
		for (size_t vi = 0; vi < sizeof(vals) / sizeof(*vals); vi++)
			cmp_fmt(fmt, vals[vi]);
	}
	TAP_CHECK(mismatched == 0, "float matrix (f e g a, edge values): %ld match glibc (%ld differ)",
		  compared, mismatched);

	mismatched = compared = 0;
	for (int i = 0; i < 20000; i++) {
		double d = random_double();
		char fmt[32];

		snprintf(fmt, sizeof(fmt), "%%.%d%c", (int)(rnd() % 25), convs[rnd() % 8]);
		cmp_fmt(fmt, d);
		cmp_fmt("%.17g %a %e", d, d, d);
		d = (double)(rnd() % 100000000) / (double)(1 + rnd() % 10000);
		cmp_fmt(fmt, d);
	}
	cmp_fmt("%.1074f", 4.9406564584124654e-324);
	cmp_fmt("%.0f %f", DBL_MAX, -DBL_MAX);
	TAP_CHECK(mismatched == 0, "random doubles (all bit patterns, random precisions): %ld match (%ld differ)",
		  compared, mismatched);

	mismatched = compared = 0;
	{
		static const long double lvals[] = {
			0.0L, 1.0L, -1.5L, 0.1L, 1e-10L, 3.14159265358979323846L, 1e4000L,
			1e-4000L, LDBL_MAX, LDBL_MIN, 2.5L, 12345.678L,
		};
		for (size_t vi = 0; vi < sizeof(lvals) / sizeof(*lvals); vi++) {
			cmp_fmt("%Lf|%Le|%Lg|%La|%.20Lg|%.0Le|%#LA", lvals[vi], lvals[vi], lvals[vi],
				lvals[vi], lvals[vi], lvals[vi], lvals[vi]);
		}
		for (int i = 0; i < 2000; i++) {
			long double ld = (long double)random_double() * (long double)random_double();
			if (isfinite(ld))
				cmp_fmt("%.25Lg %La %.3Lf", ld, ld, ld);
		}
	}
	TAP_CHECK(mismatched == 0, "long doubles (%%L f e g a): %ld match glibc (%ld differ)",
		  compared, mismatched);
}

static void
test_truncation(void)
{
	static const size_t sizes[] = { 0, 1, 2, 5, 11, 12, 13, 100 };
	int bad = 0;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		char g[128], o[128];
		int rg, ro;

		memset(g, 'G', sizeof(g));
		memset(o, 'G', sizeof(o));
		rg = snprintf(g, sizes[i], "hello %s %d", "world", 42);
		ro = bv_snprintf(o, sizes[i], "hello %s %d", "world", 42);
		bad += rg != ro || memcmp(g, o, sizeof(g));
	}
	TAP_CHECK(!bad, "snprintf truncation: return values and buffer bytes match glibc for sizes 0..100");
	{
		char *p = NULL;
		int r = bv_asprintf(&p, "%s-%05d", "x", 42);
		TAP_CHECK(r == 7 && p && !strcmp(p, "x-00042"), "asprintf allocates and formats");
		bv_free(p);
	}
}

static void
test_percent_n_refused(void)
{
	char buf[32] = "untouched";
	int n = 12345, r;

	shim_errno = 0;
	r = bv_snprintf(buf, sizeof(buf), "abc%n", &n);
	TAP_CHECK(r == -1 && n == 12345 && shim_errno == EINVAL,
		  "%%n is refused: -1, EINVAL, the pointer target unchanged (r=%d n=%d)", r, n);
	r = bv_snprintf(buf, sizeof(buf), "%5$d");
	TAP_CHECK(r == -1, "a positional format with a gap is rejected, not guessed");
}

static void
test_scanf(void)
{
	static const struct { const char *in, *fmt; } cases[] = {
		{ "42", "%d" }, { "  -17 rest", "%d" }, { "0x1f", "%i" }, { "0x1f", "%x" },
		{ "0777", "%i" }, { "0777", "%o" }, { "4294967295", "%u" }, { "abc", "%d" },
		{ "", "%d" }, { "   ", "%d" }, { "12345", "%3d" }, { "-", "%d" }, { "+5", "%d" },
		{ "hello world", "%s" }, { "hello world", "%5s" }, { "hello world", "%c" },
		{ "hello", "%3c" }, { "abc123", "%[a-z]" }, { "abc123", "%[^0-9]" },
		{ "]x", "%[]x]" }, { "1.5", "%f" }, { "-1e10", "%f" }, { "0x1p4", "%f" },
		{ "inf", "%f" }, { "nan", "%f" }, { "3.14159xyz", "%4f" }, { "12 34", "%d %d" },
		{ "12,34", "%d,%d" }, { "12;34", "%d,%d" }, { "7 8", "%*d %d" }, { "x=5", "x=%d" },
		{ "100%", "%d%%" }, { "ab", "%d" }, { "9223372036854775807", "%lld" },
		{ "1e400", "%lf" }, { "0x", "%x" }, { "  42", "%n%d" },
		{ "1e+x", "%lf" }, { "0x", "%lf" }, { "-.e5", "%lf" }, { "1.2.3", "%lf" },
		{ "0x1.8p+1z", "%7lf" }, { "infx", "%lf" }, { "in", "%lf" }, { "nan(12)", "%lf" },
		{ "-7.29e+65", "%7lf" }, { "1.5e", "%lf" },
	};
	int bad = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		union { int i[4]; long long ll[2]; float f[4]; double d[2]; char s[32]; } g, o;
		int rg, ro;

		memset(&g, 0x55, sizeof(g));
		memset(&o, 0x55, sizeof(o));
		if (strstr(cases[i].fmt, "%lf")) {
			rg = sscanf(cases[i].in, cases[i].fmt, &g.d[0]);
			ro = bv_sscanf(cases[i].in, cases[i].fmt, &o.d[0]);
		} else if (strstr(cases[i].fmt, "%lld")) {
			rg = sscanf(cases[i].in, cases[i].fmt, &g.ll[0]);
			ro = bv_sscanf(cases[i].in, cases[i].fmt, &o.ll[0]);
		} else if (strchr(cases[i].fmt, 's') || strchr(cases[i].fmt, 'c') || strchr(cases[i].fmt, '[')) {
			rg = sscanf(cases[i].in, cases[i].fmt, g.s);
			ro = bv_sscanf(cases[i].in, cases[i].fmt, o.s);
		} else if (strchr(cases[i].fmt, 'f')) {
			rg = sscanf(cases[i].in, cases[i].fmt, &g.f[0]);
			ro = bv_sscanf(cases[i].in, cases[i].fmt, &o.f[0]);
		} else {
			rg = sscanf(cases[i].in, cases[i].fmt, &g.i[0], &g.i[1]);
			ro = bv_sscanf(cases[i].in, cases[i].fmt, &o.i[0], &o.i[1]);
		}
		if (rg != ro || memcmp(&g, &o, sizeof(g))) {
			if (bad++ < 8)
				printf("# sscanf(\"%s\", \"%s\"): glibc %d, ours %d\n", cases[i].in,
				       cases[i].fmt, rg, ro);
		}
	}
	TAP_CHECK(!bad, "sscanf: %zu input/format cases match glibc (results and stored bytes)",
		  sizeof(cases) / sizeof(*cases));
	{
		int a = 0;
		char s[8] = "";
		int r = bv___isoc99_sscanf("5 ok", "%d %7s", &a, s);
		TAP_CHECK(r == 2 && a == 5 && !strcmp(s, "ok"), "__isoc99_sscanf is sscanf");
	}
	bad = 0;
	for (int i = 0; i < 3000; i++) {
		char in[64];
		double g = 0, o = 0;
		int rg, ro;

		snprintf(in, sizeof(in), "%.*e", (int)(rnd() % 20), random_double());
		rg = sscanf(in, "%lf", &g);
		ro = bv_sscanf(in, "%lf", &o);
		bad += rg != ro || memcmp(&g, &o, sizeof(g));
	}
	TAP_CHECK(!bad, "sscanf %%lf: 3000 random decimal strings give glibc's doubles (%d differ)", bad);
}

/* Random specs: flags, widths and precisions (literal or *), lengths,
 * conversions, with an argument of the right type. */
static void
test_random_formats(void)
{
	static const char convs[] = "diouxXcsfeEgGaA%";
	static const char *const strs[] = { "", "x", "random text", NULL };

	mismatched = compared = 0;
	for (int it = 0; it < 60000; it++) {
		char fmt[64], *p = fmt;
		char conv = convs[rnd() % (sizeof(convs) - 1)];
		int star_w = 0, star_p = 0;
		bool has_w = false, has_p = false;

		*p++ = '[';
		*p++ = '%';
		for (int f = rnd() % 4; f > 0; f--)
			*p++ = "-+ #0"[rnd() % 5];
		if (rnd() % 4 == 0)
			*p++ = '*', star_w = (int)(rnd() % 40) - 20, has_w = true;
		else if (rnd() % 2)
			p += sprintf(p, "%d", (int)(rnd() % 30));
		if (rnd() % 4 == 0) {
			*p++ = '.';
			*p++ = '*';
			star_p = (int)(rnd() % 40) - 10;
			has_p = true;
		} else if (rnd() % 2) {
			p += sprintf(p, ".%d", (int)(rnd() % 30));
		}
		if (strchr("diouxX", conv))
			p += sprintf(p, "%s", (const char *[]){ "", "hh", "h", "l", "ll", "z", "j", "t" }[rnd() % 8]);
		*p++ = conv;
		*p++ = ']';
		*p = 0;
#define ARGS(...) do { \
		if (has_w && has_p) cmp_fmt(fmt, star_w, star_p, __VA_ARGS__); \
		else if (has_w) cmp_fmt(fmt, star_w, __VA_ARGS__); \
		else if (has_p) cmp_fmt(fmt, star_p, __VA_ARGS__); \
		else cmp_fmt(fmt, __VA_ARGS__); } while (0)
		switch (conv) {
		case 'c': ARGS((int)(rnd() % 95) + 32); break;
		case 's': ARGS(strs[rnd() % 4]); break;
		case 'f': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
			ARGS(rnd() % 2 ? random_double() : (double)(long long)(rnd() % 2000000) / 1000.0);
			break;
		case '%': ARGS(0); break;
		default: ARGS((long long)rnd() >> (rnd() % 64)); break;
		}
	}
	TAP_CHECK(mismatched == 0, "60000 random format specs (flags, */literal width and precision, lengths): "
		  "%ld match glibc (%ld differ)", compared, mismatched);
}

/* sscanf on values glibc printed, with random widths and separators. */
static void
test_random_scanf(void)
{
	int bad = 0;

	for (int it = 0; it < 20000; it++) {
		char in[128], fmt[32];
		long long gi[2] = { 0 }, oi[2] = { 0 };
		double gd = 0, od = 0;
		char gs[64] = "", os[64] = "";
		int rg, ro, w = rnd() % 3 ? 0 : (int)(rnd() % 12) + 1;
		char conv = "dixXoufegs["[rnd() % 11];

		switch (conv) {
		case 'f': case 'e': case 'g':
			snprintf(in, sizeof(in), "%s%.*g%s", rnd() % 2 ? "  " : "", (int)(rnd() % 18) + 1,
				 random_double(), rnd() % 2 ? "z" : "");
			break;
		case 's': case '[':
			snprintf(in, sizeof(in), " %s abc", rnd() % 2 ? "word" : "ab12-cd");
			break;
		default:
			snprintf(in, sizeof(in), rnd() % 2 ? "%lld %lld" : "%llx,%llo",
				 (long long)rnd() >> (rnd() % 64), (long long)(rnd() % 1000) - 500);
			if (rnd() % 4 == 0)
				in[rnd() % strlen(in)] = "x-+ 0"[rnd() % 5];
		}
		if (conv == '[')
			snprintf(fmt, sizeof(fmt), w ? "%%%d[a-z0-9]%%n" : "%%[a-z0-9]%%n", w);
		else if (conv == 's')
			snprintf(fmt, sizeof(fmt), w ? "%%%ds%%n" : "%%s%%n", w);
		else if (strchr("feg", conv))
			snprintf(fmt, sizeof(fmt), w ? "%%%dl%c%%n" : "%%l%c%%n", w, conv);
		else
			snprintf(fmt, sizeof(fmt), w ? "%%%dll%c%%*[ ,]%%lld" : "%%ll%c%%*[ ,]%%lld", w, conv);
		if (strchr("feg", conv)) {
			int gn = -1, on = -1;
			rg = sscanf(in, fmt, &gd, &gn);
			ro = bv_sscanf(in, fmt, &od, &on);
			bad += rg != ro || memcmp(&gd, &od, 8) || gn != on;
		} else if (conv == 's' || conv == '[') {
			int gn = -1, on = -1;
			rg = sscanf(in, fmt, gs, &gn);
			ro = bv_sscanf(in, fmt, os, &on);
			bad += rg != ro || strcmp(gs, os) || gn != on;
		} else {
			rg = sscanf(in, fmt, &gi[0], &gi[1]);
			ro = bv_sscanf(in, fmt, &oi[0], &oi[1]);
			bad += rg != ro || gi[0] != oi[0] || gi[1] != oi[1];
		}
		if (bad == 1 && it >= 0) {
			printf("# sscanf(\"%s\", \"%s\"): glibc %d, ours %d\n", in, fmt, rg, ro);
			bad++;
		}
	}
	TAP_CHECK(bad == 0, "20000 random sscanf inputs/formats (widths, %%n, %%*[, scansets, floats) match glibc");
}

int
main(void)
{
	test_random_formats();
	test_random_scanf();
	test_integers();
	test_strings_chars_pointers();
	test_floats();
	test_truncation();
	test_percent_n_refused();
	test_scanf();
	return tap_done();
}
