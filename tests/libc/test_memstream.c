/* open_memstream and fmemopen against glibc: random sequences of stdio
 * calls on both, compared call by call -- return value, errno, the error
 * and end flags, and the memory itself after every call (fmemopen's
 * buffer; open_memstream's published buffer and size after each fflush
 * and at fclose).  Modes r/w/a, '+', 'b' in each place, invalid ones,
 * NULL buffers, size 0, seeks before, at and past the end, writes that
 * fill the buffer exactly, overflow it and carry NULs. */
#include "bv.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void *bv_open_memstream(char **, size_t *);
void *bv_fmemopen(void *, size_t, const char *);
int bv_fclose(void *);
int bv_fflush(void *);
int bv_fputs(const char *, void *);
int bv_fputc(int, void *);
size_t bv_fwrite(const void *, size_t, size_t, void *);
size_t bv_fread(void *, size_t, size_t, void *);
int bv_fprintf(void *, const char *, ...);
int bv_fgetc(void *);
int bv_ungetc(int, void *);
char *bv_fgets(char *, int, void *);
int bv_fseek(void *, long, int);
long bv_ftell(void *);
int bv_ferror(void *);
int bv_feof(void *);
void bv_clearerr(void *);
int bv_fileno(void *);
void bv_free(void *);

static int shown;
/* glibc leaves a readable fmemopen stream wherever its read-ahead stopped
 * after an fseek past the buffer fails (and its ftell may then disagree
 * with its next read); ours stays put, as POSIX says.  After such a
 * failure both are put back at the same place before going on. */
static bool resync_failed_seek;
/* C says an update stream's reads and writes must be separated by an
 * fseek or fflush (7.21.5.3); when they are not, glibc's cookie streams
 * count from a stale offset (_IO_cookie_write does not advance the FILE's
 * _offset), so the sequences keep the rule there. */
static bool update_stream, append_stream, prev_write;
static int last_dir;	/* 1 read, 2 write */
static char trace[4096];	/* the trial's calls so far, printed with its first differences */
#define DIFF(cond, ...) do { if (cond) { bad++; if (shown++ < 15) printf("# " __VA_ARGS__); } } while (0)

static const char *modes[] = {
	"r", "w", "a", "r+", "w+", "a+", "rb", "wb", "ab", "rb+", "wb+", "ab+",
	"r+b", "w+b", "a+b", "rw", "re", "w+x", "x", "", "+r", "bw",
};

/* A string of letters with the odd NUL in it (length n). */
static void
rnd_bytes(char *p, size_t n, bool nuls)
{
	for (size_t i = 0; i < n; i++)
		p[i] = nuls && rnd() % 6 == 0 ? 0 : 'a' + rnd() % 26;
}

struct pair {
	FILE *g;
	void *o;
};

/* One random operation on both streams; 0 if every observation agrees. */
static int
one_op(struct pair *s, bool dynamic, char *log, size_t logsz)
{
	int bad = 0, op = rnd() % 14;
	long rg = 0, ro = 0;
	int eg, eo;
	char data[40], gb[40], ob[40];
	size_t n = rnd() % 4 == 0 ? rnd() % 40 : rnd() % 8;

	rnd_bytes(data, sizeof(data), true);
	if (update_stream) {
		int dir = op <= 4 ? 2 : op == 5 || op == 6 || op == 13 ? 1 : 0;

		if (dir == 2 && append_stream && !prev_write) {
			/* an appending writer goes to the end first: glibc's
			 * seeks and reads read ahead, leaving its cookie
			 * position (which the full-buffer test of an append
			 * uses) past the one ftell shows */
			fseek(s->g, 0, SEEK_END);
			bv_fseek(s->o, 0, SEEK_END);
		} else if (dir && last_dir && dir != last_dir) {
			fseek(s->g, 0, SEEK_CUR);
			bv_fseek(s->o, 0, SEEK_CUR);
		}
		prev_write = dir == 2;
		if (dir)	/* a failed fseek leaves glibc's read-ahead: only track reads and writes */
			last_dir = dir;
	}
	errno = 0;
	shim_errno = 0;
	switch (op) {
	case 0: case 1:
		data[n] = 0;
		snprintf(log, logsz, "fputs(%zu)", strlen(data));
		rg = fputs(data, s->g);
		ro = bv_fputs(data, s->o);
		break;
	case 2: {
		int c = rnd() % 5 ? 'A' + rnd() % 26 : 0;

		snprintf(log, logsz, "fputc(%d)", c);
		rg = fputc(c, s->g);
		ro = bv_fputc(c, s->o);
		break;
	}
	case 3:
		snprintf(log, logsz, "fwrite(%zu)", n);
		rg = fwrite(data, 1, n, s->g);
		ro = bv_fwrite(data, 1, n, s->o);
		break;
	case 4: {
		int v = (int)(rnd() % 100000);

		data[n % 6] = 0;
		snprintf(log, logsz, "fprintf(%s%d)", data, v);
		rg = fprintf(s->g, "%s%d", data, v);
		ro = bv_fprintf(s->o, "%s%d", data, v);
		break;
	}
	case 5:
		snprintf(log, logsz, "fgetc");
		rg = fgetc(s->g);
		ro = bv_fgetc(s->o);
		break;
	case 6:
		snprintf(log, logsz, "fread(%zu)", n);
		memset(gb, 0, sizeof(gb));
		memset(ob, 0, sizeof(ob));
		rg = fread(gb, 1, n, s->g);
		ro = bv_fread(ob, 1, n, s->o);
		DIFF(memcmp(gb, ob, sizeof(gb)), "%s: read bytes differ\n", log);
		break;
	case 7: case 8: {
		int whence = rnd() % 20 == 0 ? 3 : (int)(rnd() % 3);
		long off = (long)(rnd() % 36) - (whence ? 12 : 2);

		snprintf(log, logsz, "fseek(%ld, %d)", off, whence);
		rg = fseek(s->g, off, whence);
		ro = bv_fseek(s->o, off, whence);
		if (resync_failed_seek && rg < 0 && ro < 0 && whence == SEEK_SET) {
			eg = errno;
			fseek(s->g, 0, SEEK_SET);
			bv_fseek(s->o, 0, SEEK_SET);
			errno = eg;
		}
		break;
	}
	case 9:
		snprintf(log, logsz, "ftell");
		rg = ftell(s->g);
		ro = bv_ftell(s->o);
		break;
	case 10: case 11:
		snprintf(log, logsz, "fflush");
		rg = fflush(s->g);
		ro = bv_fflush(s->o);
		break;
	case 12:
		snprintf(log, logsz, "clearerr");
		clearerr(s->g);
		bv_clearerr(s->o);
		break;
	case 13:
		if (dynamic)	/* glibc's ungetc corrupts a write-only string stream */
			return 0;
		/* the char just read, as a parser does (glibc double-frees
		 * its backup area at fclose after other pushbacks) */
		snprintf(log, logsz, "fgetc+ungetc");
		rg = fgetc(s->g);
		ro = bv_fgetc(s->o);
		if (rg == ro && rg != EOF) {
			rg = ungetc(rg, s->g);
			ro = bv_ungetc(ro, s->o);
		}
		break;
	}
	eg = errno;
	eo = shim_errno;
	if (strlen(trace) + strlen(log) + 3 < sizeof(trace)) {
		strcat(trace, log);
		strcat(trace, "; ");
	}
	DIFF(rg != ro, "%s: returns %ld, glibc %ld\n", log, ro, rg);
	DIFF(eg != eo, "%s: errno %d, glibc %d\n", log, eo, eg);
	DIFF(!ferror(s->g) != !bv_ferror(s->o), "%s: ferror %d, glibc %d\n", log,
	     bv_ferror(s->o), ferror(s->g));
	DIFF(!feof(s->g) != !bv_feof(s->o), "%s: feof %d, glibc %d\n", log,
	     bv_feof(s->o), feof(s->g));
	if (update_stream && op <= 4) {
		/* and the writes are flushed at once (glibc's FILE offset
		 * goes stale when they wait for a later positioning call) */
		fflush(s->g);
		bv_fflush(s->o);
		DIFF(!ferror(s->g) != !bv_ferror(s->o), "%s: then fflush: ferror %d, glibc %d\n", log,
		     bv_ferror(s->o), ferror(s->g));
	}
	if (!dynamic && !bad) {	/* ftell moves nothing on a cookie stream: where are we? */
		rg = ftell(s->g);
		ro = bv_ftell(s->o);
		DIFF(rg != ro, "%s: then ftell %ld, glibc %ld\n", log, ro, rg);
	}
	return bad;
}

static const char *
printable(const char *p, size_t n)
{
	static char out[2][64];
	static int k;
	char *o = out[k++ & 1];

	for (size_t i = 0; i < n && i < 63; i++)
		o[i] = p[i] >= 32 && p[i] < 127 ? p[i] : '.';
	return o;
}

static int
cmp_dynamic(const char *what, char *gbuf, size_t gsize, char *obuf, size_t osize, bool nul)
{
	int bad = 0;

	DIFF(gsize != osize, "%s: size %zu, glibc %zu\n", what, osize, gsize);
	if (gsize == osize && gbuf && obuf)
		DIFF(memcmp(gbuf, obuf, gsize + nul), "%s: buffer differs (size %zu)\n", what, gsize);
	return bad;
}

static int
run_memstream(int trial)
{
	char *gbuf = NULL, *obuf = NULL, log[64] = "open";
	size_t gsize = 0, osize = 0;
	struct pair s = { open_memstream(&gbuf, &gsize), bv_open_memstream(&obuf, &osize) };

	trace[0] = 0;
	int bad = 0, steps = 10 + rnd() % 40;

	if (!s.g || !s.o)
		return 1000;
	for (int i = 0; i < steps && !bad; i++) {
		resync_failed_seek = update_stream = false;
		bad += one_op(&s, true, log, sizeof(log));
		if (!strcmp(log, "fflush"))
			bad += cmp_dynamic(log, gbuf, gsize, obuf, osize, false);
	}
	if (bad && shown < 15)
		printf("#   (memstream trial %d: %s)\n", trial, trace);
	DIFF(fclose(s.g) != bv_fclose(s.o), "fclose returns differ\n");
	bad += cmp_dynamic("fclose", gbuf, gsize, obuf, osize, true);
	free(gbuf);
	bv_free(obuf);
	return bad;
}

static int
run_fmemopen(int trial)
{
	char gbuf[48], obuf[48], log[64] = "open";
	const char *mode = modes[rnd() % (sizeof(modes) / sizeof(*modes))];
	size_t size = rnd() % 4 == 0 ? rnd() % 3 : rnd() % 24;
	/* glibc's own buffer is uninitialised: nothing may read it */
	bool null = rnd() % 5 == 0 && mode[0] != 'r' && !strchr(mode, '+');
	int bad = 0, steps = 10 + rnd() % 40, eg, eo;
	struct pair s;

	trace[0] = 0;
	rnd_bytes(gbuf, sizeof(gbuf), true);
	memcpy(obuf, gbuf, sizeof(gbuf));
	resync_failed_seek = mode[0] == 'r' || strchr(mode, '+');
	update_stream = resync_failed_seek && mode[0] && (mode[1] == '+' || (mode[1] && mode[2] == '+'));
	last_dir = 0;
	append_stream = mode[0] == 'a';
	prev_write = false;
	errno = 0;
	shim_errno = 0;
	s.g = fmemopen(null ? NULL : gbuf, size, mode);
	eg = errno;
	s.o = bv_fmemopen(null ? NULL : obuf, size, mode);
	eo = shim_errno;
	DIFF(!s.g != !s.o, "fmemopen(%s, %zu, \"%s\"): %p, glibc %p\n", null ? "NULL" : "buf",
	     size, mode, s.o, (void *)s.g);
	DIFF(!s.g && eg != eo, "fmemopen(\"%s\"): errno %d, glibc %d\n", mode, eo, eg);
	if (!s.g || !s.o) {
		if (s.g)
			fclose(s.g);
		if (s.o)
			bv_fclose(s.o);
		return bad;
	}
	for (int i = 0; i < steps && !bad; i++) {
		bad += one_op(&s, false, log, sizeof(log));
		DIFF(memcmp(gbuf, obuf, sizeof(gbuf)), "%s: buffer differs: %.*s, glibc %.*s\n", log,
		     (int)size + 1, printable(obuf, size + 1), (int)size + 1, printable(gbuf, size + 1));
	}
	if (!bad) {
		errno = 0;
		shim_errno = 0;
		eg = fclose(s.g);
		eo = bv_fclose(s.o);
		DIFF(eg != eo, "fclose returns %d, glibc %d\n", eo, eg);
		DIFF(memcmp(gbuf, obuf, sizeof(gbuf)), "fclose: buffer differs\n");
	} else {
		fclose(s.g);
		bv_fclose(s.o);
	}
	if (bad && shown < 15)
		printf("#   (fmemopen trial %d: %s, size %zu, mode \"%s\": %s)\n", trial,
		       null ? "NULL" : "buf", size, mode, trace);
	return bad;
}

/* Cases named one by one: the rules the random walk relies on. */
static void
test_named(void)
{
	char *b = NULL, buf[16];
	size_t sz = 99;
	void *f;

	f = bv_open_memstream(&b, &sz);
	TAP_CHECK(f && sz == 99 && !b, "open_memstream publishes nothing before fflush");
	bv_fputs("hello world", f);
	bv_fseek(f, 3, SEEK_SET);
	bv_fflush(f);
	bv_ftell(f);	/* moves the read pointer to the write pointer */
	TAP_CHECK(sz == 3 && !memcmp(b, "hello", 5), "fflush publishes the position as size, bytes beyond stay");
	shim_errno = 0;
	TAP_CHECK(bv_fileno(f) == -1 && shim_errno == EBADF, "fileno of a memory stream is -1 EBADF");
	TAP_CHECK(bv_fgetc(f) == EOF && !bv_ferror(f) && !bv_feof(f), "reading open_memstream at its end: EOF, no flag");
	bv_fclose(f);
	TAP_CHECK(sz == 3 && !strcmp(b, "hel"), "fclose cuts at the position and NUL-terminates");
	bv_free(b);
	shim_errno = 0;
	TAP_CHECK(!bv_open_memstream(NULL, &sz) && shim_errno == EINVAL, "open_memstream(NULL, ...) is EINVAL (rejected)");

	memset(buf, 'Z', sizeof(buf));
	f = bv_fmemopen(buf, 8, "w");
	TAP_CHECK(bv_fprintf(f, "0123456789") == 10 && bv_fflush(f) == EOF && bv_ferror(f) &&
		  !memcmp(buf, "0123456\0ZZ", 10), "fmemopen overflow: buffered like glibc, short at fflush, NUL in the last byte");
	bv_fclose(f);
	shim_errno = 0;
	TAP_CHECK(!bv_fmemopen(buf, 8, "x") && shim_errno == EINVAL, "fmemopen with mode \"x\" is EINVAL (rejected)");
	shim_errno = 0;
	TAP_CHECK(!bv_fmemopen((void *)-4L, 8, "r") && shim_errno == EINVAL, "fmemopen of a wrapping buffer is EINVAL");
}

int
main(void)
{
	int bad_ms = 0, bad_fm = 0, n = getenv("MEMSTREAM_TRIALS") ? atoi(getenv("MEMSTREAM_TRIALS")) : 20000;

	test_named();
	for (int t = 0; t < n; t++) {
		bad_ms += run_memstream(t) != 0;
		bad_fm += run_fmemopen(t) != 0;
	}
	TAP_CHECK(!bad_ms, "open_memstream: %d random sequences equal to glibc's call by call (%d differ)", n, bad_ms);
	TAP_CHECK(!bad_fm, "fmemopen: %d random sequences equal to glibc's call by call (%d differ)", n, bad_fm);
	return tap_done();
}
