/* GNU ar archive reader.  Facts: 8-byte magic "!<arch>\n", 60-byte member
 * headers (name 16, date 12, uid 6, gid 6, mode 8, size 10, "`\n"), data
 * padded to an even offset; "/" holds the symbol index (big-endian count,
 * offsets, then NUL-terminated names), "//" the long names ("name/\n"),
 * "/123" refers into it. */
#include <core/string.h>
#include <loader/ar.h>
#include <loader/elf.h>

#define AR_HDR 60

#define fail(a, err, errsz, ...) loader_fail((a)->name, err, errsz, __VA_ARGS__)

bool
ar_is_archive(const void *buf, size_t len)
{
	return len >= 8 && (!memcmp(buf, "!<arch>\n", 8) || !memcmp(buf, "!<thin>\n", 8));
}

static u64
be(const u8 *p, unsigned w)
{
	u64 v = 0;

	for (unsigned i = 0; i < w; i++)
		v = v << 8 | p[i];
	return v;
}

/* Decimal field of an ar header, space padded. */
static bool
field_dec(const u8 *p, unsigned w, u64 *out)
{
	u64 v = 0;
	unsigned i = 0;

	for (; i < w && p[i] >= '0' && p[i] <= '9'; i++)
		v = v * 10 + (p[i] - '0');
	if (i == 0)
		return false;
	for (; i < w; i++)
		if (p[i] != ' ')
			return false;
	*out = v;
	return true;
}

/* Read the header at pos: raw name field, payload and size. */
static int
header_at(const struct ar_file *a, u64 pos, const u8 **raw, const u8 **data, u64 *size,
	  char *err, size_t errsz)
{
	const u8 *h = a->buf + pos;

	if (pos > a->len || a->len - pos < AR_HDR)
		return fail(a, err, errsz, "member header at %#llx: truncated", (unsigned long long)pos);
	if (h[58] != '`' || h[59] != '\n')
		return fail(a, err, errsz, "member header at %#llx: bad magic", (unsigned long long)pos);
	if (!field_dec(h + 48, 10, size))
		return fail(a, err, errsz, "member header at %#llx: bad size field", (unsigned long long)pos);
	if (*size > a->len - pos - AR_HDR)
		return fail(a, err, errsz, "member at %#llx: size %#llx beyond end of file (%#zx)",
			    (unsigned long long)pos, (unsigned long long)*size, a->len);
	*raw = h;
	*data = h + AR_HDR;
	return 0;
}

static int
member_name(const struct ar_file *a, const u8 *raw, struct ar_member *m, char *err, size_t errsz)
{
	size_t n = 0;

	if (raw[0] == '/' && raw[1] >= '0' && raw[1] <= '9') {
		u64 off = 0;
		unsigned i = 1;

		for (; i < 16 && raw[i] >= '0' && raw[i] <= '9'; i++)
			off = off * 10 + (raw[i] - '0');
		if (!a->longnames || off >= a->longnames_len)
			return fail(a, err, errsz, "member at %#llx: long name offset %llu out of range",
				    (unsigned long long)m->hdr, (unsigned long long)off);
		while (off + n < a->longnames_len && a->longnames[off + n] != '/' &&
		       a->longnames[off + n] != '\n' && n < sizeof(m->name) - 1) {
			m->name[n] = a->longnames[off + n];
			n++;
		}
	} else {
		while (n < 16 && raw[n] != '/' && raw[n] != ' ') {
			m->name[n] = raw[n];
			n++;
		}
	}
	m->name[n] = 0;
	if (!n)
		return fail(a, err, errsz, "member at %#llx: empty name", (unsigned long long)m->hdr);
	return 0;
}

static bool
is_special(const u8 *raw, const char *name)
{
	size_t n = strlen(name);

	if (memcmp(raw, name, n))
		return false;
	for (size_t i = n; i < 16; i++)
		if (raw[i] != ' ')
			return false;
	return true;
}

int
ar_open(struct ar_file *a, const void *buf, size_t len, const char *name, char *err, size_t errsz)
{
	u64 pos = 8;

	memset(a, 0, sizeof(*a));
	a->name = name;
	a->buf = buf;
	a->len = len;
	if (len >= 8 && !memcmp(buf, "!<thin>\n", 8))
		return fail(a, err, errsz, "thin archive: its members are separate files; not supported (use the member objects or a normal archive)");
	if (len < 8 || memcmp(buf, "!<arch>\n", 8))
		return fail(a, err, errsz, "not an ar archive");
	/* Special members come first: "/" or "/SYM64/", then "//". */
	while (pos < len) {
		const u8 *raw, *data;
		u64 size;

		if (header_at(a, pos, &raw, &data, &size, err, errsz))
			return -1;
		if (is_special(raw, "/") || is_special(raw, "/SYM64/")) {
			unsigned w = raw[1] == 'S' ? 8 : 4;
			u64 n;

			if (size < w)
				return fail(a, err, errsz, "symbol index truncated");
			n = be(data, w);
			if (n > (size - w) / w || n > 0xffffffffu)
				return fail(a, err, errsz, "symbol index: %llu symbols do not fit in %llu bytes",
					    (unsigned long long)n, (unsigned long long)size);
			a->offw = w;
			a->nsyms = (u32)n;
			a->index = data + w;
			a->names = (const char *)data + w + n * w;
			a->names_len = size - w - n * w;
			if (n && (!a->names_len || a->names[a->names_len - 1] != 0)) {
				/* Names may be followed by padding; require a final NUL. */
				size_t k = a->names_len;

				while (k && a->names[k - 1] != 0)
					k--;
				if (!k)
					return fail(a, err, errsz, "symbol index: names not NUL-terminated");
				a->names_len = k;
			}
		} else if (is_special(raw, "//")) {
			a->longnames = (const char *)data;
			a->longnames_len = size;
		} else {
			break;
		}
		pos += AR_HDR + size + (size & 1);
	}
	/* Every index entry must name a member header. */
	{
		size_t cur = 0;
		u32 i;
		const char *sym;
		u64 hdr;
		u32 seen = 0;

		while (ar_index_next(a, &cur, &i, &sym, &hdr)) {
			const u8 *raw, *data;
			u64 size;

			if (header_at(a, hdr, &raw, &data, &size, err, errsz))
				return fail(a, err, errsz, "symbol index: `%s' points to %#llx, not a member",
					    sym, (unsigned long long)hdr);
			seen++;
		}
		if (seen != a->nsyms)
			return fail(a, err, errsz, "symbol index: %u names for %u symbols", seen, a->nsyms);
	}
	return 0;
}

bool
ar_index_next(const struct ar_file *a, size_t *cursor, u32 *i, const char **sym, u64 *hdr)
{
	/* cursor encodes (symbol number << 32 | name offset). */
	u32 k = (u32)(*cursor >> 32);
	size_t off = *cursor & 0xffffffffu;
	size_t n;

	if (k >= a->nsyms || off >= a->names_len)
		return false;
	n = strnlen(a->names + off, a->names_len - off);
	if (off + n >= a->names_len)
		return false;
	*i = k;
	*sym = a->names + off;
	*hdr = be(a->index + (size_t)k * a->offw, a->offw);
	*cursor = (size_t)(k + 1) << 32 | (off + n + 1);
	return true;
}

int
ar_member_at(const struct ar_file *a, u64 hdr, struct ar_member *m, char *err, size_t errsz)
{
	const u8 *raw, *data;
	u64 size;

	if (header_at(a, hdr, &raw, &data, &size, err, errsz))
		return -1;
	m->hdr = hdr;
	m->data = data;
	m->size = size;
	return member_name(a, raw, m, err, errsz);
}

int
ar_next(const struct ar_file *a, u64 *pos, struct ar_member *m, char *err, size_t errsz)
{
	if (*pos == 0)
		*pos = 8;
	while (*pos < a->len) {
		const u8 *raw, *data;
		u64 size, here = *pos;

		if (a->len - here == 1 && a->buf[here] == '\n')
			return 0;	/* trailing pad byte */
		if (header_at(a, here, &raw, &data, &size, err, errsz))
			return -1;
		*pos = here + AR_HDR + size + (size & 1);
		if (is_special(raw, "/") || is_special(raw, "/SYM64/") || is_special(raw, "//"))
			continue;
		m->hdr = here;
		m->data = data;
		m->size = size;
		if (member_name(a, raw, m, err, errsz))
			return -1;
		return 1;
	}
	return 0;
}
