/* Private to libc/: the multibyte encoding of the current LC_CTYPE (ASCII
 * in "C", UTF-8 in "C.UTF-8"), shared by wchar.c, mbconv.c and printf's
 * %ls/%lc. */
#ifndef LIBC_WIDE_H
#define LIBC_WIDE_H

#include "libc.h"

typedef int wchar_t_;
typedef struct { int count; u8 bytes[4]; } mbstate_;

extern bool libc_ctype_utf8;

/* Bytes written to s (up to 4), or -1 (EILSEQ) if wc has no encoding. */
int libc_wc_encode(char *s, u32 wc);
/* Decodes s[0..n): bytes used (0 for NUL), -1 invalid, -2 incomplete. */
int libc_mb_decode(u32 *wc, const u8 *s, size_t n);

char *setlocale(int cat, const char *name);
size_t __ctype_get_mb_cur_max(void);
char *nl_langinfo(int item);

#endif
