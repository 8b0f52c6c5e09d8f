#!/usr/bin/env bash
# The xHCI driver on bare metal under QEMU (qemu-xhci): QEMU's tablet (high
# speed) and USB stick (super speed, bulk: a SCSI READ compared with the
# disk image) enumerate; the echo device served by build/redir_echo through
# QEMU's usb-redir answers interrupt and bulk transfers, times out, stalls,
# recovers and unplugs; hot-plug through QEMU's monitor (device_del, then
# chardev-add + device_add of a new usb-redir) is seen from PORTSC.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
T=$(mktemp -d)
pids=()
trap 'exec 3>&- 2>/dev/null; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
QEMU=(qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none -no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -device qemu-xhci,id=xhci
	-kernel build/blobvisor-pc.elf)

# pc ARGS... -- APPEND: boot build/blobvisor-pc.elf with an xHCI controller
pc() {
	local args=()
	while [[ $1 != -- ]]; do args+=("$1"); shift; done
	shift
	timeout 90 "${QEMU[@]}" -serial stdio -monitor none "${args[@]}" -append "$1" </dev/null 2>&1 |
		tr -d '\r'
}
echo_server() {	# echo_server NAME [ARGS]: a redir_echo on unix:$T/NAME.sock
	local name=$1; shift
	timeout 120 build/redir_echo "unix:$T/$name.sock" "$@" >"$T/$name.out" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do grep -q listening "$T/$name.out" 2>/dev/null && return 0; sleep 0.05; done
	return 1
}
redir() { echo "-chardev socket,id=$1,path=$T/$1.sock,reconnect=1 -device usb-redir,chardev=$1,id=r$1,bus=xhci.0"; }

out=$(pc -device usb-tablet,bus=xhci.0 -- "-c 'usb list' -c 'usb desc 1:2' -c 'pci list'")
check "QEMU's tablet enumerates on xHCI" contains "$out" "ID 0627:0001"
check "at high speed (a USB 2 port of qemu-xhci)" contains "$out" "high speed, config 1"
check "the bus is the xHCI controller (BAR0 memory)" contains "$out" "Bus 001: xhci controller, xHCI 00:"
check "its strings are read" contains "$out" 'Product "QEMU USB Tablet"'
check "its descriptors are dumped" contains "$out" "bEndpointAddress     0x81  EP 1 IN"
check "the controller is kept by the VMM" contains "$out" "class 0c0330 USB controller, kept by the VMM: xhci"

# A super-speed USB stick: bulk only.  CBW READ(10) of LBA 0, one block;
# the 512 bytes must be the disk image's first sector.
head -c 1048576 /dev/urandom >"$T/disk.img"
cbw=55534243020000000002000080000a28000000000000000100000000000000
out=$(pc -drive if=none,id=d,file="$T/disk.img",format=raw -device usb-storage,drive=d,bus=xhci.0 -- \
	"-c 'usb list' -c 'usb out 1:2 2 $cbw' -c 'usb in 1:2 1 512' -c 'usb in 1:2 1 13'")
check "a USB stick enumerates at super speed (bMaxPacketSize0 9 = 512)" \
	contains "$out" "ID 46f4:0001, Class 00 (Defined at Interface level), super speed, config 1"
check "with 1024-byte bulk endpoints" contains "$out" "2 endpoints: 81 Bulk IN 1024, 02 Bulk OUT 1024"
want=$(head -c 512 "$T/disk.img" | od -An -v -tx1 | tr -s ' \n' ' ' | sed 's/^ //;s/ $//')
got=$(sed -n 's/^512 bytes: //p' <<<"$out")
check "bulk IN through xHCI reads the disk's first sector" equals "$got" "$want"
check "the command status wrapper says passed" contains "$out" "13 bytes: 55 53 42 53 02 00 00 00 00 00 00 00 00"

echo_server e1
out=$(pc $(redir e1) -- "-c 'usb list' -c 'usb out 1:2 1 68656c6c6f' -c 'usb in 1:2 1 64' \
	-c 'usb out 1:2 2 0102' -c 'usb in 1:2 0x82 64' -c 'usb in 1:2 1 8 100' \
	-c 'usb out 1:2 1 ff' -c 'usb in 1:2 1 8' -c 'usb in 1:2 1 8' -c 'usb out 1:2 2 0304' \
	-c 'usb in 1:2 0x82 64' -c version")
check "the echo device arrives through usb-redir, configured" \
	contains "$out" "ID f055:e0c0, Class 00 (Defined at Interface level), full speed, config 1"
check "interrupt OUT then IN echoes through xHCI" contains "$out" "5 bytes: 68 65 6c 6c 6f"
check "bulk OUT then IN echoes through xHCI" contains "$out" "2 bytes: 01 02"
check "an IN with nothing to read times out (the TD is stopped and skipped)" \
	contains "$out" "usb in: endpoint 0x81: Connection timed out (-110)"
check "a halted endpoint stalls: -EPIPE" contains "$out" "usb in: endpoint 0x81: Broken pipe (-32)"
check "after the stall the endpoint was reset: the device's stall again, not a hang" \
	equals "$(grep -c 'usb in: endpoint 0x81: Broken pipe (-32)' <<<"$out")" 2
check "the other endpoints go on" contains "$out" "2 bytes: 03 04"
check "the shell goes on" contains "$out" "blobvisor 0.1 (pc, x86-64)"

echo_server e2 --unplug-after 3000
out=$(pc $(redir e2) -- "-c 'usb list' -c 'usb in 1:2 1 8 10000' -c 'usb list'")
check "unplug completes a waiting transfer with -ENODEV" contains "$out" "usb in: endpoint 0x81: No such device (-19)"
check "and the device is gone from the bus" contains "$out" "no USB devices"

# Hot-plug through QEMU's monitor (on a FIFO): take the usb-redir device
# away while a transfer waits, then plug a new one.
echo_server h1
mkfifo "$T/mon"
timeout 90 "${QEMU[@]}" -serial file:"$T/hp.out" -monitor stdio $(redir h1) \
	-append "-c 'usb list' -c 'usb in 1:2 1 8 20000' -c 'usb wait f055:e0c0 20000' -c 'usb list' \
	-c 'usb out 1:3 1 6869' -c 'usb in 1:3 1 8'" <"$T/mon" >"$T/mon.out" 2>&1 &
qpid=$!; pids+=($qpid)
exec 3>"$T/mon"
waitfor() { for _ in $(seq 300); do grep -q "$1" "$T/hp.out" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
waitfor "Bus 001" && sleep 1
echo "device_del rh1" >&3
waitfor "No such device"
echo_server h2
echo "chardev-add socket,id=h2,path=$T/h2.sock,reconnect=1" >&3
echo "device_add usb-redir,chardev=h2,id=rh2,bus=xhci.0" >&3
wait "$qpid"; rc=$?
exec 3>&-
out=$(tr -d '\r' <"$T/hp.out")
check "hot-plug: QEMU exits through isa-debug-exit, status 1 (the cut-off transfer failed)" equals "$rc" 3
check "hot-plug: device_del ends the waiting transfer with -ENODEV" \
	contains "$out" "usb in: endpoint 0x81: No such device (-19)"
check "hot-plug: device_add is seen and enumerated (new address)" contains "$out" "usb wait: f055:e0c0 is 1:3"
check "hot-plug: the new device echoes" contains "$out" "2 bytes: 68 69"

# `make qemu XHCI=1' (scripts/run-qemu): the dongle on xHCI, the blob loaded
build/dongled --init --state "$T/dongle.state" >/dev/null
out=$(XHCI=1 DONGLE_STATE="$T/dongle.state" timeout 90 scripts/run-qemu \
	-append "--load 'rockey.o libdongle.a' -c 'usb list' -c 'rockey 5'" </dev/null 2>&1 | tr -d '\r')
check "make qemu XHCI=1's script: the dongle on the xHCI bus" contains "$out" "Bus 001: xhci controller"
check "make qemu XHCI=1's script: rockey 5 passes" contains "$out" "--- rockey_testcase5: passed"
check "make qemu XHCI=1's script: blobvisor exits 0" contains "$out" "== blobvisor exited with status 0"

out=$(pc -- "-c 'usb list'")
check "an xHCI controller without devices lists none" contains "$out" "no USB devices"
out=$(pc -- "-c 'usb wait f055:e0c0 200'")
check "rejected: usb wait for a device that never comes" contains "$out" "usb wait: f055:e0c0: not there after 200 ms"
done_testing
