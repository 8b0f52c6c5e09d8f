#!/usr/bin/env bash
# The PC/SC differential (issue 18): Debian's pcscd + libccid in the Linux
# test guest, asked by tests/guest/pcsc_probe.c (linked against Debian's
# libpcsclite), and blobvisor's `card on` / `card apdu` (the VMM playing
# pcscd to the same libccid.so) print the same ATR, protocol and APDU
# responses, byte for byte, against the same device:
#  - QEMU's own usb-ccid + ccid-card-emulated (an NSS database made here
#    with certutil) on UHCI: the guest's kernel drives it, then blobvisor on
#    bare metal (build/blobvisor-pc.elf) with the same database;
#  - one `dongled --ccid' over usb-redir: first the guest's QEMU, then the
#    hosted blobvisor, as successive clients of the same reader and card;
#    under T=0 (61xx/6Cxx/GET RESPONSE) and T=1 (libccid's T=1 layer,
#    130 bytes chained).
# Before the APDUs, both ask the reader's features (PC/SC part 10:
# GET_FEATURE_REQUEST, then the property features): SCardControl in the
# guest, `card features' (IFDHControl) in the VMM.
# pcscd, libccid, libpcsclite and libgcc_s go into this test's initramfs
# only (pcscd is package pcscd, installed by scripts/install-deps).
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
T=$(mktemp -d)
dpid=
trap '[[ -n $dpid ]] && kill $dpid 2>/dev/null; rm -rf "$T"' EXIT
L=/lib/x86_64-linux-gnu
AID=F0425643415244

check "the guest kernel, pcsc_probe, pcscd and libccid are there (no skipping)" \
	test -s build/guest/kernel.version -a -x build/guest/pcsc_probe -a -x /usr/sbin/pcscd -a -f "$LIBCCID"

# guest OUT PROBE-ARGS [run-guest options]: pcscd, then pcsc_probe
guest() {
	local out=$1 args=$2
	shift 2
	# glibc loads libgcc_s.so.1 for pthread_exit; ldd does not list it
	timeout 200 scripts/guest/run-in-guest "$@" --add build/guest/pcsc_probe \
		--add /usr/sbin/pcscd:/usr/sbin/pcscd --add "$LIBCCID:$LIBCCID" --add "$LIBCCID_PLIST:$LIBCCID_PLIST" \
		--add "$L/libgcc_s.so.1:$L/libgcc_s.so.1" --timeout 150 --transcript "$T/$out.transcript" \
		-- "mkdir -p /run/pcscd && /usr/sbin/pcscd && pcsc_probe $args" >"$T/$out" 2>"$T/$out.err"
}
# what both sides print for the exchanges: ATR, protocol, the reader's
# features (IFDHControl through SCardControl and `card features'), data,
# SW (the VMM's explanations are its own)
norm() {
	tr -d '\r' | grep -E '^(ATR: |protocol: T=|data: |  [0-9A-F]{2}( [0-9A-F]{2})*$|SW [0-9A-F]{4})' |
		sed -E 's/^(SW [0-9A-F]{4}).*/\1/'
}
# same NAME A B: the normalised outputs are equal and not empty
same() {
	local a b
	a=$(norm <"$2") b=$(norm <"$3")
	[[ -n $a ]] || { echo "# $2: nothing to compare"; sed 's/^/#   | /' "$2" | tail -20; return 1; }
	[[ $a == "$b" ]] && return 0
	diff <(echo "$a") <(echo "$b") | sed 's/^/# /'
	sed 's/^/#   | /' "$3" | tail -30
	return 1
}

# --- QEMU's usb-ccid and emulated card -----------------------------------
check "an NSS database with three certificates (certutil)" nss_card_db "$T/nss"
CARD="ccid-card-emulated,$(nss_card_args "$T/nss")"
# the CAC applet and its answer, a second applet, an unknown one, a data object
QAPDUS="00A4040007A0000000790100 00C000000D 00A4040007A0000000790101 00C000000D 00A4040007A0000000FFFFFF 00CA7F6800"
guest qemu.guest "t0 -f $QAPDUS" --device usb-ccid --device "$CARD"
check "guest, QEMU's card: pcscd + libccid + pcsc_probe ran (exit 0)" equals "$?" 0
check "guest: pcscd names the reader from libccid's Info.plist" \
	grep -q '^reader: Gemalto Gemplus USB SmartCard Reader 433-Swap' "$T/qemu.guest"
bvc=(-c "blob load $LIBCCID" -c 'card list' -c 'card on' -c 'card features')
for a in $QAPDUS; do bvc+=(-c "card apdu $a"); done
timeout 150 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
	-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial stdio -monitor none \
	-device piix3-usb-uhci,id=hc -device usb-ccid,bus=hc.0 -device "$CARD" \
	-initrd "$LIBCCID,$LIBCCID_PLIST" -kernel build/blobvisor-pc.elf \
	-append "$(printf "%q " "${bvc[@]}")" </dev/null >"$T/qemu.vmm" 2>&1
check "blobvisor on bare metal: the same reader name" \
	grep -q 'reader 0: Gemalto Gemplus USB SmartCard Reader 433-Swap (08e6:4433)' "$T/qemu.vmm"
check "QEMU's card: the VMM's card on/apdu print what pcscd gave the guest ($(norm <"$T/qemu.guest" | wc -l) lines)" \
	same qemu "$T/qemu.guest" "$T/qemu.vmm"
check "... which covers the ATR, the features (IFDHControl), 610D, GET RESPONSE 9000 and a 6A82" \
	bash -c 'grep -q "^ATR: 3B 7A 18 00 00 73 66 74 65 20 63 64 31 34 34" "$1" && grep -q "^features: " "$1" && grep -q "^SW 610D" "$1" && grep -q "^SW 6A82" "$1" && grep -q "^data: 6F 0B 84 07 A0 00 00 00 79 01 00" "$1"' _ "$T/qemu.guest"

# --- dongled --ccid over usb-redir ----------------------------------------
build/dongled --ccid --listen "unix:$T/sock" --state "$T/card.bin" >"$T/dongled.log" 2>&1 &
dpid=$!
for _ in $(seq 100); do [[ -S $T/sock ]] && break; sleep 0.05; done
# T=0: SELECT by AID (61xx), GET RESPONSE too long (6Cxx) and right, a
# file, READ BINARY, short data (6Cxx), not found, a 4-byte VERIFY (6700:
# a T=0 TPDU has 5 bytes, and libccid passes the 4 on), wrong CLA and INS.
# T=1: the FCP at once, 130 bytes through T=1 chaining, a short read
# (6282), the PIN's state (63C3), a protected file (6982).
T0="00A4040007$AID 00C0000013 00C0000012 00A4000C025001 00B0000023 00B0001000 00A4000C025009 00200081 80CA000000 00CA000000"
T1="00A4040007${AID}00 00A4000C025002 00B0000082 00B0025020 00200081 00A4000C025003 00B0000010"
guest ccid0.guest "t0 -f $T0" --usbredir "unix:$T/sock"
check "guest, dongled's reader, T=0: pcscd + libccid + pcsc_probe ran (exit 0)" equals "$?" 0
guest ccid1.guest "t1 $T1" --usbredir "unix:$T/sock"
check "guest, dongled's reader, T=1: ran (exit 0)" equals "$?" 0
bv0=(-c "blob load $LIBCCID" -c 'card on t0' -c 'card features') bv1=(-c "blob load $LIBCCID" -c 'card on t1')
for a in $T0; do bv0+=(-c "card apdu $a"); done
for a in $T1; do bv1+=(-c "card apdu $a"); done
timeout 60 "$BV" --usbredir "unix:$T/sock" "${bv0[@]}" >"$T/ccid0.vmm" 2>&1
timeout 60 "$BV" --usbredir "unix:$T/sock" "${bv1[@]}" >"$T/ccid1.vmm" 2>&1
check "dongled, T=0: the VMM prints what pcscd gave the guest ($(norm <"$T/ccid0.guest" | wc -l) lines)" \
	same ccid0 "$T/ccid0.guest" "$T/ccid0.vmm"
check "dongled, T=1: the same ($(norm <"$T/ccid1.guest" | wc -l) lines)" \
	same ccid1 "$T/ccid1.guest" "$T/ccid1.vmm"
check "... covering 6112, 6C12, 6C13, 6A82, 6700, 6E00, 6D00 (T=0), 130 bytes, 6282, 63C3, 6982 (T=1)" \
	bash -c 'for s in 6112 6C12 6C13 6A82 6700 6E00 6D00; do grep -q "^SW $s" "$1" || exit 1; done
		for s in 6282 63C3 6982; do grep -q "^SW $s" "$2" || exit 1; done
		grep -q "^protocol: T=1" "$2" && grep -q "^  40 41 42" "$2"' _ "$T/ccid0.guest" "$T/ccid1.guest"
done_testing
