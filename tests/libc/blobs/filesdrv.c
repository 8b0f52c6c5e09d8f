/* A driver that reads its configuration and scratch files the way real
 * SDKs do, built like a Debian blob.  files_driver(root) prints what it
 * sees; run inside blobvisor with root "" (the operator's file namespace)
 * and on the host against a directory tree with the same files (root =
 * that directory), the output must be the same. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];

static const char *
at(const char *path)
{
	static char buf[2][512];
	static int i;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%s%s", root, path);
	return buf[i];
}

/* One call and the errno it left, printed after it ran (printf's
 * arguments are evaluated in no fixed order). */
#define SHOW(label, call) do { \
	long r_; int e_; \
	errno = 0; r_ = (long)(call); e_ = errno; \
	printf("%s: %ld %s\n", label, r_, r_ < 0 || !r_ ? strerror(e_) : "-"); \
} while (0)

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
list(const char *dir)
{
	DIR *d = opendir(at(dir));
	struct dirent *e;
	char *names[64];
	int n = 0;

	if (!d) {
		printf("opendir %s: %s\n", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d)) && n < 64)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	printf("%s:", dir);
	for (int i = 0; i < n; i++) {
		struct stat st;
		char p[300];

		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		lstat(at(p), &st);
		printf(" %s%s", names[i], S_ISDIR(st.st_mode) ? "/" : "");
		free(names[i]);
	}
	printf("\n");
}

static void
read_config(void)
{
	FILE *f = fopen(at("/etc/vendor/reader.conf"), "r");
	char line[128];
	int n = 0;

	if (!f) {
		printf("fopen: %s\n", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		printf("conf %d: %s", ++n, line);
	printf("feof %d ferror %d ftell %ld\n", feof(f), ferror(f), ftell(f));
	rewind(f);
	printf("after rewind: fgetc %c ftell %ld\n", fgetc(f), ftell(f));
	fseek(f, -6, SEEK_END);
	printf("last 5: %s", fgets(line, sizeof(line), f));
	fclose(f);
}

static void
read_firmware(void)
{
	int fd = open(at("/usr/share/vendor/fw.bin"), O_RDONLY | O_CLOEXEC);
	unsigned char b[16];
	struct stat st;
	ssize_t r;

	if (fd < 0) {
		printf("open fw: %s\n", strerror(errno));
		return;
	}
	fstat(fd, &st);
	printf("fw: size %lld regular %d readable %o\n", (long long)st.st_size, S_ISREG(st.st_mode),
	       st.st_mode & 0444);
	r = pread(fd, b, 4, 100);
	printf("pread 4 @100: %zd: %02x %02x %02x %02x\n", r, b[0], b[1], b[2], b[3]);
	printf("lseek end: %lld\n", (long long)lseek(fd, 0, SEEK_END));
	printf("read at end: %zd\n", read(fd, b, 16));
	printf("lseek -3 cur: %lld\n", (long long)lseek(fd, -3, SEEK_CUR));
	r = read(fd, b, 16);
	printf("read: %zd: %02x %02x %02x\n", r, b[0], b[1], b[2]);
	SHOW("lseek -1 set", lseek(fd, -1, SEEK_SET));
	printf("fcntl GETFD %d GETFL %#o\n", fcntl(fd, F_GETFD), fcntl(fd, F_GETFL) & 3);
	close(fd);
	SHOW("read after close", read(fd, b, 1));
}

static void
probe(void)
{
	char buf[64];
	struct stat st;

	SHOW("stat missing", stat(at("/etc/vendor/missing.conf"), &st));
	errno = 0;
	printf("access conf R_OK: %d\n", access(at("/etc/vendor/reader.conf"), R_OK));
	SHOW("access missing F_OK", access(at("/etc/nothing"), F_OK));
	SHOW("readlink conf", readlink(at("/etc/vendor/reader.conf"), buf, sizeof(buf)));
	SHOW("readlink missing", readlink(at("/dev/bus/usb/001"), buf, sizeof(buf)));
	SHOW("open dir for writing", open(at("/etc/vendor"), O_WRONLY));
	SHOW("opendir a file", opendir(at("/etc/vendor/reader.conf")));
	stat(at("/etc/vendor"), &st);
	printf("stat dir: isdir %d\n", S_ISDIR(st.st_mode));
	SHOW("open O_DIRECTORY on a file", open(at("/etc/vendor/reader.conf"), O_RDONLY | O_DIRECTORY));
	errno = 0;
	printf("open via ..: %d\n", close(open(at("/etc/vendor/../vendor/./reader.conf"), O_RDONLY)));
}

static void
scratch(void)
{
	char path[300];
	int fd;
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	char b[64] = "";
	FILE *f;
	struct stat st;

	snprintf(path, sizeof(path), "%s/tmp/drvXXXXXX", root);
	fd = mkstemp(path);
	printf("mkstemp: %s, suffix %zu chars\n", fd >= 0 ? "ok" : strerror(errno), strlen(path) - strlen(root) - strlen("/tmp/drv"));
	printf("write: %zd\n", write(fd, "session 42\n", 11));
	printf("setlk: %d\n", fcntl(fd, F_SETLK, &lk));
	lk.l_type = F_RDLCK;
	printf("getlk: %d", fcntl(fd, F_GETLK, &lk));
	printf(" type %s\n", lk.l_type == F_UNLCK ? "F_UNLCK" : "locked");
	fstat(fd, &st);
	printf("fstat: size %lld mode %o\n", (long long)st.st_size, st.st_mode & 0777);
	lseek(fd, 0, SEEK_SET);
	printf("read back: %zd\n", read(fd, b, sizeof(b) - 1));
	printf("text: %s", b);
	f = fdopen(fd, "r+");
	fseek(f, 0, SEEK_END);
	fprintf(f, "line 2\n");
	rewind(f);
	while (fgets(b, sizeof(b), f))
		printf("fdopen: %s", b);
	fclose(f);
	printf("unlink: %d\n", unlink(path));
	SHOW("stat after unlink", stat(path, &st));
	f = tmpfile();
	fputs("tmpfile data\n", f);
	rewind(f);
	printf("tmpfile: %s", fgets(b, sizeof(b), f));
	fclose(f);
	errno = 0;
	snprintf(path, sizeof(path), "%s/tmp/badtemplate", root);
	SHOW("mkstemp bad template", mkstemp(path));
}

int
files_driver(const char *r)
{
	snprintf(root, sizeof(root), "%s", r);
	list("/etc/vendor");
	list("/usr/share");
	read_config();
	read_firmware();
	probe();
	scratch();
	printf("!\n");
	return 0;
}

/* The refusals only blobvisor makes (the host's / is writable): each
 * prints its errno name. */
int
files_refused(void)
{
	SHOW("write conf", open("/etc/vendor/reader.conf", O_WRONLY));
	SHOW("create in /etc", open("/etc/new.conf", O_WRONLY | O_CREAT, 0644));
	SHOW("fopen host file", fopen("/etc/passwd", "r"));
	SHOW("fopen host file again", fopen("/etc/passwd", "r"));
	SHOW("unlink conf", unlink("/etc/vendor/reader.conf"));
	SHOW("access W_OK", access("/etc/vendor/reader.conf", W_OK));
	return 0;
}

/* Blocking descriptors between blob threads: a writer thread pushes 200
 * KiB through a pipe (it blocks whenever the 64 KiB pipe is full) and then
 * signals an eventfd; the caller reads with blocking read and waits on the
 * eventfd with poll.  Needs the reader and writer to interleave. */
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>

static int pfd[2], efd;

static void *
writer(void *arg)
{
	static unsigned char chunk[5000];
	size_t total = 0;

	for (int i = 0; i < 41; i++) {
		memset(chunk, i, sizeof(chunk));
		ssize_t w = write(pfd[1], chunk, sizeof(chunk));
		if (w != (ssize_t)sizeof(chunk))
			return (void *)-1;
		total += w;
	}
	close(pfd[1]);
	eventfd_write(efd, total);
	return (void *)total;
}

int
pipe_threads(void)
{
	pthread_t t;
	unsigned char buf[3000];
	size_t got = 0, sum = 0;
	ssize_t r;
	void *ret;
	struct pollfd p;
	eventfd_t v = 0;

	if (pipe(pfd) || (efd = eventfd(0, 0)) < 0)
		return 1;
	p = (struct pollfd){ efd, POLLIN, 0 };
	printf("eventfd before: poll %d\n", poll(&p, 1, 20));
	pthread_create(&t, NULL, writer, NULL);
	while ((r = read(pfd[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < r; i++)
			sum += buf[i];
		got += r;
	}
	printf("pipe: read %zu bytes, sum %zu, end %zd\n", got, sum, r);
	r = poll(&p, 1, 1000);
	printf("eventfd after: poll %zd revents %#x\n", r, p.revents);
	eventfd_read(efd, &v);
	pthread_join(t, &ret);
	printf("writer wrote %zu, eventfd said %llu\n", (size_t)ret, (unsigned long long)v);
	close(pfd[0]);
	close(efd);
	return 0;
}
