/* The readelf-like text report. */
#include <elf.h>
#include <string.h>

#include "blobscan.h"

static int
width(int w, const char *s)
{
	int l = (int)strlen(s);

	return l > w ? l : w;
}

static void
members(const struct bs_scan *s, FILE *out)
{
	int w = 6;

	for (size_t i = 0; i < s->nobj; i++)
		w = width(w, bs_obj_short(s, i));
	for (size_t f = 0; f < s->nfile; f++) {
		const struct bs_file *fl = &s->file[f];
		size_t nl = 0;

		for (size_t i = 0; i < s->nobj; i++)
			nl += s->obj_file[i] == f && s->loaded[i];
		fprintf(out, "File %s: %s, %zu bytes, %zu member%s, %zu loaded%s\n", fl->path,
			fl->kind == BS_ARCHIVE ? "ar archive" : fl->kind == BS_SHARED ? "shared object" :
			"relocatable object", fl->len, fl->nobj, fl->nobj == 1 ? "" : "s", nl,
			fl->kind == BS_ARCHIVE ? (s->whole ? " (no object given: every member)" :
						  " (only what the objects need)") : "");
	}
	fprintf(out, "\nMembers:\n  %-*s %10s  %-4s %5s %5s %5s %6s  %s\n", w, "Name", "Size", "Type",
		"Secs", "Syms", "Undef", "Relocs", "Loaded");
	for (size_t i = 0; i < s->nobj; i++) {
		const struct bs_object *o = s->obj[i];
		size_t und = 0;

		for (size_t j = 1; j < o->nsym; j++)
			und += o->sym[j].shndx == SHN_UNDEF && o->sym[j].name[0];
		fprintf(out, "  %-*s %10llu  %-4s %5zu %5zu %5zu %6zu  %s\n", w, bs_obj_short(s, i),
			(unsigned long long)o->size, o->e_type == ET_DYN ? "DYN" : "REL", o->nsec,
			o->nsym ? o->nsym - 1 : 0, und, o->nrel, s->loaded[i] ? "yes" : "no");
	}
}

static void
wants(const struct bs_scan *s, FILE *out)
{
	int w = 6, wd = 10;

	if (!s->nwant)
		return;
	for (size_t k = 0; k < s->nwant; k++) {
		w = width(w, s->want[k].sym);
		if (s->want[k].def >= 0)
			wd = width(wd, bs_obj_short(s, s->want[k].def));
	}
	fprintf(out, "\nWanted symbols:\n  %-*s %-*s %7s  %s\n", w, "Symbol", wd, "Defined in",
		"Members", "Closure (what a link pulls in)");
	for (size_t k = 0; k < s->nwant; k++) {
		const struct bs_want *wt = &s->want[k];

		fprintf(out, "  %-*s %-*s %7zu ", w, wt->sym, wd,
			wt->def >= 0 ? bs_obj_short(s, wt->def) : "(undefined)", wt->nclosure);
		for (size_t i = 0; i < wt->nclosure; i++)
			fprintf(out, " %s", bs_obj_short(s, wt->closure[i]));
		fprintf(out, "\n");
	}
}

static const char *const via_name[VIA_N] = { "plt", "got", "pc32", "abs", "tls", "other" };

static void
imports(const struct bs_scan *s, FILE *out)
{
	int w = 6;
	size_t prov = 0, weak = 0;

	for (size_t k = 0; k < s->nimp; k++) {
		w = width(w, s->imp[k].name);
		prov += s->imp[k].provided;
		weak += !s->imp[k].provided && s->imp[k].weak;
	}
	fprintf(out, "\nUndefined symbols: %zu (%zu provided by the core, %zu missing, %zu of them weak)\n",
		s->nimp, prov, s->nimp - prov, weak);
	if (s->nimp)
		fprintf(out, "    %-*s %-8s %-13s %-16s %s\n", w, "Symbol", "Kind", "Status",
			"Relocations", "Data / referenced by");
	for (int c = 0; c < CL_N; c++) {
		size_t n = 0, p = 0;

		for (size_t k = 0; k < s->nimp; k++)
			if (s->imp[k].cls == (enum bs_class)c) {
				n++;
				p += s->imp[k].provided;
			}
		if (!n)
			continue;
		fprintf(out, "  %s: %zu, %zu provided, %zu missing\n", bs_class_name(c), n, p, n - p);
		for (size_t k = 0; k < s->nimp; k++) {
			const struct bs_import *im = &s->imp[k];
			char via[96] = "";
			size_t l = 0;

			if (im->cls != (enum bs_class)c)
				continue;
			for (int v = 0; v < VIA_N; v++)
				if (im->via[v] && l < sizeof(via) - 16)
					l += snprintf(via + l, sizeof(via) - l, "%s%s:%u", l ? "," : "",
						      via_name[v], im->via[v]);
			fprintf(out, "    %-*s %-8s %-13s %-16s %s", w, im->name,
				im->kind == KIND_FUNCTION ? "function" : im->kind == KIND_OBJECT ? "object" : "?",
				im->provided ? (im->cls == CL_GOT ? "provided(ld)" : "provided") :
				im->weak ? "missing(weak)" : "MISSING", l ? via : "-",
				im->data ? (im->via[VIA_PC] || im->via[VIA_ABS] ? "DATA ±2GiB " :
					    "DATA GOT ") : "");
			for (size_t r = 0; r < im->nrefs && r < 6; r++)
				fprintf(out, "%s%s", r ? " " : "", bs_obj_short(s, im->refs[r]));
			if (im->nrefs > 6)
				fprintf(out, " (+%zu)", im->nrefs - 6);
			fprintf(out, "\n");
		}
	}
	fprintf(out, "  (DATA ±2GiB: referenced PC-relative or absolute, so the blob must sit within "
		"±2 GiB of the core's object; DATA GOT: through a GOT slot)\n");
}

static void
relocs(const struct bs_scan *s, FILE *out)
{
	unsigned total = s->reloc_other;

	for (int t = 0; t < 256; t++)
		total += s->reloc_count[t];
	fprintf(out, "\nRelocations: %u\n  %-26s %8s  %s\n", total, "Type", "Count", "Loader");
	for (int t = 0; t < 256; t++) {
		if (!s->reloc_count[t])
			continue;
		bool ok = !s->reloc_bad[t];
		fprintf(out, "  %-26s %8u  %s\n", bs_reloc_name(t), s->reloc_count[t],
			ok ? "supported" : "NOT SUPPORTED  <<<");
	}
	if (s->reloc_other)
		fprintf(out, "  %-26s %8u  NOT SUPPORTED  <<<\n", "(type >= 256)", s->reloc_other);
}

static const char *
at(const struct bs_scan *s, const struct bs_where *w)
{
	static char b[4][512];
	static int k;

	k = (k + 1) % 4;
	if (!w->set)
		return "";
	snprintf(b[k], sizeof(b[k]), "%s: %s+0x%llx", bs_obj_short(s, w->obj), w->sec,
		 (unsigned long long)w->off);
	return b[k];
}

static void
count_line(const struct bs_scan *s, FILE *out, const char *what, const struct bs_count *c)
{
	if (c->n)
		fprintf(out, "%s%u (first %s)", what, c->n, at(s, &c->at));
	else
		fprintf(out, "%snone", what);
}

static void
props(const struct bs_scan *s, FILE *out)
{
	const struct bs_props *p = &s->p;

	fprintf(out, "\nProperties:\n");
	fprintf(out, "  %-16s ", "position");
	if (p->obj_shared)
		fprintf(out, "PIC: %u shared object(s)%s", p->obj_shared,
			p->obj_pic + p->obj_pie + p->obj_nonpic ? "; " : "");
	if (p->obj_nonpic)
		fprintf(out, "non-PIC: %u object(s) with absolute 32-bit relocations (first %s against `%s'); ",
			p->obj_nonpic, at(s, &p->nonpic_at), p->nonpic_sym);
	if (p->obj_pic)
		fprintf(out, "PIC: %u object(s) reach their own globals or imported data through the GOT (first %s against `%s'); ",
			p->obj_pic, at(s, &p->pic_at), p->pic_sym);
	if (p->obj_pie)
		fprintf(out, "PIE: %u object(s) PC-relative only, no absolute 32-bit relocations",
			p->obj_pie);
	fprintf(out, "\n  %-16s %s: ", "stack protector",
		p->imports_stack_chk_fail || p->fs28.n ? "yes" : "no");
	fprintf(out, "%s __stack_chk_fail; ", p->imports_stack_chk_fail ? "imports" : "does not import");
	count_line(s, out, "%fs:0x28 reads ", &p->fs28);
	fprintf(out, "\n  %-16s ", "CET");
	count_line(s, out, "endbr64 ", &p->endbr64);
	fprintf(out, "; .note.gnu.property in %u object(s), IBT in %u, SHSTK in %u", p->note_any,
		p->note_ibt, p->note_shstk);
	fprintf(out, "\n  %-16s %s: %u TLS symbol(s), %u TLS section(s), %u TLS relocation(s), ",
		"TLS", p->tls_syms || p->tls_sections || p->tls_relocs ? "yes" : "no", p->tls_syms,
		p->tls_sections, p->tls_relocs);
	count_line(s, out, "other %fs accesses ", &p->fs_other);
	fprintf(out, "\n  %-16s .init_array %u, .fini_array %u, .preinit_array %u, .ctors %u, "
		".dtors %u, .init fragments %u, .fini fragments %u\n", "init/fini", p->init_array,
		p->fini_array, p->preinit_array, p->ctors, p->dtors, p->init_frag, p->fini_frag);
	if (p->ifunc_syms || p->irelative)
		fprintf(out, "  %-16s %u IFUNC symbol(s) (first `%s' in %s), %u R_X86_64_IRELATIVE\n",
			"IFUNC", p->ifunc_syms, p->ifunc_name ? p->ifunc_name : "-",
			at(s, &p->ifunc_at), p->irelative);
	else
		fprintf(out, "  %-16s none\n", "IFUNC");
	if (p->common)
		fprintf(out, "  %-16s %u COMMON symbol(s) (first `%s'): the loader allocates them\n",
			"COMMON", p->common, p->common_name);
	else
		fprintf(out, "  %-16s none\n", "COMMON");
	fprintf(out, "  %-16s ", "SSE/AVX");
	count_line(s, out, "SSE ", &p->sse);
	count_line(s, out, "; AVX ", &p->avx);
	count_line(s, out, "; AVX-512 ", &p->avx512);
	count_line(s, out, "; x87 ", &p->x87);
	if (p->sse.n || p->avx.n || p->avx512.n || p->x87.n)
		fprintf(out, " -> the VMM must save FPU state around blob calls");
	fprintf(out, "\n  %-16s %u symbol(s)", "weak undefined", p->weak_undef);
	size_t nw = 0;
	for (size_t k = 0; k < s->nimp; k++)
		if (s->imp[k].weak && !s->imp[k].provided)
			fprintf(out, "%s%s", nw++ ? ", " : "; left at 0 (no definition anywhere): ",
				s->imp[k].name);
	fprintf(out, "\n");
	if (p->undecodable)
		fprintf(out, "  (%u byte(s) in executable sections did not decode and were skipped)\n",
			p->undecodable);
}

void
bs_write_text(const struct bs_scan *s, FILE *out)
{
	members(s, out);
	wants(s, out);
	imports(s, out);
	relocs(s, out);
	props(s, out);
	if (!s->nreason) {
		fprintf(out, "\nVerdict: loads as is\n");
		return;
	}
	fprintf(out, "\nVerdict: does not load as is (%zu reason%s)\n", s->nreason,
		s->nreason == 1 ? "" : "s");
	for (size_t i = 0; i < s->nreason; i++)
		fprintf(out, "  - %s\n", s->reason[i]);
}
