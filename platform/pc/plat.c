/* FS base, entropy, files (multiboot modules) and exit on bare metal. */
#include <core/errno.h>
#include <core/heap.h>
#include <core/platform.h>
#include <core/string.h>
#include "pc.h"

#define DEBUG_EXIT_PORT	0xf4	/* -device isa-debug-exit,iobase=0xf4,iosize=0x04 */


void
plat_set_fs_base(u64 base)
{
	wrmsr(MSR_FS_BASE, base);
}

u64
plat_get_fs_base(void)
{
	return rdmsr(MSR_FS_BASE);
}

const char *
plat_fs_base_how(void)
{
	return "wrmsr IA32_FS_BASE";
}

/* QEMU's gdb stub (TCG) breaks at translation, not with an int3 in memory */
bool
plat_breakpoints_in_memory(void)
{
	return false;
}

static bool
rdrand(u64 *v)
{
	u32 r[4];
	bool ok = false;

	cpuid(1, 0, r);
	if (!(r[2] & (1u << 30)))
		return false;
	for (int i = 0; i < 10 && !ok; i++)
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
	return ok;
}

u64
plat_random_u64(void)
{
	u64 v;

	if (rdrand(&v))
		return v;
	/* No RDRAND: the TSC's low bits, stirred (splitmix64). */
	v = rdtsc() + 0x9e3779b97f4a7c15ULL;
	v = (v ^ v >> 30) * 0xbf58476d1ce4e5b9ULL;
	v = (v ^ v >> 27) * 0x94d049bb133111ebULL;
	return v ^ v >> 31;
}

static const char *
basename_of(const char *s, size_t *len)
{
	const char *end = s + strcspn(s, " ");
	const char *b = end;

	while (b > s && b[-1] != '/')
		b--;
	*len = end - b;
	return b;
}

/* A module matches by its whole command line, by its first word (the path
 * given to -initrd) or by that word's basename. */
static const struct pc_module *
module_find(const char *path)
{
	size_t plen, mlen;
	const char *pb = basename_of(path, &plen);

	for (int i = 0; i < pc_nmodules; i++) {
		const char *n = pc_modules[i].name;
		const char *mb = basename_of(n, &mlen);

		if (!strcmp(n, path) ||
		    (strlen(path) == strcspn(n, " ") && !strncmp(n, path, strlen(path))) ||
		    (plen == mlen && plen && !strncmp(pb, mb, plen)))
			return &pc_modules[i];
	}
	return NULL;
}

int
plat_file_read(const char *path, void **bufp, size_t *lenp)
{
	const struct pc_module *m = module_find(path);
	void *buf;

	if (!m)
		return -ENOENT;
	buf = heap_alloc(m->len ? m->len : 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, m->data, m->len);
	*bufp = buf;
	*lenp = m->len;
	return 0;
}

/* Modules are in memory already and never change: the view is the module. */
int
plat_file_id(const char *path, struct plat_file_id *id)
{
	const struct pc_module *m = module_find(path);

	if (!m)
		return -ENOENT;
	*id = (struct plat_file_id){ 0, (u64)m->data, m->len, 0, 0 };
	return 0;
}

int
plat_file_view(const char *path, const void **bufp, size_t *lenp, struct plat_file_id *id)
{
	int rc = plat_file_id(path, id);

	if (rc)
		return rc;
	*bufp = module_find(path)->data;
	*lenp = id->size;
	return 0;
}

void
plat_file_unview(const void *buf, size_t len)
{
}

/* Bare metal has no writable files (yet): modules are read-only. */
int
plat_file_create(const char *path)
{
	return -ENOSYS;
}

int
plat_file_write(int handle, const void *buf, size_t len)
{
	return -EBADF;
}

void
plat_file_close(int handle)
{
}

/* No network on bare metal: the UHCI driver reaches devices instead. */
int plat_stream_connect(const char *addr, u64 timeout_ns) { return -ENOSYS; }
int plat_stream_wait(int handle, u64 wait_ns) { return -ENOSYS; }
int plat_stream_read(int handle, void *buf, size_t len) { return -ENOSYS; }
int plat_stream_write(int handle, const void *buf, size_t len) { return -ENOSYS; }
void plat_stream_close(int handle) { }

void
plat_exit(int status)
{
	__asm__ volatile("cli");
	/* QEMU exits with (status << 1) | 1. */
	outl(DEBUG_EXIT_PORT, (u32)status);
	/* No debug-exit device: ACPI soft-off (status lost), else halt. */
	outw(pc_acpi_pm1a_cnt(), 0x2000);	/* SLP_EN, SLP_TYP 0: S5 on QEMU and Bochs */
	for (;;)
		__asm__ volatile("hlt");
}
