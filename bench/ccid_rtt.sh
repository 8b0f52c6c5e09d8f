#!/usr/bin/env bash
# An APDU round trip (SELECT by AID, T=1) against the CCID reader of
# docs/ccid.md: a usbredir client talking CCID itself to `dongled --ccid`
# (unix socket), and, when the build has libusb-1.0, Debian's libccid.so
# inside hosted blobvisor (`card bench`) over usbredir and in-process.
set -eu
cd "$(dirname "$0")/.."
N=${N:-$([[ ${BENCH_QUICK:-0} != 0 ]] && echo 20 || echo 2000)}	# make bench-quick: a token run
W=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$W"' EXIT
LIBCCID=/usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Linux/libccid.so
SELECT=00A4040C07F0425643415244
build/dongled --ccid --init --state "$W/c.bin"
build/dongled --ccid --listen "unix:$W/sock" --state "$W/c.bin" 2>"$W/log" & pid=$!
for _ in $(seq 100); do [[ -S $W/sock ]] && break; sleep 0.05; done
r=$(timeout 300 build/tests/dongled/ccid_client "unix:$W/sock" on t1 bench "$N" | tail -n "$N" |
	sort -n | awk '{a[NR]=$1} END {printf "median %.1f us, best %.1f us", a[int((NR+1)/2)], a[1]}')
echo "ccid SELECT, usbredir client -> dongled --ccid (unix): $r"
if build/blobvisor -c 'exports --txt' | grep -q '^libusb_init '; then
	r=$(timeout 300 build/blobvisor --usbredir "unix:$W/sock" -c "blob load $LIBCCID" -c 'card on t1' \
		-c "card bench $N $SELECT" 2>&1 | grep '^card bench:')
	echo "ccid SELECT, libccid in blobvisor -> usbredir -> dongled --ccid: ${r#card bench: }"
	r=$(timeout 300 build/blobvisor -c 'usb attach model:ccid' -c "blob load $LIBCCID" -c 'card on t1' \
		-c "card bench $N $SELECT" 2>&1 | grep '^card bench:')
	echo "ccid SELECT, libccid in blobvisor -> in-process model:ccid: ${r#card bench: }"
else
	echo "ccid SELECT through libccid: not measured (no libusb-1.0 in this build)"
fi
