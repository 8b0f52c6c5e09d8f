/* Blob images on bare metal: the loader writes the pages where they run,
 * sealing changes page-table entries this platform owns (an INVLPG each,
 * cheap without a hypervisor's shadow tables), and a later write opens
 * the pages it touches for the moment of the copy. */
#include <core/errno.h>
#include <core/heap.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>

int
plat_image_alloc(struct plat_image *im, size_t pages)
{
	*im = (struct plat_image){ 0 };
	im->run = pages_alloc(pages);
	if (!im->run)
		return -ENOMEM;
	im->w = im->run;
	im->pages = pages;
	return 0;
}

int
plat_image_seal(struct plat_image *im, const u8 *prot)
{
	im->prot = heap_alloc(im->pages);
	if (!im->prot)
		return -ENOMEM;
	memcpy(im->prot, prot, im->pages);
	for (size_t i = 0, j; i < im->pages; i = j) {
		for (j = i + 1; j < im->pages && prot[j] == prot[i]; j++)
			;
		if (prot[i] != (PROT_R | PROT_W))	/* free pages are read-write */
			plat_protect(im->run + i * PAGE_SIZE, (j - i) * PAGE_SIZE, prot[i]);
	}
	im->w = NULL;
	im->sealed = true;
	return 0;
}

int
plat_image_write(struct plat_image *im, u64 addr, const void *src, size_t len)
{
	u64 run = (u64)im->run, lo, hi;

	if (addr < run || len > im->pages * PAGE_SIZE || addr - run > im->pages * PAGE_SIZE - len)
		return -EINVAL;
	if (!im->sealed) {
		memcpy(im->w + (addr - run), src, len);
		return 0;
	}
	lo = ALIGN_DOWN(addr, PAGE_SIZE);
	hi = ALIGN_UP(addr + len, PAGE_SIZE);
	plat_protect((void *)lo, hi - lo, PROT_R | PROT_W);
	memcpy((void *)addr, src, len);
	for (u64 a = lo; a < hi; a += PAGE_SIZE)
		plat_protect((void *)a, PAGE_SIZE, im->prot[(a - run) / PAGE_SIZE]);
	return 0;
}

int
plat_image_read(const struct plat_image *im, u64 addr, void *dst, size_t len)
{
	u64 run = (u64)im->run;

	if (addr < run || len > im->pages * PAGE_SIZE || addr - run > im->pages * PAGE_SIZE - len)
		return -EINVAL;
	memcpy(dst, im->sealed ? (const void *)addr : im->w + (addr - run), len);
	return 0;
}

void
plat_image_release(struct plat_image *im)
{
	(void)im;		/* written in place: nothing staged */
}

void
plat_image_free(struct plat_image *im)
{
	if (!im->run)
		return;
	plat_protect(im->run, im->pages * PAGE_SIZE, PROT_R | PROT_W);
	pages_free(im->run, im->pages);
	heap_free(im->prot);
	*im = (struct plat_image){ 0 };
}
