/* `usb capture`: every URB, at submit and at completion, as a pcap record
 * in the Linux usbmon binary format (LINKTYPE_USB_LINUX_MMAPPED, 220: the
 * 64-byte header), the format Wireshark and tshark read as Linux's own. */
#include <core/errno.h>
#include <core/platform.h>
#include <core/string.h>
#include <core/time.h>
#include <usb/core.h>

#define LINKTYPE_USB_LINUX_MMAPPED 220
#define SNAPLEN 65535

struct pcap_file_header {
	u32 magic;
	u16 version_major, version_minor;
	s32 thiszone;
	u32 sigfigs, snaplen, network;
};

struct pcap_record {
	u32 ts_sec, ts_usec, incl_len, orig_len;
};

struct usbmon_packet {
	u64 id;
	u8 type;		/* 'S' submit, 'C' complete, 'E' error */
	u8 xfer_type;		/* 0 iso, 1 interrupt, 2 control, 3 bulk */
	u8 epnum;		/* with 0x80 for IN */
	u8 devnum;
	u16 busnum;
	char flag_setup;	/* 0: setup[] is valid */
	char flag_data;		/* 0: data follows */
	s64 ts_sec;
	s32 ts_usec;
	s32 status;
	u32 length;		/* of the URB */
	u32 len_cap;		/* bytes that follow */
	u8 setup[8];
	s32 interval;
	s32 start_frame;
	u32 xfer_flags;
	u32 ndesc;
};
_Static_assert(sizeof(struct usbmon_packet) == 64, "usbmon mmapped header is 64 bytes");

static int fd = -1;
static u64 wall0_ns, mono0_ns;
static u64 records;

bool
usb_capture_active(void)
{
	return fd >= 0;
}

int
usb_capture_start(const char *path)
{
	struct pcap_file_header h = { 0xa1b2c3d4, 2, 4, 0, 0, SNAPLEN, LINKTYPE_USB_LINUX_MMAPPED };
	int f, err;

	if (fd >= 0)
		return -EBUSY;
	f = plat_file_create(path);
	if (f < 0)
		return f;
	err = plat_file_write(f, &h, sizeof(h));
	if (err < 0) {
		plat_file_close(f);
		return err;
	}
	fd = f;
	records = 0;
	mono0_ns = time_now_ns();
	wall0_ns = time_wall_seconds() * NSEC_PER_SEC;
	return 0;
}

int
usb_capture_stop(void)
{
	if (fd < 0)
		return -EINVAL;
	plat_file_close(fd);
	fd = -1;
	return (int)records;
}

void
usb_capture_urb(const struct urb *urb, char event)
{
	struct {
		struct pcap_record r;
		struct usbmon_packet p;
	} __attribute__((packed)) rec;
	bool in = urb->ep & USB_ENDPOINT_IN;
	u64 t = wall0_ns + (time_now_ns() - mono0_ns);
	const u8 *data = urb->buf;
	u32 dlen = 0;

	if (fd < 0)
		return;
	memset(&rec, 0, sizeof(rec));
	rec.p.id = urb->id;
	rec.p.type = event;
	rec.p.xfer_type = urb->type;
	rec.p.epnum = urb->ep;
	rec.p.devnum = urb->dev->addr;
	rec.p.busnum = urb->dev->hc ? urb->dev->hc->busnum : 0;
	rec.p.ts_sec = t / NSEC_PER_SEC;
	rec.p.ts_usec = t % NSEC_PER_SEC / 1000;
	rec.p.flag_setup = '-';
	if (event == 'S') {
		rec.p.status = -115;	/* -EINPROGRESS, as usbmon shows a submission */
		rec.p.length = urb->len;
		if (urb->type == URB_CONTROL) {
			rec.p.flag_setup = 0;
			memcpy(rec.p.setup, &urb->setup, 8);
			rec.p.length = urb->setup.wLength;
		}
		if (in || !rec.p.length) {
			rec.p.flag_data = '<';
		} else {
			dlen = rec.p.length;
		}
	} else {
		rec.p.status = urb->status;
		rec.p.length = urb->actual;
		if (in && urb->actual)
			dlen = urb->actual;
		else
			rec.p.flag_data = in ? '<' : '>';
	}
	dlen = MIN(dlen, (u32)(SNAPLEN - sizeof(rec.p)));
	rec.p.len_cap = dlen;
	rec.r.ts_sec = (u32)rec.p.ts_sec;
	rec.r.ts_usec = (u32)rec.p.ts_usec;
	rec.r.incl_len = rec.r.orig_len = sizeof(rec.p) + dlen;
	if (plat_file_write(fd, &rec, sizeof(rec)) < 0 ||
	    (dlen && plat_file_write(fd, data, dlen) < 0)) {
		plat_file_close(fd);	/* a broken capture stops; transfers go on */
		fd = -1;
		return;
	}
	records++;
}
