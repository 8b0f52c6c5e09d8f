#!/usr/bin/env bash
# dongled end to end: a usbredir client in the usb-guest role
# (build/tests/dongled/client) talks to build/dongled over a unix socket and
# loopback TCP: descriptors, command round trips, persistence across
# restarts, either start order, kill -9 during a write loop losing nothing
# acknowledged, one owner per state file and per socket, silent clients
# dropped, zero-length transfers, and one-line errors for bad arguments and
# state paths.
. "$(dirname "$0")/../lib.sh"
D="$BV_TOP/build/dongled"
C="$BV_TOP/build/tests/dongled/client"
W=$(mktemp -d)
SOCK="$W/sock"
ST="$W/state.bin"
pid=
hpid=
trap '[[ -n $pid ]] && kill -9 $pid 2>/dev/null; [[ -n $hpid ]] && kill $hpid 2>/dev/null; rm -rf "$W"' EXIT

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
out=$(client caps)
for cap in ep_info_max_packet_size 32bits_bulk_length 64bits_ids; do
	check "hello announces $cap (qemu-xhci refuses a peer without it)" contains "$out" "peer cap $cap yes"
done

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
	# from the first acknowledged write on (a loaded machine may take
	# longer than $delay just to start the client)
	for _ in $(seq 200); do grep -q '^acked' "$W/loop.out" 2>/dev/null && break; sleep 0.05; done
	sleep $delay
	kill -9 "$pid"; wait "$pid" 2>/dev/null; pid=
	wait $lpid
	last=$(grep '^acked' "$W/loop.out" | tail -1)
	k=${last#acked }; k=${k%% *}; c=${last##* }
	check "dongled restarts from the state file a kill -9 left" start
	# --wait: the killed dongled's socket file is still there, so start()
	# may return before the new one listens (connection refused)
	out=$(timeout 20 "$C" --wait "unix:$SOCK" open user 12345678 zone-read 1 0 4 counter 2>&1)
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

# one owner per state file: a second server would save from its own stale
# copy and roll the first one's counter back
start
err=$(timeout 10 "$D" --listen "unix:$W/sock2" --state "$ST" 2>&1); rc=$?
check "a second dongled on the same state file: exit 2, one line naming the owner" \
	bash -c "[[ $rc -eq 2 && \$(wc -l <<<'$err') -eq 1 ]]"
check "... which says the state is in use by pid $pid" contains "$err" "state.bin: in use by another dongled (pid $pid); refused"
err=$(timeout 10 "$D" --init --state "$ST" 2>&1); rc=$?
check "--init over a served state file is refused too" bash -c "[[ $rc -eq 2 ]]"
out=$(client counter zone-read 1 0 4)
check "the served state is untouched by both" contains "$out" "counter "

# the unix socket: a live one is not taken over, only our own is removed
err=$(timeout 10 "$D" --listen "unix:$SOCK" --state "$W/other.bin" 2>&1); rc=$?
check "a second dongled on a live socket path is refused (exit 2)" bash -c "[[ $rc -eq 2 ]]"
check "... saying another server listens there" contains "$err" "unix:$SOCK: another server is listening there"
check "the first dongled still serves on it" contains "$(client info)" "HardSerial E2E-0001"
first=$pid
rm -f "$SOCK"		# someone removed it; a new server takes the path
start --state "$W/other.bin"; second=$pid
kill "$first"; wait "$first" 2>/dev/null
check "the first dongled's exit leaves the second one's socket alone" test -S "$SOCK"
check "... and the second still serves" contains "$(client info)" "HardSerial BV0000000001"
stop

# a client that says nothing (or half a hello) must not hold the dongle
hold() {	# hold HEX SECONDS: connect, send HEX, stay silent
	rm -f "$W/held"
	python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(bytes.fromhex(sys.argv[2]))
open(sys.argv[4], "w").close(); time.sleep(float(sys.argv[3]))' \
		"$SOCK" "$1" "$2" "$W/held" &
	hpid=$!
	for _ in $(seq 100); do [[ -e $W/held ]] && break; sleep 0.05; done
}
start
hold "" 15
out=$(client info)
check "a silent first client is dropped and the next one served" contains "$out" "HardSerial E2E-0001"
check "... with one line saying why" contains "$(cat "$W/dongled.log")" "no usbredir hello within 3 s; dropped"
kill $hpid 2>/dev/null; wait $hpid 2>/dev/null
hold "00000000440000000000" 15	# 10 bytes of a 16-byte hello header
out=$(client info)
check "half a hello does not hold the dongle either" contains "$out" "HardSerial E2E-0001"
kill $hpid 2>/dev/null; wait $hpid 2>/dev/null

# while a real client holds the dongle, others wait in a queue of 4; one
# more is closed at once with one line, and the waiting ones stay open
client open user 12345678 loop 100000 >"$W/holder.out" & lpid=$!
for _ in $(seq 200); do grep -q '^acked' "$W/holder.out" 2>/dev/null && break; sleep 0.05; done
out=$(python3 -c 'import socket, sys, time
ss = []
for i in range(5):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); ss.append(s); time.sleep(0.3)
time.sleep(1)
for i, s in enumerate(ss):
    s.setblocking(False)
    try:
        print("waiter %d: %s" % (i + 1, "closed" if s.recv(1) == b"" else "data"))
    except BlockingIOError:
        print("waiter %d: open" % (i + 1))' "$SOCK" 2>&1)
kill $lpid 2>/dev/null; wait $lpid 2>/dev/null
sed 's/^/# /' <<<"$out"
check "with the dongle busy, four waiters are kept open" equals "$(grep -c ': open$' <<<"$out")" 4
check "... and the fifth is closed at once" contains "$out" "waiter 5: closed"
check "... with one line saying why" contains "$(cat "$W/dongled.log")" "4 others are waiting for the dongle; closed"

# zero-length OUT transfers (they carry no data pointer), under UBSan
stop
"$BV_TOP/build/tests/dongled/dongled-ubsan" --listen "unix:$SOCK" --state "$ST" >"$W/ubsan.log" 2>&1 & pid=$!
for _ in $(seq 100); do [[ -S $SOCK ]] && break; sleep 0.05; done
out=$(client zero-out info)
check "a zero-length control OUT is answered" contains "$out" "zero-control ok"
check "a zero-length interrupt OUT is a short report (E_LENGTH)" contains "$out" "zero-interrupt E_LENGTH"
check "... and the session goes on" contains "$out" "HardSerial E2E-0001"
stop
check "no undefined behaviour on the way" lacks "$(cat "$W/ubsan.log")" "runtime error"

# the .tmp a kill -9 leaves mid-save
head -c 100 /dev/urandom > "$ST.tmp"
start
check "a leftover state.bin.tmp is removed on start" test ! -e "$ST.tmp"
check "... with one line" contains "$(cat "$W/dongled.log")" "state.bin.tmp: removed, left by an interrupted save"
check "... and the state file is the last complete save" contains "$(client info)" "HardSerial E2E-0001"
stop

# state paths that are not regular files
ln -s "$ST" "$W/link.bin"
err=$(timeout 10 "$D" --listen "unix:$SOCK" --state "$W/link.bin" 2>&1); rc=$?
check "a symbolic link as state file is refused (exit 2)" bash -c "[[ $rc -eq 2 ]]"
check "... saying why" contains "$err" "link.bin: is a symbolic link; refused"
check "... and left a link" test -L "$W/link.bin"
mkfifo "$W/fifo"
err=$(timeout 10 "$D" --init --state "$W/fifo" 2>&1)
check "--init on a FIFO is refused, not replaced" bash -c "[[ -p '$W/fifo' ]]"
check "... in one line" contains "$err" "fifo: exists and is not a regular file; refused"
err=$(timeout 10 "$D" --listen "unix:$SOCK" --state "$W/fifo" 2>&1); rc=$?
check "serving from a FIFO is refused without blocking" bash -c "[[ $rc -eq 2 && -p '$W/fifo' ]]"
if mknod "$W/null" c 1 3 2>/dev/null; then
	err=$(timeout 10 "$D" --init --state "$W/null" 2>&1)
	check "--init on a device node (a copy of /dev/null) leaves the node" bash -c "[[ -c '$W/null' ]]"
	check "... and says so" contains "$err" "null: exists and is not a regular file; refused"
fi

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
