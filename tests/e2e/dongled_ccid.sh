#!/usr/bin/env bash
# dongled --ccid end to end (docs/ccid.md): a usbredir client in the
# usb-guest role (build/tests/dongled/ccid_client) drives the CCID reader
# over a unix socket: descriptors, power, T=0 and T=1 APDUs with response
# chaining, the PIN try counter surviving restarts and kill -9, card
# removal and insertion by signal with slot-change notifications, a
# cancelled bulk IN, the state file's guarantees, and the same session
# under the UBSan build.
. "$(dirname "$0")/../lib.sh"
D="$BV_TOP/build/dongled"
C="$BV_TOP/build/tests/dongled/ccid_client"
W=$(mktemp -d)
SOCK="$W/sock"
ST="$W/card.bin"
pid=
trap '[[ -n $pid ]] && kill -9 $pid 2>/dev/null; rm -rf "$W"' EXIT

start() {	# start dongled --ccid in the background, wait for its socket
	local bin=$D
	[[ ${1:-} == --ubsan ]] && { bin=$BV_TOP/build/tests/dongled/dongled-ubsan; shift; }
	rm -f "$SOCK"
	"$bin" --ccid --listen "unix:$SOCK" --state "$ST" "$@" >>"$W/dongled.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [[ -S $SOCK ]] && return 0; sleep 0.05; done
	return 1
}
stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=; }
client() { timeout 20 "$C" "unix:$SOCK" "$@" 2>&1; }
AID=F0425643415244

check "--ccid --init writes a fresh 43-byte card state and exits 0" \
	bash -c "'$D' --ccid --init --state '$ST' --serial CARD-0001 && test \$(stat -c %s '$ST') -eq 43"
start
out=$(client describe)
check "device_connect: 08e6:4433 (an entry of Debian's libccid Info.plist), full speed" \
	contains "$out" "device 08e6:4433 speed full"
check "one smart-card interface (class 11)" contains "$out" "interfaces 1 class 11"
check "bulk OUT 0x01" contains "$out" "ep 0x01 bulk interval 0 max 64"
check "bulk IN 0x82" contains "$out" "ep 0x82 bulk interval 0 max 64"
check "interrupt IN 0x83, 16 ms, 8 bytes" contains "$out" "ep 0x83 interrupt interval 16 max 8"
check "CCID class descriptor: 1.10, one slot, T=0+T=1, TPDU level, 271-byte messages" \
	contains "$out" "ccid bcdCCID 0110 slots 1 protocols 3 features 000100ba maxmsg 271 maxifsd 254"
check "product string" contains "$out" 'product "BV CCID Reader"'

out=$(client status on status apdu 00A4040007$AID apdu 00C0000013 apdu 00C0000012 apdu 00A4000C025001 apdu 00B0000040 apdu 00B0000023 off status)
check "unpowered at first" contains "$out" "slot present inactive"
check "IccPowerOn: the ATR of docs/ccid.md" contains "$out" "atr 3B 97 13 80 31 FE 45 42 56 43 41 52 44 31 BF"
check "powered: present active" contains "$out" "slot present active"
check "T=0 SELECT by AID: 61 12 (the FCP waits for GET RESPONSE)" contains "$out" "apdu 61 12"
check "T=0 GET RESPONSE asking 19 bytes: 6C 12" contains "$out" "apdu 6C 12"
check "T=0 GET RESPONSE 18 bytes: the FCP with the AID and 90 00" \
	contains "$out" "apdu 62 10 82 01 38 83 02 50 00 84 07 F0 42 56 43 41 52 44 90 00"
check "T=0 READ BINARY P3 64 on a 35-byte EF: 6C 23" contains "$out" "apdu 6C 23"
check "T=0 READ BINARY P3 35: the greeting" contains "$out" "apdu 48 65 6C 6C 6F 20 66 72 6F 6D"
check "IccPowerOff" contains "$out" "off slot present inactive"

out=$(client on t1 ifsd 16 apdu 00A4040C07$AID apdu 00A4000C025002 apdu 00B0000082 apdu 00A4000C025003 apdu 00B0000000 apdu 00200081)
check "SetParameters T=1: TA1 13, IFSC 254" contains "$out" "parameters T=1 fidi 13 ifsc 254"
check "T=1 S(IFS request) 16 answered" contains "$out" "ifs response E1 16"
n=$(grep '^apdu' <<<"$out" | sed -n 3p | wc -w)
check "T=1 READ BINARY Le 130 through 16-byte blocks: 130 bytes and 90 00 reassembled" \
	bash -c "[[ $n -eq 133 ]] && grep -q '^apdu 00 01 02 .* 81 90 00\$' <<<'$(grep '^apdu' <<<"$out" | sed -n 3p)'"
check "the secret EF needs the PIN: 69 82" contains "$out" "apdu 69 82"
check "VERIFY without data: 3 tries" contains "$out" "apdu 63 C3"

out=$(client on t1 apdu 00A4040C07$AID apdu 0020008106313131313131)
check "a wrong PIN: 63 C2" contains "$out" "apdu 63 C2"
stop
start
out=$(client on apdu 0020008100)
check "the spent try survives a dongled restart (T=0 VERIFY case 1: 63 C2)" contains "$out" "apdu 63 C2"
# kill -9 right after an acknowledged wrong PIN: the decrement was on disk first
out=$(client on apdu 0020008106313131313131)
check "a second wrong PIN: 63 C1" contains "$out" "apdu 63 C1"
kill -9 "$pid"; wait "$pid" 2>/dev/null; pid=
check "dongled restarts from the state a kill -9 left" start
out=$(client on apdu 0020008100 apdu 0020008106313233343536 apdu 00A4000C025000 apdu 00A4000C025003 apdu 00B0000012)
check "after kill -9 the counter still says 1 try" contains "$out" "apdu 63 C1"
check "the right PIN: 90 00" contains "$out" "apdu 90 00"
check "and the secret reads" contains "$out" "apdu 73 65 63 72 65 74 3A 20 62 6C 6F 62 76 69 73 6F 72 0A 90 00"
out=$(client on apdu 0020008100)
check "the counter is back at 3 in the state file" contains "$out" "apdu 63 C3"

# removal and insertion, seen by a connected host
client notify notify status on > "$W/rm.out" &
cpid=$!
sleep 1
kill -USR1 "$pid"
wait $cpid
out=$(cat "$W/rm.out")
check "a new host is told the slot's state: 50 03" contains "$out" "notify 50 03"
check "SIGUSR1 removes the card: NotifySlotChange 50 02" contains "$out" "notify 50 02"
check "GetSlotStatus: absent" contains "$out" "slot absent"
check "IccPowerOn without a card: ICC_MUTE (FE)" contains "$out" "on failed bError FE slot absent"
client notify notify on > "$W/in.out" &
cpid=$!
sleep 1
kill -USR2 "$pid"
wait $cpid
out=$(cat "$W/in.out")
check "a host attaching to an empty slot is told 50 00" contains "$out" "notify 50 00"
check "SIGUSR2 inserts it: 50 03" contains "$out" "notify 50 03"
check "and it powers up again" contains "$out" "atr 3B 97 13"
# (the oversized message last: the reader drops the 300 bytes it announced)
out=$(client cancel raw 65000000000100000000 raw 99000000000000000000 raw 6F2C0100000000000000 2>&1)
check "a waiting bulk IN request is cancelled" contains "$out" "cancel status cancelled"
check "slot 1: no card, failed, bError 05" contains "$out" "answer 81 00 00 00 00 01 01 42 05 00"
check "an unknown message type: SlotStatus, failed, CMD_NOT_SUPPORTED" contains "$out" "answer 81 00 00 00 00 00 02 41 00 00"
check "dwLength 300 (beyond 261): failed, bError 01" contains "$out" "answer 80 00 00 00 00 00 03 41 01 00"
stop

# the state file: the dongle's guarantees, through the same code
ln -s "$ST" "$W/link.bin"
err=$("$D" --ccid --listen "unix:$W/s2" --state "$W/link.bin" 2>&1); rc=$?
check "a symlink as the card state: refused, exit 2" bash -c "[[ $rc -eq 2 ]]"
check "... saying why" contains "$err" "is a symbolic link; refused"
start
err=$(timeout 10 "$D" --ccid --listen "unix:$W/s3" --state "$ST" 2>&1); rc=$?
check "a second dongled on the card state: refused naming the owner" \
	bash -c "[[ $rc -eq 2 ]] && grep -qF 'in use by another dongled (pid $pid); refused' <<<'$err'"
stop
echo partial > "$ST.tmp"
start
stop
check "a .tmp an interrupted save left is removed at start, with one line" \
	bash -c "test ! -e '$ST.tmp' && grep -q 'card.bin.tmp: removed, left by an interrupted save' '$W/dongled.log'"
printf 'BVCCIDC1garbage' > "$W/bad.bin"
err=$("$D" --ccid --listen "unix:$W/s4" --state "$W/bad.bin" 2>&1); rc=$?
check "a truncated card state: exit 2, one line naming the file" \
	bash -c "[[ $rc -eq 2 ]] && [[ '$err' == 'dongled: $W/bad.bin: too short for a card state (43 bytes)' ]]"
cp "$ST" "$W/flip.bin"; printf '\x07' | dd of="$W/flip.bin" bs=1 seek=20 conv=notrunc 2>/dev/null
err=$("$D" --ccid --listen "unix:$W/s5" --state "$W/flip.bin" 2>&1)
check "a flipped byte: CRC mismatch" contains "$err" "flip.bin: CRC mismatch"
err=$("$D" --ccid --listen "unix:$W/s6" --state "$ST" --serial OTHER 2>&1)
check "--serial must match an existing card" contains "$err" "the card's serial is CARD-0001, not OTHER"
err=$("$D" --no-card --listen "unix:$W/s7" --state "$W/x.bin" 2>&1)
check "--no-card without --ccid is a usage error" contains "$err" "--no-card is for the CCID reader"
err=$("$D" --ccid --init --state "$W/y.bin" --serial 'bad serial' 2>&1)
check "a bad --serial is refused" contains "$err" "--serial 'bad serial': want 1..16 characters"

# the same session under UBSan (fatal)
: > "$W/dongled.log"
start --ubsan --no-card
out=$(client notify status)
check "UBSan build, --no-card: the slot starts empty" contains "$out" "slot absent"
kill -USR2 "$pid"; sleep 0.3
out=$(client on t1 apdu 00A4040007${AID}00 apdu 00A4000C025002 apdu 00B0010000 raw 62000000000000000000 raw 6F2C0100000000000000)
check "UBSan build: T=1 READ BINARY of 256 bytes at offset 256" bash -c "grep -q '^apdu 05 06 07' <<<'$out'"
stop
check "UBSan build: no runtime error reported" lacks "$(cat "$W/dongled.log")" "runtime error"
done_testing
