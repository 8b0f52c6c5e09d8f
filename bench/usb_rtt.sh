#!/usr/bin/env bash
# Interrupt OUT + IN round trips through the shell (`usb out`, `usb in`):
# in-process echo model, and the same device over usbredir (TCP loopback,
# build/redir_echo on Debian's libusbredirparser, the parser in the VMM
# loaded by blobvisor's loader).  Prints microseconds per round trip.
set -eu
cd "$(dirname "$0")/.."
N=${N:-$([[ ${BENCH_QUICK:-0} != 0 ]] && echo 20 || echo 2000)}	# make bench-quick: a token run
BV=build/blobvisor
cmds() { for _ in $(seq "$N"); do echo 'usb out 1:2 1 0102030405060708'; echo 'usb in 1:2 1 64'; done; }
cmds > build/bench-usb-cmds.txt

run() {	# label, then blobvisor arguments
	local label=$1; shift
	local t0 t1
	t0=$(date +%s%N)
	"$BV" "$@" < build/bench-usb-cmds.txt > build/bench-usb.out 2>&1
	t1=$(date +%s%N)
	[[ $(grep -c '^8 bytes: 01' build/bench-usb.out) -eq $N ]] || { echo "$label: wrong answers"; exit 1; }
	printf 'usb rtt %-28s %7.1f us per interrupt OUT+IN (%d round trips)\n' "$label" \
		"$(echo "($t1 - $t0) / 1000 / $N" | bc -l)" "$N"
}

run "in-process model:" -x 'usb attach model:echo'
out=build/bench-redir.out
timeout 120 build/redir_echo 0 > "$out" 2>&1 &
for _ in $(seq 100); do grep -qE '^listening on port [0-9]+$' "$out" && break; sleep 0.05; done
port=$(sed -n 's/^listening on port //p' "$out")
run "usbredir over TCP loopback:" --usbredir "127.0.0.1:$port"
