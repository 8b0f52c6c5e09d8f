/* Private to libc/: the multibyte encoding of the current LC_CTYPE (ASCII
 * in "C", UTF-8 in "C.UTF-8"), shared by wchar.c, mbconv.c and printf's
 * %ls/%lc. */
#ifndef LIBC_WIDE_H
#define LIBC_WIDE_H

#include "libc.h"

typedef int wchar_t_;
typedef struct { u8 count; u8 bytes[7]; } mbstate_;	/* glibc's 8-byte mbstate_t */

extern bool libc_ctype_utf8;

/* glibc's UTF-8: decode s[0..n) (bytes used, -EILSEQ, -EINVAL when
 * incomplete; strict: iconv's U+10FFFF limit without surrogates, else the
 * locale's 31-bit range); length and bytes of a value up to 0x7fffffff. */
int libc_utf8_decode(const u8 *s, size_t n, u32 *cp, bool strict);
int libc_utf8_len(u32 c);
void libc_utf8_encode(u32 c, u8 *o);
/* Bytes written to s (up to 6), or -1 (EILSEQ) if wc has no encoding. */
int libc_wc_encode(char *s, u32 wc);
/* Decodes s[0..n): bytes used (0 for NUL), -1 invalid, -2 incomplete. */
int libc_mb_decode(u32 *wc, const u8 *s, size_t n);

char *setlocale(int cat, const char *name);
size_t __ctype_get_mb_cur_max(void);
char *nl_langinfo(int item);

#endif
