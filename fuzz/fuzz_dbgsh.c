/* libFuzzer: the shell's word splitter and number parser on arbitrary bytes. */
#include <stdint.h>
#include <string.h>
#include "unit/host_plat.h"
#include <core/dbgsh.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[1100], *argv[DBGSH_MAX_ARGS];
	const char *err;
	u64 v;
	int argc;

	if (size >= sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	argc = dbgsh_split(buf, argv, DBGSH_MAX_ARGS, &err);
	for (int i = 0; i < argc; i++) {
		if (argv[i] < buf || argv[i] > buf + size)
			__builtin_trap();
		dbgsh_parse_u64(argv[i], &v);
	}
	return 0;
}
