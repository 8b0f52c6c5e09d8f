/* --dot: members on the left, their imports on the right in one cluster
 * per class; missing imports drawn red.  `dot -Tsvg` renders it. */
#include "blobscan.h"

static void
id(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', o);
		fputc(*s, o);
	}
	fputc('"', o);
}

void
bs_write_dot(const struct bs_scan *s, FILE *o)
{
	fprintf(o, "digraph blobscan {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"monospace\"];\n");
	fprintf(o, "\tsubgraph cluster_members {\n\t\tlabel=\"members\";\n");
	for (size_t i = 0; i < s->nobj; i++) {
		if (!s->loaded[i])
			continue;
		fprintf(o, "\t\tm%zu [label=", i);
		id(o, bs_obj_short(s, i));
		fprintf(o, "];\n");
	}
	fprintf(o, "\t}\n");
	for (int c = 0; c < CL_N; c++) {
		bool any = false;

		for (size_t k = 0; k < s->nimp; k++) {
			const struct bs_import *im = &s->imp[k];

			if (im->cls != (enum bs_class)c)
				continue;
			if (!any)
				fprintf(o, "\tsubgraph cluster_%s {\n\t\tlabel=\"%s\";\n", bs_class_key(c),
					bs_class_name(c));
			any = true;
			fprintf(o, "\t\ti%zu [shape=ellipse, label=", k);
			id(o, im->name);
			fprintf(o, "%s];\n", im->provided ? "" : im->weak ? ", color=orange" :
			       ", color=red, fontcolor=red");
		}
		if (any)
			fprintf(o, "\t}\n");
	}
	for (size_t k = 0; k < s->nimp; k++)
		for (size_t r = 0; r < s->imp[k].nrefs; r++)
			fprintf(o, "\tm%zu -> i%zu;\n", s->imp[k].refs[r], k);
	fprintf(o, "}\n");
}
