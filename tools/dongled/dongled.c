/* dongled: serves the dongle's device model over usbredir (usb-host role)
 * to QEMU's usb-redir or blobvisor's usbredir controller.
 *
 *   dongled --listen HOST:PORT|unix:PATH --state FILE [--serial S] [-v]
 *   dongled --init --state FILE [--serial S]
 *
 * One client at a time; after it disconnects the next one is accepted, so
 * either side may start first.  Every state change is in the state file
 * (atomically) before the command's response is sent. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <usbredirparser.h>
#include "statefile.h"

static struct {
	const char *listen, *state, *serial;
	bool init;
	int verbose;
} opt;

static struct dongle dev;
static struct statefile sf;
static struct usbredirparser *parser;
static int client_fd = -1;
static bool client_gone;
static bool receiving_in;
static u64 in_id;
static volatile sig_atomic_t stop;
static char unix_path[108];

static void __attribute__((format(printf, 1, 2)))
vlog(const char *fmt, ...)
{
	va_list ap;

	if (!opt.verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "dongled: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "dongled: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* --- model environment -------------------------------------------------- */

static int
persist(void *ctx, const u8 *image, size_t len)
{
	int r = statefile_save(&sf, image, len);

	if (r < 0)
		fprintf(stderr, "dongled: %s: cannot save state: %s; command refused\n",
			sf.path, strerror(-r));
	return r;
}

static void
entropy(void *ctx, u8 *buf, size_t len)
{
	while (len) {
		ssize_t n = getrandom(buf, len, 0);

		if (n <= 0)
			continue;
		buf += n;
		len -= (size_t)n;
	}
}

/* --- usbredir I/O ------------------------------------------------------- */

static int
io_read(void *priv, uint8_t *data, int count)
{
	ssize_t n = read(client_fd, data, (size_t)count);

	if (n > 0)
		return (int)n;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	client_gone = true;		/* EOF or a hard error */
	return -1;
}

static int
io_write(void *priv, uint8_t *data, int count)
{
	int done = 0;

	while (done < count) {
		ssize_t n = write(client_fd, data + done, (size_t)(count - done));

		if (n > 0) {
			done += (int)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = client_fd, .events = POLLOUT };

			poll(&p, 1, 1000);
			continue;
		}
		client_gone = true;
		return -1;
	}
	return done;
}

static void
io_log(void *priv, int level, const char *msg)
{
	if (level <= usbredirparser_warning || opt.verbose > 1)
		fprintf(stderr, "dongled: usbredir: %s\n", msg);
}

static void
flush_out(void)
{
	while (!client_gone && usbredirparser_has_data_to_write(parser))
		if (usbredirparser_do_write(parser) < 0)
			client_gone = true;
}

/* Push the queued response, if any, once the peer asked to receive. */
static void
push_in(void)
{
	u8 buf[DONGLE_REPORT];
	int n;

	if (!receiving_in)
		return;
	n = dev.model.ops->data_in(&dev.model, DONGLE_EP_IN & 0x0F, buf, sizeof(buf));
	if (n < 0)
		return;
	struct usb_redir_interrupt_packet_header h = {
		.endpoint = DONGLE_EP_IN, .status = usb_redir_success, .length = (uint16_t)n,
	};
	usbredirparser_send_interrupt_packet(parser, in_id++, &h, buf, n);
	vlog("IN report %d bytes (status %s)", n, dongle_status_name(buf[DONGLE_OFF_STATUS]));
}

/* --- usbredir callbacks ------------------------------------------------- */

static void
on_hello(void *priv, struct usb_redir_hello_header *h)
{
	struct usb_redir_interface_info_header ii = { .interface_count = 1 };
	struct usb_redir_ep_info_header ei;
	struct usb_redir_device_connect_header dc = {
		.speed = usb_redir_speed_full, .vendor_id = DONGLE_VID,
		.product_id = DONGLE_PID, .device_version_bcd = 0x0100,
	};

	vlog("client hello: %.64s", h->version);
	ii.interface[0] = 0;
	ii.interface_class[0] = 3;	/* HID */
	memset(&ei, 0, sizeof(ei));
	memset(ei.type, usb_redir_type_invalid, sizeof(ei.type));
	/* index = direction bit moved to bit 4 | endpoint number */
	ei.type[0] = ei.type[16] = usb_redir_type_control;
	ei.max_packet_size[0] = ei.max_packet_size[16] = 64;
	ei.type[DONGLE_EP_OUT & 0x0F] = usb_redir_type_interrupt;
	ei.interval[DONGLE_EP_OUT & 0x0F] = 1;
	ei.max_packet_size[DONGLE_EP_OUT & 0x0F] = DONGLE_REPORT;
	ei.type[16 | (DONGLE_EP_IN & 0x0F)] = usb_redir_type_interrupt;
	ei.interval[16 | (DONGLE_EP_IN & 0x0F)] = 1;
	ei.max_packet_size[16 | (DONGLE_EP_IN & 0x0F)] = DONGLE_REPORT;
	usbredirparser_send_interface_info(parser, &ii);
	usbredirparser_send_ep_info(parser, &ei);
	usbredirparser_send_device_connect(parser, &dc);
}

static void
on_reset(void *priv)
{
	u8 cfg = dev.config;
	struct usb_setup s = { 0x00, 9, cfg, 0, 0 };

	vlog("reset");
	dev.model.ops->reset(&dev.model);
	/* like usbredirhost (libusb_reset_device), the configuration is kept */
	if (cfg)
		dev.model.ops->control(&dev.model, &s, NULL);
}

static void
on_control(void *priv, uint64_t id, struct usb_redir_control_packet_header *h,
	   uint8_t *data, int data_len)
{
	struct usb_setup s = { h->requesttype, h->request, h->value, h->index, h->length };
	u8 buf[65536];
	int r;

	if (h->requesttype & 0x80) {
		r = dev.model.ops->control(&dev.model, &s, buf);
	} else {
		memset(buf, 0, h->length);
		memcpy(buf, data, (size_t)MIN(data_len, (int)h->length));
		r = dev.model.ops->control(&dev.model, &s, buf);
	}
	vlog("control %02x %02x %04x %04x %u -> %d", h->requesttype, h->request,
	     h->value, h->index, h->length, r);
	h->status = r < 0 ? usb_redir_stall : usb_redir_success;
	if (h->requesttype & 0x80) {
		h->length = r < 0 ? 0 : (uint16_t)r;
		usbredirparser_send_control_packet(parser, id, h, r > 0 ? buf : NULL, r > 0 ? r : 0);
	} else {
		if (r < 0)
			h->length = 0;
		usbredirparser_send_control_packet(parser, id, h, NULL, 0);
	}
	if (data)
		usbredirparser_free_packet_data(parser, data);
	push_in();	/* a SET_REPORT may have produced a response */
}

static void
on_set_configuration(void *priv, uint64_t id, struct usb_redir_set_configuration_header *h)
{
	struct usb_setup s = { 0x00, 9, h->configuration, 0, 0 };
	struct usb_redir_configuration_status_header st;
	int r = dev.model.ops->control(&dev.model, &s, NULL);

	vlog("set_configuration %u -> %d", h->configuration, r);
	st.status = r < 0 ? usb_redir_stall : usb_redir_success;
	st.configuration = dev.config;
	usbredirparser_send_configuration_status(parser, id, &st);
}

static void
on_get_configuration(void *priv, uint64_t id)
{
	struct usb_redir_configuration_status_header st = { usb_redir_success, dev.config };

	usbredirparser_send_configuration_status(parser, id, &st);
}

static void
on_set_alt(void *priv, uint64_t id, struct usb_redir_set_alt_setting_header *h)
{
	struct usb_setup s = { 0x01, 11, h->alt, h->interface, 0 };
	struct usb_redir_alt_setting_status_header st = { 0, h->interface, 0 };
	int r = dev.model.ops->control(&dev.model, &s, NULL);

	st.status = r < 0 ? usb_redir_stall : usb_redir_success;
	usbredirparser_send_alt_setting_status(parser, id, &st);
}

static void
on_get_alt(void *priv, uint64_t id, struct usb_redir_get_alt_setting_header *h)
{
	struct usb_redir_alt_setting_status_header st = {
		h->interface == 0 ? usb_redir_success : usb_redir_inval, h->interface, 0,
	};

	usbredirparser_send_alt_setting_status(parser, id, &st);
}

static void
on_start_int(void *priv, uint64_t id, struct usb_redir_start_interrupt_receiving_header *h)
{
	struct usb_redir_interrupt_receiving_status_header st = { usb_redir_success, h->endpoint };

	if (h->endpoint != DONGLE_EP_IN)
		st.status = usb_redir_inval;
	else
		receiving_in = true;
	vlog("start_interrupt_receiving %#x -> %u", h->endpoint, st.status);
	usbredirparser_send_interrupt_receiving_status(parser, id, &st);
	push_in();
}

static void
on_stop_int(void *priv, uint64_t id, struct usb_redir_stop_interrupt_receiving_header *h)
{
	struct usb_redir_interrupt_receiving_status_header st = { usb_redir_success, h->endpoint };

	if (h->endpoint == DONGLE_EP_IN)
		receiving_in = false;
	else
		st.status = usb_redir_inval;
	usbredirparser_send_interrupt_receiving_status(parser, id, &st);
}

static void
on_interrupt(void *priv, uint64_t id, struct usb_redir_interrupt_packet_header *h,
	     uint8_t *data, int data_len)
{
	int r = -EPIPE;

	if (h->endpoint == DONGLE_EP_OUT)
		r = dev.model.ops->data_out(&dev.model, DONGLE_EP_OUT & 0x0F, data, (size_t)data_len);
	vlog("OUT report %d bytes on %#x -> %d", data_len, h->endpoint, r);
	/* the model persisted any change inside data_out: now acknowledge */
	h->status = r < 0 ? usb_redir_stall : usb_redir_success;
	h->length = r < 0 ? 0 : (uint16_t)data_len;
	usbredirparser_send_interrupt_packet(parser, id, h, NULL, 0);
	if (data)
		usbredirparser_free_packet_data(parser, data);
	push_in();
}

static void
on_cancel(void *priv, uint64_t id)
{
	vlog("cancel %llu (nothing is ever pending)", (unsigned long long)id);
}

static void
on_unsupported_bulk(void *priv, uint64_t id, struct usb_redir_bulk_packet_header *h,
		    uint8_t *data, int data_len)
{
	h->status = usb_redir_inval;
	h->length = 0;
	h->length_high = 0;
	usbredirparser_send_bulk_packet(parser, id, h, NULL, 0);
	if (data)
		usbredirparser_free_packet_data(parser, data);
}

/* What a HID dongle does not have: answer each with an error status. */
static void
on_start_iso(void *priv, uint64_t id, struct usb_redir_start_iso_stream_header *h)
{
	struct usb_redir_iso_stream_status_header st = { usb_redir_inval, h->endpoint };

	usbredirparser_send_iso_stream_status(parser, id, &st);
}

static void
on_stop_iso(void *priv, uint64_t id, struct usb_redir_stop_iso_stream_header *h)
{
	struct usb_redir_iso_stream_status_header st = { usb_redir_inval, h->endpoint };

	usbredirparser_send_iso_stream_status(parser, id, &st);
}

static void
on_iso(void *priv, uint64_t id, struct usb_redir_iso_packet_header *h, uint8_t *data, int len)
{
	if (data)
		usbredirparser_free_packet_data(parser, data);
}

static void
on_alloc_streams(void *priv, uint64_t id, struct usb_redir_alloc_bulk_streams_header *h)
{
	struct usb_redir_bulk_streams_status_header st = { h->endpoints, 0, usb_redir_inval };

	usbredirparser_send_bulk_streams_status(parser, id, &st);
}

static void
on_free_streams(void *priv, uint64_t id, struct usb_redir_free_bulk_streams_header *h)
{
	struct usb_redir_bulk_streams_status_header st = { h->endpoints, 0, usb_redir_inval };

	usbredirparser_send_bulk_streams_status(parser, id, &st);
}

static void
on_start_bulk_recv(void *priv, uint64_t id, struct usb_redir_start_bulk_receiving_header *h)
{
	struct usb_redir_bulk_receiving_status_header st = { h->stream_id, h->endpoint, usb_redir_inval };

	usbredirparser_send_bulk_receiving_status(parser, id, &st);
}

static void
on_stop_bulk_recv(void *priv, uint64_t id, struct usb_redir_stop_bulk_receiving_header *h)
{
	struct usb_redir_bulk_receiving_status_header st = { h->stream_id, h->endpoint, usb_redir_inval };

	usbredirparser_send_bulk_receiving_status(parser, id, &st);
}

static void
on_filter_reject(void *priv)
{
}

static void
on_filter(void *priv, struct usbredirfilter_rule *rules, int count)
{
	free(rules);
}

static void
on_disconnect_ack(void *priv)
{
}

static void
serve_client(void)
{
	uint32_t caps[USB_REDIR_CAPS_SIZE] = { 0 };

	parser = usbredirparser_create();
	if (!parser)
		die("out of memory");
	parser->priv = NULL;
	parser->log_func = io_log;
	parser->read_func = io_read;
	parser->write_func = io_write;
	parser->hello_func = on_hello;
	parser->reset_func = on_reset;
	parser->control_packet_func = on_control;
	parser->set_configuration_func = on_set_configuration;
	parser->get_configuration_func = on_get_configuration;
	parser->set_alt_setting_func = on_set_alt;
	parser->get_alt_setting_func = on_get_alt;
	parser->start_interrupt_receiving_func = on_start_int;
	parser->stop_interrupt_receiving_func = on_stop_int;
	parser->interrupt_packet_func = on_interrupt;
	parser->cancel_data_packet_func = on_cancel;
	parser->bulk_packet_func = on_unsupported_bulk;
	parser->start_iso_stream_func = on_start_iso;
	parser->stop_iso_stream_func = on_stop_iso;
	parser->iso_packet_func = on_iso;
	parser->alloc_bulk_streams_func = on_alloc_streams;
	parser->free_bulk_streams_func = on_free_streams;
	parser->start_bulk_receiving_func = on_start_bulk_recv;
	parser->stop_bulk_receiving_func = on_stop_bulk_recv;
	parser->filter_reject_func = on_filter_reject;
	parser->filter_filter_func = on_filter;
	parser->device_disconnect_ack_func = on_disconnect_ack;
	usbredirparser_caps_set_cap(caps, usb_redir_cap_connect_device_version);
	usbredirparser_caps_set_cap(caps, usb_redir_cap_ep_info_max_packet_size);
	usbredirparser_caps_set_cap(caps, usb_redir_cap_64bits_ids);
	/* QEMU's xHCI refuses a peer without it (the dongle has no bulk endpoints) */
	usbredirparser_caps_set_cap(caps, usb_redir_cap_32bits_bulk_length);
	usbredirparser_init(parser, "blobvisor dongled 1", caps, USB_REDIR_CAPS_SIZE,
			    usbredirparser_fl_usb_host);
	client_gone = false;
	receiving_in = false;
	dev.model.ops->reset(&dev.model);
	flush_out();
	while (!client_gone && !stop) {
		struct pollfd p = { .fd = client_fd, .events = POLLIN };

		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (usbredirparser_do_read(parser) == usbredirparser_read_io_error)
			client_gone = true;
		flush_out();
	}
	usbredirparser_destroy(parser);
	parser = NULL;
	dev.model.ops->reset(&dev.model);	/* the session ends with the cable */
}

/* --- listening ---------------------------------------------------------- */

static int
listen_on(const char *addr)
{
	int fd;

	if (strncmp(addr, "unix:", 5) == 0) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		struct stat stb;
		const char *path = addr + 5;

		if (!*path || strlen(path) >= sizeof(sa.sun_path))
			die("--listen %s: unix socket path empty or longer than %zu bytes",
			    addr, sizeof(sa.sun_path) - 1);
		if (stat(path, &stb) == 0) {
			if (!S_ISSOCK(stb.st_mode))
				die("--listen %s: exists and is not a socket", addr);
			unlink(path);
		}
		strcpy(sa.sun_path, path);
		strcpy(unix_path, path);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			die("--listen %s: %s", addr, strerror(errno));
	} else {
		struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
					  .ai_flags = AI_NUMERICSERV }, *ai;
		char host[256];
		const char *colon = strrchr(addr, ':');
		int one = 1, r;

		if (!colon || colon == addr || !colon[1] || (size_t)(colon - addr) >= sizeof(host))
			die("--listen %s: want HOST:PORT or unix:PATH", addr);
		memcpy(host, addr, (size_t)(colon - addr));
		host[colon - addr] = 0;
		if (host[0] == '[' && host[strlen(host) - 1] == ']') {
			memmove(host, host + 1, strlen(host));
			host[strlen(host) - 1] = 0;
		}
		r = getaddrinfo(host, colon + 1, &hints, &ai);
		if (r)
			die("--listen %s: %s", addr, gai_strerror(r));
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0)
			die("--listen %s: %s", addr, strerror(errno));
		freeaddrinfo(ai);
	}
	if (listen(fd, 4) < 0)
		die("--listen %s: %s", addr, strerror(errno));
	return fd;
}

static void
on_signal(int sig)
{
	stop = 1;
}

static void __attribute__((noreturn))
usage(const char *why)
{
	fprintf(stderr, "dongled: %s (usage: dongled --listen HOST:PORT|unix:PATH --state FILE "
		"[--serial S] [-v] | dongled --init --state FILE [--serial S])\n", why);
	exit(2);
}

static void
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "state", required_argument, NULL, 's' },
		{ "serial", required_argument, NULL, 'S' },
		{ "init", no_argument, NULL, 'i' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': opt.listen = optarg; break;
		case 's': opt.state = optarg; break;
		case 'S': opt.serial = optarg; break;
		case 'i': opt.init = true; break;
		case 'v': opt.verbose++; break;
		case 'h': usage("serves the blobvisor dongle over usbredir");
		default:
			fprintf(stderr, "dongled: %s: unknown option or missing argument (see --help)\n",
				argv[optind - 1]);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dongled: unexpected argument '%s' (see --help)\n", argv[optind]);
		exit(2);
	}
	if (!opt.state)
		usage("--state FILE is required");
	if (!opt.init && !opt.listen)
		usage("--listen ADDR is required (or --init)");
	if (opt.init && opt.listen)
		usage("--init writes a state file and exits; it takes no --listen");
	if (opt.serial && !dongle_serial_valid(opt.serial))
		die("--serial '%s': want 1..16 characters of 0-9 A-Z a-z -", opt.serial);
}

int
main(int argc, char **argv)
{
	struct dongle_state st;
	struct dongle_env env = { .persist = persist, .entropy = entropy };
	char err[512];
	u8 image[DONGLE_STATE_SIZE];
	int lfd, r;

	parse_args(argc, argv);
	if (statefile_open(&sf, opt.state, err, sizeof(err)) < 0)
		die("%s", err);
	if (opt.init) {
		dongle_state_factory(&st, opt.serial);
		dongle_state_encode(&st, image);
		r = statefile_save(&sf, image, sizeof(image));
		if (r < 0)
			die("%s: %s", opt.state, strerror(-r));
		return 0;
	}
	r = statefile_load(&sf, &st, err, sizeof(err));
	if (r == -ENOENT) {
		dongle_state_factory(&st, opt.serial);
		dongle_state_encode(&st, image);
		r = statefile_save(&sf, image, sizeof(image));
		if (r < 0)
			die("%s: %s", opt.state, strerror(-r));
		fprintf(stderr, "dongled: %s: created factory-fresh state (serial %s)\n",
			opt.state, st.serial);
	} else if (r < 0) {
		die("%s", err);
	}
	if (opt.serial && strcmp(opt.serial, st.serial) != 0)
		die("%s: hardware serial is %s, not %s (--serial applies to new state files)",
		    opt.state, st.serial, opt.serial);
	dongle_init(&dev, &st, &env);

	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	lfd = listen_on(opt.listen);
	vlog("listening on %s, serial %s", opt.listen, st.serial);
	while (!stop) {
		client_fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (client_fd < 0) {
			if (errno == EINTR)
				continue;
			die("accept: %s", strerror(errno));
		}
		{
			int one = 1;	/* small reports: Nagle + delayed ACK cost 40 ms */

			setsockopt(client_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		}
		vlog("client connected");
		serve_client();
		close(client_fd);
		client_fd = -1;
		vlog("client gone; %llu commands, %llu state saves so far",
		     (unsigned long long)dev.commands, (unsigned long long)dev.persists);
	}
	close(lfd);
	if (unix_path[0])
		unlink(unix_path);
	return 0;
}
