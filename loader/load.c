/* Loading a set of files into one blob: read, classify (object, archive,
 * shared object), pull archive members in like ld until no undefined
 * symbol can be satisfied by another member, link, run constructors.  Any
 * failure undoes everything: memory, symbols, constructors not yet run. */
#include <core/console.h>
#include <core/errno.h>
#include <core/heap.h>
#include <core/ordered.h>
#include <core/pages.h>
#include <core/platform.h>
#include <core/string.h>
#include <domain/domain.h>
#include <loader/ar.h>
#include "internal.h"

struct archive {
	struct ar_file ar;
	u64 *loaded;		/* member header offsets already pulled in */
	size_t nloaded, cap;
	/* the symbol index walked once (each pass of load_needed reads it
	 * again): name and member header */
	const char **sym;
	u64 *sym_hdr;
	u32 nsym;
};

/* The index as two arrays; false when out of memory. */
static bool
index_load(struct archive *a)
{
	size_t cur = 0;
	const char *name;
	u32 k;
	u64 hdr;

	if (!a->ar.nsyms)
		return true;
	a->sym = heap_alloc(a->ar.nsyms * sizeof(*a->sym));
	a->sym_hdr = heap_alloc(a->ar.nsyms * sizeof(*a->sym_hdr));
	if (!a->sym || !a->sym_hdr)
		return false;
	while (a->nsym < a->ar.nsyms && ar_index_next(&a->ar, &cur, &k, &name, &hdr)) {
		a->sym[a->nsym] = name;
		a->sym_hdr[a->nsym++] = hdr;
	}
	return true;
}

void
blob_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int
trap_index(const struct blob *b, const char *name)
{
	for (unsigned t = 0; t < b->ntraps; t++)
		if (!strcmp(b->trap_names[t], name))
			return (int)t;
	return -1;
}

int
blob_missing_trap_reserve(struct blob *b, const char *name)
{
	char *copy;

	if (trap_index(b, name) >= 0)
		return 0;
	/* every stored name is a real string: later lookups strcmp them */
	if (ARRAY_GROW(b->trap_names, b->ntraps, b->trap_cap) || !(copy = heap_strdup(name))) {
		blob_err("blob: %s: out of memory for the trap of missing `%s'", b->name, name);
		return -1;
	}
	b->trap_names[b->ntraps++] = copy;
	return 0;
}

u64
blob_missing_trap_addr(struct blob *b, const char *name)
{
	int t = trap_index(b, name);

	return t < 0 || !b->traps ? 0 : b->traps + (u64)TRAP_STUB * (unsigned)t;
}

/* Traps for missing imports (--allow-missing) live in pages of their own,
 * allocated once every missing name is known (ET_REL and ET_DYN alike). */
int
blob_traps_alloc(struct blob *b)
{
	size_t pages = ALIGN_UP((size_t)b->ntraps * TRAP_STUB, PAGE_SIZE) / PAGE_SIZE;
	u8 *p;

	if (b->trap_pages || !b->ntraps)
		return 0;
	if (plat_image_alloc(&b->trap_img, pages)) {
		blob_err("blob: %s: no room for %u traps", b->name, b->ntraps);
		return -1;
	}
	p = b->trap_img.w;
	memset(p, 0xcc, pages * PAGE_SIZE);
	for (unsigned t = 0; t < b->ntraps; t++) {
		/* movabs $name, %rdi; mov (%rsp), %rsi; movabs $fn, %rax; jmp *%rax */
		u8 *s = p + TRAP_STUB * t;
		u64 name = (u64)b->trap_names[t], fn = (u64)blob_missing_called;

		s[0] = 0x48;
		s[1] = 0xbf;
		memcpy(s + 2, &name, 8);
		memcpy(s + 10, "\x48\x8b\x34\x24", 4);
		s[14] = 0x48;
		s[15] = 0xb8;
		memcpy(s + 16, &fn, 8);
		s[24] = 0xff;
		s[25] = 0xe0;
	}
	b->traps = (u64)b->trap_img.run;
	b->trap_pages = pages;
	return blob_image_seal(b, &b->trap_img, NULL, PROT_R | PROT_X);
}

/* Seal an image with per-page protections, or all pages with `all' when
 * prot is NULL; the failure is the load's. */
int
blob_image_seal(struct blob *b, struct plat_image *im, const u8 *prot, int all)
{
	u8 *v = NULL;
	int rc;

	if (!prot) {
		v = heap_alloc(im->pages);
		if (!v) {
			blob_err("blob: %s: out of memory", b->name);
			return -1;
		}
		memset(v, all, im->pages);
		prot = v;
	}
	rc = plat_image_seal(im, prot);
	heap_free(v);
	if (rc) {
		blob_err("blob: %s: cannot map its image with its protections (error %d)", b->name, -rc);
		return -1;
	}
	return 0;
}

/* The image of b holding [addr, addr + len), or NULL. */
struct plat_image *
blob_image_of(const struct blob *b, u64 addr, size_t len)
{
	struct plat_image *ims[2] = { (struct plat_image *)&b->img,
				      (struct plat_image *)&b->trap_img };

	for (unsigned i = 0; i < 2; i++)
		if (ims[i]->run && addr >= (u64)ims[i]->run &&
		    len <= ims[i]->pages * PAGE_SIZE - (addr - (u64)ims[i]->run) &&
		    addr - (u64)ims[i]->run < ims[i]->pages * PAGE_SIZE)
			return ims[i];
	for (struct blob_obj *o = b->objs; o; o = o->next)
		if (o->img.run && addr >= (u64)o->img.run &&
		    addr - (u64)o->img.run < o->img.pages * PAGE_SIZE &&
		    len <= o->img.pages * PAGE_SIZE - (addr - (u64)o->img.run))
			return &o->img;
	return NULL;
}

/* A write into a sealed image of b: IFUNC answers in the GOT and RELRO. */
int
blob_image_put(struct blob *b, u64 addr, const void *src, size_t len)
{
	struct plat_image *im = blob_image_of(b, addr, len);

	if (!im || plat_image_write(im, addr, src, len)) {
		blob_err("blob: %s: cannot write %#llx in its image", b->name, (unsigned long long)addr);
		return -1;
	}
	return 0;
}

int
blob_fini_push(struct blob *b, u64 fn)
{
	if (ARRAY_GROW(b->fini, b->nfini, b->fini_cap))
		return -1;
	b->fini[b->nfini++] = fn;
	return 0;
}

static void
obj_free(struct blob_obj *o)
{
	plat_image_free(&o->img);
	heap_free((void *)o->soname);
	heap_free(o->runs);
	heap_free(o->arrays);
	heap_free(o->copy);
	heap_free(o->name);
	heap_free(o);
}

static void
blob_destroy(struct blob *b)
{
	struct blob_obj *o, *next;

	for (o = b->objs; o; o = next) {
		next = o->next;
		obj_free(o);
	}
	if (b->domain)		/* its pages stop being user pages first */
		domain_detach(b->domain);
	plat_image_free(&b->img);
	plat_image_free(&b->trap_img);
	if (b->tls_image)	/* a domain's own block */
		heap_free(b->tls_image);
	else if (b->tls_base)	/* given back only if it is the last block */
		exec_tls_free(b->tls_base, b->tls_mark);
	ns_free(b);
	blob_ifunc_free(b);
	blob_heap_destroy(b);
	for (unsigned t = 0; t < b->ntraps; t++)
		heap_free(b->trap_names[t]);
	heap_free(b->trap_names);
	heap_free(b->fini);
	heap_free(b->deps);
	heap_free(b);
}

/* Parse one ELF file (a copy, so that it is aligned and ours) and add it. */
static struct blob_obj *
add_obj(struct blob *b, const char *name, const void *buf, size_t len)
{
	struct blob_obj *o = heap_zalloc(sizeof(*o)), **pp;
	size_t scratch_len = elf_scratch_size(buf, len);
	u32 *scratch = NULL;
	char err[ERRSZ];
	int rc;

	if (!o) {
		blob_err("blob: %s: out of memory", name);
		return NULL;
	}
	o->name = heap_strdup(name);
	o->copy = heap_alloc_aligned(len ? len : 1, 16);
	if (scratch_len)
		scratch = heap_alloc(scratch_len);
	if (!o->name || !o->copy || (scratch_len && !scratch)) {
		blob_err("blob: %s: out of memory (%zu bytes)", name, len);
		heap_free(scratch);
		obj_free(o);
		return NULL;
	}
	memcpy(o->copy, buf, len);
	o->copy_len = len;
	rc = elf_parse(&o->elf, o->copy, len, o->name, scratch, scratch_len, err, sizeof(err));
	heap_free(scratch);
	if (rc) {
		blob_err("blob: %s", err);
		obj_free(o);
		return NULL;
	}
	o->elf.name = o->name;
	o->dyn = o->elf.eh->e_type == ET_DYN;
	for (pp = &b->objs; *pp; pp = &(*pp)->next)
		;
	*pp = o;
	b->nobjs++;
	if (o->dyn) {
		if (dyn_map(b, o) || dyn_define(b, o))
			return NULL;	/* o stays on b->objs; freed with b */
	} else if (rel_define(b, o)) {
		return NULL;
	}
	return o;
}

/* Names an object needs from elsewhere (strong undefined only, as ld). */
static void
note_undefined(struct blob *und, struct blob_obj *o)
{
	for (size_t i = 1; i < o->elf.nsym; i++) {
		const Elf64_Sym *s = &o->elf.sym[i];

		if (s->st_shndx == SHN_UNDEF && ELF64_ST_BIND(s->st_info) == STB_GLOBAL)
			ns_define(und, elf_sym_name(&o->elf, i), 0, 0, o, 0, STB_WEAK,
				  STT_NOTYPE, false, 0);
	}
}

static int
add_member(struct blob *b, struct blob *und, struct archive *a, const struct ar_member *m)
{
	char name[320];
	struct blob_obj *o;

	if (ARRAY_GROW(a->loaded, a->nloaded, a->cap)) {
		blob_err("blob: %s(%s): out of memory", a->ar.name, m->name);
		return -1;
	}
	a->loaded[a->nloaded++] = m->hdr;
	snprintf(name, sizeof(name), "%s(%s)", a->ar.name, m->name);
	o = add_obj(b, name, m->data, m->size);
	if (!o)
		return -1;
	note_undefined(und, o);
	return 0;
}

static bool
member_loaded(const struct archive *a, u64 hdr)
{
	for (size_t i = 0; i < a->nloaded; i++)
		if (a->loaded[i] == hdr)
			return true;
	return false;
}

static int
load_whole(struct blob *b, struct blob *und, struct archive *a)
{
	struct ar_member m;
	char err[ERRSZ];
	u64 pos = 0;
	int r;

	while ((r = ar_next(&a->ar, &pos, &m, err, sizeof(err))) == 1)
		if (add_member(b, und, a, &m))
			return -1;
	if (r < 0)
		blob_err("blob: %s", err);
	return r;
}

/* ld's rule: pull in a member when it defines a symbol that is undefined
 * so far; repeat until nothing changes. */
static int
load_needed(struct blob *b, struct blob *und, struct archive *as, int na)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (int i = 0; i < na; i++) {
			struct archive *a = &as[i];

			if (!a->ar.buf)
				continue;
			for (u32 k = 0; k < a->nsym; k++) {
				const char *sym = a->sym[k];
				u64 hdr = a->sym_hdr[k];
				struct ar_member m;
				char err[ERRSZ];

				/* a loaded member's names first: no hashing (most
				 * of the index after the first pass) */
				if (member_loaded(a, hdr) || !ns_find(und, sym) || ns_find(b, sym))
					continue;
				if (ar_member_at(&a->ar, hdr, &m, err, sizeof(err))) {
					blob_err("blob: %s", err);
					return -1;
				}
				if (add_member(b, und, a, &m))
					return -1;
				changed = true;
			}
		}
	}
	return 0;
}

static void
choose_name(struct blob *b, const char *path)
{
	const char *base = base_name(path);

	snprintf(b->name, sizeof(b->name), "%s", base);
	for (int k = 2; blob_find(b->name); k++)
		snprintf(b->name, sizeof(b->name), "%s#%d", base, k);
}

static void
summary(struct blob *b)
{
	unsigned nrel = 0, ndyn = 0;

	for (struct blob_obj *o = b->objs; o; o = o->next) {
		kprintf("  %s%s\n", o->name, o->dyn ? " (shared object)" : "");
		o->dyn ? ndyn++ : nrel++;
	}
	kprintf("blob: %s: %u object%s, %u shared object%s, %u sections, image %#zx bytes at %p\n",
		b->name, nrel, nrel == 1 ? "" : "s", ndyn, ndyn == 1 ? "" : "s", b->nsections,
		b->image_pages * PAGE_SIZE, b->image);
	kprintf("blob: %s: GOT %u slot%s, PLT %u stub%s, %u trap%s; imports:", b->name, b->ngot,
		b->ngot == 1 ? "" : "s", b->nplt, b->nplt == 1 ? "" : "s", b->ntraps,
		b->ntraps == 1 ? "" : "s");
	for (unsigned c = 0; c < EXPORT_NCLASSES; c++)
		if (b->imports[c])
			kprintf(" %s %u", export_class_name(c), b->imports[c]);
	kprintf(" blob %u weak %u missing %u\n", b->imports_blob, b->imports_weak,
		b->imports_missing);
}

static int
run_inits(struct blob *b)
{
	u64 *list = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	/* the lists are in the image: a domain's are user pages (SMAP) */
	if (b->domain)
		domain_window(true);
	for (struct blob_obj *o = b->objs; o && !rc; o = o->next)
		if (o->dyn && dyn_inits(b, o, &list, &n, &cap))
			rc = -1;
	if (rel_collect_inits(b, &list, &n, &cap))
		rc = -1;
	if (b->domain)
		domain_window(false);
	if (!rc && !(b->flags & BLOB_NORUN))
		rc = blob_run_ctors(b, list, n);
	heap_free(list);
	return rc;
}

static struct domain_limits load_domain_lim;	/* blob_load_files_limited's, this load */
static struct blob_unload_hook *unload_hooks;
static struct blob_load_hook *load_hooks;

/* A domain holds objects and shared objects with no traps (VMM code) and
 * no TLS descriptors (their resolver is VMM code too; gcc's default
 * general-dynamic model calls the runtime's __tls_get_addr); then its pages
 * become its own (domain/domain.c). */
static int
domain_make(struct blob *b)
{
	struct domain_limits lim = {
		.pages = b->domain_lim.pages ? b->domain_lim.pages : DOMAIN_DEFAULT_PAGES,
		.threads = b->domain_lim.threads ? b->domain_lim.threads : DOMAIN_DEFAULT_THREADS,
	};

	for (struct blob_obj *o = b->objs; o; o = o->next) {
		for (size_t i = 1; i < o->elf.nsym && !o->dyn; i++)
			if (o->sflags[i] & SF_TLSDESC) {
				blob_err("blob: %s: %s: TLS descriptors (-mtls-dialect=gnu2) in a "
					 "domain are not supported; build with the default dialect",
					 b->name, o->name);
				return -1;
			}
	}
	if (b->ntraps) {
		blob_err("blob: %s: --allow-missing traps are VMM code; not in a domain", b->name);
		return -1;
	}
	b->domain = domain_attach(b, &lim, b->tls_image, (size_t)-b->tls_base);
	return b->domain ? 0 : -1;
}

struct domain *
blob_domain(const struct blob *b)
{
	return b->domain;
}

struct blob *
blob_load_inputs(const struct blob_input *in, int n, unsigned flags)
{
	struct blob *b = heap_zalloc(sizeof(*b));
	struct blob und = { 0 };
	struct archive *as = heap_zalloc((n ? n : 1) * sizeof(*as));
	int nobj = 0, rc = -1;
	bool any_rel = false;

	if (n < 1)
		goto out;
	if (!b || !as || ns_init(b, 256) || ns_init(&und, 256)) {
		blob_err("blob: %s: out of memory", base_name(in[0].name));
		goto out;
	}
	b->flags = flags;
	b->tlsld_got = -1;
	b->domain_lim = load_domain_lim;
	choose_name(b, in[0].name);
	for (int i = 0; i < n; i++) {
		char err[ERRSZ];
		struct blob_obj *o;

		if (!ar_is_archive(in[i].buf, in[i].len)) {
			o = add_obj(b, base_name(in[i].name), in[i].buf, in[i].len);
			if (!o)
				goto out;
			note_undefined(&und, o);
			/* a domain's runtime (its last file) is not the user's
			 * object: an archive alone still loads whole */
			nobj += !((flags & BLOB_DOMAIN) && i == n - 1);
		} else if (ar_open(&as[i].ar, in[i].buf, in[i].len, base_name(in[i].name), err,
				   sizeof(err))) {
			blob_err("blob: %s", err);
			goto out;
		} else if (!index_load(&as[i])) {
			blob_err("blob: %s: out of memory", base_name(in[i].name));
			goto out;
		}
	}
	for (int i = 0; i < n; i++)
		if (as[i].ar.buf && (nobj == 0 || (flags & BLOB_WHOLE_ARCHIVE)) &&
		    load_whole(b, &und, &as[i]))
			goto out;
	if (load_needed(b, &und, as, n))
		goto out;
	for (struct blob_obj *o = b->objs; o; o = o->next) {
		if (o->dyn && dyn_check_needed(b, o))
			goto out;
		any_rel |= !o->dyn;
	}
	for (struct blob_obj *o = b->objs; o; o = o->next)
		if (o->dyn && (b->flags & BLOB_ALLOW_MISSING) && dyn_reserve_traps(b, o))
			goto out;
	if (any_rel && rel_link(b))
		goto out;
	if (blob_traps_alloc(b))
		goto out;
	for (struct blob_obj *o = b->objs; o; o = o->next) {
		unsigned nmissing = 0;

		if (o->dyn && dyn_relocate(b, o, &nmissing))
			goto out;
	}
	if ((flags & BLOB_DOMAIN) && domain_make(b))
		goto out;
	if (!(flags & BLOB_QUIET))
		summary(b);
	blob_list_add(b);
	/* the hooks read the image (gdb's JIT copy): a domain's pages are
	 * user pages now, which the VMM reads only through a window */
	if (b->domain)
		domain_window(true);
	for (struct blob_load_hook *h = load_hooks; h; h = h->next)
		h->fn(b);
	if (b->domain)
		domain_window(false);
	/* IFUNC resolvers, then constructors: both blob code, run with the
	 * blob listed so that a fault in them is reported against it */
	if (blob_ifunc_resolve(b))	/* it said which one failed */
		goto unlist;
	if (run_inits(b)) {
		blob_err("blob: %s: a constructor failed; blob unloaded", b->name);
unlist:
		for (struct blob_unload_hook *h = unload_hooks; h; h = h->next)
			h->fn(b);
		blob_list_remove(b);
		goto out;
	}
	b->ctors_done = !(flags & BLOB_NORUN);
	/* the load hooks and resolvers have read the images: their staging
	 * copies go */
	plat_image_release(&b->img);
	plat_image_release(&b->trap_img);
	for (struct blob_obj *o = b->objs; o; o = o->next)
		plat_image_release(&o->img);
	rc = 0;
out:
	for (int i = 0; i < n && as; i++) {
		heap_free(as[i].loaded);
		heap_free(as[i].sym);
		heap_free(as[i].sym_hdr);
	}
	heap_free(as);
	ns_free(&und);
	if (rc && b) {
		blob_destroy(b);
		b = NULL;
	}
	return b;
}

struct blob *
blob_load_files(const char *const *paths, int n, unsigned flags)
{
	return blob_load_files_limited(paths, n, flags, NULL);
}

/* A domain's namespace is its files and, last, the domain runtime the
 * image carries (so the blob is still named after its first file). */
struct blob *
blob_load_files_limited(const char *const *paths, int n, unsigned flags,
			const struct domain_limits *lim)
{
	bool dom = flags & BLOB_DOMAIN;
	struct blob_input *in = heap_zalloc((n + 1) * sizeof(*in));
	struct blob *b = NULL;
	int i;

	if (!in)
		return NULL;
	if (dom && domain_unsupported()) {
		blob_err("blob: %s: %s", n ? base_name(paths[0]) : "--domain", domain_unsupported());
		heap_free(in);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		const void *buf;
		size_t len;
		int err = file_cache_get(paths[i], &buf, &len);

		if (err < 0) {
			blob_err("blob: %s: cannot read: %s", paths[i], err == -PLAT_ENOTREG ?
				 "not a regular file (only regular files are loaded)" : strerror(-err));
			break;
		}
		in[i] = (struct blob_input){ paths[i], buf, len };
	}
	if (i == n && dom) {
		in[n].name = "domain-runtime.o";
		domain_runtime(&in[n].buf, &in[n].len);
		load_domain_lim = lim ? *lim : (struct domain_limits){ 0 };
		b = blob_load_inputs(in, n + 1, flags);
		load_domain_lim = (struct domain_limits){ 0 };
	} else if (i == n) {
		b = blob_load_inputs(in, n, flags);
	}
	for (int k = 0; k < i; k++)
		file_cache_put(in[k].buf, in[k].len);
	heap_free(in);
	return b;
}

int
blob_unload(struct blob *b)
{
	struct blob *user = blob_user_of(b);

	if (b->flags & BLOB_STATIC) {
		blob_err("blob: %s: linked into the image, cannot be unloaded", b->name);
		return -1;
	}
	if (user) {
		blob_err("blob: %s: still used by %s (unload that first)", b->name, user->name);
		return -1;
	}
	if (blob_threads_running(b, false)) {
		blob_err("blob: %s: %d thread(s) still running (blob unload --force stops them):",
			 b->name, blob_threads_running(b, false));
		blob_threads_running(b, true);
		return -1;
	}
	blob_threads_stop(b);	/* finished, never joined: their memory */
	/* destructors in reverse order of registration, unless the blob is
	 * known broken (its state cannot be trusted) */
	if (b->ctors_done && !b->failed)
		for (size_t i = b->nfini; i-- > 0;)
			if (exec_blob_call(b, b->fini[i], NULL, 0, &(u64){ 0 }))
				break;
	for (struct blob_unload_hook *h = unload_hooks; h; h = h->next)
		h->fn(b);
	blob_list_remove(b);
	blob_destroy(b);
	return 0;
}

void
blob_unload_hook_register(struct blob_unload_hook *h)
{
	ORDERED_INSERT(unload_hooks, h);
}

void
blob_load_hook_register(struct blob_load_hook *h)
{
	ORDERED_INSERT(load_hooks, h);
}

/* "libz.a(inflate.o):inflate+0x1c" */
const char *
blob_describe_addr(u64 addr, char *buf, size_t size)
{
	for (struct blob *b = blob_first(); b; b = b->next)
		for (struct blob_obj *o = b->objs; o; o = o->next) {
			const struct elf_file *f = &o->elf;
			const char *best = NULL;
			u64 best_addr = 0;
			bool inside = false;

			if (o->dyn) {
				inside = addr >= (u64)o->map && addr < (u64)o->map + o->map_pages * PAGE_SIZE;
			} else {
				for (unsigned i = 1; i < f->shnum && !inside; i++)
					inside = o->secaddr[i] && addr >= o->secaddr[i] &&
						 addr < o->secaddr[i] + f->sh[i].sh_size;
			}
			if (!inside)
				continue;
			for (size_t i = 1; i < f->nsym; i++) {
				const Elf64_Sym *s = &f->sym[i];
				unsigned t = ELF64_ST_TYPE(s->st_info);
				u64 a;

				if (s->st_shndx == SHN_UNDEF || s->st_shndx >= SHN_LORESERVE ||
				    (t != STT_FUNC && t != STT_OBJECT && t != STT_NOTYPE))
					continue;
				a = o->dyn ? o->bias + s->st_value : o->symaddr[i];
				if (a <= addr && a >= best_addr && *elf_sym_name(f, i)) {
					best = elf_sym_name(f, i);
					best_addr = a;
				}
			}
			if (best)
				snprintf(buf, size, "%s:%s+%#llx", o->name, best,
					 (unsigned long long)(addr - best_addr));
			else
				snprintf(buf, size, "%s+%#llx", o->name, (unsigned long long)addr);
			return buf;
		}
	return NULL;
}
