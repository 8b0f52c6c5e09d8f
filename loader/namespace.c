/* Link namespaces: each blob has a hash table of the global symbols its
 * files define.  Undefined symbols resolve inside the blob first, then
 * against blobs loaded earlier, then against the core's export table. */
#include <core/heap.h>
#include <core/string.h>
#include "internal.h"

static struct blob *blobs;	/* load order */

static u32
hash_name(const char *s)
{
	u32 h = 2166136261u;

	while (*s)
		h = (h ^ (u8)*s++) * 16777619u;
	return h;
}

int
ns_init(struct blob *b, unsigned nbuckets)
{
	unsigned n = 64;

	while (n < nbuckets && n < (1u << 20))
		n <<= 1;
	b->hash = heap_zalloc(n * sizeof(*b->hash));
	if (!b->hash)
		return -1;
	b->nhash = n;
	return 0;
}

/* Symbols come from chunks, not one heap block each: a libz load defines
 * and references hundreds. */
#define NSYM_CHUNK 64
struct nsym_chunk {
	struct nsym_chunk *next;
	unsigned used;
	struct nsym s[NSYM_CHUNK];
};

static struct nsym *
nsym_new(struct blob *b)
{
	struct nsym_chunk *c = b->chunks;

	if (!c || c->used == NSYM_CHUNK) {
		c = heap_alloc(sizeof(*c));
		if (!c)
			return NULL;
		c->next = b->chunks;
		c->used = 0;
		b->chunks = c;
	}
	return memset(&c->s[c->used++], 0, sizeof(struct nsym));
}

void
ns_free(struct blob *b)
{
	struct nsym_chunk *c, *next;

	for (c = b->chunks; c; c = next) {
		next = c->next;
		heap_free(c);
	}
	b->chunks = NULL;
	heap_free(b->hash);
	b->hash = NULL;
	b->nhash = 0;
}

struct nsym *
ns_find(const struct blob *b, const char *name)
{
	if (!b->nhash)
		return NULL;
	for (struct nsym *s = b->hash[hash_name(name) & (b->nhash - 1)]; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

int
ns_define(struct blob *b, const char *name, u64 addr, u64 size, struct blob_obj *o,
	  u32 symidx, unsigned bind, unsigned type, bool common, u64 align)
{
	struct nsym *s = ns_find(b, name);
	bool strong = bind != STB_WEAK && !common;

	if (s) {
		bool old_strong = s->bind != STB_WEAK && !s->common;

		if (strong && old_strong) {
			blob_err("blob: duplicate symbol `%s': defined in %s and in %s", name,
				 s->obj->name, o->name);
			return -1;
		}
		if (common && s->common) {	/* COMMON + COMMON: the larger wins */
			s->size = MAX(s->size, size);
			s->common_align = MAX(s->common_align, align);
			return 0;
		}
		if (!strong && (old_strong || s->common || !common))
			return 0;	/* the existing definition stays */
	} else {
		u32 h = hash_name(name) & (b->nhash - 1);

		s = nsym_new(b);
		if (!s) {
			blob_err("blob: out of memory for symbol `%s'", name);
			return -1;
		}
		s->next = b->hash[h];
		b->hash[h] = s;
	}
	s->name = name;
	s->addr = addr;
	s->size = size;
	s->obj = o;
	s->symidx = symidx;
	s->bind = (u8)bind;
	s->type = (u8)type;
	s->common = common;
	s->common_align = align;
	return 0;
}

bool
ns_resolve_outside(struct blob *self, const char *name, u64 *addr, u64 *size, int *cls)
{
	const struct export *e;

	/* a domain reaches nothing outside itself: its runtime is one of its
	 * own files (docs/domains.md) */
	if (self->flags & BLOB_DOMAIN)
		return false;
	for (struct blob *b = blobs; b; b = b->next) {
		struct nsym *s;

		/* a domain's definitions are ring-3 code and data: no one
		 * outside it may bind to them */
		if (b == self || b->failed || (b->flags & BLOB_DOMAIN))
			continue;
		s = ns_find(b, name);
		if (s) {
			*addr = s->addr;
			*size = s->size;
			*cls = -1;
			blob_depend(self, b);
			return true;
		}
	}
	e = export_lookup(name);
	if (e) {
		*addr = (u64)e->addr;
		*size = 0;
		*cls = (int)e->cls;
		return true;
	}
	return false;
}

/* self resolved a symbol in dep: dep may not be unloaded before self. */
void
blob_depend(struct blob *self, struct blob *dep)
{
	struct blob **n;

	for (unsigned i = 0; i < self->ndeps; i++)
		if (self->deps[i] == dep)
			return;
	n = heap_realloc(self->deps, (self->ndeps + 1) * sizeof(*n));
	if (!n)
		return;
	self->deps = n;
	self->deps[self->ndeps++] = dep;
}

struct blob *
blob_user_of(const struct blob *dep)
{
	for (struct blob *b = blobs; b; b = b->next)
		for (unsigned i = 0; i < b->ndeps; i++)
			if (b->deps[i] == dep)
				return b;
	return NULL;
}

void
blob_list_add(struct blob *b)
{
	struct blob **pp = &blobs;

	while (*pp)
		pp = &(*pp)->next;
	b->next = NULL;
	*pp = b;
}

void
blob_list_remove(struct blob *b)
{
	for (struct blob **pp = &blobs; *pp; pp = &(*pp)->next)
		if (*pp == b) {
			*pp = b->next;
			return;
		}
}

struct blob *
blob_first(void)
{
	return blobs;
}

struct blob *
blob_next(struct blob *b)
{
	return b->next;
}

const char *
blob_name(const struct blob *b)
{
	return b->name;
}

struct blob *
blob_find(const char *name)
{
	for (struct blob *b = blobs; b; b = b->next)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

u64
blob_lookup(struct blob *b, const char *name, bool *found)
{
	for (struct blob *x = b ? b : blobs; x; x = b ? NULL : x->next) {
		struct nsym *s = ns_find(x, name);

		if (s && !x->failed) {
			if (found)
				*found = true;
			return s->addr;
		}
	}
	if (found)
		*found = false;
	return 0;
}
