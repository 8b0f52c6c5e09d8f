/* include/usb/usbredir.h against Debian's usbredirparser.h: every field
 * the core uses sits where the library expects it.  Compile-time only. */
#include <stddef.h>
#include <usbredirparser.h>
#include <usb/usbredir.h>

#define SAME(ours, theirs, of, tf) \
	_Static_assert(offsetof(struct ours, of) == offsetof(struct theirs, tf), #ours "." #of); \
	_Static_assert(sizeof(((struct ours *)0)->of) == sizeof(((struct theirs *)0)->tf), #ours "." #of " size")
#define CB(f) SAME(redir_parser, usbredirparser, f, f)

CB(priv); CB(log_func); CB(read_func); CB(write_func); CB(device_connect_func);
CB(device_disconnect_func); CB(reset_func); CB(interface_info_func); CB(ep_info_func);
CB(set_configuration_func); CB(get_configuration_func); CB(configuration_status_func);
CB(set_alt_setting_func); CB(get_alt_setting_func); CB(alt_setting_status_func);
CB(start_iso_stream_func); CB(stop_iso_stream_func); CB(iso_stream_status_func);
CB(start_interrupt_receiving_func); CB(stop_interrupt_receiving_func);
CB(interrupt_receiving_status_func); CB(alloc_bulk_streams_func); CB(free_bulk_streams_func);
CB(bulk_streams_status_func); CB(cancel_data_packet_func); CB(control_packet_func);
CB(bulk_packet_func); CB(iso_packet_func); CB(interrupt_packet_func); CB(alloc_lock_func);
CB(lock_func); CB(unlock_func); CB(free_lock_func); CB(hello_func); CB(filter_reject_func);
CB(filter_filter_func); CB(device_disconnect_ack_func); CB(start_bulk_receiving_func);
CB(stop_bulk_receiving_func); CB(bulk_receiving_status_func); CB(buffered_bulk_packet_func);
_Static_assert(sizeof(struct redir_parser) == sizeof(struct usbredirparser), "parser size");

#define H(ours, theirs) _Static_assert(sizeof(struct ours) == sizeof(struct theirs), #ours)
H(redir_device_connect, usb_redir_device_connect_header);
SAME(redir_device_connect, usb_redir_device_connect_header, vendor_id, vendor_id);
SAME(redir_device_connect, usb_redir_device_connect_header, device_version_bcd, device_version_bcd);
H(redir_ep_info, usb_redir_ep_info_header);
SAME(redir_ep_info, usb_redir_ep_info_header, max_packet_size, max_packet_size);
SAME(redir_ep_info, usb_redir_ep_info_header, max_streams, max_streams);
H(redir_set_configuration, usb_redir_set_configuration_header);
H(redir_configuration_status, usb_redir_configuration_status_header);
SAME(redir_configuration_status, usb_redir_configuration_status_header, configuration, configuration);
H(redir_set_alt_setting, usb_redir_set_alt_setting_header);
H(redir_alt_setting_status, usb_redir_alt_setting_status_header);
SAME(redir_alt_setting_status, usb_redir_alt_setting_status_header, alt, alt);
H(redir_start_interrupt_receiving, usb_redir_start_interrupt_receiving_header);
H(redir_interrupt_receiving_status, usb_redir_interrupt_receiving_status_header);
H(redir_control_packet, usb_redir_control_packet_header);
SAME(redir_control_packet, usb_redir_control_packet_header, requesttype, requesttype);
SAME(redir_control_packet, usb_redir_control_packet_header, status, status);
SAME(redir_control_packet, usb_redir_control_packet_header, length, length);
H(redir_bulk_packet, usb_redir_bulk_packet_header);
SAME(redir_bulk_packet, usb_redir_bulk_packet_header, stream_id, stream_id);
SAME(redir_bulk_packet, usb_redir_bulk_packet_header, length_high, length_high);
H(redir_interrupt_packet, usb_redir_interrupt_packet_header);
SAME(redir_interrupt_packet, usb_redir_interrupt_packet_header, length, length);
_Static_assert(REDIR_BABBLE == usb_redir_babble && REDIR_STALL == usb_redir_stall, "status");
_Static_assert(REDIR_CAP_BULK_RECEIVING == usb_redir_cap_bulk_receiving &&
	       REDIR_CAP_64BITS_IDS == usb_redir_cap_64bits_ids, "caps");
_Static_assert(REDIR_SPEED_SUPER == usb_redir_speed_super, "speed");
_Static_assert(REDIR_FL_USB_HOST == usbredirparser_fl_usb_host, "flags");
_Static_assert(REDIR_LOG_ERROR == usbredirparser_error, "log levels");
