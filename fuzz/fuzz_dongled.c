/* libFuzzer: dongled's protocol input, the usbredir byte stream a client
 * (QEMU, blobvisor) sends.  The input follows a valid hello (generated with
 * libusbredirparser in the usb-guest role) into a socketpair that
 * dongled's session reads until EOF, exactly as from a real client.
 * The device model behind it is the real one, without a state file.
 * Seeds in fuzz/corpus/fuzz_dongled come from `fuzz_dongled -seeds DIR`. */
#define main dongled_main
#include "../tools/dongled/dongled.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static u8 prefix[4096];
static int prefix_len;
static u8 gen[65536];
static int gen_len;

static int
gen_write(void *priv, uint8_t *data, int count)
{
	if (gen_len + count > (int)sizeof(gen))
		return -1;
	memcpy(gen + gen_len, data, (size_t)count);
	gen_len += count;
	return count;
}

static u8 feed[4096];
static int feed_len, feed_pos;

static int
gen_read(void *priv, uint8_t *data, int count)
{
	int n = MIN(count, feed_len - feed_pos);

	memcpy(data, feed + feed_pos, (size_t)n);
	feed_pos += n;
	return n;
}

static struct usbredirparser *
gen_parser(void)
{
	struct usbredirparser *p = usbredirparser_create();

	p->read_func = gen_read;
	p->write_func = gen_write;
	p->log_func = io_log;
	redirpeer_init(p, "fuzz client", false);
	return p;
}

/* A usb-host hello with dongled's capabilities, read by the generator so
 * that it frames packets as dongled will parse them (64-bit ids). */
static void
gen_learn_peer(struct usbredirparser *g)
{
	struct usbredirparser *h = usbredirparser_create();
	int save = gen_len;

	h->read_func = gen_read;
	h->write_func = gen_write;
	h->log_func = io_log;
	redirpeer_init(h, "fuzz host", true);
	while (usbredirparser_has_data_to_write(h))
		usbredirparser_do_write(h);
	feed_len = gen_len - save;
	memcpy(feed, gen + save, (size_t)feed_len);
	feed_pos = 0;
	gen_len = save;
	usbredirparser_destroy(h);
	usbredirparser_do_read(g);
}

static void
gen_flush(struct usbredirparser *p)
{
	while (usbredirparser_has_data_to_write(p))
		usbredirparser_do_write(p);
}

/* Write seed inputs: sessions a real client would send, after the hello. */
static void
write_seeds(const char *dir)
{
	struct usbredirparser *p = gen_parser();
	struct usb_redir_set_configuration_header sc = { 1 };
	struct usb_redir_start_interrupt_receiving_header si = { DONGLE_EP_IN };
	struct usb_redir_control_packet_header ch = { 0x80, 6, 0x80, 0, 0x0100, 0, 18 };
	struct usb_redir_interrupt_packet_header ih = { DONGLE_EP_OUT, 0, DONGLE_REPORT };
	u8 req[DONGLE_REPORT];
	char path[512];
	FILE *f;
	int base;

	gen_learn_peer(p);
	gen_flush(p);
	base = gen_len;		/* the hello: the harness adds it itself */
	usbredirparser_send_set_configuration(p, 1, &sc);
	usbredirparser_send_start_interrupt_receiving(p, 2, &si);
	usbredirparser_send_control_packet(p, 3, &ch, NULL, 0);
	dongle_frame(req, DONGLE_MAGIC_REQ, 0, DCMD_SYNC, 0, NULL, 0);
	usbredirparser_send_interrupt_packet(p, 4, &ih, req, DONGLE_REPORT);
	dongle_frame(req, DONGLE_MAGIC_REQ, 1, DCMD_OPEN, 0, "\1\01012345678", 10);
	usbredirparser_send_interrupt_packet(p, 5, &ih, req, DONGLE_REPORT);
	dongle_frame(req, DONGLE_MAGIC_REQ, 2, DCMD_ZONE_WRITE, 0, "\1\0\0\2ab", 6);
	usbredirparser_send_interrupt_packet(p, 6, &ih, req, DONGLE_REPORT);
	usbredirparser_send_reset(p);
	gen_flush(p);
	snprintf(path, sizeof(path), "%s/session", dir);
	f = fopen(path, "wb");
	if (f) {
		fwrite(gen + base, 1, (size_t)(gen_len - base), f);
		fclose(f);
	}
	/* zero-length OUT transfers carry no data pointer at all */
	base = gen_len;
	usbredirparser_send_set_configuration(p, 7, &sc);
	ch = (struct usb_redir_control_packet_header){ 0x00, 10, 0x21, 0, 0, 0, 0 };	/* SET_IDLE */
	usbredirparser_send_control_packet(p, 8, &ch, NULL, 0);
	ih.length = 0;
	usbredirparser_send_interrupt_packet(p, 9, &ih, NULL, 0);
	gen_flush(p);
	snprintf(path, sizeof(path), "%s/zero_length", dir);
	f = fopen(path, "wb");
	if (f) {
		fwrite(gen + base, 1, (size_t)(gen_len - base), f);
		fclose(f);
	}
	usbredirparser_destroy(p);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct usbredirparser *p;

	for (int i = 1; i + 1 < *argc; i++)
		if (!strcmp((*argv)[i], "-seeds")) {
			write_seeds((*argv)[i + 1]);
			exit(0);
		}
	/* FUZZ_VERBOSE: dongled's -v, to see a seed's path; otherwise quiet,
	 * or libusbredirparser's line for each malformed packet makes the log
	 * gigabytes long over a campaign */
	opt.verbose = getenv("FUZZ_VERBOSE") ? 1 : -1;
	p = gen_parser();
	gen_flush(p);
	memcpy(prefix, gen, (size_t)gen_len);
	prefix_len = gen_len;
	gen_len = 0;
	usbredirparser_destroy(p);
	return 0;
}

/* Does the input announce a packet far longer than any input can hold?
 * libusbredirparser allocates a packet's announced length (up to 128 MiB)
 * when it reads the header; the session then ends at EOF inside it.  Such
 * an input exercises the library's allocator, never dongled, and costs a
 * hundred ordinary ones (ASan poisons the whole block on free), so it is
 * skipped.  Headers are usbredir's: u32 type, u32 length, u64 id. */
static bool
announces_huge_packet(const uint8_t *data, size_t size)
{
	size_t off = 0;

	while (off + 16 <= size) {
		u32 len;

		memcpy(&len, data + off + 4, 4);
		if (len > 65536)
			return true;
		off += 16 + (size_t)len;
	}
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dongle_state st;
	int sv[2], big = 1 << 20;
	u8 sink[4096];

	if (size > 8192 || announces_huge_packet(data, size))
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0)
		abort();
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	if (write(sv[1], prefix, (size_t)prefix_len) != prefix_len ||
	    (size && write(sv[1], data, size) != (ssize_t)size))
		abort();
	shutdown(sv[1], SHUT_WR);	/* EOF after the input; dongled may still write */
	dongle_state_factory(&st, NULL);
	dongle_init(&dev, &st, NULL);	/* no state file: nothing to persist */
	dongle_persona();
	session_open(sv[0]);
	while (session_pump())
		;
	session_close();	/* closes sv[0] */
	while (read(sv[1], sink, sizeof(sink)) > 0)
		;
	close(sv[1]);
	return 0;
}
