/* --stubs FILE.c: C skeletons for the functions the core does not export,
 * so a port can start from something that compiles.  Known names get their
 * real prototypes (protos.c); each body reports its own name.  Compiled
 * with -DBLOBSCAN_STUBS_CHECK the file includes glibc's and libusb's headers
 * instead of its own opaque types, so gcc checks every prototype. */
#include <errno.h>
#include <string.h>

#include "blobscan.h"

static const char preamble[] =
	"#ifdef BLOBSCAN_STUBS_CHECK\n"
	"/* Check the prototypes against the real headers. */\n#define _GNU_SOURCE\n"
	"#include <assert.h>\n#include <ctype.h>\n#include <errno.h>\n#include <fcntl.h>\n"
	"#include <pthread.h>\n#include <stdarg.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
	"#include <string.h>\n#include <strings.h>\n#include <sys/time.h>\n#include <time.h>\n"
	"#include <unistd.h>\n#include <usb.h>\n"
	"#define STUB_REPORT(name) fprintf(stderr, \"stub: %s called\\n\", name)\n"
	"#else\n"
	"/* Freestanding: opaque types are enough for stubs. */\n"
	"#include <stdarg.h>\n#include <stddef.h>\n"
	"typedef long ssize_t;\ntypedef long time_t;\ntypedef long off_t;\ntypedef long off64_t;\ntypedef int pid_t;\n"
	"typedef int clockid_t;\ntypedef unsigned int useconds_t;\n"
	"struct timespec;\nstruct timeval;\ntypedef struct _IO_FILE FILE;\n"
	"typedef unsigned long pthread_t;\ntypedef unsigned int pthread_key_t;\n"
	"typedef int pthread_once_t;\n"
	"typedef union stub_pthread_mutex pthread_mutex_t;\n"
	"typedef union stub_pthread_mutexattr pthread_mutexattr_t;\n"
	"typedef union stub_pthread_cond pthread_cond_t;\n"
	"typedef union stub_pthread_condattr pthread_condattr_t;\n"
	"typedef union stub_pthread_attr pthread_attr_t;\n"
	"struct usb_bus;\nstruct usb_device;\ntypedef struct usb_dev_handle usb_dev_handle;\n"
	"/* unknown prototypes below are (void): gcc knows some names' real ones */\n"
	"#pragma GCC diagnostic ignored \"-Wbuiltin-declaration-mismatch\"\n"
	"#ifndef STUB_REPORT\n"
	"int kprintf(const char *fmt, ...);\n"
	"#define STUB_REPORT(name) kprintf(\"stub: %s called\\n\", name)\n"
	"#endif\n"
	"#endif\n";

int
bs_write_stubs(const struct bs_scan *s, const char *path, char *err, size_t errlen)
{
	FILE *o = fopen(path, "w");
	size_t n = 0;

	if (!o) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(o, "/* Stubs for what the core does not export, written by blobscan for");
	for (size_t f = 0; f < s->nfile; f++)
		fprintf(o, " %s", s->file[f].path);
	fprintf(o, ".\n * Each reports its own name when called; replace them with real code. */\n%s",
		preamble);
	for (size_t k = 0; k < s->nimp; k++) {
		const struct bs_import *im = &s->imp[k];
		const struct bs_proto *p = bs_proto_find(im->name);

		if (im->provided || im->cls == CL_GOT)
			continue;
		fprintf(o, "\n/* %s, %s%s; used by %s */\n", im->name, bs_class_name(im->cls),
			im->weak ? ", weak" : "", bs_obj_short(s, im->refs[0]));
		n++;
		if (im->kind == KIND_OBJECT || (p && !p->ret)) {
			if (p && !p->ret)
				fprintf(o, "%s;\n", p->decl);
			else
				fprintf(o, "/* object `%s': type unknown; define it in the core */\n",
					im->name);
			continue;
		}
		if (p)
			fprintf(o, "%s\n{\n\tSTUB_REPORT(\"%s\");\n%s%s%s}\n", p->decl, im->name,
				p->ret[0] ? "\t" : "", p->ret, p->ret[0] ? "\n" : "");
		else
			fprintf(o, "#ifndef BLOBSCAN_STUBS_CHECK	/* prototype unknown */\n"
				"long %s(void);\nlong\n%s(void)\n{\n\tSTUB_REPORT(\"%s\");\n"
				"\treturn 0;\n}\n#endif\n", im->name, im->name, im->name);
	}
	fprintf(o, "\n/* %zu stub%s */\n", n, n == 1 ? "" : "s");
	if (fclose(o)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
