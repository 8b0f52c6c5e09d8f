#!/usr/bin/env bash
# dongled end to end: a usbredir client in the usb-guest role
# (build/tests/dongled/client) talks to build/dongled over a unix socket and
# loopback TCP: descriptors, command round trips, persistence across
# restarts, either start order, kill -9 during a write loop losing nothing
# acknowledged, and one-line errors for bad arguments and state files.
. "$(dirname "$0")/../lib.sh"
D="$BV_TOP/build/dongled"
C="$BV_TOP/build/tests/dongled/client"
W=$(mktemp -d)
SOCK="$W/sock"
ST="$W/state.bin"
pid=
trap '[[ -n $pid ]] && kill -9 $pid 2>/dev/null; rm -rf "$W"' EXIT

start() {	# start dongled in the background, wait for its socket
	# no timeout wrapper: $pid must be dongled itself for kill -9 (the EXIT
	# trap ends it if the script dies)
	"$D" --listen "unix:$SOCK" --state "$ST" "$@" >>"$W/dongled.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [[ -S $SOCK ]] && return 0; sleep 0.05; done
	return 1
}
stop() {	# SIGTERM, wait
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=
}
client() { timeout 20 "$C" "unix:$SOCK" "$@" 2>&1; }

check "--init writes a factory-fresh 2282-byte state file and exits 0" \
	bash -c "'$D' --init --state '$ST' --serial E2E-0001 && test \$(stat -c %s '$ST') -eq 2282"
start
out=$(client describe)
check "device_connect: 1209:000d, full speed" contains "$out" "device 1209:000d speed full"
check "interface_info: one HID interface" contains "$out" "interfaces 1 class 3"
check "ep_info: interrupt IN 0x81, 1 ms, 64 bytes" contains "$out" "ep 0x81 interrupt interval 1 max 64"
check "ep_info: interrupt OUT 0x01, 1 ms, 64 bytes" contains "$out" "ep 0x01 interrupt interval 1 max 64"
check "device descriptor over control transfers" contains "$out" "device descriptor 18 bytes bcdUSB 0110 maxpacket0 64"
check "configuration descriptor set of 41 bytes" contains "$out" "configuration descriptor 41 bytes total 41"
check "HID report descriptor, vendor page" contains "$out" "report descriptor 25 bytes usage page ff00"
check "manufacturer string" contains "$out" 'string 1 "blobvisor"'
check "serial string is the state's serial" contains "$out" 'string 3 "E2E-0001"'
check "a missing string stalls" contains "$out" "string 9 stalls"

out=$(client info open user 12345678 zone-write 1 16 0badf00d zone-read 1 16 4 bad-crc counter)
check "GET_INFO round trip" contains "$out" "FactoryTime 1735689600 ShipTime 1748736000 COSVersion 2.3 HardSerial E2E-0001"
check "OPEN with the user PIN" contains "$out" "open OK"
check "ZONE_WRITE then ZONE_READ return the bytes" contains "$out" "zone-read 0badf00d"
check "a broken CRC gets E_CRC through the whole stack" contains "$out" "bad-crc E_CRC"
out=$(client open user wrong)
check "a wrong PIN gets E_PIN" contains "$out" "open E_PIN"

stop
check "dongled removes its socket on SIGTERM" test ! -S "$SOCK"
start
out=$(client open user 12345678 zone-read 1 16 4)
check "the zone survives a dongled restart" contains "$out" "zone-read 0badf00d"
check "the user PIN still opens after the restart" contains "$out" "open OK"

# the client first, dongled later (QEMU's reconnect=1 order)
stop
( timeout 20 "$C" --wait "unix:$SOCK" info > "$W/early.out" 2>&1 ) & cpid=$!
sleep 0.5
start
wait $cpid
check "a client started before dongled gets served" contains "$(cat "$W/early.out")" "HardSerial E2E-0001"

# kill -9 during a write loop: nothing acknowledged may be lost
for delay in 0.3 0.7 1.1; do
	client open user 12345678 loop 100000 > "$W/loop.out" &
	lpid=$!
	sleep $delay
	kill -9 "$pid"; wait "$pid" 2>/dev/null; pid=
	wait $lpid
	last=$(grep '^acked' "$W/loop.out" | tail -1)
	k=${last#acked }; k=${k%% *}; c=${last##* }
	check "dongled restarts from the state file a kill -9 left" start
	out=$(client open user 12345678 zone-read 1 0 4 counter)
	z=$(sed -n 's/^zone-read //p' <<<"$out")
	zv=$((0x${z:6:2}${z:4:2}${z:2:2}${z:0:2}))
	cv=$(sed -n 's/^counter //p' <<<"$out")
	check "kill -9 after ${delay}s (acked write $k, counter $c): zone holds $zv, counter $cv" \
		test -n "$k" -a "$k" -gt 0 -a "$zv" -ge "$k" -a "$zv" -le $((k + 1)) -a "$cv" -ge "$c" -a "$cv" -le $((c + 1))
done
stop

# loopback TCP
port=$((20000 + RANDOM % 20000))
"$D" --listen "127.0.0.1:$port" --state "$ST" >>"$W/dongled.log" 2>&1 & pid=$!
sleep 0.3
out=$(timeout 20 "$C" --wait "127.0.0.1:$port" info 2>&1)
check "HOST:PORT on loopback serves too" contains "$out" "HardSerial E2E-0001"
stop

# one-line errors
err=$("$D" --listen "unix:$SOCK" 2>&1); rc=$?
check "missing --state: exit 2, one line" bash -c "[[ $rc -eq 2 && \$(wc -l <<<'$err') -eq 1 ]]"
err=$("$D" --listen nonsense --state "$ST" 2>&1)
check "a bad address is named" contains "$err" "--listen nonsense: want HOST:PORT or unix:PATH"
head -c 100 /dev/urandom > "$W/garbage.bin"
err=$("$D" --listen "unix:$SOCK" --state "$W/garbage.bin" 2>&1); rc=$?
check "a garbage state file is refused in one line" contains "$err" "garbage.bin: not a dongle state file (bad magic)"
cp "$ST" "$W/flip.bin"; printf '\x55' | dd of="$W/flip.bin" bs=1 seek=500 conv=notrunc status=none
err=$("$D" --listen "unix:$SOCK" --state "$W/flip.bin" 2>&1)
check "a corrupted state file is refused (CRC)" contains "$err" "flip.bin: CRC mismatch (corrupted)"
head -c 2000 "$ST" > "$W/short.bin"
err=$("$D" --listen "unix:$SOCK" --state "$W/short.bin" 2>&1)
check "a truncated state file is refused" contains "$err" "short.bin: wrong state size"
err=$("$D" --listen "unix:$SOCK" --state "$ST" --serial OTHER 2>&1)
check "--serial that contradicts the state is refused" contains "$err" "hardware serial is E2E-0001, not OTHER"
err=$("$D" --init --state "$W/y.bin" --serial 'has space' 2>&1)
check "a bad --serial is refused" contains "$err" "--serial 'has space'"
err=$("$D" --frobnicate 2>&1)
check "an unknown option is named" contains "$err" "--frobnicate: unknown option"
done_testing
