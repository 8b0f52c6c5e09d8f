/* ctype in the C locale with glibc's ABI: glibc's headers compile isalpha(c)
 * into (*__ctype_b_loc())[c] & _ISalpha, so the tables must hold glibc's
 * bit layout and be indexable from -128 (signed char) to 255, with EOF (-1)
 * mapping to "nothing". */
#include "libc.h"

/* glibc's class bits (as little-endian shorts). */
enum {
	CT_UPPER = 0x100, CT_LOWER = 0x200, CT_ALPHA = 0x400, CT_DIGIT = 0x800,
	CT_XDIGIT = 0x1000, CT_SPACE = 0x2000, CT_PRINT = 0x4000, CT_GRAPH = 0x8000,
	CT_BLANK = 0x1, CT_CNTRL = 0x2, CT_PUNCT = 0x4, CT_ALNUM = 0x8,
};

static unsigned short class_table[384];
static int lower_table[384], upper_table[384];
static const unsigned short *class_ptr;
static const int *lower_ptr, *upper_ptr;

static unsigned short
class_of(int c)
{
	unsigned short m = 0;

	if (c < 0 || c > 127)
		return 0;
	if (c >= 'A' && c <= 'Z')
		m |= CT_UPPER | CT_ALPHA | CT_ALNUM | CT_GRAPH | CT_PRINT;
	if (c >= 'a' && c <= 'z')
		m |= CT_LOWER | CT_ALPHA | CT_ALNUM | CT_GRAPH | CT_PRINT;
	if (c >= '0' && c <= '9')
		m |= CT_DIGIT | CT_XDIGIT | CT_ALNUM | CT_GRAPH | CT_PRINT;
	if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
		m |= CT_XDIGIT;
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		m |= CT_SPACE;
	if (c == ' ' || c == '\t')
		m |= CT_BLANK;
	if (c < 32 || c == 127)
		m |= CT_CNTRL;
	if (c == ' ')
		m |= CT_PRINT;
	if (c > 32 && c < 127 && !(m & CT_ALNUM))
		m |= CT_PUNCT | CT_GRAPH | CT_PRINT;
	return m;
}

/* Idempotent, so a race between two first callers is harmless. */
static void
tables_init(void)
{
	for (int i = 0; i < 384; i++) {
		int c = i - 128;
		int u = c & 0xff;	/* -128..-1 alias 128..255 */

		class_table[i] = class_of(c == -1 ? -1 : u);
		/* glibc maps the signed-char aliases to their unsigned values */
		lower_table[i] = c >= 'A' && c <= 'Z' ? c + 32 : c < -1 ? u : c;
		upper_table[i] = c >= 'a' && c <= 'z' ? c - 32 : c < -1 ? u : c;
	}
	lower_ptr = lower_table + 128;
	upper_ptr = upper_table + 128;
	__atomic_store_n(&class_ptr, class_table + 128, __ATOMIC_RELEASE);
}

const unsigned short **
__ctype_b_loc(void)
{
	if (!__atomic_load_n(&class_ptr, __ATOMIC_ACQUIRE))
		tables_init();
	return &class_ptr;
}
EXPORT(__ctype_b_loc, LIBC);

const int **
__ctype_tolower_loc(void)
{
	__ctype_b_loc();
	return &lower_ptr;
}
EXPORT(__ctype_tolower_loc, LIBC);

const int **
__ctype_toupper_loc(void)
{
	__ctype_b_loc();
	return &upper_ptr;
}
EXPORT(__ctype_toupper_loc, LIBC);

/* The functions take an int that is EOF or an unsigned char value; like
 * glibc they also accept signed char values through the table. */
static inline int
test(int c, unsigned short bit)
{
	if (c < -128 || c > 255)
		return 0;
	return (*__ctype_b_loc())[c] & bit;
}

#define CTYPE_FN(name, bit) \
	int name(int c) { return test(c, bit); } \
	EXPORT(name, LIBC)

CTYPE_FN(isalnum, CT_ALNUM);
CTYPE_FN(isalpha, CT_ALPHA);
CTYPE_FN(isblank, CT_BLANK);
CTYPE_FN(iscntrl, CT_CNTRL);
CTYPE_FN(isdigit, CT_DIGIT);
CTYPE_FN(isgraph, CT_GRAPH);
CTYPE_FN(islower, CT_LOWER);
CTYPE_FN(isprint, CT_PRINT);
CTYPE_FN(ispunct, CT_PUNCT);
CTYPE_FN(isspace, CT_SPACE);
CTYPE_FN(isupper, CT_UPPER);
CTYPE_FN(isxdigit, CT_XDIGIT);

int
isascii(int c)
{
	return (c & ~0x7f) == 0;
}
EXPORT(isascii, LIBC);

int
toascii(int c)
{
	return c & 0x7f;
}
EXPORT(toascii, LIBC);

int
tolower(int c)
{
	return c >= -128 && c <= 255 ? (*__ctype_tolower_loc())[c] : c;
}
EXPORT(tolower, LIBC);

int
toupper(int c)
{
	return c >= -128 && c <= 255 ? (*__ctype_toupper_loc())[c] : c;
}
EXPORT(toupper, LIBC);
