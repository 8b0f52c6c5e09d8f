/* setlocale as glibc without installed locales: the built-in "C" ("POSIX"
 * is its other name) and "C.UTF-8" (any spelling of the codeset that
 * normalises to utf8); other names fail.  Only LC_CTYPE changes behaviour:
 * the multibyte functions (wchar.c) are ASCII in C and UTF-8 in C.UTF-8. */
#include "libc.h"
#include "wide.h"

#define LC_ALL		6
#define NCATS		13
#define NAME_MAX_LEN	32

static const char *const cat_names[NCATS] = {
	"LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES",
	NULL, "LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT",
	"LC_IDENTIFICATION",
};
static char current[NCATS][NAME_MAX_LEN] = {
	"C", "C", "C", "C", "C", "C", "C", "C", "C", "C", "C", "C", "C",
};
static char composite[NCATS * (NAME_MAX_LEN + 20)];

bool libc_ctype_utf8;

/* "C.UTF-8", "C.utf8", "C.UTF8"...: glibc lower-cases the codeset and
 * drops its punctuation before comparing. */
static bool
is_c_utf8(const char *name)
{
	char norm[8];
	int n = 0;

	if (name[0] != 'C' || name[1] != '.')
		return false;
	for (const char *p = name + 2; *p; p++) {
		if (*p == '-' || *p == '_')
			continue;
		if (n == 7)
			return false;
		norm[n++] = tolower((u8)*p);
	}
	norm[n] = '\0';
	return !strcmp(norm, "utf8");
}

static bool
valid_name(const char *name)
{
	return strlen(name) < NAME_MAX_LEN &&
	       (!strcmp(name, "C") || !strcmp(name, "POSIX") || is_c_utf8(name));
}

/* setlocale(cat, ""): LC_ALL, then LC_<cat>, then LANG, else "C". */
static const char *
from_environment(int cat)
{
	const char *v = getenv("LC_ALL");

	if (!v || !*v)
		v = cat == LC_ALL ? NULL : getenv(cat_names[cat]);
	if (!v || !*v)
		v = getenv("LANG");
	return v && *v ? v : "C";
}

static const char *
query_all(void)
{
	size_t o = 0;
	bool same = true;

	for (int c = 1; c < NCATS; c++)
		if (c != LC_ALL && strcmp(current[c], current[0]))
			same = false;
	if (same)
		return current[0];
	for (int c = 0; c < NCATS; c++) {
		if (c == LC_ALL)
			continue;
		o += snprintf(composite + o, sizeof(composite) - o, "%s%s=%s", o ? ";" : "",
			      cat_names[c], current[c]);
	}
	return composite;
}

static void
set_one(int cat, const char *name)
{
	strcpy(current[cat], strcmp(name, "POSIX") ? name : "C");
	if (cat == 0)
		libc_ctype_utf8 = is_c_utf8(name);
}

char *
setlocale(int cat, const char *name)
{
	if (cat < 0 || cat >= NCATS) {
		errno = EINVAL;
		return NULL;
	}
	if (!name)
		return (char *)(cat == LC_ALL ? query_all() : current[cat]);
	if (cat == LC_ALL) {
		const char *per[NCATS];

		for (int c = 0; c < NCATS; c++) {
			if (c == LC_ALL)
				continue;
			per[c] = *name ? name : from_environment(c);
			if (!valid_name(per[c])) {
				errno = ENOENT;
				return NULL;
			}
		}
		for (int c = 0; c < NCATS; c++)
			if (c != LC_ALL)
				set_one(c, per[c]);
		return (char *)query_all();
	}
	if (!*name)
		name = from_environment(cat);
	if (!valid_name(name)) {
		errno = ENOENT;
		return NULL;
	}
	set_one(cat, name);
	return current[cat];
}
EXPORT(setlocale, LIBC);

size_t
__ctype_get_mb_cur_max(void)
{
	return libc_ctype_utf8 ? 6 : 1;
}
EXPORT(__ctype_get_mb_cur_max, LIBC);

#define CODESET	14

char *
nl_langinfo(int item)
{
	if (item == CODESET)
		return libc_ctype_utf8 ? "UTF-8" : "ANSI_X3.4-1968";
	return "";
}
EXPORT(nl_langinfo, LIBC);
