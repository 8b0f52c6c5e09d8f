/* A PC/SC client for the Linux test guest, linked with Debian's
 * libpcsclite: it talks to pcscd (which drives the reader through Debian's
 * libccid), as opensc or any smart-card application would.
 *
 *   pcsc_probe [N [APDU-HEX...]]
 *
 * Waits up to 20 s for a reader with a card, prints the reader's name,
 * the ATR and the protocol, then SELECTs the CAC applet
 * (00 A4 04 00 07 A0 00 00 00 79 01 00: ccid-card-emulated's card answers
 * 61 xx) and fetches the answer with GET RESPONSE (T=0), then repeats that
 * pair N times (default 20), asks for the card's status after each pair and
 * prints how many pairs succeeded and their mean time.  Then each APDU
 * given in hex, its answer printed in full (a 61 xx answer fetched with
 * GET RESPONSE first, as opensc does under T=0).  Every failing call
 * is one line naming the call and pcsc-lite's text for the error; exit
 * status 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <winscard.h>

static SCARDCONTEXT ctx;

static void
print_hex(const char *label, const BYTE *p, DWORD n)
{
	printf("%s", label);
	for (DWORD i = 0; i < n; i++)
		printf(" %02X", p[i]);
	printf("\n");
}

static int
failed(const char *call, LONG rv)
{
	printf("pcsc: %s: %s (0x%08lX)\n", call, pcsc_stringify_error(rv), (unsigned long)rv);
	return 1;
}

static double
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* The first reader, once it holds a card; 0 or 1 (printed). */
static int
wait_card(char *reader, size_t cap)
{
	SCARD_READERSTATE rs;
	char list[1024];
	DWORD len;
	LONG rv;

	for (int i = 0; i < 200; i++) {
		len = sizeof(list);
		rv = SCardListReaders(ctx, NULL, list, &len);
		if (rv == SCARD_S_SUCCESS)
			break;
		if (rv != SCARD_E_NO_READERS_AVAILABLE)
			return failed("SCardListReaders", rv);
		struct timespec ts = { 0, 100000000 };
		nanosleep(&ts, NULL);
	}
	if (rv != SCARD_S_SUCCESS)
		return failed("SCardListReaders (20 s)", rv);
	snprintf(reader, cap, "%s", list);
	printf("pcsc: reader \"%s\"\n", reader);
	memset(&rs, 0, sizeof(rs));
	rs.szReader = reader;
	rs.dwCurrentState = SCARD_STATE_UNAWARE;
	for (int i = 0; i < 20; i++) {
		rv = SCardGetStatusChange(ctx, 1000, &rs, 1);
		if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT)
			return failed("SCardGetStatusChange", rv);
		if (rs.dwEventState & SCARD_STATE_PRESENT)
			break;
		rs.dwCurrentState = rs.dwEventState;
	}
	printf("pcsc: card %s\n", rs.dwEventState & SCARD_STATE_PRESENT ? "present" : "absent");
	return rs.dwEventState & SCARD_STATE_PRESENT ? 0 : 1;
}

/* SELECT the CAC applet, GET RESPONSE if the card says 61 xx; 0 when the
 * final status word is 90 00.  verbose: print each answer. */
static int
select_cac(SCARDHANDLE card, DWORD proto, int verbose)
{
	static const BYTE sel[] = { 0x00, 0xA4, 0x04, 0x00, 0x07, 0xA0, 0x00, 0x00, 0x00, 0x79, 0x01, 0x00 };
	BYTE get[5] = { 0x00, 0xC0, 0x00, 0x00, 0x00 }, r[258];
	const SCARD_IO_REQUEST *pci = proto == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
	DWORD n = sizeof(r);
	LONG rv;

	rv = SCardTransmit(card, pci, sel, sizeof(sel), NULL, r, &n);
	if (rv != SCARD_S_SUCCESS)
		return failed("SCardTransmit(SELECT)", rv);
	if (verbose)
		print_hex("pcsc: SELECT ->", r, n);
	if (n == 2 && r[0] == 0x61) {
		get[4] = r[1];
		n = sizeof(r);
		rv = SCardTransmit(card, pci, get, sizeof(get), NULL, r, &n);
		if (rv != SCARD_S_SUCCESS)
			return failed("SCardTransmit(GET RESPONSE)", rv);
		if (verbose)
			printf("pcsc: GET RESPONSE -> %lu bytes, SW %02X %02X\n", (unsigned long)n,
			       n >= 2 ? r[n - 2] : 0, n >= 2 ? r[n - 1] : 0);
	}
	return n >= 2 && r[n - 2] == 0x90 && r[n - 1] == 0x00 ? 0 : 1;
}

static int
parse_hex(const char *s, BYTE *out, DWORD cap, DWORD *n)
{
	unsigned v;

	for (*n = 0; s[0] && s[1]; s += 2) {
		if (*n == cap || sscanf(s, "%2x", &v) != 1)
			return -1;
		out[(*n)++] = (BYTE)v;
	}
	return *s ? -1 : 0;
}

/* One APDU from the command line: the whole answer, and GET RESPONSE
 * while the card says 61 xx.  0, or 1 when a call failed (printed). */
static int
apdu(SCARDHANDLE card, DWORD proto, const char *hex)
{
	const SCARD_IO_REQUEST *pci = proto == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
	BYTE c[261], r[258];
	DWORD cn, n;
	LONG rv;

	if (parse_hex(hex, c, sizeof(c), &cn) || cn < 4) {
		fprintf(stderr, "pcsc_probe: '%s': not an APDU in hex (4 to 261 bytes)\n", hex);
		return 1;
	}
	for (;;) {
		n = sizeof(r);
		rv = SCardTransmit(card, pci, c, cn, NULL, r, &n);
		if (rv != SCARD_S_SUCCESS)
			return failed("SCardTransmit", rv);
		printf("pcsc: %s -> %lu bytes:", hex, (unsigned long)n);
		print_hex("", r, n);
		if (n != 2 || r[0] != 0x61)
			return 0;
		hex = "GET RESPONSE";
		memcpy(c, (BYTE[]){ 0x00, 0xC0, 0x00, 0x00, r[1] }, 5);
		cn = 5;
	}
}

int
main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20, ok = 0;
	char reader[1024], name[1024];
	SCARDHANDLE card;
	DWORD proto, nlen, state, alen;
	BYTE atr[MAX_ATR_SIZE];
	double t0, sum = 0;
	LONG rv;

	if (rounds < 0) {
		fprintf(stderr, "pcsc_probe: N must be a count, not '%s'\n", argv[1]);
		return 2;
	}
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	if (rv != SCARD_S_SUCCESS)
		return failed("SCardEstablishContext", rv);
	if (wait_card(reader, sizeof(reader)))
		return 1;
	rv = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &proto);
	if (rv != SCARD_S_SUCCESS)
		return failed("SCardConnect", rv);
	nlen = sizeof(name);
	alen = sizeof(atr);
	rv = SCardStatus(card, name, &nlen, &state, &proto, atr, &alen);
	if (rv != SCARD_S_SUCCESS)
		return failed("SCardStatus", rv);
	printf("pcsc: protocol T=%d\n", proto == SCARD_PROTOCOL_T1 ? 1 : 0);
	print_hex("pcsc: ATR", atr, alen);
	if (select_cac(card, proto, 1))
		return 1;
	for (int i = 0; i < rounds; i++) {
		t0 = now_us();
		if (select_cac(card, proto, 0))
			break;
		sum += now_us() - t0;
		nlen = sizeof(name);
		alen = sizeof(atr);
		rv = SCardStatus(card, name, &nlen, &state, &proto, atr, &alen);
		if (rv != SCARD_S_SUCCESS) {
			failed("SCardStatus", rv);
			break;
		}
		ok++;
	}
	printf("pcsc: %d of %d SELECT + GET RESPONSE pairs answered 90 00", ok, rounds);
	if (ok)
		printf(", %.0f us each", sum / ok);
	printf("\n");
	for (int i = 2; i < argc; i++)
		if (apdu(card, proto, argv[i]))
			return 1;
	SCardDisconnect(card, SCARD_LEAVE_CARD);
	SCardReleaseContext(ctx);
	return ok == rounds ? 0 : 1;
}
