/* libFuzzer over blobscan's entry point: bytes -> the loader's parser
 * (bs_file_parse: ar framing, elf_parse) -> the whole scan and all three
 * reports.  Bad input must end in an error line, never a crash or a leak. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../blobscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bs_exports x = { .path = "(fuzz)" };
	static FILE *sink;
	struct bs_scan s = { 0 };
	struct bs_file f;
	struct bs_want w = { .sym = "main" };
	char err[1024];

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (bs_file_parse("fuzz.bin", data, size, &f, err, sizeof(err))) {
		if (!memchr(err, 0, sizeof(err)) || strchr(err, '\n'))
			abort();	/* one line, terminated */
		bs_file_free(&f);
		return 0;
	}
	s.exports = &x;
	s.nfile = 1;
	s.file = &f;
	s.nwant = 1;
	s.want = &w;
	if (bs_scan_run(&s, err, sizeof(err)) == 0) {
		bs_write_text(&s, sink);
		bs_write_json(&s, sink);
		bs_write_dot(&s, sink);
	}
	bs_scan_free(&s);
	return 0;
}
