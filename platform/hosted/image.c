/* Blob images on the hosted platform.  Changing the protection of a page
 * the process has written flushes its TLB entry (one INVLPG per page up to
 * 33 pages); under a paravirtualised host that costs ~13 us a page, more
 * than the rest of a load.  So the loader never writes a page where it
 * runs: it fills a staging buffer, and sealing writes the read-only and
 * executable pages into a memfd and maps them (privately) at their run
 * address with their final protection, where no page-table entry existed
 * (the run pages were given back untouched by the last unload), so no
 * flush.  Read-write
 * pages are copied in place (they never change protection).  Later writes
 * (IFUNC answers, debugger patches) go through the memfd, which a private
 * mapping shows until a page of it is copied (a debugger's breakpoint):
 * then that page is opened for the moment of the copy.  No view of the
 * image is ever writable and executable.  Unload maps fresh anonymous
 * memory back over the image (the one flush, outside the load); the memfd
 * keeps up to 16 MiB of freed pages for the next images at those
 * addresses and gives the rest back.
 *
 * The staging buffer is a pool kept between loads (a fresh page costs a
 * fault, ~5-9 us here): a bump allocator reset when no unsealed image
 * remains, grown to the largest demand seen whenever it is idle.  memfd
 * offset = run address - region base. */
#include <core/errno.h>
#include <core/heap.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include "syscall.h"

#define PROT_READ	1
#define PROT_WRITE	2
#define PROT_EXEC	4
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_NORESERVE	0x4000
#define MFD_CLOEXEC	1
#define FALLOC_FL_KEEP_SIZE	1
#define FALLOC_FL_PUNCH_HOLE	2

u64 hosted_region_base;
size_t hosted_region_len;

static int memfd = -2;		/* -2: not tried yet, -1: none (write in place) */

/* Freed images leave their pages in the memfd, up to KEEP_PAGES of them:
 * the next image at that address is written into them instead of having
 * the kernel allocate (and charge) fresh ones.  A bit per region page:
 * the memfd holds a page there. */
#define KEEP_PAGES	4096
static u64 *filled;
static size_t kept;

static struct {
	u8 *base;
	size_t pages, used, want;
	unsigned live;
} pool;

static bool
use_memfd(void)
{
	if (memfd == -2) {
		long fd = syscall2(SYS_memfd_create, "blobvisor images", MFD_CLOEXEC);

		if (fd >= 0 && syscall2(SYS_ftruncate, fd, hosted_region_len) < 0) {
			syscall1(SYS_close, fd);
			fd = -1;
		}
		filled = fd < 0 ? NULL : heap_zalloc(hosted_region_len / PAGE_SIZE / 8);
		if (fd >= 0 && !filled) {
			syscall1(SYS_close, fd);
			fd = -1;
		}
		memfd = fd < 0 ? -1 : (int)fd;
	}
	return memfd >= 0;
}

static int
prot_bits(int prot)
{
	return (prot & PROT_R ? PROT_READ : 0) | (prot & PROT_W ? PROT_WRITE : 0) |
	       (prot & PROT_X ? PROT_EXEC : 0);
}

static u8 *
stage_get(size_t pages, bool *own)
{
	u8 *p;

	if (!pool.live && pool.want > pool.pages) {	/* idle: grow to the demand seen */
		u8 *nb = pages_alloc(pool.want);

		if (nb) {
			pages_free(pool.base, pool.pages);
			pool.base = nb;
			pool.pages = pool.want;
			pool.used = 0;
		}
	}
	if (pool.used + pages <= pool.pages) {
		p = pool.base + pool.used * PAGE_SIZE;
		pool.used += pages;
		pool.live++;
		*own = false;
		return p;
	}
	pool.want = MAX(pool.want, pool.used + pages);
	*own = true;
	return pages_alloc(pages);
}

static void
stage_put(struct plat_image *im)
{
	if (!im->stage)
		return;
	if (im->own_stage) {
		pages_free(im->stage, im->pages);
	} else if (!--pool.live) {
		pool.used = 0;
	}
	im->stage = NULL;
}

int
plat_image_alloc(struct plat_image *im, size_t pages)
{
	*im = (struct plat_image){ 0 };
	im->run = pages_alloc(pages);
	if (!im->run)
		return -ENOMEM;
	im->pages = pages;
	if (!use_memfd()) {		/* no memfd: write in place, mprotect */
		im->w = im->run;
		return 0;
	}
	im->w = im->stage = stage_get(pages, &im->own_stage);
	if (!im->w) {
		pages_free(im->run, pages);
		*im = (struct plat_image){ 0 };
		return -ENOMEM;
	}
	return 0;
}

static u64
file_off(u64 addr)
{
	return addr - hosted_region_base;
}

/* Whether a page of this protection lives in the memfd (all but data). */
static bool
memfd_backed(u8 prot)
{
	return prot != (PROT_R | PROT_W);
}

int
plat_image_seal(struct plat_image *im, const u8 *prot)
{
	im->prot = heap_alloc(im->pages);
	if (!im->prot)
		return -ENOMEM;
	memcpy(im->prot, prot, im->pages);
	if (im->w == im->run) {		/* no memfd: in place, mprotect */
		for (size_t i = 0, j; i < im->pages; i = j) {
			for (j = i + 1; j < im->pages && prot[j] == prot[i]; j++)
				;
			if (memfd_backed(prot[i]))
				plat_protect(im->run + i * PAGE_SIZE, (j - i) * PAGE_SIZE, prot[i]);
		}
		im->w = NULL;
		im->sealed = true;
		return 0;
	}
	/* The memfd's pages first, one pwrite per run of them whatever their
	 * protections (text, rodata and RELRO are adjacent: one system call),
	 * the data pages copied in place; then one mapping per protection. */
	for (size_t i = 0, j; i < im->pages; i = j) {
		u64 a = (u64)im->run + i * PAGE_SIZE, len;
		const u8 *src = im->w + i * PAGE_SIZE;
		long rc;

		for (j = i + 1; j < im->pages && memfd_backed(prot[j]) == memfd_backed(prot[i]); j++)
			;
		len = (j - i) * PAGE_SIZE;
		if (!memfd_backed(prot[i])) {
			memcpy((void *)a, src, len);
			continue;
		}
		for (u64 pg = (a - hosted_region_base) / PAGE_SIZE, k = 0; k < j - i; k++, pg++) {
			if (filled[pg / 64] >> (pg % 64) & 1)
				kept--;		/* a kept page in use again */
			filled[pg / 64] |= 1ULL << (pg % 64);
		}
		for (u64 done = 0; done < len; done += (u64)rc) {
			rc = syscall4(SYS_pwrite64, memfd, src + done, len - done, file_off(a + done));
			if (rc == -EINTR)
				rc = 0;
			else if (rc <= 0)
				return rc < 0 ? (int)rc : -EIO;
		}
	}
	for (size_t i = 0, j; i < im->pages; i = j) {
		u64 a = (u64)im->run + i * PAGE_SIZE;
		long rc;

		for (j = i + 1; j < im->pages && prot[j] == prot[i]; j++)
			;
		if (!memfd_backed(prot[i]))
			continue;
		/* private: a debugger's ptrace write (a breakpoint) copies the
		 * page, which Linux refuses to do in a shared mapping */
		rc = syscall6(SYS_mmap, a, (j - i) * PAGE_SIZE, prot_bits(prot[i]),
			      MAP_PRIVATE | MAP_FIXED, memfd, file_off(a));
		if (rc != (long)a)
			return rc < 0 ? (int)rc : -EIO;
	}
	im->w = NULL;		/* the staging copy stays readable until released */
	im->sealed = true;
	return 0;
}

int
plat_image_write(struct plat_image *im, u64 addr, const void *src, size_t len)
{
	u64 run = (u64)im->run;
	const u8 *s = src;

	if (addr < run || len > im->pages * PAGE_SIZE || addr - run > im->pages * PAGE_SIZE - len)
		return -EINVAL;
	if (!im->sealed) {
		memcpy(im->w + (addr - run), src, len);
		return 0;
	}
	if (im->stage)		/* what plat_image_read returns until released */
		memcpy(im->stage + (addr - run), src, len);
	while (len) {		/* page by page: each page is memfd-backed or not */
		size_t n = MIN(len, PAGE_SIZE - (addr & (PAGE_SIZE - 1)));
		int prot = im->prot[(addr - run) / PAGE_SIZE];

		if (prot == (PROT_R | PROT_W)) {
			memcpy((void *)addr, s, n);
		} else if (memfd < 0 || syscall4(SYS_pwrite64, memfd, s, n, file_off(addr)) != (long)n ||
			   ((prot & PROT_R) && memcmp((const void *)addr, s, n))) {
			/* no memfd, or the page became a private copy (a
			 * debugger's breakpoint): open it for the copy */
			u64 pg = ALIGN_DOWN(addr, PAGE_SIZE);

			if (plat_protect((void *)pg, PAGE_SIZE, PROT_R | PROT_W))
				return -EIO;
			memcpy((void *)addr, s, n);
			plat_protect((void *)pg, PAGE_SIZE, prot);
		}
		addr += n;
		s += n;
		len -= n;
	}
	return 0;
}

int
plat_image_read(const struct plat_image *im, u64 addr, void *dst, size_t len)
{
	u64 run = (u64)im->run;
	u8 *d = dst;

	if (addr < run || len > im->pages * PAGE_SIZE || addr - run > im->pages * PAGE_SIZE - len)
		return -EINVAL;
	if (im->stage || memfd < 0) {
		memcpy(dst, im->stage ? im->stage + (addr - run) : (const u8 *)addr, len);
		return 0;
	}
	while (len) {		/* runs of memfd-backed pages, or of data pages */
		size_t first = (addr - run) / PAGE_SIZE, last = first, n;
		bool rw = im->prot[first] == (PROT_R | PROT_W);

		while (last + 1 < im->pages && (im->prot[last + 1] == (PROT_R | PROT_W)) == rw &&
		       (last + 1) * PAGE_SIZE < addr - run + len)
			last++;
		n = MIN(len, run + (last + 1) * PAGE_SIZE - addr);
		if (rw) {
			memcpy(d, (const void *)addr, n);
		} else {
			for (size_t done = 0; done < n;) {
				long rc = syscall4(SYS_pread64, memfd, d + done, n - done,
						   file_off(addr + done));

				if (rc == -EINTR)
					continue;
				if (rc <= 0)
					return -EIO;
				done += (size_t)rc;
			}
		}
		addr += n;
		d += n;
		len -= n;
	}
	return 0;
}

void
plat_image_release(struct plat_image *im)
{
	if (im->sealed)
		stage_put(im);
}

void
plat_image_free(struct plat_image *im)
{
	if (!im->run)
		return;
	stage_put(im);
	for (size_t i = 0, j; im->prot && i < im->pages; i = j) {
		u64 a = (u64)im->run + i * PAGE_SIZE;

		/* one mapping over each run of memfd pages, whatever their
		 * protections */
		for (j = i + 1; j < im->pages && memfd_backed(im->prot[j]) == memfd_backed(im->prot[i]);
		     j++)
			;
		if (!memfd_backed(im->prot[i]))	/* stayed as allocated */
			continue;
		if (memfd < 0) {
			plat_protect((void *)a, (j - i) * PAGE_SIZE, PROT_R | PROT_W);
			continue;
		}
		/* fresh anonymous pages, as the page allocator's region is
		 * made (the one TLB flush, outside the load), and the memfd's
		 * pages back */
		syscall6(SYS_mmap, a, (j - i) * PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
		if (kept + (j - i) <= KEEP_PAGES) {
			kept += j - i;
			continue;
		}
		syscall4(SYS_fallocate, memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			 file_off(a), (j - i) * PAGE_SIZE);
		for (u64 pg = (a - hosted_region_base) / PAGE_SIZE, k = 0; k < j - i; k++, pg++)
			filled[pg / 64] &= ~(1ULL << (pg % 64));
	}
	pages_free(im->run, im->pages);
	heap_free(im->prot);
	*im = (struct plat_image){ 0 };
}
