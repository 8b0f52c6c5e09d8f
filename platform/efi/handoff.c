/* The hand-over to the VMM image.  pc_main reads a multiboot (v1)
 * information structure; blobvisor.efi builds one, so both ways in share one
 * start: command line, modules (page-aligned, below 2 GiB) and the memory
 * map, converted from the firmware's at the moment boot services end.  All of
 * it lies in one block at the start of the largest free RAM range below
 * 2 GiB, so that the VMM's page allocator region, which follows whatever the
 * loader placed, gets that range. */
#include "loader.h"

#define MB_BOOT_MAGIC	0x2badb002
#define MBI_CMDLINE	(1u << 2)
#define MBI_MODS	(1u << 3)
#define MBI_MMAP	(1u << 6)
#define MAX_MMAP	256
#define LOW_LIMIT	(2ULL << 30)
#define MIN_REGION	(32ULL << 20)	/* the VMM wants 16 MiB after its modules */

struct mbi {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_module {
	uint32_t start, end, string, reserved;
};

struct mb_mmap {
	uint32_t size;
	uint64_t base, len;
	uint32_t type;
} __attribute__((packed));

/* The block, in this order; modules follow page-aligned. */
struct block_head {
	struct mbi mbi;
	struct mb_module mods[MAX_MODULES];
	char cmdline[2048 + 32];
	char names[MAX_MODULES][256];
	struct mb_mmap mmap[MAX_MMAP];
};

static struct block_head *head;
static struct efi_memory_descriptor *efimap;
static uint64_t efimap_cap;

/* The firmware's map into buf (cap bytes); 0 or the status. */
static efi_status
get_map(void *buf, uint64_t *size, uint64_t *key, uint64_t *desc_size)
{
	uint32_t version;

	return efi_bs->get_memory_map(size, buf, key, desc_size, &version);
}

/* Room for the firmware's map plus what our own allocations add to it. */
static int
map_buffer(void)
{
	uint64_t size = 0, key, ds;
	efi_status s = get_map(NULL, &size, &key, &ds);

	if (s != EFI_BUFFER_TOO_SMALL && s != EFI_SUCCESS) {
		say("blobvisor.efi: GetMemoryMap: status %x\n", s);
		return -1;
	}
	efimap_cap = size + 64 * ds;
	s = efi_bs->allocate_pool(EFI_LOADER_DATA, efimap_cap, (void **)&efimap);
	if (s != EFI_SUCCESS) {
		say("blobvisor.efi: no pool for the memory map (%u bytes, status %x)\n", efimap_cap, s);
		return -1;
	}
	return 0;
}

#define DESC(i, ds) ((struct efi_memory_descriptor *)((uint8_t *)efimap + (i) * (ds)))

/* The start of the largest free range below 2 GiB able to take need bytes
 * and a useful region after them; 0 if none. */
static uint64_t
best_place(uint64_t need)
{
	uint64_t size = efimap_cap, key, ds, best = 0, best_len = 0;

	if (get_map(efimap, &size, &key, &ds) != EFI_SUCCESS)
		return 0;
	for (uint64_t i = 0; i < size / ds; i++) {
		const struct efi_memory_descriptor *d = DESC(i, ds);
		uint64_t s = d->physical_start, e = s + d->pages * PAGE;

		if (d->type != EFI_CONVENTIONAL_MEMORY || s < (1 << 20) || s >= LOW_LIMIT)
			continue;
		if (e > LOW_LIMIT)
			e = LOW_LIMIT;
		if (e - s > best_len) {
			best = s;
			best_len = e - s;
		}
	}
	return best_len >= need + MIN_REGION ? best : 0;
}

static uint64_t
block_need(const struct config *c)
{
	uint64_t need = ALIGN_UP(sizeof(struct block_head), PAGE);

	for (int i = 0; i < c->nmod; i++)
		need += ALIGN_UP(c->mod[i].size, PAGE);
	return need;
}

/* The information structure at at, the modules read after it. */
static int
block_fill(const struct config *c, uint64_t at)
{
	uint64_t off = at + ALIGN_UP(sizeof(struct block_head), PAGE);
	const char *image_name = "blobvisor.efi ";

	head = (struct block_head *)at;
	mem_set(head, 0, sizeof(*head));
	mem_copy(head->cmdline, image_name, str_len(image_name));
	mem_copy(head->cmdline + str_len(image_name), c->cmdline, str_len(c->cmdline) + 1);
	head->mbi.flags = MBI_CMDLINE | MBI_MODS | MBI_MMAP;
	head->mbi.cmdline = (uint32_t)(uint64_t)head->cmdline;
	head->mbi.mods_count = (uint32_t)c->nmod;
	head->mbi.mods_addr = (uint32_t)(uint64_t)head->mods;
	head->mbi.mmap_addr = (uint32_t)(uint64_t)head->mmap;
	for (int i = 0; i < c->nmod; i++) {
		if (esp_read(c->mod[i].path, (void *)off, c->mod[i].size))
			return -1;
		mem_copy(head->names[i], c->mod[i].name, str_len(c->mod[i].name) + 1);
		head->mods[i] = (struct mb_module){ (uint32_t)off, (uint32_t)(off + c->mod[i].size),
						    (uint32_t)(uint64_t)head->names[i], 0 };
		say("blobvisor.efi: module %s (%u bytes) at %x\n", c->mod[i].path, c->mod[i].size, off);
		off += ALIGN_UP(c->mod[i].size, PAGE);
	}
	return 0;
}

int
handoff_build(const struct config *c)
{
	uint64_t need = block_need(c), at;
	efi_status s;

	if (map_buffer())
		return -1;
	at = best_place(need);
	if (!at) {
		say("blobvisor.efi: no free RAM range below 2 GiB holds the modules (%u KiB) and 32 MiB more\n",
		    need >> 10);
		return -1;
	}
	s = efi_bs->allocate_pages(ALLOCATE_ADDRESS, EFI_LOADER_DATA, need / PAGE, &at);
	if (s != EFI_SUCCESS) {
		say("blobvisor.efi: AllocatePages at %x for %u KiB: status %x\n", at, need >> 10, s);
		return -1;
	}
	if (block_fill(c, at)) {
		efi_bs->free_pages(at, need / PAGE);
		return -1;
	}
	return 0;
}

#define SZ_2M	(2ULL << 20)

/* Below 2 GiB (the VMM's region must be), 2 MiB-aligned (the nested page
 * tables leave the VMM's memory out in 2 MiB pages): ask for 2 MiB more
 * than needed and give back the two ends. */
int
handoff_build_reserved(const struct config *c, uint64_t region, uint64_t *lo, uint64_t *hi)
{
	uint64_t size = ALIGN_UP(block_need(c) + region, SZ_2M), at = LOW_LIMIT - 1, start;
	efi_status s;

	if (map_buffer())
		return -1;
	s = efi_bs->allocate_pages(ALLOCATE_MAX_ADDRESS, EFI_RESERVED_MEMORY, (size + SZ_2M) / PAGE, &at);
	if (s != EFI_SUCCESS) {
		say("blobvisor.efi: no %u MiB below 2 GiB for the VMM (status %x)\n", size >> 20, s);
		return -1;
	}
	start = ALIGN_UP(at, SZ_2M);
	if (start > at)
		efi_bs->free_pages(at, (start - at) / PAGE);
	if (at + size + SZ_2M > start + size)
		efi_bs->free_pages(start + size, (at + size + SZ_2M - start - size) / PAGE);
	if (block_fill(c, start)) {
		efi_bs->free_pages(start, size / PAGE);
		return -1;
	}
	*lo = start;
	*hi = start + size;
	return 0;
}

uint64_t
handoff_info(void)
{
	return (uint64_t)&head->mbi;
}

/* e820 types, which the VMM and its guests speak.  What the firmware used
 * only until ExitBootServices is RAM from then on. */
static uint32_t
e820_type(uint32_t t)
{
	switch (t) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return 1;
	case EFI_ACPI_RECLAIM_MEMORY:
		return 3;
	case EFI_ACPI_MEMORY_NVS:
		return 4;
	case EFI_UNUSABLE_MEMORY:
		return 5;
	case EFI_PERSISTENT_MEMORY:
		return 7;
	default:		/* reserved, runtime services, MMIO, PAL */
		return 2;
	}
}

/* Sorted by address, neighbours of one type merged.  Runs between a
 * GetMemoryMap and ExitBootServices: no firmware calls. */
static void
convert_map(uint64_t size, uint64_t ds)
{
	uint32_t n = 0;

	for (uint64_t i = 0; i < size / ds; i++) {
		const struct efi_memory_descriptor *d = DESC(i, ds);
		struct mb_mmap e = { 20, d->physical_start, d->pages * PAGE, e820_type(d->type) };
		uint32_t j = n;

		if (!e.len)
			continue;
		if (n == MAX_MMAP)
			break;
		while (j > 0 && head->mmap[j - 1].base > e.base) {
			head->mmap[j] = head->mmap[j - 1];
			j--;
		}
		head->mmap[j] = e;
		n++;
	}
	for (uint32_t i = 1; i < n;) {
		struct mb_mmap *a = &head->mmap[i - 1], *b = &head->mmap[i];

		if (a->type == b->type && a->base + a->len == b->base) {
			a->len += b->len;
			for (uint32_t k = i + 1; k < n; k++)
				head->mmap[k - 1] = head->mmap[k];
			n--;
		} else {
			i++;
		}
	}
	head->mbi.mmap_length = n * sizeof(struct mb_mmap);
}

/* Take [lo, hi) out of the converted map and put it back as RAM of its
 * own (type 1, never merged with a neighbour): the VMM's region is the RAM
 * entry holding its block, and must be exactly that. */
static int
carve(uint64_t lo, uint64_t hi)
{
	uint32_t n = head->mbi.mmap_length / sizeof(struct mb_mmap), j = 0;
	static struct mb_mmap out[MAX_MMAP];

	for (uint32_t i = 0; i < n; i++) {
		struct mb_mmap e = head->mmap[i];
		uint64_t end = e.base + e.len;

		if (j + 3 > MAX_MMAP)
			return -1;
		if (end <= lo || e.base >= hi) {
			out[j++] = e;
			continue;
		}
		if (e.base < lo)
			out[j++] = (struct mb_mmap){ 20, e.base, lo - e.base, e.type };
		if (e.base <= lo)
			out[j++] = (struct mb_mmap){ 20, lo, hi - lo, 1 };
		if (end > hi)
			out[j++] = (struct mb_mmap){ 20, hi, end - hi, e.type };
	}
	mem_copy(head->mmap, out, j * sizeof(out[0]));
	head->mbi.mmap_length = j * (uint32_t)sizeof(struct mb_mmap);
	return 0;
}

int
handoff_map_for_guest(uint64_t img_lo, uint64_t img_hi, uint64_t blk_lo, uint64_t blk_hi)
{
	uint64_t size = efimap_cap, key, ds;
	efi_status s = get_map(efimap, &size, &key, &ds);

	if (s != EFI_SUCCESS) {
		say("blobvisor.efi: GetMemoryMap: status %x\n", s);
		return -1;
	}
	convert_map(size, ds);
	if (carve(img_lo, img_hi) || carve(blk_lo, blk_hi)) {
		say("blobvisor.efi: the firmware's memory map has more than %u entries\n",
		    (uint64_t)MAX_MMAP);
		return -1;
	}
	return 0;
}

void
handoff_exit_and_jump(const struct payload *p, uint64_t rsdp)
{
	uint64_t size, key, ds;
	efi_status s = EFI_INVALID_PARAMETER;

	say("blobvisor.efi: exiting boot services; the VMM's console is COM1\n");
	/* The map changes under us until the exit succeeds (an event may
	 * allocate): fetch it again each time, as the specification asks. */
	for (int tries = 0; tries < 8 && s != EFI_SUCCESS; tries++) {
		size = efimap_cap;
		if (get_map(efimap, &size, &key, &ds) != EFI_SUCCESS)
			continue;
		convert_map(size, ds);
		s = efi_bs->exit_boot_services(efi_image, key);
	}
	if (s != EFI_SUCCESS) {
		/* boot services may be gone in part: only the port is safe */
		for (const char *m = "blobvisor.efi: ExitBootServices failed 8 times; halted\r\n"; *m; m++) {
			uint8_t lsr;

			do
				__asm__ volatile("inb %1, %0" : "=a"(lsr) : "Nd"((uint16_t)0x3fd));
			while (!(lsr & 0x20));
			__asm__ volatile("outb %0, %1" : : "a"(*m), "Nd"((uint16_t)0x3f8));
		}
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	__asm__ volatile("cli\n\t"
			 "jmp *%3"
			 : : "D"((uint64_t)MB_BOOT_MAGIC), "S"((uint64_t)&head->mbi), "d"(rsdp),
			     "r"(p->entry) : "memory");
	__builtin_unreachable();
}
