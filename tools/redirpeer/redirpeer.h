/* What every blobvisor usbredir program outside the core shares (dongled,
 * the two echo servers, the dongled test client, the dongled fuzzer): the
 * capability set it advertises and the socket it listens on or connects to.
 * Host programs, built on Debian's libusbredirparser. */
#ifndef REDIRPEER_H
#define REDIRPEER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <usbredirparser.h>

/* Advertise the capabilities and queue the hello.  Set the callbacks first.
 * QEMU's usb-redir on qemu-xhci refuses a peer lacking
 * ep_info_max_packet_size, 32bits_bulk_length or 64bits_ids. */
void redirpeer_init(struct usbredirparser *p, const char *version, bool usb_host);

struct redirpeer_listener {
	int fd;
	int port;		/* TCP: the bound port (what PORT 0 chose) */
	char path[108];		/* unix: the socket this process created */
	dev_t dev;		/* ... and its inode: unlink only our own */
	ino_t ino;
};

/* Listen on "unix:PATH", "HOST:PORT" or "PORT" (loopback).  A unix PATH
 * where a server answers is refused, a stale socket replaced, anything else
 * there refused.  0, or -errno with one line (naming ADDR) in err. */
int redirpeer_listen(struct redirpeer_listener *l, const char *addr, int backlog,
		     char *err, size_t errlen);
/* Close; remove the unix socket only if it is still the one we bound. */
void redirpeer_unlisten(struct redirpeer_listener *l);
/* Accept one client, non-blocking, close-on-exec, TCP_NODELAY on TCP
 * (small reports: Nagle plus delayed ACK cost 40 ms each).  fd or -errno. */
int redirpeer_accept(struct redirpeer_listener *l);

/* Connect to "unix:PATH" or "HOST:PORT" (blocking connect, then the
 * socket is made non-blocking: do_read reads until EAGAIN).  fd or -errno;
 * -EINVAL with a line in err for a malformed address. */
int redirpeer_connect(const char *addr, char *err, size_t errlen);

#endif
