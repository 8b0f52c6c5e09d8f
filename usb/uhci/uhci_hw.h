/* UHCI registers and schedule structures (Intel's Universal Host Controller
 * Interface design guide, revision 1.1). */
#ifndef USB_UHCI_HW_H
#define USB_UHCI_HW_H

#include <core/types.h>

/* I/O registers, from the base in PCI BAR 4 */
#define UHCI_CMD	0x00
#define UHCI_STS	0x02
#define UHCI_INTR	0x04
#define UHCI_FRNUM	0x06
#define UHCI_FLBASE	0x08
#define UHCI_SOF	0x0c
#define UHCI_PORTSC(n)	(0x10 + 2 * ((n) - 1))	/* ports 1 and 2 */
#define UHCI_NPORTS	2

#define CMD_RS		0x0001	/* run */
#define CMD_HCRESET	0x0002
#define CMD_GRESET	0x0004
#define CMD_CF		0x0040	/* configured */
#define CMD_MAXP	0x0080	/* 64-byte packets for bandwidth reclamation */

#define STS_INT		0x0001
#define STS_ERRINT	0x0002
#define STS_HSE		0x0008	/* host system error */
#define STS_HCPE	0x0010	/* schedule process error */
#define STS_HALTED	0x0020

#define PORT_CCS	0x0001	/* device connected */
#define PORT_CSC	0x0002	/* connect change (write 1 to clear) */
#define PORT_PE		0x0004	/* enabled */
#define PORT_PEC	0x0008	/* enable change (write 1 to clear) */
#define PORT_LSDA	0x0100	/* low-speed device */
#define PORT_PR		0x0200	/* reset */
#define PORT_WC		(PORT_CSC | PORT_PEC)

/* PCI configuration */
#define UHCI_PCI_CLASS	0x0c0300	/* serial bus, USB, UHCI */
#define UHCI_PCI_BAR4	0x20
#define UHCI_PCI_LEGSUP	0xc0
#define LEGSUP_OFF	0x8f00		/* no SMI, no keyboard emulation; clear status */

/* Link pointers */
#define LP_TERMINATE	0x1
#define LP_QH		0x2
#define LP_DEPTH	0x4	/* TDs: depth first (the whole transfer in one frame) */

/* TD control/status */
#define TD_ACTLEN(s)	(((s) + 1) & 0x7ff)	/* n-1 encoding, 0x7ff = 0 */
#define TD_BITSTUFF	(1u << 17)
#define TD_CRCTIMEOUT	(1u << 18)
#define TD_NAK		(1u << 19)
#define TD_BABBLE	(1u << 20)
#define TD_DBUFERR	(1u << 21)
#define TD_STALLED	(1u << 22)
#define TD_ACTIVE	(1u << 23)
#define TD_IOC		(1u << 24)
#define TD_LS		(1u << 26)
#define TD_CERR3	(3u << 27)
#define TD_SPD		(1u << 29)	/* short packet detect */
#define TD_ERRORS	(TD_BITSTUFF | TD_CRCTIMEOUT | TD_BABBLE | TD_DBUFERR | TD_STALLED)

/* TD token */
#define PID_SETUP	0x2d
#define PID_IN		0x69
#define PID_OUT		0xe1
#define TOKEN(pid, addr, ep, toggle, len) \
	((u32)(pid) | (u32)(addr) << 8 | (u32)(ep) << 15 | (u32)(toggle) << 19 | \
	 (u32)(((len) - 1) & 0x7ff) << 21)

/* A transfer descriptor: four hardware words, then the driver's. */
struct uhci_td {
	volatile u32 link, status, token, buffer;
	struct uhci_td *next;	/* the transfer's next TD */
	u32 len;		/* bytes this TD was given */
	u8 data;		/* a data-stage TD (counts toward actual) */
	u8 pad[3];
} __attribute__((aligned(16)));

/* A queue head: the horizontal and vertical (element) links. */
struct uhci_qh {
	volatile u32 head, element;
	u32 pad[2];
} __attribute__((aligned(16)));

_Static_assert(sizeof(struct uhci_td) == 32, "TD size");

#endif
