#!/usr/bin/env bash
# libusb-1.0 over the USB core against libusb-0.1 on the same core: the
# same control request, synchronous through each layer and asynchronous
# through libusb-1.0's event handling (build/bench/usb1_bench.o, a blob),
# to the echo device in-process and over usbredir (TCP loopback).
set -eu
cd "$(dirname "$0")/.."
N=${N:-$([[ ${BENCH_QUICK:-0} != 0 ]] && echo 20 || echo 2000)}
BV=build/blobvisor
O=build/bench/usb1_bench.o
run() {	# label, blobvisor arguments
	local label=$1; shift
	local out
	out=$("$BV" "$@" -c "blob load $O" -c "blob call usb1_bench $N" 2>&1 | grep '^control round trip')
	echo "usb1 $label: ${out:-FAILED}"
}
run "in-process" -c 'usb attach model:echo'
log=build/bench-usb1-redir.out
timeout 120 build/redir_echo 0 > "$log" 2>&1 &
srv=$!
for _ in $(seq 100); do grep -qE '^listening on port [0-9]+$' "$log" && break; sleep 0.05; done
port=$(sed -n 's/^listening on port //p' "$log")
run "usbredir" --usbredir "127.0.0.1:$port"
kill "$srv" 2>/dev/null || true
