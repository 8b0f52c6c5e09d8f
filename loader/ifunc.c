/* GNU indirect functions (STT_GNU_IFUNC, R_X86_64_IRELATIVE): a blob's
 * resolvers run at load, as glibc's ld.so runs them, and what they return
 * is what callers reach.
 *
 * ET_REL: each IFUNC definition gets a stub `jmp *slot(%rip)' and a GOT
 * slot; every reference (calls, address-of, data, GOT entries) is bound to
 * the stub, which is therefore the function's one address, as ld makes the
 * PLT entry the canonical address in a static link.  The slot holds the
 * resolver until it ran, then its answer; the namespace then names the
 * answer, so later blobs and `blob call' reach the chosen function
 * directly.  ET_DYN: IRELATIVE words and symbol words bound to an IFUNC
 * defined in the blob are filled with the answer.
 *
 * Resolvers are code of the blob and run in the blob context (its stack,
 * TLS, fault recovery), after the images are sealed with their final
 * protections; the answers reach the read-only GOT and RELRO words through
 * plat_image_write (never through a writable view of the image).
 * x86-64 resolvers take no arguments from ld.so; they ask the CPU through
 * __x86_get_cpuid_feature_leaf (libc/cpu_features.c), glibc's interface. */
#include <core/heap.h>
#include <core/platform.h>
#include <core/string.h>
#include "internal.h"

int
blob_ifunc_defer(struct blob *b, u64 where, u64 resolver, s64 addend, const char *name)
{
	if (ARRAY_GROW(b->ifix, b->nifix, b->ifix_cap)) {
		blob_err("blob: %s: out of memory for IFUNC relocations", b->name);
		return -1;
	}
	b->ifix[b->nifix++] = (struct ifunc_fix){ where, resolver, addend, name };
	return 0;
}

struct answers {
	u64 (*v)[2];		/* {resolver, answer}: each resolver runs once */
	size_t n, cap;
};

static int
run_resolver(struct blob *b, struct answers *a, u64 resolver, const char *name, u64 *out)
{
	u64 r;

	for (size_t i = 0; i < a->n; i++)
		if (a->v[i][0] == resolver) {
			*out = a->v[i][1];
			return 0;
		}
	if (exec_blob_call(b, resolver, NULL, 0, &r)) {
		blob_err("blob: %s: the IFUNC resolver of `%s' failed (above); blob unloaded", b->name, name);
		return -1;
	}
	if (!r) {
		blob_err("blob: %s: the IFUNC resolver of `%s' returned 0; blob unloaded", b->name, name);
		return -1;
	}
	if (!ARRAY_GROW(a->v, a->n, a->cap)) {
		a->v[a->n][0] = resolver;
		a->v[a->n++][1] = r;
	}
	*out = r;
	return 0;
}

/* The namespace entry of symbol i of o, if it is o's global definition. */
static struct nsym *
own_entry(struct blob *b, const struct blob_obj *o, size_t i)
{
	struct nsym *d = ns_find(b, elf_sym_name(&o->elf, i));

	return d && d->obj == o && d->symidx == i ? d : NULL;
}

static int
resolve_all(struct blob *b, struct answers *a)
{
	u64 t;

	for (struct blob_obj *o = b->objs; o; o = o->next) {
		if (o->dyn)
			continue;
		for (size_t i = 1; i < o->elf.nsym; i++) {
			u64 slot, resolver;
			struct nsym *d;

			if (!(o->sflags[i] & SF_IFUNC))
				continue;
			slot = b->got + 8 * (u64)o->tlsgd[i];
			memcpy(&resolver, (void *)slot, 8);
			if (run_resolver(b, a, resolver, elf_sym_name(&o->elf, i), &t) ||
			    blob_image_put(b, slot, &t, 8))
				return -1;
			d = own_entry(b, o, i);
			if (d)
				d->addr = t;
		}
	}
	for (size_t k = 0; k < b->nifix; k++) {
		const struct ifunc_fix *f = &b->ifix[k];

		if (run_resolver(b, a, f->resolver, f->name, &t))
			return -1;
		t += (u64)f->addend;
		if (blob_image_put(b, f->where, &t, 8))
			return -1;
	}
	/* ET_DYN definitions: later blobs and `blob call' reach the answer */
	for (unsigned h = 0; h < b->nhash; h++)
		for (struct nsym *s = b->hash[h]; s; s = s->next)
			if (s->obj && s->obj->dyn && s->type == STT_GNU_IFUNC) {
				if (run_resolver(b, a, s->addr, s->name, &t))
					return -1;
				s->addr = t;
			}
	return 0;
}

int
blob_ifunc_resolve(struct blob *b)
{
	struct answers a = { 0 };
	int rc = 0;

	/* link only (fuzzing): no blob code runs; slots keep the resolvers */
	if (!(b->flags & BLOB_NORUN) && (b->nifunc || b->nifix))
		rc = resolve_all(b, &a);
	heap_free(a.v);
	blob_ifunc_free(b);
	return rc;
}

void
blob_ifunc_free(struct blob *b)
{
	heap_free(b->ifix);
	b->ifix = NULL;
	b->nifix = b->ifix_cap = 0;
}
