/* \blobvisor\blobvisor.cfg on the ESP: what `-append' and `-initrd' are to
 * QEMU's multiboot.  One directive a line, '#' starts a comment line:
 *
 *   cmdline tty --load 'rockey.o libdongle.a'
 *   module \blobvisor\rockey.o build/samples/rockey.o
 *
 * `module PATH [NAME...]': the file at PATH on the ESP becomes a module whose
 * string is NAME (default: PATH with '/' separators), which is what the
 * VMM's plat_file_read matches (whole string, first word or its basename).
 * `fallback PATH CMDLINE...': the EFI image (an OS loader, a kernel with its
 * EFI stub) to start with CMDLINE as its load options when the VMM cannot
 * run on this CPU (fallback.c).
 * `boot PATH CMDLINE...': the firmware becomes the VMM's first guest
 * (guest.c) and, as that guest, starts PATH the same way: the OS boots
 * under the VMM.  Without it the VMM takes the machine (ExitBootServices).
 * A missing file means no modules and an empty command line. */
#include "loader.h"

static char text[16384];

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int
bad(unsigned lineno, const char *what)
{
	say("blobvisor.efi: " CONFIG_PATH ":%u: %s\n", (uint64_t)lineno, what);
	return -1;
}

/* Copy [s, e) to dst (cap bytes with the NUL); false if it does not fit. */
static bool
copy_to(char *dst, size_t cap, const char *s, const char *e)
{
	if ((size_t)(e - s) >= cap)
		return false;
	mem_copy(dst, s, (size_t)(e - s));
	dst[e - s] = 0;
	return true;
}

static int
module_line(struct config *c, unsigned lineno, const char *s, const char *e)
{
	struct module_cfg *m = &c->mod[c->nmod];
	const char *p = s;

	if (c->nmod == MAX_MODULES)
		return bad(lineno, "more than 16 modules");
	while (p < e && !is_space(*p))
		p++;
	if (p == s)
		return bad(lineno, "module: no path");
	if (!copy_to(m->path, sizeof(m->path), s, p))
		return bad(lineno, "module: path longer than 255 bytes");
	while (p < e && is_space(*p))
		p++;
	if (p == e) {
		p = s;
		while (p < e && !is_space(*p))
			p++;
		copy_to(m->name, sizeof(m->name), s, p);
		for (char *q = m->name; *q; q++)
			if (*q == '\\')
				*q = '/';
	} else if (!copy_to(m->name, sizeof(m->name), p, e)) {
		return bad(lineno, "module: name longer than 255 bytes");
	}
	c->nmod++;
	return 0;
}

/* `fallback'/`boot' PATH CMDLINE... */
static int
image_line(struct image_cfg *img, unsigned lineno, const char *what, const char *w, const char *e)
{
	static char msg[64];
	const char *p = w;
	size_t n = str_len(what);

	while (p < e && !is_space(*p))
		p++;
	mem_copy(msg, what, n);
	if (p == w) {
		mem_copy(msg + n, ": no path", 10);
		return bad(lineno, msg);
	}
	if (!copy_to(img->path, sizeof(img->path), w, p)) {
		mem_copy(msg + n, ": path longer than 255 bytes", 29);
		return bad(lineno, msg);
	}
	while (p < e && is_space(*p))
		p++;
	if (!copy_to(img->cmdline, sizeof(img->cmdline), p, e)) {
		mem_copy(msg + n, ": command line longer than 1023 bytes", 38);
		return bad(lineno, msg);
	}
	return 0;
}

static int
directive(struct config *c, unsigned lineno, const char *s, const char *e)
{
	const char *w = s;
	size_t n;

	while (w < e && !is_space(*w))
		w++;
	n = (size_t)(w - s);
	while (w < e && is_space(*w))
		w++;
	while (e > w && is_space(e[-1]))
		e--;
	if (n == 7 && !str_ncmp(s, "cmdline", 7)) {
		if (!copy_to(c->cmdline, sizeof(c->cmdline), w, e))
			return bad(lineno, "cmdline: longer than 2047 bytes");
		return 0;
	}
	if (n == 6 && !str_ncmp(s, "module", 6))
		return module_line(c, lineno, w, e);
	if (n == 8 && !str_ncmp(s, "fallback", 8))
		return image_line(&c->fallback, lineno, "fallback", w, e);
	if (n == 4 && !str_ncmp(s, "boot", 4))
		return image_line(&c->boot, lineno, "boot", w, e);
	return bad(lineno, "unknown directive (cmdline, module, fallback, boot)");
}

int
config_read(struct config *c)
{
	uint64_t size;
	unsigned lineno = 0;

	c->cmdline[0] = 0;
	c->nmod = 0;
	c->fallback.path[0] = c->fallback.cmdline[0] = 0;
	c->boot.path[0] = c->boot.cmdline[0] = 0;
	if (esp_read_optional(CONFIG_PATH, text, sizeof(text), &size))
		return -1;
	if (!size) {
		say("blobvisor.efi: no " CONFIG_PATH ": no modules, empty command line\n");
		return 0;
	}
	for (const char *s = text; s < text + size;) {
		const char *e = s;

		while (e < text + size && *e != '\n')
			e++;
		lineno++;
		while (s < e && is_space(*s))
			s++;
		if (s < e && *s != '#' && directive(c, lineno, s, e))
			return -1;
		s = e + 1;
	}
	return 0;
}
