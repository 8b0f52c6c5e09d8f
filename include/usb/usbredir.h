/* What blobvisor needs of libusbredirparser's ABI (usbredir 0.7+, Debian's
 * libusbredirparser.so.1), declared here for the freestanding core: the
 * public parser struct (callbacks in the library's order) and the packet
 * headers it passes.  tests/abi/usbredir_abi.c checks every offset against
 * Debian's usbredirparser.h. */
#ifndef USB_USBREDIR_H
#define USB_USBREDIR_H

#include <core/types.h>

enum {
	REDIR_SUCCESS, REDIR_CANCELLED, REDIR_INVAL, REDIR_IOERROR, REDIR_STALL,
	REDIR_TIMEOUT, REDIR_BABBLE,
};
enum { REDIR_SPEED_LOW, REDIR_SPEED_FULL, REDIR_SPEED_HIGH, REDIR_SPEED_SUPER };
enum {
	REDIR_CAP_BULK_STREAMS, REDIR_CAP_CONNECT_DEVICE_VERSION, REDIR_CAP_FILTER,
	REDIR_CAP_DEVICE_DISCONNECT_ACK, REDIR_CAP_EP_INFO_MAX_PACKET_SIZE,
	REDIR_CAP_64BITS_IDS, REDIR_CAP_32BITS_BULK_LENGTH, REDIR_CAP_BULK_RECEIVING,
};
enum { REDIR_LOG_NONE, REDIR_LOG_ERROR, REDIR_LOG_WARNING, REDIR_LOG_INFO };
enum { REDIR_FL_USB_HOST = 1 };

struct redir_device_connect {
	u8 speed, device_class, device_subclass, device_protocol;
	u16 vendor_id, product_id, device_version_bcd;
} __attribute__((packed));

struct redir_ep_info {
	u8 type[32];
	u8 interval[32];
	u8 interface[32];
	u16 max_packet_size[32];
	u32 max_streams[32];
} __attribute__((packed));

struct redir_set_configuration { u8 configuration; } __attribute__((packed));
struct redir_configuration_status { u8 status, configuration; } __attribute__((packed));
struct redir_set_alt_setting { u8 interface, alt; } __attribute__((packed));
struct redir_alt_setting_status { u8 status, interface, alt; } __attribute__((packed));
struct redir_start_interrupt_receiving { u8 endpoint; } __attribute__((packed));
struct redir_interrupt_receiving_status { u8 status, endpoint; } __attribute__((packed));

struct redir_control_packet {
	u8 endpoint, request, requesttype, status;
	u16 value, index, length;
} __attribute__((packed));

struct redir_bulk_packet {
	u8 endpoint, status;
	u16 length;
	u32 stream_id;
	u16 length_high;
} __attribute__((packed));

struct redir_interrupt_packet {
	u8 endpoint, status;
	u16 length;
} __attribute__((packed));

typedef void (*redir_cb)(void);

/* The library allocates it (usbredirparser_create) with private state
 * behind; the application fills in priv and the callbacks. */
struct redir_parser {
	void *priv;
	void (*log_func)(void *priv, int level, const char *msg);
	int (*read_func)(void *priv, u8 *data, int count);
	int (*write_func)(void *priv, u8 *data, int count);
	void (*device_connect_func)(void *priv, struct redir_device_connect *h);
	void (*device_disconnect_func)(void *priv);
	redir_cb reset_func, interface_info_func;
	void (*ep_info_func)(void *priv, struct redir_ep_info *h);
	redir_cb set_configuration_func, get_configuration_func;
	void (*configuration_status_func)(void *priv, u64 id, struct redir_configuration_status *h);
	redir_cb set_alt_setting_func, get_alt_setting_func;
	void (*alt_setting_status_func)(void *priv, u64 id, struct redir_alt_setting_status *h);
	redir_cb start_iso_stream_func, stop_iso_stream_func, iso_stream_status_func;
	redir_cb start_interrupt_receiving_func, stop_interrupt_receiving_func;
	void (*interrupt_receiving_status_func)(void *priv, u64 id,
						struct redir_interrupt_receiving_status *h);
	redir_cb alloc_bulk_streams_func, free_bulk_streams_func, bulk_streams_status_func;
	redir_cb cancel_data_packet_func;
	void (*control_packet_func)(void *priv, u64 id, struct redir_control_packet *h,
				    u8 *data, int len);
	void (*bulk_packet_func)(void *priv, u64 id, struct redir_bulk_packet *h, u8 *data, int len);
	redir_cb iso_packet_func;
	void (*interrupt_packet_func)(void *priv, u64 id, struct redir_interrupt_packet *h,
				      u8 *data, int len);
	redir_cb alloc_lock_func, lock_func, unlock_func, free_lock_func;
	void (*hello_func)(void *priv, void *hello);
	redir_cb filter_reject_func, filter_filter_func, device_disconnect_ack_func;
	redir_cb start_bulk_receiving_func, stop_bulk_receiving_func, bulk_receiving_status_func;
	redir_cb buffered_bulk_packet_func;
};

#endif
