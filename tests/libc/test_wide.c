/* Wide characters and locales against glibc: setlocale's names and
 * queries, mbrtowc/wcrtomb and the string conversions over random bytes
 * and code points in "C" and "C.UTF-8", the wcs and wmem functions, and
 * %ls/%lc in printf. */
#include "bv.h"
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

char *bv_setlocale(int cat, const char *name);
size_t bv___ctype_get_mb_cur_max(void);
size_t bv_mbrtowc(wchar_t *pwc, const char *s, size_t n, mbstate_t *st);
size_t bv_wcrtomb(char *s, wchar_t wc, mbstate_t *st);
int bv_mbtowc(wchar_t *pwc, const char *s, size_t n);
int bv_wctomb(char *s, wchar_t wc);
int bv_mblen(const char *s, size_t n);
size_t bv_mbstowcs(wchar_t *d, const char *s, size_t n);
size_t bv_wcstombs(char *d, const wchar_t *s, size_t n);
size_t bv_mbsrtowcs(wchar_t *d, const char **s, size_t n, mbstate_t *st);
size_t bv_wcsrtombs(char *d, const wchar_t **s, size_t n, mbstate_t *st);
wint_t bv_btowc(int c);
int bv_wctob(wint_t c);
int bv_mbsinit(const mbstate_t *st);
size_t bv_wcslen(const wchar_t *);
size_t bv_wcsnlen(const wchar_t *, size_t);
int bv_wcscmp(const wchar_t *, const wchar_t *);
int bv_wcsncmp(const wchar_t *, const wchar_t *, size_t);
int bv_wcscasecmp(const wchar_t *, const wchar_t *);
int bv_wcsncasecmp(const wchar_t *, const wchar_t *, size_t);
wchar_t *bv_wcscpy(wchar_t *, const wchar_t *);
wchar_t *bv_wcpcpy(wchar_t *, const wchar_t *);
wchar_t *bv_wcsncpy(wchar_t *, const wchar_t *, size_t);
wchar_t *bv_wcscat(wchar_t *, const wchar_t *);
wchar_t *bv_wcsncat(wchar_t *, const wchar_t *, size_t);
wchar_t *bv_wcschr(const wchar_t *, wchar_t);
wchar_t *bv_wcsrchr(const wchar_t *, wchar_t);
wchar_t *bv_wcsdup(const wchar_t *);
size_t bv_wcsspn(const wchar_t *, const wchar_t *);
size_t bv_wcscspn(const wchar_t *, const wchar_t *);
wchar_t *bv_wcspbrk(const wchar_t *, const wchar_t *);
wchar_t *bv_wcsstr(const wchar_t *, const wchar_t *);
wchar_t *bv_wcstok(wchar_t *, const wchar_t *, wchar_t **);
int bv_wmemcmp(const wchar_t *, const wchar_t *, size_t);
wchar_t *bv_wmemchr(const wchar_t *, wchar_t, size_t);
wchar_t *bv_wmemset(wchar_t *, wchar_t, size_t);
int bv_iswalpha(wint_t);
int bv_iswspace(wint_t);
int bv_iswpunct(wint_t);
int bv_iswxdigit(wint_t);
wint_t bv_towupper(wint_t);
wint_t bv_towlower(wint_t);
void bv_free(void *);
int bv_snprintf(char *, size_t, const char *, ...);

static int shown;
#define DIFF(cond, ...) do { if (cond) { bad++; if (shown++ < 12) printf("# " __VA_ARGS__); } } while (0)

static void
test_setlocale(void)
{
	static const char *const names[] = { "C", "POSIX", "C.UTF-8", "C.utf8", "C.UTF8", "C.utf-8",
		"", "en_US.UTF-8", "c", "de_DE", "C.ISO-8859-1", "UTF-8", "C.", "POSIX.UTF-8" };
	static const int cats[] = { LC_ALL, LC_CTYPE, LC_NUMERIC, LC_TIME, LC_MESSAGES, LC_IDENTIFICATION };
	int bad = 0;

	unsetenv("LC_ALL"); unsetenv("LANG"); unsetenv("LC_CTYPE");
	for (size_t c = 0; c < sizeof(cats) / sizeof(*cats); c++)
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		char g[512] = "(null)", o[512] = "(null)";
		char *gr = setlocale(cats[c], names[i]), *orr = bv_setlocale(cats[c], names[i]);

		if (gr) snprintf(g, sizeof(g), "%s", gr);
		if (orr) snprintf(o, sizeof(o), "%s", orr);
		DIFF(strcmp(g, o), "setlocale(%d, \"%s\"): glibc %s, ours %s\n", cats[c], names[i], g, o);
		gr = setlocale(LC_ALL, NULL);
		orr = bv_setlocale(LC_ALL, NULL);
		DIFF(strcmp(gr, orr), "then setlocale(LC_ALL, NULL): glibc %s, ours %s\n", gr, orr);
		DIFF(MB_CUR_MAX != bv___ctype_get_mb_cur_max(), "MB_CUR_MAX: glibc %zu ours %zu\n",
		     MB_CUR_MAX, bv___ctype_get_mb_cur_max());
	}
	errno = 0; shim_errno = 0;
	DIFF(setlocale(99, "C") || bv_setlocale(99, "C") || shim_errno != EINVAL,
	     "setlocale on a bad category\n");
	setlocale(LC_ALL, "C");
	bv_setlocale(LC_ALL, "C");
	TAP_CHECK(!bad, "setlocale: C, POSIX, C.UTF-8 spellings, \"\" and unknown names on every kind of "
		  "category; LC_ALL's composite name and MB_CUR_MAX match glibc");
}

static void
test_mb_conversions(const char *loc)
{
	int bad = 0, n = 0;

	setlocale(LC_ALL, loc);
	bv_setlocale(LC_ALL, loc);
	for (int iter = 0; iter < 20000; iter++) {
		unsigned char s[8];
		size_t len = 1 + rnd() % 6;
		wchar_t gw = -1, ow = -1;
		mbstate_t gs, os;

		for (size_t i = 0; i < len; i++) {
			unsigned r = rnd();
			s[i] = r % 3 ? 0x80 + (r >> 8) % 0x80 : r >> 8;
		}
		memset(&gs, 0, sizeof(gs)); memset(&os, 0, sizeof(os));
		errno = 0; shim_errno = 0;
		/* fed in two pieces: the state carries an incomplete character */
		size_t cut = rnd() % (len + 1);
		size_t g1 = mbrtowc(&gw, (char *)s, cut, &gs), o1 = bv_mbrtowc(&ow, (char *)s, cut, &os);
		DIFF(g1 != o1 || (g1 < (size_t)-2 && gw != ow), "%s mbrtowc first %zu bytes of %02x %02x %02x: glibc %zd %x, ours %zd %x\n",
		     loc, cut, s[0], s[1], s[2], g1, gw, o1, ow);
		if (g1 == (size_t)-2) {
			size_t g2 = mbrtowc(&gw, (char *)s + cut, len - cut, &gs);
			size_t o2 = bv_mbrtowc(&ow, (char *)s + cut, len - cut, &os);
			DIFF(g2 != o2 || (g2 < (size_t)-2 && gw != ow), "%s mbrtowc rest: glibc %zd %x, ours %zd %x\n",
			     loc, g2, gw, o2, ow);
		}
		if (g1 == (size_t)-1)
			DIFF(errno != shim_errno, "mbrtowc errno %d vs %d\n", errno, shim_errno);
		DIFF(mblen((char *)s, len) != bv_mblen((char *)s, len), "mblen\n");

		wchar_t wc = rnd() % 4 == 0 ? (wchar_t)(rnd() % 0x80) : rnd() % 2 ? (wchar_t)(rnd() % 0x110000) : (wchar_t)rnd();
		if (rnd() % 16 == 0)
			wc = 0xe0000 + rnd() % 0x100;	/* tag characters and beyond */
		char gb[8], ob[8];
		errno = 0; shim_errno = 0;
		size_t gr = wcrtomb(gb, wc, NULL), orr = bv_wcrtomb(ob, wc, NULL);
		DIFF(gr != orr || (gr != (size_t)-1 && memcmp(gb, ob, gr)) || errno != shim_errno,
		     "%s wcrtomb(%x): glibc %zd, ours %zd\n", loc, wc, gr, orr);
		DIFF(btowc(s[0]) != bv_btowc(s[0]), "btowc(%02x)\n", s[0]);
		DIFF(wctob(wc) != bv_wctob(wc), "wctob(%x)\n", wc);
		n++;
	}
	/* whole strings both ways */
	for (int iter = 0; iter < 3000; iter++) {
		wchar_t ws[20], gw[24], ow[24];
		char gs[100], os[100];
		size_t k = rnd() % 18, cap = rnd() % 24;

		for (size_t i = 0; i < k; i++)
			ws[i] = rnd() % 3 ? 1 + rnd() % 0x7f : 1 + rnd() % (rnd() % 8 ? 0x800 : 0x10ffff);
		ws[k] = 0;
		errno = 0; shim_errno = 0;
		memset(gs, 'x', sizeof(gs)); memset(os, 'x', sizeof(os));
		size_t gr = wcstombs(gs, ws, cap), orr = bv_wcstombs(os, ws, cap);
		DIFF(gr != orr || memcmp(gs, os, sizeof(gs)), "%s wcstombs cap %zu: glibc %zd ours %zd\n", loc, cap, gr, orr);
		DIFF(wcstombs(NULL, ws, 0) != bv_wcstombs(NULL, ws, 0), "wcstombs(NULL)\n");
		if (gr != (size_t)-1 && memchr(gs, 0, gr + 1)) {	/* converted whole, NUL included */
			memset(gw, 0x55, sizeof(gw)); memset(ow, 0x55, sizeof(ow));
			size_t wcap = rnd() % 22;
			size_t g2 = mbstowcs(gw, gs, wcap), o2 = bv_mbstowcs(ow, gs, wcap);
			DIFF(g2 != o2 || memcmp(gw, ow, sizeof(gw)), "%s mbstowcs: glibc %zd ours %zd\n", loc, g2, o2);
			DIFF(mbstowcs(NULL, gs, 0) != bv_mbstowcs(NULL, gs, 0), "mbstowcs(NULL)\n");
			const char *gp = gs, *op = gs;
			mbstate_t a, b;
			memset(&a, 0, sizeof(a)); memset(&b, 0, sizeof(b));
			g2 = mbsrtowcs(gw, &gp, wcap, &a);
			o2 = bv_mbsrtowcs(ow, &op, wcap, &b);
			DIFF(g2 != o2 || gp != op, "mbsrtowcs: pointer left at %td vs %td\n", gp ? gp - gs : -1, op ? op - gs : -1);
		}
		n++;
	}
	TAP_CHECK(!bad, "%s: %d random mbrtowc (split across calls), mblen, wcrtomb, btowc, wctob, "
		  "wcstombs/mbstowcs/mbsrtowcs cases match glibc", loc, n);
	setlocale(LC_ALL, "C");
	bv_setlocale(LC_ALL, "C");
}

static void
rnd_wcs(wchar_t *s, size_t n)
{
	static const wchar_t alpha[] = { 'a', 'b', 'A', 'B', ' ', 0xe9, 0x4e00, -5, 0x7fffffff };

	for (size_t i = 0; i < n; i++)
		s[i] = alpha[rnd() % 9];
	s[n] = 0;
}

static int
sgn(long v)
{
	return v < 0 ? -1 : v > 0;
}

static void
test_wcs(void)
{
	int bad = 0, n = 0;

	for (int iter = 0; iter < 20000; iter++) {
		wchar_t a[16], b[16], ga[40], oa[40];
		size_t la = rnd() % 8, lb = rnd() % 8, k = rnd() % 10;
		wchar_t c = rnd() % 2 ? 'a' : 0x4e00;

		rnd_wcs(a, la);
		rnd_wcs(b, lb);
		DIFF(wcslen(a) != bv_wcslen(a) || wcsnlen(a, k) != bv_wcsnlen(a, k), "wcslen\n");
		DIFF(sgn(wcscmp(a, b)) != sgn(bv_wcscmp(a, b)), "wcscmp\n");
		DIFF(sgn(wcsncmp(a, b, k)) != sgn(bv_wcsncmp(a, b, k)), "wcsncmp\n");
		DIFF(sgn(wcscasecmp(a, b)) != sgn(bv_wcscasecmp(a, b)), "wcscasecmp\n");
		DIFF(sgn(wcsncasecmp(a, b, k)) != sgn(bv_wcsncasecmp(a, b, k)), "wcsncasecmp\n");
		DIFF(sgn(wmemcmp(a, b, la < lb ? la : lb)) != sgn(bv_wmemcmp(a, b, la < lb ? la : lb)), "wmemcmp\n");
		DIFF(wcschr(a, c) != bv_wcschr(a, c) || wcschr(a, 0) != bv_wcschr(a, 0), "wcschr\n");
		DIFF(wcsrchr(a, c) != bv_wcsrchr(a, c), "wcsrchr\n");
		DIFF(wmemchr(a, c, la) != bv_wmemchr(a, c, la), "wmemchr\n");
		DIFF(wcsspn(a, b) != bv_wcsspn(a, b) || wcscspn(a, b) != bv_wcscspn(a, b), "wcsspn\n");
		DIFF(wcspbrk(a, b) != bv_wcspbrk(a, b), "wcspbrk\n");
		DIFF(wcsstr(a, b) != bv_wcsstr(a, b), "wcsstr\n");
		memset(ga, 0x33, sizeof(ga)); memset(oa, 0x33, sizeof(oa));
		wcscpy(ga, a); bv_wcscpy(oa, a);
		wcscat(ga, b); bv_wcscat(oa, b);
		wcsncat(ga, a, k); bv_wcsncat(oa, a, k);
		DIFF(memcmp(ga, oa, sizeof(ga)), "wcscpy/wcscat/wcsncat\n");
		memset(ga, 0x33, sizeof(ga)); memset(oa, 0x33, sizeof(oa));
		DIFF(wcsncpy(ga, a, k) - ga != bv_wcsncpy(oa, a, k) - oa || memcmp(ga, oa, sizeof(ga)), "wcsncpy\n");
		DIFF(wcpcpy(ga, b) - ga != bv_wcpcpy(oa, b) - oa, "wcpcpy\n");
		wmemset(ga, c, k); bv_wmemset(oa, c, k);
		DIFF(memcmp(ga, oa, sizeof(ga)), "wmemset\n");
		wchar_t *d = bv_wcsdup(a);
		DIFF(wcscmp(d, a), "wcsdup\n");
		bv_free(d);
		wint_t w = rnd() % 2 ? rnd() % 0x80 : rnd() % 0x3000;
		DIFF(!!iswalpha(w) != !!bv_iswalpha(w) || !!iswspace(w) != !!bv_iswspace(w) ||
		     !!iswpunct(w) != !!bv_iswpunct(w) || !!iswxdigit(w) != !!bv_iswxdigit(w) ||
		     towupper(w) != bv_towupper(w) || towlower(w) != bv_towlower(w), "wide ctype of %x\n", w);
		n++;
	}
	{
		wchar_t g[] = L"  one, two;;three ", o[] = L"  one, two;;three ", *gs, *os;
		wchar_t *gt = wcstok(g, L" ,;", &gs), *ot = bv_wcstok(o, L" ,;", &os);
		while (gt && ot && !wcscmp(gt, ot)) {
			gt = wcstok(NULL, L" ,;", &gs);
			ot = bv_wcstok(NULL, L" ,;", &os);
		}
		DIFF(gt || ot, "wcstok\n");
	}
	TAP_CHECK(!bad, "wcs*/wmem* and the wide ctype (C locale): %d random cases match glibc "
		  "(negative and large wchar_t included)", n);
}

static void
test_printf_wide(void)
{
	static const wchar_t *const strs[] = { L"abc", L"", L"caf\xe9", L"\x4e00\x4e8c", L"\x1f600!" };
	static const char *const fmts[] = { "[%ls]", "[%5ls]", "[%-6ls]", "[%.2ls]", "[%.4ls]", "[%lc]", "[%3lc]" };
	int bad = 0;

	for (int l = 0; l < 2; l++) {
		setlocale(LC_ALL, l ? "C.UTF-8" : "C");
		bv_setlocale(LC_ALL, l ? "C.UTF-8" : "C");
		for (size_t f = 0; f < sizeof(fmts) / sizeof(*fmts); f++)
		for (size_t s = 0; s < sizeof(strs) / sizeof(*strs); s++) {
			char g[64], o[64];
			int gr, orr;

			memset(g, 0, sizeof(g)); memset(o, 0, sizeof(o));
			if (strstr(fmts[f], "lc")) {
				gr = snprintf(g, sizeof(g), fmts[f], (wint_t)strs[s][0]);
				orr = bv_snprintf(o, sizeof(o), fmts[f], (wint_t)strs[s][0]);
			} else {
				gr = snprintf(g, sizeof(g), fmts[f], strs[s]);
				orr = bv_snprintf(o, sizeof(o), fmts[f], strs[s]);
			}
			DIFF(gr != orr || (gr >= 0 && strcmp(g, o)), "%s locale %s, string %zu: glibc %d \"%s\", ours %d \"%s\"\n",
			     fmts[f], l ? "C.UTF-8" : "C", s, gr, g, orr, o);
		}
	}
	setlocale(LC_ALL, "C");
	bv_setlocale(LC_ALL, "C");
	TAP_CHECK(!bad, "%%ls and %%lc with width and precision in C (EILSEQ beyond ASCII) and C.UTF-8 "
		  "(whole characters within the precision) match glibc");
}

int
main(void)
{
	test_setlocale();
	test_mb_conversions("C");
	test_mb_conversions("C.UTF-8");
	test_wcs();
	test_printf_wide();
	return tap_done();
}
