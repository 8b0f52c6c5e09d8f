#!/usr/bin/env bash
# The USB shell commands on build/blobvisor with the in-process echo device:
# usb attach/list/desc/detach, usb out/in, hostile descriptors at attach,
# and `usb capture` read back by tshark (the reference decoder of usbmon).
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
T=build/test-usb
mkdir -p "$T"

out=$("$BV" -c 'usb attach model:echo' -c 'usb list' 2>&1); rc=$?
check "usb attach model:echo succeeds" equals "$rc" 0
check "usb list: bus and controller" contains "$out" "Bus 001: virt controller, model:echo"
check "usb list: address, VID:PID, class" contains "$out" "Port 1: Dev 002, ID f055:e0c0, Class 00 (Defined at Interface level), full speed, config 1"
check "usb list: strings" contains "$out" 'Manufacturer "blobvisor", Product "Echo HID", Serial "0001"'
check "usb list: interfaces and endpoints" contains "$out" "If 0 Alt 0: Class 03 (Human Interface Device), 2 endpoints: 81 Interrupt IN 64, 01 Interrupt OUT 64"

out=$("$BV" -c 'usb attach model:echo' -c 'usb desc 1:2' 2>&1)
check "usb desc: header line" contains "$out" "Bus 001 Device 002: ID f055:e0c0 blobvisor Echo HID"
check "usb desc: idVendor" contains "$out" "  idVendor           0xf055 blobvisor"
check "usb desc: wTotalLength" contains "$out" "    wTotalLength          64"
check "usb desc: the HID class descriptor" contains "$out" "      HID Device Descriptor:"
check "usb desc: an endpoint" contains "$out" "        bEndpointAddress     0x81  EP 1 IN"
check "usb desc: bulk transfer type" contains "$out" "          Transfer Type            Bulk"
check "usb desc: four endpoints" equals "$(grep -c 'Endpoint Descriptor:' <<<"$out")" 4
out=$("$BV" -c 'usb attach model:echo' -c 'usb desc 1:9' 2>&1); rc=$?
check "rejected: usb desc of a device that is not there" contains "$out" "usb desc: 1:9: no such device"
check "rejected: ... exits 1" equals "$rc" 1

out=$("$BV" -c 'usb attach model:echo:numif' 2>&1); rc=$?
check "a hostile config descriptor: one line" equals "$out" "usb 1-1: config descriptor: bNumInterfaces 3 but 2 interface descriptors; device disabled"
check "a hostile device fails the attach" equals "$rc" 1
out=$("$BV" -c 'usb attach model:echo:zerolen' -c 'usb list' 2>&1)
check "usb list shows the disabled device and why" contains "$out" "Port 1: Dev 002, full speed, disabled: config descriptor: descriptor at offset 18 has bLength 0"
out=$("$BV" -c 'usb attach model:nosuch' 2>&1); rc=$?
check "rejected: an unknown model" equals "$out/$rc" "usb attach: model:nosuch: no such device model/1"

out=$("$BV" -c 'usb attach model:echo' -c 'usb attach model:echo' -c 'usb detach 1' -c 'usb list' -c 'usb detach' -c 'usb list' 2>&1)
check "detach bus 1 leaves bus 2" contains "$out" "Bus 002: virt controller"
check "after detaching everything" contains "$out" "no USB controllers (usb attach ADDR)"
out=$("$BV" -c 'usb detach' 2>&1); rc=$?
check "rejected: detach with nothing attached" equals "$out/$rc" "usb detach: nothing attached/1"

out=$("$BV" -c 'usb attach model:echo' -c 'usb out 1:2 1 cafe' -c 'usb in 1:2 1 64' 2>&1)
check "usb out/in: the echo comes back" contains "$out" "2 bytes: ca fe"
out=$("$BV" -c 'usb attach model:echo' -c 'usb in 1:2 0x81 8 30' 2>&1); rc=$?
check "usb in with nothing to read times out" equals "$out/$rc" "usb in: endpoint 0x81: Connection timed out (-110)/1"
out=$("$BV" -c 'usb attach model:echo' -c 'usb out 1:2 3 00' 2>&1)
check "rejected: an endpoint the device does not have" contains "$out" "endpoint 0x03: no interrupt or bulk endpoint there"

# Capture, decoded by tshark.
rm -f "$T/cap.pcap"
out=$("$BV" -c "usb capture start $T/cap.pcap" -c 'usb attach model:echo' -c 'usb out 1:2 1 68656c6c6f' \
	-c 'usb in 1:2 1 64' -c 'usb out 1:2 2 0102' -c 'usb in 1:2 0x82 64' -c 'usb in 1:2 1 8 20' \
	-c 'usb capture stop' 2>&1)
check "capture: 30 records (10 control + 5 data transfers, submit and completion)" contains "$out" "usb capture: 30 records"
check "capture: tshark sees LINKTYPE 220 (USB with padded Linux header)" \
	bash -c "capinfos '$T/cap.pcap' 2>/dev/null | grep -qi 'encapsulation: *USB packets with Linux header and padding'"
fields=$(tshark -r "$T/cap.pcap" -T fields -E separator=';' -e usb.urb_type -e usb.transfer_type \
	-e usb.endpoint_address -e usb.device_address -e usb.urb_status -e usb.capdata -e usbhid.data \
	-e usb.idVendor -e usb.setup.bRequest 2>/dev/null)
check "tshark decodes 30 frames" equals "$(wc -l <<<"$fields")" 30
check "GET_DESCRIPTOR at address 0 first" equals "$(sed -n 1p <<<"$fields")" "'S';0x02;0x80;0;-115;;;;6"
check "the device descriptor response (idVendor)" contains "$fields" "'C';0x02;0x80;2;0;;;0xf055;"
check "SET_CONFIGURATION" contains "$fields" "'S';0x02;0x00;2;-115;;;;9"
check "interrupt OUT with its data" contains "$fields" "'S';0x01;0x01;2;-115;;68656c6c6f;;"
check "interrupt IN completion with the echo" contains "$fields" "'C';0x01;0x81;2;0;;68656c6c6f;;"
check "bulk OUT data" contains "$fields" "'S';0x03;0x02;2;-115;0102;;;"
check "bulk IN data" contains "$fields" "'C';0x03;0x82;2;0;0102;;;"
check "a timed-out IN completes with -ETIMEDOUT" contains "$fields" "'C';0x01;0x81;2;-110;;;;"
out=$("$BV" -c 'usb capture stop' 2>&1); rc=$?
check "rejected: stop without a capture" equals "$out/$rc" "usb capture: not running/1"
out=$("$BV" -c 'usb capture start /nonexistent/dir/x.pcap' 2>&1); rc=$?
check "rejected: a file that cannot be created" equals "$out/$rc" "usb capture: /nonexistent/dir/x.pcap: No such file or directory/1"
done_testing
