/* The smallest driver that needs zlib's whole compress/decompress path:
 * loading it with libz.a pulls in the closure a real user would get
 * (bench/loader.c times that load against glibc's dlopen of libz.so.1). */
#include <zlib.h>

void *const zclosure_uses[] = {
	(void *)deflateInit_, (void *)deflate, (void *)deflateEnd, (void *)inflateInit_,
	(void *)inflate, (void *)inflateEnd, (void *)crc32, (void *)adler32,
	(void *)compress, (void *)uncompress, (void *)compressBound, (void *)zlibVersion,
};
