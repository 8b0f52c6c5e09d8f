/* basename and dirname in glibc's two flavours: <string.h>'s GNU basename
 * (never writes, "" for a trailing slash) and <libgen.h>'s, which glibc's
 * header turns into __xpg_basename (POSIX: trailing slashes cut off in
 * place, "." for NULL or ""), and dirname, which writes a NUL into the
 * caller's string.  A path of exactly two leading slashes keeps both, as
 * POSIX allows and glibc does ("//" and "//a" -> "//"). */
#include "libc.h"

char *basename(const char *path);
char *__xpg_basename(char *path);
char *dirname(char *path);

char *
basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return (char *)(slash ? slash + 1 : path);
}
EXPORT(basename, LIBC);

char *
__xpg_basename(char *path)
{
	size_t end, start;

	if (!path || !path[0])
		return (char *)".";
	end = strlen(path);
	while (end > 0 && path[end - 1] == '/')
		end--;
	if (end == 0)		/* only slashes: the last one */
		return path + strlen(path) - 1;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (path[end])
		path[end] = '\0';
	return path + start;
}
EXPORT(__xpg_basename, LIBC);

char *
dirname(char *path)
{
	size_t len, end, slash, run;

	if (!path || !strchr(path, '/'))
		return (char *)".";
	len = strlen(path);
	end = len;
	while (end > 0 && path[end - 1] == '/')
		end--;
	if (end == 0) {		/* only slashes */
		path[len == 2 ? 2 : 1] = '\0';
		return path;
	}
	slash = end;
	while (slash > 0 && path[slash - 1] != '/')
		slash--;
	if (slash == 0)		/* "name/": no directory part */
		return (char *)".";
	slash--;		/* the last slash before the last name */
	run = slash;
	while (run > 0 && path[run - 1] == '/')
		run--;
	if (run == 0)		/* the directory is the root: "/" or "//" */
		path[slash == 1 ? 2 : 1] = '\0';
	else
		path[run] = '\0';
	return path;
}
EXPORT(dirname, LIBC);
