/* Private to libc/: the wide printf formatter (wformat.c). */
#ifndef LIBC_WFORMAT_H
#define LIBC_WFORMAT_H

#include "libc.h"

typedef void (*wformat_sink)(void *ctx, const int *w, size_t n);

/* The output of FMT in chunks to SINK: wide characters written, or -1 with
 * errno (EILSEQ, EINVAL for %n and positional arguments, EOVERFLOW). */
int vwformat(wformat_sink sink, void *ctx, const int *fmt, va_list ap);

#endif
