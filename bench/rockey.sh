#!/usr/bin/env bash
# DIC_Command(GET_INFO) round trip, measured inside the vendor blob's
# caller (the samples' rockey_bench): blob -> libusb -> USB core -> dongle.
#   in-process model (goal <= 2 us), dongled over usbredir on a unix socket
#   and on TCP loopback (goal <= 50 us), and on bare metal through QEMU's
#   UHCI or xHCI + usb-redir under TCG, and beside them Debian's real
#   libusb-1.0 in a Linux guest on the same QEMU controllers
#   (bench/guest_dic1.c in the test guest, scripts/guest/run-in-guest).
set -u
cd "$(dirname "$0")/.."
W=$(mktemp -d); pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$W"' EXIT
LOAD='build/samples/rockey.o build/vendor/libdongle.a'
q=1; [[ ${BENCH_QUICK:-0} != 0 ]] && q=100	# make bench-quick: a token run
rt() { sed -n 's/^rockey bench: DIC_Command round trip \(.*\) (mean.*/\1/p'; }
serve() {
	[[ -n $pid ]] && { kill "$pid"; wait "$pid" 2>/dev/null; }
	build/dongled --listen "$1" --state "$W/state" 2>/dev/null & pid=$!
	sleep 0.3
}
build/dongled --init --state "$W/state" >/dev/null
echo "rockey: DIC_Command round trip, in-process model: $(build/blobvisor -c 'usb attach model:dongle' --load "$LOAD" -c "rockey bench $((20000 / q))" 2>&1 | rt) (goal <= 2 us)"
serve "unix:$W/sock"
echo "rockey: DIC_Command round trip, dongled over usbredir (unix socket): $(build/blobvisor --usbredir "unix:$W/sock" --load "$LOAD" -c "rockey bench $((5000 / q))" 2>&1 | rt) (goal <= 50 us)"
port=$((20000 + RANDOM % 20000))
serve "127.0.0.1:$port"
echo "rockey: DIC_Command round trip, dongled over usbredir (TCP loopback): $(build/blobvisor --usbredir "127.0.0.1:$port" --load "$LOAD" -c "rockey bench $((5000 / q))" 2>&1 | rt) (goal <= 50 us)"
# bare metal: the same dongle through QEMU's usb-redir on UHCI and on xHCI
pc_rt() {	# pc_rt QEMU-DEVICE (dongled already serving on $W/sock)
	timeout 120 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial stdio -monitor none \
		-device "$1,id=hc" -chardev "socket,id=dg,path=$W/sock,reconnect=1" \
		-device usb-redir,chardev=dg,bus=hc.0 -kernel build/blobvisor-pc.elf \
		-initrd "build/samples/rockey.o,build/vendor/libdongle.a" \
		-append "--load '--in-vmm rockey.o libdongle.a' -c 'rockey bench $((200 / q))'" </dev/null 2>&1 | tr -d '\r' | rt
}
for hc in UHCI:piix3-usb-uhci xHCI:qemu-xhci; do
	serve "unix:$W/sock"	# not inside $(...): dongled would hold its pipe open
	t=$(pc_rt "${hc#*:}")
	echo "rockey: DIC_Command round trip, bare metal ${hc%%:*} + usb-redir under TCG: $t"
done
# Debian's real libusb-1.0 in a Linux guest on the same QEMU controllers and
# dongled (bench/guest_dic1.c: DIC_Command's request and answer reports,
# timed with the guest's clock, which QEMU's TCG keeps at host time)
for hc in xHCI:xhci UHCI:uhci; do
	serve "unix:$W/sock"
	out=$(timeout 300 scripts/guest/run-in-guest --add build/guest/guest_dic1 --usbredir "unix:$W/sock" \
		--controller "${hc#*:}" --timeout 280 --transcript "$W/guest-${hc#*:}.transcript" -- \
		"guest_dic1 $((1000 / q))" 2>&1)
	t=$(sed -n 's/^guest_dic1: DIC_Command round trip \(.*\), HardSerial.*/\1/p' <<<"$out")
	echo "rockey: DIC_Command round trip, Debian's libusb-1.0 in a Linux guest on ${hc%%:*} + usb-redir under TCG: ${t:-FAILED: $(grep -m1 '^guest_dic1:' <<<"$out")}"
done
