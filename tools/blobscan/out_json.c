/* --json: the schema is documented in docs/blobscan-json.md; change both
 * together and bump "schema" when a field changes meaning. */
#include <elf.h>
#include <string.h>

#include "blobscan.h"

static void
str(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(o, "\\u%04x", c);
		else
			fputc(c, o);
	}
	fputc('"', o);
}

static void
where(const struct bs_scan *s, FILE *o, const struct bs_where *w)
{
	if (!w->set) {
		fprintf(o, "null");
		return;
	}
	fprintf(o, "{\"object\": ");
	str(o, bs_obj_name(s, w->obj));
	fprintf(o, ", \"section\": ");
	str(o, w->sec);
	fprintf(o, ", \"offset\": %llu}", (unsigned long long)w->off);
}

static void
count(const struct bs_scan *s, FILE *o, const char *key, const struct bs_count *c, bool last)
{
	fprintf(o, "    \"%s\": {\"count\": %u, \"first\": ", key, c->n);
	where(s, o, &c->at);
	fprintf(o, "}%s\n", last ? "" : ",");
}

static void
files(const struct bs_scan *s, FILE *o)
{
	fprintf(o, "  \"files\": [\n");
	for (size_t f = 0; f < s->nfile; f++) {
		const struct bs_file *fl = &s->file[f];
		bool first = true;

		fprintf(o, "    {\"path\": ");
		str(o, fl->path);
		fprintf(o, ", \"kind\": \"%s\", \"size\": %zu, \"members\": [\n",
			fl->kind == BS_ARCHIVE ? "archive" : fl->kind == BS_SHARED ? "shared" : "object",
			fl->len);
		for (size_t i = 0; i < s->nobj; i++) {
			const struct bs_object *ob = s->obj[i];
			size_t und = 0, def = 0;

			if (s->obj_file[i] != f)
				continue;
			for (size_t j = 1; j < ob->nsym; j++) {
				const struct bs_symbol *y = &ob->sym[j];
				if (y->shndx == SHN_UNDEF)
					und += y->name[0] != 0;
				else if (y->bind != STB_LOCAL)
					def++;
			}
			fprintf(o, "%s      {\"name\": ", first ? "" : ",\n");
			str(o, bs_obj_short(s, i));
			fprintf(o, ", \"size\": %llu, \"type\": \"%s\", \"loaded\": %s, \"sections\": %zu, "
				"\"symbols\": %zu, \"defined_global\": %zu, \"undefined\": %zu, "
				"\"relocations\": %zu}",
				(unsigned long long)ob->size, ob->e_type == ET_DYN ? "DYN" : "REL",
				s->loaded[i] ? "true" : "false", ob->nsec, ob->nsym ? ob->nsym - 1 : 0,
				def, und, ob->nrel);
			first = false;
		}
		fprintf(o, "\n    ]}%s\n", f + 1 < s->nfile ? "," : "");
	}
	fprintf(o, "  ],\n");
}

static void
wants(const struct bs_scan *s, FILE *o)
{
	fprintf(o, "  \"want\": [");
	for (size_t k = 0; k < s->nwant; k++) {
		const struct bs_want *w = &s->want[k];

		fprintf(o, "%s\n    {\"symbol\": ", k ? "," : "");
		str(o, w->sym);
		fprintf(o, ", \"defined_in\": ");
		if (w->def >= 0)
			str(o, bs_obj_short(s, w->def));
		else
			fprintf(o, "null");
		fprintf(o, ", \"closure\": [");
		for (size_t i = 0; i < w->nclosure; i++) {
			fprintf(o, "%s", i ? ", " : "");
			str(o, bs_obj_short(s, w->closure[i]));
		}
		fprintf(o, "]}");
	}
	fprintf(o, "%s],\n", s->nwant ? "\n  " : "");
}

static const char *const via_key[VIA_N] = { "plt", "got", "pc", "abs", "tls", "other" };

static void
imports(const struct bs_scan *s, FILE *o)
{
	fprintf(o, "  \"imports\": [");
	for (size_t k = 0; k < s->nimp; k++) {
		const struct bs_import *im = &s->imp[k];

		fprintf(o, "%s\n    {\"name\": ", k ? "," : "");
		str(o, im->name);
		fprintf(o, ", \"class\": \"%s\", \"kind\": \"%s\", \"provided\": %s, \"weak\": %s, "
			"\"data\": %s, \"relocations\": {", bs_class_key(im->cls),
			im->kind == KIND_FUNCTION ? "function" : im->kind == KIND_OBJECT ? "object" : "unknown",
			im->provided ? "true" : "false", im->weak ? "true" : "false",
			im->data ? "true" : "false");
		for (int v = 0; v < VIA_N; v++)
			fprintf(o, "%s\"%s\": %u", v ? ", " : "", via_key[v], im->via[v]);
		fprintf(o, "}, \"referenced_by\": [");
		for (size_t r = 0; r < im->nrefs; r++) {
			fprintf(o, "%s", r ? ", " : "");
			str(o, bs_obj_short(s, im->refs[r]));
		}
		fprintf(o, "]}");
	}
	fprintf(o, "%s],\n", s->nimp ? "\n  " : "");
}

static void
relocs(const struct bs_scan *s, FILE *o)
{
	bool first = true;

	fprintf(o, "  \"relocations\": [");
	for (int t = 0; t < 256; t++) {
		if (!s->reloc_count[t])
			continue;
		fprintf(o, "%s\n    {\"type\": \"%s\", \"number\": %d, \"count\": %u, \"supported\": %s}",
			first ? "" : ",", bs_reloc_name(t), t, s->reloc_count[t],
			s->reloc_bad[t] ? "false" : "true");
		first = false;
	}
	fprintf(o, "%s],\n", first ? "" : "\n  ");
}

static void
props(const struct bs_scan *s, FILE *o)
{
	const struct bs_props *p = &s->p;
	const char *pos = p->obj_nonpic ? "non-PIC" : p->obj_pic || p->obj_shared ? "PIC" : "PIE";

	fprintf(o, "  \"properties\": {\n");
	fprintf(o, "    \"position\": {\"summary\": \"%s\", \"pic\": %u, \"pie\": %u, \"non_pic\": %u, "
		"\"shared\": %u, \"first_pic\": ", pos, p->obj_pic, p->obj_pie, p->obj_nonpic,
		p->obj_shared);
	where(s, o, &p->pic_at);
	fprintf(o, ", \"first_non_pic\": ");
	where(s, o, &p->nonpic_at);
	fprintf(o, "},\n    \"stack_protector\": {\"present\": %s, \"imports_stack_chk_fail\": %s, "
		"\"fs28_reads\": %u, \"first\": ",
		p->imports_stack_chk_fail || p->fs28.n ? "true" : "false",
		p->imports_stack_chk_fail ? "true" : "false", p->fs28.n);
	where(s, o, &p->fs28.at);
	fprintf(o, "},\n    \"cet\": {\"endbr64\": %u, \"first\": ", p->endbr64.n);
	where(s, o, &p->endbr64.at);
	fprintf(o, ", \"property_notes\": %u, \"ibt\": %u, \"shstk\": %u},\n", p->note_any,
		p->note_ibt, p->note_shstk);
	fprintf(o, "    \"tls\": {\"present\": %s, \"symbols\": %u, \"sections\": %u, \"relocations\": %u, "
		"\"fs_other\": %u},\n", p->tls_syms || p->tls_sections || p->tls_relocs ? "true" : "false",
		p->tls_syms, p->tls_sections, p->tls_relocs, p->fs_other.n);
	fprintf(o, "    \"init\": {\"init_array\": %u, \"fini_array\": %u, \"preinit_array\": %u, "
		"\"ctors\": %u, \"dtors\": %u, \"init_fragments\": %u, \"fini_fragments\": %u},\n",
		p->init_array, p->fini_array, p->preinit_array, p->ctors, p->dtors, p->init_frag,
		p->fini_frag);
	fprintf(o, "    \"ifunc\": {\"symbols\": %u, \"irelative\": %u, \"first\": ", p->ifunc_syms,
		p->irelative);
	if (p->ifunc_name)
		str(o, p->ifunc_name);
	else
		fprintf(o, "null");
	fprintf(o, "},\n    \"common\": {\"symbols\": %u, \"first\": ", p->common);
	if (p->common_name)
		str(o, p->common_name);
	else
		fprintf(o, "null");
	fprintf(o, "},\n");
	count(s, o, "sse", &p->sse, false);
	count(s, o, "avx", &p->avx, false);
	count(s, o, "avx512", &p->avx512, false);
	count(s, o, "x87", &p->x87, false);
	fprintf(o, "    \"weak_undefined\": %u,\n    \"undecodable_bytes\": %u\n  },\n", p->weak_undef,
		p->undecodable);
}

void
bs_write_json(const struct bs_scan *s, FILE *o)
{
	size_t cls[CL_N][2] = { { 0 } };

	fprintf(o, "{\n  \"schema\": \"blobscan/1\",\n  \"exports\": ");
	str(o, s->exports->path);
	fprintf(o, ",\n  \"whole_archive\": %s,\n", s->whole ? "true" : "false");
	files(s, o);
	wants(s, o);
	imports(s, o);
	fprintf(o, "  \"classes\": {");
	for (size_t k = 0; k < s->nimp; k++) {
		cls[s->imp[k].cls][0]++;
		cls[s->imp[k].cls][1] += s->imp[k].provided;
	}
	for (int c = 0; c < CL_N; c++)
		fprintf(o, "%s\"%s\": {\"count\": %zu, \"provided\": %zu}", c ? ", " : "",
			bs_class_key(c), cls[c][0], cls[c][1]);
	fprintf(o, "},\n");
	relocs(s, o);
	props(s, o);
	fprintf(o, "  \"verdict\": {\"loads\": %s, \"reasons\": [", s->nreason ? "false" : "true");
	for (size_t i = 0; i < s->nreason; i++) {
		fprintf(o, "%s\n    ", i ? "," : "");
		str(o, s->reason[i]);
	}
	fprintf(o, "%s]}\n}\n", s->nreason ? "\n  " : "");
}
