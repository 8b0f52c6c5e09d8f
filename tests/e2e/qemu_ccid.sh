#!/usr/bin/env bash
# Smart cards on bare metal (build/blobvisor-pc.elf under QEMU, UHCI):
# QEMU's own usb-ccid reader with ccid-card-emulated (an NSS database made
# here with certutil, recipe in docs/ccid.md) is found by `card list`, named
# from Debian's Info.plist given as a module; with libusb-1.0 in the VMM,
# Debian's libccid.so (a module) powers the card up and exchanges APDUs.
# Neither the driver nor the device was written here.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

check "an NSS database with three certificates (certutil, libnss3-tools)" nss_card_db "$T/nss"

# pc INITRD APPEND: boot with UHCI (HC=qemu-xhci: xHCI), QEMU's CCID reader
# and its emulated card
pc() {
	local initrd=() hc=${HC:-piix3-usb-uhci}
	[[ -n $1 ]] && initrd=(-initrd "$1")
	timeout 150 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial stdio -monitor none \
		-device "$hc,id=hc" -device usb-ccid,bus=hc.0 \
		-device "ccid-card-emulated,$(nss_card_args "$T/nss")" \
		"${initrd[@]}" -kernel build/blobvisor-pc.elf -append "$2" </dev/null 2>&1 | tr -d '\r'
}

out=$(pc "" "-c 'usb list' -c 'card list'")
check "QEMU's usb-ccid enumerates on UHCI" contains "$out" "ID 08e6:4433"
check "card list finds it without configuration, named by its product string" \
	contains "$out" "reader 0: QEMU USB CCID (08e6:4433) usb 1:2, 1 slot"
out=$(pc "$LIBCCID_PLIST" "-c 'blob file add $LIBCCID_PLIST' -c 'card list'")
check "with Debian's Info.plist (a module, in the blob file namespace): its name" \
	contains "$out" "reader 0: Gemalto Gemplus USB SmartCard Reader 433-Swap (08e6:4433) usb 1:2, 1 slot"

# READ BUFFER of 0x34 bytes and its GET RESPONSE: 52 bytes + SW, a 64-byte
# CCID answer (one full packet), then GET PROPERTIES: the answer after it
# (on xHCI QEMU's usb-ccid owes a zero-length packet there: docs/ccid.md);
# `card log info' shows libccid's own info lines (its Info.plist asks for
# critical and info)
SESSION="-c 'blob load --in-vmm $LIBCCID' -c 'card list' -c 'card log info' -c 'card on' -c 'card apdu 00A4040007A0000000790100' -c 'card apdu 00C000000D' -c 'card apdu 80520000020234' -c 'card apdu 00C0000034' -c 'card apdu 8056010020' -c 'card status' -c 'card off'"
out=$(pc "$LIBCCID,$LIBCCID_PLIST" "$SESSION")
check "libccid.so (a module) is the driver" contains "$out" "driver: libccid.so"
check "card on: the emulated card's ATR" contains "$out" "ATR: 3B 7A 18 00 00 73 66 74 65 20 63 64 31 34 34"
check "decoded: T=0 only, TA1 18" \
	bash -c 'grep -q "protocols T=0 (default T=0)" <<<"$1" && grep -q "TA1 18: Fi 372, D 12" <<<"$1"' _ "$out"
check "protocol T=0" contains "$out" "protocol: T=0"
check "SELECT of the CAC applet under T=0: 61 0D (its answer waits)" \
	contains "$out" "SW 610D: normal processing: 13 more bytes available (GET RESPONSE)"
check "GET RESPONSE: 13 bytes and 9000 (what opensc's automatic GET RESPONSE makes 9000)" \
	bash -c 'grep -A1 "^data: " <<<"$1" | grep -q "SW 9000: normal processing"' _ "$out"
check "a 64-byte answer (GET RESPONSE of 52 bytes), then the next APDU's own answer" \
	bash -c 'grep -A1 "^data: 01 05 10 02 06 02 03 40" <<<"$1" | grep -q "SW 9000"' _ "$out"
check "card status: powered" contains "$out" "reader 0: card present, powered, T=0"
check "card off" contains "$out" "reader 0: card powered down"
check "card log info: libccid's info lines are shown" grep -q '^card: \[info\] ' <<<"$out"

# The same session with libccid.so in a protection domain (ring 3,
# docs/domains.md): the card layer's buffers (the reader's name, the ATR,
# the APDUs and answers, IFDHTransmitToICC's 7th and 8th arguments on the
# stack) reach it as copies on its stack; the same lines as in ring 0,
# libccid's [info] lines included (`card log' sets the level in the
# domain's copy of the log functions too).
ring0=$(sed -n '/^ATR: /,/card powered down/p' <<<"$out")
dom=$(pc "$LIBCCID,$LIBCCID_PLIST" "${SESSION/blob load --in-vmm /blob load --domain } -c 'blob list'")
check "libccid.so in a protection domain: card on, five APDUs, status, off print the ring-0 lines, [info] ones too" \
	equals "$(sed -n '/^ATR: /,/card powered down/p' <<<"$dom")" "$ring0"
check "... it is a domain" grep -qE '^libccid.so +.* ok domain$' <<<"$dom"
check "... its pcscd log functions are the domain runtime's (no fault, no missing import)" \
	grep -qE '^blob: libccid.so: .*imports: blob [0-9]+ weak [0-9]+ missing 0$' <<<"$dom"

# The same reader on QEMU's xHCI (a full-speed device behind the VMM's
# xHCI driver): the same ATR and the same answers through libccid.
out=$(HC=qemu-xhci pc "$LIBCCID,$LIBCCID_PLIST" "-c 'usb list' $SESSION")
check "xHCI: QEMU's usb-ccid enumerates on the xHCI" contains "$out" "ID 08e6:4433"
check "xHCI: card on gives the same ATR" contains "$out" "ATR: 3B 7A 18 00 00 73 66 74 65 20 63 64 31 34 34"
check "xHCI: SELECT 61 0D, then GET RESPONSE 9000" \
	bash -c 'grep -q "SW 610D" <<<"$1" && grep -A1 "^data: 6F 0B 84 07 A0 00 00 00 79 01 00 A5 00" <<<"$1" | grep -q "SW 9000"' _ "$out"
check "xHCI: after a 64-byte answer the next APDU gets its own answer (the owed ZLP read)" \
	bash -c 'grep -A1 "^data: 01 05 10 02 06 02 03 40" <<<"$1" | grep -q "SW 9000"' _ "$out"
check "xHCI: the zero-length packet read was empty, as QEMU owes it" lacks "$out" "owed zero-length packet"
check "xHCI: no communication error from libccid" lacks "$out" "IFD_COMMUNICATION_ERROR"
check "xHCI: card off" contains "$out" "reader 0: card powered down"
done_testing
