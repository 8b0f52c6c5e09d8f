#!/usr/bin/env bash
# The shipped SDK archive loaded by blobvisor against the dongle: the
# in-process model (`usb attach model:dongle`) and dongled over usbredir.
# DIC_Find walks usb_busses of our libusb; DIC_Open does a SYNC round trip
# (interrupt OUT + IN) through blob -> libusb -> USB core -> model.
. "$(dirname "$0")/../lib.sh"
cd "$BV_TOP"
D=build/dongled
W=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$W"' EXIT
bv() { timeout 30 "$BV" "$@" 2>&1; }
load=(-c 'blob load build/vendor/libdongle.a')

out=$(bv -c 'usb attach model:dongle' "${load[@]}" -c 'blob call DIC_Find' \
	-c 'blob call DIC_Open 0 AAAAAAAA' -c 'blob call DIC_Open 5 AAAAAAAA' -c 'usb list')
check "the archive loads with nothing missing" contains "$out" "missing 0"
check "model:dongle enumerates as 1209:000d with its strings" \
	contains "$out" 'Manufacturer "blobvisor", Product "BV Smart Dongle", Serial "BV0000000001"'
check "DIC_Find in the blob finds the in-process dongle" contains "$out" "DIC_Find returned 1 (0x1)"
check "DIC_Open 0 succeeds (SYNC round trip through our libusb)" contains "$out" "DIC_Open returned 0 (0)"
check "DIC_Open 5 fails with DIC_ERR_NOT_FOUND (-1)" contains "$out" "DIC_Open returned 4294967295"
out=$(bv -c 'usb attach model:dongle:SN-7' -c 'usb list')
check "model:dongle:SERIAL sets the serial" contains "$out" 'Serial "SN-7"'
out=$(bv -c 'usb attach model:dongle:bad!serial')
check "a bad serial is refused" contains "$out" "model:dongle:bad!serial: bad model argument"

"$D" --init --state "$W/s.bin" --serial REDIR-1
"$D" --listen "unix:$W/sock" --state "$W/s.bin" >"$W/log" 2>&1 & pid=$!
for _ in $(seq 100); do [[ -S $W/sock ]] && break; sleep 0.05; done
out=$(bv -c "usb attach unix:$W/sock" "${load[@]}" -c 'blob call DIC_Find' -c 'usb list')
check "over usbredir, dongled's device enumerates" contains "$out" 'Serial "REDIR-1"'
check "over usbredir, DIC_Find in the blob finds it" contains "$out" "DIC_Find returned 1 (0x1)"
done_testing
