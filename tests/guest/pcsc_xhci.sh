#!/usr/bin/env bash
# pcscd in a Linux guest on qemu-xhci (issue 20, ../shared/FACTS.md): the
# failure is QEMU's usb-ccid, not the guest's.  Debian's pcscd + libccid and
# a PC/SC client (tests/guest/pcsc_probe.c, libpcsclite, the PC/SC
# differential's; scripts/guest/run-in-guest --pcsc) in the test guest,
# QEMU's usb-ccid + ccid-card-emulated, the same APDUs on UHCI and on xHCI:
# SELECT of the CAC applet and GET RESPONSE, then READ BUFFER of 0x34
# bytes and its GET RESPONSE, which make a 64-byte CCID answer
# (52 data bytes + SW + 10-byte header: exactly one full-speed packet),
# then GET PROPERTIES.  On UHCI every answer arrives.  On xHCI the answer
# after the 64-byte one fails, and QEMU's own trace shows why: the 64-byte
# answer ends a 65556-byte bulk IN TD short (usb_xhci_xfer_success len 64),
# and the next TD completes with 0 bytes (len 0) -- the zero-length packet
# usb-ccid still owed the previous transfer -- so libccid reads "0 bytes"
# and every later answer one command late.  blobvisor's own xHCI path reads
# that packet itself (tests/e2e/qemu_ccid.sh); docs/ccid.md has the detail.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

check "the guest kernel and the PC/SC client are built (no skipping)" \
	test -s build/guest/kernel.version -a -x build/guest/pcsc_probe
check "an NSS database for the emulated card" nss_card_db "$T/nss"
# guest HC [QEMU-ARGS...]: pcscd (debug log printed after the client's lines)
guest() {
	local hc=$1 q=() a
	shift
	for a in "$@"; do q+=(--qemu "$a"); done
	timeout 200 scripts/guest/run-in-guest --pcsc --add build/guest/pcsc_probe --controller "$hc" \
		--device usb-ccid,debug=3 --device "ccid-card-emulated,$(nss_card_args "$T/nss")" "${q[@]}" \
		--timeout 180 --transcript "$T/$hc.transcript" -- \
		'mkdir -p /run/pcscd; /usr/sbin/pcscd --foreground --debug >/tmp/pcscd.log 2>&1 & i=0; while [ ! -S /run/pcscd/pcscd.comm ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; pcsc_probe t0 '"$APDUS"'; echo "probe exit $?"; kill %1; cat /tmp/pcscd.log' \
		2>&1
}
APDUS="00A4040007A0000000790100 00C000000D 80520000020234 00C0000034 8056010020"
out=$(guest uhci)
check "UHCI: pcscd + libccid find QEMU's reader" \
	contains "$out" 'reader: Gemalto Gemplus USB SmartCard Reader 433-Swap'
check "UHCI: the card's ATR" contains "$out" "ATR: 3B 7A 18 00 00 73 66 74 65 20 63 64 31 34 34"
check "UHCI: GET RESPONSE of 52 bytes + 9000 (a 64-byte CCID answer)" \
	bash -c 'grep -A1 "^data: AD 02 00 30" <<<"$1" | grep -qx "SW 9000"' _ "$out"
check "UHCI: the next APDU gets its answer (32 bytes, 9000)" \
	bash -c 'grep -A1 "^data: 01 05 10 02 06 02 03 40" <<<"$1" | grep -qx "SW 9000"' _ "$out"
check "UHCI: the client succeeded" contains "$out" "probe exit 0"

out=$(guest xhci -trace usb_xhci_xfer_success)
tr=$(tr -d '\r' <"$T/xhci.transcript")
check "xHCI: the same reader and ATR" contains "$out" "ATR: 3B 7A 18 00 00 73 66 74 65 20 63 64 31 34 34"
check "xHCI: the 64-byte answer itself arrives" \
	bash -c 'grep -A1 "^data: AD 02 00 30" <<<"$1" | grep -qx "SW 9000"' _ "$out"
check "xHCI: the next APDU fails (what opensc met)" \
	contains "$out" "pcsc_probe: SCardTransmit(8056010020): Transaction failed."
check "xHCI: libccid read 0 bytes for it" contains "$out" "CCID_Receive() Not enough data received: 0 bytes"
check "xHCI: QEMU: usb-ccid gave 64 bytes to a 65556-byte bulk IN request" \
	contains "$tr" "usb-ccid: ccid_bulk_in_copy_to_guest: 65556/64 req/act to guest (BULK_IN)"
check "xHCI: QEMU: that TD completed short with 64, the next one with 0 bytes" \
	bash -c 'grep -oE "usb_xhci_xfer_success 0x[0-9a-f]+: len [0-9]+|65556/64 req/act" <<<"$1" |
		sed -n "/65556\/64/{n;p;n;n;p}" | grep -c "len 64\|len 0" | grep -qx 2' _ "$tr"
done_testing
