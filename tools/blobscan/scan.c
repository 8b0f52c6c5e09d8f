#define _GNU_SOURCE
/* The namespace: which objects `blob load FILE...` would load, what their
 * undefined symbols resolve to, what each --want symbol pulls in, and the
 * verdict.  Properties that need the bytes are in props.c. */
#include <elf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <loader/introspect.h>

#include "blobscan.h"

/* name -> object index; open addressing, first insert wins. */
struct symmap {
	size_t cap, n;
	const char **key;
	size_t *val;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static void
map_init(struct symmap *m, size_t hint)
{
	m->cap = 64;
	while (m->cap < hint * 2)
		m->cap *= 2;
	m->n = 0;
	m->key = calloc(m->cap, sizeof(*m->key));
	m->val = calloc(m->cap, sizeof(*m->val));
}

static void
map_free(struct symmap *m)
{
	free(m->key);
	free(m->val);
}

static long
map_get(const struct symmap *m, const char *k)
{
	for (size_t i = hash(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->key[i])
			return -1;
		if (!strcmp(m->key[i], k))
			return (long)m->val[i];
	}
}

static void map_put(struct symmap *m, const char *k, size_t v);

static void
map_grow(struct symmap *m)
{
	struct symmap old = *m;

	map_init(m, old.cap);
	for (size_t i = 0; i < old.cap; i++)
		if (old.key[i])
			map_put(m, old.key[i], old.val[i]);
	map_free(&old);
}

static void
map_put(struct symmap *m, const char *k, size_t v)
{
	if (2 * (m->n + 1) > m->cap)
		map_grow(m);
	for (size_t i = hash(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->key[i]) {
			m->key[i] = k;
			m->val[i] = v;
			m->n++;
			return;
		}
		if (!strcmp(m->key[i], k))
			return;
	}
}

static bool
is_definition(const struct bs_symbol *y)
{
	return y->shndx != SHN_UNDEF && y->name[0] &&
	       (y->bind == STB_GLOBAL || y->bind == STB_WEAK || y->bind == STB_GNU_UNIQUE) &&
	       y->type != STT_SECTION && y->type != STT_FILE;
}

static bool
is_import(const struct bs_symbol *y)
{
	return y->shndx == SHN_UNDEF && y->name[0] &&
	       (y->bind == STB_GLOBAL || y->bind == STB_WEAK);
}

void
bs_reason_add(struct bs_scan *s, const char *fmt, ...)
{
	va_list ap;
	char *t;

	va_start(ap, fmt);
	if (vasprintf(&t, fmt, ap) < 0)
		t = NULL;
	va_end(ap);
	s->reason = realloc(s->reason, (s->nreason + 1) * sizeof(*s->reason));
	s->reason[s->nreason++] = t;
}

const char *
bs_obj_name(const struct bs_scan *s, size_t i)
{
	static char ring[4][1024];
	static int k;

	k = (k + 1) % 4;
	return bs_object_name(s->obj[i], ring[k], sizeof(ring[k]));
}

const char *
bs_obj_short(const struct bs_scan *s, size_t i)
{
	return s->obj[i]->member ? s->obj[i]->member : s->obj[i]->file;
}

static void
define_all(const struct bs_scan *s, struct symmap *m, size_t i)
{
	const struct bs_object *o = s->obj[i];

	for (size_t j = 1; j < o->nsym; j++)
		if (is_definition(&o->sym[j]))
			map_put(m, o->sym[j].name, i);
}

/* ld's archive rule: a member comes in when it defines a symbol that is
 * still undefined (strongly) in what is already in.  IN holds the seeds. */
static void
closure(const struct bs_scan *s, const struct symmap *all, bool *in)
{
	struct symmap def;
	size_t *work = malloc(s->nobj * sizeof(*work)), nwork = 0;

	map_init(&def, 1024);
	for (size_t i = 0; i < s->nobj; i++)
		if (in[i]) {
			define_all(s, &def, i);
			work[nwork++] = i;
		}
	while (nwork) {
		const struct bs_object *o = s->obj[work[--nwork]];

		for (size_t j = 1; j < o->nsym; j++) {
			const struct bs_symbol *y = &o->sym[j];
			long d;

			if (!is_import(y) || y->bind == STB_WEAK || map_get(&def, y->name) >= 0)
				continue;
			d = map_get(all, y->name);
			if (d < 0 || in[d])
				continue;
			in[d] = true;
			define_all(s, &def, d);
			work[nwork++] = d;
		}
	}
	map_free(&def);
	free(work);
}

static enum bs_via
via_of(uint32_t t)
{
	switch (t) {
	case R_X86_64_PLT32: case R_X86_64_JUMP_SLOT: case R_X86_64_PLTOFF64:
		return VIA_PLT;
	case R_X86_64_GOTPCREL: case R_X86_64_GOTPCRELX: case R_X86_64_REX_GOTPCRELX:
	case R_X86_64_GOT32: case R_X86_64_GOT64: case R_X86_64_GOTPCREL64:
	case R_X86_64_GLOB_DAT: case R_X86_64_GOTPLT64:
		return VIA_GOT;
	case R_X86_64_PC32: case R_X86_64_PC64: case R_X86_64_PC16: case R_X86_64_PC8:
		return VIA_PC;
	case R_X86_64_64: case R_X86_64_32: case R_X86_64_32S: case R_X86_64_16: case R_X86_64_8:
		return VIA_ABS;
	case R_X86_64_TLSGD: case R_X86_64_TLSLD: case R_X86_64_DTPOFF32: case R_X86_64_DTPOFF64:
	case R_X86_64_GOTTPOFF: case R_X86_64_TPOFF32: case R_X86_64_TPOFF64:
	case R_X86_64_DTPMOD64: case R_X86_64_TLSDESC: case R_X86_64_TLSDESC_CALL:
	case R_X86_64_GOTPC32_TLSDESC:
		return VIA_TLS;
	}
	return VIA_OTHER;
}

static struct bs_import *
import_get(struct bs_scan *s, struct symmap *idx, const char *name)
{
	long i = map_get(idx, name);

	if (i >= 0)
		return &s->imp[i];
	s->imp = realloc(s->imp, (s->nimp + 1) * sizeof(*s->imp));
	memset(&s->imp[s->nimp], 0, sizeof(s->imp[0]));
	s->imp[s->nimp].name = name;
	s->imp[s->nimp].weak = true;
	map_put(idx, name, s->nimp);
	return &s->imp[s->nimp++];
}

static void
import_ref(struct bs_import *im, size_t obj)
{
	if (im->nrefs && im->refs[im->nrefs - 1] == obj)
		return;
	im->refs = realloc(im->refs, (im->nrefs + 1) * sizeof(*im->refs));
	im->refs[im->nrefs++] = obj;
}

static void
import_classify(const struct bs_scan *s, struct bs_import *im, uint8_t elftype)
{
	const struct bs_export *e = bs_exports_find(s->exports, im->name);
	const struct bs_proto *p = bs_proto_find(im->name);

	if (e) {
		im->cls = e->cls;
		im->kind = e->kind;
		im->provided = true;
	} else {
		im->cls = elftype == STT_TLS ? CL_TLS : bs_class_guess(im->name);
		if (elftype == STT_FUNC)
			im->kind = KIND_FUNCTION;
		else if (elftype == STT_OBJECT || elftype == STT_TLS)
			im->kind = KIND_OBJECT;
		else if (p)
			im->kind = p->ret ? KIND_FUNCTION : KIND_OBJECT;
		else if (!strcmp(im->name, "__cpu_model") || !strcmp(im->name, "__cpu_features2"))
			im->kind = KIND_OBJECT;	/* libgcc's CPU model data */
		/* the loader makes the GOT itself */
		im->provided = im->cls == CL_GOT;
	}
	if (im->cls == CL_GOT)
		im->kind = KIND_OBJECT;
	im->data = im->kind == KIND_OBJECT && im->cls != CL_GOT;
	if (im->kind == KIND_UNKNOWN && !im->via[VIA_PLT] && (im->via[VIA_PC] || im->via[VIA_ABS]))
		im->data = true;
}

static int
cmp_import(const void *a, const void *b)
{
	const struct bs_import *x = a, *y = b;

	if (x->cls != y->cls)
		return (int)x->cls - (int)y->cls;
	return strcmp(x->name, y->name);
}

static void
collect_imports(struct bs_scan *s, const struct symmap *def)
{
	struct symmap idx;
	uint8_t *elftype = NULL;

	map_init(&idx, 256);
	for (size_t i = 0; i < s->nobj; i++) {
		const struct bs_object *o = s->obj[i];

		if (!s->loaded[i])
			continue;
		for (size_t j = 1; j < o->nsym; j++) {
			const struct bs_symbol *y = &o->sym[j];

			if (!is_import(y) || map_get(def, y->name) >= 0)
				continue;
			struct bs_import *im = import_get(s, &idx, y->name);
			if (y->bind != STB_WEAK)
				im->weak = false;
			import_ref(im, i);
			size_t k = im - s->imp;
			elftype = realloc(elftype, s->nimp);
			if (k == s->nimp - 1)
				elftype[k] = STT_NOTYPE;
			if (y->type != STT_NOTYPE)
				elftype[k] = y->type;
		}
		for (size_t j = 0; j < o->nrel; j++) {
			const struct bs_reloc *r = &o->rel[j];
			const struct bs_symbol *y = &o->sym[r->sym];
			long k;

			if (!r->sym || !is_import(y) || (k = map_get(&idx, y->name)) < 0)
				continue;
			s->imp[k].via[via_of(r->type)]++;
		}
	}
	for (size_t k = 0; k < s->nimp; k++)
		import_classify(s, &s->imp[k], elftype[k]);
	free(elftype);
	map_free(&idx);
	if (s->nimp)
		qsort(s->imp, s->nimp, sizeof(*s->imp), cmp_import);
}

/* GNU ld's convention: the section being relocated (a shared object's
 * dynamic relocations name their own section). */
static const char *
rel_where(const struct bs_object *o, const struct bs_reloc *r)
{
	return o->sec[o->e_type == ET_REL ? r->target : r->relsec].name;
}

static void
count_relocs(struct bs_scan *s)
{
	for (size_t i = 0; i < s->nobj; i++) {
		const struct bs_object *o = s->obj[i];

		if (!s->loaded[i])
			continue;
		for (size_t j = 0; j < o->nrel; j++) {
			uint32_t t = o->rel[j].type;

			if (t >= 256) {
				s->reloc_other++;
				continue;
			}
			bool ok = o->e_type == ET_DYN ? dyn_reloc_supported(t) : reloc_supported(t);
			if (!ok && !s->reloc_bad[t]) {
				s->reloc_bad[t] = true;
				s->bad_first[t].obj = i;
				s->bad_first[t].sec = rel_where(o, &o->rel[j]);
				s->bad_first[t].off = o->rel[j].offset;
				s->bad_first[t].set = true;
			}
			if (!s->reloc_count[t]++) {
				s->reloc_first[t].obj = i;
				s->reloc_first[t].sec = rel_where(o, &o->rel[j]);
				s->reloc_first[t].off = o->rel[j].offset;
				s->reloc_first[t].set = true;
			}
		}
	}
}

static void
check_duplicates(struct bs_scan *s)
{
	struct symmap strong;

	map_init(&strong, 1024);
	for (size_t i = 0; i < s->nobj; i++) {
		const struct bs_object *o = s->obj[i];

		if (!s->loaded[i])
			continue;
		for (size_t j = 1; j < o->nsym; j++) {
			const struct bs_symbol *y = &o->sym[j];
			long d;

			if (!is_definition(y) || y->bind == STB_WEAK || y->shndx == SHN_COMMON)
				continue;
			d = map_get(&strong, y->name);
			if (d >= 0 && (size_t)d != i)
				bs_reason_add(s, "duplicate definition of `%s': %s and %s", y->name,
					      bs_obj_name(s, d), bs_obj_name(s, i));
			else
				map_put(&strong, y->name, i);
		}
	}
	map_free(&strong);
}

/* A shared object's DT_NEEDED: the core stands in for these. */
static bool
needed_by_core(const char *n)
{
	static const char *const core[] = {
		"libc.so.6", "libm.so.6", "libpthread.so.0", "libusb-0.1.so.4", "libusb-1.0.so.0",
		"ld-linux-x86-64.so.2",
	};

	for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++)
		if (!strcmp(n, core[i]))
			return true;
	return false;
}

static void
check_needed(struct bs_scan *s)
{
	for (size_t i = 0; i < s->nobj; i++) {
		const struct bs_object *o = s->obj[i];

		for (size_t j = 0; j < o->nneeded; j++) {
			bool have = needed_by_core(o->needed[j]);
			const char *n = o->needed[j];

			for (size_t k = 0; k < s->nfile && !have; k++) {
				const char *b = strrchr(s->file[k].path, '/');
				have = !strcmp(b ? b + 1 : s->file[k].path, n);
			}
			if (!have)
				bs_reason_add(s, "%s: needs %s (DT_NEEDED), which is not loaded first",
					      bs_obj_name(s, i), n);
		}
	}
}

static void
verdict(struct bs_scan *s)
{
	check_duplicates(s);
	check_needed(s);
	for (size_t k = 0; k < s->nimp; k++) {
		const struct bs_import *im = &s->imp[k];

		if (im->provided || im->weak)
			continue;
		bs_reason_add(s, "%s: undefined %s `%s' (%s) is not exported by the core",
			      bs_obj_name(s, im->refs[0]),
			      im->kind == KIND_OBJECT ? "object" : im->kind == KIND_FUNCTION ? "function" : "symbol",
			      im->name, bs_class_name(im->cls));
	}
	for (unsigned t = 0; t < 256; t++) {
		const struct bs_where *w = &s->bad_first[t];

		if (!s->reloc_bad[t])
			continue;
		bs_reason_add(s, "%s: %s+0x%llx: %s not supported by the loader (%u of this type in all)",
			      bs_obj_name(s, w->obj), w->sec, (unsigned long long)w->off,
			      bs_reloc_name(t), s->reloc_count[t]);
	}
	if (s->reloc_other)
		bs_reason_add(s, "%u relocations of unknown type (>= 256)", s->reloc_other);
}

int
bs_scan_run(struct bs_scan *s, char *err, size_t errlen)
{
	struct symmap all;

	s->nobj = 0;
	for (size_t f = 0; f < s->nfile; f++)
		s->nobj += s->file[f].nobj;
	s->obj = calloc(s->nobj + 1, sizeof(*s->obj));
	s->obj_file = calloc(s->nobj + 1, sizeof(*s->obj_file));
	s->loaded = calloc(s->nobj + 1, sizeof(*s->loaded));
	s->whole = true;
	for (size_t f = 0, n = 0; f < s->nfile; f++) {
		if (s->file[f].kind != BS_ARCHIVE)
			s->whole = false;
		for (size_t j = 0; j < s->file[f].nobj; j++, n++) {
			s->obj[n] = &s->file[f].obj[j];
			s->obj_file[n] = f;
		}
	}
	map_init(&all, 4096);
	for (size_t i = 0; i < s->nobj; i++) {
		define_all(s, &all, i);
		s->loaded[i] = s->whole || s->file[s->obj_file[i]].kind != BS_ARCHIVE;
	}
	closure(s, &all, s->loaded);

	for (size_t w = 0; w < s->nwant; w++) {
		struct bs_want *wt = &s->want[w];
		bool *in = calloc(s->nobj + 1, sizeof(*in));

		wt->def = map_get(&all, wt->sym);
		if (wt->def >= 0) {
			in[wt->def] = true;
			closure(s, &all, in);
		}
		wt->closure = malloc((s->nobj + 1) * sizeof(*wt->closure));
		for (size_t i = 0; i < s->nobj; i++)
			if (in[i])
				wt->closure[wt->nclosure++] = i;
		free(in);
		if (wt->def < 0)
			bs_reason_add(s, "wanted symbol `%s' is not defined by any member", wt->sym);
	}

	struct symmap def;
	map_init(&def, 4096);
	for (size_t i = 0; i < s->nobj; i++)
		if (s->loaded[i])
			define_all(s, &def, i);
	collect_imports(s, &def);
	map_free(&def);
	map_free(&all);
	count_relocs(s);
	bs_props_scan(s);
	verdict(s);
	(void)err;
	(void)errlen;
	return 0;
}

void
bs_scan_free(struct bs_scan *s)
{
	for (size_t k = 0; k < s->nimp; k++)
		free(s->imp[k].refs);
	for (size_t w = 0; w < s->nwant; w++)
		free(s->want[w].closure);
	for (size_t i = 0; i < s->nreason; i++)
		free(s->reason[i]);
	for (size_t f = 0; f < s->nfile; f++)
		bs_file_free(&s->file[f]);
	free(s->imp);
	free(s->reason);
	free(s->obj);
	free(s->obj_file);
	free(s->loaded);
	s->imp = NULL;
	s->reason = NULL;
	s->nimp = s->nreason = 0;
}
