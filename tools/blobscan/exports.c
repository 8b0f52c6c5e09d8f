/* build/exports.txt (`name class kind`, written by `blobvisor -c 'exports
 * --txt'`) and the import classes blobscan sorts names into. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "blobscan.h"

static const struct {
	const char *name, *key;
} classes[CL_N] = {
	[CL_LIBC] = { "libc", "libc" },
	[CL_FORTIFY] = { "fortify", "fortify" },
	[CL_PTHREAD] = { "pthread", "pthread" },
	[CL_LIBUSB] = { "libusb", "libusb" },
	[CL_LIBUSB1] = { "libusb-1.0", "libusb1" },
	[CL_SSP] = { "stack protector", "ssp" },
	[CL_GOT] = { "GOT", "got" },
	[CL_TLS] = { "TLS", "tls" },
	[CL_RUNTIME] = { "compiler runtime", "runtime" },
	[CL_PCSC] = { "pcsc-lite host", "pcsc" },
	[CL_UNKNOWN] = { "unknown", "unknown" },
};

const char *
bs_class_name(enum bs_class c)
{
	return classes[c].name;
}

const char *
bs_class_key(enum bs_class c)
{
	return classes[c].key;
}

static int
cmp_export(const void *a, const void *b)
{
	return strcmp(((const struct bs_export *)a)->name, ((const struct bs_export *)b)->name);
}

int
bs_exports_read(const char *path, struct bs_exports *x, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[512];
	size_t cap = 0, lineno = 0;

	x->path = path;
	x->n = 0;
	x->e = NULL;
	if (!f) {
		snprintf(err, errlen, "%s: %s (the build writes it: make)", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[256], cls[32], kind[32], extra[2];
		enum bs_class c = CL_N;

		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		if (sscanf(line, "%255s %31s %31s %1s", name, cls, kind, extra) != 3)
			goto bad;
		for (int i = 0; i < CL_N; i++)
			if (i != CL_GOT && i != CL_TLS && i != CL_UNKNOWN && !strcmp(cls, classes[i].key))
				c = i;
		if (c == CL_N || (strcmp(kind, "function") && strcmp(kind, "object")))
			goto bad;
		if (x->n == cap)
			x->e = realloc(x->e, (cap = cap ? 2 * cap : 64) * sizeof(*x->e));
		x->e[x->n].name = strdup(name);
		x->e[x->n].cls = c;
		x->e[x->n].kind = kind[0] == 'f' ? KIND_FUNCTION : KIND_OBJECT;
		x->n++;
	}
	fclose(f);
	if (x->n)
		qsort(x->e, x->n, sizeof(*x->e), cmp_export);
	return 0;
bad:
	line[strcspn(line, "\n")] = 0;
	snprintf(err, errlen, "%s:%zu: expected `name class kind`, got `%.60s'", path, lineno, line);
	fclose(f);
	return -1;
}

void
bs_exports_free(struct bs_exports *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->e[i].name);
	free(x->e);
	x->e = NULL;
	x->n = 0;
}

const struct bs_export *
bs_exports_find(const struct bs_exports *x, const char *name)
{
	struct bs_export key = { .name = (char *)name };

	return x->n ? bsearch(&key, x->e, x->n, sizeof(*x->e), cmp_export) : NULL;
}

static bool
prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static bool
suffix(const char *s, const char *p)
{
	size_t ls = strlen(s), lp = strlen(p);

	return ls >= lp && !strcmp(s + ls - lp, p);
}

/* libgcc's helpers: integer division and bit operations on wide types,
 * soft float conversions, the cpu-model data behind __builtin_cpu_supports. */
static bool
is_runtime(const char *n)
{
	static const char *const pre[] = {
		"__div", "__udiv", "__mod", "__umod", "__mul", "__neg", "__ashl", "__ashr",
		"__lshr", "__cmp", "__ucmp", "__popcount", "__parity", "__clz", "__ctz", "__ffs",
		"__bswap", "__float", "__fix", "__trunc", "__extend", "__add", "__sub", "__pow",
		"__cpu_model", "__cpu_indicator_init", "__cpu_features", "_Unwind_",
		"__gcc_personality", "__morestack", "__eq", "__ne", "__gt", "__ge", "__lt", "__le",
		"__unord",
	};

	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (prefix(n, pre[i]))
			return true;
	return false;
}

/* glibc names blobscan has no prototype for, so they are filed under libc
 * rather than "unknown" (glibc >= 2.34 holds libdl and librt too). */
static bool
is_libc(const char *n)
{
	static const char *const names[] = {
		"__libc_start_main", "__longjmp_chk", "__sched_cpucount", "__sigsetjmp",
		"__xpg_basename", "_setjmp", "abs", "access", "accept", "atexit", "atof", "bind",
		"bsearch", "chdir", "clock", "closedir", "connect", "difftime", "div", "dl_iterate_phdr",
		"dladdr", "dlclose", "dlerror", "dlopen", "dlsym", "dup", "dup2", "environ", "execve",
		"fcntl", "fcntl64", "fdopen", "feof", "fileno", "fork", "fputs", "fscanf", "fseek",
		"fseeko", "fseeko64", "fstat", "fstat64", "ftell", "ftello", "ftello64", "getc",
		"getcwd", "geteuid", "getpagesize", "getppid", "getpwnam", "getpwuid", "getuid",
		"gmtime", "gmtime_r", "ioctl", "isatty", "kill", "labs", "listen", "localeconv",
		"localtime", "localtime_r", "longjmp", "lstat", "mkdir", "mktime", "mmap", "mmap64",
		"mprotect", "munmap", "open64", "opendir", "pipe", "poll", "pread", "pread64", "pthread_sigmask",
		"raise", "readdir", "readdir64", "readlink", "realpath", "recv", "remove", "rename",
		"rewind", "rmdir", "sched_getaffinity", "sched_yield", "select", "send", "setjmp",
		"setlocale", "setvbuf", "sigaction", "sigaddset", "sigemptyset", "sigfillset",
		"signal", "sigprocmask", "socket", "stat", "stat64", "strftime", "strtod", "strtof",
		"strtok", "strtok_r", "sysconf", "syscall", "tcgetattr", "tcsetattr", "tmpfile",
		"tolower", "toupper", "umask", "uname", "ungetc", "unlink", "vfprintf", "vprintf",
		"vsscanf", "waitpid",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(n, names[i]))
			return true;
	return false;
}

enum bs_class
bs_class_guess(const char *n)
{
	const struct bs_proto *p;

	if (!strcmp(n, "_GLOBAL_OFFSET_TABLE_"))
		return CL_GOT;
	if (prefix(n, "__stack_chk_"))
		return CL_SSP;
	if (!strcmp(n, "__tls_get_addr") || !strcmp(n, "__tls_get_offset"))
		return CL_TLS;
	if ((p = bs_proto_find(n)))
		return p->cls;
	if (is_libc(n))
		return CL_LIBC;
	if (prefix(n, "__") && suffix(n, "_chk"))
		return CL_FORTIFY;
	if ((prefix(n, "pthread_") && strcmp(n, "pthread_sigmask")) || prefix(n, "sem_"))
		return CL_PTHREAD;
	if (prefix(n, "usb_"))
		return CL_LIBUSB;
	if (prefix(n, "libusb_"))
		return CL_LIBUSB1;
	if (!strcmp(n, "log_msg") || !strcmp(n, "log_xxd"))
		return CL_PCSC;	/* pcscd's, for IFD handlers */
	if (is_runtime(n))
		return CL_RUNTIME;
	return CL_UNKNOWN;
}
