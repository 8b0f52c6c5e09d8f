#!/usr/bin/env bash
# The test guest's usb-redir path, without dongled: QEMU's usb-redir on UHCI
# connects over a unix socket to loopback-server (a tiny usbredir device server),
# started *after* QEMU (reconnect=1 makes either order work); in the guest,
# lsusb01 and echo01 on Debian's real libusb-0.1 see the device and move
# interrupt reports through it.  Must fail: a usb-redir socket nobody serves
# gives a guest without the device, and lsusb01 says so.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
G=build/guest
t=$(mktemp -d)
epid=
# stop the server: TERM, and KILL if it is still there 3 s later
stop_server() {
	[[ -n $epid ]] || return 0
	kill "$epid" 2>/dev/null
	for _ in $(seq 30); do kill -0 "$epid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$epid" 2>/dev/null
	wait "$epid" 2>/dev/null
	epid=
}
cleanup() { stop_server; rm -rf "$t"; }
trap cleanup EXIT

sock=$t/echo.sock
start=$(date +%s.%N)
scripts/guest/run-in-guest --usbredir "unix:$sock" --add $G/lsusb01 --add $G/echo01 \
	--transcript "$t/echo.txt" --timeout 100 -- 'lsusb01 1209:0001' 'echo01 16' \
	'lsusb01 -d 1209:0001 >/tmp/d.txt; echo "only: $? $(grep -c "device " /tmp/d.txt) $(grep -c "bus " /tmp/d.txt)"' \
	'lsusb01 -d dead:beef; echo "absent: $?"' 'echo01 4 100 | sed s/^/slow:/' \
	>"$t/out" 2>"$t/err" &
gpid=$!
sleep 1
$G/loopback-server --listen "unix:$sock" -v 2>"$t/echo.log" &
epid=$!
wait $gpid
rc=$?
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
out=$(cat "$t/out")
echo "# usb-redir boot + lsusb01 + echo01: $secs s wall; $(grep -h "us per" "$t/out")"
check "guest with usb-redir (server started late) runs lsusb01 and echo01" equals "$rc" 0
if [[ $rc -ne 0 ]]; then
	sed 's/^/#   err | /' "$t/err"
	tr -d '\r' <"$t/echo.txt" | tail -25 | sed 's/^/#   transcript | /'
	tail -15 "$t/echo.log" | sed 's/^/#   server | /'
fi
check "QEMU connected to the device server" contains "$(cat "$t/echo.log")" "hello from \"qemu usb-redir guest"
check "the guest set configuration 1" contains "$(cat "$t/echo.log")" "set configuration 1"
check "lsusb01 sees 1209:0001 on bus 001" contains "$out" ": 1209:0001 devnum"
check "lsusb01 reads its strings over usbredir" contains "$out" '"loopback-server"'
check "lsusb01 sees both interrupt endpoints" contains "$out" "endpoint 0x02: bmAttributes 0x03 wMaxPacketSize 64 bInterval 1"
check "echo01 gets 16 reports back intact" contains "$out" "echo01: 16/16 reports echoed"
check "a read with nothing queued fails" contains "$out" "read with nothing queued: error (ok)"
check "a write to a missing endpoint fails" contains "$out" "write to a missing endpoint: error (ok)"
check "reports survive QEMU stopping interrupt receiving (100 ms gaps)" contains "$out" "slow:echo01: 4/4 reports echoed"
check "... QEMU did stop it" contains "$(cat "$t/echo.log")" "stop interrupt receiving 0x81"
check "lsusb01 -d prints that device alone" contains "$out" "only: 0 1 0"
check "lsusb01 -d with an absent device exits 1" contains "$out" "absent: 1"
stop_server

# Must fail: nobody serves the socket; the guest waits 2 s for the device
out=$(scripts/guest/run-in-guest --usbredir "unix:$t/nobody.sock" --add $G/lsusb01 \
	--append bv.usbwait=2 --transcript "$t/none.txt" --timeout 100 -- 'lsusb01 1209:0001' 2>&1)
rc=$?
check "without the server the device is absent (exit 1)" equals "$rc" 1
check "... lsusb01 says which device" contains "$out" "lsusb01: 1209:0001: not found"
check "... the guest says it waited in vain" contains "$(cat "$t/none.txt")" "0 of 1 USB devices"
# scripts/guest/rockey-native's orchestration (fresh state, server on a
# unix socket, guest with usb-redir, output saved, server stopped), with
# loopback-server standing in for dongled and echo01 for the samples
rn=$t/rn
out=$(scripts/guest/rockey-native --dongled $G/loopback-server --sample $G/echo01 --dir "$rn" \
	--out "$rn/out" -- 8 2>&1)
rc=$?
check "rockey-native runs the sample against the server (exit 0)" equals "$rc" 0
[[ $rc -eq 0 ]] || sed 's/^/#   | /' <<<"$out"
check "... and saves its output" contains "$(cat "$rn/out" 2>/dev/null)" "echo01: 8/8 reports echoed"
check "... after a fresh --init of the state file" test -f "$rn/rockey-native.state"
check "... and stops the server" bash -c "! pgrep -f -- '[r]edir-echo --listen unix:$rn/' >/dev/null"
# must fail: no dongled
out=$(scripts/guest/rockey-native --dongled "$t/none" --dir "$rn" 2>&1)
rc=$?
check "rockey-native without dongled exits 2" equals "$rc" 2
check "... and says what is missing" contains "$out" "$t/none: not built"
done_testing
