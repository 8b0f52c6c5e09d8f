/* open_wmemstream and the wide output functions against glibc: random
 * sequences of fputwc, fputws, fwprintf (integers of every length with
 * flags, width and precision from the format or from `*', floats, %s from
 * multibyte, %ls and %lc with characters beyond ASCII, %c, %p, %%, text
 * beyond ASCII), fflush, fseek, ftell and fwide on both, compared call by
 * call -- return value, errno, the published buffer and size after every
 * fflush and at fclose; and swprintf over the same formats with buffers
 * too small, exact and large.  C locale (%s of a byte >= 0x80 fails with
 * EILSEQ in both). */
#include "bv.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void *bv_open_wmemstream(wchar_t **, size_t *);
int bv_fclose(void *);
int bv_fflush(void *);
wint_t bv_fputwc(wchar_t, void *);
int bv_fputws(const wchar_t *, void *);
int bv_fwprintf(void *, const wchar_t *, ...);
int bv_swprintf(wchar_t *, size_t, const wchar_t *, ...);
int bv_fseek(void *, long, int);
long bv_ftell(void *);
int bv_fwide(void *, int);
int bv_fputs(const char *, void *);
void bv_free(void *);

static int shown, fmt_case;	/* which of WITH_RANDOM_FORMAT's formats */
static char trace[2048];
#define DIFF(cond, ...) do { if (cond) { bad++; if (shown++ < 15) printf("# " __VA_ARGS__); } } while (0)

static wchar_t
rnd_wc(void)
{
	static const wchar_t odd[] = { 0xe9, 0x20ac, 0x1f600, 0x7f, 0x80, 0xff, 0x10ffff, 0x3000 };

	return rnd() % 4 ? (wchar_t)(L'a' + rnd() % 26) : odd[rnd() % 8];
}

static void
rnd_ws(wchar_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w[i] = rnd_wc();
	w[n] = 0;
}

/* fwprintf and swprintf with one random format and its arguments:
 * FN(target, format, args...) */
#define WITH_RANDOM_FORMAT(CALL_G, CALL_O) do { \
	long long iv = (long long)rnd() >> (rnd() % 64); \
	double dv = (double)(long long)rnd() / (double)(1ULL << (rnd() % 60)); \
	long double lv = (long double)dv / 3; \
	int w = (int)(rnd() % 30) - 10, p = (int)(rnd() % 20) - 3; \
	wchar_t wsa_[12]; \
	char sa_[12]; \
	\
	rnd_ws(wsa_, rnd() % 10); \
	for (size_t k_ = 0; k_ < 11; k_++) \
		sa_[k_] = k_ == 10 ? 0 : (rnd() % 40 == 0 ? (char)0xe9 : 'A' + (char)(rnd() % 26)); \
	sa_[rnd() % 11] = 0; \
	switch (fmt_case = rnd() % 24) { \
	case 0: CALL_G(L"%d|", (int)iv); CALL_O(L"%d|", (int)iv); break; \
	case 1: CALL_G(L"%-8.3x.", (unsigned)iv); CALL_O(L"%-8.3x.", (unsigned)iv); break; \
	case 2: CALL_G(L"%+05i", (int)iv); CALL_O(L"%+05i", (int)iv); break; \
	case 3: CALL_G(L"%lld %llu", iv, (unsigned long long)iv); CALL_O(L"%lld %llu", iv, (unsigned long long)iv); break; \
	case 4: CALL_G(L"%hhu %hd %#o", (int)iv, (int)iv, (unsigned)iv); CALL_O(L"%hhu %hd %#o", (int)iv, (int)iv, (unsigned)iv); break; \
	case 5: CALL_G(L"[%s]", sa_); CALL_O(L"[%s]", sa_); break; \
	case 6: CALL_G(L"[%ls]", wsa_); CALL_O(L"[%ls]", wsa_); break; \
	case 7: CALL_G(L"[%.3ls|%10ls|%-6ls]", wsa_, wsa_, wsa_); CALL_O(L"[%.3ls|%10ls|%-6ls]", wsa_, wsa_, wsa_); break; \
	case 8: CALL_G(L"%c%lc%C", 'x', (wint_t)wsa_[0], (wint_t)0x20ac); CALL_O(L"%c%lc%C", 'x', (wint_t)wsa_[0], (wint_t)0x20ac); break; \
	case 9: CALL_G(L"%g %e %f", dv, dv, dv); CALL_O(L"%g %e %f", dv, dv, dv); break; \
	case 10: CALL_G(L"%.10e|%a|%A", dv, dv, dv); CALL_O(L"%.10e|%a|%A", dv, dv, dv); break; \
	case 11: CALL_G(L"%Lf %Lg %.3La", lv, lv, lv); CALL_O(L"%Lf %Lg %.3La", lv, lv, lv); break; \
	case 12: CALL_G(L"100%% %5%%05s|", sa_); CALL_O(L"100%% %5%%05s|", sa_); break; \
	case 13: CALL_G(L"x%zuy%jd%td", (size_t)iv, (intmax_t)iv, (ptrdiff_t)iv); CALL_O(L"x%zuy%jd%td", (size_t)iv, (intmax_t)iv, (ptrdiff_t)iv); break; \
	case 14: CALL_G(L"%*d|%-*d|%.*d", w, (int)iv, w, (int)iv, p, (int)iv); CALL_O(L"%*d|%-*d|%.*d", w, (int)iv, w, (int)iv, p, (int)iv); break; \
	case 15: CALL_G(L"%.*s|%*s", p, sa_, w, sa_); CALL_O(L"%.*s|%*s", p, sa_, w, sa_); break; \
	case 16: CALL_G(L"%.*ls|%*ls", p, wsa_, w, wsa_); CALL_O(L"%.*ls|%*ls", p, wsa_, w, wsa_); break; \
	case 17: CALL_G(L"%p %p", (void *)(long)iv, (void *)0); CALL_O(L"%p %p", (void *)(long)iv, (void *)0); break; \
	case 18: CALL_G(L"\u00e9t\u00e9 \u20ac%d", (int)iv); CALL_O(L"\u00e9t\u00e9 \u20ac%d", (int)iv); break; \
	case 19: CALL_G(L"%ls|%s|%.2s", (wchar_t *)0, (char *)0, (char *)0); CALL_O(L"%ls|%s|%.2s", (wchar_t *)0, (char *)0, (char *)0); break; \
	case 20: CALL_G(L"% d%+d% 08.3f", (int)iv, (int)iv, dv); CALL_O(L"% d%+d% 08.3f", (int)iv, (int)iv, dv); break; \
	case 21: CALL_G(L"%5c|%-4lc|%c", 'q', (wint_t)0xe9, sa_[0]); CALL_O(L"%5c|%-4lc|%c", 'q', (wint_t)0xe9, sa_[0]); break; \
	case 22: CALL_G(L"%ld %lx %lX", (long)iv, (unsigned long)iv, (unsigned long)iv); CALL_O(L"%ld %lx %lX", (long)iv, (unsigned long)iv, (unsigned long)iv); break; \
	default: CALL_G(L"plain %y %"); CALL_O(L"plain %y %"); break; \
	} \
} while (0)

struct pair {
	FILE *g;
	void *o;
};

static int
one_op(struct pair *s, char *log, size_t logsz)
{
	int bad = 0, op = rnd() % 9, rg = 0, ro = 0;
	long lg, lo;

	errno = 0; shim_errno = 0;
	switch (op) {
	case 0: case 1: {
		wchar_t c = rnd() % 8 ? rnd_wc() : 0;

		snprintf(log, logsz, "fputwc(%#x)", (unsigned)c);
		rg = (int)fputwc(c, s->g);
		ro = (int)bv_fputwc(c, s->o);
		break;
	}
	case 2: {
		wchar_t w[40];

		rnd_ws(w, rnd() % 39);
		snprintf(log, logsz, "fputws(%zu)", wcslen(w));
		rg = fputws(w, s->g);
		ro = bv_fputws(w, s->o);
		break;
	}
	case 3: case 4: {
#define G(...) (rg = fwprintf(s->g, __VA_ARGS__), snprintf(log, logsz, "fwprintf(format %d)", fmt_case))
#define O(...) (ro = bv_fwprintf(s->o, __VA_ARGS__))
		WITH_RANDOM_FORMAT(G, O);
#undef G
#undef O
		break;
	}
	case 5:
		snprintf(log, logsz, "fflush");
		rg = fflush(s->g);
		ro = bv_fflush(s->o);
		break;
	case 6: {
		long off = (long)(rnd() % 300) - 100;
		int wh = rnd() % 3;

		snprintf(log, logsz, "fseek(%ld, %d)", off, wh);
		rg = fseek(s->g, off, wh);
		ro = bv_fseek(s->o, off, wh);
		break;
	}
	case 7:
		snprintf(log, logsz, "ftell");
		lg = ftell(s->g);
		lo = bv_ftell(s->o);
		rg = (int)lg;
		ro = (int)lo;
		break;
	default: {
		int m = rnd() % 3 - 1;

		snprintf(log, logsz, "fwide(%d)", m);
		rg = fwide(s->g, m);
		ro = bv_fwide(s->o, m);
		break;
	}
	}
	if (strlen(trace) + strlen(log) + 3 < sizeof(trace)) {
		strcat(trace, log);
		strcat(trace, "; ");
	}
	DIFF(rg != ro, "%s: %d, glibc %d\n", log, ro, rg);
	DIFF(errno != shim_errno, "%s: errno %d, glibc %d\n", log, shim_errno, errno);
	return bad;
}

static int
cmp_buf(const char *what, wchar_t *g, size_t gsize, wchar_t *o, size_t osize, bool nul)
{
	int bad = 0;

	DIFF(gsize != osize, "%s: size %zu, glibc %zu\n", what, osize, gsize);
	if (gsize == osize && g && o)
		DIFF(memcmp(g, o, (gsize + nul) * sizeof(wchar_t)), "%s: buffer differs (size %zu)\n", what, gsize);
	return bad;
}

static int
run_wmemstream(int trial)
{
	wchar_t *gbuf = NULL, *obuf = NULL;
	size_t gsize = 0, osize = 0;
	char log[96] = "open";
	struct pair s = { open_wmemstream(&gbuf, &gsize), bv_open_wmemstream(&obuf, &osize) };
	int bad = 0, steps = 5 + rnd() % 40;

	trace[0] = 0;
	if (!s.g || !s.o)
		return 1000;
	for (int i = 0; i < steps && !bad; i++) {
		bad += one_op(&s, log, sizeof(log));
		if (!strcmp(log, "fflush"))
			bad += cmp_buf(log, gbuf, gsize, obuf, osize, false);
	}
	if (bad && shown < 15)
		printf("#   (trial %d: %s)\n", trial, trace);
	DIFF(fclose(s.g) != bv_fclose(s.o), "fclose returns differ\n");
	bad += cmp_buf("fclose", gbuf, gsize, obuf, osize, true);
	free(gbuf);
	bv_free(obuf);
	return bad;
}

/* swprintf: the same formats into buffers of 0..40 wide characters */
static int
run_swprintf(void)
{
	wchar_t g[48], o[48];
	size_t n = rnd() % 41;
	int rg = 0, ro = 0, bad = 0;

	wmemset(g, 0x55, 48);
	wmemset(o, 0x55, 48);
	errno = 0; shim_errno = 0;
#define G(fmt, ...) (rg = swprintf(g, n, fmt, ##__VA_ARGS__))
#define O(fmt, ...) (ro = bv_swprintf(o, n, fmt, ##__VA_ARGS__))
	WITH_RANDOM_FORMAT(G, O);
#undef G
#undef O
	DIFF(rg != ro, "swprintf(%zu, format %d): %d, glibc %d\n", n, fmt_case, ro, rg);
	DIFF(errno != shim_errno, "swprintf(%zu, format %d): errno %d, glibc %d\n", n, fmt_case, shim_errno, errno);
	/* what glibc leaves in the buffer past a failed conversion is not
	 * specified; a success must match to the NUL */
	if (rg >= 0)
		DIFF(wmemcmp(g, o, rg + 1), "swprintf(%zu, format %d): buffer differs\n", n, fmt_case);
	return bad;
}

int
main(void)
{
	int bad_ws = 0, bad_sw = 0, n = getenv("WMEMSTREAM_TRIALS") ? atoi(getenv("WMEMSTREAM_TRIALS")) : 5000;

	for (int t = 0; t < n; t++) {
		bad_ws += run_wmemstream(t) != 0;
		bad_sw += run_swprintf() != 0;
	}
	TAP_CHECK(!bad_ws, "open_wmemstream: %d random sequences of wide output, seeks and flushes equal to "
		  "glibc's call by call (%d differ)", n, bad_ws);
	TAP_CHECK(!bad_sw, "swprintf: %d random formats and buffer sizes as glibc's (%d differ)", n, bad_sw);
	return tap_done();
}
