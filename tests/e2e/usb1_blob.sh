#!/usr/bin/env bash
# libusb-1.0 for blobs: tests/usb1/libusb1_probe.c compiled like a vendor
# blob against Debian's /usr/include/libusb-1.0/libusb.h, as an object and
# as a shared object that NEEDs libusb-1.0.so.0, run against the echo
# device in-process and over usbredir; tests/usb1/libusb1_thread.c runs an
# event thread beside a caller doing asynchronous interrupt reads.  The
# expected values are libusb 1.0.26's on Linux (usbfs) semantics.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
T=build/test-usb
O=$T/libusb1_probe.o
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT

body() { grep -v -e '^blob: ' -e '^  ' <<<"$1"; }

expect_probe() {	# label, output
	local l=$1 o=$2
	check "$l: contexts (default and explicit)" contains "$o" "init default OK, explicit OK"
	check "$l: the device list has the echo device" contains "$o" "device list: has the echo device"
	check "$l: a device keeps its object while referenced" contains "$o" "second list: the same object yes"
	check "$l: each context has its own device objects" contains "$o" "another context: the same object no"
	check "$l: device descriptor and speed (full)" contains "$o" "device f055:e0c0 bcdUSB 0110 class 0 mps0 8 configs 1 speed 2"
	check "$l: the active configuration tree with extra bytes (the HID descriptor)" contains "$o" \
		"active config: OK value 1 interfaces 2 total 64 extra 0; if0 class 3 alts 1 eps 2 extra 9 [09 21]; ep 0x81 attr 3 mps 64 interval 1 extra 0; if1 ep 0x82 0x02"
	check "$l: no SuperSpeed companion: NOT_FOUND" contains "$o" "ss companion of 0x81: LIBUSB_ERROR_NOT_FOUND"
	check "$l: each config descriptor is the caller's own copy" contains "$o" "config 0: OK same yes"
	check "$l: rejected: config index 1 and value 7" contains "$o" "config 1: LIBUSB_ERROR_NOT_FOUND"
	check "$l: config by value" contains "$o" "config value 1: OK; value 7: LIBUSB_ERROR_NOT_FOUND"
	check "$l: max packet sizes" contains "$o" "max packet 0x81: 64, 0x02: 64, 0x85: LIBUSB_ERROR_NOT_FOUND; iso 0x81: 64"
	check "$l: string descriptors as ASCII" contains "$o" 'product 8 "Echo HID"'
	check "$l: ...truncated to the buffer" contains "$o" 'manufacturer in 4 bytes 3 "blo"'
	check "$l: rejected: string 0 (INVALID_PARAM), string 9 stalls (PIPE)" contains "$o" \
		"string 0: LIBUSB_ERROR_INVALID_PARAM; string 9: LIBUSB_ERROR_PIPE"
	check "$l: no BOS: the device stalls the request (PIPE, as libusb 1.0.26 returns)" contains "$o" "bos: LIBUSB_ERROR_PIPE"
	check "$l: configuration get/set, unknown value NOT_FOUND" contains "$o" \
		"get configuration OK 1; set 1 OK; set 5 LIBUSB_ERROR_NOT_FOUND"
	check "$l: claims" contains "$o" \
		"claim 0 OK again OK; claim 5 LIBUSB_ERROR_NOT_FOUND; claim 40 LIBUSB_ERROR_INVALID_PARAM"
	check "$l: set_configuration with an interface claimed: BUSY (usbfs)" contains "$o" \
		"set configuration while claimed: LIBUSB_ERROR_BUSY"
	check "$l: another handle's claim is BUSY" contains "$o" \
		"second handle: claim 0 LIBUSB_ERROR_BUSY, release 0 LIBUSB_ERROR_NOT_FOUND, alt 0/0 LIBUSB_ERROR_NOT_FOUND"
	check "$l: alternate settings" contains "$o" \
		"alt 0/0 OK; alt 0/3 LIBUSB_ERROR_NOT_FOUND; alt 1/0 unclaimed LIBUSB_ERROR_NOT_FOUND"
	check "$l: kernel drivers: none bound" contains "$o" \
		"kernel driver active 0; detach LIBUSB_ERROR_NOT_FOUND; attach LIBUSB_ERROR_NOT_FOUND; auto detach OK"
	check "$l: sync interrupt echo" contains "$o" 'interrupt in OK 5 "hello"'
	check "$l: sync timeout" contains "$o" "interrupt in, nothing there: LIBUSB_ERROR_TIMEOUT 0"
	check "$l: sync bulk echo" contains "$o" 'bulk in OK 5 "bulk!"'
	check "$l: bulk call on an interrupt endpoint goes through (usbfs)" contains "$o" "bulk call on the interrupt endpoint OK 2"
	check "$l: rejected: a transfer to an endpoint that does not exist (IO)" contains "$o" "bulk in 0x85 (no such endpoint) LIBUSB_ERROR_IO"
	check "$l: sync control" contains "$o" 'control vendor in OK 4 "echo"'
	check "$l: control stall: PIPE" contains "$o" "control stall LIBUSB_ERROR_PIPE"
	check "$l: header inline get_descriptor" contains "$o" "get_descriptor(device) 18 bLength 18 type 1"
	check "$l: halt and clear_halt" contains "$o" "halted in LIBUSB_ERROR_PIPE; clear halt OK; 0x85 LIBUSB_ERROR_NOT_FOUND"
	check "$l: async read completes" contains "$o" 'async read: submit OK status COMPLETED actual 5 "async"'
	check "$l: async timeout" contains "$o" 'async timeout: submit OK status TIMED_OUT actual 0 ""'
	check "$l: SHORT_NOT_OK makes a short read an ERROR (data kept)" contains "$o" 'async short not ok: submit OK status ERROR actual 3 "abc"'
	check "$l: async stall" contains "$o" 'async stall: submit OK status STALL actual 0 ""'
	check "$l: cancel, resubmit BUSY, cancel twice NOT_FOUND, status CANCELLED" contains "$o" \
		"cancel OK resubmit LIBUSB_ERROR_BUSY cancel OK again LIBUSB_ERROR_NOT_FOUND status CANCELLED; cancel after LIBUSB_ERROR_NOT_FOUND"
	check "$l: no timeout pending: get_next_timeout 0" contains "$o" "next timeout with none pending: 0"
	check "$l: get_next_timeout with one pending" contains "$o" "next timeout: 1 within 700 ms: yes"
	check "$l: async control" contains "$o" 'async control: OK status COMPLETED actual 4 "echo"'
	check "$l: async control stall" contains "$o" "async control stall: OK status STALL"
	check "$l: rejected: a control transfer shorter than its setup's wLength" contains "$o" \
		"control shorter than its setup: LIBUSB_ERROR_INVALID_PARAM"
	check "$l: rejected: isochronous (NOT_SUPPORTED)" contains "$o" "isochronous: LIBUSB_ERROR_NOT_SUPPORTED"
	check "$l: FREE_BUFFER|FREE_TRANSFER after the callback" contains "$o" "free flags: OK callback 1"
	check "$l: ...the data went out" contains "$o" 'bulk in after it "freed"'
	check "$l: ADD_ZERO_PACKET" contains "$o" "zero packet: OK status COMPLETED actual 64"
	check "$l: an empty pollfd list, timeouts not handled by fds" contains "$o" "pollfds: list empty yes; handle timeouts 0"
	check "$l: handle_events with a zero timeout returns" contains "$o" "handle events with nothing to do: OK"
	check "$l: release of what was not claimed by the call" contains "$o" "release 0 LIBUSB_ERROR_NOT_FOUND, again LIBUSB_ERROR_NOT_FOUND"
	check "$l: open_device_with_vid_pid" contains "$o" "open with vid/pid: yes; 1234:5678: no"
	check "$l: rejected: wrap_sys_device" contains "$o" "wrap_sys_device: LIBUSB_ERROR_NOT_SUPPORTED"
	check "$l: error names and texts" contains "$o" \
		'error names: LIBUSB_ERROR_PIPE LIBUSB_TRANSFER_STALL **UNKNOWN** "No such device (it may have been disconnected)"'
	check "$l: returns 0" contains "$o" "probe1 returned 0"
}

out=$(timeout 30 "$BV" -c 'usb attach model:echo' -c "blob load $O" -c 'blob call probe1' 2>&1)
check "object: every libusb_* import resolves from the core" contains "$out" "missing 0"
expect_probe "in-process" "$out"
check "in-process: bus 1, address 2, root port 1, no parent" contains "$out" "where bus 1 address 2 port 1 ports 1 parent none"
inproc=$(body "$out")

out=$(timeout 30 "$BV" -c 'usb attach model:echo' -c "blob load $T/libusb1_probe.so" -c 'blob call probe1' 2>&1)
check "shared object: NEEDED libusb-1.0.so.0 is satisfied by the core" \
	contains "$out" "blob: libusb1_probe.so: 0 objects, 1 shared object"
check "shared object: no import missing" contains "$out" "missing 0"
check "shared object: the same lines as the object" equals "$(body "$out")" "$inproc"

timeout 60 build/redir_echo 0 > "$T/usb1-srv.out" 2>&1 &
pids+=($!)
for _ in $(seq 200); do grep -qE '^listening on port [0-9]+$' "$T/usb1-srv.out" && break; sleep 0.05; done
port=$(sed -n 's/^listening on port //p' "$T/usb1-srv.out")
check "the usbredir test server listens (port '$port')" test -n "$port"
out=$(timeout 30 "$BV" --usbredir 127.0.0.1:$port -c "blob load $O" -c 'blob call probe1' 2>&1)
expect_probe "usbredir" "$out"

out=$(timeout 20 "$BV" -c "blob load $O" -c 'blob call probe1' 2>&1)
check "rejected: no device, the program says so and returns 1" contains "$out" "probe1 returned 1"

U=$T/libusb1_thread.o
out=$(timeout 30 "$BV" -c 'usb attach model:echo' -c "blob load $U" -c 'blob call usb1_thread_test' 2>&1)
check "threads: async reads answered by the caller's writes, callbacks in the event thread" contains "$out" \
	"async reads answered after their writes: 20/20; callbacks in the event thread: 20/20; within 3 s: yes"
check "threads: the event thread times out an unanswered read" contains "$out" \
	"unanswered read: status 2 (TIMED_OUT 2) after its timeout"
check "threads: returns 0" contains "$out" "usb1_thread_test returned 0"
done_testing
