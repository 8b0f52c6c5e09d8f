#!/usr/bin/env bash
# The UHCI driver on bare metal under QEMU (piix3-usb-uhci): QEMU's own USB
# tablet enumerates; the echo device served by build/redir_echo through
# QEMU's usb-redir answers interrupt and bulk transfers, times out, stalls,
# and unplugs; the capture works through UHCI too.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
T=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# pc ARGS... -- APPEND: boot build/blobvisor-pc.elf with a UHCI controller
pc() {
	local args=()
	while [[ $1 != -- ]]; do args+=("$1"); shift; done
	shift
	timeout 90 qemu-system-x86_64 -machine pc -cpu max -accel tcg -m 256M -display none \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial stdio -monitor none \
		-device piix3-usb-uhci,id=uhci "${args[@]}" -kernel build/blobvisor-pc.elf \
		-append "$1" </dev/null 2>&1 | tr -d '\r'
}
echo_server() {	# echo_server NAME [ARGS]: a redir_echo on unix:$T/NAME.sock
	local name=$1; shift
	timeout 120 build/redir_echo "unix:$T/$name.sock" "$@" >"$T/$name.out" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do grep -q listening "$T/$name.out" 2>/dev/null && return 0; sleep 0.05; done
	return 1
}
redir() { echo "-chardev socket,id=$1,path=$T/$1.sock,reconnect=1 -device usb-redir,chardev=$1,bus=uhci.0"; }

out=$(pc -device usb-tablet,bus=uhci.0 -- "-c 'usb list' -c 'usb desc 1:2'")
check "QEMU's tablet enumerates on UHCI" contains "$out" "ID 0627:0001"
check "the bus is the UHCI controller" contains "$out" "Bus 001: uhci controller, UHCI 00:"
check "its strings are read" contains "$out" 'Product "QEMU USB Tablet"'
check "its descriptors are dumped" contains "$out" "bEndpointAddress     0x81  EP 1 IN"

# A controller that goes away returns what it allocated: the frame list
# (a page), the skeleton queue head and itself.
out=$(pc -device usb-tablet,bus=uhci.0 -- "-c mem -c 'usb detach 1' -c mem -c 'usb list'")
pages=($(sed -n 's/^pages: .*(\([0-9]*\) of .*/\1/p' <<<"$out"))
check "usb detach: the bus is gone" lacks "$out" "ID 0627:0001"
check "usb detach: the frame list's page is freed (${pages[*]} pages used)" \
	test "${#pages[@]}" -eq 2 -a "${pages[1]:-0}" -lt "${pages[0]:-0}"

echo_server e1
out=$(pc $(redir e1) -- "-c 'usb list' -c 'usb out 1:2 1 68656c6c6f' -c 'usb in 1:2 1 64' \
	-c 'usb out 1:2 2 0102' -c 'usb in 1:2 0x82 64' -c 'usb in 1:2 1 8 100' \
	-c 'usb out 1:2 1 ff' -c 'usb in 1:2 1 8' -c version")
check "the echo device arrives through usb-redir, configured" \
	contains "$out" "ID f055:e0c0, Class 00 (Defined at Interface level), full speed, config 1"
check "interrupt OUT then IN echoes through UHCI" contains "$out" "5 bytes: 68 65 6c 6c 6f"
check "bulk OUT then IN echoes through UHCI" contains "$out" "2 bytes: 01 02"
check "an IN with nothing to read times out" contains "$out" "usb in: endpoint 0x81: Connection timed out (-110)"
check "a halted endpoint stalls: -EPIPE" contains "$out" "usb in: endpoint 0x81: Broken pipe (-32)"
check "the shell goes on" contains "$out" "blobvisor 0.1 (pc, x86-64)"

echo_server e2 --unplug-after 3000
out=$(pc $(redir e2) -- "-c 'usb list' -c 'usb in 1:2 1 8 10000' -c 'usb list'")
check "unplug completes a waiting transfer with -ENODEV" contains "$out" "usb in: endpoint 0x81: No such device (-19)"
check "and the device is gone from the bus" contains "$out" "no USB devices"

out=$(pc -- "-c 'usb list'")
check "a UHCI controller without devices lists none" contains "$out" "no USB devices"
done_testing
