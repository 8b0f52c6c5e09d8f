/* bvcanary 'COMMAND %p': fill a locked page of this guest process with a
 * pattern, find its guest-physical address (/proc/self/pagemap; the
 * hypervisor maps guest RAM 1:1, so it is the host-physical address too),
 * run COMMAND through the shell with %p replaced by that address, then
 * say whether the page still holds the pattern (tests/hv/hv_domain.sh: a
 * protection domain told to read or write the page must be denied). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char pattern[] = "bv-canary-";

int
main(int argc, char **argv)
{
	char *page, cmd[1024], addr[32];
	uint64_t entry;
	const char *at;
	int fd, bad = 0;

	if (argc != 2 || !(at = strstr(argv[1], "%p"))) {
		fprintf(stderr, "usage: bvcanary 'COMMAND %%p'\n");
		return 2;
	}
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || mlock(page, 4096)) {
		perror("bvcanary: page");
		return 1;
	}
	for (int i = 0; i < 4096; i++)
		page[i] = pattern[i % (sizeof(pattern) - 1)];
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pread(fd, &entry, 8, (off_t)((uintptr_t)page / 4096 * 8)) != 8 ||
	    !(entry >> 63) || !(entry & ((1ULL << 55) - 1))) {
		fprintf(stderr, "bvcanary: no physical address from /proc/self/pagemap\n");
		return 1;
	}
	snprintf(addr, sizeof(addr), "%#llx", (unsigned long long)((entry & ((1ULL << 55) - 1)) * 4096 + 0x100));
	snprintf(cmd, sizeof(cmd), "%.*s%s%s", (int)(at - argv[1]), argv[1], addr, at + 2);
	printf("bvcanary: page at guest-physical %s: %s\n", addr, cmd);
	fflush(stdout);
	if (system(cmd) < 0)
		perror("bvcanary: system");
	for (int i = 0; i < 4096; i++)
		bad += page[i] != pattern[i % (sizeof(pattern) - 1)];
	printf("bvcanary: %s (%d bytes changed)\n", bad ? "the page CHANGED" : "the page is intact", bad);
	return bad != 0;
}
