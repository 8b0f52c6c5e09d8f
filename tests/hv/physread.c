/* physread ADDR [N]: map the physical page holding ADDR through /dev/mem and
 * print N (default 4) 32-bit words read from ADDR with plain loads (a
 * driver's readl), for the concealment test: the VMM's controller's ECAM
 * page and registers must read as nothing there.  (Not called devmem: that
 * is a busybox applet, and the initramfs links the applets to busybox.) */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	unsigned long addr, base;
	int n = argc > 2 ? atoi(argv[2]) : 4, fd;
	volatile uint32_t *p;
	char *end;

	if (argc < 2 || (addr = strtoul(argv[1], &end, 0), *end) || n < 1 || n > 64 || (addr & 3)) {
		fprintf(stderr, "usage: physread ADDR [1-64 words]\n");
		return 2;
	}
	base = addr & ~4095UL;
	fd = open("/dev/mem", O_RDONLY | O_SYNC);
	if (fd < 0) {
		perror("physread: /dev/mem");
		return 1;
	}
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, (off_t)base);
	if (p == MAP_FAILED) {
		perror("physread: mmap");
		return 1;
	}
	printf("physread %#lx:", addr);
	for (int i = 0; i < n; i++)
		printf(" %08x", p[(addr - base) / 4 + i]);
	printf("\n");
	return 0;
}
