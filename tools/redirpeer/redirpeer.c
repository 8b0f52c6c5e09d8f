/* Shared setup of blobvisor's host-side usbredir programs: see redirpeer.h. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "redirpeer.h"

void
redirpeer_init(struct usbredirparser *p, const char *version, bool usb_host)
{
	uint32_t caps[USB_REDIR_CAPS_SIZE] = { 0 };

	usbredirparser_caps_set_cap(caps, usb_redir_cap_connect_device_version);
	usbredirparser_caps_set_cap(caps, usb_redir_cap_ep_info_max_packet_size);
	usbredirparser_caps_set_cap(caps, usb_redir_cap_64bits_ids);
	usbredirparser_caps_set_cap(caps, usb_redir_cap_32bits_bulk_length);
	usbredirparser_init(p, version, caps, USB_REDIR_CAPS_SIZE,
			    usb_host ? usbredirparser_fl_usb_host : 0);
}

/* ADDR into a socket address: unix:PATH, HOST:PORT ([v6]:PORT) or a bare
 * PORT on loopback.  0 or -EINVAL with the line in err. */
static int
resolve(const char *addr, struct sockaddr_storage *ss, socklen_t *len, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV }, *ai;
	const char *colon = strrchr(addr, ':'), *port;
	char host[256];
	int r;

	memset(ss, 0, sizeof(*ss));
	if (strncmp(addr, "unix:", 5) == 0) {
		struct sockaddr_un *sa = (struct sockaddr_un *)ss;

		if (!addr[5] || strlen(addr + 5) >= sizeof(sa->sun_path)) {
			snprintf(err, errlen, "%s: unix socket path empty or longer than %zu bytes",
				 addr, sizeof(sa->sun_path) - 1);
			return -EINVAL;
		}
		sa->sun_family = AF_UNIX;
		strcpy(sa->sun_path, addr + 5);
		*len = sizeof(*sa);
		return 0;
	}
	if (!colon) {
		strcpy(host, "127.0.0.1");
		port = addr;
	} else {
		if (colon == addr || (size_t)(colon - addr) >= sizeof(host))
			goto bad;
		memcpy(host, addr, (size_t)(colon - addr));
		host[colon - addr] = 0;
		if (host[0] == '[' && host[strlen(host) - 1] == ']') {
			memmove(host, host + 1, strlen(host));
			host[strlen(host) - 1] = 0;
		}
		port = colon + 1;
	}
	if (!*port || strspn(port, "0123456789") != strlen(port) || atol(port) > 65535)
		goto bad;
	r = getaddrinfo(host, port, &hints, &ai);
	if (r) {
		snprintf(err, errlen, "%s: %s", addr, gai_strerror(r));
		return -EINVAL;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
bad:
	snprintf(err, errlen, "%s: want HOST:PORT or unix:PATH", addr);
	return -EINVAL;
}

/* Something at PATH already.  A socket nobody answers on is a leftover
 * (a server killed with -9): remove it.  A live one belongs to another
 * server, and anything that is not a socket is not ours to replace. */
static int
clear_unix_path(const char *addr, const struct sockaddr_un *sa, char *err, size_t errlen)
{
	struct stat st;
	int fd, r;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : (snprintf(err, errlen, "%s: %s", addr, strerror(errno)), -errno);
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s: exists and is not a socket", addr);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	/* EAGAIN: its backlog is full, which only a live listener has */
	if (r == 0 || errno == EAGAIN || errno == EINPROGRESS) {
		snprintf(err, errlen, "%s: another server is listening there", addr);
		return -EADDRINUSE;
	}
	if (unlink(sa->sun_path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "%s: stale socket: %s", addr, strerror(errno));
		return -errno;
	}
	return 0;
}

int
redirpeer_listen(struct redirpeer_listener *l, const char *addr, int backlog,
		 char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, r, e;

	memset(l, 0, sizeof(*l));
	l->fd = -1;
	r = resolve(addr, &ss, &len, err, errlen);
	if (r < 0)
		return r;
	if (ss.ss_family == AF_UNIX) {
		r = clear_unix_path(addr, (struct sockaddr_un *)&ss, err, errlen);
		if (r < 0)
			return r;
	}
	l->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		goto fail;
	if (ss.ss_family != AF_UNIX)
		setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l->fd, (struct sockaddr *)&ss, len) < 0)
		goto fail;
	if (ss.ss_family == AF_UNIX) {
		struct stat st;

		strcpy(l->path, ((struct sockaddr_un *)&ss)->sun_path);
		if (stat(l->path, &st) == 0)
			l->dev = st.st_dev, l->ino = st.st_ino;
	} else {
		len = sizeof(ss);
		getsockname(l->fd, (struct sockaddr *)&ss, &len);
		l->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
							 : ((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	if (listen(l->fd, backlog) < 0)
		goto fail;
	return 0;
fail:
	e = errno;
	snprintf(err, errlen, "%s: %s", addr, strerror(e));
	redirpeer_unlisten(l);
	return -e;
}

void
redirpeer_unlisten(struct redirpeer_listener *l)
{
	struct stat st;

	if (l->path[0] && lstat(l->path, &st) == 0 && st.st_dev == l->dev && st.st_ino == l->ino)
		unlink(l->path);
	l->path[0] = 0;
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

int
redirpeer_accept(struct redirpeer_listener *l)
{
	int one = 1, fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (!l->path[0])
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int
redirpeer_connect(const char *addr, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, r = resolve(addr, &ss, &len, err, errlen);

	if (r < 0)
		return r;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (ss.ss_family != AF_UNIX)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}
