/* The `card` shell commands: the VMM plays pcscd towards the IFD handler
 * (pcsc-lite's ifdhandler.h contract) and prints what the card said: the
 * ATR decoded, responses with their ISO 7816-4 status meaning. */
#include <core/console.h>
#include <core/dbgsh.h>
#include <core/errno.h>
#include <core/init.h>
#include <core/platform.h>
#include <core/string.h>
#include <ccid/ccid.h>
#include <card/presence.h>
#include <loader/blob.h>
#include "card.h"

static struct card_driver drv;

static u64
lun_of(int index)
{
	return (u64)index << 16;	/* pcscd's: reader index, slot 0 */
}

/* Call an IFDH function that must answer IFD_SUCCESS: 0, or -1 after one
 * line naming the reader and WHAT was called.  bufs name its pointer
 * arguments (a handler in a protection domain gets copies). */
static int
ifdh_ok(int index, const char *what, u64 fn, const u64 *args, int nargs,
	const struct blob_buf *bufs, unsigned nbufs)
{
	RESPONSECODE rc;

	if (card_ifdh_call(&drv, fn, args, nargs, bufs, nbufs, &rc) < 0)
		return -1;
	if (rc != IFD_SUCCESS) {
		kprintf("card: reader %d: %s: %s (%ld)\n", index, what, card_ifd_error(rc), rc);
		return -1;
	}
	return 0;
}

void
card_hex(const char *label, const u8 *p, size_t n)
{
	char line[3 * 64 + 1];

	for (size_t off = 0; off < n || off == 0; off += 64) {
		size_t k = MIN((size_t)64, n - off), q = 0;

		for (size_t i = 0; i < k; i++)
			q += (size_t)snprintf(line + q, sizeof(line) - q, "%s%02X", i ? " " : "", p[off + i]);
		line[q] = 0;
		kprintf("%s%s\n", off ? "  " : label, line);
		if (!n)
			break;
	}
}

int
card_parse_index(int argc, char **argv, int *argi)
{
	u64 v;

	if (*argi < argc && dbgsh_parse_u64(argv[*argi], &v) && v < CARD_READERS &&
	    strlen(argv[*argi]) <= 2) {
		(*argi)++;
		return (int)v;
	}
	return 0;
}

/* The reader, with its channel open; NULL after one line. */
static struct card_reader *
reader_ready(int index)
{
	struct card_reader *r;
	char name[64], what[96];

	card_scan();
	r = card_reader(index);
	if (!r || !r->present) {
		kprintf("card: no reader %d (card list)\n", index);
		return NULL;
	}
	if (card_driver_find(&drv) < 0)
		return NULL;
	if (r->channel && r->driver == drv.blob)
		return r;
	if (card_plist_ensure() < 0)
		return NULL;
	snprintf(name, sizeof(name), "usb:%04x/%04x:libusb-1.0:%d:%d", r->vid, r->pid, r->bus, r->addr);
	snprintf(what, sizeof(what), "IFDHCreateChannelByName(\"%s\")", name);
	u64 a[] = { lun_of(index), (u64)name };
	struct blob_buf b[] = { { 1, BLOB_BUF_IN, strlen(name) + 1 } };
	if (ifdh_ok(index, what, drv.create_by_name, a, 2, b, 1) < 0)
		return NULL;
	r->channel = true;
	r->driver = drv.blob;
	r->powered = false;
	r->protocol = -1;
	return r;
}

/* The reader, its card powered and a protocol negotiated; NULL after one line. */
static struct card_reader *
reader_powered(int index)
{
	struct card_reader *r = reader_ready(index);

	if (r && (!r->powered || r->protocol < 0)) {
		kprintf("card: reader %d: the card is not powered (card on %d)\n", index, index);
		return NULL;
	}
	return r;
}

/* IFDHICCPresence: 1 present, 0 absent (the card is then unpowered), or -1
 * after one line. */
static int
ask_presence(int index, struct card_reader *r)
{
	RESPONSECODE rc;
	u64 a[] = { lun_of(index) };

	if (card_ifdh_call(&drv, drv.presence, a, 1, NULL, 0, &rc) < 0)
		return -1;
	if (rc == IFD_ICC_NOT_PRESENT) {
		r->powered = false, r->protocol = -1;
		return 0;
	}
	if (rc != IFD_ICC_PRESENT) {
		kprintf("card: reader %d: IFDHICCPresence: %s (%ld)\n", index, card_ifd_error(rc), rc);
		return -1;
	}
	return 1;
}

static void
blob_gone(struct blob *b)
{
	for (int i = 0; i < CARD_READERS; i++) {
		struct card_reader *r = card_reader(i);

		if (r && r->driver == b)
			r->channel = false, r->driver = NULL, r->powered = false;
	}
}

static struct blob_unload_hook unload_hook = { .order = 50, .fn = blob_gone };

static void
card_init(void)
{
	blob_unload_hook_register(&unload_hook);
}
INITFUNC("50card", card_init);

static const char *
driver_name(void)
{
	for (struct blob *b = blob_first(); b; b = blob_next(b)) {
		bool found;

		blob_lookup(b, "IFDHCreateChannelByName", &found);
		if (found)
			return blob_name(b);
	}
	return NULL;
}

int
card_control(int index, u64 code, const u8 *tx, size_t txlen, u8 *rx, size_t rxcap, size_t *rxlen)
{
	DWORD got = 0;
	char what[40];

	if (!reader_ready(index))
		return -1;
	snprintf(what, sizeof(what), "IFDHControl(%#llx)", (unsigned long long)code);
	/* seven words: the last (pdwBytesReturned) on the stack */
	u64 a[] = { lun_of(index), code, (u64)tx, txlen, (u64)rx, rxcap, (u64)&got };
	struct blob_buf b[] = { { 2, BLOB_BUF_IN, txlen }, { 4, BLOB_BUF_OUT, rxcap },
				{ 6, BLOB_BUF_IN | BLOB_BUF_OUT, sizeof(got) } };
	if (ifdh_ok(index, what, drv.control, a, 7, b, 3) < 0)
		return -1;
	if (got > rxcap) {
		kprintf("card: reader %d: IFDHControl(%#llx) returned %lu bytes for a %zu-byte buffer\n",
			index, (unsigned long long)code, got, rxcap);
		return -1;
	}
	*rxlen = got;
	return 0;
}

int
card_presence(int index)
{
	struct card_reader *r;
	int present;

	card_scan();
	r = card_reader(index);
	/* nothing to ask: quiet, the caller polls */
	if (!r || !r->present || !driver_name())
		return -ENODEV;
	if (!(r = reader_ready(index)) || (present = ask_presence(index, r)) < 0)
		return -EIO;
	return present;
}

static int
cmd_card_list(int argc, char **argv)
{
	const char *dn = driver_name();
	int n = 0;

	if (dn)
		card_plist_ensure();	/* the driver needs it; names come from it */
	card_scan();
	kprintf("driver: %s\n", dn ? dn : "none loaded (blob load libccid.so)");
	for (int i = 0; i < CARD_READERS; i++) {
		struct card_reader *r = card_reader(i);

		if (!r || !r->present)
			continue;
		n++;
		kprintf("reader %d: %s (%04x:%04x) usb %d:%d, %d slot%s%s\n", i, r->name, r->vid, r->pid,
			r->bus, r->addr, r->slots, r->slots == 1 ? "" : "s",
			r->channel ? (r->powered ? ", card powered" : ", channel open") : "");
	}
	if (!n)
		kprintf("card: no CCID reader on any USB controller\n");
	return 0;
}
DBGSH_COMMAND("card list", cmd_card_list, "smart-card readers (CCID) on every USB controller, and the IFD handler");

static void
print_atr(const u8 *atr, size_t n)
{
	struct atr_info a;
	char prot[32] = "";
	size_t q = 0;

	card_hex("ATR: ", atr, n);
	atr_parse(atr, n, &a);
	if (!a.valid) {
		kprintf("  not a valid ATR: %s\n", a.error);
		return;
	}
	for (int t = 0; t < 16; t++)
		if (a.protocols & (1u << t))
			q += (size_t)snprintf(prot + q, sizeof(prot) - q, " T=%d", t);
	kprintf("  %s convention; protocols%s (default T=%d); %s mode\n", a.inverse ? "inverse" : "direct",
		prot, a.first_protocol, a.specific ? "specific" : "negotiable");
	if (a.has_ta1)
		kprintf("  TA1 %02X: Fi %u, D %u, f max %u.%u MHz\n", a.ta1, a.fi, a.di, a.fmax_khz / 1000,
			a.fmax_khz % 1000 / 100);
	else
		kprintf("  no TA1: Fi 372, D 1 (defaults)\n");
	if (a.protocols & 2)
		kprintf("  T=1: IFSC %u\n", a.ifsc);
	char hist[16 * 4 + 1];
	size_t h = 0;
	for (int i = 0; i < a.hist_len; i++) {
		u8 c = atr[a.hist_off + i];

		hist[h++] = c >= 0x20 && c < 0x7F ? (char)c : '.';
	}
	hist[h] = 0;
	kprintf("  historical bytes (%u): \"%s\"%s\n", a.hist_len, hist,
		a.tck_present ? "; TCK correct" : "");
}

static int
cmd_card_on(int argc, char **argv)
{
	int argi = 1, index = card_parse_index(argc, argv, &argi), want = -1;
	struct card_reader *r;
	u8 atr[MAX_ATR_SIZE];
	DWORD len = sizeof(atr);
	struct atr_info a;
	char what[48];

	if (argi < argc) {
		if (!strcmp(argv[argi], "t0") || !strcmp(argv[argi], "T=0"))
			want = 0;
		else if (!strcmp(argv[argi], "t1") || !strcmp(argv[argi], "T=1"))
			want = 1;
		else {
			kprintf("card on: '%s': want a reader number, then t0 or t1\n", argv[argi]);
			return -1;
		}
	}
	if (!(r = reader_ready(index)))
		return -1;
	u64 a1[] = { lun_of(index), IFD_POWER_UP, (u64)atr, (u64)&len };
	struct blob_buf b1[] = { { 2, BLOB_BUF_OUT, sizeof(atr) },
				 { 3, BLOB_BUF_IN | BLOB_BUF_OUT, sizeof(len) } };
	if (ifdh_ok(index, "IFDHPowerICC(IFD_POWER_UP)", drv.power, a1, 4, b1, 2) < 0)
		return -1;
	if (len > sizeof(atr)) {
		kprintf("card: reader %d: the driver returned an ATR of %lu bytes (at most 33)\n", index, len);
		return -1;
	}
	r->powered = true;
	r->atr_len = len;
	memcpy(r->atr, atr, len);
	print_atr(atr, len);
	atr_parse(atr, len, &a);
	if (want < 0)
		want = a.valid ? a.first_protocol : 0;	/* pcscd's choice for T=0|T=1: the default */
	if (want > 1 || (a.valid && !(a.protocols & (1u << want)))) {
		kprintf("card: reader %d: the card does not offer T=%d\n", index, want);
		return -1;
	}
	u64 a2[] = { lun_of(index), want ? SCARD_PROTOCOL_T1 : SCARD_PROTOCOL_T0, 0, 0, 0, 0 };
	snprintf(what, sizeof(what), "IFDHSetProtocolParameters(T=%d)", want);
	if (ifdh_ok(index, what, drv.set_protocol, a2, 6, NULL, 0) < 0)
		return -1;
	r->protocol = want;
	kprintf("protocol: T=%d\n", want);
	return 0;
}
DBGSH_COMMAND("card on", cmd_card_on, "[R] [t0|t1]: power the card up: ATR decoded, protocol negotiated");

int
card_parse_hex(const char *s, u8 *out, size_t cap, size_t *n)
{
	*n = 0;
	while (*s) {
		int hi, lo;

		if (*s == ' ' || *s == ':') {
			s++;
			continue;
		}
		hi = *s >= '0' && *s <= '9' ? *s - '0' : (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f' ? (*s | 0x20) - 'a' + 10 : -1;
		lo = !s[1] ? -1 : s[1] >= '0' && s[1] <= '9' ? s[1] - '0' :
		     (s[1] | 0x20) >= 'a' && (s[1] | 0x20) <= 'f' ? (s[1] | 0x20) - 'a' + 10 : -1;
		if (hi < 0 || lo < 0 || *n == cap)
			return -1;
		out[(*n)++] = (u8)(hi << 4 | lo);
		s += 2;
	}
	return *n ? 0 : -1;
}

/* IFDHTransmitToICC: eight words, the last two on the stack. */
static int
transmit(int index, struct card_reader *r, const u8 *tx, size_t n, u8 *rx, DWORD *rxlen,
	 RESPONSECODE *rc)
{
	SCARD_IO_HEADER recv = { 0, 0 };
	/* SendPci by value: two registers.  Its Protocol is the protocol's
	 * number (0 or 1), as pcscd passes it, not SCARD_PROTOCOL_Tx. */
	u64 a[] = { lun_of(index), (u64)r->protocol, sizeof(SCARD_IO_HEADER), (u64)tx, n,
		    (u64)rx, (u64)rxlen, (u64)&recv };
	struct blob_buf b[] = { { 3, BLOB_BUF_IN, n }, { 5, BLOB_BUF_OUT, *rxlen },
				{ 6, BLOB_BUF_IN | BLOB_BUF_OUT, sizeof(*rxlen) },
				{ 7, BLOB_BUF_IN | BLOB_BUF_OUT, sizeof(recv) } };

	return card_ifdh_call(&drv, drv.transmit, a, 8, b, 4, rc);
}

static int
cmd_card_apdu(int argc, char **argv)
{
	int argi = 1, index = card_parse_index(argc, argv, &argi);
	struct card_reader *r;
	u8 tx[CCID_APDU_MAX + 16], rx[258 + 16];
	char hexs[600] = "", why[96];
	size_t n = 0, q = 0;
	DWORD rxlen = sizeof(rx);
	RESPONSECODE rc;

	for (; argi < argc; argi++)	/* the APDU may be given in pieces: 00A4 0400 07 ... */
		q += (size_t)snprintf(hexs + q, sizeof(hexs) - MIN(q, sizeof(hexs)), "%s", argv[argi]);
	if (q >= sizeof(hexs) || card_parse_hex(hexs, tx, sizeof(tx), &n) < 0 || n < 4) {
		kprintf("card apdu: want [R] HEX: a command APDU of 4 to %d bytes in hex\n", (int)sizeof(tx));
		return -1;
	}
	if (!(r = reader_powered(index)))
		return -1;
	if (transmit(index, r, tx, n, rx, &rxlen, &rc) < 0)
		return -1;
	if (rc != IFD_SUCCESS) {
		kprintf("card: reader %d: IFDHTransmitToICC: %s (%ld)\n", index, card_ifd_error(rc), rc);
		return -1;
	}
	if (rxlen < 2 || rxlen > sizeof(rx)) {
		kprintf("card: reader %d: response of %lu bytes (want 2..%zu)\n", index, rxlen, sizeof(rx));
		return -1;
	}
	if (rxlen > 2)
		card_hex("data: ", rx, rxlen - 2);
	u16 sw = (u16)(rx[rxlen - 2] << 8 | rx[rxlen - 1]);
	kprintf("SW %04X: %s\n", sw, iso7816_sw_text(sw, why, sizeof(why)));
	return 0;
}
DBGSH_COMMAND("card apdu", cmd_card_apdu, "[R] HEX: send a command APDU; response data and SW1SW2 explained");

static int
cmd_card_status(int argc, char **argv)
{
	int argi = 1, index = card_parse_index(argc, argv, &argi);
	struct card_reader *r;
	int present;

	if (!(r = reader_ready(index)) || (present = ask_presence(index, r)) < 0)
		return -1;
	if (present && r->powered)
		kprintf("reader %d: card present, powered, T=%d\n", index, r->protocol);
	else
		kprintf("reader %d: card %s\n", index, present ? "present, not powered" : "absent");
	return 0;
}
DBGSH_COMMAND("card status", cmd_card_status, "[R]: card present or absent, powered or not");

static int
cmd_card_off(int argc, char **argv)
{
	int argi = 1, index = card_parse_index(argc, argv, &argi);
	struct card_reader *r;
	u8 atr[MAX_ATR_SIZE];
	DWORD len = sizeof(atr);

	if (!(r = reader_ready(index)))
		return -1;
	u64 a[] = { lun_of(index), IFD_POWER_DOWN, (u64)atr, (u64)&len };
	struct blob_buf b[] = { { 2, BLOB_BUF_OUT, sizeof(atr) },
				{ 3, BLOB_BUF_IN | BLOB_BUF_OUT, sizeof(len) } };
	if (ifdh_ok(index, "IFDHPowerICC(IFD_POWER_DOWN)", drv.power, a, 4, b, 2) < 0)
		return -1;
	r->powered = false;
	r->protocol = -1;
	kprintf("reader %d: card powered down\n", index);
	return 0;
}
DBGSH_COMMAND("card off", cmd_card_off, "[R]: power the card down");

/* For `make bench` (bench/ccid_rtt.sh): N exchanges of one APDU, timed one
 * by one; the figures come from the benchmark, never from a test. */
static int
cmd_card_bench(int argc, char **argv)
{
	int argi = 1, index = card_parse_index(argc, argv, &argi);
	struct card_reader *r;
	u8 tx[CCID_APDU_MAX], rx[258 + 16];
	size_t n;
	u64 count, best = ~0ull, total = 0;
	RESPONSECODE rc;

	if (argi + 2 != argc || !dbgsh_parse_u64(argv[argi], &count) || !count || count > 1000000 ||
	    card_parse_hex(argv[argi + 1], tx, sizeof(tx), &n) < 0 || n < 4) {
		kprintf("card bench: want [R] N HEX (N round trips of the APDU HEX)\n");
		return -1;
	}
	if (!(r = reader_powered(index)))
		return -1;
	for (u64 i = 0; i < count; i++) {
		DWORD rxlen = sizeof(rx);
		u64 t0 = plat_time_ns(), dt;

		if (transmit(index, r, tx, n, rx, &rxlen, &rc) < 0 || rc != IFD_SUCCESS) {
			kprintf("card bench: round trip %llu failed: %s\n", (unsigned long long)i,
				card_ifd_error(rc));
			return -1;
		}
		dt = plat_time_ns() - t0;
		total += dt;
		best = MIN(best, dt);
	}
	kprintf("card bench: %llu round trips, mean %llu ns, best %llu ns\n", (unsigned long long)count,
		(unsigned long long)(total / count), (unsigned long long)best);
	return 0;
}
DBGSH_COMMAND("card bench", cmd_card_bench, "[R] N HEX: time N exchanges of one APDU (for make bench)");
