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
		"kernel driver active 0; detach LIBUSB_ERROR_NOT_FOUND; attach LIBUSB_ERROR_BUSY; auto detach OK"
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
	check "$l: rejected: isochronous to an interrupt endpoint (INVALID_PARAM, as usbfs)" contains "$o" "isochronous: LIBUSB_ERROR_INVALID_PARAM"
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

# libusb-0.1 and libusb-1.0 blobs at once on one USB core: the 1.0 blob
# holds interface 0; the 0.1 blob's write on that interface is -EBUSY until
# the 1.0 blob releases it.
H=$T/libusb1_hold.o
U01=build/threads/usbthread.o
out=$(timeout 30 "$BV" -c 'usb attach model:echo' -c "blob load $H" -c "blob load $U01" \
	-c 'blob call lu1_hold' -c 'blob call usb_thread_test' -c 'blob call lu1_release' \
	-c 'blob call usb_thread_test' 2>&1)
check "two blobs: the libusb-1.0 blob claims interface 0" contains "$out" "hold: claim 0 OK"
check "two blobs: the libusb-0.1 blob's write on it is -EBUSY" contains "$out" "write -16"
check "two blobs: released by the 1.0 blob" contains "$out" "release: OK"
check "two blobs: then the 0.1 blob's reader and writer work" contains "$out" \
	'reader got 4 "ping" after the write, before its timeout: yes'

# Hot-plug: devices attached and detached by the shell between calls.
out=$(timeout 30 "$BV" -c 'usb attach model:echo' -c "blob load $H" -c 'blob call lu1_hotplug_start 1' \
	-c 'usb attach model:echo' -c 'blob call lu1_hotplug_poll' -c 'usb detach 1' \
	-c 'blob call lu1_hotplug_poll' -c 'blob call lu1_hotplug_stop' -c 'usb attach model:echo' \
	-c 'blob call lu1_hotplug_start 0' -c 'blob call lu1_hotplug_poll' 2>&1)
check "hot-plug: registered, capability 1" contains "$out" "hotplug register 0, capability 1"
check "hot-plug: ENUMERATE reports the device present, a new one arrives" contains "$out" "hotplug so far: arrived 2 left 0"
check "hot-plug: detaching bus 1 reports it left" contains "$out" "hotplug so far: arrived 2 left 1"
check "hot-plug: without ENUMERATE, present devices are not reported" \
	test "$(grep -c '^hotplug so far: arrived 2 left 1$' <<<"$out")" -eq 2

# blobscan sorts libusb_* into the libusb-1.0 class and judges by the same
# export table: the probe and Debian's own CCID driver.
out=$(build/blobscan $T/libusb1_probe.so 2>&1)
check "blobscan: the probe's 53 libusb-1.0 imports are provided" contains "$out" "libusb-1.0: 53, 53 provided, 0 missing"
check "blobscan: NEEDED libusb-1.0.so.0 is the core's: loads as is" contains "$out" "Verdict: loads as is"
check "blobscan --json: class libusb1" contains "$(build/blobscan --json $T/libusb1_probe.so)" '"class": "libusb1"'
CCID=/usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Linux/libccid.so
check "blobscan: Debian's libccid.so finds all 22 of its libusb-1.0 imports" \
	contains "$(build/blobscan $CCID 2>&1)" "libusb-1.0: 22, 22 provided, 0 missing"

# Waits longer than the watchdog's limit, single-threaded: blocked, not
# spinning.  The limit is 1 s here (the default 5 s made this 12 s of
# make test): each wait is 2 s.
out=$(timeout 40 "$BV" -c 'usb attach model:echo' -c "blob load $H" -c 'watchdog 1' \
	-c 'blob call lu1_long_waits 2' 2>&1)
check "a 2 s synchronous read under a 1 s watchdog times out normally (not the watchdog)" \
	contains "$out" "long read: LIBUSB_ERROR_TIMEOUT 0"
check "a 2 s handle_events_timeout returns 0" contains "$out" "long event wait: 0"
check "...and the call returns" contains "$out" "lu1_long_waits returned 0"
done_testing
