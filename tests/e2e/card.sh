#!/usr/bin/env bash
# The `card` commands (docs/ccid.md, "In the VMM"): the VMM plays pcscd to
# Debian's unmodified libccid.so (package libccid), loaded as a blob,
# against `dongled --ccid` over usbredir and the same reader in-process
# (`usb attach model:ccid`): readers found with their Info.plist names,
# the ATR decoded, T=0 and T=1 exchanges with GET RESPONSE chaining, the
# PIN counter, status, removal, power-down; log_msg/log_xxd on the console.
# Everything that needs libccid to link needs libusb-1.0 in the VMM: those
# checks are skipped, saying so, in a build without it.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
D=build/dongled
W=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill -9 $pid 2>/dev/null; rm -rf "$W"' EXIT
AID=F0425643415244

start() {
	rm -f "$W/sock"
	"$D" --ccid --listen "unix:$W/sock" --state "$W/card.bin" "$@" >>"$W/dongled.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [[ -S $W/sock ]] && return 0; sleep 0.05; done
	return 1
}
stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=; }
bv() { timeout 60 "$BV" "$@" 2>&1; }

# --- without a driver ----------------------------------------------------
out=$(bv -c 'card list')
check "no reader, no driver: card list says both" \
	bash -c 'grep -qx "driver: none loaded (blob load libccid.so)" <<<"$1" && grep -qx "card: no CCID reader on any USB controller" <<<"$1"' _ "$out"
out=$(bv -c 'usb attach model:ccid' -c 'card list' -c 'card on')
check "an in-process CCID reader is found, named by its product string without Info.plist" \
	contains "$out" "reader 0: BV CCID Reader (08e6:4433) usb 1:2, 1 slot"
check "card on without a driver: one line" contains "$out" "card: no IFD handler loaded (blob load libccid.so: a blob exporting IFDH*)"
out=$(bv --file "$LIBCCID_PLIST" -c 'usb attach model:ccid' -c 'card list')
check "with Debian's Info.plist in the blob file namespace: its name for 08E6:4433" \
	contains "$out" "reader 0: Gemalto Gemplus USB SmartCard Reader 433-Swap (08e6:4433) usb 1:2, 1 slot"
out=$(bv -c 'card log' -c 'card log info' -c 'card log' -c 'card log loud')
check "card log: errors by default, then info" \
	bash -c 'grep -q "showing error and above" <<<"$1" && grep -q "showing info and above" <<<"$1"' _ "$out"
check "card log with a bad level: one line" contains "$out" "card log: 'loud': want debug, info, error, critical or off"

if ! bv -c 'exports --txt' | grep -q '^libusb_init '; then
	echo "ok $((tap_n + 1)) # SKIP libusb-1.0 is not in this build: libccid.so cannot link"
	tap_n=$((tap_n + 1))
	done_testing
	exit
fi

# --- Debian's libccid.so over usbredir ------------------------------------
start
out=$(bv --usbredir "unix:$W/sock" -c "blob load $LIBCCID" -c 'card list' -c 'card log info' -c 'card on' \
	-c "card apdu 00A4040007$AID" -c 'card apdu 00C0000013' -c 'card apdu 00C0000012' \
	-c 'card apdu 00A4000C025001' -c 'card apdu 00B0000023' -c 'card status')
out+=$'\n'$(bv --usbredir "unix:$W/sock" -c "blob load $LIBCCID" \
	-c 'card on t1' -c "card apdu 00A4040007${AID}00" -c 'card apdu 00A4000C025002' -c 'card apdu 00B0000082' \
	-c 'card apdu 0020008106313131313131' -c 'card apdu 00CA000000' -c 'card off' -c 'card status')
check "libccid.so loads unmodified: pcsc (log_msg, log_xxd) and libusb-1.0 imports resolve" \
	contains "$out" "pcsc 2"
check "card list: libccid is the driver" contains "$out" "driver: libccid.so"
check "card list: the reader, named from Info.plist (supplied from the host's copy)" \
	contains "$out" "reader 0: Gemalto Gemplus USB SmartCard Reader 433-Swap (08e6:4433) usb 1:2, 1 slot"
check "libccid's own log lines reach the console through log_msg" \
	contains "$out" "card: [info] ifdhandler.c"
check "card on: the ATR as dongled's card sends it" contains "$out" "ATR: 3B 97 13 80 31 FE 45 42 56 43 41 52 44 31 BF"
check "ATR decoded: protocols, default, mode" contains "$out" "direct convention; protocols T=0 T=1 (default T=0); negotiable mode"
check "ATR decoded: TA1" contains "$out" "TA1 13: Fi 372, D 4, f max 5.0 MHz"
check "ATR decoded: IFSC and historical bytes" \
	bash -c 'grep -q "T=1: IFSC 254" <<<"$1" && grep -q "historical bytes (7): \"BVCARD1\"; TCK correct" <<<"$1"' _ "$out"
check "the default protocol is negotiated: T=0" contains "$out" "protocol: T=0"
check "T=0 SELECT by AID: 61 12, explained" contains "$out" "SW 6112: normal processing: 18 more bytes available (GET RESPONSE)"
check "T=0 GET RESPONSE one byte too long: 6C 12, explained" contains "$out" "SW 6C12: error: wrong Le; 18 bytes available"
check "T=0 GET RESPONSE: the FCP" contains "$out" "data: 62 10 82 01 38 83 02 50 00 84 07 F0 42 56 43 41 52 44"
check "T=0 READ BINARY: the greeting" contains "$out" "data: 48 65 6C 6C 6F 20 66 72 6F 6D"
check "card status while powered" contains "$out" "reader 0: card present, powered, T=0"
check "card on t1: T=1 negotiated" contains "$out" "protocol: T=1"
check "T=1 READ BINARY of 130 bytes through libccid's T=1 layer (IFS 254)" \
	contains "$out" "data: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F"
check "T=1 a wrong PIN: 63C2, explained" contains "$out" "SW 63C2: warning: verification failed, 2 tries left"
check "an unknown instruction: 6D00, explained" contains "$out" "SW 6D00: error: instruction code not supported or invalid"
check "card off" contains "$out" "reader 0: card powered down"
check "card status after off: present, not powered" contains "$out" "reader 0: card present, not powered"
out=$(bv --usbredir "unix:$W/sock" -c "blob load $LIBCCID" -c 'card on' -c 'card apdu 0020008100')
check "the spent try is in dongled's state file" contains "$out" "SW 63C2"
(sleep 1.5; kill -USR1 "$pid") &
kpid=$!
out=$(bv --usbredir "unix:$W/sock" -c "blob load $LIBCCID" -c 'card status' -c 'threads run 3000' -c 'card status' -c 'card on')
wait $kpid
check "present before removal" contains "$out" "reader 0: card present, not powered"
check "removal by dongled's SIGUSR1: card status says absent" contains "$out" "reader 0: card absent"
check "card on without a card: libccid's answer, one line" contains "$out" "IFDHPowerICC(IFD_POWER_UP): IFD_ERROR_POWER_ACTION"
stop

# --- the same reader in-process -------------------------------------------
out=$(bv -c 'usb attach model:ccid' -c "blob load $LIBCCID" -c 'card on t1' -c "card apdu 00A4040007${AID}00" -c 'card off')
check "in-process model:ccid through libccid: T=1 SELECT answers the FCP" \
	bash -c 'grep -q "data: 62 10 82 01 38" <<<"$1" && grep -q "SW 9000" <<<"$1"' _ "$out"
out=$(bv -c "blob load $LIBCCID" -c 'usb attach model:ccid' -c 'card apdu 00A4' -c 'card apdu zz' -c 'card apdu 0 00A40000' -c 'card on 0 t2')
check "card apdu with a 2-byte APDU: one line" contains "$out" "card apdu: want [R] HEX: a command APDU of 4 to"
check "card apdu before card on: one line" contains "$out" "card: reader 0: the card is not powered (card on 0)"
check "card on with a bad protocol: one line" contains "$out" "card on: 't2': want a reader number, then t0 or t1"

# libccid in a protection domain (a child process here): `card log' sets the
# level of the domain runtime's copy of pcscd's log functions too, so the
# same [info] lines come out as in ring 0, and `card log' counts the lines
# the domain dropped.
S=(-c 'usb attach model:ccid' -c 'card log info' -c 'card on t1' -c "card apdu 00A4040007${AID}00" -c 'card log error'
	-c 'card off' -c 'card log')
r0=$(bv -c "blob load $LIBCCID" "${S[@]}")
dm=$(bv -c "blob load --domain $LIBCCID" "${S[@]}")
check "libccid in a hosted domain with card log info: the ring-0 [info] lines ($(grep -c '^card: \[info\]' <<<"$r0"))" \
	bash -c 'test "$(grep -c "^card: \[info\]" <<<"$1")" -gt 0 && test "$(grep "^card: \[info\]" <<<"$1")" = "$(grep "^card: \[info\]" <<<"$2")"' _ "$r0" "$dm"
check "... card log counts the lines the domain dropped after card log error" \
	bash -c 'grep -qE "^card log: showing error and above \([1-9][0-9]* lower messages dropped\)$" <<<"$1"' _ "$dm"

# --- IFDHControl: the reader's PC/SC part 10 features ----------------------
out=$(bv -c 'usb attach model:ccid' -c "blob load $LIBCCID" -c 'card features' -c 'card control 0x42000d48' \
	-c 'card control 0x42330001' -c 'card control 0x42000d48 zz' -c 'card features 0 x')
check "card features: libccid's feature list (GET_FEATURE_REQUEST through IFDHControl)" \
	bash -c 'grep -qx "features: 12 04 42 33 00 12" <<<"$1" && grep -q "FEATURE_GET_TLV_PROPERTIES (0x12): control code 0x42330012" <<<"$1"' _ "$out"
check "card features: the TLV properties decoded (the reader's VID:PID, max APDU data)" \
	bash -c 'grep -q "wIdVendor (11): 2278 (0x8e6)" <<<"$1" && grep -q "wIdProduct (12): 17459 (0x4433)" <<<"$1" && grep -q "dwMaxAPDUDataSize (10): 65536" <<<"$1"' _ "$out"
check "card control: the raw answer" contains "$out" "control: 12 04 42 33 00 12"
check "card control with a code libccid refuses: its answer, one line" \
	contains "$out" "card: reader 0: IFDHControl(0x42330001): IFD_ERROR_NOT_SUPPORTED (606)"
check "card control with bad bytes, card features with an extra word: one line each" \
	bash -c 'grep -q "^card control: want \[R\] CODE \[HEX\]" <<<"$1" && grep -q "^card features: want \[R\]" <<<"$1"' _ "$out"
done_testing
