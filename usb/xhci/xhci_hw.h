/* xHCI registers, TRBs and contexts (eXtensible Host Controller Interface
 * for USB, revision 1.2: chapters 5 and 6). */
#ifndef USB_XHCI_HW_H
#define USB_XHCI_HW_H

#include <core/types.h>

#define XHCI_PCI_CLASS	0x0c0330	/* serial bus, USB, xHCI */

/* Capability registers, from BAR0 */
#define CAP_LENGTH	0x00	/* u8; HCIVERSION is the u16 at 0x02 */
#define CAP_HCSPARAMS1	0x04
#define CAP_HCSPARAMS2	0x08
#define CAP_HCCPARAMS1	0x10
#define CAP_DBOFF	0x14
#define CAP_RTSOFF	0x18

#define HCS1_MAXSLOTS(v)	((v) & 0xff)
#define HCS1_MAXPORTS(v)	((v) >> 24)
#define HCS2_SCRATCHPADS(v)	(((v) >> 27 & 0x1f) | ((v) >> 21 & 0x1f) << 5)
#define HCC1_CSZ		(1u << 2)	/* 64-byte contexts */
#define HCC1_PPC		(1u << 3)	/* ports have power switches */
#define HCC1_XECP(v)		((v) >> 16)	/* first extended capability, in dwords */

/* Operational registers, from BAR0 + CAPLENGTH */
#define OP_USBCMD	0x00
#define OP_USBSTS	0x04
#define OP_PAGESIZE	0x08
#define OP_CRCR		0x18	/* 64 bits */
#define OP_DCBAAP	0x30	/* 64 bits */
#define OP_CONFIG	0x38
#define OP_PORTSC(n)	(0x400 + 0x10 * ((n) - 1))

#define CMD_RS		(1u << 0)
#define CMD_HCRST	(1u << 1)
#define STS_HCH		(1u << 0)	/* halted */
#define STS_HSE		(1u << 2)	/* host system error */
#define STS_CNR		(1u << 11)	/* controller not ready */
#define STS_HCE		(1u << 12)	/* host controller error */
#define CRCR_RCS	(1u << 0)

#define PORT_CCS	(1u << 0)	/* connected */
#define PORT_PED	(1u << 1)	/* enabled; writing 1 disables */
#define PORT_PR		(1u << 4)	/* reset */
#define PORT_PP		(1u << 9)	/* power */
#define PORT_SPEED(v)	((v) >> 10 & 0xf)
#define PORT_CSC	(1u << 17)	/* change bits: write 1 to clear */
#define PORT_PEC	(1u << 18)
#define PORT_WRC	(1u << 19)
#define PORT_OCC	(1u << 20)
#define PORT_PRC	(1u << 21)
#define PORT_PLC	(1u << 22)
#define PORT_CEC	(1u << 23)
#define PORT_WPR	(1u << 31)	/* warm reset (USB3) */
#define PORT_CHANGES	(PORT_CSC | PORT_PEC | PORT_WRC | PORT_OCC | PORT_PRC | PORT_PLC | PORT_CEC)
/* What to write back to leave the port as it is: power, indicator and
 * wake bits; never PED (it would disable) nor a change bit. */
#define PORT_KEEP	(PORT_PP | 3u << 14 | 7u << 25)

/* Speeds in PORTSC and the slot context (the default protocol speed IDs) */
#define SPEED_FULL	1
#define SPEED_LOW	2
#define SPEED_HIGH	3
#define SPEED_SUPER	4

/* Runtime registers, from BAR0 + RTSOFF: interrupter 0 */
#define RT_IMAN		0x20
#define RT_ERSTSZ	0x28
#define RT_ERSTBA	0x30	/* 64 bits */
#define RT_ERDP		0x38	/* 64 bits */
#define ERDP_EHB	(1u << 3)	/* event handler busy: write 1 to clear */

/* Extended capabilities */
#define XCAP_ID(v)	((v) & 0xff)
#define XCAP_NEXT(v)	((v) >> 8 & 0xff)	/* in dwords, 0 = last */
#define XCAP_LEGACY	1
#define XCAP_PROTOCOL	2
#define LEG_BIOS_OWNED	(1u << 16)
#define LEG_OS_OWNED	(1u << 24)
#define LEGCTL_SMI_EN	((1u << 0) | (1u << 4) | (7u << 13))
#define LEGCTL_SMI_STS	(7u << 29)	/* write 1 to clear */

/* A transfer request block */
struct xhci_trb {
	u64 param;
	u32 status;
	u32 control;
};
_Static_assert(sizeof(struct xhci_trb) == 16, "TRB size");

#define TRB_CYCLE	(1u << 0)
#define TRB_TC		(1u << 1)	/* link: toggle cycle */
#define TRB_ENT		(1u << 1)
#define TRB_ISP		(1u << 2)	/* interrupt on short packet */
#define TRB_CH		(1u << 4)	/* chain */
#define TRB_IOC		(1u << 5)
#define TRB_IDT		(1u << 6)	/* immediate data (setup stage) */
#define TRB_BSR		(1u << 9)	/* address device: block SET_ADDRESS */
#define TRB_DC		(1u << 9)	/* configure endpoint: deconfigure */
#define TRB_DIR_IN	(1u << 16)	/* data and status stages */
#define TRB_TRT(t)	((u32)(t) << 16)	/* setup stage: 0 no data, 2 OUT, 3 IN */
#define TRB_TYPE(t)	((u32)(t) << 10)
#define TRB_GET_TYPE(c)	((c) >> 10 & 0x3f)
#define TRB_EP(dci)	((u32)(dci) << 16)
#define TRB_SLOT(s)	((u32)(s) << 24)
#define TRB_GET_SLOT(c)	((c) >> 24)
#define TRB_GET_EP(c)	((c) >> 16 & 0x1f)
#define TRB_LEN(n)	((u32)(n) & 0x1ffff)
#define TRB_TDSIZE(n)	((u32)(n) << 17)
#define EVT_CODE(s)	((s) >> 24)
#define EVT_LEN(s)	((s) & 0xffffff)	/* bytes not transferred */

enum {
	TRB_NORMAL = 1, TRB_SETUP = 2, TRB_DATA = 3, TRB_STATUS = 4, TRB_LINK = 6,
	TRB_ENABLE_SLOT = 9, TRB_DISABLE_SLOT = 10, TRB_ADDRESS_DEVICE = 11,
	TRB_CONFIGURE_EP = 12, TRB_EVALUATE_CTX = 13, TRB_RESET_EP = 14,
	TRB_STOP_EP = 15, TRB_SET_TR_DEQ = 16,
	TRB_TRANSFER_EVENT = 32, TRB_COMMAND_EVENT = 33, TRB_PORT_EVENT = 34,
	TRB_HC_EVENT = 37,
};

/* Completion codes */
enum {
	CC_SUCCESS = 1, CC_DATA_BUFFER = 2, CC_BABBLE = 3, CC_TRANSACTION = 4, CC_TRB = 5,
	CC_STALL = 6, CC_SHORT_PACKET = 13, CC_CONTEXT_STATE = 19, CC_STOPPED = 26,
	CC_STOPPED_LENGTH_INVALID = 27, CC_STOPPED_SHORT = 28,
};

/* An event ring segment table entry */
struct xhci_erst {
	u64 base;
	u32 size;	/* TRBs */
	u32 rsvd;
};

/* Contexts: 32 or 64 bytes each (HCCPARAMS1.CSZ); only the first eight
 * dwords are defined.  Slot context dwords: */
#define SLOT0_SPEED(s)		((u32)(s) << 20)
#define SLOT0_ENTRIES(n)	((u32)(n) << 27)
#define SLOT1_PORT(p)		((u32)(p) << 16)
/* Endpoint context dwords: */
#define EP0_STATE(v)		((v) & 7)
#define EP0_INTERVAL(i)		((u32)(i) << 16)
#define EP0_ESIT_HI(n)		((u32)((n) >> 16) << 24)
#define EP1_CERR3		(3u << 1)
#define EP1_TYPE(t)		((u32)(t) << 3)
#define EP1_BURST(b)		((u32)(b) << 8)
#define EP1_MPS(m)		((u32)(m) << 16)
#define EP4_AVG(n)		((u32)(n))
#define EP4_ESIT_LO(n)		((u32)((n) & 0xffff) << 16)
enum { EP_STATE_DISABLED, EP_STATE_RUNNING, EP_STATE_HALTED, EP_STATE_STOPPED, EP_STATE_ERROR };
enum { EPT_ISO_OUT = 1, EPT_BULK_OUT, EPT_INT_OUT, EPT_CONTROL, EPT_ISO_IN, EPT_BULK_IN, EPT_INT_IN };

#endif
