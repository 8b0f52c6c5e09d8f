#!/usr/bin/env bash
# The usbredir host controller: build/blobvisor --usbredir against
# build/redir_echo (the echo device served through Debian's
# libusbredirparser in the usb-host role), over TCP and a Unix socket.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
T=build/test-redir
mkdir -p "$T"
SRV=build/redir_echo
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT

# serve PORT|unix:PATH [ARGS...]: start the server, wait until it listens;
# PORT 0 takes a free port, left in $PORT.
serve() {
	rm -f "$T/srv.out"
	timeout 30 "$SRV" "$@" >"$T/srv.out" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do
		if grep -qE '^listening on (port [0-9]+|unix:.*)$' "$T/srv.out" 2>/dev/null; then
			PORT=$(sed -n 's/^listening on port //p' "$T/srv.out")
			return 0
		fi
		sleep 0.05
	done
	return 1
}

serve 0
out=$(timeout 20 "$BV" --usbredir 127.0.0.1:$PORT -c 'usb list' -c 'usb out 1:2 1 68656c6c6f' \
	-c 'usb in 1:2 1 64' -c 'usb out 1:2 2 0102' -c 'usb in 1:2 0x82 64' 2>&1); rc=$?
check "--usbredir HOST:PORT: enumerated, commands succeed" equals "$rc" 0
check "the bus is a usbredir controller named by its address" contains "$out" "Bus 001: usbredir controller, 127.0.0.1:$PORT"
check "device configured before the first command" contains "$out" "Port 1: Dev 002, ID f055:e0c0, Class 00 (Defined at Interface level), full speed, config 1"
check "strings read over usbredir" contains "$out" 'Product "Echo HID"'
check "interrupt OUT then IN (pushed by the server) echoes" contains "$out" "5 bytes: 68 65 6c 6c 6f"
check "bulk OUT then IN echoes" contains "$out" "2 bytes: 01 02"

serve 0
out=$(timeout 20 "$BV" --usbredir 127.0.0.1:$PORT -c 'usb in 1:2 1 8 100' -c 'usb out 1:2 1 ff' \
	-c 'usb in 1:2 1 8 300' 2>&1)
check "an IN with nothing to read times out" contains "$out" "usb in: endpoint 0x81: Connection timed out (-110)"
check "a halted endpoint reports a stall as -EPIPE" contains "$out" "usb in: endpoint 0x81: Broken pipe (-32)"

serve "unix:$T/sock"
out=$(timeout 20 "$BV" --usbredir "unix:$T/sock" -c 'usb list' 2>&1); rc=$?
out2=$(timeout 20 "$BV" --usbredir "unix:$T/nosock" 2>&1 </dev/null); rc2=$?
check "no unix socket: one line, exit 1" equals "$out2/$rc2" "usb attach: unix:$T/nosock: cannot connect: No such file or directory/1"
check "--usbredir unix:PATH works too" equals "$rc/$(grep -c 'ID f055:e0c0' <<<"$out")" "0/1"

# The VMM may start first: connect retries (a port free a moment ago).
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
( sleep 1; serve $PORT ) &
start=$(date +%s%N)
out=$(timeout 20 "$BV" --usbredir 127.0.0.1:$PORT -c 'usb list' 2>&1); rc=$?
wait
check "the server starting 1 s later is still reached" equals "$rc/$(grep -c 'ID f055:e0c0' <<<"$out")" "0/1"

start=$(date +%s%N)
out=$(timeout 20 "$BV" --usbredir 127.0.0.1:1 -c 'usb list' 2>&1); rc=$?
secs=$(( ($(date +%s%N) - start) / 1000000000 ))
check "no server: one line, exit 1" equals "$out/$rc" "usb attach: 127.0.0.1:1: cannot connect: Connection refused/1"
check "after retrying for 5 s ($secs s)" test "$secs" -ge 4 -a "$secs" -le 8
# A server whose backlog is full: a blocking connect would wait forever.
rm -f "$T/full.sock" "$T/caps.sock" "$T/gcaps.sock"
python3 -c 'import socket, sys, time
l = socket.socket(socket.AF_UNIX); l.bind(sys.argv[1]); l.listen(0); held = []
while True:
    c = socket.socket(socket.AF_UNIX); c.setblocking(False)
    try: c.connect(sys.argv[1])
    except BlockingIOError: break
    held.append(c)
print("full", flush=True); time.sleep(30)' "$T/full.sock" >"$T/full.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q full "$T/full.out" 2>/dev/null && break; sleep 0.05; done
start=$(date +%s%N)
out=$(timeout 20 "$BV" --usbredir "unix:$T/full.sock" -c 'usb list' 2>&1); rc=$?
secs=$(( ($(date +%s%N) - start) / 1000000000 ))
check "a server with a full backlog: one line, exit 1" equals "$out/$rc" "usb attach: unix:$T/full.sock: cannot connect: Connection timed out/1"
check "... within the 5 s limit ($secs s)" test "$secs" -ge 4 -a "$secs" -le 8

# The test servers announce what QEMU's usb-redir on qemu-xhci requires.
serve "unix:$T/caps.sock"
out=$(timeout 20 build/tests/dongled/client "unix:$T/caps.sock" caps 2>&1)
for cap in ep_info_max_packet_size 32bits_bulk_length 64bits_ids; do
	check "redir_echo announces $cap" contains "$out" "peer cap $cap yes"
done
check "the guest tests' loopback-server is built (TEST_DEPS)" test -x build/guest/loopback-server
timeout 30 build/guest/loopback-server --listen "unix:$T/gcaps.sock" >"$T/gcaps.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [[ -S $T/gcaps.sock ]] && break; sleep 0.05; done
out=$(timeout 20 build/tests/dongled/client "unix:$T/gcaps.sock" caps 2>&1)
for cap in ep_info_max_packet_size 32bits_bulk_length 64bits_ids; do
	check "the guest tests' loopback-server announces $cap" contains "$out" "peer cap $cap yes"
done

out=$(timeout 20 "$BV" --usbredir nonsense -c 'usb list' 2>&1); rc=$?
check "rejected: an address that is neither HOST:PORT nor unix:PATH" equals "$out/$rc" "usb attach: nonsense: cannot connect: not HOST:PORT or unix:PATH/1"
out=$(timeout 20 "$BV" --usbredir 10.1.2.3:99999 -c 'usb list' 2>&1); rc=$?
check "rejected: a port out of range" equals "$rc" 1

serve 0 --no-device
out=$(timeout 20 "$BV" --usbredir 127.0.0.1:$PORT -c 'usb list' 2>&1); rc=$?
check "a server without a device: one line, exit 1" equals "$out/$rc" "usb attach: 127.0.0.1:$PORT: no device within 5 s/1"

serve 0 numif
out=$(timeout 20 "$BV" --usbredir 127.0.0.1:$PORT -c 'usb list' 2>&1); rc=$?
check "a hostile device over usbredir: its one line, exit 1" equals "$out/$rc" "usb 1-1: config descriptor: bNumInterfaces 3 but 2 interface descriptors; device disabled/1"

serve 0 --unplug-after 700
out=$(timeout 20 "$BV" --usbredir 127.0.0.1:$PORT -c 'usb in 1:2 1 8 3000' -c 'usb list' 2>&1)
check "unplug completes a waiting transfer with -ENODEV" contains "$out" "usb in: endpoint 0x81: No such device (-19)"
check "and the device is gone from the bus" contains "$out" "no USB devices"

serve 0
out=$(timeout 20 "$BV" -c "usb attach 127.0.0.1:$PORT" -c 'usb list' -c 'usb detach 1' -c 'usb list' 2>&1); rc=$?
check "usb attach ADDR at the shell, then usb detach" equals "$rc/$(grep -c 'ID f055:e0c0' <<<"$out")" "0/1"
check "after usb detach the bus is gone" contains "$out" "no USB controllers"

serve 0
rm -f "$T/cap.pcap"
out=$(printf 'usb out 1:2 1 abcd\nusb in 1:2 1 8\nusb capture stop\n' |
	timeout 20 "$BV" -x "usb capture start $T/cap.pcap" --usbredir 127.0.0.1:$PORT 2>&1)
fields=$(tshark -r "$T/cap.pcap" -T fields -E separator=';' -e usb.urb_type -e usb.endpoint_address \
	-e usbhid.data -e usb.capdata 2>/dev/null)
check "capture of usbredir traffic: the echo seen by tshark" contains "$fields" "'C';0x81;;abcd"
check "piped shell after --usbredir ran its commands" contains "$out" "2 bytes: ab cd"
# The dongle's own server (tools/dongled) behind the same controller.
rm -f "$T/dongle.state" "$T/dongle.sock"
build/dongled --init --state "$T/dongle.state" >/dev/null 2>&1
timeout 30 build/dongled --listen "unix:$T/dongle.sock" --state "$T/dongle.state" >"$T/dongled.out" 2>&1 &
pids+=($!)
out=$(timeout 20 "$BV" --usbredir "unix:$T/dongle.sock" -c 'usb list' 2>&1); rc=$?
check "dongled's dongle enumerates over usbredir" equals "$rc/$(grep -c 'ID 1209:000d' <<<"$out")" "0/1"
check "... with its strings" contains "$out" 'Product "BV Smart Dongle"'
done_testing
