/* rockey-native: the samples linked the ordinary way (glibc, libusb,
 * pthread), for a Linux guest.   rockey-native [N|all]... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rockey.h"

static const struct dic_api api = DIC_API_DIRECT(printf);

int
main(int argc, char **argv)
{
	int failed = 0, ran = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: rockey-native N|all ...  (cases 1..%d)\n", ROCKEY_CASES);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "all") == 0) {
			int passed = 0;

			for (int n = 1; n <= ROCKEY_CASES; n++)
				passed += rockey_run_case(&api, n) == 0;
			printf("rockey all: %d/%d passed\n", passed, ROCKEY_CASES);
			failed += ROCKEY_CASES - passed;
			ran += ROCKEY_CASES;
			continue;
		}
		char *end;
		long n = strtol(argv[i], &end, 10);
		if (*end || n < 1 || n > ROCKEY_CASES) {
			fprintf(stderr, "rockey-native: %s: no such test case (1..%d)\n", argv[i], ROCKEY_CASES);
			return 2;
		}
		failed += rockey_run_case(&api, (int)n) != 0;
		ran++;
	}
	return failed ? 1 : 0;
}
