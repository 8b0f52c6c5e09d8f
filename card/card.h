/* Private to card/: the VMM as pcscd, driving an IFD handler blob (Debian's
 * libccid.so) over the readers found on the USB core. */
#ifndef CARD_CARD_H
#define CARD_CARD_H

#include <core/types.h>
#include <card/ifdh.h>
#include <loader/blob.h>

#define CARD_PLIST	"/usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Info.plist"
#define CARD_READERS	8

struct usb_dev;
struct blob;

struct card_reader {
	bool present;		/* seen on the USB core at the last scan */
	u64 serial;		/* the USB core's device serial: identity across scans */
	int bus, addr;
	u16 vid, pid;
	int slots;		/* bMaxSlotIndex + 1 of the CCID class descriptor */
	char name[96];		/* Info.plist's friendly name, else the product string */
	bool channel;		/* IFDHCreateChannelByName succeeded */
	struct blob *driver;	/* ... with this blob */
	bool powered;
	int protocol;		/* 0 or 1 once negotiated, -1 before */
	u8 atr[MAX_ATR_SIZE];
	size_t atr_len;
};

/* Rescan the USB core; readers keep their index while present. */
void card_scan(void);
struct card_reader *card_reader(int index);

/* The driver: the loaded blob exporting the IFD handler functions. */
struct card_driver {
	struct blob *blob;
	u64 create_by_name, get_capabilities, set_protocol, power, transmit,
	    presence, control, close;
};
/* 0, or -1 after one line saying what is missing. */
int card_driver_find(struct card_driver *d);
/* Call an IFDH function; -1 (with a line) if the blob faulted. */
/* An IFDH* call; bufs name its pointer arguments (a handler in a
 * protection domain gets copies on its stack: struct blob_buf). */
int card_ifdh_call(struct card_driver *d, u64 fn, const u64 *args, int nargs,
		   const struct blob_buf *bufs, unsigned nbufs, RESPONSECODE *rc);
const char *card_ifd_error(RESPONSECODE rc);

/* Info.plist (the blob file namespace): friendly name for VID:PID, or
 * NULL; supplies the file from the host's copy if the namespace lacks it. */
const char *card_plist_name(u16 vid, u16 pid, char *buf, size_t size);
int card_plist_ensure(void);

int card_log_level(void);
/* `card log''s level into the handlers running in protection domains. */
void card_log_push(void);

/* cmd_card.c, for the other commands: IFDHControl on reader `index' (its
 * channel opened first): 0 with *rxlen, or -1 after one line. */
int card_control(int index, u64 code, const u8 *tx, size_t txlen, u8 *rx, size_t rxcap, size_t *rxlen);
/* "LABEL XX XX ...", 64 bytes a line, continued with two spaces */
void card_hex(const char *label, const u8 *p, size_t n);
/* An optional reader number at argv[*argi] (advanced past it), else 0. */
int card_parse_index(int argc, char **argv, int *argi);
/* Hex digits (spaces and colons ignored) into out: 0, or -1 if malformed. */
int card_parse_hex(const char *s, u8 *out, size_t cap, size_t *n);

#endif
