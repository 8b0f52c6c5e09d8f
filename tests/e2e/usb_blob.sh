#!/usr/bin/env bash
# A libusb-0.1 program compiled like a vendor blob against Debian's
# /usr/include/usb.h (tests/blobs/libusb_probe.c), loaded by the loader and
# run against the echo device, in-process and over usbredir.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
O=build/test-usb/libusb_probe.o
T=build/test-usb
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT

expect_probe() {	# label, output
	check "$1: imports resolve (19 libusb functions)" contains "$2" "imports: fortify 1 libusb 19 ssp 1 blob 0 weak 0 missing 0"
	check "$1: first find_busses reports the bus" contains "$2" "find_busses 1"
	check "$1: first find_devices reports the device (the core's enumeration consumed nothing)" contains "$2" "find_devices 1"
	check "$1: second calls report no changes" contains "$2" "again 0 0"
	check "$1: usb_busses is the head" contains "$2" "head yes"
	check "$1: names and descriptor tree through Debian's struct layout" contains "$2" "001/002 f055:e0c0 cfg 1 if 2 ep0 81 extra 9"
	check "$1: usb_get_string_simple" contains "$2" 'product 8 "Echo HID"'
	check "$1: interrupt write and read" contains "$2" 'read 5 "hello"'
	check "$1: timeout as -ETIMEDOUT, usb_strerror untouched (as real libusb)" contains "$2" "read again -110 (No error)"
	check "$1: stall as -EPIPE with its text" contains "$2" "stall -32 (error sending control message: Broken pipe)"
	check "$1: a halted bulk endpoint: -EPIPE" contains "$2" "read halted -32 ("
	check "$1: usbfs-style claims: the driver of a claimed interface" contains "$2" 'driver 0 0 "usbfs"'
	check "$1: claiming an interface that does not exist: -ENOENT" contains "$2" "claim 7 -2 (could not claim interface 7: No such file or directory)"
	check "$1: the call returns 0" contains "$2" "probe returned 0"
}

out=$(timeout 20 "$BV" -c 'usb attach model:echo' -c "blob load $O" -c 'blob call probe' 2>&1)
expect_probe "in-process" "$out"

timeout 30 build/redir_echo 0 > "$T/blob-srv.out" 2>&1 &
pids+=($!)
for _ in $(seq 200); do grep -qE '^listening on port [0-9]+$' "$T/blob-srv.out" && break; sleep 0.05; done
port=$(sed -n 's/^listening on port //p' "$T/blob-srv.out")
check "the usbredir test server listens (port '$port')" test -n "$port"
out=$(timeout 20 "$BV" --usbredir 127.0.0.1:$port -c "blob load $O" -c 'blob call probe' 2>&1)
expect_probe "usbredir" "$out"

out=$(timeout 20 "$BV" -c "blob load $O" -c 'blob call probe' 2>&1)
check "rejected: no device, the program says so and returns 1" contains "$out" "probe returned 1"
check "with no bus, usb_find_busses reports 0" contains "$out" "find_busses 0"
done_testing
