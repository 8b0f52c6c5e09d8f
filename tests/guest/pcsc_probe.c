/* pcsc_probe: the guest half of the PC/SC differential (tests/e2e/qemu_pcsc.sh).
 * Linked against Debian's real libpcsclite, it talks to Debian's pcscd, which
 * drives the reader through Debian's libccid, and prints what blobvisor's
 * `card on' / `card apdu' print for the same exchanges, in the same form:
 *   ATR: 3B 97 ...        protocol: T=0
 *   data: XX ... (64 bytes a line, continued with two spaces)
 *   SW XXXX
 * Usage: pcsc_probe t0|t1|any [-w SECONDS] [-f] APDU_HEX...
 * It waits up to SECONDS (default 30) for a reader with a card, connects
 * exclusively with the protocol asked for and sends each APDU as it is
 * (no automatic GET RESPONSE: pcsc-lite does none, nor does `card apdu').
 * -f first asks the reader's features through SCardControl, as `card
 * features' does: "features: HEX", then "tlv properties: HEX" and "pin
 * properties: HEX" for the property features the list names.
 * With -b N instead of APDUs it times N round trips of the first APDU
 * (for bench/pcsc_guest.sh): "pcsc bench: N round trips, mean X ns, best Y ns". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <winscard.h>
#include <reader.h>

static void
hexline(const char *label, const unsigned char *p, unsigned long n)
{
	for (unsigned long off = 0; off < n; off += 64) {
		printf("%s", off ? "  " : label);
		for (unsigned long i = off; i < n && i < off + 64; i++)
			printf("%s%02X", i > off ? " " : "", p[i]);
		printf("\n");
	}
}

static int
parse_hex(const char *s, unsigned char *out, size_t cap, size_t *n)
{
	*n = 0;
	for (; *s; s += 2) {
		unsigned v;

		if (!s[1] || sscanf(s, "%2x", &v) != 1 || *n == cap)
			return -1;
		out[(*n)++] = (unsigned char)v;
	}
	return *n >= 4 ? 0 : -1;
}

static unsigned long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	SCARDCONTEXT ctx;
	SCARDHANDLE card;
	DWORD proto_want, proto, len;
	char readers[1024];
	int argi = 2, wait_s = 30, features = 0;
	unsigned long bench = 0;
	LONG rc;

	if (argc < 2 || (strcmp(argv[1], "t0") && strcmp(argv[1], "t1") && strcmp(argv[1], "any"))) {
		fprintf(stderr, "usage: pcsc_probe t0|t1|any [-w SECONDS] [-b N] APDU_HEX...\n");
		return 2;
	}
	proto_want = !strcmp(argv[1], "t0") ? SCARD_PROTOCOL_T0 :
		     !strcmp(argv[1], "t1") ? SCARD_PROTOCOL_T1 : SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1;
	for (; argi + 1 < argc && argv[argi][0] == '-'; argi += 2) {
		if (!strcmp(argv[argi], "-f")) {
			features = 1;
			argi--;
		} else if (!strcmp(argv[argi], "-w"))
			wait_s = atoi(argv[argi + 1]);
		else if (!strcmp(argv[argi], "-b"))
			bench = strtoul(argv[argi + 1], NULL, 0);
	}
	rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	if (rc != SCARD_S_SUCCESS) {
		printf("pcsc_probe: SCardEstablishContext: %s\n", pcsc_stringify_error(rc));
		return 1;
	}
	/* pcscd finds the reader by its own hot-plug scan: wait for it and for the card */
	for (int tries = 0;; tries++) {
		SCARD_READERSTATE st;

		len = sizeof(readers);
		rc = SCardListReaders(ctx, NULL, readers, &len);
		if (rc == SCARD_S_SUCCESS) {
			memset(&st, 0, sizeof(st));
			st.szReader = readers;
			st.dwCurrentState = SCARD_STATE_UNAWARE;
			if (SCardGetStatusChange(ctx, 0, &st, 1) == SCARD_S_SUCCESS &&
			    (st.dwEventState & SCARD_STATE_PRESENT))
				break;
		}
		if (tries >= wait_s * 10) {
			printf("pcsc_probe: no reader with a card after %d s (%s)\n", wait_s,
			       rc == SCARD_S_SUCCESS ? "a reader, no card" : pcsc_stringify_error(rc));
			return 1;
		}
		usleep(100000);
	}
	printf("reader: %s\n", readers);
	rc = SCardConnect(ctx, readers, SCARD_SHARE_EXCLUSIVE, proto_want, &card, &proto);
	if (rc != SCARD_S_SUCCESS) {
		printf("pcsc_probe: SCardConnect: %s\n", pcsc_stringify_error(rc));
		return 1;
	}
	{
		unsigned char atr[MAX_ATR_SIZE];
		char name[256];
		DWORD nlen = sizeof(name), state, alen = sizeof(atr);

		rc = SCardStatus(card, name, &nlen, &state, &proto, atr, &alen);
		if (rc != SCARD_S_SUCCESS) {
			printf("pcsc_probe: SCardStatus: %s\n", pcsc_stringify_error(rc));
			return 1;
		}
		hexline("ATR: ", atr, alen);
		printf("protocol: T=%d\n", proto == SCARD_PROTOCOL_T1 ? 1 : 0);
	}
	if (features) {
		unsigned char f[512], p[512];
		DWORD flen, plen;

		rc = SCardControl(card, CM_IOCTL_GET_FEATURE_REQUEST, NULL, 0, f, sizeof(f), &flen);
		if (rc != SCARD_S_SUCCESS) {
			printf("pcsc_probe: SCardControl(GET_FEATURE_REQUEST): %s\n", pcsc_stringify_error(rc));
			return 1;
		}
		hexline("features: ", f, flen);
		for (DWORD i = 0; i + 6 <= flen; i += 6) {
			DWORD code = (DWORD)f[i + 2] << 24 | f[i + 3] << 16 | f[i + 4] << 8 | f[i + 5];
			const char *label = f[i] == FEATURE_GET_TLV_PROPERTIES ? "tlv properties: " :
					    f[i] == FEATURE_IFD_PIN_PROPERTIES ? "pin properties: " : NULL;

			if (!label)
				continue;
			rc = SCardControl(card, code, NULL, 0, p, sizeof(p), &plen);
			if (rc != SCARD_S_SUCCESS) {
				printf("pcsc_probe: SCardControl(%#lx): %s\n", (unsigned long)code, pcsc_stringify_error(rc));
				return 1;
			}
			hexline(label, p, plen);
		}
	}
	for (; argi < argc; argi++) {
		unsigned char tx[300], rx[300];
		size_t n;
		DWORD rlen = sizeof(rx);
		const SCARD_IO_REQUEST *pci = proto == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;

		if (parse_hex(argv[argi], tx, sizeof(tx), &n) < 0) {
			printf("pcsc_probe: '%s': not an APDU in hex\n", argv[argi]);
			return 2;
		}
		if (bench) {
			unsigned long long best = ~0ull, total = 0;

			for (unsigned long i = 0; i < bench; i++) {
				unsigned long long t0 = now_ns(), dt;

				rlen = sizeof(rx);
				rc = SCardTransmit(card, pci, tx, n, NULL, rx, &rlen);
				if (rc != SCARD_S_SUCCESS) {
					printf("pcsc bench: round trip %lu failed: %s\n", i, pcsc_stringify_error(rc));
					return 1;
				}
				dt = now_ns() - t0;
				total += dt;
				best = dt < best ? dt : best;
			}
			printf("pcsc bench: %lu round trips, mean %llu ns, best %llu ns\n", bench,
			       total / bench, best);
			break;
		}
		rc = SCardTransmit(card, pci, tx, n, NULL, rx, &rlen);
		if (rc != SCARD_S_SUCCESS) {
			printf("pcsc_probe: SCardTransmit(%s): %s\n", argv[argi], pcsc_stringify_error(rc));
			return 1;
		}
		if (rlen < 2) {
			printf("pcsc_probe: SCardTransmit(%s): %lu bytes\n", argv[argi], (unsigned long)rlen);
			return 1;
		}
		if (rlen > 2)
			hexline("data: ", rx, rlen - 2);
		printf("SW %02X%02X\n", rx[rlen - 2], rx[rlen - 1]);
	}
	SCardDisconnect(card, SCARD_UNPOWER_CARD);
	SCardReleaseContext(ctx);
	return 0;
}
