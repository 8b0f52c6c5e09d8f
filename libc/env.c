/* The blobs' environment: empty until the operator sets variables with
 * the shell's `env NAME=VALUE' (blobs see it through getenv and `environ');
 * blobs may change it with setenv/unsetenv/putenv as under glibc.  It is
 * the VMM's, shared by every blob: its strings live on the core heap. */
#include "libc.h"
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/heap.h>

#define ENV_MAX	64

static char *slots[ENV_MAX + 1];
static bool owned[ENV_MAX];	/* allocated here (setenv), not a putenv string */
char **environ = slots;
EXPORT(environ, LIBC);
EXPORT_ALIAS(environ, __environ, LIBC);

int setenv(const char *name, const char *value, int overwrite);
int unsetenv(const char *name);
int putenv(char *str);
int clearenv(void);

static bool
bad_name(const char *name)
{
	return !name || !*name || strchr(name, '=');
}

/* Index of NAME in environ (which a blob may have replaced), or -1. */
static int
find(const char *name, size_t len)
{
	if (!environ)
		return -1;
	for (int i = 0; environ[i]; i++)
		if (!strncmp(environ[i], name, len) && environ[i][len] == '=')
			return i;
	return -1;
}

char *
getenv(const char *name)
{
	size_t len = strlen(name);
	int i = strchr(name, '=') ? -1 : find(name, len);

	return i < 0 ? NULL : environ[i] + len + 1;
}
EXPORT(getenv, LIBC);

char *
secure_getenv(const char *name)
{
	return getenv(name);	/* blobs run with no privilege change */
}
EXPORT(secure_getenv, LIBC);

static int
place(char *entry, size_t namelen, bool alloc)
{
	int i = find(entry, namelen), n = 0;

	if (!environ) {		/* after clearenv, as glibc leaves it */
		slots[0] = NULL;
		environ = slots;
	}
	if (environ != slots) {
		errno = ENOMEM;	/* a blob's own array: not ours to grow */
		return -1;
	}
	if (i >= 0) {
		if (owned[i])
			heap_free(slots[i]);
		slots[i] = entry;
		owned[i] = alloc;
		return 0;
	}
	while (slots[n])
		n++;
	if (n == ENV_MAX) {
		errno = ENOMEM;
		return -1;
	}
	slots[n] = entry;
	owned[n] = alloc;
	slots[n + 1] = NULL;
	return 0;
}

int
setenv(const char *name, const char *value, int overwrite)
{
	size_t nl, vl;
	char *e;

	if (bad_name(name)) {
		errno = EINVAL;
		return -1;
	}
	nl = strlen(name);
	if (!overwrite && find(name, nl) >= 0)
		return 0;
	vl = strlen(value);
	e = heap_alloc(nl + vl + 2);
	if (!e) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(e, name, nl);
	e[nl] = '=';
	memcpy(e + nl + 1, value, vl + 1);
	if (place(e, nl, true) < 0) {
		heap_free(e);
		return -1;
	}
	return 0;
}
EXPORT(setenv, LIBC);

int
unsetenv(const char *name)
{
	size_t nl;
	int i;

	if (bad_name(name)) {
		errno = EINVAL;
		return -1;
	}
	nl = strlen(name);
	while (environ && (i = find(name, nl)) >= 0) {
		if (environ == slots && owned[i])
			heap_free(slots[i]);
		for (; environ[i]; i++) {
			environ[i] = environ[i + 1];
			if (environ == slots && i < ENV_MAX - 1)
				owned[i] = owned[i + 1];
		}
	}
	return 0;
}
EXPORT(unsetenv, LIBC);

/* glibc: "NAME=VALUE" goes in as is; "NAME" alone unsets. */
int
putenv(char *str)
{
	const char *eq = strchr(str, '=');

	if (!eq)
		return unsetenv(str);
	return place(str, eq - str, false);
}
EXPORT(putenv, LIBC);

int
clearenv(void)
{
	if (environ == slots)
		for (int i = 0; slots[i]; i++)
			if (owned[i])
				heap_free(slots[i]);
	slots[0] = NULL;
	environ = NULL;		/* glibc's clearenv leaves no array at all */
	return 0;
}
EXPORT(clearenv, LIBC);

static int
cmd_env(int argc, char **argv)
{
	for (int a = 1; a < argc; a++) {
		const char *eq = strchr(argv[a], '=');
		char name[128];

		if (!eq || eq == argv[a] || (size_t)(eq - argv[a]) >= sizeof(name)) {
			kprintf("env: %s: expected NAME=VALUE (NAME= with no value unsets)\n", argv[a]);
			return -1;
		}
		memcpy(name, argv[a], eq - argv[a]);
		name[eq - argv[a]] = '\0';
		if ((eq[1] ? setenv(name, eq + 1, 1) : unsetenv(name)) < 0) {
			kprintf("env: %s: %s\n", name, strerror(errno));
			return -1;
		}
	}
	if (argc == 1)
		for (int i = 0; environ && environ[i]; i++)
			kprintf("%s\n", environ[i]);
	return 0;
}
DBGSH_COMMAND("env", cmd_env, "[NAME=VALUE...]: the blobs' environment (NAME= unsets)");
