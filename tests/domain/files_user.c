/* The rest of the C library as vendor code uses it, in a domain: stdio on
 * files (/tmp is the domain's own), descriptors, scanf, locale and wide
 * characters, iconv, time conversion, the environment, and the VMM's
 * read-only file namespace (BV_SYS_FILE_LIST/FILE_READ).  Built like a
 * vendor object; tests/e2e/qemu_domain.sh runs stdio_demo in a domain and
 * natively on glibc (files_native.c) and requires the same lines, then
 * namespace_demo against the host file's own bytes. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#define TMP "/tmp/bv-domain-files-test"

int
stdio_demo(void)
{
	char line[128], out[64], *in, *op;
	size_t inleft, outleft, n;
	int a = 0, b = 0, fd;
	wchar_t w[32];
	struct stat st;
	struct tm tm;
	time_t t = 1700000000;
	iconv_t cd;
	FILE *f;

	f = fopen(TMP, "w+");
	if (!f) {
		printf("fopen %s: %s\n", TMP, strerror(errno));
		return -1;
	}
	for (int i = 0; i < 3; i++)
		fprintf(f, "line %d: %5.2f %s\n", i, i * 1.25, i ? "more" : "first");
	printf("ftell %ld\n", ftell(f));
	rewind(f);
	while (fgets(line, sizeof(line), f))
		printf("read back: %s", line);
	printf("feof %d ferror %d\n", feof(f) != 0, ferror(f) != 0);
	fseek(f, 5, SEEK_SET);
	if (fgets(line, sizeof(line), f) && sscanf(line, "%d: %d", &a, &b) >= 1)
		printf("fseek+sscanf %d %d\n", a, b);
	fclose(f);
	if (stat(TMP, &st) == 0)
		printf("stat size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
	fd = open(TMP, O_RDONLY);
	printf("read %zd: %.6s\n", read(fd, line, 6), line);
	printf("lseek %lld\n", (long long)lseek(fd, 0, SEEK_END));
	close(fd);
	a = unlink(TMP);
	b = stat(TMP, &st);
	printf("unlink %d, then stat %d (%s)\n", a, b, strerror(errno));
	fd = open("/tmp/no-such-file-here", O_RDONLY);
	printf("open nothing: %d %s\n", fd, strerror(errno));

	printf("sscanf %d\n", sscanf("12 abc 3.5", "%d %s", &a, line));
	printf("setlocale %s\n", setlocale(LC_ALL, "C.UTF-8") ? "C.UTF-8" : "failed");
	printf("mbstowcs %zu\n", mbstowcs(w, "h\xc3\xa9llo \xe2\x82\xac", 32));
	printf("wcslen %zu w[1] %#x w[6] %#x %ls\n", wcslen(w), (unsigned)w[1], (unsigned)w[6], w);
	cd = iconv_open("UTF-16LE", "UTF-8");
	in = "\xc3\xa9\xe2\x82\xac";
	inleft = 5;
	op = out;
	outleft = sizeof(out);
	n = iconv(cd, &in, &inleft, &op, &outleft);
	printf("iconv %zu left %zu:", n, inleft);
	for (char *p = out; p < op; p++)
		printf(" %02x", (unsigned char)*p);
	printf("\n");
	iconv_close(cd);
	setlocale(LC_ALL, "C");

	gmtime_r(&t, &tm);
	strftime(line, sizeof(line), "%Y-%m-%d %H:%M:%S %a %j %U", &tm);
	printf("strftime %s\n", line);
	tm.tm_mday += 40;
	printf("timegm %lld\n", (long long)timegm(&tm));
	memset(&tm, 0, sizeof(tm));
	strptime("2024-02-29 23:59:58", "%Y-%m-%d %H:%M:%S", &tm);
	printf("strptime yday %d wday %d\n", tm.tm_yday, tm.tm_wday);

	printf("getenv %s\n", getenv("BV_DOMAIN_NO_SUCH") ? "set" : "unset");
	setenv("BV_DOMAIN_VAR", "one", 1);
	setenv("BV_DOMAIN_VAR", "two", 0);
	printf("setenv %s\n", getenv("BV_DOMAIN_VAR"));
	unsetenv("BV_DOMAIN_VAR");
	printf("unsetenv %s\n", getenv("BV_DOMAIN_VAR") ? "set" : "unset");
	return 0;
}

/* The VMM's read-only files: prints the size and bytes of /data/domain.txt
 * as stdio reads them, lists /data, and is refused writing it. */
int
namespace_demo(void)
{
	char buf[256];
	struct dirent *e;
	struct stat st;
	size_t n;
	DIR *d;
	FILE *f = fopen("/data/domain.txt", "r");

	if (!f) {
		printf("fopen /data/domain.txt: %s\n", strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	stat("/data/domain.txt", &st);
	printf("namespace file %zu bytes, stat %lld\n", n, (long long)st.st_size);
	printf("%s", buf);
	d = opendir("/data");
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			printf("dir entry %s\n", e->d_name);
	if (d)
		closedir(d);
	f = fopen("/data/domain.txt", "w");
	printf("write it: %s\n", f ? "allowed" : strerror(errno));
	return (int)n;
}
