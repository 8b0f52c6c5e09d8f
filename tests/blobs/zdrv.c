/* A driver for Debian's zlib (libz.a or libz.so.1) loaded as a blob: each
 * function returns a known answer or 0 for success.  The expected values
 * come from the zlib specification and from Python's zlib module (the
 * stream in zdrv_inflate_known was made with zlib.compress(data, 9)). */
#include <string.h>
#include <zlib.h>

/* zlib's state allocator, from a static arena: these tests do not depend
 * on the core's malloc. */
static unsigned char arena[1 << 20];
static size_t arena_used;

static voidpf
arena_alloc(voidpf opaque, uInt n, uInt size)
{
	size_t bytes = ((size_t)n * size + 15) & ~(size_t)15;
	void *p;

	(void)opaque;
	if (arena_used + bytes > sizeof(arena))
		return Z_NULL;
	p = arena + arena_used;
	arena_used += bytes;
	return p;
}

static void
arena_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	(void)p;
}

static void
arena_stream(z_stream *s)
{
	memset(s, 0, sizeof(*s));
	s->zalloc = arena_alloc;
	s->zfree = arena_free;
	arena_used = 0;
}

unsigned long
zdrv_crc(void)
{
	return crc32(0, (const Bytef *)"123456789", 9);	/* 0xcbf43926 */
}

unsigned long
zdrv_adler(void)
{
	return adler32(1, (const Bytef *)"Wikipedia", 9);	/* 0x11e60398 */
}

static const unsigned char known[] = {
	0x78, 0xda, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0x48, 0xca, 0xc9, 0x4f, 0x2a,
	0xcb, 0x2c, 0xce, 0x2f, 0x52, 0x54, 0xc8, 0x20, 0x4b, 0x04, 0x00, 0xb7, 0xb5, 0x19,
	0xcd,
};

int
zdrv_inflate_known(void)
{
	static const char text[] = "hello, blobvisor! ";
	unsigned char out[256];
	z_stream s;
	int rc;

	arena_stream(&s);
	if (inflateInit(&s) != Z_OK)
		return 1;
	s.next_in = (Bytef *)known;
	s.avail_in = sizeof(known);
	s.next_out = out;
	s.avail_out = sizeof(out);
	rc = inflate(&s, Z_FINISH);
	inflateEnd(&s);
	if (rc != Z_STREAM_END)
		return 2;
	if (s.total_out != 72)
		return 3;
	for (int i = 0; i < 4; i++)
		if (memcmp(out + 18 * i, text, 18))
			return 4;
	return 0;
}

static unsigned char plain[256 * 1024], packed[300 * 1024], back[256 * 1024];

static void
fill(void)
{
	unsigned x = 12345;

	for (size_t i = 0; i < sizeof(plain); i++) {
		x = x * 1103515245 + 12345;
		/* compressible: words from a small alphabet */
		plain[i] = (unsigned char)("abcdefgh  \n"[(x >> 16) % 11]);
	}
}

/* deflate + inflate with our allocator; returns 0 when the data survives. */
int
zdrv_roundtrip(void)
{
	z_stream s;
	size_t packed_len;

	fill();
	arena_stream(&s);
	if (deflateInit(&s, 6) != Z_OK)
		return 1;
	s.next_in = plain;
	s.avail_in = sizeof(plain);
	s.next_out = packed;
	s.avail_out = sizeof(packed);
	if (deflate(&s, Z_FINISH) != Z_STREAM_END)
		return 2;
	packed_len = s.total_out;
	deflateEnd(&s);
	if (packed_len >= sizeof(plain) / 2)
		return 3;
	arena_stream(&s);
	if (inflateInit(&s) != Z_OK)
		return 4;
	s.next_in = packed;
	s.avail_in = (uInt)packed_len;
	s.next_out = back;
	s.avail_out = sizeof(back);
	if (inflate(&s, Z_FINISH) != Z_STREAM_END)
		return 5;
	inflateEnd(&s);
	if (s.total_out != sizeof(plain) || memcmp(plain, back, sizeof(plain)))
		return 6;
	return 0;
}

/* compress()/uncompress() use zlib's default allocator: malloc and free
 * from the core's libc. */
int
zdrv_compress_default(void)
{
	uLongf plen = sizeof(packed), blen = sizeof(back);

	fill();
	if (compress(packed, &plen, plain, sizeof(plain)) != Z_OK)
		return 1;
	if (uncompress(back, &blen, packed, plen) != Z_OK)
		return 2;
	if (blen != sizeof(plain) || memcmp(plain, back, sizeof(plain)))
		return 3;
	return 0;
}

/* For benchmarks: deflate the 256 KiB buffer `rounds' times at level 6;
 * returns the total compressed size. */
long
zdrv_bench(int rounds)
{
	long total = 0;

	fill();
	for (int r = 0; r < rounds; r++) {
		z_stream s;

		arena_stream(&s);
		if (deflateInit(&s, 6) != Z_OK)
			return -1;
		s.next_in = plain;
		s.avail_in = sizeof(plain);
		s.next_out = packed;
		s.avail_out = sizeof(packed);
		if (deflate(&s, Z_FINISH) != Z_STREAM_END)
			return -2;
		total += (long)s.total_out;
		deflateEnd(&s);
	}
	return total;
}
