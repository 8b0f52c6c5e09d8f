#!/usr/bin/env bash
# An APDU round trip under QEMU (TCG), through a real USB host controller
# (UHCI): blobvisor on bare metal (build/blobvisor-pc.elf) with Debian's
# libccid.so as a module (`card bench`), beside Debian's pcscd + libccid in
# the Linux test guest on the same device (tests/guest/pcsc_probe.c -b,
# timing SCardTransmit); each side against
#  - QEMU's usb-ccid + ccid-card-emulated (SELECT of the CAC applet, T=0:
#    61 0D, one exchange), and
#  - dongled --ccid over usb-redir (SELECT by AID, P2 0C, T=1: 90 00).
# The guest figure includes pcsc-lite's socket round trip to pcscd.
set -eu
cd "$(dirname "$0")/.."
N=${N:-$([[ ${BENCH_QUICK:-0} != 0 ]] && echo 10 || echo 300)}	# make bench-quick: a token run
W=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$W"' EXIT
L=/lib/x86_64-linux-gnu
QSELECT=00A4040007A0000000790100
DSELECT=00A4040C07F0425643415244

. tests/lib.sh	# nss_card_db, nss_card_args
nss_card_db "$W/nss"
CARD="ccid-card-emulated,$(nss_card_args "$W/nss")"

vmm() {	# PROTO APDU QEMU-DEVICE-ARGS...: card bench on bare metal
	local proto=$1 apdu=$2
	shift 2
	timeout 600 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial stdio -monitor none \
		-device piix3-usb-uhci,id=hc "$@" -initrd "$LIBCCID,$LIBCCID_PLIST" -kernel build/blobvisor-pc.elf \
		-append "-c 'blob load --in-vmm $LIBCCID' -c 'card on $proto' -c 'card bench $N $apdu'" </dev/null 2>&1 |
		tr -d '\r' | sed -n 's/^card bench: //p'
}
guest() {	# PROTO APDU run-guest-args...: pcsc_probe -b in the guest
	local proto=$1 apdu=$2
	shift 2
	timeout 600 scripts/guest/run-in-guest "$@" --add build/guest/pcsc_probe \
		--add /usr/sbin/pcscd:/usr/sbin/pcscd --add "$LIBCCID:$LIBCCID" --add "$LIBCCID_PLIST:$LIBCCID_PLIST" \
		--add "$L/libgcc_s.so.1:$L/libgcc_s.so.1" --timeout 500 --transcript "$W/transcript" \
		-- "mkdir -p /run/pcscd && /usr/sbin/pcscd && pcsc_probe $proto -b $N $apdu" 2>/dev/null |
		sed -n 's/^pcsc bench: //p'
}

echo "ccid SELECT under QEMU, emulated card on UHCI, libccid in blobvisor (bare metal): $(vmm t0 $QSELECT -device usb-ccid,bus=hc.0 -device "$CARD")"
echo "ccid SELECT under QEMU, emulated card on UHCI, pcscd + libccid in the Linux guest: $(guest t0 $QSELECT --device usb-ccid --device "$CARD")"

build/dongled --ccid --init --state "$W/c.bin" >/dev/null
build/dongled --ccid --listen "unix:$W/sock" --state "$W/c.bin" 2>"$W/log" & pid=$!
for _ in $(seq 100); do [[ -S $W/sock ]] && break; sleep 0.05; done
echo "ccid SELECT under QEMU, dongled --ccid via usb-redir on UHCI, libccid in blobvisor (bare metal): $(vmm t1 $DSELECT \
	-chardev "socket,id=cc,path=$W/sock,reconnect=1" -device usb-redir,chardev=cc,bus=hc.0)"
echo "ccid SELECT under QEMU, dongled --ccid via usb-redir on UHCI, pcscd + libccid in the Linux guest: $(guest t1 $DSELECT --usbredir "unix:$W/sock")"
